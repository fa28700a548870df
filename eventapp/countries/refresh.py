"""Rebuild countries.csv from UN OCHA's country taxonomy, as shipped in the hdx-python-country wheel.

    python -m eventapp.countries.refresh path/to/hdx_python_country-<version>-py3-none-any.whl

Get the wheel with `pip download --no-deps hdx-python-country==<version>`. Only its static CSV is
read (straight from the wheel), so the package and its dependencies are never installed. The
result keeps, per code, whether the UN lists it as a state, and its names in the six languages.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

from eventapp.countries import DATA_FILE, LANGUAGES

TAXONOMY = "hdx/location/Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
#: Language -> (UNTERM short name column, M49 name column); UNTERM names states, M49 also areas.
COLUMNS = {
    "en": ("English Short", "M49 English"),
    "fr": ("French Short", "M49 French"),
    "es": ("Spanish Short", "M49 Spanish"),
    "ar": ("Arabic Short", "M49 Arabic"),
    "ru": ("Russian Short", "M49 Russian"),
    "zh": ("Chinese Short", "M49 Chinese"),
}


def rows_from_taxonomy(text: str) -> list[dict[str, str]]:
    """One output row per current code: code, state (Y/N), m49, then a name per language."""
    result = []
    for row in csv.DictReader(io.StringIO(text)):
        code = row["ISO 3166-1 Alpha 3-Codes"].strip()
        if not code or row["Deprecated"].strip() == "Y":
            continue
        is_state = row["Appears in UNTERM list"].strip() == "Y"
        out = {"code": code, "state": "Y" if is_state else "N", "m49": row["m49 numerical code"].strip()}
        for language in LANGUAGES:
            unterm, m49 = COLUMNS[language]
            # A state by its UNTERM short name; an area by its M49 name (which says whose it is).
            name = (row[unterm] if is_state else "") or row[m49]
            out[language] = " ".join(name.split())
        if not out["en"]:
            out["en"] = " ".join(row["Preferred Term"].split())
        result.append(out)
    return sorted(result, key=lambda r: r["code"])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with zipfile.ZipFile(argv[0]) as wheel:
        text = wheel.read(TAXONOMY).decode("utf-8-sig")
    rows = rows_from_taxonomy(text)
    with Path(DATA_FILE).open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["code", "state", "m49", *LANGUAGES], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} countries and areas written to {DATA_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
