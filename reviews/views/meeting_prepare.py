"""Preparation (LB-3, LB-5): answers side by side, the file, the proposal; the list, sent and printed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from protocols.exceptions import ProtocolViolation
from protocols.text_checks import warnings_shown
from schools.cleaning import bounded_int
from schools.views.common import staff_required

from ..selectors_meeting import group_students, preparation
from ..services import preparation as service
from .meeting_common import error_text, meeting_for
from .meeting_forms import DiscussionItemForm


def _rows_with_forms(meeting, posted_for=None, posted_form=None):
    data = preparation(meeting)
    for row in data["rows"]:
        item = row["item"]
        if posted_for == row["student"].pk:
            row["form"] = posted_form
        else:
            initial = {"reason": "; ".join(row["proposed"])}
            if item is not None:
                initial = {name: getattr(item, name) for name in service.ITEM_FIELDS}
            initial["version"] = item.row_version if item else 0
            row["form"] = DiscussionItemForm(initial=initial, prefix=f"s{row['student'].pk}")
    return data


@staff_required
def prepare(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_prepare")
    posted_for = posted_form = None
    if request.method == "POST":
        try:
            student_pk = bounded_int(request.POST.get("leerling"), minimum=1, maximum=2**63 - 1)
        except ValidationError as error:
            raise Http404 from error
        student = next((s for s in group_students(meeting) if s.pk == student_pk), None)
        if student is None:
            raise Http404
        form = DiscussionItemForm(request.POST, prefix=f"s{student.pk}")
        if form.is_valid():
            try:
                service.save_discussion_item(
                    actor=request.user, meeting=meeting, student=student,
                    values={k: form.cleaned_data[k] for k in service.ITEM_FIELDS},
                    expected_version=form.cleaned_data["version"], text_warnings=warnings_shown(request.POST),
                )  # fmt: skip
            except (ValidationError, ProtocolViolation) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request, _("%(name)s staat op de bespreeklijst.") % {"name": student.full_name}
                )
                return redirect("review_prepare", meeting.pk)
        posted_for, posted_form = student.pk, form
    context = {"meeting": meeting, **_rows_with_forms(meeting, posted_for, posted_form)}
    return render(request, "reviews/meeting/prepare.html", context, status=400 if posted_form else 200)


@staff_required
@require_POST
def send_list(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_prepare")
    try:
        service.send_discussion_list(actor=request.user, meeting=meeting)
    except (ValidationError, ProtocolViolation) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("De bespreeklijst is naar alle docenten van de klas verstuurd."))
    return redirect("review_prepare", meeting.pk)


@staff_required
def list_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_view")
    response = HttpResponse(service.discussion_list_pdf(meeting=meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bespreeklijst-{meeting.pk}.pdf"'
    return response
