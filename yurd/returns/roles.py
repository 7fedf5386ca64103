"""What each role may do with return intentions."""

from __future__ import annotations

from yurd.accounts.roles import Role

_VIEW = ["returns.view_returnintention", "returns.plan_returns"]
_RECORD = [*_VIEW, "returns.add_returnintention"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: [*_RECORD, "returns.change_returnintention", "returns.export_returns"],
    Role.REGISTRAR: [*_RECORD, "returns.export_returns"],
    Role.ASSESSOR: _VIEW,
    Role.REVIEWER: _VIEW,
    # Analysts plan from aggregates and pseudonymised exports.
    Role.ANALYST: ["returns.plan_returns", "returns.export_returns"],
}
