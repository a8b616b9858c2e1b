"""Who the ``pocmap`` command acts as: an analyst, named by ``--by``/``--uploader``.

Whoever runs ``pocmap`` on the server can already open the store itself (the file, or
the database URL in ``POCMAP_DB``), so the command line is trusted as an analyst; what
it does still goes through :class:`access.session.Session`, so it is checked the same
way and every action lands in the audit log under the name given.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from access.roles import ANALYST, Caller

if TYPE_CHECKING:
    from access.session import Session

DEFAULT_NAME = "command line"


def actor_name(name: str | None) -> str:
    """``name``, or the OS user's name when none (or the default) is given."""
    if name and name != DEFAULT_NAME:
        return name
    try:
        user = getpass.getuser()
    except OSError:  # no login name and no $USER (a bare container)
        user = "unknown OS user"
    return f"{user} (command line)"


def who(name: str | None) -> Caller:
    """``name`` as an analyst; the OS user's name when none (or the default) is given."""
    return Caller(actor_name(name), ANALYST)


def cli_session(name: str | None = None) -> Session:
    """The store (``POCMAP_DB``) as the command line's analyst."""
    # Here, not at the top: the store loads geopandas, and `pocmap --help` must not.
    from access.session import Session
    from store import open_store

    return Session(open_store(), who(name))
