"""countries.csv is rebuilt from UN OCHA's taxonomy: states by their UNTERM names, other areas by their M49 names."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from eventapp import countries
from eventapp.countries import refresh

HEADER = [
    "ISO 3166-1 Alpha 3-Codes",
    "m49 numerical code",
    "Appears in UNTERM list",
    "Deprecated",
    "Preferred Term",
    *[column for pair in refresh.COLUMNS.values() for column in pair],
]


def taxonomy(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_states_take_their_unterm_names_and_areas_their_m49_names() -> None:
    text = taxonomy(
        {
            "ISO 3166-1 Alpha 3-Codes": "TUR",
            "m49 numerical code": "792",
            "Appears in UNTERM list": "Y",
            "Deprecated": "N",
            "Preferred Term": "Türkiye",
            "English Short": "Türkiye",
            "M49 English": "Turkey (old)",
            "French Short": "Türkiye",
            "Russian Short": "Турция",
        },
        {
            "ISO 3166-1 Alpha 3-Codes": "HKG",
            "m49 numerical code": "344",
            "Appears in UNTERM list": "",
            "Deprecated": "N",
            "Preferred Term": "China, Hong Kong Special Administrative Region",
            "English Short": "Hong Kong",
            "M49 English": "China, Hong Kong Special Administrative Region",
            "M49 French": "Chine, région administrative spéciale de Hong Kong",
        },
        {"ISO 3166-1 Alpha 3-Codes": "TWN", "Deprecated": "N", "Preferred Term": "Taiwan (Province of China)"},
        {"ISO 3166-1 Alpha 3-Codes": "ANT", "Deprecated": "Y", "Preferred Term": "Netherlands Antilles"},
    )
    rows = {row["code"]: row for row in refresh.rows_from_taxonomy(text)}
    assert set(rows) == {"HKG", "TUR", "TWN"}  # a deprecated code is left out
    assert rows["TUR"]["state"] == "Y" and rows["TUR"]["en"] == "Türkiye" and rows["TUR"]["ru"] == "Турция"
    assert rows["HKG"]["state"] == "N" and rows["HKG"]["en"].startswith("China, Hong Kong")
    assert rows["HKG"]["fr"] == "Chine, région administrative spéciale de Hong Kong"
    assert rows["TWN"]["en"] == "Taiwan (Province of China)" and rows["TWN"]["fr"] == ""


def test_the_script_reads_the_csv_straight_from_the_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wheel = tmp_path / "hdx_python_country-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(
            refresh.TAXONOMY,
            taxonomy(
                {
                    "ISO 3166-1 Alpha 3-Codes": "VNM",
                    "Appears in UNTERM list": "Y",
                    "Deprecated": "N",
                    "English Short": "Viet Nam",
                }
            ),
        )
    out = tmp_path / "countries.csv"
    monkeypatch.setattr(refresh, "DATA_FILE", out)
    assert refresh.main([str(wheel)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("VNM,Y,,Viet Nam")


def test_the_kept_copy_has_every_state_in_six_languages() -> None:
    states = [c for c in (countries.get(code) for code in countries.codes()) if c and c.is_state]
    assert len(states) == 197
    assert all(set(c.names) == set(countries.LANGUAGES) for c in states)
