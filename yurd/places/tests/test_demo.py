"""The synthetic demo gazetteer loads through the import path and twice changes nothing."""

from __future__ import annotations

import io

import pytest

from yurd.places import demo
from yurd.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_demo_gazetteer_is_synthetic_and_idempotent() -> None:
    assert "SYNTHETIC" in demo.DATA_FILE.read_text(encoding="utf-8").splitlines()[0]
    demo.load(households=0, stdout=io.StringIO())
    synthetic = Place.objects.filter(code__startswith="AM")
    counts = {kind: synthetic.filter(kind=kind).count() for kind in PlaceKind.values}
    assert counts == {"country": 1, "region": 3, "district": 8, "settlement": 58}
    assert all("synthetic" in source for source in synthetic.values_list("source", flat=True))
    # The demo also loads the reference gazetteer of current residences, which is not synthetic.
    assert Place.objects.exclude(code__startswith="AM").count() == 110
    history = Place.history.count()
    out = io.StringIO()
    demo.load(households=0, stdout=out)
    assert "0 created, 0 updated, 70 unchanged" in out.getvalue()
    assert Place.history.count() == history
