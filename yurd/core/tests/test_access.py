"""log_access, logs_record_view and access_history: the shared access-log mechanism."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from yurd.accounts.models import User
from yurd.core.access import access_history, log_access, logs_record_view, target_of
from yurd.core.actors import Actor, system_actor
from yurd.core.models import AccessAction, AccessLogEntry, Channel
from yurd.places.models import Place
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def test_a_view_of_one_record_names_user_channel_and_code(registrar: User, gazetteer: Gazetteer) -> None:
    entry = log_access(Actor(registrar, Channel.WEB, "10.0.0.7"), AccessAction.VIEW, gazetteer.settlement_a1)

    entry.refresh_from_db()
    assert (entry.username, entry.channel, entry.action) == ("registrar-rena", "web", "view")
    assert (entry.target_type, entry.target_code) == ("places.place", "TST-S11")
    assert entry.ip_address == "10.0.0.7"


def test_a_model_class_or_label_logs_many_records_without_a_code(registrar: User) -> None:
    assert target_of(Place) == ("places.place", "")
    assert target_of("registry.household") == ("registry.household", "")
    entry = log_access(Actor(registrar), AccessAction.LIST, Place, detail={"count": 3})
    assert entry.target_code == ""
    assert entry.detail == {"count": 3}


def test_an_export_without_a_purpose_is_refused(registrar: User) -> None:
    with pytest.raises(ValueError, match="purpose"):
        log_access(Actor(registrar), AccessAction.EXPORT, Place, purpose="   ")
    assert not AccessLogEntry.objects.exists()


def test_an_export_keeps_its_purpose(registrar: User) -> None:
    entry = log_access(Actor(registrar), AccessAction.EXPORT, Place, purpose="  Compensation round 3  ")
    assert entry.purpose == "Compensation round 3"


def test_an_unknown_action_is_refused(registrar: User) -> None:
    with pytest.raises(ValueError, match="Unknown access action"):
        log_access(Actor(registrar), "peek", Place)


def test_a_user_instead_of_an_actor_is_refused(registrar: User) -> None:
    with pytest.raises(TypeError, match="Actor"):
        log_access(registrar, AccessAction.VIEW, Place)  # type: ignore[arg-type]


def test_something_that_is_not_a_record_is_refused(registrar: User) -> None:
    with pytest.raises(TypeError, match="Cannot log access"):
        log_access(Actor(registrar), AccessAction.VIEW, 42)  # type: ignore[arg-type]


def test_the_system_operator_is_logged_as_system() -> None:
    entry = log_access(system_actor(), AccessAction.EXPORT, Place, purpose="Backup check")
    assert entry.user is None
    assert (entry.username, entry.channel) == ("system", "cli")


def test_detail_may_hold_dates_and_decimals(registrar: User) -> None:
    entry = log_access(
        Actor(registrar), AccessAction.SEARCH, Place, detail={"from": datetime.date(1988, 2, 1), "area": Decimal("1.5")}
    )
    entry.refresh_from_db()
    assert entry.detail == {"from": "1988-02-01", "area": "1.5"}


def test_overlong_codes_are_cut_to_the_column(registrar: User) -> None:
    entry = log_access(Actor(registrar), AccessAction.VIEW, "registry.household", code="X" * 200)
    entry.refresh_from_db()
    assert len(entry.target_code) == 64


def _detail_view(request: object, code: str) -> HttpResponse:
    return HttpResponse("record")


def _missing_view(request: object, code: str) -> HttpResponse:
    return HttpResponseNotFound("none")


def test_decorated_view_logs_a_successful_view(registrar: User) -> None:
    request = RequestFactory().get("/registry/households/HH-000001/", REMOTE_ADDR="192.0.2.4")
    request.user = registrar
    view = logs_record_view("registry.household")(_detail_view)

    assert view(request, code="HH-000001").status_code == 200

    entry = AccessLogEntry.objects.get()
    assert (entry.target_type, entry.target_code, entry.action) == ("registry.household", "HH-000001", "view")
    assert entry.ip_address == "192.0.2.4"


def test_decorated_view_logs_nothing_when_nothing_was_shown(registrar: User) -> None:
    request = RequestFactory().get("/")
    request.user = registrar
    view = logs_record_view("registry.household")(_missing_view)

    assert view(request, code="HH-404").status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_decorated_view_without_its_code_keyword_fails_loudly(registrar: User) -> None:
    request = RequestFactory().get("/")
    request.user = registrar
    view = logs_record_view("registry.household", code_kwarg="household_code")(_detail_view)

    with pytest.raises(TypeError, match="household_code"):
        view(request, code="HH-1")


def test_access_history_lists_one_records_entries_newest_first(registrar: User, gazetteer: Gazetteer) -> None:
    actor = Actor(registrar)
    log_access(actor, AccessAction.VIEW, gazetteer.settlement_a1)
    log_access(actor, AccessAction.VIEW, gazetteer.settlement_a2)
    latest = log_access(actor, AccessAction.DOWNLOAD, gazetteer.settlement_a1)

    entries = list(access_history(gazetteer.settlement_a1))

    assert [entry.pk for entry in entries] == [latest.pk, entries[1].pk]
    assert {entry.target_code for entry in entries} == {"TST-S11"}


def test_the_plain_insert_writes_the_row_the_orm_would(registrar: User) -> None:
    """log_access writes its entry by one plain INSERT (issue 8 benchmark); the stored
    row must be what AccessLogEntry.objects.create stores, column for column."""
    actor = Actor(registrar, Channel.API, "2001:db8::1")
    detail = {"filters": {"wave": "1988-1993", "deceased": False}, "from": datetime.date(1990, 1, 2)}
    with CaptureQueriesContext(connection) as queries:
        logged = log_access(actor, AccessAction.LIST, "registry.person", detail=detail)
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["INSERT"]
    assert logged.pk is not None and not logged._state.adding
    created = AccessLogEntry.objects.create(
        at=logged.at,
        user=registrar,
        username=registrar.username,
        channel=Channel.API,
        action=AccessAction.LIST,
        target_type="registry.person",
        target_code="",
        purpose="",
        detail=detail,
        ip_address="2001:db8::1",
    )
    columns = [field.attname for field in AccessLogEntry._meta.concrete_fields if not field.primary_key]
    stored = {row["id"]: row for row in AccessLogEntry.objects.values("id", *columns)}
    assert {key: stored[logged.pk][key] for key in columns} == {key: stored[created.pk][key] for key in columns}
    assert stored[logged.pk]["detail"] == {"filters": {"wave": "1988-1993", "deceased": False}, "from": "1990-01-02"}
    assert AccessLogEntry.objects.get(pk=logged.pk).user == registrar
