"""``pocmap recode``, ``pocmap history``, ``pocmap audit``: coding and the record of it."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from access.roles import ADMIN, Caller
from access.session import Session
from analysis.joint import table_csv
from cli.session import DEFAULT_NAME, cli_session
from layers.incidents import CONFIDENCES, MOTIVATIONS
from store import StoreError, open_store

OK, REFUSED = 0, 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``recode``, ``history`` and ``audit`` on the ``pocmap`` parser."""
    recode = commands.add_parser(
        "recode", help="change an incident's motivation or its confidence (kept in its history)"
    )
    recode.add_argument("incident_id")
    recode.add_argument("--motivation", choices=MOTIVATIONS)
    recode.add_argument("--confidence", choices=CONFIDENCES)
    recode.add_argument("--reason", required=True, help="why, for the record")
    recode.add_argument("--by", default=DEFAULT_NAME)
    recode.set_defaults(run=run_recode)

    history = commands.add_parser("history", help="who recoded which incident, when, how")
    history.add_argument("incident_id", nargs="?")
    history.add_argument("--json", action="store_true")
    history.set_defaults(run=run_history)

    audit = commands.add_parser("audit", help="the audit log (append-only)")
    audit.add_argument("--csv", metavar="FILE", help="write it as CSV instead of printing it")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(run=run_audit)


def run_recode(args: argparse.Namespace) -> int:
    try:
        cli_session(args.by).edit_motivation(
            args.incident_id,
            motivation=args.motivation,
            confidence=args.confidence,
            reason=args.reason,
        )
    except (KeyError, ValueError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"pocmap recode: {message}", file=sys.stderr)
        return REFUSED
    print(f"{args.incident_id} recoded; `pocmap history {args.incident_id}` shows its history")
    return OK


def run_history(args: argparse.Namespace) -> int:
    edits = cli_session().edits(args.incident_id)
    if args.json:
        print(edits.to_json(orient="records", force_ascii=False))
        return OK
    if edits.empty:
        print("no incident was recoded" if not args.incident_id else "never recoded")
    for e in edits.itertuples(index=False):
        print(
            f"{e.edited_at}  {e.row_key}  {e.column}: {e.before} -> {e.after}  "
            f"by {e.edited_by} ({e.reason})"
        )
    return OK


def run_audit(args: argparse.Namespace) -> int:
    # The log is for admins; on the server's shell, whoever can open the store is one.
    try:
        session = Session(open_store(), Caller(f"{getpass.getuser()} (command line)", ADMIN))
        log = session.audit_log()
    except StoreError as err:
        print(f"pocmap audit: {err}", file=sys.stderr)
        return REFUSED
    if args.csv:
        Path(args.csv).write_bytes(table_csv(log))
        session.record_output("export", {"format": "csv", "file": "audit log"})
        print(f"wrote {len(log)} audit entries to {args.csv}")
    elif args.json:
        print(log.to_json(orient="records", force_ascii=False))
    else:
        for e in log.itertuples(index=False):
            who = e.actor + (f" ({e.role}{', ' + e.office if e.office else ''})" if e.role else "")
            print(f"{e.seq:>6}  {e.at}  {e.action:<13} {who}  {e.target or ''}  {e.details}")
    return OK
