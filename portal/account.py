"""Portal sign-in: a single-use e-mail link (no enumeration), an optional password and TOTP."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.audit import audit_request, client_address
from portal.decorators import portal_login_required
from portal.services.portal import check_login_link, redeem_login_link, request_login_link
from schools.cleaning import SafeFormMixin
from schools.middleware import SIGNED_IN_VIA_PORTAL, mark_signed_in
from schools.throttle import Throttled

LINK_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login_request(request: HttpRequest) -> HttpResponse:
    email, error = request.POST.get("email", ""), None
    if request.method == "POST":
        try:
            request_login_link(
                email=email, base_url=request.build_absolute_uri("/"), address=client_address(request)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except Throttled as exc:  # issue 7: too many requests from this client
            response = render(
                request, "portal/login.html", {"email": email, "error": exc.message}, status=429
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        else:
            return redirect("portal:login_sent")
    return render(request, "portal/login.html", {"email": email, "error": error})


def login_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/login_sent.html")


class PortalLoginForm(SafeFormMixin, AuthenticationForm):
    # 254: the longest deliverable address; a longer one never reaches authenticate() and axes, whose
    # record of the attempt holds 255 characters (PostgreSQL refused a longer one with a 500).
    username = forms.EmailField(
        label=_("E-mailadres"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )


def password_login(request: HttpRequest) -> HttpResponse:
    form = PortalLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        mark_signed_in(request, SIGNED_IN_VIA_PORTAL)  # AVG-4: portal rights only
        return redirect("portal:home")
    return render(request, "portal/password_login.html", {"form": form})


def redeem(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners that open links must not use up the link."""
    error = None
    try:
        if request.method == "POST":
            user = redeem_login_link(token=token, address=client_address(request))
            login(request, user, backend=LINK_BACKEND)
            mark_signed_in(request, SIGNED_IN_VIA_PORTAL)  # AVG-4: portal rights only
            return redirect("portal:home")
        check_login_link(token)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    status = 400 if error else 200
    return render(request, "portal/redeem.html", {"error": error}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:login")


@portal_login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    has_totp = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "portal/account.html",
        {"has_totp": has_totp, "has_password": request.user.has_usable_password()},
    )


@portal_login_required
def set_password(request: HttpRequest) -> HttpResponse:
    form = SetPasswordForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        audit_request(request, action="portal.password.set")
        messages.success(request, _("Uw wachtwoord is ingesteld."))
        return redirect("portal:account")
    return render(request, "portal/set_password.html", {"form": form})


@portal_login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code, type one number to confirm."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("portal:account")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="ouderportaal", confirmed=False)
    error = None
    if request.method == "POST":
        if device.verify_token(request.POST.get("token", "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_request(request, action="portal.totp.confirmed")
            messages.success(
                request, "De tweede stap is ingesteld. Voortaan vragen we bij het inloggen om een code."
            )
            return redirect("portal:account")
        error = "Die code klopt niet. Probeer de code die de app nu toont."
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(request, "portal/totp_setup.html", {"qr": qr, "error": error})


def totp_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("portal:login")
    error = None
    if request.method == "POST":
        token = request.POST.get("token", "").strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                return redirect("portal:home")
        error = "Die code klopt niet."
        audit_request(request, action="portal.totp.failed", success=False)
    return render(request, "portal/totp_verify.html", {"error": error})
