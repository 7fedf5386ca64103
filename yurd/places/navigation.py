from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [NavItem(_("Places"), "places:place_list", "places.view_place", order=40, group="registry")]
