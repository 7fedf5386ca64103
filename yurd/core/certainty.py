"""How sure a statement is: one scale for kinship edges, site observations and anything else.

The five levels of the heritage inventory (DOMAIN.md); kinship used the first four until
it joined this scale, so its stored values needed no change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Certainty(models.TextChoices):
    DEFINITE = "definite", _("definite")
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")
    NEGLIGIBLE = "negligible", _("negligible")
