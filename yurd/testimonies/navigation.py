from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Testimonies"), "testimonies:testimony_list", "testimonies.view_testimony", order=20, group="heritage"),
    NavItem(_("Thesaurus"), "testimonies:term_list", "testimonies.view_term", order=21, group="heritage"),
]
