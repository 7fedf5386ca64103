"""One rule for every path that records an answer: an intention other than "no" names the
settlement the household would return to (ReturnIntention.clean, run by the service)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yurd.core.actors import Actor, system_actor
from yurd.returns.models import Intention, ReturnIntention
from yurd.returns.services import return_intention_record

pytestmark = pytest.mark.django_db

MESSAGE = "Name the settlement the household would return to."


@pytest.mark.parametrize("intention", [Intention.YES, Intention.CONDITIONAL, Intention.UNDECIDED])
def test_the_service_refuses_an_answer_without_a_settlement(intention, registrar, quliyev_family):
    with pytest.raises(ValidationError) as caught:
        return_intention_record(
            actor=Actor(user=registrar),
            household=quliyev_family,
            survey_date=dt.date(2025, 6, 1),
            intention=intention,
        )
    assert caught.value.message_dict == {"preferred_place": [MESSAGE]}
    assert not ReturnIntention.objects.exists()


def test_the_rule_holds_for_the_system_actor_too(quliyev_family):
    """Demo data and commands record as the system: no permission check, the same rule."""
    with pytest.raises(ValidationError, match="Name the settlement"):
        return_intention_record(
            actor=system_actor(), household=quliyev_family, survey_date=dt.date(2025, 6, 1), intention=Intention.YES
        )


def test_a_household_that_will_not_return_names_no_settlement(registrar, quliyev_family):
    intention = return_intention_record(
        actor=Actor(user=registrar),
        household=quliyev_family,
        survey_date=dt.date(2025, 6, 1),
        intention=Intention.NO,
    )
    assert intention.preferred_place is None


def test_the_page_shows_the_rules_message_next_to_the_settlement(client, registrar, quliyev_family):
    client.force_login(registrar)
    response = client.post(
        reverse("returns:household_intentions", args=[quliyev_family.code]),
        {"survey_date": "2025-03-01", "intention": "yes", "timeline": "unknown"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"preferred_place": [MESSAGE]}
    assert not ReturnIntention.objects.exists()
