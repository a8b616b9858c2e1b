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

from ingest.shown import plain
from languages import N_, Labels, _
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
    if n >= 1024 * 1024:
        return _("{size} MB", size=plain(round(n / (1024 * 1024))))
    return _("{size} bytes", size=plain(n))


def check_size(upload: Upload, limits: Limits) -> None:
    """Refuse an upload larger than ``limits.max_bytes``."""
    if len(upload.data) > limits.max_bytes:
        raise IngestError(
            _(
                "{file} is {size}, over the {limit} upload limit; split it or send a smaller "
                "extract (an administrator can raise the limit with {setting}).",
                file=upload.name,
                size=_mb(len(upload.data)),
                limit=_mb(limits.max_bytes),
                setting=MAX_UPLOAD_MB_ENV,
            )
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


_KIND_WORDS = Labels(
    {
        "zip": N_("a zip archive (for example an Excel .xlsx or a zipped shapefile)"),
        "sqlite": N_("a SQLite database (for example a GeoPackage)"),
        "ole2": N_("an old-style Office file (for example .xls)"),
        "pdf": N_("a PDF document"),
        "vrt": N_("a GDAL virtual dataset (OGR VRT), which can point at other files and URLs"),
        "xml": N_("an XML or HTML document"),
        "json": N_("a JSON document"),
        "utf16": N_("UTF-16 text"),
        "text": N_("plain text"),
    }
)


def refuse_disguised(upload: Upload, kind: str, expected: str) -> IngestError:
    """The error for a file whose content is not what its extension says."""
    return IngestError(
        _(
            "{file} is named {extension} but its content is {content}; send {expected}.",
            file=upload.name,
            extension=upload.extension or _("(no extension)"),
            content=_KIND_WORDS.get(kind, kind),
            expected=expected,
        )
    )


def refuse_vrt_anywhere(name: str, data: bytes) -> None:
    """Refuse bytes that contain an OGR VRT definition (it can make GDAL open any path)."""
    if _VRT.search(data):
        raise IngestError(
            _(
                "{file} contains a GDAL virtual dataset (OGRVRTDataSource), which is never "
                "opened because it can point at other files and URLs; send the data itself.",
                file=name,
            )
        )


def check_xml(name: str, data: bytes) -> None:
    """Refuse XML that declares entities (billion laughs, external entities).

    A plain DOCTYPE is harmless; one with an ENTITY declaration never is, in a KML or XLSX.
    """
    if _DOCTYPE.search(data) and _ENTITY.search(data):
        raise IngestError(
            _(
                "{file} declares XML entities (<!DOCTYPE ... <!ENTITY>), which can expand "
                "into gigabytes or read server files; export the file again from its "
                "application.",
                file=name,
            )
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
                _(
                    "{file}: member {member} is password-protected; send an unencrypted zip.",
                    file=self.upload.name,
                    member=name,
                )
            ) from exc
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise IngestError(
                _(
                    "{file}: member {member} is damaged or does not match its declared size "
                    "({error}); re-create the zip with standard (deflate) compression.",
                    file=self.upload.name,
                    member=name,
                    error=exc,
                )
            ) from exc
        if len(data) > cap:
            raise IngestError(
                _(
                    "{file}: member {member} expands beyond its declared size; the zip is "
                    "damaged or built to exhaust the server. Re-create the zip.",
                    file=self.upload.name,
                    member=name,
                )
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
            _(
                "{file} contains a member with an unsafe path ({member}: absolute, a drive "
                "letter, backslashes or '..'); zip the files with plain relative names.",
                file=upload.name,
                member=repr(name),
            )
        )
    if normalized.lower().endswith(".vrt"):
        raise IngestError(
            _(
                "{file} contains a GDAL virtual dataset ({member}), which is never opened "
                "because it can point at other files and URLs; send the data files themselves.",
                file=upload.name,
                member=name,
            )
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
            _(
                "{file} is not a readable zip archive ({error}); send the file again.",
                file=upload.name,
                error=exc,
            )
        ) from exc
    if len(members) > limits.max_zip_members:
        raise IngestError(
            _(
                "{file} holds {count} files, over the limit of {limit}; zip only the files needed.",
                file=upload.name,
                count=plain(len(members)),
                limit=plain(limits.max_zip_members),
            )
        )
    total = 0
    for info in members:
        _check_member_name(upload, info.filename)
        total += info.file_size
        if info.file_size > limits.max_member_bytes:
            raise IngestError(
                _(
                    "{file}: member {member} would expand to {size}, over the {limit} limit "
                    "for one file in a zip (from {sent} sent); send a smaller extract or "
                    "split it.",
                    file=upload.name,
                    member=info.filename,
                    size=_mb(info.file_size),
                    limit=_mb(limits.max_member_bytes),
                    sent=_mb(len(upload.data)),
                )
            )
        # Small members are skipped: a tiny run of spaces compresses 500x and is harmless.
        if info.file_size > RATIO_FLOOR and (
            info.file_size / max(info.compress_size, 1) > limits.max_compression_ratio
        ):
            raise IngestError(
                _(
                    "{file}: member {member} expands {size} bytes from {compressed} (over "
                    "{ratio}x); the zip looks built to exhaust the server and is refused.",
                    file=upload.name,
                    member=info.filename,
                    size=info.file_size,
                    compressed=info.compress_size,
                    ratio=f"{limits.max_compression_ratio:.0f}",
                )
            )
    if total > limits.max_uncompressed_bytes:
        raise IngestError(
            _(
                "{file} would expand to {size}, over the {limit} limit; send a smaller extract.",
                file=upload.name,
                size=_mb(total),
                limit=_mb(limits.max_uncompressed_bytes),
            )
        )
    compressed = max(len(upload.data), 1)
    if total > RATIO_FLOOR and total / compressed > limits.max_compression_ratio:
        raise IngestError(
            _(
                "{file} expands {ratio}x (over {limit}x); the zip looks built to exhaust the "
                "server.",
                file=upload.name,
                ratio=f"{total / compressed:.0f}",
                limit=f"{limits.max_compression_ratio:.0f}",
            )
        )
    return SafeZip(upload, archive, members, limits)
