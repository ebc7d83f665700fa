"""Sign-in in two steps (password, then the TOTP code) and the second-factor settings of one's account.

Step 1 authenticates through `authenticate(request=…)` (Django's AuthenticationForm), so django-axes
counts every failure per e-mail address and IP address. A user with a confirmed TOTP device is not
logged in yet: the session only remembers who passed step 1. Step 2 logs in after a good code.
A wrong code sends `user_login_failed` with the same e-mail address, so axes counts it towards the
same lock-out (and the audit log records it) as a wrong password.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.audit import client_address

from .. import otp
from ..forms.auth import CodeForm, EmailLoginForm, PasswordConfirmForm
from ..middleware import SIGNED_IN_VIA_STAFF, is_portal_session, mark_signed_in

PENDING_KEY = "auth_pending"  # who passed step 1, waiting for the code
PENDING_MAX_AGE = 5 * 60  # seconds to type the code before starting over
BACKUP_CODES_KEY = "auth_new_backup_codes"  # shown once, then removed from the session


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    # Only a path: redirect() would read "abc" as a view name and fail (issue 7, a 500 on junk).
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and not is_portal_session(request):
        return redirect(next_url)
    form = EmailLoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        if otp.has_confirmed_totp(user):
            # Step 2 follows. A fresh session key so a planted session id learns nothing.
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "backend": user.backend,
                "next": next_url,
                "since": int(timezone.now().timestamp()),
            }
            return redirect("login_code")
        auth_login(request, user)
        mark_signed_in(request, SIGNED_IN_VIA_STAFF)
        return redirect(next_url)
    expired = bool(request.GET.get("verlopen"))
    return render(request, "registration/login.html", {"form": form, "next": next_url, "expired": expired})


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING_KEY)
    if not pending or timezone.now().timestamp() - pending.get("since", 0) > PENDING_MAX_AGE:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    return user, pending


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, _("Log opnieuw in met je e-mailadres en wachtwoord."))
        return redirect("login")
    credentials = {"username": user.get_username()}
    # Locked out meanwhile (e.g. by wrong codes from this address): even a good code is refused.
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_KEY, None)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if otp.throttled(user):
            # django-otp's back-off after a wrong code (1, 2, 4 … seconds): no code was checked.
            form.add_error(
                None, _("Je probeert het te snel opnieuw. Wacht even en vul de code dan nog eens in.")
            )
        else:
            device = otp.verify_code(user, form.cleaned_data["code"])
            if device is not None:
                return _finish_login(request, user, device, pending)
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                request.session.pop(PENDING_KEY, None)  # AxesMiddleware answers with the lock-out page
            form.add_error(
                "code", _("Deze code klopt niet. Controleer de code in je app en probeer het opnieuw.")
            )
    return render(request, "registration/login_code.html", {"form": form})


def _finish_login(request: HttpRequest, user, device, pending: dict) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    user.backend = pending["backend"]
    auth_login(request, user)
    otp_login(request, device)
    mark_signed_in(request, SIGNED_IN_VIA_STAFF)
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        messages.warning(
            request,
            ngettext(
                "Je hebt een back-upcode gebruikt. Je hebt er nog %(count)d over.",
                "Je hebt een back-upcode gebruikt. Je hebt er nog %(count)d over.",
                left,
            )
            % {"count": left},
        )
    return redirect(pending.get("next") or settings.LOGIN_REDIRECT_URL)


@login_required
@never_cache
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_totp": otp.has_confirmed_totp(user),
        "required": otp.totp_required_for(user, getattr(request, "available_schools", None)),
        "backup_codes_left": otp.remaining_backup_codes(user),
        "verified": user.is_verified(),
    }
    return render(request, "schools/account_security.html", context)


@login_required
@never_cache
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if otp.has_confirmed_totp(user):
        return redirect("account_security")
    device = otp.pending_totp_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = otp.confirm_totp_device(
            user=user, device=device, code=form.cleaned_data["code"], address=client_address(request)
        )
        if codes is not None:
            otp_login(request, TOTPDevice.objects.get(pk=device.pk))
            request.session[BACKUP_CODES_KEY] = codes
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect("account_backup_codes")
        form.add_error(
            "code",
            _("Deze code klopt niet. Kijk of de tijd op je telefoon goed staat en probeer het opnieuw."),
        )
    context = {
        "form": form,
        "qr": otp.qr_svg(device, title=_("QR-code voor je authenticator-app")),
        "secret": otp.secret_for_manual_entry(device),
        "required": otp.totp_required_for(user, getattr(request, "available_schools", None)),
    }
    return render(request, "schools/account_totp_setup.html", context)


@login_required
@never_cache
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Shows new backup codes once; a reload shows only that they were shown."""
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    if not codes:
        return redirect("account_security")
    return render(request, "schools/account_backup_codes.html", {"codes": codes})


@login_required
@require_POST
def new_backup_codes(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("account_security")
    request.session[BACKUP_CODES_KEY] = otp.replace_backup_codes(user=request.user)
    return redirect("account_backup_codes")


@sensitive_post_parameters("password")
@login_required
@never_cache
def totp_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if otp.totp_required_for(user, getattr(request, "available_schools", None)):
        messages.error(request, _("Je school verplicht tweestapsverificatie. Uitzetten kan daarom niet."))
        return redirect("account_security")
    if not otp.has_confirmed_totp(user):
        return redirect("account_security")
    form = PasswordConfirmForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_valid():
        otp.disable_totp(user=user, address=client_address(request))
        messages.success(request, _("Tweestapsverificatie staat uit."))
        return redirect("account_security")
    return render(request, "schools/account_totp_disable.html", {"form": form})
