"""What each role may do with reports. Every role sees the dashboard and the suppressed
statistics (aggregates reveal no one). Record-level exports also need the registry's
own registry.export_registry (analysts have none: pseudonymised rows are still personal
data) and are pseudonymised unless the role also holds accounts.export_identified."""

from __future__ import annotations

from yurd.accounts.roles import Role

_AGGREGATES = ["reports.view_dashboard", "reports.view_statistics"]
_EXPORT = [*_AGGREGATES, "reports.add_exportrequest", "reports.view_exportrequest"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: _EXPORT,
    Role.REGISTRAR: _EXPORT,
    Role.ANALYST: _AGGREGATES,
    Role.AUDITOR: _EXPORT,
    Role.ASSESSOR: _AGGREGATES,
    Role.REVIEWER: _AGGREGATES,
    Role.HERITAGE_RESEARCHER: _AGGREGATES,
    Role.ARCHIVIST: _AGGREGATES,
}
