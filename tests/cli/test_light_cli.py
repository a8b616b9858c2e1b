"""``pocmap --help``, a command's ``--help`` and an argument error load no heavy library.

Each case runs in a fresh interpreter (this test process has long imported everything),
the way a person runs the command, and reports which heavy modules it loaded. A
subcommand imports the packages it needs when it runs; building the parser needs only
:mod:`cli.choices`, whose copies of the vocabulary are checked here against the real one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "geopandas",
    "folium",
    "branca",
    "streamlit",
    "matplotlib",
    "pyarrow",
    "pandas",
    "shapely",
    "pandera",
    "scipy",
)
"""Each takes from a tenth of a second to seconds to import; the issue names the first."""
RUN_ONLY = ("ingest", "store", "analysis", "briefing", "layers", "ui")
"""pocmap's own packages a command imports only when it runs: importing ``ingest.readers``
sweeps stale temporary folders, and the others load the heavy libraries."""

CHILD = """
import json, sys
import cli
try:
    code = cli.main(json.loads(sys.argv[1]))
except SystemExit as exit:
    code = exit.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[2])))
print("\\nLOADED " + json.dumps({"code": code, "heavy": heavy}))
"""


def _env() -> dict[str, str]:
    # This worktree's code, not whichever copy the environment's editable install names.
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _run(argv: list[str]) -> tuple[int, list[str], str]:
    """Exit code, heavy (and run-only) modules loaded, and the output of ``pocmap *argv``
    in a new process."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(argv), json.dumps(HEAVY + RUN_ONLY)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
        check=False,
    )
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert last.startswith("LOADED "), f"no report from the child:\n{result.stderr}"
    report = json.loads(last.removeprefix("LOADED "))
    return report["code"], report["heavy"], result.stdout + result.stderr


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        (["--help"], 0, "hotspots"),
        (["hotspots", "--help"], 0, "predation, extraction"),
        (["import", "--help"], 0, "{incidents,national_milestones"),
        (["briefing", "--help"], 0, "shareable"),
        (["users", "add", "--help"], 0, "--password-stdin"),
        (["migrate", "--help"], 0, "--to LOCATION"),
        (["actors", "--help"], 0, "--dry-run"),
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
        (["hotspots", "--out", "x.geojson", "--motivation", "greed"], 2, "greed is not one of"),
        (["export", "--out", "x.csv", "--format", "pdf"], 2, "invalid choice: 'pdf'"),
        (["import", "incidents.csv", "--office", "Bria"], 2, "--layer"),
        (["recode", "INC-1", "--confidence", "sure", "--reason", "r"], 2, "'sure'"),
    ],
)
def test_help_and_argument_errors_load_no_heavy_library(argv, code, says) -> None:
    exit_code, heavy, output = _run(argv)
    assert exit_code == code, output
    assert says in output
    assert heavy == [], f"pocmap {' '.join(argv)} loaded {', '.join(heavy)}"


def test_python_m_cli_help_imports_none_of_them() -> None:
    """The issue's own check: ``python -X importtime -m cli --help``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cli", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "usage: pocmap" in result.stdout
    imported = set(re.findall(r"\|\s+([\w.]+)\s*$", result.stderr, flags=re.MULTILINE))
    assert "cli" in imported  # the report is there at all
    found = sorted(name for name in imported if name.split(".")[0] in HEAVY)
    assert found == []


def test_a_command_that_runs_imports_what_it_needs(tmp_path) -> None:
    """The positive control: the same child does load geopandas once a command runs."""
    folder = ROOT / "sample_data"
    out = tmp_path / "spots.geojson"
    exit_code, heavy, output = _run(["hotspots", "--data", str(folder), "--out", str(out)])
    assert exit_code == 0, output
    assert {"geopandas", "analysis"} <= set(heavy) and out.is_file()


def test_the_parser_choices_are_the_vocabulary() -> None:
    """cli.choices copies what the parser offers; each copy equals what it copies."""
    from analysis.cells import SHAPES
    from analysis.emerging import STEPS
    from analysis.hotspots import DEFAULT_PERMUTATIONS, DEFAULT_SEED, INFERENCES
    from briefing.disclosure import DEFAULT_LEVEL, LEVELS, MIN_PRECISION_KM
    from briefing.exports import FORMATS
    from briefing.render import DEFAULT_TITLE
    from briefing.render import FORMATS as BRIEFING_FORMATS
    from cli import choices
    from ingest.profiles import PROFILES
    from ingest.values import DATE_ORDERS
    from schema.catalogue import LAYER_SPECS
    from schema.incidents import (
        CONFIDENCES,
        INCIDENT_TYPES,
        MOTIVATION_ORIGINS,
        MOTIVATIONS,
        PERPETRATOR_TYPES,
        VICTIM_GROUPS,
    )

    real = {
        "MOTIVATIONS": MOTIVATIONS,
        "CONFIDENCES": CONFIDENCES,
        "MOTIVATION_ORIGINS": MOTIVATION_ORIGINS,
        "PERPETRATOR_TYPES": PERPETRATOR_TYPES,
        "INCIDENT_TYPES": INCIDENT_TYPES,
        "VICTIM_GROUPS": VICTIM_GROUPS,
        "LAYERS": tuple(LAYER_SPECS),
        "PROFILES": tuple(PROFILES),
        "DATE_ORDERS": tuple(DATE_ORDERS),
        "SHAPES": tuple(SHAPES),
        "STEPS": tuple(STEPS),
        "INFERENCES": tuple(INFERENCES),
        "DEFAULT_PERMUTATIONS": DEFAULT_PERMUTATIONS,
        "DEFAULT_SEED": DEFAULT_SEED,
        "LEVELS": tuple(LEVELS),
        "DEFAULT_LEVEL": DEFAULT_LEVEL,
        "MIN_PRECISION_KM": MIN_PRECISION_KM,
        "EXPORT_FORMATS": tuple(FORMATS),
        "BRIEFING_FORMATS": tuple(BRIEFING_FORMATS),
        "DEFAULT_TITLE": DEFAULT_TITLE,
    }
    copied = {name: getattr(choices, name) for name in real}
    stale = {name: (copied[name], value) for name, value in real.items() if copied[name] != value}
    assert not stale, f"update cli/choices.py (copy, real): {stale}"
    listed = {name for name in vars(choices) if name.isupper()}
    assert listed == set(real), "every choice in cli/choices.py is checked here"
