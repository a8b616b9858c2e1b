"""The README's role table is the matrix the data layer enforces."""

from pathlib import Path

from access.policy import markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_prints_the_enforced_matrix():
    assert markdown_table() in README.read_text()
