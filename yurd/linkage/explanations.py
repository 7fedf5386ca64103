"""A pair's reasons in the reader's language (az, ru, en), rendered at display time.

The engine's English phrases (yurd.linkage.matching.reasons.CATALOGUE) are the msgids; the
translations are in this app's catalogues. Names, years and counts are parameters, shown as
the records wrote them.
"""

from __future__ import annotations

from django.utils.translation import gettext

from yurd.linkage.matching.reasons import CATALOGUE, STRENGTH, Reason, parse, render


def render_reasons(reasons: list[Reason]) -> list[str]:
    return [
        render(reason, lambda code: gettext(CATALOGUE[code]), lambda strength: gettext(STRENGTH[strength]))
        for reason in reasons
    ]


def reasons_of(explanation: str) -> list[Reason]:
    """What to store for an explanation the engine wrote."""
    return parse(explanation)
