from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Households"), "registry:household_list", "registry.view_household", order=20, group="registry"),
    NavItem(_("People"), "registry:person_list", "registry.view_person", order=21, group="registry"),
    NavItem(_("Search"), "registry:search", "registry.view_person", order=22, group="registry"),
    NavItem(_("Register a household"), "registry:register", "registry.add_household", order=23, group="registry"),
    NavItem(_("Imports"), "registry:import_list", "registry.add_importbatch", order=24, group="registry"),
    NavItem(
        _("Families in all"), "registry:population", "registry.change_populationfigure", order=25, group="registry"
    ),
]
