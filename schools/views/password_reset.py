"""Asking for a new password: Django's views, with the mail counted and sent by the task worker."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.audit import client_address

from .. import throttle
from ..cleaning import SafeFormMixin
from ..services.password_reset import request_password_reset


class ResetRequestForm(SafeFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(SafeFormMixin, SetPasswordForm):
    pass


def too_many_requests(request, error: throttle.Throttled, template: str, context: dict) -> HttpResponse:
    minutes = max(1, round(error.retry_after / 60))
    context = {
        **context,
        "throttled": error.message
        or _(
            "Er zijn vanaf dit adres te veel aanvragen gedaan. Probeer het over %(minutes)s minuten opnieuw."
        )
        % {"minutes": minutes},
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer for every address; no mail is sent inside the request (issue 7)."""

    form_class = ResetRequestForm

    def form_valid(self, form):
        try:
            request_password_reset(
                form=form,
                domain=self.request.get_host(),
                protocol="https" if self.request.is_secure() else "http",
                address=client_address(self.request),
            )
        except throttle.Throttled as error:
            return too_many_requests(
                self.request, error, self.template_name, self.get_context_data(form=form)
            )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
