"""User administration: roles are groups, scopes are edited inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts import services, views
from yurd.accounts.models import Scope, User
from yurd.accounts.roles import Role

# Everyone, the admin site included, logs in through the two-step log-in page.
admin.site.login = views.admin_login  # type: ignore[method-assign]
# Static (backup) codes are second factors in plain text: no page shows them. Devices are
# removed with the "Reset two-factor devices" action; API tokens are not in the admin at
# all (their owners list and revoke them on the profile page; only digests are stored).
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)


def _is_own_account(request: HttpRequest, obj: Model | None) -> bool:
    return obj is not None and obj.pk == request.user.pk


class ScopeInline(admin.TabularInline):
    model = Scope
    extra = 1
    raw_id_fields = ["place"]
    verbose_name = _("scope")
    verbose_name_plural = _("scopes: places whose records this user may see")

    # An administrator does not widen their own scope; another administrator (or a
    # superuser) does it for them.
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        own = _is_own_account(request, obj) and not request.user.is_superuser
        return not own and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        own = _is_own_account(request, obj) and not request.user.is_superuser
        return not own and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        own = _is_own_account(request, obj) and not request.user.is_superuser
        return not own and super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ScopeInline]
    list_display = ["username", "first_name", "last_name", "roles", "full_scope", "two_factor", "is_active"]
    list_filter = ["groups", "full_scope", "is_active", "is_staff"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        (_("Roles and scope"), {"fields": ("groups", "full_scope")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions"), "classes": ("collapse",)},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    actions = ["unlock", "reset_two_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).prefetch_related("groups").annotate(two_factor_on=Exists(devices))

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> ModelMultipleChoiceField:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label = _("roles")
            field.help_text = _(
                "What the user may do. Administrators, reviewers and auditors must use two-factor log-in."
            )
        return field  # type: ignore[return-value]

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        labels = {role.value: str(role.label) for role in Role}
        return ", ".join(labels.get(group.name, group.name) for group in user.groups.all())

    @admin.display(description=_("two-factor"), boolean=True)
    def two_factor(self, user: User) -> bool:
        return bool(getattr(user, "two_factor_on", False))

    @admin.action(description=_("Unlock after failed log-ins"), permissions=["change"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        cleared = sum(services.user_unlock(username=user.username) for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d failed attempt cleared.", "%(count)d failed attempts cleared.", cleared)
            % {"count": cleared},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-factor devices (user enrols again)"), permissions=["change"])
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_reset_two_factor(user=user)
        self.message_user(request, _("Two-factor devices removed."), messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Accounts are deactivated, never deleted: the logs must keep naming who did what.
        return False

    # Nobody but a superuser grants superuser status or permissions outside the roles,
    # and nobody changes their own roles, scope or status: an administrator cannot make
    # themself more than an administrator.
    ONLY_SUPERUSERS = ("is_superuser", "user_permissions")
    NOT_ONESELF = ("groups", "full_scope", "is_staff", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.ONLY_SUPERUSERS
            if _is_own_account(request, obj):
                fields += self.NOT_ONESELF
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A superuser's account (and password) is changed by superusers only: otherwise
        # setting its password would be a way to become one.
        if isinstance(obj, User) and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
