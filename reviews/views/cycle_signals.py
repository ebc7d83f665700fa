"""The signal grid (LB-4) and a signal outside the cycle (LB-14).

The grid (students × questions) works by keyboard alone and saves each answer as it is given (HTMX
on change; static/reviews/signal_grid.js keeps unsent answers in localStorage and sends them again
when the connection is back). Without JavaScript the whole grid is one form with a save button.
Queries per request are constant in the class size.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.audit import audit_request
from protocols.exceptions import ProtocolViolation
from protocols.text_checks import warnings_shown
from schools.cleaning import parse_id
from schools.forms.widgets import SharedChoices
from schools.models import Student
from schools.views.common import get_permitted, staff_required

from ..forms_cycle import SignalForm
from ..models_cycle import REMARK, Score, SignalAssignment
from ..selectors import grid_rows
from ..services.signals import finish_signal_list, raise_signal, save_signal_answer

DENIED = "reviews.access_denied"


def _assignment(request, pk) -> SignalAssignment:
    """The signed-in teacher's list of this round; anyone else: 404 (audited)."""
    assignment = (
        SignalAssignment.objects.select_related("round__meeting__group")
        .filter(round_id=parse_id(pk) or 0, teacher=request.access.staff)
        .first()
    )
    if assignment is None or not request.user.has_perm("reviews.fill_signal_list", assignment):
        audit_request(
            request, action=DENIED, data={"model": "reviews.signalround", "pk": str(pk)}, success=False
        )
        raise Http404
    return assignment


def _score_options() -> SharedChoices:
    """The options of a cell's select (issue #13: a class of 32 × 8 questions made ~800 option renders
    with lazy labels; now one string per answer given, made once per request). An empty or unknown
    answer: none selected."""
    return SharedChoices.of_choices(Score.choices)


def _grid_context(assignment: SignalAssignment) -> dict:
    round_ = assignment.round
    rows = grid_rows(assignment)
    questions = list(enumerate(round_.questions))
    answered = sum(r.answered for r in rows)
    is_open = round_.is_open()
    save_url = reverse("reviews_signal_save", args=[round_.pk])  # once, not per cell
    cells = _GridCells(
        options=_score_options(),
        questions=[(str(i), escape(q)) for i, q in questions],
        save_url=escape(save_url),
        disabled="" if is_open else " disabled",
    )
    return {
        "assignment": assignment,
        "round": round_,
        "meeting": round_.meeting,
        "questions": questions,
        "save_url": save_url,
        "rows": [{"name": r.student.full_name, "cells": cells.row(r)} for r in rows],
        "answered": answered,
        "total": len(rows) * len(questions),
        "is_open": is_open,
    }


class _GridCells:
    """A row's cells as HTML, written here rather than by the template (issue #13 §2: a class of 32 ×
    8 questions made ~5,000 template variable lookups per page). Every value that is not a constant
    or a number is escaped once per request (labels, URL) or once per row (name, remark); the markup
    is the template's of before, character for character (tests/reviews/test_signal_grid_render.py)."""

    def __init__(self, *, options: SharedChoices, questions: list[tuple[str, str]], save_url: str,
                 disabled: str) -> None:  # fmt: skip
        self.options, self.questions, self.save_url, self.disabled = options, questions, save_url, disabled
        self.remark_label = escape(_("Opmerking"))

    def _control(self, sid: int, key: str) -> str:
        return (
            f'hx-post="{self.save_url}" hx-trigger="change" hx-sync="closest form:queue all" '
            f'hx-vals=\'{{"student": "{sid}", "question": "{key}"}}\'\n'
            f'          hx-target="#s-{sid}-{key}" hx-swap="outerHTML"{self.disabled}>'
        )

    def row(self, response) -> str:
        sid, name, answers = response.student_id, escape(response.student.full_name), response.answers
        parts = ["\n      "]
        for col, (key, label) in enumerate(self.questions):
            options = self.options.select_options("—", answers.get(key) or None)
            parts.append(
                f'\n      <td data-label="{label}">\n'
                f'        <label class="visually-hidden" for="a-{sid}-{key}">{label}: {name}</label>\n'
                f'        <select id="a-{sid}-{key}" name="a-{sid}-{key}" data-col="{col}"\n'
                f"          {self._control(sid, key)}\n"
                f"          {options}\n"
                f"        </select>\n"
                f'        <span id="s-{sid}-{key}" class="cell-status"></span>\n'
                f"      </td>"
            )
        key, label = REMARK, self.remark_label
        parts.append(
            f'\n      <td data-label="{label}">\n'
            f'        <label class="visually-hidden" for="a-{sid}-{key}">{label} {name}</label>\n'
            f'        <textarea id="a-{sid}-{key}" name="a-{sid}-{key}" rows="1" maxlength="2000" '
            f'data-col="{len(self.questions)}"\n'
            f"          {self._control(sid, key)}{escape(answers.get(key, ''))}</textarea>\n"
            f'        <span id="s-{sid}-{key}" class="cell-status"></span>\n'
            f"      </td>"
        )
        return mark_safe("".join(parts))  # noqa: S308 - every value above escaped, the rest constant


