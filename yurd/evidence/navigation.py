from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [NavItem(_("Evidence"), "evidence:item_list", "evidence.view_evidenceitem", order=10, group="evidence")]
