"""The auditors' access-log page and the access panel on record pages."""

import datetime

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from yurd.accounts.models import User
from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.models import AccessAction, AccessLogEntry, Channel
from yurd.testing.personas import Gazetteer, login_verified

pytestmark = pytest.mark.django_db

URL = "/audit/access/"


@pytest.fixture
def entries(registrar: User, archivist: User, gazetteer: Gazetteer) -> list[AccessLogEntry]:
    made = [
        log_access(Actor(registrar), AccessAction.VIEW, gazetteer.settlement_a1),
        log_access(
            Actor(registrar, Channel.CLI), AccessAction.EXPORT, "registry.person", purpose="Compensation round 3"
        ),
        log_access(Actor(archivist, Channel.API), AccessAction.SEARCH, "evidence.item", detail={"q": "deed"}),
    ]
    old = made[0]
    old.at = timezone.now() - datetime.timedelta(days=40)
    old.save(update_fields=["at"])
    return made


def test_auditor_sees_every_entry(client: Client, auditor: User, entries: list[AccessLogEntry]) -> None:
    login_verified(client, auditor)

    response = client.get(URL)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == sorted(entries, key=lambda entry: entry.at, reverse=True)
    assert "Compensation round 3" in response.content.decode()


def test_administrator_may_search_the_log(client: Client, administrator: User, entries: list[AccessLogEntry]) -> None:
    login_verified(client, administrator)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"username": "REGISTRAR-RENA"}, {"places.place", "registry.person"}),
        ({"action": "export"}, {"registry.person"}),
        ({"target_type": "evidence.item"}, {"evidence.item"}),
        ({"target_code": "tst-s11"}, {"places.place"}),
        ({"channel": "api"}, {"evidence.item"}),
        ({"purpose": "round 3"}, {"registry.person"}),
    ],
)
def test_auditor_filters_the_log(
    client: Client, auditor: User, entries: list[AccessLogEntry], query: dict[str, str], expected: set[str]
) -> None:
    login_verified(client, auditor)

    response = client.get(URL, query)

    assert {entry.target_type for entry in response.context["page"].object_list} == expected


def test_date_range_includes_both_whole_days(client: Client, auditor: User, entries: list[AccessLogEntry]) -> None:
    login_verified(client, auditor)
    today = timezone.localdate()

    recent = client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    old_day = (today - datetime.timedelta(days=40)).isoformat()
    old = client.get(URL, {"date_from": old_day, "date_to": old_day})

    assert {entry.target_type for entry in recent.context["page"].object_list} == {"registry.person", "evidence.item"}
    assert {entry.target_type for entry in old.context["page"].object_list} == {"places.place"}


def test_a_search_is_itself_logged_after_the_results(
    client: Client, auditor: User, entries: list[AccessLogEntry]
) -> None:
    login_verified(client, auditor)

    response = client.get(URL, {"action": "export"})

    assert len(response.context["page"].object_list) == 1
    search = AccessLogEntry.objects.filter(username="auditor-orkhan").get()
    assert (search.action, search.target_type, search.detail) == ("search", "core.accesslogentry", {"action": "export"})


def test_garbage_filters_show_form_errors_not_a_server_error(client: Client, auditor: User, entries: list) -> None:
    login_verified(client, auditor)

    response = client.get(URL, {"date_from": "31.31.2020", "action": "nonsense", "page": "x'; DROP"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"date_from", "action"}
    # Invalid filters are ignored rather than half-applied.
    assert response.context["page"].paginator.count == 3


def test_reversed_date_range_is_a_form_error(client: Client, auditor: User) -> None:
    login_verified(client, auditor)
    response = client.get(URL, {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "date_to" in response.context["form"].errors


def test_the_log_is_paginated(client: Client, auditor: User, registrar: User) -> None:
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            username="registrar-rena",
            channel="web",
            action="view",
            target_type="registry.household",
            target_code=f"HH-{n:06d}",
        )
        for n in range(120)
    )
    login_verified(client, auditor)

    first = client.get(URL)
    last = client.get(URL, {"page": 3})
    beyond = client.get(URL, {"page": 99})

    assert len(first.context["page"].object_list) == 50
    assert len(last.context["page"].object_list) == 20
    assert beyond.context["page"].number == 3


def test_the_list_page_makes_a_fixed_number_of_queries(
    client: Client, auditor: User, entries: list, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    login_verified(client, auditor)
    client.get(URL)  # warm the session and permission caches
    with django_assert_max_num_queries(12):
        client.get(URL)


@pytest.mark.parametrize("persona", ["registrar", "analyst", "outsider", "reviewer", "archivist"])
def test_other_roles_are_refused(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    login_verified(client, user)

    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_auditor_menu_lists_the_access_log(client: Client, auditor: User) -> None:
    login_verified(client, auditor)
    assert 'href="/audit/access/"' in client.get("/").content.decode()


def _render_panel(user: User, record: object) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load audit %}{% access_panel record %}").render(Context({"request": request, "record": record}))


def test_panel_shows_who_accessed_the_record_to_an_auditor(
    auditor: User, registrar: User, gazetteer: Gazetteer, entries: list
) -> None:
    html = _render_panel(auditor, gazetteer.settlement_a1)

    assert "Who accessed this record" in html
    assert "registrar-rena" in html


def test_panel_is_hidden_from_those_without_the_permission(
    registrar: User, gazetteer: Gazetteer, entries: list
) -> None:
    assert _render_panel(registrar, gazetteer.settlement_a1).strip() == ""


def test_panel_says_when_nobody_accessed_the_record(auditor: User, gazetteer: Gazetteer) -> None:
    assert "Nobody has accessed this record yet." in _render_panel(auditor, gazetteer.settlement_b1)


# A place, a person and the system operator, as az and ru pages name them.
NAMES = {"az": ("Yer", "Şəxs", "sistem"), "ru": ("Место", "Человек", "система")}


@pytest.mark.usefixtures("entries")
@pytest.mark.parametrize("language", NAMES)
def test_record_types_and_the_system_actor_are_named_in_the_pages_language(
    client: Client, auditor: User, language: str
) -> None:
    place, person, system = NAMES[language]
    log_access(Actor(None, Channel.CLI), AccessAction.EXPORT, "registry.person", purpose="backup")
    login_verified(client, auditor)
    client.cookies["django_language"] = language

    page = client.get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]

    assert f"<td>{place} " in table and f"<td>{person}</td>" in table
    assert f"<td>{system}</td>" in table
    assert "registry.person" not in table.replace("target_type=registry.person", "")
    assert "places.place<" not in table and "<td>system</td>" not in table
