"""Password reset by e-mail: counted per address and per client, mailed by the task worker.

The request only looks up who the address belongs to and queues one task, the same for a known and
an unknown address, so neither the answer nor the time it takes tells whether the address is known.
The link is a secret: the task gets the user ids, not the link, and makes the token itself (a
token made later is just as valid; it is bound to the user's password and last log-in).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.tasks import task
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .. import throttle
from ..models import User

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email.html"


def request_password_reset(*, form: PasswordResetForm, domain: str, protocol: str, address: str) -> None:
    """Queue the reset mail(s) for a valid form's address. Raises throttle.Throttled when this client
    asked too often; an address asked for too often gets no more mail, silently."""
    client = throttle.hit(throttle.PASSWORD_RESET_PER_CLIENT, address)
    if not client.allowed:
        raise throttle.Throttled(client.retry_after)
    email = form.cleaned_data["email"]
    user_ids = [user.pk for user in form.get_users(email)]
    if not throttle.hit(throttle.PASSWORD_RESET_PER_ADDRESS, email).allowed:
        user_ids = []
    transaction.on_commit(lambda: send_password_reset.enqueue(user_ids, domain, protocol))


@task()
def send_password_reset(user_ids: list[int], domain: str, protocol: str) -> int:
    """Mail a reset link to each user still allowed one; returns how many were sent."""
    form = PasswordResetForm()
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        if not user.has_usable_password():
            continue
        context = {
            "email": user.email,
            "domain": domain,
            "site_name": domain,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": protocol,
        }
        form.send_mail(SUBJECT_TEMPLATE, BODY_TEMPLATE, context, settings.DEFAULT_FROM_EMAIL, user.email)
        sent += 1
    return sent
