"""Run a reader in a worker process with a wall-clock and a memory limit, killed when over.

GDAL (GeoPackage, shapefile), openpyxl (XLSX) and the KML and GeoJSON parsers run C code
that Python cannot interrupt: a GeoPackage view with an endless recursive query hangs
``pyogrio.read_info`` for ever, a small XLSX can claim gigabytes. Such a read runs here in
a child process that the caller kills when its time is up; the child's address space is
capped (``RLIMIT_AS``), so an allocation over the cap fails inside it, not in the server.

Start method: ``forkserver``, with the readers imported once in the server. The caller is
a multithreaded Streamlit server; ``fork`` would copy it with locks other threads hold
(GDAL's, malloc's, logging's) and the child could deadlock before it reads a byte.
``spawn`` starts a clean interpreter, but each read would then pay the imports (geopandas,
pyogrio, openpyxl: 0.8 s on this machine, more on a loaded one). The fork server is
started clean once (about a second, on the first read), imports the readers, and forks
each worker from that single-threaded state: measured here about 0.03 s a read.

A worker cannot outlive the server: it asks the kernel to kill it when its parent (the
fork server, which exits with the server) dies, and its CPU time is capped as well.
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from multiprocessing import forkserver, spawn
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import languages
from ingest.readers import tempdir
from ingest.shown import plain
from languages import _
from schema.upload import MB, READ_MEMORY_MB_ENV, READ_SECONDS_ENV, IngestError, Limits, Upload

T = TypeVar("T")

_PRELOAD = ["ingest.readers", "ingest.readers._languages"]
_PR_SET_PDEATHSIG = 1
_CPU_GRACE_SECONDS = 5


WORKER_NAME = "pocmap-reader"
"""The name of every reader worker process (``multiprocessing.Process.name``)."""

_MAIN_KEYS = ("init_main_from_path", "init_main_from_name")
_OUT_OF_MEMORY = (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS)
"""How a worker ends when an allocation over its cap fails in C code, or the kernel kills it."""


def _without_main(
    get_preparation_data: Callable[[str], dict[str, Any]],
) -> Callable[[str], dict[str, Any]]:
    """``multiprocessing.spawn.get_preparation_data``, leaving ``__main__`` out for readers.

    A new process first re-imports the parent's ``__main__`` (its file, by path). Inside
    Streamlit, ``__main__`` is the page being run: each reader worker would run the Upload
    page again, in bare mode, and die with it (this failed every read under AppTest and
    under ``streamlit run``). A reader needs nothing from ``__main__``, so its workers are
    prepared without it; any other process is prepared as before.
    """

    def prepare(name: str) -> dict[str, Any]:
        data = get_preparation_data(name)
        if name.startswith(WORKER_NAME):
            for key in _MAIN_KEYS:
                data.pop(key, None)
        return data

    prepare.__wrapped__ = get_preparation_data  # type: ignore[attr-defined]
    return prepare


def _context() -> Any:
    # popen_forkserver looks the function up on the module at each start, so the wrapper
    # is seen there; installed once, and only for processes named WORKER_NAME.
    if not hasattr(spawn.get_preparation_data, "__wrapped__"):
        spawn.get_preparation_data = _without_main(  # type: ignore[assignment]
            spawn.get_preparation_data  # the stubs' exact signature; same shape
        )
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _lower_limit(which: int, soft: int, hard: int) -> None:
    """Set a resource limit, never above the hard limit already set (it cannot be raised)."""
    _soft, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(which, (soft, hard))


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent, the fork server, dies.

    The fork server exits when the last holder of its "alive" pipe closes it. It hands
    that pipe to every process it forks (so it outlives them), which would keep it, and
    so a hung worker, alive after the server is killed: the worker closes its copy.
    """
    holder = forkserver._forkserver  # private, but the only handle on the inherited pipe
    alive = getattr(holder, "_forkserver_alive_fd", None)
    if alive is not None:
        os.close(alive)
        holder._forkserver_alive_fd = None  # type: ignore[attr-defined]  # private, not in typeshed
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return  # not Linux: the CPU limit still ends a runaway read
    if os.getppid() == 1:
        os._exit(1)  # the fork server died before the request took effect


