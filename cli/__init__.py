"""The ``pocmap`` command: a thin face over the same functions the app uses."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cli.actors import add_commands as add_actor_commands
from cli.analysis import add_commands as add_analysis_commands
from cli.imports import add_commands
from cli.links import add_commands as add_link_commands
from cli.migrate import add_commands as add_migrate_commands
from cli.outputs import add_commands as add_output_commands
from cli.parsing import LanguageError, Parser, take_language
from cli.places import add_commands as add_places_commands
from cli.review import add_commands as add_review_commands
from cli.suggest import add_commands as add_suggest_commands
from cli.users import add_commands as add_user_commands
from config.settings import DATA_DIR, DB, LANG
from languages import _, available, use

if TYPE_CHECKING:
    from store.protocol import StoreLike

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
GUARDED_APP = ROOT / "asgi.py"  # app.py behind pocmap's HTTP checks (ui/guard.py)
DEFAULT_PORT = 8501


_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _serve(args: argparse.Namespace) -> int:
    from access.users import UsersError, load
    from ui.local_mode import UVICORN_TRUST_ENV, ProxySettingError, trusted_proxies, uvicorn_trust

    try:
        users = load()
    except UsersError as err:
        print(_("pocmap serve: {error}", error=err), file=sys.stderr)
        return 2
    oidc = (ROOT / ".streamlit" / "secrets.toml").is_file()
    if not users.configured() and not oidc and args.address not in _LOOPBACK:
        print(
            _(
                "pocmap serve: no users are configured ({path}), so access control is off "
                "and pocmap serves this machine only, not --address {address}; add users "
                "first with `pocmap users add NAME --role admin`",
                path=users.path,
                address=args.address,
            ),
            file=sys.stderr,
        )
        return 2
    env = dict(os.environ)
    if args.data:
        folder = Path(args.data).resolve()
        if not folder.is_dir():
            print(
                _("pocmap serve: --data {folder} is not a folder", folder=repr(args.data)),
                file=sys.stderr,
            )
            return 2
        env[DATA_DIR.name] = str(folder)
    else:
        from ingest.sample import load_sample_into
        from store import open_store

        store = open_store()
        if store.is_empty():
            print(
                _(
                    "pocmap: the store {location} is empty; loading the sample",
                    location=store.location,
                ),
                flush=True,
            )
            load_sample_into(store)
        env[DB.name] = app_store_location(store)
    try:
        proxies = trusted_proxies()
    except ProxySettingError as err:
        print(_("pocmap serve: {error}", error=err), file=sys.stderr)
        return 2
    # The web server believes X-Forwarded-For only from the configured proxy (uvicorn's
    # own default is every loopback address): docs/local-mode.md.
    env[UVICORN_TRUST_ENV] = uvicorn_trust(proxies)
    local = not users.configured() and not oidc
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(GUARDED_APP),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        *_allowed_hosts(local),
    ]
    print(
        _(
            "pocmap: serving the joint map at http://{address}:{port}",
            address=args.address,
            port=args.port,
        ),
        flush=True,
    )
    if getattr(args, "lang", None):
        # `pocmap --lang fr serve`: the app's default language, until each person chooses.
        env[LANG.name] = args.lang
    # Streamlit reads .streamlit/config.toml from the working directory.
    return subprocess.call(command, cwd=ROOT, env=env)


def _allowed_hosts(local: bool) -> list[str]:
    """``server.allowedHosts`` flags: the loopback names in local mode (no DNS rebinding);
    with users, any name the deployment is reached by (sign-in protects it), unless the
    operator set ``STREAMLIT_SERVER_ALLOWED_HOSTS``."""
    from ui.local_mode import LOOPBACK_NAMES

    if local:
        names: tuple[str, ...] = LOOPBACK_NAMES
    elif os.environ.get("STREAMLIT_SERVER_ALLOWED_HOSTS", "").strip():
        return []
    else:
        names = ("*",)
    return [flag for name in names for flag in ("--server.allowedHosts", name)]


def app_store_location(store: StoreLike) -> str:
    """``POCMAP_DB`` for the app: the app runs from the repo root, so a GeoPackage's path is
    made absolute; a PostGIS URL is passed on exactly as given (``store.location`` hides its
    password)."""
    given = DB.value()
    if "://" in given:
        return given
    return str(Path(store.location).resolve())


def parser() -> argparse.ArgumentParser:
    """The command-line interface, one subcommand per task, in the current language."""
    top = Parser(
        prog="pocmap",
        description=_("The pocmap command: a thin face over the same functions the app uses."),
    )
    top.add_argument(
        "--lang",
        metavar="LANG",
        choices=available(),
        help=_(
            "the language pocmap speaks: {languages} (default: POCMAP_LANG, else English)",
            languages=", ".join(available()),
        ),
    )
    commands = top.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help=_("start the app (http://localhost:8501)"))
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=_("the port to listen on"))
    serve.add_argument(
        "--address",
        default="localhost",
        help=_("interface to listen on (default: localhost only)"),
    )
    serve.add_argument(
        "--data",
        help=_("show a folder of layer files instead of the store (read-only; for review)"),
    )
    serve.set_defaults(run=_serve)
    add_commands(commands)
    add_analysis_commands(commands)
    add_output_commands(commands)
    add_review_commands(commands)
    add_link_commands(commands)
    add_actor_commands(commands)
    add_places_commands(commands)
    add_user_commands(commands)
    add_migrate_commands(commands)
    add_suggest_commands(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pocmap`` console script.

    ``--lang`` is read first, so that the parser's help and errors, and everything the
    command prints, are in that language (else ``POCMAP_LANG``, else English).
    """
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        language, rest = take_language(given)
    except LanguageError as err:
        print(f"pocmap: {err}", file=sys.stderr)
        return 2
    # `use`, not `set_language`: main() called in a test leaves the thread's language as it was.
    with use(language):
        args = parser().parse_args(rest)
        args.lang = language
        return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
