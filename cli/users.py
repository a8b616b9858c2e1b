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

from access.roles import ROLE_NAMES, ROLES
from access.users import MIN_PASSWORD, USERS_ENV, User, UsersError, load
from languages import N_, Labels, _, format_datetime, ngettext

OK, USAGE = 0, 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``pocmap users ...`` on the ``pocmap`` parser."""
    users = commands.add_parser(
        "users",
        help=_("who may sign in, with which role and office (the local users file)"),
        description=_(
            "Change the users file (${setting}, default data/users.json).", setting=USERS_ENV
        ),
    )
    actions = users.add_subparsers(dest="users_command", required=True)

    add = actions.add_parser("add", help=_("add a user who signs in with a password or OIDC"))
    add.add_argument(
        "name", metavar=_("NAME"), help=_("the sign-in name (an email for an OIDC user)")
    )
    add.add_argument(
        "--role",
        required=True,
        metavar=_("ROLE"),
        help=_("one of {roles}", roles=", ".join(ROLES)),
    )
    add.add_argument(
        "--office",
        metavar=_("OFFICE"),
        help=_("the field office (needed for a field_office user)"),
    )
    add.add_argument(
        "--oidc",
        action="store_true",
        help=_("signs in through the identity provider (no password)"),
    )
    _password_options(add)
    add.set_defaults(run=run_add)

    remove = actions.add_parser("remove", help=_("remove a user (it can no longer sign in)"))
    remove.add_argument("name", metavar=_("NAME"), help=_("the user's sign-in name"))
    _by_option(remove)
    remove.set_defaults(run=run_remove)

    listing = actions.add_parser("list", help=_("list the users (never their password hashes)"))
    listing.add_argument("--json", action="store_true", help=_("print them as JSON"))
    listing.set_defaults(run=run_list)

    password = actions.add_parser("set-password", help=_("give a password user a new password"))
    password.add_argument("name", metavar=_("NAME"), help=_("the user's sign-in name"))
    _password_options(password)
    password.set_defaults(run=run_set_password)

    locked = actions.add_parser(
        "locked", help=_("names and addresses locked out of signing in now (docs/sign-in.md)")
    )
    locked.add_argument("--json", action="store_true", help=_("print them as JSON"))
    locked.set_defaults(run=run_locked)

    unlock = actions.add_parser(
        "unlock", help=_("lift the sign-in lockout of a name (or, with --address, an address)")
    )
    unlock.add_argument(
        "name", nargs="?", metavar=_("NAME"), help=_("the name locked out (any case)")
    )
    unlock.add_argument(
        "--address",
        metavar=_("ADDRESS"),
        help=_("a client address locked out, instead of a name"),
    )
    _by_option(unlock)
    unlock.set_defaults(run=run_unlock)


# The sign-ins' codes are what English shows; other languages show their own word.
SIGN_INS = Labels({"password": N_("password"), "oidc": N_("oidc")})
KINDS = Labels({"name": N_("name"), "address": N_("address")})


def _described(user: User) -> str:
    """``a.officer (field office, Kalondo; password sign-in)``."""
    role = ROLE_NAMES.get(user.role, user.role)
    if user.office:
        return _(
            "{name} ({role}, {office}; {sign_in} sign-in)",
            name=user.name,
            role=role,
            office=user.office,
            sign_in=SIGN_INS.get(user.sign_in, user.sign_in),
        )
    return _(
        "{name} ({role}; {sign_in} sign-in)",
        name=user.name,
        role=role,
        sign_in=SIGN_INS.get(user.sign_in, user.sign_in),
    )


def _password_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from stdin (one line) instead of prompting twice"),
    )
    _by_option(parser)


def _by_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by",
        default=None,
        metavar=_("NAME"),
        help=_("who makes the change (default: your OS user, command line)"),
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
            raise UsersError(_("--password-stdin reads one line but stdin has more than one"))
        return text
    first = getpass.getpass(
        _(
            "password for {name} (at least {minimum} characters): ",
            name=args.name,
            minimum=MIN_PASSWORD,
        )
    )
    if getpass.getpass(_("the same password again: ")) != first:
        raise UsersError(_("the two passwords typed are not the same; nothing was changed"))
    return first


def _fail(action: str, message: object) -> int:
    print(_("pocmap users {command}: {error}", command=action, error=message), file=sys.stderr)
    return USAGE


def _audit(action: str, args: argparse.Namespace, user) -> int:
    """Record the change in the store's audit log (``POCMAP_DB``)."""
    from store import StoreError, open_store

    details = {"role": user.role, "office": user.office, "sign_in": user.sign_in}
    try:
        open_store().record(action, by=_who(args), target=f"user {user.name}", details=details)
    except (StoreError, OSError) as err:
        return _fail(
            action.replace("user_", ""),
            _("done, but not written to the audit log: {error}", error=err),
        )
    return OK


