from yurd.accounts.roles import Role

ROLE_PERMISSIONS = {
    Role.AUDITOR: ["core.view_access_log", "core.view_accesslogentry"],
    Role.ADMINISTRATOR: ["core.view_access_log", "core.view_accesslogentry"],
}
