from yurd.accounts.roles import Role

_AUDIT = ["core.view_access_log", "core.view_accesslogentry", "core.view_change_log"]

ROLE_PERMISSIONS = {
    Role.AUDITOR: _AUDIT,
    Role.ADMINISTRATOR: [*_AUDIT, "core.view_all_jobs", "core.run_maintenance"],
}
