"""Private temporary copies of uploads, all under one folder pocmap owns, swept when stale.

GDAL reads GeoPackages and shapefiles from files, so those uploads are copied to disk for
the time of the read. The copies hold what the upload holds (narratives, names), so:

* they live under ``<temp>/pocmap-<uid>/`` (``<temp>`` is :func:`tempfile.gettempdir`,
  ``TMPDIR`` when set), a folder created ``0700`` and refused if another user owns it or
  it is a symbolic link (a shared ``/tmp`` lets anyone create the name first);
* each read gets its own folder in it, ``ingest-<pid>-<start>-<random>``, ``0700``, and
  every file is created ``0600``, whatever the umask;
* the folder is removed when the read ends, however it ends; one whose process is gone
  (killed, the machine restarted) is removed by :func:`sweep_stale_temp`, which every
  bounded read calls first, and the app and CLI may call at start.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PREFIX = "ingest-"
_worker_dir: Path | None = None
"""Set in a worker process: the folder its parent made (and removes) for this read."""


def root() -> Path:
    """The pocmap-owned temp folder, created ``0700`` if missing.

    Raises
    ------
    OSError
        when the folder exists but is a symbolic link, not a folder, or not owned by this
        user: an upload is never copied where someone else can read or swap it.
    """
    path = Path(tempfile.gettempdir()) / f"pocmap-{os.getuid()}"
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise OSError(
            f"{path} exists but is not a folder owned by this user; remove it (temporary "
            f"copies of uploads are only made in a private folder)."
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(path, 0o700)  # mkdir's mode passes through the umask; 0700 is wanted
    return path


def _start_ticks(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot); ``"0"`` off Linux.

    With the pid it names one process: a pid reused by a later process has another start.
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return fields[19].decode()
    except (OSError, IndexError):
        return "0"


def _owner_alive(name: str) -> bool:
    """Whether the process that made folder ``name`` (``ingest-<pid>-<start>-...``) runs."""
    try:
        _, pid_text, start, _ = name.split("-", 3)
        pid = int(pid_text)
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user holds the pid: not ours, but alive
    return start == "0" or _start_ticks(pid) == start


def new_private_dir() -> Path:
    """A fresh ``0700`` folder for one read, under :func:`root` (or the worker's folder)."""
    parent = _worker_dir if _worker_dir is not None else root()
    pid = os.getpid()
    path = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{pid}-{_start_ticks(pid)}-", dir=parent))
    os.chmod(path, 0o700)
    return path


@contextmanager
def private_dir() -> Iterator[Path]:
    """A fresh private folder, removed when the block ends, whatever ends it."""
    path = new_private_dir()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file ``path`` readable by its owner only (``0600``)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # the umask cannot widen it, but be explicit
        with os.fdopen(descriptor, "wb", closefd=False) as handle:
            handle.write(data)
    finally:
        os.close(descriptor)


def sweep_stale_temp() -> list[Path]:
    """Remove the read folders whose process is gone (a killed import, a restart).

    Call it at app or CLI start; every bounded read calls it too. Folders of running
    processes (another server, another import) are left alone.

    Returns
    -------
    list of Path
        The folders removed.
    """
    try:
        base = root()
        entries = list(os.scandir(base))
    except OSError:
        return []
    removed = []
    for entry in entries:
        if entry.name.startswith(_PREFIX) and not _owner_alive(entry.name):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed
