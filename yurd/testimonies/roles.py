"""What each role may do with testimonies and the thesaurus."""

from __future__ import annotations

from yurd.accounts.roles import Role

_READ = ["testimonies.view_testimony", "testimonies.view_term", "testimonies.add_term"]
_CURATE = [
    *_READ,
    "testimonies.add_testimony",
    "testimonies.change_testimony",
    "testimonies.view_restricted_testimony",
    "testimonies.withdraw_testimony_consent",
    "testimonies.export_testimony",
    "testimonies.approve_term",
    "testimonies.change_term",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Lifting the seal a withdrawal of consent put on a recording is an administrator's act.
    Role.ADMINISTRATOR: [*_CURATE, "testimonies.unseal_testimony_media"],
    Role.ARCHIVIST: _CURATE,
    Role.HERITAGE_RESEARCHER: _READ,
    Role.REGISTRAR: ["testimonies.view_testimony", "testimonies.withdraw_testimony_consent"],
}
