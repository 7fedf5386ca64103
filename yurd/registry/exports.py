"""Exports of the registry: pseudonymised by default, names only for those allowed.

Pseudonyms are keyed per purpose: HMAC-SHA256(settings.YURD_PSEUDONYM_KEY, purpose +
code), so two exports for the same purpose can be joined and exports for different
purposes cannot. Identified exports carry each record's stable URL; pseudonymised ones
carry no code or URL, which would undo the pseudonym.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.csvsafe import neutralise
from yurd.core.models import AccessAction
from yurd.registry.models import Person
from yurd.registry.selectors import RegistryFilters, person_list

PSEUDONYMOUS_COLUMNS = [
    "person",
    "household",
    "household_role",
    "sex",
    "birth_year",
    "deceased",
    "death_year",
    "origin_place",
    "wave",
    "displacement_year",
    "current_place",
]
IDENTIFIED_COLUMNS = [
    "person_code",
    "person_url",
    "household_code",
    "household_url",
    "surname",
    "given_name",
    "patronymic",
    "household_role",
    "sex",
    "birth_date",
    "deceased",
    "death_date",
    "origin_place",
    "wave",
    "displacement_date",
    "current_place",
]


def pseudonym(code: str, purpose: str) -> str:
    key = str(settings.YURD_PSEUDONYM_KEY).encode()
    message = f"{purpose.strip().lower()}\x1f{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


@dataclass
class Export:
    columns: list[str]
    rows: Iterator[list[str]]
    identified: bool


def registry_export(
    *,
    actor: Actor,
    purpose: str,
    identified: bool = False,
    filters: RegistryFilters | None = None,
    base_url: str = "",
) -> Export:
    """The people the actor may see, one row each; logged as an export with its purpose."""
    user = actor.user
    if not purpose.strip():
        raise PermissionDenied(_("An export must state its purpose."))
    if user is not None and not user.has_perm("registry.export_registry"):
        raise PermissionDenied(_("You may not export the registry."))
    if identified and user is not None and not (user.has_perm("accounts.export_identified") and user.sees_names):
        raise PermissionDenied(_("You may not export names."))
    queryset = person_list(user=user, filters=filters).select_related("household__current_place")
    log_access(
        actor,
        AccessAction.EXPORT,
        Person,
        purpose=purpose,
        detail={"identified": identified, "filters": (filters or RegistryFilters()).__dict__},
    )

    def year(value: object) -> str:
        return str(getattr(value, "year", "")) if value else ""

    def rows() -> Iterator[list[str]]:
        for person in queryset.iterator(chunk_size=2000):
            household = person.household
            origin = household.origin_place.name if household.origin_place else ""
            current = household.current_place.name if household.current_place else ""
            wave = household.wave.name if household.wave else ""
            if identified:
                cells = [
                    person.code,
                    base_url + reverse("registry:person_detail", args=[person.code]),
                    household.code,
                    base_url + reverse("registry:household_detail", args=[household.code]),
                    person.surname,
                    person.given_name,
                    person.patronymic,
                    person.household_role,
                    person.sex,
                    str(person.birth_date or ""),
                    "yes" if person.is_deceased else "no",
                    str(person.death_date or ""),
                    origin,
                    wave,
                    str(household.displacement_date or ""),
                    current,
                ]
            else:
                cells = [
                    pseudonym(person.code, purpose),
                    pseudonym(household.code, purpose),
                    person.household_role,
                    person.sex,
                    year(person.birth_date),
                    "yes" if person.is_deceased else "no",
                    year(person.death_date),
                    origin,
                    wave,
                    year(household.displacement_date),
                    current,
                ]
            yield [neutralise(cell) for cell in cells]

    return Export(IDENTIFIED_COLUMNS if identified else PSEUDONYMOUS_COLUMNS, rows(), identified)


def export_csv(export: Export) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # spreadsheets open UTF-8 correctly with a BOM
    writer.writerow(export.columns)
    for row in export.rows:
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_xlsx(export: Export) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("registry")
    sheet.append(export.columns)
    for row in export.rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
