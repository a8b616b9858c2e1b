"""``pocmap migrate --to postgresql://...``: move the whole store to another (empty) one;
``pocmap migrate-schema``: bring a store's schema up to date (PostGIS: as the owner role).

The source is ``--from``, else ``$POCMAP_DB``, else ``data/pocmap.gpkg``. Batches keep
their numbers, withdrawn ones stay withdrawn, and the files, reports, mappings, edit
history and audit log (with its hash chain) come along (:mod:`store.migrate`). A password
in a URL is never printed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys

from languages import _

OK, USAGE = 0, 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``pocmap migrate`` on the ``pocmap`` parser."""
    migrate = commands.add_parser(
        "migrate",
        help=_("copy the whole store into a new, empty one (GeoPackage file -> PostGIS)"),
        description=_(
            "Copy every batch (with its number, status and review), its rows, files and "
            "reports, the saved mappings, the edit history and the audit log into an empty "
            "store. The source is left as it was."
        ),
    )
    migrate.add_argument(
        "--to",
        required=True,
        metavar=_("LOCATION"),
        help=_("the new store: postgresql://user@host:port/database, or a new .gpkg file"),
    )
    migrate.add_argument(
        "--from",
        dest="source",
        metavar=_("LOCATION"),
        help=_("the store to copy (default: $POCMAP_DB, else data/pocmap.gpkg)"),
    )
    migrate.add_argument(
        "--by",
        default=None,
        metavar=_("NAME"),
        help=_("who the audit log records (default: your OS user)"),
    )
    migrate.set_defaults(run=run_migrate)

    upgrade = commands.add_parser(
        "migrate-schema",
        help=_("bring the store's schema up to date (PostGIS: run as the owner role)"),
        description=_(
            "Apply the schema migrations the store lacks. On PostGIS, run it with POCMAP_DB "
            "set to the owner role's URL: the application role may not change the schema. "
            "--app-role then grants the application role what the app needs and no more "
            "(run it again after every upgrade of pocmap). See docs/deployment.md."
        ),
    )
    upgrade.add_argument(
        "--db",
        metavar=_("LOCATION"),
        help=_("the store (default: $POCMAP_DB, else data/pocmap.gpkg)"),
    )
    upgrade.add_argument(
        "--app-role",
        metavar=_("ROLE"),
        help=_("PostGIS: the application role to grant SELECT/INSERT and the few UPDATEs to"),
    )
    upgrade.set_defaults(run=run_migrate_schema)


def _who(args: argparse.Namespace) -> str:
    from cli.session import actor_name

    return actor_name(args.by)


def _shown(location: str) -> str:
    from store.postgis import redacted

    return redacted(location) if "://" in location else location


def _fail(message: object) -> int:
    lines = str(message).strip().splitlines() or [type(message).__name__]
    print(_("pocmap migrate: {error}", error=lines[0]), file=sys.stderr)
    return USAGE


def _fail_schema(message: object) -> int:
    lines = str(message).strip().splitlines() or [type(message).__name__]
    print(_("pocmap migrate-schema: {error}", error=lines[0]), file=sys.stderr)
    return USAGE


def run_migrate_schema(args: argparse.Namespace) -> int:
    import psycopg

    from store import open_store
    from store.base import StoreError
    from store.postgis import PostGISStore
    from store.schema import LATEST_VERSION

    try:
        store = open_store(args.db)  # opening applies what is missing
        granted: list[str] = []
        if args.app_role:
            if not isinstance(store, PostGISStore):
                return _fail_schema(
                    _(
                        "{location} is a GeoPackage file: it has no roles; --app-role is "
                        "for a PostGIS store",
                        location=store.location,
                    )
                )
            granted = store.grant_app(args.app_role)
        version = store.schema_version()
    except (StoreError, OSError, sqlite3.Error, psycopg.Error) as err:
        return _fail_schema(err)
    print(
        _(
            "{location} is at schema version {version} (this pocmap's: {latest})",
            location=store.location,
            version=version,
            latest=LATEST_VERSION,
        )
    )
    if granted:
        print(_("granted to {role}:", role=args.app_role))
        print("\n".join(f"  {statement}" for statement in granted))
    return OK


def run_migrate(args: argparse.Namespace) -> int:
    import psycopg

    from store import DB_ENV, DEFAULT_LOCATION, StoreError, open_store
    from store.migrate import migrate

    source = args.source or os.environ.get(DB_ENV, "").strip() or str(DEFAULT_LOCATION)
    if "://" not in source and not os.path.isfile(source):
        return _fail(
            _("there is no store at {location}; give the one to copy with --from", location=source)
        )
    try:
        report = migrate(open_store(source), open_store(args.to), by=_who(args))
    except (StoreError, OSError, sqlite3.Error, psycopg.Error) as err:
        return _fail(err)
    print(report.summary())
    setting = f"{DB_ENV}={_shown(args.to)}"
    print(_("done: point the app at the new store with {setting}", setting=setting))
    return OK
