from django.utils.translation import gettext_lazy as _

from yurd.core.context_processors import NavItem

NAVIGATION = [
    NavItem(_("Field collection"), "fieldwork:index", "fieldwork.review_submission", order=30, group="registry"),
]
