"""The functional admin's page for the school's API keys: create (token shown once) and revoke."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..cleaning import SafeForm
from ..models import ApiKey
from ..models.staff import ApiScope
from ..services.api_keys import create_api_key, revoke_api_key
from .common import get_permitted, staff_required


class ApiKeyForm(SafeForm):
    name = forms.CharField(label=gettext_lazy("Naam (waarvoor is de sleutel?)"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Rechten"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_perm("schools.manage_api_keys", request.school):
        raise Http404


@staff_required
def api_key_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ApiKeyForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        try:
            key, token = create_api_key(
                actor=request.user,
                school=request.school,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiKeyForm()
    keys = ApiKey.objects.filter(school=request.school).order_by("revoked_at", "-created_at")
    context = {"form": form, "keys": keys, "token": token}
    return render(request, "schools/api_keys.html", context)


@staff_required
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    if request.method != "POST":
        return redirect("api_keys")
    key = get_permitted(
        request, ApiKey.objects.all(), pk, "schools.manage_api_keys", action="schools.api_key.revoke_denied"
    )
    revoke_api_key(actor=request.user, key=key)
    messages.success(request, _("Sleutel %(name)s is ingetrokken.") % {"name": key.name})
    return redirect("api_keys")
