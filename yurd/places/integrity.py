"""The gazetteer's part of `yurd integrity_check`: every stored path agrees with its parent's."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yurd.core.tasks import IntegrityCheck
from yurd.places.models import Place

BATCH_SIZE = 500


def place_path_problems(advance: Callable[[int], None]) -> list[str]:
    """Places whose stored path disagrees with their parent's, read in batches."""
    problems: list[str] = []
    # Parents' paths as stored, so each place is checked against what is in the table.
    paths = dict(Place.objects.values_list("pk", "path"))
    place_count = len(paths)
    for start in range(0, place_count, BATCH_SIZE):
        batch = Place.objects.order_by("pk").values_list("pk", "code", "parent_id", "path")[start : start + BATCH_SIZE]
        checked = 0
        for pk, code, parent_id, path in batch:
            expected = f"{paths.get(parent_id, '') if parent_id else ''}{pk}/"
            if path != expected:
                problems.append(
                    _("Place %(code)s has path %(path)s; expected %(expected)s.")
                    % {"code": code, "path": path or "—", "expected": expected}
                )
            checked += 1
        advance(checked)
    return problems


PLACE_PATHS = IntegrityCheck(
    result_key="places_checked",
    label=gettext_lazy("Checking place paths"),
    result_label=gettext_lazy("Places checked"),
    count=Place.objects.count,
    run=place_path_problems,
)
