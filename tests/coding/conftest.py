"""Every test in tests/coding starts without a mission rules file, whatever the machine's
settings say."""

from __future__ import annotations

import pytest

from coding.rules import RULES_ENV


@pytest.fixture(autouse=True)
def _no_mission_rules(monkeypatch) -> None:
    monkeypatch.delenv(RULES_ENV, raising=False)
