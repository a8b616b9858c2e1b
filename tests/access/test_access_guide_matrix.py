"""The role table of docs/access.md (linked from the README) is the matrix the data layer
enforces."""

from pathlib import Path

from access.policy import markdown_table

ACCESS_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def test_the_access_guide_prints_the_enforced_matrix():
    assert markdown_table() in ACCESS_GUIDE.read_text()
