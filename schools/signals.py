"""Log-in, log-out and failed log-ins are recorded in the audit log; a log-in notes in the session
whether the user has a second factor (AVG-4, read by TwoFactorRequiredMiddleware)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.audit import client_address


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs) -> None:
    from audit.audit import audit

    audit(actor=user, action="auth.login", address=client_address(request))
    remember_second_factor(request, user)
    note_seen(request)


def note_seen(request) -> None:
    """The sign-in is the session's first activity: recorded with it, so the next request (within a
    minute) writes nothing (SessionIdleTimeoutMiddleware, issue #13)."""
    from django.utils import timezone

    from .middleware import SESSION_SEEN_KEY

    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_SEEN_KEY] = int(timezone.now().timestamp())


def remember_second_factor(request, user) -> None:
    """Whether this user has a confirmed device, known from the log-in on: the middleware then asks
    no query per request. A device confirmed later verifies the session that confirms it."""
    from .middleware import HAS_SECOND_FACTOR_KEY
    from .otp import has_confirmed_totp

    session = getattr(request, "session", None)
    if session is not None:
        session[HAS_SECOND_FACTOR_KEY] = has_confirmed_totp(user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs) -> None:
    from audit.audit import audit

    if user is not None:
        audit(actor=user, action="auth.logout", address=client_address(request))


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs) -> None:
    from audit.audit import audit

    audit(
        actor=None,
        action="auth.login_failed",
        address=client_address(request),
        data={"username": str(credentials.get("username", ""))[:200]},
        success=False,
    )
