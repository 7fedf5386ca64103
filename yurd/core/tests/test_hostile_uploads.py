"""Hostile uploads: oversized files, zip bombs, malformed workbooks and file names that try to leave their folder.

Each test here is a finding that was fixed, kept as a regression (docs/security.md).
"""

from __future__ import annotations

import importlib
import io
import json
import time
import tracemalloc
from pathlib import Path
from typing import Any

import bagit
import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.claims.errors import ClaimError
from yurd.claims.valuation import valuation_import_stage
from yurd.core.actors import system_actor
from yurd.core.uploads import MaxUploadSize, UnsafeUploadError, check_zip, is_safe_member_name, safe_filename
from yurd.evidence.packages import evidence_package
from yurd.evidence.services import evidence_ingest
from yurd.fieldwork.models import Submission, SubmissionAttachment, Team
from yurd.fieldwork.submissions import SubmissionError, parse_export, parse_instance
from yurd.fieldwork.tests.conftest import basic, build_submission, give_device_password
from yurd.registry.imports.reading import ImportFileError, read_table
from yurd.registry.models import ImportBatch
from yurd.testing.hostile import TRAVERSAL_NAMES, xlsx_bomb, zip_with_member
from yurd.testing.personas import Gazetteer, login_verified, make_scoped_user
from yurd.testing.responses import streamed

