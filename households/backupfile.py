"""The encrypted backup file: its key and its authenticated, chunked container.

A backup holds BSN hashes, names and case notes, so it never lies on disk
unencrypted. The key is **not** the pseudonymisation key (that one stays out of
every backup): it comes from ``KISS_BACKUP_KEY`` or from ``kiss-backup.key``
beside the pseudonymisation key file, which :func:`ensure_backup_key` creates.

Layout (``formaat`` 1)::

    b"KISSBAK1\\n" | header length (4 bytes) | header (JSON)
    | chunk 0 | chunk 1 | ... | last chunk        each: length (4 bytes) | AES-256-GCM

The AES key is derived per file from the key text and the header's random
salt (scrypt). Chunk ``i`` is sealed with nonce ``prefix || i`` and the
associated data ``header || i || last-flag``: an edited byte, a swapped,
dropped or added chunk, an edited header and a cut-off tail (no chunk marked
last) all fail, before anything is restored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from households import settings
from households.errors import InvalidInput

__all__ = [
    "MAGIC",
    "CHUNK",
    "backup_key",
    "ensure_backup_key",
    "key_id",
    "EncryptingWriter",
    "decrypt",
    "write_payload",
    "unpack",
    "private_dir",
]

MAGIC = b"KISSBAK1\n"
CHUNK = 1 << 20
_TAG = 16
_LEN = struct.Struct(">I")
MSG_DAMAGED = (
    "Het back-upbestand {name} is beschadigd of gewijzigd (controle van de versleuteling "
    "mislukt); er is niets hersteld."
)
MSG_TRUNCATED = "Het back-upbestand {name} is onvolledig (afgebroken); er is niets hersteld."


def ensure_backup_key() -> Path | None:
    """Create ``kiss-backup.key`` when no backup key is configured; return its path when created."""
    if settings.backup_key_text():
        return None
    path = settings.backup_key_file_path()
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path


def backup_key() -> bytes:
    """The backup key text (``KISS_BACKUP_KEY`` or the backup key file); never the BSN key."""
    text = settings.backup_key_text()
    if text is None:
        path = settings.backup_key_file_path()
        if not path.exists():
            raise InvalidInput(
                f"Geen back-upsleutel: zet KISS_BACKUP_KEY of zet het sleutelbestand {path} "
                "terug (het staat naast het sleutelbestand van de pseudonimisering)."
            )
        text = path.read_text().strip()
    if len(text) < 16:
        raise InvalidInput("De back-upsleutel is te kort: gebruik minstens 16 tekens.")
    from households.bsn import secret_key

    if hmac.compare_digest(text.encode(), secret_key()):
        raise InvalidInput(
            "De back-upsleutel is gelijk aan de sleutel van de BSN-pseudonimisering; "
            "kies een eigen sleutel, zodat een back-up en die sleutel nooit samen uitlekken."
        )
    return text.encode()


def key_id(key: bytes) -> str:
    """A short fingerprint of the key (in the header, so a wrong key is named as such)."""
    return hmac.new(key, b"kiss-backup-key-id", hashlib.sha256).hexdigest()[:12]


def _aes(key: bytes, salt: bytes) -> AESGCM:
    return AESGCM(hashlib.scrypt(key, salt=salt, n=2**14, r=8, p=1, dklen=32))


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">QB", index, last)


class EncryptingWriter:
    """A write-only binary stream that seals what is written to ``target`` chunk by chunk."""

    def __init__(self, target: BinaryIO, key: bytes) -> None:
        self._target = target
        salt, self._prefix = secrets.token_bytes(16), secrets.token_bytes(8)
        header = {
            "formaat": 1,
            "salt": salt.hex(),
            "nonce": self._prefix.hex(),
            "sleutel_id": key_id(key),
            "chunk": CHUNK,
        }
        self._header = json.dumps(header, sort_keys=True).encode()
        self._aes = _aes(key, salt)
        self._buffer = bytearray()
        self._index = 0
        target.write(MAGIC + _LEN.pack(len(self._header)) + self._header)

    def write(self, data: bytes) -> int:
        """Buffer ``data``; seal every full chunk."""
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back for the last chunk
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        """Seal the rest as the chunk marked last (possibly empty)."""
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, plain: bytes, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._index)
        sealed = self._aes.encrypt(nonce, plain, _aad(self._header, self._index, last))
        self._target.write(_LEN.pack(len(sealed)) + sealed)
        self._index += 1


def _read_exact(source: BinaryIO, size: int, name: str) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise InvalidInput(MSG_TRUNCATED.format(name=name))
    return data


def decrypt(source: BinaryIO, key: bytes, name: str) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk; each chunk is authenticated before it is yielded.

    Raises :class:`InvalidInput` (Dutch) for a file that is not a backup, a wrong
    key, a changed byte, or a cut-off file (detected at the end: use the output
    only after the iterator is exhausted).
    """
    if source.read(len(MAGIC)) != MAGIC:
        raise InvalidInput(f"{name} is geen back-up van de KISS hub.")
    (size,) = _LEN.unpack(_read_exact(source, _LEN.size, name))
    if size > 4096:
        raise InvalidInput(MSG_DAMAGED.format(name=name))
    header = _read_exact(source, size, name)
    try:
        fields = json.loads(header)
        salt, chunk = bytes.fromhex(fields["salt"]), int(fields["chunk"])
        prefix = bytes.fromhex(fields["nonce"])
        file_key_id = str(fields["sleutel_id"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput(MSG_DAMAGED.format(name=name)) from None
    if len(prefix) != 8:
        raise InvalidInput(MSG_DAMAGED.format(name=name))
    if file_key_id != key_id(key):
        raise InvalidInput(
            f"{name} is versleuteld met een andere back-upsleutel (sleutel-id {file_key_id}, "
            f"de ingestelde sleutel heeft id {key_id(key)}); zet de juiste KISS_BACKUP_KEY."
        )
    aes = _aes(key, salt)
    index = 0
    while True:
        (length,) = _LEN.unpack(_read_exact(source, _LEN.size, name))
        if not _TAG <= length <= chunk + _TAG:
            raise InvalidInput(MSG_DAMAGED.format(name=name))
        sealed = _read_exact(source, length, name)
        plain, last = _open(aes, prefix, header, index, sealed, name)
        yield plain
        if last:
            break
        index += 1
    if source.read(1):
        raise InvalidInput(MSG_DAMAGED.format(name=name))


def _open(
    aes: AESGCM, prefix: bytes, header: bytes, index: int, sealed: bytes, name: str
) -> tuple[bytes, bool]:
    """Open chunk ``index``; it is the last one when it opens with the last-flag set."""
    nonce = prefix + struct.pack(">I", index)
    for last in (False, True):
        try:
            return aes.decrypt(nonce, sealed, _aad(header, index, last)), last
        except InvalidTag:
            continue
    raise InvalidInput(MSG_DAMAGED.format(name=name))


# --- the payload: manifest first, then the database ---------------------------------------


def write_payload(writer: EncryptingWriter, manifest: dict[str, Any]) -> None:
    """Write the manifest (length-prefixed JSON) first; the database follows it."""
    data = json.dumps(manifest, sort_keys=True).encode()
    writer.write(_LEN.pack(len(data)) + data)


@contextmanager
def private_dir() -> Iterator[Path]:
    """A temporary directory only this user can read (plaintext never lingers)."""
    path = Path(tempfile.mkdtemp(prefix="kiss-backup-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def unpack(path: Path, target: Path, product: str) -> dict[str, Any]:
    """Decrypt ``path``: the database goes to ``target``, the manifest is returned."""
    if not path.is_file():
        raise InvalidInput(f"Bestand niet gevonden: {path}")
    key = backup_key()
    head = bytearray()
    manifest: dict[str, Any] | None = None
    inflate = None
    with open(path, "rb") as source, open(target, "wb") as out:
        for plain in decrypt(source, key, path.name):
            if manifest is None:
                head += plain
                size = _LEN.size + _LEN.unpack(head[:4])[0] if len(head) >= _LEN.size else None
                if size is None or len(head) < size:
                    continue
                manifest = json.loads(head[_LEN.size : size])
                if isinstance(manifest, dict) and manifest.get("compressie") == "zlib":
                    inflate = zlib.decompressobj()
                plain = bytes(head[size:])
            out.write(inflate.decompress(plain) if inflate else plain)
        if inflate is not None:
            out.write(inflate.flush())
    if not isinstance(manifest, dict) or manifest.get("product") != product:
        raise InvalidInput(f"{path.name} bevat geen manifest van de KISS hub.")
    return manifest
