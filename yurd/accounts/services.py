"""Writes about the people who use Yurd: two-factor devices, language, lockouts."""

from __future__ import annotations

import base64
import logging

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import User

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
    """Clear the failed log-in attempts that locked this username out; returns how many."""
    return axes_reset(username=username)


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
