"""The demo registry's likely duplicates reach the adjudication queue through the real scan."""

from __future__ import annotations

import io

import pytest

from yurd.core.jobs import job_start
from yurd.linkage.models import MatchCandidate, MatchStatus
from yurd.linkage.tasks import DUPLICATE_SCAN, duplicate_scan
from yurd.places import demo as places_demo
from yurd.registry import demo as registry_demo
from yurd.registry.models import Household, Person

pytestmark = pytest.mark.django_db

# Enough people (about 500) for the scan to train its model on them, as on the full demo.
HOUSEHOLDS = 120


def test_the_scan_of_the_demo_registry_queues_each_person_registered_twice() -> None:
    places_demo.load(households=HOUSEHOLDS, stdout=io.StringIO())
    registry_demo.load(households=HOUSEHOLDS, stdout=io.StringIO())
    second = Household.objects.filter(source_ref__endswith=registry_demo.SECOND_REGISTRATION)
    planted = set()
    for copy in Person.objects.filter(household__in=second):
        original = Person.objects.get(source_ref=copy.source_ref.replace("-R-", "-"))
        assert (copy.surname, copy.given_name) != (original.surname, original.given_name)  # another script
        planted.add(frozenset((original.code, copy.code)))
    assert second.exists()
    assert len(planted) >= len(second)

    job_start(DUPLICATE_SCAN, None, duplicate_scan)

    queued = {
        frozenset((candidate.left.code, candidate.right.code))
        for candidate in MatchCandidate.objects.filter(status=MatchStatus.PENDING).select_related("left", "right")
    }
    assert planted <= queued
