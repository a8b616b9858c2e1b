"""``pocmap agreement``: how alike two analysts coded a double-coding sample.

``pocmap agreement`` prints Cohen's kappa of the newest sample, overall and per motivation,
with the observed agreement, the 95% interval where there are enough pairs, and Landis &
Koch's words (``docs/double-coding.md``); ``pocmap agreement 3`` the sample numbered 3;
``--json`` writes the numbers for machines (codes, not labels; ``null`` where undefined).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from cli.session import DEFAULT_NAME, cli_session
from languages import _, format_number, format_percent

OK, REFUSED = 0, 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``agreement`` on the ``pocmap`` parser."""
    agreement = commands.add_parser(
        "agreement",
        help=_("agreement between coders (Cohen's kappa) of a double-coding sample"),
    )
    agreement.add_argument(
        "sample",
        nargs="?",
        type=int,
        metavar=_("SAMPLE"),
        help=_("the sample's number (default: the newest)"),
    )
    agreement.add_argument("--json", action="store_true", help=_("print it as JSON"))
    agreement.add_argument(
        "--by", default=DEFAULT_NAME, metavar=_("NAME"), help=_("who asks, for the record")
    )
    agreement.set_defaults(run=run_agreement)


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def _as_json(row: Any) -> dict[str, Any]:
    return {
        "motivation": row.code,
        "pairs": row.pairs,
        "observed": _number(row.observed),
        "expected": _number(row.expected),
        "kappa": _number(row.kappa),
        "se": _number(row.se),
        "low": _number(row.low),
        "high": _number(row.high),
        "level": row.level,
        "first_uses": row.first_uses,
        "second_uses": row.second_uses,
    }


def run_agreement(args: argparse.Namespace) -> int:
    from access.policy import Denied
    from schema.incidents import MOTIVATION_LABELS

    session = cli_session(args.by)
    try:
        samples = session.coding_samples()
    except Denied as err:
        print(_("pocmap agreement: {error}", error=err), file=sys.stderr)
        return REFUSED
    if samples.empty:
        print(
            _("pocmap agreement: no double-coding sample yet; draw one on the Double coding page"),
            file=sys.stderr,
        )
        return REFUSED
    number = int(samples["sample_id"].max()) if args.sample is None else args.sample
    if number not in set(samples["sample_id"]):
        print(
            _(
                "pocmap agreement: there is no sample {sample}; the samples are {numbers}",
                sample=number,
                numbers=", ".join(str(n) for n in samples["sample_id"]),
            ),
            file=sys.stderr,
        )
        return REFUSED
    sample: dict[Any, Any] = samples.set_index("sample_id").loc[number].to_dict()
    rows = session.coding_agreement(number)
    if args.json:
        said = {
            "sample": number,
            "name": sample["name"],
            "items": int(sample["items"]),
            "pairs": int(sample["pairs"]),
            "rows": [_as_json(r) for r in rows],
        }
        json.dump(said, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return OK
    print(
        _(
            "sample {sample} ({name}): {pairs} of {items} incidents coded by two analysts",
            sample=number,
            name=sample["name"],
            pairs=int(sample["pairs"]),
            items=int(sample["items"]),
        )
    )
    if not rows:
        print(_("  no agreement yet: it needs incidents coded by two analysts"))
        return OK
    labels = [_("all motivations") if r.code is None else MOTIVATION_LABELS[r.code] for r in rows]
    width = max(len(label) for label in labels)
    for label, row in zip(labels, rows, strict=True):
        kappa = "—" if math.isnan(row.kappa) else format_number(row.kappa, digits=2)
        interval = (
            ""
            if row.low is None or row.high is None
            else " "
            + _(
                "(95%: {low} to {high})",
                low=format_number(row.low, digits=2),
                high=format_number(row.high, digits=2),
            )
        )
        print(
            "  "
            + label.ljust(width)
            + "  "
            + _(
                "kappa {kappa}{interval}, observed {observed}: {words}",
                kappa=kappa,
                interval=interval,
                observed=format_percent(row.observed),
                words=row.words,
            )
        )
    return OK
