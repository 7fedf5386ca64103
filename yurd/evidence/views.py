from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.core.record_types import record_type_label
from yurd.evidence.forms import EvidenceFilterForm, EvidenceUploadForm
from yurd.evidence.models import DerivativeRole, EvidenceItem, LinkRelation, Sensitivity
from yurd.evidence.selectors import custody_log, evidence_get, evidence_list, visible_evidence
from yurd.evidence.services import evidence_ingest, evidence_record_download, evidence_record_view
from yurd.evidence.storage import StorageFullError


@login_required
@permission_required("evidence.view_evidenceitem", raise_exception=True)
def item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EvidenceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = evidence_list(actor=actor_from_request(request), filters=filters)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    log_access(actor_from_request(request), AccessAction.LIST, EvidenceItem, detail={"page": page.number})
    return render(request, "evidence/item_list.html", {"form": form, "page": page})


@login_required
@permission_required("evidence.add_evidenceitem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file")
        try:
            result = evidence_ingest(
                actor=actor_from_request(request),
                stream=upload.chunks(),
                original_name=upload.name or "",
                media_type=upload.content_type or "",
                **data,
            )
        except StorageFullError as error:
            form.add_error(None, error)
            return render(request, "evidence/item_upload.html", {"form": form}, status=507)
        if result.created:
            messages.success(request, _("Stored. SHA-256: %(sha256)s") % {"sha256": result.item.sha256})
        else:
            messages.info(request, _("These exact bytes are already in the vault; showing the existing item."))
        return redirect("evidence:item_detail", code=result.item.public_code)
    return render(request, "evidence/item_upload.html", {"form": form})


# What the item page says of a custody entry's details; digests (checked by `yurd evidence
# verify`) are left out, and the original file name only for those who see personal names.
CUSTODY_DETAILS = {
    "linked": gettext_lazy("record"),
    "relation": gettext_lazy("relation"),
    "recipient": gettext_lazy("recipient"),
    "note": gettext_lazy("note"),
    "from": gettext_lazy("from"),
    "to": gettext_lazy("to"),
    "reason": gettext_lazy("reason"),
    "derivative": gettext_lazy("working copy"),
    "bytes": gettext_lazy("bytes"),
    "size": gettext_lazy("size in bytes"),
    "original_name": gettext_lazy("original file name"),
    "unsealed": gettext_lazy("unsealed for testimony"),
    "purpose": gettext_lazy("purpose"),
}
# Details stored as codes, named in the page's language (an unknown code shows as stored).
_CODED_DETAILS: dict[str, type[models.TextChoices]] = {
    "relation": LinkRelation,
    "derivative": DerivativeRole,
    "from": Sensitivity,
    "to": Sensitivity,
}


def _custody_value(key: str, value: Any) -> Any:
    if key in _CODED_DETAILS:
        return dict(_CODED_DETAILS[key].choices).get(value, value)
    if key == "linked" and isinstance(value, str) and ":" in value:
        # "registry.household:HH-000012": the record's type by name, then its code.
        target_type, _colon, code = value.partition(":")
        return f"{record_type_label(target_type)} {code}"
    return value


def _custody_rows(request: AuthenticatedHttpRequest, item: EvidenceItem) -> list[dict[str, Any]]:
    personal = request.user.has_perm("accounts.view_personal_names")
    rows = []
    for entry in custody_log(item):
        details = [
            (CUSTODY_DETAILS[key], _custody_value(key, value))
            for key, value in entry.details.items()
            if key in CUSTODY_DETAILS and value not in ("", None) and (personal or key != "original_name")
        ]
        rows.append({"entry": entry, "details": details})
    return rows


@login_required
def item_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    actor = actor_from_request(request)
    item = evidence_get(actor=actor, public_code=code)
    evidence_record_view(actor=actor, item=item)
    return render(
        request,
        "evidence/item_detail.html",
        {
            "item": item,
            "links": item.links.all(),
            "derivatives": item.derivatives.all(),
            "can_download": request.user.has_perm("evidence.download_evidence"),
            "custody": _custody_rows(request, item),
        },
    )


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range a player asks for ("bytes=0-", "bytes=100-199", "bytes=-500"), inclusive;
    None when the header is absent or asks for several ranges (then the whole file is sent);
    raises ValueError when it cannot be satisfied."""
    match = _RANGE.fullmatch(header.strip())
    if not match or not any(match.groups()):
        return None
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(0, size - int(last)), size - 1
    if start >= size or start > end:
        raise ValueError(header)
    return start, end


def _file_part(handle: IO[bytes], start: int, length: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    try:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


@login_required
@permission_required("evidence.download_evidence", raise_exception=True)
def item_download(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    """The original, byte for byte; a single byte range (206) lets players seek in a long
    recording without fetching all of it. Every request, whole or part, is in the custody log."""
    actor = actor_from_request(request)
    item = evidence_get(actor=actor, public_code=code)
    try:
        wanted = _byte_range(request.headers.get("Range", ""), item.size)
    except ValueError:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{item.size}"
        return refused
    if wanted is None:
        evidence_record_download(actor=actor, item=item)
        response: HttpResponseBase = FileResponse(
            default_storage.open(item.storage_name, "rb"),
            as_attachment=True,
            filename=item.original_name or item.sha256,
            content_type=item.media_type or "application/octet-stream",
        )
        response["Digest"] = f"sha-256={item.sha256}"
    else:
        start, end = wanted
        evidence_record_download(actor=actor, item=item, byte_range=(start, end))
        response = StreamingHttpResponse(
            _file_part(default_storage.open(item.storage_name, "rb"), start, end - start + 1),
            status=206,
            content_type=item.media_type or "application/octet-stream",
        )
        response["Content-Range"] = f"bytes {start}-{end}/{item.size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


def item_thumbnail(request: HttpRequest, code: str) -> FileResponse:
    """Thumbnails of public items are open to all (the public catalogue); others need access.
    Both go through the vault's one rule, so a sealed recording's thumbnail is sealed too."""
    item = visible_evidence(None, public=True).filter(public_code=code).first()
    if item is None:
        if not request.user.is_authenticated:
            raise Http404
        item = evidence_get(actor=actor_from_request(request), public_code=code)
    derivative = item.derivatives.filter(role=DerivativeRole.THUMBNAIL).first()
    if derivative is None:
        raise Http404
    if item.sensitivity != Sensitivity.PUBLIC:
        # A thumbnail shows what the item shows; public ones serve the public catalogue.
        log_access(actor_from_request(request), AccessAction.VIEW, item, detail={"derivative": "thumbnail"})
    response = FileResponse(default_storage.open(derivative.storage_name, "rb"), content_type=derivative.media_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
