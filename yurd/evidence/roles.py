from yurd.accounts.roles import Role

_VIEW = ["evidence.view_evidenceitem"]
_ADD = ["evidence.add_evidenceitem", "evidence.change_evidenceitem"]
_RESTRICTED = ["evidence.view_restricted_evidence", "evidence.download_evidence"]

# Restricted evidence: archivists, administrators and heritage researchers only.
ROLE_PERMISSIONS = {
    Role.ADMINISTRATOR: [
        *_VIEW,
        *_ADD,
        *_RESTRICTED,
        "evidence.export_evidence",
        "evidence.verify_custody",
        "evidence.change_sensitivity",
    ],
    Role.ARCHIVIST: [
        *_VIEW,
        *_ADD,
        *_RESTRICTED,
        "evidence.export_evidence",
        "evidence.verify_custody",
        "evidence.change_sensitivity",
    ],
    Role.HERITAGE_RESEARCHER: [*_VIEW, *_ADD, *_RESTRICTED],
    Role.REGISTRAR: [*_VIEW, *_ADD, "evidence.download_evidence"],
    Role.ASSESSOR: [*_VIEW, "evidence.download_evidence"],
    Role.REVIEWER: [*_VIEW, "evidence.download_evidence"],
    Role.AUDITOR: [*_VIEW, "evidence.verify_custody"],
    Role.ANALYST: _VIEW,
}