@staff_required
def signal_grid(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    return render(request, "reviews/cycle/signal_grid.html", _grid_context(assignment))


@staff_required
@require_POST
def signal_save(request: HttpRequest, pk: int) -> HttpResponse:
    """One answer (HTMX: student, question, value) or, without JavaScript, the whole grid."""
    assignment = _assignment(request, pk)
    round_ = assignment.round
    if "question" in request.POST:
        student_id = parse_id(request.POST.get("student", "")) or 0
        question = request.POST.get("question", "")[:10]
        value = request.POST.get("value", request.POST.get(f"a-{student_id}-{question}", ""))
        try:
            response = save_signal_answer(actor=request.access.staff, round=round_, student_id=student_id,
                                          question=question, value=value)  # fmt: skip
        except (ProtocolViolation, ValidationError) as exc:
            message = exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)
            return render(request, "reviews/cycle/_cell_status.html",
                          {"error": message, "student_id": student_id, "question": question}, status=422)  # fmt: skip
        answered, total = _progress(assignment)
        return render(request, "reviews/cycle/_cell_status.html", {
            "student_id": student_id, "question": question, "saved": True, "row_version": response.row_version,
            "answered": answered, "total": total,
        })  # fmt: skip
    # The whole grid (no JavaScript): save each changed answer.
    errors = []
    for row in grid_rows(assignment):
        for key in [str(i) for i in range(len(round_.questions))] + [REMARK]:
            field = f"a-{row.student_id}-{key}"
            if field not in request.POST:
                continue
            value = request.POST.get(field, "")
            if value == row.answers.get(key, ""):
                continue
            try:
                save_signal_answer(actor=request.access.staff, round=round_, student_id=row.student_id,
                                   question=key, value=value)  # fmt: skip
            except (ProtocolViolation, ValidationError) as exc:
                errors.append(exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages))
    for message in dict.fromkeys(errors):
        messages.error(request, message)
    if not errors:
        messages.success(request, _("Je antwoorden zijn opgeslagen."))
    return redirect("reviews_signal_grid", round_.pk)


def _progress(assignment: SignalAssignment) -> tuple[int, int]:
    from ..selectors import progress

    return progress(assignment, len(assignment.round.questions))


@staff_required
@require_POST
def signal_finish(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    try:
        finish_signal_list(actor=request.access.staff, round=assignment.round)
    except (ProtocolViolation, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages))
        return redirect("reviews_signal_grid", assignment.round_id)
    messages.success(request, _("Je signaleringslijst is ingeleverd. Dank je wel."))
    return redirect("home")


@staff_required
def signal_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """LB-14: a signal about a student, any time; the mentor gets it at once."""
    student = get_permitted(request, Student.objects.all(), pk, "reviews.raise_signal", action=DENIED,
                            student_field="pk")  # fmt: skip
    form = SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raise_signal(actor=request.user, student=student, text=form.cleaned_data["text"],
                         text_warnings=warnings_shown(request.POST))  # fmt: skip
        except (ProtocolViolation, ValidationError) as exc:
            form.add_error(
                None, exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)
            )
        else:
            messages.success(request, _("Het signaal is naar de mentor gestuurd."))
            return redirect("dossier_timeline", student.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reviews/cycle/signal_form.html", {"student": student, "form": form}, status=status
    )
