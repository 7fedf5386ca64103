"""What each role is refused at the accounts level."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from yurd.accounts.models import User
from yurd.testing.personas import login_verified

pytestmark = pytest.mark.django_db


def _access_log_url() -> str:
    try:
        return reverse("core:access_log")
    except NoReverseMatch:
        pytest.skip("The auditors' access-log page (core:access_log) does not exist yet.")


def test_anonymous_visitor_is_sent_to_login_from_the_admin(client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_outsider_cannot_reach_the_admin(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["registrar", "assessor", "analyst", "archivist", "heritage_researcher"])
def test_non_administrators_cannot_reach_the_user_admin(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:accounts_user_changelist"), follow=True)
    assert response.status_code == 403


def test_administrator_without_two_factor_is_held_at_enrolment_not_admin(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    response = client.get("/admin/")
    assert response["Location"].startswith("/accounts/two-factor/")


def test_verified_administrator_manages_users_with_roles_and_scopes(
    client: Client, administrator: User, registrar: User
) -> None:
    login_verified(client, administrator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    page = client.get(reverse("admin:accounts_user_change", args=[registrar.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="scopes-0-place"' in content
    assert "roles" in content


def test_administrator_cannot_delete_accounts(client: Client, administrator: User, registrar: User) -> None:
    login_verified(client, administrator)
    assert client.get(reverse("admin:accounts_user_delete", args=[registrar.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["registrar", "assessor", "analyst", "outsider"])
def test_non_auditor_cannot_see_the_access_log(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    url = _access_log_url()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code in {403, 404}


def test_auditor_sees_the_access_log(client: Client, auditor: User) -> None:
    url = _access_log_url()
    login_verified(client, auditor)
    assert client.get(url).status_code == 200


def test_analyst_never_sees_names(analyst: User) -> None:
    assert analyst.sees_names is False


@pytest.mark.parametrize("persona", ["administrator", "registrar", "assessor", "reviewer", "auditor", "archivist"])
def test_other_roles_see_names(persona: str, request: pytest.FixtureRequest) -> None:
    assert request.getfixturevalue(persona).sees_names is True


def test_outsider_sees_no_names_and_no_places(outsider: User) -> None:
    assert outsider.sees_names is False
    assert not outsider.requires_two_factor
