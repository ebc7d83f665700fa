"""Encrypted backup files: a stream of Fernet tokens (AES-128-CBC + HMAC-SHA256, `cryptography`).

Fernet encrypts a whole message in memory, so the stream is cut into chunks of CHUNK bytes, each its
own token, and each chunk's plaintext starts with its number and a last-chunk flag: a reordered,
dropped or truncated chunk is refused like a wrong key. The key comes from the environment
(BACKUP_KEY, `manage.py backup --new-key` prints one) and is never written next to the backup.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"LLZB1\n"
CHUNK = 4 * 1024 * 1024
_HEADER = struct.Struct(">QB")  # chunk number, last flag
_LENGTH = struct.Struct(">I")


class BackupCorrupt(Exception):
    """Wrong key, or a file changed, cut short or put together from other chunks."""


def backup_key() -> Fernet:
    key = os.environ.get("BACKUP_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "BACKUP_KEY ontbreekt in de omgeving (maak er een met `backup --new-key`)."
        )
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise ImproperlyConfigured("BACKUP_KEY is geen geldige Fernet-sleutel.") from exc


class EncryptingWriter:
    """A write-only file object: what is written lands encrypted in `out`, chunk by chunk."""

    def __init__(self, out: BinaryIO, fernet: Fernet) -> None:
        self.out, self.fernet = out, fernet
        self.buffer = bytearray()
        self.number = 0
        out.write(MAGIC)

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        self._emit(bytes(self.buffer), last=True)
        self.buffer.clear()

    def flush(self) -> None:
        pass

    def _emit(self, data: bytes, *, last: bool) -> None:
        token = self.fernet.encrypt(_HEADER.pack(self.number, int(last)) + data)
        self.out.write(_LENGTH.pack(len(token)) + token)
        self.number += 1


def decrypted_chunks(source: BinaryIO, fernet: Fernet) -> Iterator[bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupCorrupt("Geen Leerlingzorg-back-up.")
    expected = 0
    while True:
        length = source.read(_LENGTH.size)
        if len(length) < _LENGTH.size:
            raise BackupCorrupt("De back-up is afgebroken.")
        token = source.read(_LENGTH.unpack(length)[0])
        try:
            plain = fernet.decrypt(token)
        except InvalidToken as exc:
            raise BackupCorrupt("Verkeerde sleutel of gewijzigde back-up.") from exc
        number, last = _HEADER.unpack(plain[: _HEADER.size])
        if number != expected:
            raise BackupCorrupt("De delen van de back-up staan niet in volgorde.")
        yield plain[_HEADER.size :]
        if last:
            if source.read(1):
                raise BackupCorrupt("Gegevens na het einde van de back-up.")
            return
        expected += 1


class DecryptingReader:
    """A read-only file object over decrypted_chunks (for tarfile's stream mode)."""

    def __init__(self, source: BinaryIO, fernet: Fernet) -> None:
        self.chunks = decrypted_chunks(source, fernet)
        self.buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            try:
                self.buffer += next(self.chunks)
            except StopIteration:
                break
        if size < 0:
            data, self.buffer = self.buffer, b""
        else:
            data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data
