"""Registry pages: roles, scopes, access log, sensitive groups, edits with reason, query counts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.models import AccessLogEntry
from yurd.registry.models import ContactDetails, Household, Person
from yurd.registry.tests.conftest import login, register


def test_registrar_sees_her_district_households_only(
    client: Any, registrar: User, mammadov_family: Household, other_district_household: Household
) -> None:
    login(client, registrar)
    response = client.get(reverse("registry:household_list"))
    assert response.status_code == 200
    assert mammadov_family.code in response.text
    assert other_district_household.code not in response.text


def test_scoped_registrar_is_refused_a_household_outside_her_district(
    client: Any, registrar: User, other_district_household: Household
) -> None:
    login(client, registrar)
    code = other_district_household.code
    assert client.get(reverse("registry:household_detail", args=[code])).status_code == 404
    assert client.get(reverse("registry:household_edit", args=[code])).status_code == 404
    person = other_district_household.members.get()
    assert client.get(reverse("registry:person_detail", args=[person.code])).status_code == 404


@pytest.mark.parametrize("name", ["household_list", "person_list", "search", "register"])
def test_analyst_sees_no_person_level_page(client: Any, analyst: User, name: str) -> None:
    login(client, analyst)
    assert client.get(reverse(f"registry:{name}")).status_code == 403


def test_household_page_shows_family_tree_and_logs_the_view(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    login(client, registrar)
    response = client.get(reverse("registry:household_detail", args=[mammadov_family.code]))
    assert response.status_code == 200
    assert 'class="family-tree"' in response.text
    assert "Məmmədov Həsən" in response.text
    assert AccessLogEntry.objects.filter(
        username=registrar.username, action="view", target_type="registry.household", target_code=mammadov_family.code
    ).exists()


def test_sensitive_groups_need_their_permission(
    client: Any, registrar: User, assessor: User, mammadov_family: Household
) -> None:
    person = mammadov_family.members.get(given_name="Əli")
    ContactDetails.objects.create(person=person, phone="+994 50 000 00 00")
    url = reverse("registry:person_detail", args=[person.code])
    login(client, registrar)
    assert "+994 50 000 00 00" in client.get(url).text
    login(client, assessor)
    response = client.get(url)
    assert response.status_code == 200
    assert "+994 50 000 00 00" not in response.text


def test_edit_requires_a_reason_and_history_shows_it(client: Any, registrar: User, mammadov_family: Household) -> None:
    person = mammadov_family.members.get(given_name="Rəşad")
    login(client, registrar)
    url = reverse("registry:person_edit", args=[person.code])
    data = {
        "surname": "Məmmədov",
        "given_name": "Rəşid",
        "patronymic": "",
        "sex": "m",
        "household_role": "child",
        "birth_date": "1980",
        "birth_place_text": "",
        "death_date": "",
    }
    assert client.post(url, data).status_code == 200  # no reason: form shown again
    response = client.post(url, {**data, "reason": "Spelling from birth certificate"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Rəşid"
    history = client.get(reverse("registry:person_history", args=[person.code])).text
    assert "Spelling from birth certificate" in history
    assert "Rəşad" in history and "Rəşid" in history


def test_assessor_cannot_edit(client: Any, assessor: User, mammadov_family: Household) -> None:
    login(client, assessor)
    person = mammadov_family.members.first()
    assert person is not None
    assert client.get(reverse("registry:person_edit", args=[person.code])).status_code == 403


def test_lists_filter_by_wave_origin_deceased_and_consent(
    client: Any, administrator: User, mammadov_family: Household, other_district_household: Household, gazetteer: Any
) -> None:
    login(client, administrator)
    url = reverse("registry:person_list")
    text = client.get(url, {"deceased": "yes"}).text
    assert "Məmmədov Həsən" in text and "Quliyev" not in text and "Məmmədova" not in text
    text = client.get(url, {"origin_place": gazetteer.settlement_b1.pk}).text
    assert "Quliyev" in text and "Məmmədov" not in text
    text = client.get(url, {"consent": "no"}).text
    assert "Quliyev" in text and "Gülnarə" not in text
    text = client.get(reverse("registry:household_list"), {"current_district": gazetteer.district_b.pk}).text
    assert mammadov_family.code in text and other_district_household.code not in text
    text = client.get(reverse("registry:household_list"), {"wave": 1}).text
    assert mammadov_family.code not in text


@contextmanager
def at_most_queries(limit: int) -> Iterator[None]:
    """Like django_assert_max_num_queries, but not counting the savepoints that exist only
    because each test runs inside a transaction.
    """
    with CaptureQueriesContext(connection) as context:
        yield
    queries = [query["sql"] for query in context.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert len(queries) <= limit, "\n".join(queries)


def _many_households(gazetteer: Any, count: int) -> None:
    for number in range(count):
        register(
            origin=gazetteer.settlement_a1,
            current=gazetteer.settlement_b1,
            members=[
                {"surname": "Həsənov", "given_name": f"Elçin{number}", "household_role": "head"},
                {"surname": "Həsənova", "given_name": "Aygün", "household_role": "spouse"},
            ],
        )


def test_list_pages_take_a_fixed_number_of_queries(client: Any, registrar: User, gazetteer: Any) -> None:
    _many_households(gazetteer, 12)
    login(client, registrar)
    client.get(reverse("registry:household_list"))  # warm the session
    with at_most_queries(12):
        assert client.get(reverse("registry:household_list")).status_code == 200
    with at_most_queries(12):
        assert client.get(reverse("registry:person_list"), {"deceased": "no"}).status_code == 200


def test_household_page_takes_a_fixed_number_of_queries(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    login(client, registrar)
    url = reverse("registry:household_detail", args=[mammadov_family.code])
    client.get(url)
    with at_most_queries(12):
        assert client.get(url).status_code == 200


def test_deceased_person_page_lists_heirs_and_opens_heir_line(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    grandfather = Person.objects.get(given_name="Həsən")
    login(client, registrar)
    url = reverse("registry:person_detail", args=[grandfather.code])
    response = client.get(url)
    assert "Məmmədov Əli" in response.text
    client.post(reverse("registry:heir_line_create", args=[grandfather.code]))
    assert "HL-000001" in client.get(url).text


def test_search_page_highlights_matches(client: Any, registrar: User, mammadov_family: Household) -> None:
    login(client, registrar)
    response = client.get(reverse("registry:search"), {"q": "Мамедов Али"})
    assert "<mark>Məmmədov</mark>" in response.text
    assert AccessLogEntry.objects.filter(action="search", username=registrar.username).exists()


def test_consent_is_recorded_and_withdrawn_with_history(
    client: Any, registrar: User, mammadov_family: Household
) -> None:
    person = mammadov_family.members.get(given_name="Rəşad")
    login(client, registrar)
    client.post(reverse("registry:consent_add", args=[person.code]), {"purpose": "testimony", "given_on": "2025-02-01"})
    consent = person.consents.get(purpose="testimony")
    assert consent.recorded_by == registrar
    client.post(reverse("registry:consent_withdraw", args=[person.code, consent.pk]), {"reason": "asked by phone"})
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    assert consent.history.first().history_change_reason == "asked by phone"


def test_assessor_cannot_withdraw_consent(client: Any, assessor: User, mammadov_family: Household) -> None:
    person = mammadov_family.members.get(given_name="Rəşad")
    consent = person.consents.get()
    login(client, assessor)
    response = client.post(reverse("registry:consent_withdraw", args=[person.code, consent.pk]))
    assert response.status_code == 403