QUICK = settings(max_examples=100, deadline=None)
TINY_LIMITS = {"import": 2048, "photo": 2048, "submission": 2048, "evidence": 4096}


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 3 MB that inflate to 1 GiB of spreadsheet rows."""
    return xlsx_bomb(1024)


# --- Zip bombs -------------------------------------------------------------------------


def _refused_quickly(read: Any, expected: type[BaseException]) -> str:
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(expected) as caught:
            read()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 64 * 1024 * 1024, peak
    return str(caught.value)


def test_an_xlsx_that_inflates_to_a_gigabyte_is_refused_by_the_registry_import(bomb: bytes) -> None:
    message = _refused_quickly(lambda: read_table(bomb, "list.xlsx"), ImportFileError)
    assert "unpack to more than" in message


def test_an_xlsx_bomb_is_refused_by_the_kobo_export_reader(bomb: bytes) -> None:
    assert "unpack to more than" in _refused_quickly(lambda: parse_export(bomb, "kobo.xlsx"), SubmissionError)


def test_an_xlsx_bomb_is_refused_by_the_valuation_import(bomb: bytes, db: None) -> None:
    def stage() -> None:
        valuation_import_stage(
            actor=system_actor(), file=io.BytesIO(bomb), filename="rates.xlsx", name="bomb", currency="AZN"
        )

    assert "unpack to more than" in _refused_quickly(stage, ClaimError)


def test_an_xlsx_bomb_uploaded_on_the_import_page_gets_a_clear_message(
    client: Client, registrar: User, bomb: bytes
) -> None:
    client.force_login(registrar)
    upload = SimpleUploadedFile("list.xlsx", bomb)
    response = client.post(reverse("registry:import_new"), {"file": upload, "source": "bomb"})
    assert response.status_code == 200
    assert "unpack to more than" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_workbook_with_a_traversal_member_name_is_refused() -> None:
    with pytest.raises(UnsafeUploadError, match="unsafe name"):
        check_zip(zip_with_member("../../etc/passwd"))


@pytest.mark.parametrize("data", [b"PK\x03\x04junk", b"PK\x05\x06" + b"\x00" * 18, b"", b"\x00" * 64])
def test_damaged_workbooks_are_refused_with_a_message_by_every_reader(data: bytes, db: None) -> None:
    with pytest.raises(ImportFileError):
        read_table(data, "list.xlsx")
    with pytest.raises(SubmissionError):
        parse_export(data, "kobo.xlsx")
    with pytest.raises(ClaimError):
        valuation_import_stage(
            actor=system_actor(), file=io.BytesIO(data), filename="rates.xlsx", name="x", currency="AZN"
        )


# --- Size limits per kind of upload -----------------------------------------------------


def _upload_forms() -> list[tuple[str, str]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yurd."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, (forms.Form, forms.ModelForm))
                and value.__module__ == module.__name__
            ):
                for field_name, field in value.base_fields.items():
                    if isinstance(field, forms.FileField):
                        found.append((f"{module.__name__}.{name}", field_name))
    return found


UPLOAD_FORMS = _upload_forms()


def test_the_upload_forms_are_found() -> None:
    assert {"yurd.registry.forms.ImportUploadForm", "yurd.evidence.forms.EvidenceUploadForm"} <= {
        form for form, _ in UPLOAD_FORMS
    }


@pytest.mark.parametrize(("form_path", "field_name"), UPLOAD_FORMS)
def test_every_file_field_refuses_a_file_over_its_kinds_limit(form_path: str, field_name: str, settings: Any) -> None:
    settings.YURD_UPLOAD_LIMITS = TINY_LIMITS
    module, _, name = form_path.rpartition(".")
    field = getattr(importlib.import_module(module), name).base_fields[field_name]
    limits = [validator for validator in field.validators if isinstance(validator, MaxUploadSize)]
    assert limits, f"{form_path}.{field_name} has no MaxUploadSize validator"
    with pytest.raises(forms.ValidationError, match="the limit for this kind of upload"):
        field.run_validators(SimpleUploadedFile("big.png", b"x" * 5000))
    field.run_validators(SimpleUploadedFile("small.png", b"x" * 100))


def test_an_oversized_import_gets_a_message_naming_the_limit(client: Client, registrar: User, settings: Any) -> None:
    settings.YURD_UPLOAD_LIMITS = TINY_LIMITS
    client.force_login(registrar)
    upload = SimpleUploadedFile("list.csv", b"household_ref,surname\n" + b"1,Aliyev\n" * 300)
    response = client.post(reverse("registry:import_new"), {"file": upload, "source": "big"})
    assert response.status_code == 200
    assert "the limit for this kind of upload is 2.0\xa0KB" in response.content.decode()


def test_a_request_body_over_the_largest_limit_is_refused_before_it_is_stored(
    client: Client, registrar: User, settings: Any
) -> None:
    settings.YURD_UPLOAD_LIMITS = TINY_LIMITS
    client.force_login(registrar)
    upload = SimpleUploadedFile("list.csv", b"x" * 10_000)
    response = client.post(reverse("registry:import_new"), {"file": upload, "source": "big"})
    assert response.status_code == 400


def test_an_oversized_openrosa_submission_is_answered_413(client: Client, gazetteer: Gazetteer, settings: Any) -> None:
    settings.YURD_UPLOAD_LIMITS = {**TINY_LIMITS, "evidence": 1024 * 1024}
    _collector(gazetteer)
    upload = SimpleUploadedFile("submission.xml", b"<data/>" + b" " * 5000, content_type="text/xml")
    response = client.post(
        reverse("fieldwork:submission"), {"xml_submission_file": upload}, **basic("enumerator-elvin")
    )
    assert response.status_code == 413
    assert b"the limit for this kind of upload" in response.content


def _collector(gazetteer: Gazetteer) -> User:
    user = give_device_password(make_scoped_user("enumerator-elvin", Role.REGISTRAR, gazetteer.region))
    Team.objects.create(name="North").members.add(user)
    return user


# --- Hostile XML -------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<data id="yurd_household">&lol3;</data>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<data id="yurd_household"><survey_kind>&secret;</survey_kind></data>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE data SYSTEM "http://127.0.0.1:9/never.dtd"><data id="yurd_household"/>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_openrosa_xml_with_entities_is_refused_without_expanding_or_fetching(document: bytes) -> None:
    with pytest.raises(SubmissionError):
        parse_instance(document)


def _with_external_dtd(document: bytes) -> bytes:
    declaration, _sep, rest = document.partition(b"?>")
    return declaration + b'?>\n<!DOCTYPE data SYSTEM "http://127.0.0.1:9/never.dtd">' + rest


def test_a_real_submission_with_an_external_dtd_is_refused(client: Client, gazetteer: Gazetteer) -> None:
    document = _with_external_dtd(build_submission(survey_kind="register"))
    assert b"<!DOCTYPE" in document
    with pytest.raises(SubmissionError, match="document type"):
        parse_instance(document)
    _collector(gazetteer)
    upload = SimpleUploadedFile("submission.xml", document, content_type="text/xml")
    response = client.post(
        reverse("fieldwork:submission"), {"xml_submission_file": upload}, **basic("enumerator-elvin")
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_an_entity_bomb_posted_by_a_device_is_answered_400(client: Client, gazetteer: Gazetteer) -> None:
    _collector(gazetteer)
    for document in (BILLION_LAUGHS, EXTERNAL_ENTITY):
        upload = SimpleUploadedFile("submission.xml", document, content_type="text/xml")
        response = client.post(
            reverse("fieldwork:submission"), {"xml_submission_file": upload}, **basic("enumerator-elvin")
        )
        assert response.status_code == 400
        assert b"/etc/passwd" not in response.content and b"root:" not in response.content
    assert not Submission.objects.exists()


# --- File names --------------------------------------------------------------------------


@QUICK
@given(st.text(max_size=300) | st.sampled_from(TRAVERSAL_NAMES))
def test_a_sanitised_file_name_is_one_plain_component_everywhere(name: str) -> None:
    clean = safe_filename(name)
    assert clean and clean not in {".", ".."}
    assert not any(character in clean for character in '/\\\x00:<>|?*"')
    assert not clean.startswith(".") and not clean.endswith((" ", "."))
    assert len(clean) <= 200
    assert safe_filename(clean) == clean


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_archive_member_names_that_leave_the_folder_are_unsafe(name: str) -> None:
    leaves = name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or "\x00" in name
    leaves = leaves or "\\" in name or name[1:2] == ":" or not name
    assert is_safe_member_name(name) is not leaves


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_an_evidence_package_keeps_every_original_inside_its_item_folder(name: str, tmp_path: Path, db: None) -> None:
    content = f"synthetic evidence named {name!r}".encode()
    item = evidence_ingest(actor=system_actor(), stream=io.BytesIO(content), original_name=name).item
    output = tmp_path / "bag"
    evidence_package(
        actor=system_actor(),
        items=type(item).objects.filter(pk=item.pk),
        output=output,
        purpose="test",
        selection="one",
    )
    bagit.Bag(str(output)).validate()
    folder = output / "data" / "items" / item.sha256
    files = sorted(path.name for path in folder.iterdir())
    assert len(files) == 2 and "metadata.json" in files, files
    original = next(path for path in folder.iterdir() if path.name != "metadata.json")
    assert original.read_bytes() == content
    assert json.loads((folder / "metadata.json").read_text())["sha256"] == item.sha256
    assert all(path.is_relative_to(output) for path in output.rglob("*"))


def test_an_openrosa_attachment_name_never_becomes_a_storage_path(client: Client, gazetteer: Gazetteer) -> None:
    _collector(gazetteer)
    xml = build_submission(
        members=[{"surname": "Aliyeva", "given_name": "Leyla", "sex": "f", "birth_date": "1980", "role": "head"}],
        household__origin_place=gazetteer.settlement_a1.code,
    )
    files = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml"),
        "photo": SimpleUploadedFile("../../../../tmp/evil.jpg", b"synthetic", content_type="image/jpeg"),
    }
    response = client.post(reverse("fieldwork:submission"), files, **basic("enumerator-elvin"))
    assert response.status_code == 201, response.content
    attachment = SubmissionAttachment.objects.get()
    media = Path(django_settings.MEDIA_ROOT).resolve()
    assert media in Path(attachment.file.path).resolve().parents
    assert attachment.file.name is not None and ".." not in attachment.file.name


def test_a_registrar_upload_with_a_traversal_name_is_stored_under_a_generated_name(
    client: Client, registrar: User
) -> None:
    client.force_login(registrar)
    upload = SimpleUploadedFile("../../../etc/cron.d/x.csv", b"household_ref,surname\n1,Aliyev\n")
    client.post(reverse("registry:import_new"), {"file": upload, "source": "names"})
    batch = ImportBatch.objects.get()
    assert "/" not in batch.file_name and ".." not in batch.file_name.split("/")
    if batch.file:
        assert batch.file.name is not None and ".." not in batch.file.name


def test_privileged_upload_pages_answer_for_administrators(client: Client, administrator: User) -> None:
    """The upload pages used above exist and are reachable: the limits are not tested against a 404."""
    login_verified(client, administrator)
    for name in ("registry:import_new", "claims:valuation_import", "places:place_import"):
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize(
    "name", ["deed\r\nSet-Cookie: x=1.txt", '"; filename="evil.exe', "../../etc/passwd", "con.txt"]
)
def test_an_evidence_download_names_the_file_safely(client: Client, administrator: User, name: str) -> None:
    """Names come from uploads, the API and `yurd evidence ingest`: none may split or redirect the header."""
    item = evidence_ingest(
        actor=system_actor(), stream=io.BytesIO(b"synthetic " + name.encode()), original_name=name
    ).item
    login_verified(client, administrator)
    response = client.get(reverse("evidence:item_download", args=[item.public_code]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert "Set-Cookie" not in response.headers or "x=1" not in response.headers["Set-Cookie"]
    assert streamed(response).startswith(b"synthetic ")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_nul_bytes_in_an_uploaded_export_are_refused_or_dropped_on_every_database(
    client: Client, registrar: User, suffix: str
) -> None:
    """PostgreSQL refuses NUL in text and JSON: a NUL from a file must never reach a save (a 500)."""
    client.force_login(registrar)
    data = b"instanceID,household/surname,household/origin_place\nuuid:1,Ali\x00yev,Qarabulaq\n"
    upload = SimpleUploadedFile("kobo" + suffix, data)
    response = client.post(reverse("fieldwork:export_upload"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert not any("\x00" in str(submission.values) for submission in Submission.objects.all())


def test_a_huge_cell_in_an_uploaded_kobo_workbook_gets_a_message(client: Client, registrar: User) -> None:
    workbook = Workbook()
    workbook.active.append(["instanceID", "household/surname", "household/origin_place"])
    workbook.active.append(["uuid:2", "A" * 200_000, "Qarabulaq"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(registrar)
    upload = SimpleUploadedFile("kobo.xlsx", buffer.getvalue())
    response = client.post(reverse("fieldwork:export_upload"), {"file": upload}, follow=True)
    assert response.status_code == 200
