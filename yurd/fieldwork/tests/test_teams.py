"""Field teams: who belongs to which team, which forms and households each team gets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yurd.accounts.roles import Role
from yurd.fieldwork.models import Assignment, DeviceCredential, Team
from yurd.fieldwork.tests.conftest import basic, register_household
from yurd.testing.personas import login_verified, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    login_verified(client, administrator)
    return client


def test_administrator_creates_a_team_of_device_users(admin_client, teams):
    response = admin_client.post(
        reverse("fieldwork:team_list"),
        {"name": "East", "form_ids": ["yurd_household"], "members": [teams["north_user"].pk]},
    )
    team = Team.objects.get(name="East")
    assert response.status_code == 302
    assert list(team.members.all()) == [teams["north_user"]]
    assert team.forms == ["yurd_household"]
    assert team.history.count() >= 1


def test_a_user_who_may_not_collect_cannot_join_a_team(admin_client, teams, analyst):
    admin_client.post(reverse("fieldwork:team_list"), {"name": "West", "members": [analyst.pk]})
    assert not Team.objects.filter(name="West").exists()


def test_team_without_the_form_lists_nothing_on_the_device(admin_client, client, teams):
    north = Team.objects.get(name="North")
    admin_client.post(
        reverse("fieldwork:team_detail", args=[north.pk]),
        {"name": "North", "form_ids": [], "members": [teams["north_user"].pk], "reason": "pause collection"},
    )
    north.refresh_from_db()
    assert north.forms == []
    admin_client.logout()
    response = client.get(reverse("fieldwork:form_list"), **basic("collector-nigar"))
    assert b"<formID>" not in response.content
    assert north.history.first().history_change_reason == "pause collection"


def test_registrar_assigns_households_in_her_scope_only(client, registrar, gazetteer, teams):
    inside = register_household(gazetteer.settlement_a1, "Əliyev", "Tofiq")
    outside = register_household(gazetteer.settlement_b1, "Kərimov", "Elçin")
    north = Team.objects.get(name="North")
    client.force_login(registrar)
    url = reverse("fieldwork:team_assign", args=[north.pk])
    client.post(url, {"households": f"{inside.code}, {outside.code}"})
    assert not Assignment.objects.filter(household=outside).exists()
    assert not Assignment.objects.filter(team=north, household=inside).exists()
    client.post(url, {"households": inside.code})
    assert Assignment.objects.filter(team=north, household=inside).exists()
    client.logout()
    downloaded = client.get(
        reverse("fieldwork:form_households", args=["yurd_household"]), **basic("collector-nigar")
    ).content.decode()
    assert inside.code in downloaded


def test_assign_every_household_of_a_settlement_and_withdraw_one(client, registrar, gazetteer, teams):
    north = Team.objects.get(name="North")
    extra = register_household(gazetteer.settlement_a1, "Əliyev", "Tofiq")
    client.force_login(registrar)
    client.post(reverse("fieldwork:team_assign", args=[north.pk]), {"settlement": gazetteer.settlement_a1.code})
    assert set(Assignment.objects.filter(team=north).values_list("household__code", flat=True)) == {
        teams["north_household"].code,
        extra.code,
    }
    assignment = Assignment.objects.get(team=north, household=extra)
    client.post(reverse("fieldwork:assignment_remove", args=[north.pk, assignment.pk]))
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert Assignment.history.filter(id=assignment.pk, history_type="-").exists()


def test_team_page_lists_members_and_households(client, registrar, teams):
    client.force_login(registrar)
    page = client.get(reverse("fieldwork:team_detail", args=[Team.objects.get(name="North").pk]))
    body = page.content.decode()
    assert "collector-nigar" in body
    assert teams["north_household"].code in body
    assert teams["south_household"].code not in body
    # Registrars assign households but do not change the team itself.
    assert "Save team" not in body


def test_registrar_cannot_create_teams_and_outsider_cannot_see_them(client, registrar, outsider):
    client.force_login(registrar)
    assert client.post(reverse("fieldwork:team_list"), {"name": "Rogue"}).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("fieldwork:team_list")).status_code == 403


def test_administrator_generates_a_members_device_password_shown_once(admin_client, teams):
    north = Team.objects.get(name="North")
    response = admin_client.post(reverse("fieldwork:member_device_password", args=[north.pk, teams["north_user"].pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    credential = DeviceCredential.objects.get(user=teams["north_user"])
    assert credential.set_by is not None
    assert len(response.context["password"]) >= 12


def test_collector_sets_her_own_device_password(client, teams):
    client.force_login(teams["north_user"])
    response = client.post(reverse("fieldwork:own_device_password"), {"password": "my-own-tablet-pass"})
    assert response.status_code == 200
    assert DeviceCredential.objects.filter(user=teams["north_user"]).exists()
    assert make_user("reader", Role.ANALYST)
    client.force_login(make_user("reader-two", Role.ANALYST))
    assert client.get(reverse("fieldwork:own_device_password")).status_code == 403


def test_team_list_query_count_does_not_grow_with_teams(client, registrar, teams):
    client.force_login(registrar)
    url = reverse("fieldwork:team_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(5):
        Team.objects.create(name=f"Extra {number}").members.add(teams["north_user"])
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert "Extra 4" in page.content.decode()
    assert len(many) == len(few)


def test_a_team_page_shows_only_the_households_within_the_registrars_scope(client, registrar, teams):
    # South works in district B; its household is no business of a district A registrar.
    south = Team.objects.get(name="South")
    client.force_login(registrar)
    body = client.get(reverse("fieldwork:team_detail", args=[south.pk])).content.decode()
    assert teams["south_household"].code not in body
    listed = client.get(reverse("fieldwork:team_list"))
    assert {team.name: team.assignment_count for team in listed.context["teams"]} == {"North": 1, "South": 0}


def test_a_registrar_of_another_district_cannot_withdraw_an_assignment(client, registrar, teams):
    south = Team.objects.get(name="South")
    assignment = Assignment.objects.get(team=south)
    client.force_login(registrar)
    response = client.post(reverse("fieldwork:assignment_remove", args=[south.pk, assignment.pk]))
    assert response.status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_refused_assignment_is_answered_on_the_team_page_not_by_a_redirect(client, registrar, gazetteer, teams):
    """Nothing assigned (no households, another district's, an unknown settlement): 400, the reason
    on the page, no redirect that would look like a change was made; the other district's code is
    echoed only as typed, and its assignment is not shown."""
    outside = register_household(gazetteer.settlement_b1, "Kərimov", "Elçin")
    south = Team.objects.get(name="South")
    before = Assignment.objects.count()
    client.force_login(registrar)
    url = reverse("fieldwork:team_assign", args=[south.pk])
    for data, reason in (
        ({"reason": "probe"}, "Give household codes or a settlement."),
        ({"households": outside.code}, "Unknown or outside your scope"),
        ({"settlement": "Nowhere-at-all"}, "is unknown or ambiguous"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        body = response.content.decode()
        assert reason in body
        assert teams["south_household"].code not in body
    assert Assignment.objects.count() == before
