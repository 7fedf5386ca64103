from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Claims"), "claims:claim_list", "claims.view_claim", order=10, group="claims"),
    NavItem(_("Assessment progress"), "claims:progress", "claims.view_progress", order=11, group="claims"),
    NavItem(_("Cohorts"), "claims:cohort_list", "claims.decide_claim", order=12, group="claims"),
    NavItem(_("Property duplicates"), "claims:property_duplicates", "claims.approve_claim", order=13, group="claims"),
    NavItem(_("Claims to re-review"), "claims:review_queue", "claims.approve_claim", order=13, group="claims"),
    NavItem(_("Valuation tables"), "claims:valuation_list", "claims.view_valuationtable", order=14, group="claims"),
]
