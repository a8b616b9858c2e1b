"""Defences every reader runs before a parser sees the bytes.

Uploads come from field offices, e-mail attachments and shared drives: a file may be
damaged, mislabelled or built to hurt the server. Each check here refuses the whole file
with an :class:`~schema.upload.IngestError` that names the file, says what is wrong and
what would be accepted. Nothing here hands a user-supplied name to GDAL or the OS.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from schema.upload import MAX_UPLOAD_MB_ENV, IngestError, Limits, Upload

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SQLITE_MAGIC = b"SQLite format 3\x00"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc
PDF_MAGIC = b"%PDF"
# GeoPackage application_id values in the SQLite header (offset 68): "GPKG", "GP10", "GP11".
GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")

_VRT = re.compile(rb"<\s*OGRVRTDataSource", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!\s*DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def check_size(upload: Upload, limits: Limits) -> None:
    """Refuse an upload larger than ``limits.max_bytes``."""
    if len(upload.data) > limits.max_bytes:
        raise IngestError(
            f"{upload.name} is {_mb(len(upload.data))}, over the {_mb(limits.max_bytes)} upload "
            f"limit; split it or send a smaller extract (an administrator can raise the limit "
            f"with {MAX_UPLOAD_MB_ENV})."
        )


def _text_head(data: bytes, n: int = 4096) -> bytes:
    """The first bytes with a UTF-8 BOM and leading whitespace removed."""
    head = data[:n]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip()


def sniff_kind(data: bytes) -> str:
    """What the bytes really are, from their first bytes, whatever the extension says.

    Returns one of ``zip``, ``sqlite``, ``ole2``, ``pdf``, ``vrt``, ``xml``, ``json``,
    ``utf16`` or ``text``.
    """
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(SQLITE_MAGIC):
        return "sqlite"
    if data.startswith(OLE2_MAGIC):
        return "ole2"
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(_UTF16_BOMS):
        return "utf16"
    head = _text_head(data)
    if _VRT.search(head):
        return "vrt"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"


_KIND_WORDS = {
    "zip": "a zip archive (for example an Excel .xlsx or a zipped shapefile)",
    "sqlite": "a SQLite database (for example a GeoPackage)",
    "ole2": "an old-style Office file (for example .xls)",
    "pdf": "a PDF document",
    "vrt": "a GDAL virtual dataset (OGR VRT), which can point at other files and URLs",
    "xml": "an XML or HTML document",
    "json": "a JSON document",
    "utf16": "UTF-16 text",
    "text": "plain text",
}


def refuse_disguised(upload: Upload, kind: str, expected: str) -> IngestError:
    """The error for a file whose content is not what its extension says."""
    return IngestError(
        f"{upload.name} is named {upload.extension or '(no extension)'} but its content is "
        f"{_KIND_WORDS.get(kind, kind)}; send {expected}."
    )


def refuse_vrt_anywhere(name: str, data: bytes) -> None:
    """Refuse bytes that contain an OGR VRT definition (it can make GDAL open any path)."""
    if _VRT.search(data):
        raise IngestError(
            f"{name} contains a GDAL virtual dataset (OGRVRTDataSource), which is never "
            f"opened because it can point at other files and URLs; send the data itself."
        )


def check_xml(name: str, data: bytes) -> None:
    """Refuse XML that declares entities (billion laughs, external entities).

    A plain DOCTYPE is harmless; one with an ENTITY declaration never is, in a KML or XLSX.
    """
    if _DOCTYPE.search(data) and _ENTITY.search(data):
        raise IngestError(
            f"{name} declares XML entities (<!DOCTYPE ... <!ENTITY>), which can expand into "
            f"gigabytes or read server files; export the file again from its application."
        )


RATIO_FLOOR = 1024 * 1024
"""Compression ratios are only judged above this many uncompressed bytes."""

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class SafeZip:
    """A zip whose member list was checked; read members only through :meth:`read`."""

    upload: Upload
    archive: zipfile.ZipFile
    members: list[zipfile.ZipInfo]
    limits: Limits

    def names(self) -> list[str]:
        """Member names, without directories and macOS resource forks (``__MACOSX/``, ``._*``).

        Nested zips are listed but never opened by any reader.
        """
        return [
            m.filename
            for m in self.members
            if not m.is_dir()
            and not m.filename.startswith("__MACOSX/")
            and not m.filename.rsplit("/", 1)[-1].startswith("._")
        ]

    def read(self, name: str) -> bytes:
        """A member's bytes, read with a cap so a header that lies about its size is caught."""
        info = self.archive.getinfo(name)
        cap = min(info.file_size, self.limits.max_member_bytes)
        try:
            with self.archive.open(info) as stream:
                data = stream.read(cap + 1)
        except RuntimeError as exc:  # zipfile raises RuntimeError for encrypted members
            raise IngestError(
                f"{self.upload.name}: member {name} is password-protected; send an unencrypted zip."
            ) from exc
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise IngestError(
                f"{self.upload.name}: member {name} is damaged or does not match its declared "
                f"size ({exc}); re-create the zip with standard (deflate) compression."
            ) from exc
        if len(data) > cap:
            raise IngestError(
                f"{self.upload.name}: member {name} expands beyond its declared size; the zip "
                f"is damaged or built to exhaust the server. Re-create the zip."
            )
        return data


