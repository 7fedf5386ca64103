"""What each role may do with accounts. The roles themselves and the merging of every
app's lists live in `yurd.core.roles`, re-exported here for the apps above accounts.
"""

from __future__ import annotations

from yurd.core.roles import Role, collected_role_permissions, sync_role_groups

__all__ = ["ROLE_PERMISSIONS", "Role", "collected_role_permissions", "sync_role_groups"]


_ALL_BUT_ANALYST = [role for role in Role if role != Role.ANALYST]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    **{role: ["accounts.view_personal_names"] for role in _ALL_BUT_ANALYST},
}
ROLE_PERMISSIONS[Role.ADMINISTRATOR] = [*ROLE_PERMISSIONS[Role.ADMINISTRATOR], "accounts.export_identified"]
# Administrators manage accounts in the admin site: roles, scopes, lockouts, devices.
ROLE_PERMISSIONS[Role.ADMINISTRATOR] += [
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_scope",
    "accounts.add_scope",
    "accounts.change_scope",
    "accounts.delete_scope",
    "auth.view_group",
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
]
ROLE_PERMISSIONS[Role.REGISTRAR] = [*ROLE_PERMISSIONS[Role.REGISTRAR], "accounts.export_identified"]
