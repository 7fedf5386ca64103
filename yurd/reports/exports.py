"""Large exports in the background: a core Job streams rows to a file under
MEDIA_ROOT/exports/, and the requester downloads it through a signed link that expires.

People come from the registry's own export (yurd.registry.exports.registry_export: the
same permission, scope, pseudonyms and access-log entry as its page); households are
built here the same way. Rows go to disk as they are read, so memory stays flat.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from yurd.accounts.models import User
from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.jobs import JobContext, job_function, job_start, register_job_kind
from yurd.core.models import AccessAction, Channel
from yurd.registry import selectors as registry
from yurd.registry.exports import neutralise, pseudonym, registry_export
from yurd.registry.models import Household
from yurd.reports.models import ExportFormat, ExportKind, ExportRequest

# Safe to run again after a lost worker: the run writes the same file name afresh.
EXPORT_JOB = register_job_kind("reports.export", gettext_lazy("Export"), retries_after_worker_loss=1)
_SALT = "yurd.reports.export-download"
PROGRESS_EVERY = 5000

HOUSEHOLD_PSEUDONYMOUS_COLUMNS = ["household", "origin_place", "wave", "displacement_year", "current_place", "members"]
HOUSEHOLD_IDENTIFIED_COLUMNS = [
    "household_code",
    "household_url",
    "origin_place",
    "wave",
    "displacement_date",
    "current_place",
    "members",
]


def link_lifetime_seconds() -> int:
    return int(getattr(settings, "YURD_EXPORT_LINK_SECONDS", 24 * 60 * 60))


def may_export(user: User) -> bool:
    return user.has_perm("reports.add_exportrequest") and user.has_perm("registry.export_registry")


def may_export_names(user: User) -> bool:
    return may_export(user) and user.has_perm("accounts.export_identified") and user.sees_names


def export_request(
    *, actor: Actor, kind: str, file_format: str, purpose: str, identified: bool = False
) -> ExportRequest:
    """Record the request and queue its job; with the inline backend (tests) it has run on return."""
    user = actor.user
    if user is None:
        raise PermissionDenied(_("Exports are requested by a person."))
    if not may_export(user):
        raise PermissionDenied(_("You may not export records."))
    if identified and not may_export_names(user):
        raise PermissionDenied(_("You may not export names."))
    if not purpose.strip():
        raise PermissionDenied(_("An export must state its purpose."))
    export = ExportRequest.objects.create(
        requested_by=user, kind=kind, file_format=file_format, purpose=purpose.strip(), identified=identified
    )
    job = job_start(EXPORT_JOB, user, run_export, export_id=str(export.pk))
    ExportRequest.objects.filter(pk=export.pk).update(job=job)
    export.refresh_from_db()
    return export


def export_directory() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "exports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@task()
@job_function
def run_export(job: JobContext, *, export_id: str) -> dict[str, Any]:
    export = ExportRequest.objects.select_related("requested_by").get(pk=export_id)
    actor = Actor(user=export.requested_by, channel=Channel.TASK)
    columns, rows, total = _rows(export, actor)
    file_name = f"yurd-{export.kind}-{export.created_at:%Y%m%d-%H%M}-{str(export.pk)[:8]}.{export.file_format}"
    path = export_directory() / file_name
    message = _("Writing rows")
    written = 0
    job.progress(0, total, message)

    def counted() -> Iterator[list[Any]]:
        nonlocal written
        for row in rows:
            written += 1
            if written % PROGRESS_EVERY == 0:
                job.progress(written, total, message)
            yield row

    if export.file_format == ExportFormat.XLSX:
        _write_xlsx(path, columns, counted())
    else:
        _write_csv(path, columns, counted())
    job.progress(written, max(total, written), message)
    ExportRequest.objects.filter(pk=export.pk).update(file_name=file_name, rows=written)
    return {"rows": written, "file": file_name}


def _rows(export: ExportRequest, actor: Actor) -> tuple[list[str], Iterator[list[Any]], int]:
    user = actor.user
    if export.kind == ExportKind.PEOPLE:
        made = registry_export(actor=actor, purpose=export.purpose, identified=export.identified)
        total = registry.person_list(user=user).count()
        return made.columns, made.rows, total
    households = (
        registry.household_list(user=user)
        .select_related(None)
        .select_related("origin_place", "current_place", "wave")
        .annotate(member_count=Count("members"))
    )
    log_access(
        actor,
        AccessAction.EXPORT,
        Household,
        purpose=export.purpose,
        detail={"identified": export.identified, "export": str(export.pk)},
    )
    return _household_columns(export.identified), _household_rows(households, export), households.count()


def _household_columns(identified: bool) -> list[str]:
    return HOUSEHOLD_IDENTIFIED_COLUMNS if identified else HOUSEHOLD_PSEUDONYMOUS_COLUMNS


def _household_rows(households: Any, export: ExportRequest) -> Iterator[list[Any]]:
    base_url = getattr(settings, "YURD_BASE_URL", "")
    for household in households.iterator(chunk_size=2000):
        origin = household.origin_place.name if household.origin_place else ""
        current = household.current_place.name if household.current_place else ""
        wave = household.wave.name if household.wave else ""
        date = household.displacement_date
        if export.identified:
            cells: list[Any] = [
                household.code,
                base_url + reverse("registry:household_detail", args=[household.code]),
                origin,
                wave,
                str(date or ""),
                current,
                household.member_count,
            ]
        else:
            cells = [
                pseudonym(household.code, export.purpose),
                origin,
                wave,
                str(date.year) if date else "",
                current,
                household.member_count,
            ]
        yield [neutralise(cell) if isinstance(cell, str) else cell for cell in cells]


def _write_csv(path: Path, columns: list[str], rows: Iterator[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def _write_xlsx(path: Path, columns: list[str], rows: Iterator[list[Any]]) -> None:
    from openpyxl import Workbook

    # write_only keeps one row in memory at a time (rows are spooled to a temporary file).
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("yurd")
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def download_token(export: ExportRequest) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(export.pk))


def export_for_token(token: str, *, user: User) -> ExportRequest:
    """The export a download link names, if the link has not expired and the user requested it."""
    try:
        export_id = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=link_lifetime_seconds())
    except signing.SignatureExpired:
        raise PermissionDenied(_("This download link has expired. Request the export again.")) from None
    except signing.BadSignature:
        raise PermissionDenied(_("This download link is not valid.")) from None
    export = ExportRequest.objects.filter(pk=export_id, requested_by=user).first()
    if export is None or not export.file_name:
        raise PermissionDenied(_("This export is not yours or has no file."))
    return export


def export_path(export: ExportRequest) -> Path:
    return export_directory() / export.file_name


@transaction.atomic
def export_download_logged(*, actor: Actor, export: ExportRequest) -> None:
    log_access(
        actor,
        AccessAction.DOWNLOAD,
        "reports.exportrequest",
        code=str(export.pk),
        purpose=export.purpose,
        detail={"file": export.file_name, "identified": export.identified},
    )
