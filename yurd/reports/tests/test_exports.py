"""Background exports: pseudonymised by default, names only when allowed, logged, expiring links."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import Settings

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.core.models import AccessAction, AccessLogEntry, JobStatus
from yurd.registry.exports import registry_export
from yurd.registry.models import Person
from yurd.registry.selectors import person_list
from yurd.reports.exports import download_token, export_path, export_request, person_rows
from yurd.reports.models import ExportRequest
from yurd.reports.tests.data import all_names, populate
from yurd.testing.personas import Gazetteer
from yurd.testing.responses import streamed

pytestmark = pytest.mark.django_db

PURPOSE = "Household survey planning for 2027, district A"


def download(client: Client, export: ExportRequest) -> bytes:
    response = client.get(reverse("reports:export_download", args=[download_token(export)]))
    assert response.status_code == 200
    return streamed(response)


def test_registrar_exports_pseudonymised_people_of_her_district(
    client: Client, gazetteer: Gazetteer, registrar: User
) -> None:
    populate(gazetteer)
    client.force_login(registrar)
    response = client.post(reverse("reports:export_list"), {"kind": "people", "file_format": "csv", "purpose": PURPOSE})
    assert response.status_code == 302
    export = ExportRequest.objects.get()
    assert export.job is not None
    assert export.job.status == JobStatus.SUCCEEDED
    assert export.rows == 96
    text = download(client, export).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "person"
    assert len(rows) == 97
    for name in all_names():
        assert name not in text
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT, purpose=PURPOSE).exists()
    assert AccessLogEntry.objects.filter(action=AccessAction.DOWNLOAD, target_code=str(export.pk)).exists()


def test_identified_xlsx_export_of_households_carries_codes(gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    export = export_request(
        actor=Actor(user=registrar), kind="households", file_format="xlsx", purpose=PURPOSE, identified=True
    )
    workbook = load_workbook(export_path(export), read_only=True)
    try:
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()  # read-only workbooks keep the file open until closed
    assert rows[0][0] == "household_code"
    assert len(rows) == 33
    assert all(str(row[0]).startswith("HH-") for row in rows[1:])


def test_analyst_may_not_export_records(client: Client, gazetteer: Gazetteer, analyst: User) -> None:
    client.force_login(analyst)
    response = client.post(reverse("reports:export_list"), {"kind": "people", "file_format": "csv", "purpose": PURPOSE})
    assert response.status_code == 403
    assert not ExportRequest.objects.exists()


def test_names_need_the_identified_export_permission(gazetteer: Gazetteer, assessor: User) -> None:
    with pytest.raises(PermissionDenied):
        export_request(actor=Actor(user=assessor), kind="people", file_format="csv", purpose=PURPOSE, identified=True)


def test_purpose_is_required(client: Client, gazetteer: Gazetteer, registrar: User) -> None:
    client.force_login(registrar)
    response = client.post(reverse("reports:export_list"), {"kind": "people", "file_format": "csv", "purpose": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["purpose"]


def test_spreadsheet_formulas_are_neutralised(gazetteer: Gazetteer, registrar: User) -> None:
    households = populate(gazetteer)
    gazetteer.settlement_b1.name = '=HYPERLINK("http://evil")'
    gazetteer.settlement_b1.save()
    export = export_request(actor=Actor(user=registrar), kind="households", file_format="csv", purpose=PURPOSE)
    text = export_path(export).read_text(encoding="utf-8-sig")
    assert households
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_expired_or_foreign_links_are_refused(
    client: Client, gazetteer: Gazetteer, registrar: User, administrator: User, settings: Settings
) -> None:
    populate(gazetteer)
    export = export_request(actor=Actor(user=registrar), kind="people", file_format="csv", purpose=PURPOSE)
    token = download_token(export)
    client.force_login(administrator)
    assert client.get(reverse("reports:export_download", args=[token])).status_code in (302, 403)
    client.force_login(registrar)
    settings.YURD_EXPORT_LINK_SECONDS = -1
    assert client.get(reverse("reports:export_download", args=[token])).status_code == 403
    tampered = signing.TimestampSigner(salt="other").sign(str(export.pk))
    assert client.get(reverse("reports:export_download", args=[tampered])).status_code == 403


@pytest.mark.parametrize("identified", [False, True])
def test_people_rows_match_the_registry_export_cell_for_cell(
    gazetteer: Gazetteer, registrar: User, identified: bool
) -> None:
    """The background export reads plain tuples for speed; its rows must be exactly the
    registry export's (pseudonyms, years, dates, URLs, neutralised formulas)."""
    populate(gazetteer)
    person = Person.objects.order_by("pk").first()
    assert person is not None
    person.surname = "=SUM(A1)"
    person.death_date = "1992-03~"
    person.is_deceased = True
    person.save()
    expected = list(registry_export(actor=Actor(user=registrar), purpose=PURPOSE, identified=identified).rows)
    made = list(person_rows(person_list(user=registrar), purpose=PURPOSE, identified=identified))
    assert len(made) == 96
    assert made == expected
