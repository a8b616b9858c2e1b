"""``pocmap migrate --to postgresql://...``: move the whole store to another (empty) one.

The source is ``--from``, else ``$POCMAP_DB``, else ``data/pocmap.gpkg``. Batches keep
their numbers, withdrawn ones stay withdrawn, and the files, reports, mappings, edit
history and audit log come along (:mod:`store.migrate`). A password in a URL is never
printed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys

import psycopg

OK, USAGE = 0, 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``pocmap migrate`` on the ``pocmap`` parser."""
    migrate = commands.add_parser(
        "migrate",
        help="copy the whole store into a new, empty one (GeoPackage file -> PostGIS)",
        description=(
            "Copy every batch (with its number, status and review), its rows, files and "
            "reports, the saved mappings, the edit history and the audit log into an empty "
            "store. The source is left as it was."
        ),
    )
    migrate.add_argument(
        "--to",
        required=True,
        metavar="LOCATION",
        help="the new store: postgresql://user@host:port/database, or a new .gpkg file",
    )
    migrate.add_argument(
        "--from",
        dest="source",
        metavar="LOCATION",
        help="the store to copy (default: $POCMAP_DB, else data/pocmap.gpkg)",
    )
    migrate.add_argument(
        "--by", default=None, help="who the audit log records (default: your OS user)"
    )
    migrate.set_defaults(run=run_migrate)


def _who(args: argparse.Namespace) -> str:
    from cli.session import actor_name

    return actor_name(args.by)


def _shown(location: str) -> str:
    from store.postgis import redacted

    return redacted(location) if "://" in location else location


def _fail(message: object) -> int:
    lines = str(message).strip().splitlines() or [type(message).__name__]
    print(f"pocmap migrate: {lines[0]}", file=sys.stderr)
    return USAGE


def run_migrate(args: argparse.Namespace) -> int:
    from store import DB_ENV, DEFAULT_LOCATION, StoreError, open_store
    from store.migrate import migrate

    source = args.source or os.environ.get(DB_ENV, "").strip() or str(DEFAULT_LOCATION)
    if "://" not in source and not os.path.isfile(source):
        return _fail(f"there is no store at {source}; give the one to copy with --from")
    try:
        report = migrate(open_store(source), open_store(args.to), by=_who(args))
    except (StoreError, OSError, sqlite3.Error, psycopg.Error) as err:
        return _fail(err)
    print(report.summary())
    print(f"done: point the app at the new store with {DB_ENV}={_shown(args.to)}")
    return OK
