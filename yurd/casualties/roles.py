"""What each role may do in the register of deaths and injuries.

Names are for the roles that document people (administrator, registrar within her
scope, reviewer, archivist); every role sees the counts, estimates and overlaps,
which reveal no one: the analyst works with those alone.
"""

from __future__ import annotations

from yurd.accounts.roles import Role

_FIGURES = ["casualties.view_register_figures", "casualties.view_sourcelist"]
_NAMES = [*_FIGURES, "casualties.view_casualtyperson", "casualties.view_listentry"]
_DOCUMENT = [
    *_NAMES,
    "casualties.add_sourcelist",
    "casualties.add_listimport",
    "casualties.view_listimport",
    "casualties.adjudicate_casualtymatch",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: [*_DOCUMENT, "casualties.change_sourcelist"],
    Role.REGISTRAR: _DOCUMENT,
    Role.REVIEWER: [*_NAMES, "casualties.adjudicate_casualtymatch"],
    Role.ARCHIVIST: _NAMES,
    Role.ASSESSOR: _FIGURES,
    Role.HERITAGE_RESEARCHER: _FIGURES,
    Role.ANALYST: _FIGURES,
    Role.AUDITOR: _FIGURES,
}
