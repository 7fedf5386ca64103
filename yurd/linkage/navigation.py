from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Duplicates"), "linkage:queue", "linkage.view_matchcandidate", order=25, group="registry"),
]
