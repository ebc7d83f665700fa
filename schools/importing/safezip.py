"""Reading members of an uploaded zip without letting a zip bomb expand inside the request (issue 7).

Everything is checked from the central directory BEFORE a byte is decompressed: the number of
members, each member's and the total declared size, and the compression ratio. The declared sizes
can lie, so reading is capped as well: a member is read in chunks and refused as soon as it passes
its limit. Problems are Dutch, like every import problem.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from .records import ImportProblems, Problem

MAX_MEMBERS = 100  # a OneRoster bundle has at most ~20 files
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one CSV: far above 10,000 students with all columns
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_RATIO = 100  # CSV text compresses 5-20×; zeros compress 1000×
_CHUNK = 64 * 1024


def _refuse(message: str, file: str = "") -> ImportProblems:
    return ImportProblems([Problem(None, "", message, file)])


def _declared_members(data: bytes) -> int:
    """The member count from the end-of-central-directory record, read before zipfile parses the
    directory (a directory of a million entries would cost hundreds of MB to parse)."""
    tail = data[-(65536 + 22) :]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return 0
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    if count == 0xFFFF:  # zip64: the real count is in the zip64 end record
        at64 = tail.rfind(b"PK\x06\x06", 0, at)
        if at64 >= 0 and len(tail) >= at64 + 40:
            count = int.from_bytes(tail[at64 + 32 : at64 + 40], "little")
    return count


def _too_many(count: int) -> ImportProblems:
    return _refuse(
        f"het zip-bestand bevat te veel bestanden ({count}; hoogstens {MAX_MEMBERS}). "
        "Upload alleen de export zelf."
    )


def open_zip(data: bytes, what: str = "zip-bestand") -> zipfile.ZipFile:
    if _declared_members(data) > MAX_MEMBERS:
        raise _too_many(_declared_members(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
        raise _refuse(f"het bestand is geen geldig {what}.") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _too_many(len(infos))
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            raise _refuse(_too_big(size, MAX_MEMBER_BYTES), info.filename)
        if size > 1024 * 1024 and size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(
                f"wordt uitgepakt {size // max(info.compress_size, 1)} keer zo groot als in de zip; "
                "zo'n bestand (een 'zip-bom') wordt niet geopend.",
                info.filename,
            )
    if total > MAX_TOTAL_BYTES:
        raise _refuse(_too_big(total, MAX_TOTAL_BYTES, "alles samen"))
    return archive


def _too_big(size: int, limit: int, what: str = "") -> str:
    mb = 1024 * 1024
    prefix = f"{what} " if what else ""
    return (
        f"{prefix}wordt uitgepakt {size // mb} MB; dat is groter dan de {limit // mb} MB die een import "
        "mag zijn."
    )


def read_members(data: bytes, wanted: Callable[[zipfile.ZipInfo], bool], what: str = "zip-bestand") -> dict:
    """{member name: bytes} for the members `wanted` accepts, each read with a hard cap."""
    archive = open_zip(data, what)
    found, total = {}, 0
    for info in archive.infolist():
        if info.is_dir() or not wanted(info):
            continue
        parts, size = [], 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                        raise _refuse(_too_big(size, MAX_MEMBER_BYTES), info.filename)
                    parts.append(chunk)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError):
            raise _refuse("kan niet worden uitgepakt (beschadigd of versleuteld).", info.filename) from None
        found[info.filename] = b"".join(parts)
    return found
