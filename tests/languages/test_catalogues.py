"""Every string pocmap shows has its French translation, with the same ``{names}``, and
the catalogues are up to date with the code (``python -m languages.extract``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import languages
from languages import LOCALE_DIR, placeholders
from languages.extract import found_in_code, update


def _french() -> dict[str, object]:
    merged: dict[str, object] = {}
    for path in sorted((LOCALE_DIR / "fr" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    if message.string and not message.fuzzy:
                        merged[key] = message.string
    return merged


def test_every_string_of_the_code_has_a_french_translation() -> None:
    french = _french()
    missing = [m for m in found_in_code() if m not in french]
    places = {m: f.places[0] for m, f in found_in_code().items()}
    assert not missing, f"{len(missing)} strings without French, e.g.:\n" + "\n".join(
        f"  {places[m][0]}:{places[m][1]}: {m!r}" for m in missing[:40]
    )


def test_translations_keep_the_placeholders_of_the_english() -> None:
    french = _french()
    wrong = []
    for message_id, found in found_in_code().items():
        translated = french.get(message_id)
        if translated is None:
            continue
        english = placeholders(message_id) | (placeholders(found.plural) if found.plural else set())
        for text in translated if isinstance(translated, tuple) else (translated,):
            if not text or placeholders(str(text)) - english - {"n"}:
                wrong.append(f"{message_id!r} -> {text!r}")
            elif not found.plural and placeholders(str(text)) != english:
                wrong.append(f"{message_id!r} -> {text!r}")
    assert not wrong, "\n".join(wrong[:40])


def test_the_catalogues_are_up_to_date_with_the_code() -> None:
    behind = update(check=True)
    assert not behind, "run python -m languages.extract:\n" + "\n".join(behind)


def test_a_third_language_needs_no_code_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator copies the French folder, translates it: the language is there."""
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    spanish = tmp_path / "locale" / "es" / "LC_MESSAGES"
    shutil.copytree(tmp_path / "locale" / "fr" / "LC_MESSAGES", spanish)
    po = spanish / "ui.po"
    text = po.read_text(encoding="utf-8").replace("Language: fr", "Language: es")
    text = text.replace('msgstr "Carte conjointe"', 'msgstr "Mapa conjunto"')
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(languages, "LOCALE_DIR", tmp_path / "locale")
    languages.catalogue.cache_clear()
    try:
        assert languages.available() == ("en", "es", "fr")
        assert languages.language_name("es") == "Español"
        with languages.use("es"):
            assert languages._("Joint map") == "Mapa conjunto"
        with languages.use("fr"):
            assert languages._("Joint map") == "Carte conjointe"
    finally:
        languages.catalogue.cache_clear()


def test_numbers_and_dates_are_written_as_each_language_writes_them() -> None:
    import datetime as dt

    with languages.use("fr"):
        assert languages.format_number(1234.5).replace("\u202f", " ") == "1 234,5"
        assert languages.format_date(dt.date(2025, 10, 3)) == "3 oct. 2025"
    with languages.use("en"):
        assert languages.format_number(1234.5) == "1,234.5"
        assert languages.format_date(dt.date(2025, 10, 3)) == "Oct 3, 2025"


def test_the_language_is_chosen_by_environment_then_by_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POCMAP_LANG", "fr_FR")
    assert languages.current() == "fr"
    assert languages._("Joint map") == "Carte conjointe"
    with languages.use("en"):
        assert languages._("Joint map") == "Joint map"
    monkeypatch.setenv("POCMAP_LANG", "klingon")
    assert languages.current() == "en"


def test_no_string_is_in_two_parts_of_a_catalogue() -> None:
    """One translation per string: two parts translating it differently would make the
    page and the report disagree (the part read last would win)."""
    where: dict[str, list[str]] = {}
    for path in sorted((LOCALE_DIR / "fr" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    where.setdefault(key, []).append(path.name)
    twice = {key: parts for key, parts in where.items() if len(parts) > 1}
    assert not twice, "\n".join(f"{key!r}: {parts}" for key, parts in list(twice.items())[:30])
