"""Log-in in two steps (password, then a code for users with a device), profile, two-factor.

Step one checks the password (django-axes counts failures there). A user with a
confirmed device is not logged in yet: the session remembers who passed step one for
a few minutes, and step two asks for the code. Wrong codes count as failed log-ins too.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts import services
from yurd.accounts.forms import ApiTokenForm, LanguageForm, LoginForm, TokenForm
from yurd.accounts.middleware import is_verified
from yurd.accounts.models import ApiToken, User
from yurd.accounts.roles import Role
from yurd.core.http import AuthenticatedHttpRequest

PENDING_LOGIN_KEY = "_yurd_login_pending"
# Time allowed between the password and the code.
PENDING_LOGIN_SECONDS = 300


def _posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one), None for a GET: bound forms only on POST."""
    return request.POST if request.method == "POST" else None


def _safe_next(request: HttpRequest, candidate: str | None = None) -> str:
    url = candidate if candidate is not None else request.POST.get("next") or request.GET.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete_login(
    request: HttpRequest, user: User, device: Device | None, *, backend: str, next_url: str
) -> HttpResponse:
    request.session.pop(PENDING_LOGIN_KEY, None)
    if not request.user.is_authenticated:
        login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    response = HttpResponseRedirect(next_url)
    if user.preferred_language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request, data=_posted(request))
    if request.method == "POST" and form.is_valid():
        user: User = form.get_user()
        backend = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1])
        if user_has_device(user, confirmed=True):
            request.session[PENDING_LOGIN_KEY] = {
                "user": user.pk,
                "backend": backend,
                "started": time.time(),
                "next": next_url,
            }
            return redirect("accounts:verify")
        return _complete_login(request, user, None, backend=backend, next_url=next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not isinstance(pending, dict):
        return None, {}
    if time.time() - float(pending.get("started", 0)) > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_KEY, None)
        return None, {}
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None, {}
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return user, pending


@sensitive_post_parameters()
@csrf_protect
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Second step: the code from the user's device, after the password or for a session not yet verified."""
    pending: dict[str, Any]
    if request.user.is_authenticated:
        if is_verified(request.user):
            return redirect(_safe_next(request))
        if not user_has_device(request.user, confirmed=True):
            return redirect("accounts:two_factor_setup")
        user: User = request.user
        pending = {"next": _safe_next(request), "backend": ""}
    else:
        pending_user, pending = _pending_user(request)
        if pending_user is None:
            messages.info(request, _("Your log-in took too long. Enter your username and password again."))
            return redirect("accounts:login")
        user = pending_user
    form = TokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(PENDING_LOGIN_KEY, None)
            return get_lockout_response(request, None, credentials)
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            return _complete_login(
                request, user, device, backend=pending["backend"], next_url=_safe_next(request, pending["next"])
            )
        # Counted with wrong passwords: guessing codes locks the account the same way.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.reject()
    return render(request, "accounts/verify.html", {"form": form, "pending_user": user})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("accounts:login")


def _profile_context(request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
    user: User = request.user

    role_labels = [Role(name).label if name in Role.values else name for name in sorted(user.role_names)]
    context: dict[str, Any] = {
        "role_labels": role_labels,
        "scopes": user.scopes.select_related("place").order_by("place__path", "basis"),
        "devices": TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"),
        "language_form": LanguageForm(instance=user),
        "remove_form": TokenForm(auto_id="id_remove_%s"),
        "api_tokens": ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"),
        "api_token_form": ApiTokenForm(auto_id="id_api_token_%s"),
        "api_token_days": settings.YURD_API_TOKEN_DAYS,
        "api_token_needs_code": _needs_code_for_tokens(user),
    }
    context.update(extra)
    return context


def _needs_code_for_tokens(user: User) -> bool:
    """A user with a second factor (or whose role requires one) creates tokens only in a
    session that proved it: a token must never be a way around the code."""
    return (user.requires_two_factor or user_has_device(user, confirmed=True)) and not is_verified(user)


@never_cache
@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _profile_context(request))


@never_cache
@login_required
@require_POST
def api_token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a token and show its key on this one answer (it is never shown again)."""
    user: User = request.user
    if _needs_code_for_tokens(user):
        target = "accounts:verify" if user_has_device(user, confirmed=True) else "accounts:two_factor_setup"
        messages.info(request, _("Enter the code from your authenticator app before creating an API token."))
        return redirect(f"{reverse(target)}?{urlencode({'next': reverse('accounts:profile') + '#api-tokens'})}")
    form = ApiTokenForm(request.POST, auto_id="id_api_token_%s")
    if not form.is_valid():
        return render(request, "accounts/profile.html", _profile_context(request, api_token_form=form), status=400)
    token, key = services.api_token_create(user=user, name=form.cleaned_data["name"], two_factor=is_verified(user))
    context = _profile_context(request, new_api_token=token, new_api_token_key=key)
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    if not services.api_token_revoke(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect(reverse("accounts:profile") + "#api-tokens")


@login_required
@require_POST
def language(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/profile.html", _profile_context(request, language_form=form), status=400)
    chosen = form.cleaned_data["preferred_language"]
    services.user_set_language(user=user, language=chosen)
    response = redirect("accounts:profile")
    if chosen:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    messages.success(request, _("Your language preference is saved."))
    return response


@sensitive_post_parameters()
@login_required
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Keeps this session (and its two-factor verification) alive after the change.
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    if user_has_device(user, confirmed=True):
        if not is_verified(user):
            return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': _safe_next(request)})}")
        messages.info(request, _("Two-factor authentication is already on. To use a new device, replace it below."))
        return redirect("accounts:profile")
    device = services.totp_device_pending(user=user)
    form = TokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is now on for your account."))
            return redirect(_safe_next(request, request.POST.get("next") or reverse("accounts:profile")))
        form.reject()
    context = {
        "device": device,
        "form": form,
        "qr_svg": services.totp_qr_svg(device),
        "key": services.totp_key_base32(device),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "required": user.requires_two_factor,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def two_factor_remove(request: AuthenticatedHttpRequest, device_id: int) -> HttpResponse:
    """Turn off or replace a device; the current code proves the person holds it."""
    device = get_object_or_404(TOTPDevice, pk=device_id, user=request.user, confirmed=True)
    replace = request.POST.get("action") == "replace"
    form = TokenForm(request.POST, auto_id="id_remove_%s")
    if form.is_valid():
        if services.totp_device_remove(device=device, token=form.cleaned_data["token"]):
            if replace:
                messages.info(request, _("Your old device is removed. Set up the new one now."))
                return redirect("accounts:two_factor_setup")
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:profile")
        form.reject()
    context = _profile_context(request, remove_form=form)
    return render(request, "accounts/profile.html", context, status=400)


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin site logs in through the same two steps as everyone else."""
    del extra_context
    next_url = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
    if not request.user.is_staff:
        raise PermissionDenied(_("Your account may not use the administration site."))
    return redirect(_safe_next(request, next_url))
