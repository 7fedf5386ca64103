from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Dashboard"), "reports:dashboard", "reports.view_dashboard", order=10, group="reports"),
    NavItem(_("Statistics"), "reports:statistics", "reports.view_statistics", order=11, group="reports"),
    NavItem(_("Exports"), "reports:export_list", "reports.add_exportrequest", order=12, group="reports"),
]
