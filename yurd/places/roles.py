"""What each role may do with the gazetteer.

Everyone with a role reads places; registrars keep names and settlements up to date
for their work; only administrators delete places and import whole gazetteers.
"""

from yurd.core.roles import Role

_VIEW = ["places.view_place", "places.view_placename"]
_EDIT = ["places.add_place", "places.change_place", "places.add_placename", "places.change_placename"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: [
        *_VIEW,
        *_EDIT,
        "places.delete_place",
        "places.delete_placename",
        "places.import_places",
    ],
    Role.REGISTRAR: [*_VIEW, *_EDIT, "places.delete_placename"],
    Role.ASSESSOR: _VIEW,
    Role.REVIEWER: _VIEW,
    Role.HERITAGE_RESEARCHER: _VIEW,
    Role.ARCHIVIST: _VIEW,
    Role.ANALYST: _VIEW,
    Role.AUDITOR: _VIEW,
}
