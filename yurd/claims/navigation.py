from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Claims"), "claims:claim_list", "claims.view_claim", order=40),
    NavItem(_("Assessment progress"), "claims:progress", "claims.view_progress", order=41),
]
