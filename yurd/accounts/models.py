"""Users, their roles (groups) and their scopes (places they may see)."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from yurd.accounts.roles import Role


class User(AbstractUser):
    # Administrators and national-level staff see every place; everyone else sees
    # only the places in their scopes (and nothing while they have none).
    full_scope = models.BooleanField(
        _("sees all places"),
        default=False,
        help_text=_("Unless set, the user sees only records within the places in their scopes."),
    )
    # Blank: keep whatever language the person chose on the log-in page or their browser asks for.
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("Yurd switches to this language when you log in."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names

    @property
    def requires_two_factor(self) -> bool:
        return any(self.has_role(role) for role in settings.YURD_TWO_FACTOR_ROLES) or self.is_superuser

    @property
    def sees_names(self) -> bool:
        """Analysts work with aggregates only: never a name."""
        return self.has_perm("accounts.view_personal_names")


class ScopeBasis(models.TextChoices):
    ORIGIN = "origin", _("by place of origin")
    RESIDENCE = "residence", _("by current residence")


class Scope(models.Model):
    """A place (and everything within it) whose records a user may see."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="scopes")
    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("basis"), max_length=16, choices=ScopeBasis.choices)

    class Meta:
        verbose_name = _("scope")
        verbose_name_plural = _("scopes")
        constraints = [models.UniqueConstraint(fields=["user", "place", "basis"], name="unique_user_scope")]
        permissions = [
            ("view_personal_names", _("Can see names and other personal data")),
            ("export_identified", _("Can export records with names")),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.place} ({self.get_basis_display()})"
