from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(
        _("Deaths and injuries"), "casualties:home", "casualties.view_register_figures", order=30, group="heritage"
    ),
]
