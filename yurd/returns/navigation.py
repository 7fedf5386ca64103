from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [NavItem(_("Return planning"), "returns:planning", "returns.plan_returns", order=35, group="registry")]
