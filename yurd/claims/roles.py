"""What each role may do with claims (gathered by yurd.core.roles.sync_role_groups).

registrar: files claims, edits drafts, submits, verifies documents, returns incomplete files,
    records appeals and withdrawals.
assessor: values claims under the valuation table (and can never approve what they assessed).
reviewer: approves or returns assessed claims, decides, applies cohort precedents, checks QC samples.
administrator: everything, plus valuation tables, re-valuation and annulment.
analyst: the progress dashboard (aggregates; drill-downs show codes, never names).
auditor: reads claims, decisions and the dashboard.
"""

from __future__ import annotations

from yurd.accounts.roles import Role

_VIEW = [
    "claims.view_claim",
    "claims.view_decision",
    "claims.view_valuationtable",
    "claims.view_cohort",
    "claims.view_progress",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.REGISTRAR: [*_VIEW, "claims.add_claim", "claims.change_claim", "claims.submit_claim", "claims.export_claims"],
    Role.ASSESSOR: [*_VIEW, "claims.assess_claim"],
    Role.REVIEWER: [*_VIEW, "claims.approve_claim", "claims.decide_claim"],
    Role.ADMINISTRATOR: [
        *_VIEW,
        "claims.add_claim",
        "claims.change_claim",
        "claims.submit_claim",
        "claims.assess_claim",
        "claims.approve_claim",
        "claims.decide_claim",
        "claims.annul_claim",
        "claims.manage_valuation",
        "claims.export_claims",
    ],
    Role.ANALYST: ["claims.view_progress"],
    Role.AUDITOR: _VIEW,
}
