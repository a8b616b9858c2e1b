"""``pocmap users add | remove | list | set-password | locked | unlock``: the local users
file by hand, and the sign-in lockouts (kept in the store's audit log, ``POCMAP_DB``).

The file is ``$POCMAP_USERS`` (default ``data/users.json``). A password is read from
stdin (``--password-stdin``) or typed twice at a prompt; it is never an argument, so it
never lands in a shell history or a process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from access.roles import ROLES
from access.users import MIN_PASSWORD, USERS_ENV, UsersError, load

OK, USAGE = 0, 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``pocmap users ...`` on the ``pocmap`` parser."""
    users = commands.add_parser(
        "users",
        help="who may sign in, with which role and office (the local users file)",
        description=f"Change the users file (${USERS_ENV}, default data/users.json).",
    )
    actions = users.add_subparsers(dest="users_command", required=True)

    add = actions.add_parser("add", help="add a user who signs in with a password or OIDC")
    add.add_argument("name", help="the sign-in name (an email for an OIDC user)")
    add.add_argument("--role", required=True, metavar="ROLE", help=f"one of {', '.join(ROLES)}")
    add.add_argument("--office", help="the field office (needed for a field_office user)")
    add.add_argument(
        "--oidc", action="store_true", help="signs in through the identity provider (no password)"
    )
    _password_options(add)
    add.set_defaults(run=run_add)

    remove = actions.add_parser("remove", help="remove a user (it can no longer sign in)")
    remove.add_argument("name")
    _by_option(remove)
    remove.set_defaults(run=run_remove)

    listing = actions.add_parser("list", help="list the users (never their password hashes)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)

    password = actions.add_parser("set-password", help="give a password user a new password")
    password.add_argument("name")
    _password_options(password)
    password.set_defaults(run=run_set_password)

    locked = actions.add_parser(
        "locked", help="names and addresses locked out of signing in now (docs/sign-in.md)"
    )
    locked.add_argument("--json", action="store_true")
    locked.set_defaults(run=run_locked)

    unlock = actions.add_parser(
        "unlock", help="lift the sign-in lockout of a name (or, with --address, an address)"
    )
    unlock.add_argument("name", nargs="?", help="the name locked out (any case)")
    unlock.add_argument("--address", help="a client address locked out, instead of a name")
    _by_option(unlock)
    unlock.set_defaults(run=run_unlock)


def _password_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin (one line) instead of prompting twice",
    )
    _by_option(parser)


def _by_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by", default=None, help="who makes the change (default: your OS user, command line)"
    )


def _who(args: argparse.Namespace) -> str:
    from cli.session import actor_name

    return actor_name(args.by)


def _password(args: argparse.Namespace) -> str:
    """The password from stdin (one line, its newline dropped) or typed twice at a prompt."""
    if args.password_stdin:
        text = sys.stdin.read()
        text = text[:-1] if text.endswith("\n") else text
        text = text[:-1] if text.endswith("\r") else text
        if "\n" in text or "\r" in text:
            raise UsersError("--password-stdin reads one line but stdin has more than one")
        return text
    first = getpass.getpass(f"password for {args.name} (at least {MIN_PASSWORD} characters): ")
    if getpass.getpass("the same password again: ") != first:
        raise UsersError("the two passwords typed are not the same; nothing was changed")
    return first


def _fail(action: str, message: object) -> int:
    print(f"pocmap users {action}: {message}", file=sys.stderr)
    return USAGE


def _audit(action: str, args: argparse.Namespace, user) -> int:
    """Record the change in the store's audit log (``POCMAP_DB``)."""
    from store import StoreError, open_store

    details = {"role": user.role, "office": user.office, "sign_in": user.sign_in}
    try:
        open_store().record(action, by=_who(args), target=f"user {user.name}", details=details)
    except (StoreError, OSError) as err:
        return _fail(action.replace("user_", ""), f"done, but not written to the audit log: {err}")
    return OK


