from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from yurd.fieldwork.models import Submission, SubmissionStatus
from yurd.registry.models import ImportBatch

pytestmark = pytest.mark.django_db


def kobo_export() -> bytes:
    workbook = Workbook()
    main = workbook.active
    main.title = "yurd_household"
    main.append(
        [
            "start",
            "survey_kind",
            "household/origin_place",
            "household/displacement_date",
            "return/intention",
            "_uuid",
            "_index",
        ]
    )
    main.append(["2025-06-01", "register", "Qarabulaq", "1988", "yes", "0f0e0d0c-0000-4000-8000-000000000001", 1])
    members = workbook.create_sheet("member")
    members.append(
        [
            "household/member/surname",
            "household/member/given_name",
            "household/member/birth_date",
            "household/member/role",
            "_parent_index",
        ]
    )
    members.append(["Əliyev", "Tofiq", "1948", "head", 1])
    members.append(["Əliyeva", "Sevda", "1950", "spouse", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odk_central_csv() -> bytes:
    return (
        "SubmissionDate,survey_kind,household-origin_place,household-surname,household-given_name,"
        "household-role,meta-instanceID,KEY\n"
        "2025-06-02,register,Ağbulaq,Kərimov,Elçin,head,uuid:c0ffee00-0000-4000-8000-000000000002,"
        "uuid:c0ffee00-0000-4000-8000-000000000002\n"
    ).encode()


def test_kobo_xlsx_export_enters_the_staged_import_once(client, registrar, gazetteer):
    client.force_login(registrar)
    upload = SimpleUploadedFile("kobo.xlsx", kobo_export())
    response = client.post(reverse("fieldwork:export_upload"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_detail", args=[batch.pk])
    assert batch.valid_rows == 2
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.STAGED
    assert submission.instance_id == "uuid:0f0e0d0c-0000-4000-8000-000000000001"
    client.post(reverse("fieldwork:export_upload"), {"file": SimpleUploadedFile("kobo.xlsx", kobo_export())})
    assert Submission.objects.count() == 1
    assert ImportBatch.objects.count() == 1


def test_odk_central_flat_csv_is_staged(client, registrar, gazetteer):
    client.force_login(registrar)
    client.post(reverse("fieldwork:export_upload"), {"file": SimpleUploadedFile("central.csv", odk_central_csv())})
    batch = ImportBatch.objects.get()
    assert batch.valid_rows == 1
    assert batch.rows.get().data["surname"] == "Kərimov"


def test_analyst_cannot_upload(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("fieldwork:export_upload"), {"file": SimpleUploadedFile("x.csv", b"a\n")})
    assert response.status_code == 403


def test_row_without_an_instance_id_is_named_and_nothing_is_staged(client, registrar, gazetteer):
    client.force_login(registrar)
    data = (
        "survey_kind,household-surname,household-given_name,KEY\n"
        "register,Kərimov,Elçin,uuid:c0ffee00-0000-4000-8000-000000000003\n"
        "register,Əliyev,Tofiq,\n"
    ).encode()
    response = client.post(
        reverse("fieldwork:export_upload"), {"file": SimpleUploadedFile("central.csv", data)}, follow=True
    )
    assert "row 3" in response.content.decode()
    assert not Submission.objects.exists()
    assert not ImportBatch.objects.exists()
