from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Households"), "registry:household_list", "registry.view_household", order=20),
    NavItem(_("People"), "registry:person_list", "registry.view_person", order=21),
    NavItem(_("Search"), "registry:search", "registry.view_person", order=22),
    NavItem(_("Imports"), "registry:import_list", "registry.add_importbatch", order=23),
]