def run_add(args: argparse.Namespace) -> int:
    try:
        users = load()
        if args.oidc:
            if args.password_stdin:
                raise UsersError(
                    f"user {args.name!r} signs in through OIDC and takes no password; "
                    "drop --password-stdin, or drop --oidc to sign in with a password"
                )
            password = None
        else:
            users.check_add(args.name, args.role, office=args.office)
            password = _password(args)
        user = users.add(
            args.name,
            args.role,
            office=args.office,
            password=password,
            oidc=args.oidc,
            by=_who(args),
        )
    except (UsersError, OSError) as err:
        return _fail("add", err)
    where = f", {user.office}" if user.office else ""
    print(f"added {user.name} ({user.role}{where}; {user.sign_in} sign-in) to {users.path}")
    return _audit("user_add", args, user)


def run_remove(args: argparse.Namespace) -> int:
    try:
        users = load()
        user = users.remove(args.name, by=_who(args))
    except (UsersError, OSError) as err:
        return _fail("remove", err)
    print(f"removed {user.name} ({user.role}) from {users.path}; it can no longer sign in")
    return _audit("user_remove", args, user)


def run_set_password(args: argparse.Namespace) -> int:
    try:
        users = load()
        users.check_set_password(args.name)
        user = users.set_password(args.name, _password(args), by=_who(args))
    except (UsersError, OSError) as err:
        return _fail("set-password", err)
    print(f"changed the password of {user.name} in {users.path}")
    return _audit("user_password", args, user)


def run_list(args: argparse.Namespace) -> int:
    try:
        users = load()
        listed = users.list()
    except (UsersError, OSError) as err:
        return _fail("list", err)
    if args.json:
        print(json.dumps([u.public() for u in listed], ensure_ascii=False, indent=2))
        return OK
    if not listed:
        print(f"no users in {users.path}: `pocmap users add NAME --role admin` adds the first")
        return OK
    rows = [(u.name, u.role, u.office or "-", u.sign_in, u.added_at, u.added_by) for u in listed]
    header = ("name", "role", "office", "sign-in", "added at", "added by")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return OK


def run_locked(args: argparse.Namespace) -> int:
    from access.sign_ins import current_lockouts
    from store import StoreError, open_store

    try:
        found = current_lockouts(open_store())
    except (StoreError, OSError) as err:
        return _fail("locked", err)
    rows = [
        {
            "kind": lock.kind,
            "locked": lock.key,
            "until": lock.until.isoformat(timespec="seconds"),
            "failures": lock.failures,
        }
        for lock in found
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return OK
    if not rows:
        print("no name or address is locked out of signing in")
        return OK
    for row in rows:
        print(
            f"{row['kind']} {row['locked']}: locked until {row['until']} "
            f"after {row['failures']} failed sign-ins"
        )
    print("`pocmap users unlock NAME` (or `--address ADDRESS`) lifts a lockout")
    return OK


def run_unlock(args: argparse.Namespace) -> int:
    from access.sign_ins import current_lockouts, unlock
    from access.users import NAME_PATTERN, NAME_RULE
    from store import StoreError, open_store

    if (args.name is None) == (args.address is None):
        return _fail(
            "unlock",
            "give a NAME or --address ADDRESS (one of them), e.g. "
            "`pocmap users unlock a.officer`; `pocmap users locked` lists them",
        )
    if args.name is not None and not NAME_PATTERN.fullmatch(args.name.strip()):
        return _fail("unlock", f"{args.name!r} is not a name: a name is {NAME_RULE}")
    if args.address is not None and not args.address.strip():
        return _fail("unlock", "--address is empty; `pocmap users locked` lists the addresses")
    kind = "name" if args.name is not None else "address"
    key = (args.name or args.address).strip()
    try:
        store = open_store()
        locked = [lock for lock in current_lockouts(store) if lock.kind == kind]
        if not any(lock.key == (key.casefold() if kind == "name" else key) for lock in locked):
            listed = ", ".join(lock.key for lock in locked) or "none"
            print(f"the {kind} {key} is not locked out (locked {kind}s: {listed}); nothing done")
            return OK
        unlock(store, by=_who(args), name=args.name, address=args.address)
    except (StoreError, OSError) as err:
        return _fail("unlock", err)
    print(f"lifted the sign-in lockout of the {kind} {key}; its earlier failures no longer count")
    return OK