def _child(
    conn: Connection,
    work: Callable[..., Any],
    name: str,
    args: tuple[Any, ...],
    directory: str,
    memory_bytes: int,
    cpu_seconds: int,
    language: str | None = None,
) -> None:
    """The worker: limits first, then the upload's bytes from the pipe, the read, the answer.

    ``language``: the caller's, so that refusals and notes written here read as the
    caller's page or command line speaks (the child has no page to ask).
    """
    _die_with_parent()
    languages.set_language(language)
    _lower_limit(resource.RLIMIT_AS, memory_bytes, memory_bytes)
    # CPU seconds, in case the worker outlives its caller: SIGXCPU at the soft limit ends
    # the process, SIGKILL at the hard one a little later in case SIGXCPU is caught.
    _lower_limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + _CPU_GRACE_SECONDS)
    tempdir._worker_dir = Path(directory)
    os.environ["CPL_TMPDIR"] = directory  # GDAL's own scratch files go there too
    answer: tuple[str, Any]
    try:
        data = conn.recv_bytes()
        answer = ("ok", work(Upload(name, data), *args))
        del data
    except IngestError as exc:
        answer = ("refused", str(exc))
    except MemoryError:
        answer = ("memory", None)
    except Exception as exc:  # a bug, not the file: the caller re-raises it as it was
        answer = ("error", exc)
    try:
        conn.send(answer)
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # an exception that cannot be pickled
        conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    conn.close()


def _memory_limit(limits: Limits) -> int:
    """The worker's memory limit in effect: this process's own limit, if lower, is inherited."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY:
        return limits.read_memory_bytes
    return min(limits.read_memory_bytes, hard)


def _limits_named(limits: Limits) -> dict[str, str]:
    return {
        "seconds_setting": READ_SECONDS_ENV,
        "seconds": plain(limits.read_seconds),
        "memory_setting": READ_MEMORY_MB_ENV,
        "memory": plain(_memory_limit(limits) // MB),
    }


def too_slow(name: str, limits: Limits) -> IngestError:
    """The refusal of a read stopped at ``limits.read_seconds``."""
    return IngestError(
        _(
            "{file} took longer than {seconds} s to read and was stopped: it is too large to "
            "read here, or built never to finish. Send a plain export of the data (a table or "
            "layer, no views or triggers), split into smaller files, or as CSV; an "
            "administrator can raise the limits with {seconds_setting} (now {seconds} s) and "
            "{memory_setting} (now {memory} MB).",
            file=name,
            **_limits_named(limits),
        )
    )


def too_big(name: str, limits: Limits) -> IngestError:
    """The refusal of a read that needed more memory than the worker may use."""
    return IngestError(
        _(
            "{file} needed more than {memory} MB of memory to read and was stopped. Send a "
            "plain export of the data (a table or layer, no views or triggers), split into "
            "smaller files, or as CSV; an administrator can raise the limits with "
            "{seconds_setting} (now {seconds} s) and {memory_setting} (now {memory} MB).",
            file=name,
            **_limits_named(limits),
        )
    )


def run(work: Callable[..., T], upload: Upload, args: tuple[Any, ...], limits: Limits) -> T:
    """``work(upload, *args)`` in a worker process, within ``limits``' time and memory.

    Parameters
    ----------
    work : a module-level function (it is named, not copied, to the worker).
    upload : the file; its bytes go to the worker through a pipe.
    args : the rest of ``work``'s arguments (picklable).
    limits : ``read_seconds`` and ``read_memory_bytes``.

    Returns
    -------
    What ``work`` returned, pickled back.

    Raises
    ------
    IngestError
        what ``work`` raised, or the refusal of a read over its time or memory.
    """
    tempdir.sweep_stale_temp()
    context = _context()
    deadline = time.monotonic() + limits.read_seconds
    ours, theirs = context.Pipe(duplex=True)
    with tempdir.private_dir() as directory:
        process = context.Process(
            name=WORKER_NAME,
            target=_child,
            args=(
                theirs,
                work,
                upload.name,
                args,
                str(directory),
                limits.read_memory_bytes,
                math.ceil(limits.read_seconds) + _CPU_GRACE_SECONDS,
                languages.current(),
            ),
            daemon=True,
        )
        try:
            process.start()
            theirs.close()
            answer = _exchange(ours, upload, deadline)
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            ours.close()
    if answer is None:
        if time.monotonic() >= deadline or process.exitcode == -signal.SIGXCPU:
            raise too_slow(upload.name, limits)
        if process.exitcode in _OUT_OF_MEMORY:
            # Killed by the kernel or aborted (GDAL's C++ throws bad_alloc at the memory cap).
            raise too_big(upload.name, limits)
        raise RuntimeError(  # not the file's doing: a worker that failed to start or run
            _(
                "the reader of {file} ended with exit code {code} before answering",
                file=upload.name,
                code=process.exitcode,
            )
        )
    status, payload = answer
    if status == "ok":
        return payload
    if status == "refused":
        raise IngestError(payload)
    if status == "memory":
        raise too_big(upload.name, limits)
    raise payload


def _exchange(ours: Connection, upload: Upload, deadline: float) -> tuple[str, Any] | None:
    """Send the bytes, wait for the answer until ``deadline``; None if none came."""
    try:
        ours.send_bytes(upload.data)
        if not ours.poll(max(0.0, deadline - time.monotonic())):
            return None
        return ours.recv()
    except (EOFError, OSError):  # the worker died (pipe closed) before answering
        return None