def run_add(args: argparse.Namespace) -> int:
    try:
        users = load()
        if args.oidc:
            if args.password_stdin:
                raise UsersError(
                    _(
                        "user {name} signs in through OIDC and takes no password; "
                        "drop --password-stdin, or drop --oidc to sign in with a password",
                        name=repr(args.name),
                    )
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
    print(_("added {user} to {file}", user=_described(user), file=users.path))
    return _audit("user_add", args, user)


def run_remove(args: argparse.Namespace) -> int:
    try:
        users = load()
        user = users.remove(args.name, by=_who(args))
    except (UsersError, OSError) as err:
        return _fail("remove", err)
    print(
        _(
            "removed {name} ({role}) from {file}; it can no longer sign in",
            name=user.name,
            role=ROLE_NAMES.get(user.role, user.role),
            file=users.path,
        )
    )
    return _audit("user_remove", args, user)


def run_set_password(args: argparse.Namespace) -> int:
    try:
        users = load()
        users.check_set_password(args.name)
        user = users.set_password(args.name, _password(args), by=_who(args))
    except (UsersError, OSError) as err:
        return _fail("set-password", err)
    print(_("changed the password of {name} in {file}", name=user.name, file=users.path))
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
        print(
            _(
                "no users in {file}: `pocmap users add NAME --role admin` adds the first",
                file=users.path,
            )
        )
        return OK
    rows = [
        (
            u.name,
            ROLE_NAMES.get(u.role, u.role),
            u.office or "-",
            SIGN_INS.get(u.sign_in, u.sign_in),
            u.added_at,
            u.added_by,
        )
        for u in listed
    ]
    header = (_("name"), _("role"), _("office"), _("sign-in"), _("added at"), _("added by"))
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
        print(_("no name or address is locked out of signing in"))
        return OK
    for lock in found:
        print(
            ngettext(
                "{kind} {locked}: locked until {until} after {n} failed sign-in",
                "{kind} {locked}: locked until {until} after {n} failed sign-ins",
                lock.failures,
                kind=KINDS.get(lock.kind, lock.kind),
                locked=lock.key,
                until=format_datetime(lock.until),
            )
        )
    print(_("`pocmap users unlock NAME` (or `--address ADDRESS`) lifts a lockout"))
    return OK


def run_unlock(args: argparse.Namespace) -> int:
    from access.sign_ins import current_lockouts, unlock
    from access.users import NAME_PATTERN, NAME_RULE
    from store import StoreError, open_store

    if (args.name is None) == (args.address is None):
        return _fail(
            "unlock",
            _(
                "give a NAME or --address ADDRESS (one of them), e.g. "
                "`pocmap users unlock a.officer`; `pocmap users locked` lists them"
            ),
        )
    if args.name is not None and not NAME_PATTERN.fullmatch(args.name.strip()):
        return _fail(
            "unlock",
            _("{value} is not a name: a name is {rule}", value=repr(args.name), rule=_(NAME_RULE)),
        )
    if args.address is not None and not args.address.strip():
        return _fail("unlock", _("--address is empty; `pocmap users locked` lists the addresses"))
    kind = "name" if args.name is not None else "address"
    key = (args.name or args.address).strip()
    try:
        store = open_store()
        locked = [lock for lock in current_lockouts(store) if lock.kind == kind]
        if not any(lock.key == (key.casefold() if kind == "name" else key) for lock in locked):
            listed = ", ".join(lock.key for lock in locked) or _("none")
            if kind == "name":
                text = _(
                    "the name {key} is not locked out (locked names: {listed}); nothing done",
                    key=key,
                    listed=listed,
                )
            else:
                text = _(
                    "the address {key} is not locked out (locked addresses: {listed}); "
                    "nothing done",
                    key=key,
                    listed=listed,
                )
            print(text)
            return OK
        unlock(store, by=_who(args), name=args.name, address=args.address)
    except (StoreError, OSError) as err:
        return _fail("unlock", err)
    if kind == "name":
        print(
            _(
                "lifted the sign-in lockout of the name {key}; its earlier failures no longer "
                "count",
                key=key,
            )
        )
    else:
        print(
            _(
                "lifted the sign-in lockout of the address {key}; its earlier failures no "
                "longer count",
                key=key,
            )
        )
    return OK
