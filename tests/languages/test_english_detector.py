"""The detector of English left in French text: it finds English words, and not the
letters of a hash or an id shown beside them."""

from __future__ import annotations

import secrets

from tests.languages.english import english_left


def test_english_words_are_found_beside_numbers() -> None:
    assert {"withdrawn", "gaps"} <= english_left("12 withdrawn, 3 gaps")


def test_the_letters_of_a_hash_are_not_english() -> None:
    # The audit head seen in CI: its hex held "be" and "dd".
    head = "4:dd9a367b077d441be11ff469f3344858ed0c7e81f3ca30c8867dc96a5f1c752e"
    assert english_left(f"Journal d'audit intact. Tête `{head}` : notez-la.") == set()
    for _ in range(200):  # any head, not only that one
        assert english_left(f"Tête `{_ + 1}:{secrets.token_hex(32)}`") == set()


def test_ids_and_p_codes_are_not_english() -> None:
    assert english_left("Incident inc-0042-the, préfecture CF41, lot b7f3-add") == set()
