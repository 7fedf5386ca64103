"""Streaming, authenticated encryption of backup archives with a passphrase.

Format: a header (magic, scrypt parameters, salt), then chunks of at most 1 MiB,
each `len(4 bytes) nonce(12) ciphertext+tag` sealed with AES-256-GCM. The
associated data of every chunk binds the header, the chunk's index and whether it
is the last one, so a reordered, truncated or extended file fails to decrypt.
The key comes from the passphrase through scrypt (n=2**15, r=8, p=1).
"""

from __future__ import annotations

import os
import struct
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"YURD-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_HEADER = struct.Struct(">IIB16s")  # n, r, p, salt
_LENGTH = struct.Struct(">I")


class DecryptionError(Exception):
    """Wrong passphrase, or the file was altered, truncated or is not an encrypted backup."""


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">QB", index, 1 if final else 0)


def is_encrypted(path: os.PathLike[str] | str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


class EncryptingWriter:
    """A write-only binary stream that encrypts into `sink` (call close() to seal it)."""

    def __init__(self, sink: IO[bytes], passphrase: str) -> None:
        if not passphrase:
            raise ValueError("An empty passphrase cannot protect a backup.")
        salt = os.urandom(16)
        self.header = MAGIC + _HEADER.pack(_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, salt)
        self.aead = AESGCM(_key(passphrase, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P))
        self.sink = sink
        self.sink.write(self.header)
        self.buffer = bytearray()
        self.index = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), final=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, final: bool) -> None:
        nonce = os.urandom(12)
        sealed = self.aead.encrypt(nonce, plain, _aad(self.header, self.index, final))
        self.sink.write(_LENGTH.pack(len(sealed)) + nonce + sealed)
        self.index += 1

    def flush(self) -> None:
        self.sink.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), final=True)
            self.buffer.clear()
            self.sink.flush()
            self.closed = True


class DecryptingReader:
    """A read-only binary stream over an encrypted backup; raises DecryptionError on tampering."""

    def __init__(self, source: IO[bytes], passphrase: str) -> None:
        magic = source.read(len(MAGIC))
        if magic != MAGIC:
            raise DecryptionError("This file is not an encrypted Yurd backup.")
        raw = source.read(_HEADER.size)
        if len(raw) != _HEADER.size:
            raise DecryptionError("The encrypted backup's header is cut short.")
        n, r, p, salt = _HEADER.unpack(raw)
        if n > 2**20 or r > 16 or p > 4:
            raise DecryptionError("The encrypted backup asks for unreasonable key-derivation costs.")
        self.header = magic + raw
        self.aead = AESGCM(_key(passphrase, salt, n, r, p))
        self.source = source
        self.index = 0
        self.buffer = b""
        self.finished = False

    def _next_chunk(self) -> None:
        raw = self.source.read(_LENGTH.size)
        if len(raw) != _LENGTH.size:
            raise DecryptionError("The encrypted backup is truncated.")
        (length,) = _LENGTH.unpack(raw)
        if length > CHUNK + 16:
            raise DecryptionError("The encrypted backup holds an oversized chunk.")
        nonce = self.source.read(12)
        sealed = self.source.read(length)
        if len(nonce) != 12 or len(sealed) != length:
            raise DecryptionError("The encrypted backup is truncated.")
        for final in (False, True):
            try:
                plain = self.aead.decrypt(nonce, sealed, _aad(self.header, self.index, final))
            except InvalidTag:
                continue
            self.index += 1
            self.buffer += plain
            if final:
                self.finished = True
                if self.source.read(1):
                    raise DecryptionError("The encrypted backup has data after its end.")
            return
        raise DecryptionError("Wrong passphrase, or the encrypted backup was altered.")

    def read(self, size: int = -1) -> bytes:
        while not self.finished and (size < 0 or len(self.buffer) < size):
            self._next_chunk()
        if size < 0:
            data, self.buffer = self.buffer, b""
        else:
            data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data
