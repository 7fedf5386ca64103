"""Writes about the people who use Yurd: two-factor devices, language, lockouts."""

from __future__ import annotations

import base64
import datetime
import hashlib
import logging
import secrets

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import ApiToken, User

logger = logging.getLogger(__name__)


def normalise_token(token: str) -> str:
    """Authenticator apps show "123 456"; people type it with spaces or dashes."""
    return "".join(character for character in token if not character.isspace() and character != "-")


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one at a time), created on first visit."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, confirmed=False, name="authenticator")
    return device


def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Turn the pending device on if the code is right; any other pending device goes."""
    token = normalise_token(token)
    if not token.isdigit() or not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    logger.info("Two-factor device confirmed for %s", device.user)
    return True


def totp_device_remove(*, device: TOTPDevice, token: str) -> bool:
    """Remove a confirmed device, but only for someone who can produce its current code."""
    token = normalise_token(token)
    if not token.isdigit() or not device.verify_token(token):
        return False
    with transaction.atomic():
        device.delete()
    logger.info("Two-factor device removed by %s", device.user)
    return True


def user_reset_two_factor(*, user: User) -> int:
    """For an administrator when a device is lost: the user enrols again at next log-in."""
    with transaction.atomic():
        removed, _details = TOTPDevice.objects.filter(user=user).delete()
        static_removed, _details = StaticDevice.objects.filter(user=user).delete()
    logger.info("Two-factor devices of %s reset", user)
    return removed + static_removed


def user_unlock(*, username: str) -> int:
    """Clear the failed log-in attempts (and wrong device passwords) that locked this
    username out; returns how many log-in attempts were cleared."""
    device_failures_clear(username=username)
    return axes_reset(username=username)


# Wrong OpenRosa device passwords, counted per device user in the cache every process
# shares; the limit and the lock's length are django-axes' (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME).
def _device_failures_key(username: str) -> str:
    return "accounts:device-failures:" + hashlib.sha256(username.encode("utf-8")).hexdigest()


def _device_lock_seconds() -> int:
    return int(float(settings.AXES_COOLOFF_TIME) * 3600)


def device_failure_record(*, username: str) -> int:
    """Count one wrong device password for `username`; returns the count so far."""
    shared = caches["shared"]
    key = _device_failures_key(username)
    shared.add(key, 0, _device_lock_seconds())
    try:
        return int(shared.incr(key))
    except ValueError:  # expired between add and incr
        shared.set(key, 1, _device_lock_seconds())
        return 1


def device_locked(*, username: str) -> bool:
    return int(caches["shared"].get(_device_failures_key(username), 0)) >= settings.AXES_FAILURE_LIMIT


def device_failures_clear(*, username: str) -> None:
    caches["shared"].delete(_device_failures_key(username))


def user_set_language(*, user: User, language: str) -> None:
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the offered languages."), code="invalid_language")
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


def totp_key_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps accept it when typed by hand, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def api_token_create(*, user: User, name: str, two_factor: bool, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user` and its key, which is shown once and never stored.

    `two_factor` says the user's session proved the second factor; the profile page
    passes it, and a token created without it is refused for roles that require two
    factors. Lasts `days` (default `YURD_API_TOKEN_DAYS`)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="required")
    if not user.is_active:
        raise ValidationError(_("An inactive account cannot have API tokens."), code="inactive")
    if user.requires_two_factor and not two_factor:
        raise ValidationError(
            _("Your role requires two-factor log-in: log in with your code before creating a token."),
            code="two_factor",
        )
    lifetime = datetime.timedelta(days=days if days is not None else settings.YURD_API_TOKEN_DAYS)
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        key_digest=ApiToken.digest(key),
        prefix=key[:6],
        expires_at=timezone.now() + lifetime,
        two_factor=two_factor,
        password_stamp=user.get_session_auth_hash(),
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
    logger.info("API token %s created for %s (two factor: %s)", token.prefix, user, two_factor)
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke (delete) one of `user`'s own tokens; False when there is no such token."""
    with transaction.atomic():
        deleted, _details = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if deleted:
        logger.info("API token %s of %s revoked", token_id, user)
    return bool(deleted)
