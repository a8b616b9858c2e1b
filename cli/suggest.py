"""``pocmap suggest``: a suggested motivation for each incident not yet assessed, as CSV.

It reads narratives, so it runs for those who may read every one (analysts); a
suggestion is never a code: the command writes a file and changes nothing in the store.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.analysis import _crossed, add_filters, selection_of
from cli.session import DEFAULT_NAME, cli_session
from languages import _, format_number, ngettext

if TYPE_CHECKING:
    import pandas as pd

    from access.session import Session

OK, REFUSED, USAGE = 0, 1, 2
COLUMNS = ("incident_id", "motivation", "confidence", "reason")
"""The file's columns, in this order (``docs/suggestions.md``)."""


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``suggest`` on the ``pocmap`` parser."""
    command = commands.add_parser(
        "suggest",
        help=_("suggested motivations for the incidents not yet assessed, written as CSV"),
        description=_(
            "For each selected incident not yet assessed: a suggested motivation, its "
            "confidence and the reason in words, from the motivation rules "
            "(POCMAP_MOTIVATION_RULES, then pocmap's defaults) and, once the mission has coded "
            "enough incidents, a model of its codes (docs/suggestions.md). A suggestion is "
            "never a code: nothing in the store changes."
        ),
    )
    add_filters(command)
    command.add_argument(
        "--out",
        required=True,
        metavar=_("FILE"),
        help=_("the CSV file to write: incident_id, motivation, confidence, reason"),
    )
    command.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    command.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help=_("the model's seed (same seed, same result)"),
    )
    command.add_argument(
        "--by", default=DEFAULT_NAME, metavar=_("NAME"), help=_("who asks, for the record")
    )
    command.set_defaults(run=run_suggest)


def _incidents(args: argparse.Namespace, session: Session | None) -> pd.DataFrame | int:
    """Every incident the caller may read in full, or the exit code and a message."""
    from access.policy import Denied

    if args.data:
        from schema.mission import load_folder

        return load_folder(Path(args.data).resolve(), Path(args.data).name).incidents
    session = session or cli_session(args.by)
    try:
        session.require("view_restricted", target="incidents")
    except Denied as err:
        print(
            _("pocmap suggest reads every incident's narrative: {error}", error=err),
            file=sys.stderr,
        )
        return REFUSED
    if session.is_empty():
        print(
            _(
                "pocmap: the store {location} is empty; import data with `pocmap import` "
                "or load the sample with `pocmap load-sample`",
                location=session.location,
            ),
            file=sys.stderr,
        )
        return REFUSED
    return session.layer("incidents")


def _written(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def run_suggest(args: argparse.Namespace, session: Session | None = None) -> int:
    """Write the suggestions of the selected incidents; ``session``: who asks (default:
    the command line's analyst, ``--by``)."""
    if args.start and args.end and args.end < args.start:
        print(_crossed("suggest", args), file=sys.stderr)
        return USAGE
    from analysis.filters import filter_incidents
    from coding import model, rules
    from coding.suggest import not_assessed, suggest

    try:
        ruleset = rules.current()
    except rules.RulesError as err:
        print(_("pocmap suggest: {error}", error=err), file=sys.stderr)
        return REFUSED
    incidents = _incidents(args, session)
    if isinstance(incidents, int):
        return incidents
    chosen = filter_incidents(incidents, selection_of(args))
    # The model learns from every coded incident, not only the selected ones.
    coded = incidents[~not_assessed(incidents)]
    found = suggest(chosen, rules=ruleset, coded=coded, seed=args.seed)
    out = Path(args.out)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in found[list(COLUMNS)].itertuples(index=False, name=None):
            writer.writerow([_written(v) for v in row])
    trained = model.train(coded, seed=args.seed)
    summary = _summary(found, trained, out)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return OK
    _print(summary)
    return OK


def _summary(found: pd.DataFrame, trained: Any, out: Path) -> dict[str, Any]:
    made = found[found["motivation"].notna()]
    evaluation = trained.evaluation
    return {
        "not_assessed": len(found),
        "suggested": len(made),
        "by_rules": int((made["by"] == "rule").sum()),
        "by_model": int((made["by"] == "model").sum()),
        "motivations": {str(k): int(v) for k, v in made["motivation"].value_counts().items()},
        "model": {
            "trained": trained.model is not None,
            "why": trained.why,
            "evaluation": evaluation.to_dict("records") if len(evaluation) else [],
        },
        "file": str(out),
    }


def _print(summary: dict[str, Any]) -> None:
    from schema.incidents import MOTIVATION_LABELS

    print(
        _(
            "{incidents}; {suggested} ({rules} by the rules, {model} by the model); wrote {file}",
            incidents=ngettext(
                "{n} incident not yet assessed", "{n} incidents not yet assessed",
                summary["not_assessed"],
            ),
            suggested=ngettext(
                "{n} with a suggestion", "{n} with a suggestion", summary["suggested"],
            ),
            rules=format_number(summary["by_rules"]),
            model=format_number(summary["by_model"]),
            file=summary["file"],
        )
    )  # fmt: skip
    for code, n in summary["motivations"].items():
        print(f"  {MOTIVATION_LABELS[code]}: {format_number(n)}")
    print(summary["model"]["why"])
    for row in summary["model"]["evaluation"]:
        print(
            "  "
            + _(
                "{motivation}: precision {precision}, recall {recall} on {support} held-out",
                motivation=MOTIVATION_LABELS[row["motivation"]],
                precision=format_number(row["precision"], 2),
                recall=format_number(row["recall"], 2),
                support=format_number(row["support"]),
            )
        )
