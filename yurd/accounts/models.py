"""Users, their roles (groups) and their scopes (places they may see)."""

from __future__ import annotations

import datetime
import hashlib
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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

    # Permission names read ahead with an API token (yurd.api.authentication): while set,
    # accounts.backends.ModelBackend answers this request's has_perm from them.
    preloaded_permissions: set[str] | None = None

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


def default_api_token_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.YURD_API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def unexpired(self) -> ApiTokenQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A key for the REST API, created by its user on the profile page.

    Only a SHA-256 digest of the key is kept (the key is random, so a plain digest is
    enough): the key is shown once, and neither the admin nor a copy of the database can
    show it again. A token ends when it expires, when its user revokes it, and when the
    user's password changes (`password_stamp` is the password's session hash at issue).
    `two_factor` records that it was created in a session verified with the second
    factor; without it the token is refused for users whose role requires two factors.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, such as a script's name."))
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, to tell tokens apart in the list; not enough to use it.
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), default=default_api_token_expiry)
    two_factor = models.BooleanField(_("created with two-factor log-in"), default=False, editable=False)
    password_stamp = models.CharField(max_length=128, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} – {self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()
