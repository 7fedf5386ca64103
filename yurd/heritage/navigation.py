from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Heritage sites"), "heritage:site_list", "heritage.view_site", order=10, group="heritage"),
    NavItem(_("Heritage map"), "heritage:site_map", "heritage.view_site", order=11, group="heritage"),
    NavItem(
        _("Review observations"), "heritage:review_queue", "heritage.review_observation", order=12, group="heritage"
    ),
]
