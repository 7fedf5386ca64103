from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.heritage.models import Observation, ObservationStatus, Site
from yurd.heritage.selectors import condition_of, conditions_for
from yurd.heritage.services import observation_approve, observation_record, observation_reject

pytestmark = pytest.mark.django_db


def observe(user: User, site: Site, state: str, **extra: Any) -> Observation:
    return observation_record(
        actor=Actor(user=user),
        site=site,
        physical_state=state,
        certainty=extra.pop("certainty", "high"),
        method="satellite",
        observed_on=extra.pop("observed_on", "2021-08"),
        **extra,
    )


def test_slight_damage_is_published_at_once(heritage_researcher: User, site: Site) -> None:
    observation = observe(heritage_researcher, site, "slightly_damaged")
    assert observation.status == ObservationStatus.PUBLISHED
    assert condition_of(site).state == "slightly_damaged"


@pytest.mark.parametrize(
    ("state", "alterations"),
    [("destroyed", []), ("severely_damaged", []), ("no_visible_change", ["converted"])],
)
def test_grave_findings_wait_for_a_second_person(
    heritage_researcher: User, reviewer: User, site: Site, state: str, alterations: list[str]
) -> None:
    observation = observe(heritage_researcher, site, state, alterations=alterations)
    assert observation.status == ObservationStatus.PENDING_REVIEW
    assert condition_of(site).state == "unknown"
    approved = observation_approve(actor=Actor(user=reviewer), observation=observation)
    assert approved.status == ObservationStatus.PUBLISHED
    assert approved.reviewed_by == reviewer
    assert condition_of(site).state == state


def test_observer_cannot_approve_own_observation(administrator: User, site: Site) -> None:
    observation = observe(administrator, site, "destroyed")
    with pytest.raises(PermissionDenied):
        observation_approve(actor=Actor(user=administrator), observation=observation)


def test_researcher_without_review_permission_cannot_approve(
    heritage_researcher: User, administrator: User, site: Site
) -> None:
    observation = observe(administrator, site, "destroyed")
    with pytest.raises(PermissionDenied):
        observation_approve(actor=Actor(user=heritage_researcher), observation=observation)


def test_rejection_needs_a_reason_and_keeps_the_condition(
    heritage_researcher: User, reviewer: User, site: Site
) -> None:
    observe(heritage_researcher, site, "no_visible_change", observed_on="2019")
    observation = observe(heritage_researcher, site, "destroyed")
    with pytest.raises(ValidationError):
        observation_reject(actor=Actor(user=reviewer), observation=observation, note=" ")
    observation_reject(actor=Actor(user=reviewer), observation=observation, note="The image shows another building.")
    assert condition_of(site).state == "no_visible_change"


def test_interval_between_two_image_dates_is_accepted(heritage_researcher: User, site: Site) -> None:
    observation = observe(
        heritage_researcher,
        site,
        "moderately_damaged",
        observed_on="",
        interval_start="2019-05",
        interval_end="2021-08",
    )
    assert observation.when_key == "2021-08"


def test_an_observation_needs_a_date(heritage_researcher: User, site: Site) -> None:
    with pytest.raises(ValidationError):
        observe(heritage_researcher, site, "slightly_damaged", observed_on="")


def test_analyst_cannot_record_observations(analyst: User, site: Site) -> None:
    with pytest.raises(PermissionDenied):
        observe(analyst, site, "slightly_damaged")


def test_stored_condition_always_equals_the_live_derivation(
    heritage_researcher: User, reviewer: User, site: Site
) -> None:
    def stored() -> str:
        site.refresh_from_db()
        return site.condition_state

    assert stored() == "unknown"
    observe(heritage_researcher, site, "slightly_damaged", observed_on="2019")
    assert stored() == "slightly_damaged" == conditions_for([site.pk])[site.pk].state
    grave = observe(heritage_researcher, site, "destroyed", observed_on="2022")
    assert stored() == "slightly_damaged"
    observation_approve(actor=Actor(user=reviewer), observation=grave)
    assert stored() == "destroyed" == conditions_for([site.pk])[site.pk].state
