"""What each role may do in the registry (gathered by yurd.core.roles.sync_role_groups)."""

from __future__ import annotations

from yurd.accounts.roles import Role

_VIEW = [
    "registry.view_household",
    "registry.view_person",
    "registry.view_personname",
    "registry.view_kinship",
    "registry.view_consent",
    "registry.view_heirline",
]
_REGISTER = [
    *_VIEW,
    "registry.add_household",
    "registry.change_household",
    "registry.add_person",
    "registry.change_person",
    "registry.add_personname",
    "registry.change_personname",
    "registry.add_kinship",
    "registry.change_kinship",
    "registry.add_consent",
    "registry.change_consent",
    "registry.add_heirline",
    "registry.view_contactdetails",
    "registry.add_contactdetails",
    "registry.change_contactdetails",
    "registry.view_identitydocument",
    "registry.add_identitydocument",
    "registry.change_identitydocument",
    "registry.view_sensitive",
    "registry.add_importbatch",
    "registry.view_importbatch",
    "registry.export_registry",
]
_ADMINISTER = [
    *_REGISTER,
    "registry.delete_household",
    "registry.delete_person",
    "registry.delete_personname",
    "registry.delete_kinship",
    "registry.delete_consent",
    "registry.change_heirline",
    "registry.delete_heirline",
    "registry.delete_contactdetails",
    "registry.delete_identitydocument",
    "registry.change_importbatch",
    "registry.delete_importbatch",
    "registry.view_wave",
    "registry.add_wave",
    "registry.change_wave",
    "registry.delete_wave",
    # How many families in all: the figure progress is measured against, and its estimates.
    "registry.view_populationfigure",
    "registry.change_populationfigure",
    "registry.view_populationestimate",
    "registry.add_populationestimate",
]

# Analysts get no person-level view at all: they work with aggregates (reports app).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: _ADMINISTER,
    Role.REGISTRAR: _REGISTER,
    Role.ASSESSOR: _VIEW,
    Role.REVIEWER: _VIEW,
}
