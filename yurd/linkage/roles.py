"""What each role may do with duplicates (gathered by yurd.core.roles.sync_role_groups)."""

from __future__ import annotations

from yurd.accounts.roles import Role

_VIEW = ["linkage.view_matchcandidate", "linkage.view_merge"]
_DECIDE = [*_VIEW, "linkage.adjudicate_matchcandidate", "linkage.change_matchcandidate", "linkage.add_merge"]

ROLE_PERMISSIONS = {
    Role.ADMINISTRATOR: _DECIDE,
    Role.REGISTRAR: _DECIDE,
    Role.REVIEWER: _VIEW,
    Role.AUDITOR: _VIEW,
}
