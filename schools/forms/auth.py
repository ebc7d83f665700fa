"""Sign-in forms: e-mail and password, the code of the second step, setting up and switching off TOTP."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ..cleaning import SafeFormMixin


class NoColonMixin:
    """Labels without Django's trailing colon, as everywhere else in the app."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EmailLoginForm(SafeFormMixin, NoColonMixin, AuthenticationForm):
    """Step 1. Django's form calls `authenticate(self.request, …)`, so axes sees every attempt.

    No autofocus: keyboard and screen-reader users start at the skip link and the heading.
    """

    # 254: the longest address mail can deliver, and within what axes stores per attempt (255 on PostgreSQL).
    username = forms.EmailField(
        label=_("E-mailadres"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Het e-mailadres of het wachtwoord klopt niet."),
        "inactive": _("Dit account is niet actief. Vraag de functioneel beheerder van je school om hulp."),
    }

    def clean_username(self) -> str:
        # One spelling per person: "Tom@X" and "tom@x" must count towards the same lock-out.
        return self.cleaned_data["username"].strip().lower()


class CodeForm(SafeFormMixin, NoColonMixin, forms.Form):
    """Step 2, and confirming a new authenticator: six digits, or (step 2 only) a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class PasswordConfirmForm(SafeFormMixin, NoColonMixin, forms.Form):
    """Re-enter the password before switching off the second factor."""

    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through authenticate(), so wrong guesses here count towards the lock-out as well.
        if authenticate(self.request, username=user.get_username(), password=password) is None:
            raise forms.ValidationError(_("Het wachtwoord klopt niet."))
        return password
