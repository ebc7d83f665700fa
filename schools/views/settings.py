"""The school's own configuration page (functional administrator)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms.settings import SchoolSettingsForm
from ..models import Phase
from ..services.settings import settings_fingerprint, update_school_settings
from .common import staff_required


@staff_required
def school_settings(request: HttpRequest) -> HttpResponse:
    school = request.school
    if not request.user.has_perm("schools.manage_configuration", school):
        raise Http404
    initial = {
        "fingerprint": settings_fingerprint(school),
        "require_totp": school.require_totp,
        "max_upload_mb": school.max_upload_mb,
        "letterhead": school.letterhead,
        "address": school.address,
        "inspectorate_email": school.inspectorate_email,
        "attendance_officer_name": school.attendance_officer_name,
        "attendance_officer_email": school.attendance_officer_email,
        **{phase: ",".join(map(str, school.phase_mapping.get(phase, []))) for phase in Phase.values},
    }
    form = SchoolSettingsForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "fingerprint"}
        try:
            update_school_settings(
                actor=request.user, school=school, fingerprint=form.cleaned_data["fingerprint"], **values
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, [m for msgs in error.message_dict.values() for m in msgs])
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("De instellingen zijn opgeslagen."))
            return redirect("school_settings")
    return render(request, "schools/school_settings.html", {"form": form, "school": school})
