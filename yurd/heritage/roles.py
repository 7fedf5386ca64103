from yurd.accounts.roles import Role

_VIEW = ["heritage.view_site", "heritage.view_observation", "heritage.view_sitetype"]
_EDIT = [
    "heritage.add_site",
    "heritage.change_site",
    "heritage.add_observation",
    "heritage.add_sitename",
    "heritage.change_sitename",
]

ROLE_PERMISSIONS = {
    Role.ADMINISTRATOR: [
        *_VIEW,
        *_EDIT,
        "heritage.review_observation",
        "heritage.export_sites",
        "heritage.publish_site",
        "heritage.add_sitetype",
        "heritage.change_sitetype",
    ],
    Role.HERITAGE_RESEARCHER: [*_VIEW, *_EDIT, "heritage.export_sites"],
    # Reviewers approve what others observed; they do not record observations themselves.
    Role.REVIEWER: [*_VIEW, "heritage.review_observation", "heritage.publish_site"],
    Role.ARCHIVIST: [*_VIEW, "heritage.export_sites"],
    Role.ANALYST: [*_VIEW, "heritage.export_sites"],
    Role.AUDITOR: _VIEW,
    Role.REGISTRAR: _VIEW,
    Role.ASSESSOR: _VIEW,
}
