"""Write-once, content-addressed storage of originals behind Django's storage API.

An original lives at evidence/ab/cd/<sha256>; a derivative at evidence-derived/ab/cd/<sha256>-<role>.
Local disk (FileSystemStorage) by default; any S3-compatible backend configured as the
default storage works the same (django-storages' S3Storage, `YURD_S3_BUCKET` in
production settings), with object lock providing write-once in production. Staging then
happens in the system's temporary directory, and hashing a stored object streams it
from the bucket instead of downloading it to a temporary file first.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext as _

from yurd.core.storage import chunks_of, make_read_only, stored_chunks


class OverwriteRefusedError(Exception):
    """Something else already lives under this content address."""


class StorageFullError(ValidationError):
    """The disk (or the file size limit) ran out while staging or storing a file.

    A ValidationError, so the API answers 400 with the message; the upload page and
    the command line show it too. Nothing was kept: the partial copy is removed.
    """


# No space, quota exceeded, file larger than the process may write.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


@contextlib.contextmanager
def no_room_is_refused() -> Iterator[None]:
    try:
        yield
    except OSError as error:
        if error.errno not in _NO_ROOM:
            raise
        raise StorageFullError(
            _("The evidence store has no room left for this file; nothing was saved. Tell an administrator."),
            code="storage_full",
        ) from error


def original_name(sha256: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def derivative_name(sha256: str, role: str, extension: str) -> str:
    return f"evidence-derived/{sha256[:2]}/{sha256[2:4]}/{sha256}-{role}.{extension}"


@dataclass(frozen=True)
class Digest:
    sha256: str
    sha512: str
    size: int


# SHA-512 has no hardware support here and costs more than SHA-256 and the copy together;
# hashlib releases the GIL on large updates, so a second thread hashes it alongside.
_SHA512_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yurd-sha512")


def digest_chunks(chunks: Iterable[bytes], *, sha512: bool = True, sink: IO[bytes] | None = None) -> Digest:
    """Hash a stream chunk by chunk (constant memory), copying it to sink if given."""
    sha256_hash = hashlib.sha256()
    sha512_hash = hashlib.sha512() if sha512 else None
    size = 0
    pending: Future[None] | None = None
    for chunk in chunks:
        if sha512_hash is not None:
            # One chunk in flight at a time keeps the updates in order; chunks are
            # immutable bytes, so the thread reads exactly what was written.
            if pending is not None:
                pending.result()
            pending = _SHA512_THREAD.submit(sha512_hash.update, bytes(chunk))
        sha256_hash.update(chunk)
        if sink is not None:
            sink.write(chunk)
        size += len(chunk)
    if pending is not None:
        pending.result()
    return Digest(sha256_hash.hexdigest(), sha512_hash.hexdigest() if sha512_hash else "", size)


def digest_stored(name: str, *, storage: Storage | None = None) -> Digest:
    storage = storage or default_storage
    with stored_chunks(name, storage=storage) as chunks:
        return digest_chunks(chunks, sha512=False)


class _StagedFile(File):
    """A file already on disk: FileSystemStorage moves it into place instead of copying."""

    def temporary_file_path(self) -> str:
        return str(self.name)


@contextlib.contextmanager
def staged_copy(stream: IO[bytes] | Iterable[bytes]) -> Iterator[tuple[Digest, Path]]:
    """Copy the stream to a temporary file while hashing it; yield the digest and the file."""
    directory = _staging_directory()
    handle = tempfile.NamedTemporaryFile(dir=directory, prefix="ingest-", delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        chunks = chunks_of(stream) if hasattr(stream, "read") else stream  # type: ignore[arg-type]
        with no_room_is_refused(), handle:
            digest = digest_chunks(chunks, sink=handle)
        yield digest, path
    finally:
        path.unlink(missing_ok=True)


def _staging_directory() -> str | None:
    # On the same file system as the store, so the final move is a rename.
    try:
        root = Path(default_storage.path("evidence-staging"))
    except NotImplementedError:
        return None
    root.mkdir(parents=True, exist_ok=True)
    return str(root)


def store_original(staged: Path, digest: Digest) -> str:
    """Put the staged file at its content address unless it is already there. Never overwrites."""
    name = original_name(digest.sha256)
    if default_storage.exists(name):
        existing = digest_stored(name)
        if existing.sha256 != digest.sha256:
            raise OverwriteRefusedError(f"{name} holds other bytes; refusing to overwrite it")
        return name
    with no_room_is_refused(), staged.open("rb") as handle:
        saved = default_storage.save(name, _StagedFile(handle, name=str(staged)))
    if saved != name:
        default_storage.delete(saved)
        raise OverwriteRefusedError(f"{name} appeared while storing; refusing to overwrite it")
    make_read_only(name)
    return name


def store_derivative(name: str, content: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    with no_room_is_refused():
        return default_storage.save(name, ContentFile(content))
