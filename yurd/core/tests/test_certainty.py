"""One certainty scale: kinship edges and site observations choose from core's Certainty."""

from __future__ import annotations

from yurd.core.certainty import Certainty
from yurd.heritage.models import Observation
from yurd.registry.models import Kinship


def test_kinship_and_observations_share_the_five_levels() -> None:
    expected = [("definite", "definite"), ("high", "high"), ("medium", "medium"), ("low", "low")]
    expected.append(("negligible", "negligible"))
    for model in (Kinship, Observation):
        assert model._meta.get_field("certainty").choices == Certainty.choices == expected
