"""``pocmap --lang fr`` (or ``POCMAP_LANG=fr``): every help text, message, summary and error
of the command line is French; English stays the default.

Each command runs as a person runs it (``cli.main``), and what it prints is searched for
English-only words (:func:`tests.languages.english.english_left`). Left out of the search
are what a person types or reads as written: option names, codes offered as choices,
commands in backticks, file names, paths, ids and the data itself.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from access.roles import ROLES
from cli import main, parser
from cli.choices import (
    CONFIDENCES,
    INCIDENT_TYPES,
    LAYERS,
    MOTIVATION_ORIGINS,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
    VICTIM_GROUPS,
)
from languages import format_number, use
from store import open_store
from tests.ingest import uploads
from tests.languages.english import english_left

SAMPLE = str(Path(__file__).resolve().parents[2] / "sample_data")

# What a person types: options, choices, commands quoted in backticks, environment
# variables, file names and paths, URLs.
TYPED = [
    r"`[^`]*`",
    r"--?[A-Za-z][\w-]*",
    r"\{[^}\s]*\}",
    r"\bPOCMAP_\w+",
    r"\$\w+",
    r"https?://\S+|postgresql://\S+",
    r"[\w./-]+\.(?:md|png|pdf|gpkg|json|csv|xlsx|geojson|py)\b",
    r"\b[a-z]+(?:_[a-z0-9]+)+\b",  # snake_case codes: state_forces, field_office
    r"\b[0-9a-f]{8,}\b",  # hashes
]
CODES = {
    *MOTIVATIONS,
    *CONFIDENCES,
    *MOTIVATION_ORIGINS,
    *PERPETRATOR_TYPES,
    *INCIDENT_TYPES,
    *VICTIM_GROUPS,
    *ROLES,
    *LAYERS,
}
"""Codes a person types (``--role viewer``, ``--layer basemap``): the same in every language."""


def english_in(text: str, ignoring: Iterable[str] = ()) -> set[str]:
    """English-only words of ``text`` once the typed parts and ``ignoring`` are out."""
    for value in sorted({v for v in ignoring if v}, key=len, reverse=True):
        text = text.replace(value, " ")
    for pattern in [*TYPED, _command_names(), _words(CODES)]:
        text = re.sub(pattern, " ", text)
    return english_left(text)


def _words(words: Iterable[str]) -> str:
    """A pattern matching each of ``words`` as a whole word (``analyst``, not in
    ``analyste``)."""
    return (
        r"(?<![\w-])(?:"
        + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
        + r")(?![\w-])"
    )


def _run(capsys, *argv: str) -> tuple[int, str]:
    """Exit code and everything ``pocmap *argv`` printed (stdout and stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exit:
        code = int(exit.code or 0)
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def _command_names() -> str:
    """A pattern matching the commands' names (``accept``, ``set-password``): typed."""
    return _words({word for words in _commands() for word in words})


def _commands() -> list[list[str]]:
    """Every command and subcommand of the parser, as the words that name it."""
    found: list[list[str]] = []

    def walk(command: argparse.ArgumentParser, words: list[str]) -> None:
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append([*words, name])
                    walk(sub, [*words, name])

    walk(parser(), [])
    return found


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """An empty store of its own (``POCMAP_DB``) and a users file of its own."""
    monkeypatch.setenv("POCMAP_DB", str(tmp_path / "pocmap.gpkg"))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    return tmp_path / "pocmap.gpkg"


# --- help ---------------------------------------------------------------------------------


def test_the_top_help_is_french_and_english_stays_the_default(capsys, monkeypatch) -> None:
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    code, english = _run(capsys, "--help")
    assert code == 0
    assert english.startswith("usage: pocmap") and "show this help message and exit" in english
    code, french = _run(capsys, "--lang", "fr", "--help")
    assert code == 0
    assert french.startswith("utilisation : pocmap")
    assert "afficher cette aide et quitter" in french and "arguments positionnels :" in french
    assert english_in(french) == set()
    # The same from the deployment's default, with no --lang.
    monkeypatch.setenv("POCMAP_LANG", "fr")
    assert _run(capsys, "--help")[1] == french
    # --lang wins over POCMAP_LANG.
    assert _run(capsys, "--lang", "en", "--help")[1] == english


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_command_help_is_french(capsys, words) -> None:
    code, french = _run(capsys, "--lang", "fr", *words, "--help")
    assert code == 0
    assert french.startswith("utilisation : pocmap")
    assert english_in(french) == set(), french


# --- --lang -------------------------------------------------------------------------------


def test_an_unknown_language_is_refused_listing_the_languages(capsys, monkeypatch) -> None:
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    code, said = _run(capsys, "--lang", "klingon", "batches")
    assert code == 2
    assert "'klingon'" in said and "en (English), fr (Français)" in said
    assert "does not speak" in said
    monkeypatch.setenv("POCMAP_LANG", "fr")
    code, said = _run(capsys, "--lang", "klingon", "batches")
    assert code == 2 and "ne parle pas cette langue" in said
    assert english_in(said, ignoring=["klingon", "English"]) == set()
    code, said = _run(capsys, "batches", "--lang")
    assert code == 2 and "--lang demande une langue" in said


def test_the_language_is_named_as_a_person_would(capsys, store) -> None:
    # `FR`, `fr_FR` or `français` all choose French; the option may follow the command.
    for value in ("FR", "fr_FR", "français"):
        code, said = _run(capsys, "batches", "--lang", value)
        assert code == 0 and "la base est vide" in said
    # main() leaves the caller's language as it was.
    with use(None):
        assert _run(capsys, "batches")[1].startswith("the store is empty")


def test_argument_errors_are_french(capsys) -> None:
    code, said = _run(capsys, "--lang", "fr", "import", "--layer", "nowhere")
    assert code == 2
    assert "pocmap import : erreur : argument --layer : choix invalide : 'nowhere'" in said
    assert english_in(said, ignoring=["nowhere"]) == set()
    code, said = _run(capsys, "--lang", "fr", "analyse", "--motivation", "greed")
    assert code == 2 and "greed n'est pas l'un de predation" in said
    code, said = _run(capsys, "--lang", "fr", "analyse", "--from", "3 octobre")
    assert code == 2 and "n'est pas une date écrite AAAA-MM-JJ" in said
    code, said = _run(capsys, "--lang", "fr", "withdraw")
    assert "les arguments suivants sont obligatoires : LOT, --reason" in said
    code, said = _run(capsys, "--lang", "fr", "frobnicate")
    assert code == 2 and "choix invalide : 'frobnicate'" in said
    for said in (
        _run(capsys, "--lang", "fr", "analyse", "--motivation", "greed")[1],
        _run(capsys, "--lang", "fr", "withdraw")[1],
        _run(capsys, "--lang", "fr", "frobnicate")[1],
    ):
        assert english_in(said, ignoring=["greed", "frobnicate"]) == set(), said


# --- the store: import, batches, review ---------------------------------------------------


@pytest.fixture(scope="session")
def boundaries_file(tmp_path_factory) -> Path:
    return uploads.store_with_boundaries(tmp_path_factory.mktemp("cli-fr") / "pocmap.gpkg")


@pytest.fixture
def db(boundaries_file: Path, tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(boundaries_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.delenv("POCMAP_LANG", raising=False)
    return path


def _report_texts(capsys, argv: list[str]) -> list[str]:
    """What ingest wrote in the report and the accounting (the import's own messages,
    translated by ingest, not by the command line), and the values it quotes."""
    _code, printed = _run(capsys, *argv, "--dry-run", "--json")
    accounting = json.loads(printed)
    texts = [str(accounting["profile_reason"]), *map(str, accounting["notes"])]
    for line in accounting["report"]:
        texts += [str(line[k]) for k in ("problem", "expected", "value", "column") if line[k]]
    return texts


def test_import_speaks_french_and_english_is_unchanged(db, tmp_path, capsys) -> None:
    fixture = uploads.native_incidents_cp1252()
    path = tmp_path / fixture.name
    path.write_bytes(fixture.data)
    argv = ["import", str(path), "--layer", "incidents", "--office", "Ndoubi"]
    with use("fr"):
        from_ingest = _report_texts(capsys, argv)
    code, french = _run(capsys, "--lang", "fr", *argv)
    assert code == 0
    assert "lignes lues 5 : acceptées 4" in french and "refusées 1" in french
    assert "ligne 6, colonne latitude/longitude : « " in french and "(refusé)" in french
    batch = re.search(r"enregistré comme lot (\d+)", french)
    assert batch, french
    n = batch.group(1)
    # ingest's notes and its reason for the profile, printed as ingest wrote them
    notes = re.findall(r"^  remarque : (.*)$|^    \((.*)\)$", french, re.MULTILINE)
    from_ingest += [text for pair in notes for text in pair if text]
    data = [fixture.name, "Ndoubi", "native", *from_ingest]
    assert english_in(french, ignoring=data) == set(), french
    # The same file again: refused (ingest's words after the command's).
    code, again = _run(capsys, "--lang", "fr", *argv)
    assert code == 1 and again.splitlines()[-1].startswith("non importé : ")
    # Batches, withdraw, restore, accept: French, numbers as French writes them.
    code, listed = _run(capsys, "--lang", "fr", "batches")
    assert code == 0 and "5 lues, 4 acceptées, 0 hors champ, 1 refusées" in listed
    assert english_in(listed, ignoring=data) == set(), listed
    code, said = _run(capsys, "--lang", "fr", "withdraw", n, "--reason", "doublon", "--by", "a")
    assert (code, said.strip()) == (0, f"le lot {n} est désormais retiré")
    code, said = _run(capsys, "--lang", "fr", "withdraw", n, "--reason", "encore", "--by", "a")
    assert code == 1 and f"le lot {n} a déjà été retiré par a le" in said
    assert english_in(said, ignoring=["doublon"]) == set(), said
    code, said = _run(capsys, "--lang", "fr", "accept", n)
    assert code == 1 and "rétablissez-le avant de l'accepter" in said
    # Imported again once withdrawn; the old batch then cannot come back (the store says so).
    code, said = _run(capsys, "--lang", "fr", *argv)
    assert code == 0
    m = re.search(r"enregistré comme lot (\d+)", said).group(1)  # type: ignore[union-attr]
    code, said = _run(capsys, "--lang", "fr", "restore", n, "--by", "a")
    assert code == 1
    assert (
        f"le lot {n} ne peut pas être rétabli : le même fichier a été importé de nouveau "
        f"comme lot {m} (incidents, fichier {fixture.name}) de Ndoubi le " in said
    )
    assert f"retirez d'abord le lot {m} pour rétablir le lot {n}" in said
    assert english_in(said, ignoring=data) == set(), said
    code, said = _run(capsys, "--lang", "fr", "withdraw", m, "--reason", "doublon", "--by", "a")
    code, said = _run(capsys, "--lang", "fr", "restore", n, "--by", "a")
    assert (code, said.strip()) == (0, f"le lot {n} est désormais accepté")
    code, said = _run(capsys, "--lang", "fr", "restore", "99")
    assert code == 1 and "il n'y a pas de lot 99 dans la base" in said
    # English, unchanged.
    code, english = _run(capsys, "batches")
    assert "5 read, 4 accepted, 0 out of scope, 1 rejected" in english


def test_recode_history_and_audit_in_french(db, tmp_path, capsys) -> None:
    fixture = uploads.native_incidents_cp1252()
    path = tmp_path / fixture.name
    path.write_bytes(fixture.data)
    assert main(["import", str(path), "--layer", "incidents", "--office", "Ndoubi"]) == 0
    capsys.readouterr()
    by = ["--by", "a.analyste"]
    code, said = _run(capsys, "--lang", "fr", "recode", "NDB-1", "--motivation", "predation",
                      "--reason", "témoins", *by)  # fmt: skip
    assert code == 0 and "NDB-1 recodé ; `pocmap history NDB-1` montre son historique" in said
    code, said = _run(capsys, "--lang", "fr", "recode", "NDB-77", "--confidence", "possible",
                      "--reason", "x", *by)  # fmt: skip
    assert code == 1 and "NDB-77" in said
    assert english_in(said, ignoring=["NDB-77"]) == set(), said
    code, said = _run(capsys, "--lang", "fr", "history", "NDB-1")
    assert code == 0 and "par a.analyste (témoins)" in said
    code, said = _run(capsys, "--lang", "fr", "history", "NDB-3")
    assert said.strip() == "jamais recodé"
    code, said = _run(capsys, "--lang", "fr", "audit", "--verify")
    assert code == 0 and said.startswith("journal d'audit intact : ")
    assert english_in(said) == set(), said
    code, said = _run(capsys, "--lang", "fr", "audit", "--anchor", "x.txt")
    assert code == 1 and said.strip() == "pocmap audit : --anchor va avec --verify"


# --- analysis, links, places, actors ------------------------------------------------------


def test_analyse_and_hotspots_summaries_are_french(capsys, tmp_path) -> None:
    code, said = _run(capsys, "--lang", "fr", "analyse", "--data", SAMPLE, "--step", "Y")
    assert code == 0
    with use("fr"):
        many = format_number(4943)
    assert many == "4\u202f943"  # a narrow no-break space groups the thousands in French
    assert said.startswith(f"{many} incidents, du 2023-01-01 au 2025-12-31")
    assert "## lacunes de protection (9 lignes)" in said
    headings = [line for line in said.splitlines() if line.startswith("## ")]
    assert len(headings) == 12 and english_in("\n".join(headings)) == set(), headings
    out = tmp_path / "spots.geojson"
    code, said = _run(capsys, "--lang", "fr", "hotspots", "--data", SAMPLE, "--out", str(out))
    assert code == 0 and out.is_file()
    first = said.splitlines()[0]
    assert first.startswith(f"{many} incidents ; ") and " chaudes dans " in first
    assert english_in(first, ignoring=[str(out)]) == set(), first
    code, said = _run(capsys, "--lang", "fr", "analyse", "--data", SAMPLE,
                      "--from", "2025-01-01", "--to", "2024-01-01")  # fmt: skip
    assert code == 2
    assert said.strip() == "pocmap analyse : --to 2024-01-01 est avant --from 2025-01-01"


def test_an_empty_store_says_so_in_french(capsys, store) -> None:
    code, said = _run(capsys, "--lang", "fr", "hotspots", "--out", str(store.parent / "x.json"))
    assert code == 1 and "la base" in said and "est vide" in said
    assert english_in(said, ignoring=[str(store)]) == set(), said
    for argv in (["links"], ["places"], ["history"]):
        code, said = _run(capsys, "--lang", "fr", *argv)
        assert code == 0
        assert english_in(said) == set(), (argv, said)
    code, said = _run(capsys, "--lang", "fr", "links", "confirm")
    assert code == 1 and "donnez le numéro du lien et --reason" in said
    code, said = _run(capsys, "--lang", "fr", "links", "confirm", "4", "--reason", "mêmes")
    assert code == 1 and "il n'y a pas de lien 4" in said
    code, said = _run(capsys, "--lang", "fr", "places", "--refresh")
    assert "aucun incident n'est enregistré ; rien à placer" in said
    code, said = _run(capsys, "--lang", "fr", "actors", "--dry-run", "--list")
    assert code == 1 and said.strip() == "pocmap actors : --dry-run va avec --apply"


def test_the_actor_dictionary_is_listed_in_french(capsys, store) -> None:
    code, said = _run(capsys, "--lang", "fr", "actors", "--list")
    assert code == 0
    first = said.splitlines()[0]
    assert first.endswith("règles, essayées dans cet ordre (la première qui correspond décide) :")
    assert english_in(first) == set()
    code, said = _run(capsys, "--lang", "fr", "actors", "--apply", "--dry-run")
    assert code == 0 and "0 incident enregistré sur 0 changerait" in said


# --- users --------------------------------------------------------------------------------


def test_users_are_managed_in_french(capsys, store, monkeypatch) -> None:
    users = store.parent / "users.json"
    monkeypatch.setattr("sys.stdin", _Lines("un mot de passe assez long\n"))
    code, said = _run(capsys, "--lang", "fr", "users", "add", "a.admin", "--role", "admin",
                      "--password-stdin", "--by", "installateur")  # fmt: skip
    assert code == 0
    assert said.strip() == f"a.admin (administrateur ; connexion par mot de passe) ajouté à {users}"
    oidc = ["kim@mission.org", "--role", "field_office", "--office", "Kalondo", "--oidc"]
    code, said = _run(capsys, "--lang", "fr", "users", "add", *oidc, "--by", "installateur")
    assert "kim@mission.org (bureau de terrain, Kalondo ; connexion par OIDC)" in said
    code, listed = _run(capsys, "--lang", "fr", "users", "list")
    assert listed.splitlines()[0].split() == ["nom", "rôle", "bureau", "connexion", "ajouté", "le",
                                              "ajouté", "par"]  # fmt: skip
    data = ["a.admin", "kim@mission.org", "Kalondo", "installateur", str(users)]
    assert english_in(re.sub(r"\d[\d:T+-]*", " ", listed), ignoring=data) == set(), listed
    # Refusals name the file, the value and what would be accepted, in French.
    monkeypatch.setattr("sys.stdin", _Lines("court\n"))
    code, said = _run(capsys, "--lang", "fr", "users", "add", "b", "--role", "boss",
                      "--password-stdin")  # fmt: skip
    assert code == 2 and "le rôle 'boss' de l'utilisateur 'b' dans" in said
    assert "n'est pas l'un de viewer, field_office, analyst, admin" in said
    monkeypatch.setattr("sys.stdin", _Lines("court\n"))
    code, said = _run(capsys, "--lang", "fr", "users", "add", "b", "--role", "viewer",
                      "--password-stdin")  # fmt: skip
    assert code == 2 and "a 5 caractères ; il faut au moins 12 caractères" in said
    code, said = _run(capsys, "--lang", "fr", "users", "remove", "personne")
    assert code == 2 and "il n'y a pas d'utilisateur 'personne' dans" in said
    code, said = _run(capsys, "--lang", "fr", "users", "remove", "a.admin", "--by", "x")
    assert said.strip() == (
        f"a.admin (administrateur) supprimé de {users} ; il ne peut plus se connecter"
    )
    code, said = _run(capsys, "--lang", "fr", "users", "locked")
    assert said.strip() == "aucun nom ni aucune adresse n'est bloqué à la connexion"
    code, said = _run(capsys, "--lang", "fr", "users", "unlock")
    assert code == 2 and "donnez un NOM ou --address ADRESSE" in said
    code, said = _run(capsys, "--lang", "fr", "users", "unlock", "quelqu.un")
    assert said.strip() == (
        "le nom quelqu.un n'est pas bloqué (noms bloqués : néant) ; rien n'a été fait"
    )
    code, said = _run(capsys, "--lang", "fr", "users", "unlock", "é!")
    assert code == 2 and "n'est pas un nom : un nom comporte de 1 à 64 lettres ASCII" in said
    for text in (said,):
        assert english_in(text, ignoring=["é!"]) == set(), text


class _Lines:
    """A stdin holding ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text

    def read(self) -> str:
        return self.text


def test_the_store_refuses_in_french(capsys, store) -> None:
    # A file that is not a store, and a migration with nothing to copy.
    bad = store.parent / "not-a-store.gpkg"
    bad.write_text("bonjour")
    code, said = _run(capsys, "--lang", "fr", "migrate", "--from", str(bad), "--to",
                      str(store.parent / "new.gpkg"))  # fmt: skip
    assert code == 2 and "n'est pas une base pocmap (un fichier GeoPackage)" in said
    code, said = _run(capsys, "--lang", "fr", "migrate", "--from", str(store.parent / "none.gpkg"),
                      "--to", str(store.parent / "new.gpkg"))  # fmt: skip
    assert code == 2 and "il n'y a pas de base à" in said
    open_store(store)
    code, said = _run(capsys, "--lang", "fr", "migrate", "--from", str(store), "--to",
                      str(store.parent / "new.gpkg"))  # fmt: skip
    assert code == 2 and said.strip().endswith("est vide : il n'y a rien à migrer")
    code, said = _run(capsys, "--lang", "fr", "migrate-schema", "--app-role", "pocmap_app")
    assert code == 2 and "est un fichier GeoPackage : il n'a pas de rôles" in said
    code, said = _run(capsys, "--lang", "fr", "migrate-schema")
    assert code == 0 and "est à la version de schéma" in said
    for text in (said,):
        assert english_in(text, ignoring=[str(store)]) == set(), text
