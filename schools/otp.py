"""Two-step verification (TOTP, django-otp): devices, backup codes, the QR code, and the school rule.

Functions that change state (confirm, disable) write an audit row in the same transaction,
like every service; the views only call these.
"""

from __future__ import annotations

import base64

import segno
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from audit.audit import audit

from .models import School

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator-app"
BACKUP_DEVICE_NAME = "Back-upcodes"


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_required_for(user, schools=None) -> bool:
    """True when any school where the user works requires a second factor.

    `schools` is the list SchoolScopeMiddleware already loaded (request.available_schools),
    so the middleware asks no extra query; without it we look the schools up.
    """
    if schools is not None:
        return any(school.require_totp for school in schools)
    with scopes_disabled():
        return School.objects.filter(staff__user=user, staff__active=True, require_totp=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device being set up; reused on reload so the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32 (what authenticator apps ask for), in groups of four for reading aloud."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The otpauth:// URL as inline SVG: plain markup, no style attributes, so CSP allows it."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=escape(title), svgclass="qr", omitsize=True
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def verify_code(user, code: str) -> Device | None:
    """The device (TOTP or a backup code) that accepts `code`, or None.

    Each device is checked through django_otp.verify_token, which locks the row and applies
    the device's own throttling; a code can be used only once (TOTP last_t, static deleted).
    """
    code = "".join(code.split()).lower()
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) and not code.isdigit():
            continue
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def throttled(user) -> bool:
    """True while every device of the user is in django-otp's back-off after a wrong code."""
    devices = list(devices_for_user(user, confirmed=True))
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


def confirm_totp_device(*, user, device: TOTPDevice, code: str, address: str = "") -> list[str] | None:
    """Confirm the device when `code` matches; return fresh backup codes, or None for a wrong code."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token("".join(code.split())):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One authenticator at a time: older devices (e.g. a lost phone) stop working.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = replace_backup_codes(user=user)
        audit(actor=user, action="auth.totp.enabled", address=address)
    return codes


def replace_backup_codes(*, user) -> list[str]:
    """Ten new one-time codes; earlier ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_backup_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def disable_totp(*, user, address: str = "") -> None:
    """Remove the authenticator and the backup codes (the view checks the password and the school rule)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit(actor=user, action="auth.totp.disabled", address=address)
