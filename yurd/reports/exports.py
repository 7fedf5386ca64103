"""Large exports in the background: a core Job streams rows to a file under
MEDIA_ROOT/exports/, and the requester downloads it through a signed link that expires.

People go through the registry's own export (yurd.registry.exports.registry_export: the
same permission checks, scope, columns, pseudonyms and access-log entry as its page), but
their rows are read here as plain tuples rather than model instances: at 250,000 people
that is the difference between minutes and seconds. Households are built the same way.
Rows go to disk as they are read, so memory stays flat.
"""

from __future__ import annotations

import csv
import hmac
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from openpyxl import Workbook

from yurd.accounts.models import User
from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.csvsafe import neutralise
from yurd.core.job_kinds import register_job_kind
from yurd.core.jobs import JobContext, job_function, job_start
from yurd.core.models import AccessAction, Channel
from yurd.core.partial_dates import PartialDate
from yurd.places.models import Place
from yurd.registry import selectors as registry
from yurd.registry.exports import pseudonym, registry_export
from yurd.registry.models import Household, Wave
from yurd.reports.models import ExportFormat, ExportKind, ExportRequest

# Safe to run again after a lost worker: the run writes the same file name afresh.
EXPORT_JOB = register_job_kind(
    "reports.export", gettext_lazy("Export"), retries_after_worker_loss=1, result_labels={"rows": gettext_lazy("Rows")}
)
_SALT = "yurd.reports.export-download"
PROGRESS_EVERY = 5000
CHUNK_SIZE = 5000

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
        # The registry's export checks the permissions, logs the export and names the
        # columns; its own row generator is never started (the rows are read below).
        made = registry_export(actor=actor, purpose=export.purpose, identified=export.identified)
        people = registry.person_list(user=user)
        return made.columns, person_rows(people, purpose=export.purpose, identified=export.identified), people.count()
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


def fast_pseudonym(purpose: str) -> Callable[[str], str]:
    """yurd.registry.exports.pseudonym for one purpose, through the one-shot C HMAC."""
    key = str(settings.YURD_PSEUDONYM_KEY).encode()
    prefix = f"{purpose.strip().lower()}\x1f"
    digest = hmac.digest

    def made(code: str) -> str:
        return digest(key, (prefix + code).encode(), "sha256")[:8].hex()

    return made


_PLAIN_CODE = re.compile(r"[A-Za-z0-9._-]+")


def _url_maker(url_name: str, base_url: str) -> Callable[[str], str]:
    """reverse(url_name, args=[code]) without resolving the pattern for every row."""
    marker = "CODE0MARKER"
    template = base_url + reverse(url_name, args=[marker])

    def made(code: str) -> str:
        if _PLAIN_CODE.fullmatch(code):
            return template.replace(marker, code)
        return base_url + reverse(url_name, args=[code])

    return made


def _year(text: str | None) -> str:
    """The year of a stored partial date ("1951-03~" -> "1951"), "" when there is none."""
    return str(int(text)) if text and text[:4].isdigit() else ""


def person_rows(people: Any, *, purpose: str, identified: bool, base_url: str = "") -> Iterator[list[Any]]:
    """The rows of yurd.registry.exports.registry_export for these people, cell for cell,
    from plain tuples: one join (person to household), places and waves looked up from
    small dictionaries, household pseudonyms computed once per household."""
    place_names = {pk: neutralise(name) for pk, name in Place.objects.values_list("pk", "name")}
    wave_names = {pk: neutralise(name) for pk, name in Wave.objects.values_list("pk", "name")}
    people = people.select_related(None)
    if identified:
        yield from _identified_person_rows(people, place_names, wave_names, base_url)
        return
    make = fast_pseudonym(purpose)
    households: dict[int, str] = {}
    safe: dict[str, str] = {}
    rows = people.annotate(
        birth_year=Substr("birth_date", 1, 4),
        death_year=Substr("death_date", 1, 4),
        displacement_year=Substr("household__displacement_date", 1, 4),
    ).values_list(
        "code",
        "household_id",
        "household__code",
        "household_role",
        "sex",
        "birth_year",
        "is_deceased",
        "death_year",
        "household__origin_place_id",
        "household__wave_id",
        "displacement_year",
        "household__current_place_id",
    )
    for (
        code,
        household_id,
        household_code,
        role,
        sex,
        birth_year,
        deceased,
        death_year,
        origin_id,
        wave_id,
        displacement_year,
        current_id,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        household = households.get(household_id)
        if household is None:
            household = households[household_id] = make(household_code)
        yield [
            make(code),
            household,
            safe.get(role) or safe.setdefault(role, neutralise(role)),
            safe.get(sex) or safe.setdefault(sex, neutralise(sex)),
            _year(birth_year),
            "yes" if deceased else "no",
            _year(death_year),
            place_names.get(origin_id, ""),
            wave_names.get(wave_id, ""),
            _year(displacement_year),
            place_names.get(current_id, ""),
        ]


def _identified_person_rows(
    people: Any, place_names: dict[int, str], wave_names: dict[int, str], base_url: str
) -> Iterator[list[Any]]:
    person_url = _url_maker("registry:person_detail", base_url)
    household_url = _url_maker("registry:household_detail", base_url)
    dates: dict[str, str] = {"": ""}

    def shown(stored: str) -> str:
        text = dates.get(stored)
        if text is None:
            text = dates[stored] = neutralise(str(PartialDate.from_storage(stored)))
        return text

    # Substr reads the stored text as it is (the field would parse every value).
    rows = people.annotate(
        birth_text=Substr("birth_date", 1, 32),
        death_text=Substr("death_date", 1, 32),
        displacement_text=Substr("household__displacement_date", 1, 32),
    ).values_list(
        "code",
        "household__code",
        "surname",
        "given_name",
        "patronymic",
        "household_role",
        "sex",
        "is_deceased",
        "household__origin_place_id",
        "household__wave_id",
        "household__current_place_id",
        "birth_text",
        "death_text",
        "displacement_text",
    )
    for (
        code,
        household_code,
        surname,
        given_name,
        patronymic,
        role,
        sex,
        deceased,
        origin_id,
        wave_id,
        current_id,
        birth_text,
        death_text,
        displacement_text,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [
            neutralise(code),
            person_url(code),
            neutralise(household_code),
            household_url(household_code),
            neutralise(surname),
            neutralise(given_name),
            neutralise(patronymic),
            neutralise(role),
            neutralise(sex),
            shown(birth_text or ""),
            "yes" if deceased else "no",
            shown(death_text or ""),
            place_names.get(origin_id, ""),
            wave_names.get(wave_id, ""),
            shown(displacement_text or ""),
            place_names.get(current_id, ""),
        ]


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
