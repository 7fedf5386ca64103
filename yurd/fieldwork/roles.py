"""What each role may do in field collection."""

from __future__ import annotations

from yurd.accounts.roles import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: [
        "fieldwork.collect",
        "fieldwork.review_submission",
        "fieldwork.view_team",
        "fieldwork.add_team",
        "fieldwork.change_team",
        "fieldwork.add_assignment",
        "fieldwork.delete_assignment",
    ],
    # Registrars give teams households within their scope; teams and members are the administrator's.
    Role.REGISTRAR: [
        "fieldwork.collect",
        "fieldwork.review_submission",
        "fieldwork.view_team",
        "fieldwork.add_assignment",
        "fieldwork.delete_assignment",
    ],
}
