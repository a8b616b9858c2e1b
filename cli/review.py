"""``pocmap recode``, ``pocmap history``, ``pocmap audit``: coding and the record of it."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from access.roles import ADMIN, Caller
from cli.choices import CONFIDENCES, MOTIVATIONS, PERPETRATOR_TYPES
from cli.session import DEFAULT_NAME, cli_session

if TYPE_CHECKING:
    from access.session import Session

OK, REFUSED, BROKEN = 0, 1, 3


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``recode``, ``history`` and ``audit`` on the ``pocmap`` parser."""
    recode = commands.add_parser(
        "recode",
        help="change an incident's motivation, its confidence or its perpetrator type (kept in "
        "its history)",
    )
    recode.add_argument("incident_id")
    recode.add_argument("--motivation", choices=MOTIVATIONS)
    recode.add_argument("--confidence", choices=CONFIDENCES)
    recode.add_argument("--perpetrator-type", choices=PERPETRATOR_TYPES)
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
    audit.add_argument(
        "--verify",
        action="store_true",
        help="check the hash chain and say where it breaks (exit 0 intact, 3 broken)",
    )
    audit.add_argument(
        "--anchor",
        metavar="FILE",
        help="with --verify: check that the head noted in FILE is still in the log, then "
        "note the new head there (keep FILE away from the store: another machine or account)",
    )
    audit.set_defaults(run=run_audit)


def run_recode(args: argparse.Namespace) -> int:
    try:
        session = cli_session(args.by)
        if args.perpetrator_type:
            # By hand: `pocmap actors --apply` never overrides it (its reason is a person's).
            session.edit_perpetrator_type(
                args.incident_id, args.perpetrator_type, reason=args.reason
            )
        if args.motivation or args.confidence or not args.perpetrator_type:
            session.edit_motivation(
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
    from access.session import Session
    from analysis.joint import table_csv
    from store import StoreError, open_store

    # The log is for admins; on the server's shell, whoever can open the store is one.
    if args.anchor and not args.verify:
        print("pocmap audit: --anchor goes with --verify", file=sys.stderr)
        return REFUSED
    try:
        session = Session(open_store(), Caller(f"{getpass.getuser()} (command line)", ADMIN))
        if args.verify:
            return _verify(session, args.anchor)
        log = session.audit_log()
    except (StoreError, OSError) as err:
        print(f"pocmap audit: {err}", file=sys.stderr)
        return REFUSED
    if args.csv:
        Path(args.csv).write_bytes(table_csv(log))
        session.record_output("export", {"format": "csv", "file": "audit log"})
        print(f"wrote {len(log)} audit entries to {args.csv}")
    elif args.json:
        print(log.to_json(orient="records", force_ascii=False))
    else:
        for e in log.to_dict("records"):
            role, office = e["role"], e["office"]
            who = e["actor"] + (f" ({role}{', ' + office if office else ''})" if role else "")
            print(
                f"{e['seq']:>6}  {e['at']}  {e['action']:<13} {who}  {e['target'] or ''}  "
                f"{e['details']}"
            )
    return OK


def _verify(session: Session, anchor_file: str | None) -> int:
    """Print the chain check; with an anchor file, check its head and note the new one."""
    from store.audit_chain import Anchor

    anchor = None
    if anchor_file and Path(anchor_file).is_file():
        text = Path(anchor_file).read_text(encoding="utf-8").strip()
        try:
            anchor = Anchor.parse(text.splitlines()[0] if text else "")
        except ValueError as err:
            print(f"pocmap audit: {anchor_file}: {err}", file=sys.stderr)
            return REFUSED
    check = session.verify_audit(anchor)
    print(check.summary())
    for found in check.breaks:
        print(f"  seq {found.seq}: {found.kind}: {found.message}")
    if anchor is not None and check.intact:
        print(f"the head noted in {anchor_file} ({anchor}) is still in the log")
    if not check.intact:
        if anchor_file:
            print(f"{anchor_file} left as it was (it notes the last head that checked out)")
        return BROKEN
    if anchor_file and check.head is not None:
        _write_private(Path(anchor_file), f"{check.head}\n")
        print(f"noted the head {check.head} in {anchor_file}")
    return OK


def _write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, owner-only, in one rename (never half-written)."""
    partial = path.with_name(path.name + ".partial")
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text)
    os.replace(partial, path)
