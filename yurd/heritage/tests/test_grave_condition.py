"""A reviewed grave condition is not undone by an observation nobody reviewed (issue 15, finding 10).

"Destroyed" and "severely damaged" are published only after a second person's review.
A later "no visible change" from one observer, published at once, used to replace it
on the site's condition, the map and the public catalogue.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.heritage.models import Observation, ObservationStatus, Site
from yurd.heritage.selectors import condition_of
from yurd.heritage.services import observation_approve, observation_record, site_condition_refresh

pytestmark = pytest.mark.django_db


def observe(user: User, site: Site, state: str, observed_on: str) -> Observation:
    return observation_record(
        actor=Actor(user=user),
        site=site,
        physical_state=state,
        certainty="high",
        method="satellite",
        observed_on=observed_on,
    )


@pytest.fixture
def destroyed_site(site: Site, heritage_researcher: User, reviewer: User) -> Site:
    destroyed = observe(heritage_researcher, site, "destroyed", "2021-08")
    observation_approve(actor=Actor(user=reviewer), observation=destroyed)
    site.refresh_from_db()
    assert site.condition_state == "destroyed"
    return site


def public_condition(client: Client, site: Site) -> str:
    data = client.get(reverse("heritage:public_map_data")).json()
    rows = {row[0]: row for row in data["sites"]}
    return str(rows[site.code][data["columns"].index("condition")])


def test_a_later_no_visible_change_waits_for_review_on_a_destroyed_site(
    client: Client, destroyed_site: Site, heritage_researcher: User, reviewer: User
) -> None:
    later = observe(heritage_researcher, destroyed_site, "no_visible_change", "2023-05")
    assert later.status == ObservationStatus.PENDING_REVIEW
    destroyed_site.refresh_from_db()
    assert destroyed_site.condition_state == "destroyed"
    assert condition_of(destroyed_site).state == "destroyed"
    assert public_condition(client, destroyed_site) == "destroyed"
    catalogue = client.get(reverse("heritage:public_site", args=[destroyed_site.code])).content.decode()
    assert "no visible change" not in catalogue.lower()

    # A second person's approval is what lets the new observation count.
    observation_approve(actor=Actor(user=reviewer), observation=later)
    assert condition_of(destroyed_site).state == "no_visible_change"
    assert public_condition(client, destroyed_site) == "no_visible_change"


def test_a_slighter_state_on_a_site_without_a_grave_condition_is_published_at_once(
    site: Site, heritage_researcher: User
) -> None:
    first = observe(heritage_researcher, site, "slightly_damaged", "2021-08")
    later = observe(heritage_researcher, site, "no_visible_change", "2023-05")
    assert first.status == later.status == ObservationStatus.PUBLISHED
    assert condition_of(site).state == "no_visible_change"


def test_an_unreviewed_published_observation_is_a_conflict_not_the_condition(
    client: Client, destroyed_site: Site, heritage_researcher: User
) -> None:
    """Observations published unreviewed before this rule existed stay in the database."""
    later = observe(heritage_researcher, destroyed_site, "possibly_damaged", "2023-05")
    Observation.objects.filter(pk=later.pk).update(status=ObservationStatus.PUBLISHED)
    site_condition_refresh(site_ids=[destroyed_site.pk])
    condition = condition_of(destroyed_site)
    assert condition.state == "destroyed"
    assert [conflict.code for conflict in condition.conflicts] == [later.code]
    destroyed_site.refresh_from_db()
    assert destroyed_site.condition_state == "destroyed"
    assert public_condition(client, destroyed_site) == "destroyed"
