"""Hostile uploads: size limits per kind of upload, zip bombs, and file names that try to leave a folder.

Used by every form and parser that takes a file (registry and valuation imports, KoBo /
ODK Central exports, gazetteer files, photographs, evidence, OpenRosa submissions) and
by everything that writes a file under a name it was given (evidence packages).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MIB = 1024 * 1024
# Defaults; settings.YURD_UPLOAD_LIMITS overrides them kind by kind.
UPLOAD_LIMITS = {
    "import": 100 * MIB,  # registry, valuation and gazetteer tables, KoBo / ODK Central exports
    "photo": 25 * MIB,
    "submission": 50 * MIB,  # one OpenRosa request: the XML and its attachments
    "evidence": 4096 * MIB,  # streamed to disk and hashed on the way, never held in memory
}
# An XLSX workbook is a zip: what it may inflate to, and how many parts it may have.
XLSX_MAX_UNCOMPRESSED = 256 * MIB
XLSX_MAX_MEMBERS = 2000


class UnsafeUploadError(ValueError):
    """The upload is refused before it is parsed; the message says why, for the person who sent it."""


def upload_limit(kind: str) -> int:
    return int(getattr(settings, "YURD_UPLOAD_LIMITS", {}).get(kind, UPLOAD_LIMITS[kind]))


def check_size(size: int, kind: str) -> None:
    limit = upload_limit(kind)
    if size > limit:
        raise UnsafeUploadError(
            _("The file is %(size)s; the limit for this kind of upload is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


@deconstructible
class MaxUploadSize:
    """Form field validator: `forms.FileField(validators=[MaxUploadSize("import")])`."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, file: Any) -> None:
        try:
            check_size(int(getattr(file, "size", 0) or 0), self.kind)
        except UnsafeUploadError as error:
            raise ValidationError(str(error), code="file_too_large") from error

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaxUploadSize) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


def check_zip(data: bytes, *, max_uncompressed: int | None = None, max_members: int = XLSX_MAX_MEMBERS) -> None:
    """Refuse a zip (an XLSX workbook) that would inflate past the limit, before anything inflates it.

    The central directory declares each member's size, and zipfile never returns more
    than the declared size (a member that lies fails its CRC), so summing the declared
    sizes bounds the memory and time a parser can spend on the workbook.
    """
    limit = max_uncompressed
    if limit is None:
        limit = int(getattr(settings, "YURD_XLSX_MAX_UNCOMPRESSED", XLSX_MAX_UNCOMPRESSED))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UnsafeUploadError(_("The file is not a readable XLSX workbook.")) from error
    if len(members) > max_members:
        raise UnsafeUploadError(_("The workbook has too many parts (%(count)d).") % {"count": len(members)})
    total = 0
    for member in members:
        if not is_safe_member_name(member.filename):
            raise UnsafeUploadError(_("The workbook holds a part with an unsafe name."))
        total += member.file_size
        if total > limit:
            raise UnsafeUploadError(
                _("The workbook would unpack to more than %(limit)s; split it or save it as CSV.")
                % {"limit": filesizeformat(limit)}
            )


def is_safe_member_name(name: str) -> bool:
    """True for a relative name that stays inside the folder it is unpacked into, on any system."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in name.split("/")


_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def safe_filename(name: str, *, default: str = "file", max_length: int = 200) -> str:
    """A file name that is one plain component on POSIX and Windows alike.

    The last path component (either separator), without control characters, NUL,
    reserved characters, leading dots or Windows device names; `default` if nothing is left.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_CHARACTERS.sub("_", name).strip(" .")
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) < 16:
            name = stem[: max_length - len(extension) - 1] + "." + extension
        else:
            name = name[:max_length]
        name = name.strip(" .")
    return name or default


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: no request body or uploaded file may pass the largest limit.

    Each form then holds its own kind of upload to its own limit with a clear message
    (`MaxUploadSize`); this bounds what reaches the disk before any form sees it.
    Refusing raises RequestDataTooBig, which Django answers with 400.
    """

    def handle_raw_input(
        self, input_data: Any, meta: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        if content_length and content_length > max_upload_size():
            raise RequestDataTooBig(_("The upload is larger than this server accepts."))

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = start + len(raw_data)
        if self.received > max_upload_size():
            raise RequestDataTooBig(_("The upload is larger than this server accepts."))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def max_upload_size() -> int:
    return max(upload_limit(kind) for kind in UPLOAD_LIMITS)
