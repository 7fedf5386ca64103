"""Uploading a gazetteer file: staged and reported first, committed on request."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yurd.places.models import Place, PlaceImport, PlaceImportStatus
from yurd.places.tests.conftest import DATA, login_verified


def upload(client: Client, name: str, **extra: object):
    data = {"file": SimpleUploadedFile(name, (DATA / name).read_bytes()), "file_format": "csv", **extra}
    return client.post(reverse("places:place_import"), data)


def test_upload_stages_and_reports_without_writing(client: Client, administrator) -> None:
    login_verified(client, administrator)
    response = upload(client, "bad_places.csv")
    staged = PlaceImport.objects.get()
    assert response.status_code == 302
    assert not Place.objects.exists()
    report = client.get(reverse("places:place_import_detail", args=[staged.pk])).content.decode()
    assert "Kind must be one of" in report
    assert staged.report["valid"] == 2


def test_commit_writes_valid_rows_once(client: Client, administrator) -> None:
    login_verified(client, administrator)
    upload(client, "good_places.csv")
    staged = PlaceImport.objects.get()
    commit = reverse("places:place_import_commit", args=[staged.pk])
    client.post(commit, {"action": "commit"})
    assert Place.objects.count() == 5
    staged.refresh_from_db()
    assert staged.status == PlaceImportStatus.COMMITTED
    assert Place.objects.get(code="SYN-S1").history.first().history_user == administrator
    client.post(commit, {"action": "commit"})  # a second click changes nothing
    assert Place.objects.count() == 5


def test_unreadable_upload_is_refused_with_a_message(client: Client, administrator) -> None:
    login_verified(client, administrator)
    data = {
        "file": SimpleUploadedFile("x.csv", "code,kind,name\nX,country,Гарабулаг\n".encode("cp1251")),
        "file_format": "csv",
    }
    response = client.post(reverse("places:place_import"), data)
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    assert not PlaceImport.objects.exists()


def test_registrar_may_not_import(client: Client, registrar) -> None:
    client.force_login(registrar)
    assert upload(client, "good_places.csv").status_code == 403
