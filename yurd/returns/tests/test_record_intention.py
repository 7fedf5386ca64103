from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yurd.core.actors import system_actor
from yurd.core.models import AccessLogEntry
from yurd.returns.models import Intention, ReturnIntention
from yurd.returns.selectors import latest_intentions
from yurd.returns.services import return_intention_record

pytestmark = pytest.mark.django_db


def test_registrar_records_an_intention_on_the_household_page(client, registrar, quliyev_family, gazetteer):
    client.force_login(registrar)
    members = list(quliyev_family.members.order_by("code"))
    url = reverse("returns:household_intentions", args=[quliyev_family.code])
    response = client.post(
        url,
        {
            "survey_date": "2025-03-01",
            "intention": "conditional",
            "preferred_place": gazetteer.settlement_a1.pk,
            "conditions": ["security", "housing"],
            "returning_members": [members[0].pk],
            "timeline": "one_to_three",
        },
    )
    assert response.status_code == 302
    intention = ReturnIntention.objects.get(household=quliyev_family)
    assert intention.conditions == ["security", "housing"]
    assert list(intention.returning_members.all()) == [members[0]]
    page = client.get(url)
    assert "would return under conditions" in page.content.decode()
    assert AccessLogEntry.objects.filter(user=registrar, target_code=quliyev_family.code, action="view").exists()


def test_earlier_answers_are_kept_and_the_latest_counts(registrar, quliyev_family, gazetteer):
    actor = system_actor()
    return_intention_record(
        actor=actor,
        household=quliyev_family,
        survey_date=dt.date(2025, 6, 1),
        intention=Intention.YES,
        preferred_place=gazetteer.settlement_a1,
    )
    return_intention_record(
        actor=actor,
        household=quliyev_family,
        survey_date=dt.date(2024, 1, 1),
        intention=Intention.NO,
    )
    assert ReturnIntention.objects.filter(household=quliyev_family).count() == 2
    (latest,) = latest_intentions(user=registrar)
    assert latest.intention == Intention.YES


def test_members_of_another_household_are_refused(quliyev_family, demirci_family, gazetteer):
    with pytest.raises(ValidationError):
        return_intention_record(
            actor=system_actor(),
            household=quliyev_family,
            survey_date=dt.date(2025, 6, 1),
            intention=Intention.YES,
            preferred_place=gazetteer.settlement_a1,
            returning_members=list(demirci_family.members.all()),
        )


def test_registrar_cannot_open_a_household_outside_her_scope(client, registrar, demirci_family):
    client.force_login(registrar)
    response = client.get(reverse("returns:household_intentions", args=[demirci_family.code]))
    assert response.status_code == 404


def test_outsider_is_refused(client, outsider, quliyev_family):
    client.force_login(outsider)
    assert client.get(reverse("returns:household_intentions", args=[quliyev_family.code])).status_code == 403
    assert client.get(reverse("returns:planning")).status_code == 403
