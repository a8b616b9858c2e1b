"""``pocmap recode``, ``pocmap history``, ``pocmap audit``: coding and the record of it."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from access.roles import ADMIN, ROLE_NAMES, Caller
from cli.choices import CONFIDENCES, MOTIVATIONS, PERPETRATOR_TYPES
from cli.session import DEFAULT_NAME, cli_session
from languages import _, ngettext

if TYPE_CHECKING:
    from access.session import Session

OK, REFUSED, BROKEN = 0, 1, 3


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``recode``, ``history`` and ``audit`` on the ``pocmap`` parser."""
    recode = commands.add_parser(
        "recode",
        help=_(
            "change an incident's motivation, its confidence or its perpetrator type (kept in "
            "its history)"
        ),
    )
    recode.add_argument("incident_id", metavar=_("INCIDENT"), help=_("the incident's id"))
    recode.add_argument("--motivation", choices=MOTIVATIONS, help=_("the new motivation"))
    recode.add_argument("--confidence", choices=CONFIDENCES, help=_("the new confidence"))
    recode.add_argument(
        "--perpetrator-type", choices=PERPETRATOR_TYPES, help=_("the new perpetrator type")
    )
    recode.add_argument(
        "--reason", required=True, metavar=_("REASON"), help=_("why, for the record")
    )
    recode.add_argument(
        "--by",
        default=DEFAULT_NAME,
        metavar=_("NAME"),
        help=_("who makes the change, for the record"),
    )
    recode.set_defaults(run=run_recode)

    history = commands.add_parser("history", help=_("who recoded which incident, when, how"))
    history.add_argument(
        "incident_id", nargs="?", metavar=_("INCIDENT"), help=_("one incident (default: all)")
    )
    history.add_argument("--json", action="store_true", help=_("print it as JSON"))
    history.set_defaults(run=run_history)

    audit = commands.add_parser("audit", help=_("the audit log (append-only)"))
    audit.add_argument("--csv", metavar=_("FILE"), help=_("write it as CSV instead of printing it"))
    audit.add_argument("--json", action="store_true", help=_("print it as JSON"))
    audit.add_argument(
        "--verify",
        action="store_true",
        help=_("check the hash chain and say where it breaks (exit 0 intact, 3 broken)"),
    )
    audit.add_argument(
        "--anchor",
        metavar=_("FILE"),
        help=_(
            "with --verify: check that the head noted in FILE is still in the log, then "
            "note the new head there (keep FILE away from the store: another machine or "
            "account)"
        ),
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
        print(_("pocmap recode: {error}", error=message), file=sys.stderr)
        return REFUSED
    print(
        _(
            "{incident} recoded; `pocmap history {incident}` shows its history",
            incident=args.incident_id,
        )
    )
    return OK


def run_history(args: argparse.Namespace) -> int:
    edits = cli_session().edits(args.incident_id)
    if args.json:
        print(edits.to_json(orient="records", force_ascii=False))
        return OK
    if edits.empty:
        print(_("no incident was recoded") if not args.incident_id else _("never recoded"))
    for e in edits.itertuples(index=False):
        print(
            _(
                "{at}  {incident}  {column}: {before} -> {after}  by {who} ({reason})",
                at=e.edited_at,
                incident=e.row_key,
                column=e.column,
                before=e.before,
                after=e.after,
                who=e.edited_by,
                reason=e.reason,
            )
        )
    return OK


def run_audit(args: argparse.Namespace) -> int:
    from access.session import Session
    from analysis.joint import table_csv
    from store import StoreError, open_store

    # The log is for admins; on the server's shell, whoever can open the store is one.
    if args.anchor and not args.verify:
        print(_("pocmap audit: --anchor goes with --verify"), file=sys.stderr)
        return REFUSED
    try:
        session = Session(open_store(), Caller(f"{getpass.getuser()} (command line)", ADMIN))
        if args.verify:
            return _verify(session, args.anchor)
        log = session.audit_log()
    except (StoreError, OSError) as err:
        print(_("pocmap audit: {error}", error=err), file=sys.stderr)
        return REFUSED
    if args.csv:
        Path(args.csv).write_bytes(table_csv(log))
        session.record_output("export", {"format": "csv", "file": "audit log"})
        print(
            ngettext(
                "wrote {n} audit entry to {file}",
                "wrote {n} audit entries to {file}",
                len(log),
                file=args.csv,
            )
        )
    elif args.json:
        print(log.to_json(orient="records", force_ascii=False))
    else:
        for e in log.to_dict("records"):
            role, office = ROLE_NAMES.get(e["role"], e["role"]), e["office"]
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
            print(_("pocmap audit: {file}: {error}", file=anchor_file, error=err), file=sys.stderr)
            return REFUSED
    check = session.verify_audit(anchor)
    print(check.summary())
    for found in check.breaks:
        print(
            _(
                "  seq {seq}: {kind}: {message}",
                seq=found.seq,
                kind=_(found.kind),
                message=found.message,
            )
        )
    if anchor is not None and check.intact:
        print(
            _(
                "the head noted in {file} ({anchor}) is still in the log",
                file=anchor_file,
                anchor=anchor,
            )
        )
    if not check.intact:
        if anchor_file:
            print(
                _(
                    "{file} left as it was (it notes the last head that checked out)",
                    file=anchor_file,
                )
            )
        return BROKEN
    if anchor_file and check.head is not None:
        _write_private(Path(anchor_file), f"{check.head}\n")
        print(_("noted the head {head} in {file}", head=check.head, file=anchor_file))
    return OK


def _write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, owner-only, in one rename (never half-written)."""
    partial = path.with_name(path.name + ".partial")
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text)
    os.replace(partial, path)
