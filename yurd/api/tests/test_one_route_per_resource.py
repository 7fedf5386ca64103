"""Each resource answers at one route, under /api/; the apps' own copies are gone."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve, reverse


@pytest.mark.parametrize(
    "path", ["/evidence/api/items/", "/testimonies/api/testimonies/", "/testimonies/api/testimonies/T-1/"]
)
def test_app_level_api_copies_are_not_routed(path: str) -> None:
    with pytest.raises(Resolver404):
        resolve(path)


def test_evidence_and_testimonies_are_served_under_api() -> None:
    assert reverse("api:evidence-list") == "/api/evidence/"
    assert reverse("api:testimony-list") == "/api/testimonies/"