def _check_member_name(upload: Upload, name: str) -> None:
    normalized = name.replace("\\", "/")
    parts = normalized.split("/")
    if (
        normalized.startswith("/")
        or _DRIVE.match(normalized)
        or ".." in parts
        or "\\" in name
        or "\x00" in name
    ):
        raise IngestError(
            f"{upload.name} contains a member with an unsafe path ({name!r}: absolute, a drive "
            f"letter, backslashes or '..'); zip the files with plain relative names."
        )
    if normalized.lower().endswith(".vrt"):
        raise IngestError(
            f"{upload.name} contains a GDAL virtual dataset ({name}), which is never opened "
            f"because it can point at other files and URLs; send the data files themselves."
        )


def open_zip(upload: Upload, limits: Limits) -> SafeZip:
    """Open a zip after checking member names, count, declared sizes (each member and the
    total) and ratios.

    Nothing is decompressed here; :meth:`SafeZip.read` caps what is.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError(
            f"{upload.name} is not a readable zip archive ({exc}); send the file again."
        ) from exc
    if len(members) > limits.max_zip_members:
        raise IngestError(
            f"{upload.name} holds {len(members)} files, over the limit of "
            f"{limits.max_zip_members}; zip only the files needed."
        )
    total = 0
    for info in members:
        _check_member_name(upload, info.filename)
        total += info.file_size
        if info.file_size > limits.max_member_bytes:
            raise IngestError(
                f"{upload.name}: member {info.filename} would expand to {_mb(info.file_size)}, "
                f"over the {_mb(limits.max_member_bytes)} limit for one file in a zip (from "
                f"{_mb(len(upload.data))} sent); send a smaller extract or split it."
            )
        # Small members are skipped: a tiny run of spaces compresses 500x and is harmless.
        if info.file_size > RATIO_FLOOR and (
            info.file_size / max(info.compress_size, 1) > limits.max_compression_ratio
        ):
            raise IngestError(
                f"{upload.name}: member {info.filename} expands {info.file_size} bytes from "
                f"{info.compress_size} (over {limits.max_compression_ratio:.0f}x); the zip "
                f"looks built to exhaust the server and is refused."
            )
    if total > limits.max_uncompressed_bytes:
        raise IngestError(
            f"{upload.name} would expand to {_mb(total)}, over the "
            f"{_mb(limits.max_uncompressed_bytes)} limit; send a smaller extract."
        )
    compressed = max(len(upload.data), 1)
    if total > RATIO_FLOOR and total / compressed > limits.max_compression_ratio:
        raise IngestError(
            f"{upload.name} expands {total / compressed:.0f}x (over "
            f"{limits.max_compression_ratio:.0f}x); the zip looks built to exhaust the server."
        )
    return SafeZip(upload, archive, members, limits)
