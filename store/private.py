"""The GeoPackage store is private to the account that runs pocmap, whatever the umask.

The store holds narratives, perpetrators' names and the files offices sent, so it is
made ``0600`` in a folder made ``0700`` (the umask would give ``0644`` in ``0755``).
SQLite gives its ``-wal``, ``-shm`` and ``-journal`` files the database file's mode, so
they follow. A store found readable by others (made by an older pocmap) is tightened to
``0600``, with a warning in the log: its content is exactly what must not be readable,
and pocmap is the only program that needs to open it (a backup runs as the same
account). A folder that pocmap did not create is left as it is (it may be shared on
purpose; the files in it are private either way).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")
"""SQLite's own files beside the store."""

log = logging.getLogger(__name__)


def make_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each ``0700`` (set explicitly, as
    ``mkdir``'s mode is filtered by the umask); existing ones are left alone."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for new in reversed(missing):
        try:
            new.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # another process made it first
            continue
        os.chmod(new, FOLDER_MODE)


def make_file(path: Path) -> None:
    """Create ``path`` empty with mode ``0600`` when missing (SQLite takes an empty file
    as a new database)."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        pass
    else:
        try:
            os.fchmod(handle, FILE_MODE)
        finally:
            os.close(handle)


def tighten_store(path: Path) -> None:
    """:func:`tighten` the store and SQLite's files beside it (once the file is known to
    be a pocmap store: another program's file given by mistake is not touched)."""
    for each in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        tighten(each)


def tighten(path: Path) -> None:
    """Make ``path`` ``0600`` if it exists and its group or others have any access,
    logging a warning that says so; a file this account does not own is only warned of."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    if not mode & 0o077:
        return
    try:
        os.chmod(path, FILE_MODE)
    except PermissionError:
        log.warning(
            "%s is mode %o: others on this machine may read the store (narratives, names, "
            "files as sent), and pocmap may not change it; make it 0600 (chmod 600 %s)",
            path,
            mode,
            path,
        )
        return
    log.warning(
        "%s was mode %o: others on this machine could read the store (narratives, names, "
        "files as sent); pocmap made it 0600 (owner only)",
        path,
        mode,
    )
