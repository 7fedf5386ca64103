"""The person page's forms: name forms, kinship, contact details and identity documents.

Each change needs a reason and shows in the person's history; the sensitive groups are
shown and editable only for roles that may see them, and every showing is logged.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.models import AccessLogEntry
from yurd.registry.models import ContactDetails, Household, IdentityDocument, Kinship, Person, PersonName
from yurd.registry.search import registry_search
from yurd.registry.tests.conftest import login

HTMX = {"HX-Request": "true"}


def _person(household: Household, given_name: str) -> Person:
    return household.members.get(given_name=given_name)


def test_registrar_adds_a_name_form_that_search_finds_and_history_shows(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    wife = _person(mammadov_family, "Gülnarə")
    login(client, registrar)
    response = client.post(
        reverse("registry:person_name_add", args=[wife.code]),
        {
            "name-surname": "Гусейнова",
            "name-given_name": "Гюльнара",
            "name-script": "ru",
            "name-kind": "maiden",
            "name-source": "1979 birth certificate",
            "name-reason": "Maiden name from the birth certificate",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'id="person-names"' in response.text and "<html" not in response.text  # the section only
    assert "Гусейнова Гюльнара" in response.text and "1979 birth certificate" in response.text
    name = PersonName.objects.get(person=wife, surname="Гусейнова")
    assert name.script == "ru" and name.kind == "maiden"
    assert registry_search(user=registrar, query="Huseynova Gulnara").people[0].person == wife
    history = client.get(reverse("registry:person_history", args=[wife.code])).text
    assert "Maiden name from the birth certificate" in history


def test_name_form_without_a_name_or_a_reason_shows_errors_next_to_the_fields(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    son = _person(mammadov_family, "Rəşad")
    login(client, registrar)
    url = reverse("registry:person_name_add", args=[son.code])
    response = client.post(url, {"name-surname": "", "name-reason": ""}, headers=HTMX)
    assert response.status_code == 200
    assert 'id="id_name-surname_error"' in response.text  # "Give at least one part of the name."
    assert 'id="id_name-reason_error"' in response.text
    # Without htmx the same form comes back on a page of its own.
    page = client.post(url, {"name-given_name": "Рашад", "name-reason": ""})
    assert page.status_code == 200 and "<html" in page.text and 'id="id_name-reason_error"' in page.text
    assert not PersonName.objects.filter(person=son, given_name="Рашад").exists()


def test_registrar_edits_and_removes_a_name_form_with_a_reason(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    head = _person(mammadov_family, "Əli")
    name = head.other_names.get()
    login(client, registrar)
    edit = reverse("registry:person_name_edit", args=[head.code, name.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"name-surname": "Мамедов", "name-given_name": "Алы", "name-script": "ru", "name-reason": "Passport spelling"},
    )
    assert response.status_code == 302
    name.refresh_from_db()
    assert name.given_name == "Алы"
    remove = reverse("registry:person_name_remove", args=[head.code, name.pk])
    refused = client.post(remove, {f"remove-name-{name.pk}-reason": ""}, headers=HTMX)
    assert refused.status_code == 200 and PersonName.objects.filter(pk=name.pk).exists()
    client.post(remove, {f"remove-name-{name.pk}-reason": "Entered twice"}, headers=HTMX)
    assert not PersonName.objects.filter(pk=name.pk).exists()
    history = client.get(reverse("registry:person_history", args=[head.code])).text
    assert "Passport spelling" in history and "Entered twice" in history and "removed" in history


def test_registrar_records_and_removes_kinship_with_source_and_certainty(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    son = _person(mammadov_family, "Rəşad")
    grandfather = _person(mammadov_family, "Həsən")
    login(client, registrar)
    response = client.post(
        reverse("registry:kinship_add", args=[son.code]),
        {
            "kinship-relation": "child_of",
            "kinship-other_person": grandfather.code.lower(),
            "kinship-source": "village register 1985",
            "kinship-certainty": "low",
            "kinship-reason": "Grandfather named as father in the register",
        },
        headers=HTMX,
    )
    assert response.status_code == 200 and 'id="person-kinship"' in response.text
    edge = Kinship.objects.get(from_person=grandfather, to_person=son)
    assert (edge.kind, edge.certainty, edge.source) == ("parent_of", "low", "village register 1985")
    assert "village register 1985" in client.get(reverse("registry:person_detail", args=[son.code])).text
    client.post(
        reverse("registry:kinship_remove", args=[son.code, edge.pk]),
        {f"remove-kinship-{edge.pk}-reason": "The register was misread"},
        headers=HTMX,
    )
    assert not Kinship.objects.filter(pk=edge.pk).exists()
    history = client.get(reverse("registry:person_history", args=[son.code])).text
    assert "Grandfather named as father in the register" in history and "The register was misread" in history


def test_kinship_refuses_a_loop_and_a_relative_outside_the_scope(
    client: Any, registrar: User, mammadov_family: Household, other_district_household: Household
) -> None:
    head = _person(mammadov_family, "Əli")
    grandfather = _person(mammadov_family, "Həsən")
    login(client, registrar)
    url = reverse("registry:kinship_add", args=[grandfather.code])
    data = {"kinship-relation": "child_of", "kinship-certainty": "high", "kinship-reason": "test"}
    looped = client.post(url, {**data, "kinship-other_person": head.code}, headers=HTMX)
    assert "own ancestor" in looped.text
    outsider = other_district_household.members.get()
    refused = client.post(url, {**data, "kinship-other_person": outsider.code}, headers=HTMX)
    assert 'id="id_kinship-other_person_error"' in refused.text
    assert not Kinship.objects.filter(to_person=grandfather).exists()


def test_registrar_outside_the_scope_may_change_nothing(
    client: Any, registrar: User, other_district_household: Household
) -> None:
    outsider = other_district_household.members.get()
    login(client, registrar)
    posts = [
        ("registry:person_name_add", {"name-surname": "Кулиев", "name-reason": "x"}),
        ("registry:kinship_add", {}),
        ("registry:document_add", {"document-kind": "passport", "document-number": "C1", "document-reason": "x"}),
        ("registry:contact_edit", {"contact-phone": "+994 50 111 11 11", "contact-reason": "x"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[outsider.code]), data).status_code == 404, name
    assert not PersonName.objects.filter(person=outsider).exists()
    assert not ContactDetails.objects.filter(person=outsider).exists()


def test_contact_details_are_edited_with_a_reason_and_each_showing_is_logged(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    head = _person(mammadov_family, "Əli")
    login(client, registrar)
    url = reverse("registry:contact_edit", args=[head.code])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"contact-email": "not an email", "contact-reason": "x"})
    assert 'id="id_contact-email_error"' in bad.text
    response = client.post(
        url, {"contact-phone": "+994 50 123 45 67", "contact-address": "Sumqayıt", "contact-reason": "Moved"}
    )
    assert response.status_code == 302
    assert ContactDetails.objects.get(person=head).phone == "+994 50 123 45 67"
    before = AccessLogEntry.objects.filter(target_code=head.code, detail__sensitive__isnull=False).count()
    page = client.get(reverse("registry:person_detail", args=[head.code])).text
    assert "+994 50 123 45 67" in page
    assert AccessLogEntry.objects.filter(target_code=head.code, detail__sensitive__isnull=False).count() == before + 1
    history = client.get(reverse("registry:person_history", args=[head.code])).text
    assert "Moved" in history and "+994 50 123 45 67" in history


def test_identity_documents_are_added_edited_and_removed_with_reasons(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    head = _person(mammadov_family, "Əli")
    login(client, registrar)
    add = reverse("registry:document_add", args=[head.code])
    bad = client.post(
        add, {"document-kind": "passport", "document-issued_on": "soon", "document-reason": "x"}, headers=HTMX
    )
    assert 'id="id_document-number_error"' in bad.text and 'id="id_document-issued_on_error"' in bad.text
    client.post(
        add,
        {
            "document-kind": "passport",
            "document-number": "C 0000001",
            "document-issued_on": "03.2012",
            "document-reason": "Shown at registration",
        },
        headers=HTMX,
    )
    document = IdentityDocument.objects.get(person=head)
    assert str(document.issued_on) and document.number == "C 0000001"
    client.post(
        reverse("registry:document_edit", args=[head.code, document.pk]),
        {"document-kind": "passport", "document-number": "C 0000002", "document-reason": "Typo in the number"},
    )
    document.refresh_from_db()
    assert document.number == "C 0000002"
    client.post(
        reverse("registry:document_remove", args=[head.code, document.pk]),
        {f"remove-document-{document.pk}-reason": "Expired"},
        headers=HTMX,
    )
    assert not IdentityDocument.objects.filter(pk=document.pk).exists()
    history = client.get(reverse("registry:person_history", args=[head.code])).text
    assert "Shown at registration" in history and "Typo in the number" in history and "Expired" in history


def test_assessor_sees_no_sensitive_group_nor_its_history_and_may_not_edit(
    client: Any, assessor: User, mammadov_family: Household
) -> None:
    head = _person(mammadov_family, "Əli")
    ContactDetails.objects.create(person=head, phone="+994 55 999 99 99")
    login(client, assessor)
    page = client.get(reverse("registry:person_detail", args=[head.code])).text
    assert "+994 55 999 99 99" not in page and 'id="person-sensitive"' not in page
    assert "+994 55 999 99 99" not in client.get(reverse("registry:person_history", args=[head.code])).text
    assert client.get(reverse("registry:contact_edit", args=[head.code])).status_code == 403
    url = reverse("registry:person_name_add", args=[head.code])
    assert client.post(url, {"name-surname": "X", "name-reason": "x"}).status_code == 403
    assert not AccessLogEntry.objects.filter(username=assessor.username, detail__sensitive__isnull=False).exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("registry:person_detail", "get"),
        ("registry:person_history", "get"),
        ("registry:contact_edit", "get"),
        ("registry:person_name_add", "post"),
        ("registry:kinship_add", "post"),
        ("registry:document_add", "post"),
    ],
)
def test_analyst_never_sees_names_or_contacts(
    client: Any, analyst: User, mammadov_family: Household, name: str, method: str
) -> None:
    head = _person(mammadov_family, "Əli")
    login(client, analyst)
    response = getattr(client, method)(reverse(name, args=[head.code]))
    assert response.status_code == 403
    assert "Məmmədov" not in response.text
