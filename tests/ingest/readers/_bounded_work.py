"""Work for :func:`ingest.readers.worker.run` in the bound tests: real reads that never end.

They live in a module (not in a test) because the worker imports its work by name.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyogrio

from ingest.readers import tempdir
from schema.upload import Upload

READY_ENV = "POCMAP_TEST_READY_FILE"


def _ready(path: Path) -> None:
    """Tell the test (through the file named in ``POCMAP_TEST_READY_FILE``) where the
    temporary copy is and which process reads it, then say ``ready`` on stdout (the
    importer's, which the worker shares) for a test waiting on it."""
    marker = os.environ.get(READY_ENV)
    if marker:
        Path(marker).write_text(f"{os.getpid()}\n{path}\n")
        print("ready", flush=True)


def read_info_without_view_check(upload: Upload, layer: str) -> dict:
    """What the reader did before views were refused: copy the GeoPackage to a private
    folder and ask GDAL for the layer's info (which, on a recursive view, never returns)."""
    with tempdir.private_dir() as directory:
        path = directory / "upload.gpkg"
        tempdir.write_private(path, upload.data)
        _ready(path)
        return pyogrio.read_info(path, layer=layer)


def copy_modes(upload: Upload) -> dict[str, int]:
    """The modes of a worker's temporary copy and of the folders above it."""
    with tempdir.private_dir() as directory:
        path = directory / "upload.bin"
        tempdir.write_private(path, upload.data)
        return {
            "file": path.stat().st_mode & 0o777,
            "read folder": directory.stat().st_mode & 0o777,
            "worker folder": directory.parent.stat().st_mode & 0o777,
            "root": directory.parent.parent.stat().st_mode & 0o777,
        }
