"""Reading and guarding files in the default storage (local disk or an object store).

Used by the evidence vault and by backups; here, below both, so that core's backup reads
stored files without importing the evidence app.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import Storage, default_storage

CHUNK_SIZE = 1024 * 1024


def chunks_of(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk


@contextlib.contextmanager
def stored_chunks(name: str, *, storage: Storage | None = None) -> Iterator[Iterator[bytes]]:
    """The stored file's bytes, chunk by chunk (FileNotFoundError if it is not there)."""
    storage = storage or default_storage
    bucket = getattr(storage, "bucket", None)
    if bucket is not None and hasattr(storage, "_normalize_name"):
        # S3Storage.open() first copies the whole object to a temporary file; the
        # object's body streamed in chunks reads it once, in constant memory.
        from botocore.exceptions import ClientError  # noqa: PLC0415 - installed only with the s3 extra

        key = storage._normalize_name(name)
        try:
            body = bucket.Object(key).get()["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(name) from error
            raise
        try:
            yield body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()
        return
    with storage.open(name, "rb") as handle:
        yield chunks_of(handle)


def make_read_only(name: str) -> None:
    with contextlib.suppress(NotImplementedError):
        path = default_storage.path(name)
        os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
