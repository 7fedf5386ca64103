"""Register people are proposed, never silently linked, to registry people recorded as
deceased; the linking that proposed a pair is credited to the user who ran it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.casualties.models import CasualtyMatch, ListEntry, MatchStatus
from yurd.casualties.services import match_decide, register_link
from yurd.casualties.tests.conftest import LATIN, import_list, make_list
from yurd.core.actors import Actor
from yurd.registry.models import Household, Person
from yurd.testing.personas import Gazetteer, login_verified

pytestmark = pytest.mark.django_db


def _deceased(gazetteer: Gazetteer, code: str, surname: str, given_name: str, born: str) -> Person:
    household = Household.objects.create(code=f"H-{code}", origin_place=gazetteer.settlement_a2)
    return Person.objects.create(
        household=household,
        code=f"P-{code}",
        surname=surname,
        given_name=given_name,
        sex="m",
        birth_date=born,
        is_deceased=True,
    )


def test_a_registry_person_recorded_as_deceased_is_proposed_for_review_not_linked(
    gazetteer: Gazetteer, administrator: User
) -> None:
    tofiq = _deceased(gazetteer, "9000001", "Rzayev", "Tofiq", "1932")
    _deceased(gazetteer, "9000002", "Novruzov", "Kamran", "1985")
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    register_person = ListEntry.objects.get(record_id="A-3").person
    assert register_person is not None
    proposals = list(CasualtyMatch.objects.filter(registry_person__isnull=False))
    assert [(match.left, match.registry_person) for match in proposals] == [(register_person, tofiq)]
    assert proposals[0].status == MatchStatus.PENDING and proposals[0].proposed_by == administrator
    register_person.refresh_from_db()
    assert register_person.person is None  # proposed, never linked silently
    register_link(actor=actor)
    assert CasualtyMatch.objects.filter(registry_person__isnull=False).count() == 1  # not proposed twice
    linked = match_decide(actor=actor, match=proposals[0], status=MatchStatus.SAME)
    assert linked == register_person
    register_person.refresh_from_db()
    assert register_person.person == tofiq
    assert not CasualtyMatch.objects.filter(status=MatchStatus.PENDING).exists()


def test_link_again_credits_the_user_who_ran_it_and_the_queue_shows_the_registry_side(
    gazetteer: Gazetteer, administrator: User, registrar: User
) -> None:
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    assert not CasualtyMatch.objects.exists()
    tofiq = _deceased(gazetteer, "9000003", "Rzayev", "Tofiq", "1932")
    client = Client()
    client.force_login(registrar)
    assert client.post(reverse("casualties:link")).status_code == 302
    match = CasualtyMatch.objects.get(registry_person=tofiq)
    assert match.proposed_by == registrar
    login_verified(client, administrator)
    queue = client.get(reverse("casualties:review_queue")).content.decode()
    assert "P-9000003" in queue and "deceased, in the registry" in queue
    page = client.get(reverse("casualties:match_detail", args=[match.pk])).content.decode()
    assert f"proposed by the linking {registrar.get_username()} ran" in page and 'id="registry-side"' in page
    response = client.post(reverse("casualties:match_detail", args=[match.pk]), {"status": "same"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.decided_by == administrator and match.left.person == tofiq
