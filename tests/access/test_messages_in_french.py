"""Refusals a person reads from access/ (roles, sign-in, the users file), said in French
when French is chosen; English stays the default."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from access.policy import Denied
from access.roles import ROLE_LABELS, ROLES, Caller
from access.sign_in_guard import Decision, describe_wait
from access.sign_ins import WRONG
from access.users import UsersError, UsersFileError, load
from languages import _, use
from tests.languages.english import english_left

PASSWORD = "a password long enough"


def _english(text: str, *data: str) -> set[str]:
    """English-only words of ``text`` once the data and the codes a person types are out."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"\b[a-z]+(?:_[a-z0-9]+)+\b|`[^`]*`|\([^)]*users[^)]*\)", " ", text)
    return english_left(re.sub(r"(?<![\w-])(?:" + "|".join(ROLES) + r")(?![\w-])", " ", text))


def test_a_role_refusal_is_french_and_says_who_may() -> None:
    viewer = Caller("l.lecteur", "viewer")
    office = Caller("k.bureau", "field_office", "Kalondo")
    with use("fr"):
        upload = str(Denied(viewer, "upload", None))
        other = str(Denied(office, "upload", "Oubandi"))
        users = str(Denied(office, "manage_users", None))
    assert upload == (
        "l.lecteur (lecteur) ne peut pas envoyer des données ; seuls les utilisateurs "
        "bureau de terrain ou analyste le peuvent"
    )
    assert other == (
        "k.bureau (bureau de terrain, Kalondo) ne peut pas envoyer des données pour "
        "Oubandi ; les utilisateurs bureau de terrain ne peuvent le faire que pour leur propre "
        "bureau (Kalondo)"
    )
    assert users.endswith("seuls les utilisateurs administrateur le peuvent")
    for text in (upload, other, users):
        assert _english(text, "l.lecteur", "k.bureau", "Kalondo", "Oubandi") == set(), text
    # English as before.
    assert str(Denied(viewer, "upload", None)) == (
        "l.lecteur (viewer) may not upload data; only field_office or analyst users may"
    )
    # The record form of a caller (kept in the users file) does not change with the language.
    with use("fr"):
        assert office.describe() == "k.bureau (field_office, Kalondo)"


def test_sign_in_messages_are_french() -> None:
    with use("fr"):
        assert _(WRONG) == "Nom ou mot de passe incorrect."
        wait = Decision(False, timedelta(minutes=15), "name", 5, True).message()
        assert wait == "Trop de tentatives de connexion : réessayez dans 15 minutes."
        assert describe_wait(timedelta(seconds=1)) == "1 seconde"
        assert describe_wait(timedelta(seconds=12)) == "12 secondes"
        labels = [ROLE_LABELS[role] for role in ROLES]
    assert labels[0] == "lecteur (direction : cartes, analyse, briefings ; pas de récits)"
    for text in (wait, *labels):
        assert _english(text) == set(), text
    assert Decision(False, timedelta(minutes=15), "name", 5, True).message() == (
        "Too many sign-in attempts: try again in 15 minutes."
    )


def test_users_file_refusals_are_french(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    users = load(path)
    users.add("a.admin", "admin", password=PASSWORD, by="test")
    refused = []
    with use("fr"):
        for call in (
            lambda: users.add("b", "boss", password=PASSWORD, by="test"),
            lambda: users.add("b", "field_office", password=PASSWORD, by="test"),
            lambda: users.add("b", "viewer", password="court", by="test"),
            lambda: users.add("A.Admin", "viewer", password=PASSWORD, by="test"),
            lambda: users.add("é t é", "viewer", password=PASSWORD, by="test"),
            lambda: users.remove("personne", by="test"),
            lambda: users.add("c", "viewer", password=PASSWORD, by=" "),
        ):
            with pytest.raises(UsersError) as caught:
                call()
            refused.append(str(caught.value))
        broken = tmp_path / "broken.json"
        broken.write_text('{"version": 1, "users": [{"name": "x"}]}', encoding="utf-8")
        with pytest.raises(UsersFileError) as unreadable:
            load(broken)
        refused.append(str(unreadable.value))
    assert refused[0] == f"le rôle 'boss' de l'utilisateur 'b' dans {path} n'est pas l'un de " \
        "viewer, field_office, analyst, admin"  # fmt: skip
    assert refused[2].endswith("a 5 caractères ; il faut au moins 12 caractères (ou faites-en "
                               "un utilisateur OIDC)")  # fmt: skip
    assert refused[3].startswith(f"l'utilisateur 'a.admin' est déjà dans {path} ; supprimez-le")
    assert "doit comporter de 1 à 64 lettres ASCII, chiffres et . - _ @" in refused[4]
    assert refused[7].startswith(f"entrée 1 ('x') du fichier des utilisateurs {broken} : ")
    data = [str(path), str(broken), "boss", "a.admin", "personne", "é t é", "'b'", "'x'"]
    for text in refused:
        assert _english(text, *data) == set(), text
