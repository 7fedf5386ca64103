from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Access log"), "core:access_log", "core.view_access_log", order=10, group="administration"),
    NavItem(_("Change log"), "core:change_log", "core.view_change_log", order=11, group="administration"),
    NavItem(_("Jobs"), "core:job_list", "", order=20, group="administration"),
]
