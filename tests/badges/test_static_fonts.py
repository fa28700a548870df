"""Badges are printed from static copies of the fonts, made once on disk, that draw exactly as the sources."""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2
import pytest
import uharfbuzz
from fontTools.ttLib import TTFont

from eventapp.badges import pdf as badge_pdf
from eventapp.badges import static_fonts
from eventapp.badges.fonts import PRIMARY, coverage, faces_for, font_files, font_path
from eventapp.badges.pdf import BadgeContent, render_contents, shaped_families
from eventapp.badges.static_fonts import cache_folder, embedding_file, prepare_all
from eventapp.models import RegistrationCategory
from tests.badges.test_pdf import NAMES

#: A small font, so that making its copy is quick; a layout-free copy is made whatever its source.
SMALL = "NotoSansHebrew"


@pytest.fixture
def own_cache(app, tmp_path, monkeypatch):
    """An empty instance folder, and a count of the copies made."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    made: list[Path] = []
    make_copy = static_fonts._make_copy

    def counting(source: Path, shaped: bool, target: Path, family: str) -> None:
        made.append(target)
        make_copy(source, shaped, target, family)

    monkeypatch.setattr(static_fonts, "_make_copy", counting)
    return made


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_copy_is_made_once_and_then_reused(own_cache):
    path = embedding_file(SMALL, shaped=False)
    assert path.parent == cache_folder() and files_in(cache_folder()) == [path.name]
    first = path.stat()
    assert embedding_file(SMALL, shaped=False) == path
    # Another worker (nothing remembered in the process) finds the copy on disk.
    static_fonts._digest.cache_clear()
    static_fonts._tables.cache_clear()
    assert embedding_file(SMALL, shaped=False) == path
    assert own_cache == [path]
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (first.st_ino, first.st_mtime_ns)


def test_workers_that_race_each_get_a_whole_copy(app, own_cache):
    barrier = threading.Barrier(4)
    paths: list[Path] = []
    errors: list[BaseException] = []

    def first_badge() -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                paths.append(embedding_file(SMALL, shaped=False))
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=first_badge) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(paths)) == 1 and len(own_cache) >= 1
    assert files_in(cache_folder()) == [paths[0].name]  # no temporary file left behind
    assert "cmap" in TTFont(paths[0])


def test_a_copy_that_fails_leaves_no_file(own_cache, monkeypatch):
    def full_disk(self: TTFont, file: object) -> None:
        raise OSError("No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(TTFont, "save", full_disk)
        with pytest.raises(OSError):
            embedding_file(SMALL, shaped=False)
    assert files_in(cache_folder()) == []
    assert embedding_file(SMALL, shaped=False).is_file()


def test_copies_are_static_and_map_the_same_characters(app):
    for family, source in font_files().items():
        for shaped in (True, False):
            path = embedding_file(family, shaped)
            face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)))
            assert frozenset(face.unicodes) == coverage(family), (family, shaped)
            font = TTFont(path, lazy=True)
            assert not {"fvar", "gvar", "vmtx"} & set(font.keys()), (family, shaped)
            assert ("GSUB" in font) == ("GSUB" in TTFont(source, lazy=True) and shaped), (family, shaped)


def test_preparing_makes_every_copy_and_removes_stale_ones(own_cache):
    cache_folder().mkdir(parents=True)
    stale = cache_folder() / "0123456789abcdef0123456789abcdef.ttf"
    stale.write_bytes(b"made by another fontTools")
    paths = prepare_all()
    assert set(paths) == {embedding_file(f, shaped) for f in font_files() for shaped in (True, False)}
    assert not stale.exists()
    assert set(files_in(cache_folder())) == {p.name for p in paths if p.parent == cache_folder()}
    made = len(own_cache)
    assert prepare_all() == paths and len(own_cache) == made


def pixels(pdf: bytes) -> list[bytes]:
    return [page.render(scale=2).to_pil().tobytes() for page in pypdfium2.PdfDocument(pdf)]


ARABIC_BADGE = [("محمد عبد الله", "وزارة الخارجية", "وفد عضو"), ("فاطمة  الزهراء", "مصر", "وفد عضو")]
MIXED_NAMES = [(n, "Côte d'Ivoire", "") for n in ("Ali بن Ahmed", "Marie (ماري) Dupont", "王 Wang", "Ana Pop")]


@pytest.mark.parametrize(
    "badges",
    [
        pytest.param([(n, "Côte d'Ivoire", "") for n in NAMES.values()], id="every-script"),
        pytest.param(
            [(n, "Батбаяр Дорж", "") for n in ("Žofia Łukasiewicz Ñúñez", "Νίκος Παπαδόπουλος")], id="unshaped"
        ),
        pytest.param([(n, "Côte d'Ivoire", "") for n in ("Nguyễn Thị Hương", "A\u0301na Pop")], id="combining-marks"),
        pytest.param(ARABIC_BADGE, id="arabic"),
        pytest.param(MIXED_NAMES, id="mixed-scripts"),
    ],
)
def test_badges_from_the_cut_down_copies_look_exactly_as_from_the_source_fonts(app, monkeypatch, badges):
    contents = [BadgeContent(n, a, RegistrationCategory.DELEGATE, "A" * 127, label) for n, a, label in badges]
    from_copies = pixels(render_contents("5th Capital-Level Meeting", contents, "a4-4up"))
    monkeypatch.setattr(badge_pdf, "document_font", lambda family, points, shaped, folder: font_path(family))
    from_sources = pixels(render_contents("5th Capital-Level Meeting", contents, "a4-4up"))
    assert from_copies == from_sources


def test_only_the_fonts_of_shaped_words_keep_their_layout_tables():
    def shaped(*texts: str) -> set[str]:
        return shaped_families(faces_for(texts), texts)

    assert shaped("Ana Pop", "Νίκος", "Đặng") == set()
    assert shaped("Ana Pop", "محمد عبد الله") == {"NotoSansArabic"}
    # Each run is shaped on its own: the Latin words of a mixed name need no shaping.
    assert shaped("Ali بن Ahmed") == {"NotoSansArabic"}
    assert shaped("A\u0301na") == {PRIMARY}
    assert shaped("王 小明", "Ana") == {"NotoSansCJK"}
