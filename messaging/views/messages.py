"""Views of the dossier's messages area: the school's letter texts, the outbox, a letter's PDF."""

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.audit import audit_request
from messaging.letters.registry import registered_letter, registered_letters
from messaging.letters.render import template_text
from messaging.models import Letter, LetterTemplate, Message, MessageStatus
from messaging.services.messages import preview_letter_pdf, retry_message, update_letter_template
from messaging.services.recipients import describe_rule
from protocols.text_checks import warnings_shown
from schools.cleaning import SafeForm
from schools.views.common import get_permitted, staff_required


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj if obj is not None else request.school):
        raise Http404


class LetterTemplateForm(SafeForm):
    title = forms.CharField(label=gettext_lazy("Naam"), max_length=200)
    subject = forms.CharField(label=gettext_lazy("Onderwerp"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Tekst"), widget=forms.Textarea(attrs={"rows": 18}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


@staff_required
def letter_template_list(request: HttpRequest) -> HttpResponse:
    _require(request, "dossier.manage_letter_templates")
    own = {t.code: t for t in LetterTemplate.objects.filter(school=request.school)}
    # The registry: every app's letters (ARCHITECTURE: registries, not fixed lists).
    rows = [
        {"code": d.code, "rule": d.rule, "title": own[d.code].title if d.code in own else d.title,
         "own": own.get(d.code), "recipients": describe_rule(d.recipients)}
        for d in registered_letters()
    ]  # fmt: skip
    return render(request, "messaging/letters_list.html", {"rows": rows})


@staff_required
def letter_template_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require(request, "dossier.manage_letter_templates")
    default = registered_letter(code)
    if default is None:
        raise Http404
    status = 200
    current = template_text(request.school, code)
    if request.method == "POST":
        form = LetterTemplateForm(request.POST)
        if form.is_valid():
            try:
                data = form.cleaned_data
                update_letter_template(
                    actor=request.user,
                    school=request.school,
                    code=code,
                    title=data["title"],
                    subject=data["subject"],
                    body=data["body"],
                    expected_version=data["version"],
                    text_warnings=warnings_shown(request.POST),
                )
            except ValidationError as error:
                form.add_error(None, error)
                # 409 for a concurrent edit: the input stays, the saved version is shown next to it.
                status = 409 if getattr(error, "code", None) == "stale" else 422
            else:
                flash.success(request, _("De brief is opgeslagen. De volgende brief gebruikt deze tekst."))
                return redirect("letter_template_list")
        else:
            status = 422
    else:
        form = LetterTemplateForm(
            initial={"title": current.title, "subject": current.subject, "body": current.body,
                     "version": current.version}
        )  # fmt: skip
    # After a stale edit the saved text is shown, so the next save is made against that version;
    # after any other error the editor keeps the version they started from.
    version = current.version if request.method == "GET" or status == 409 else form["version"].value()
    context = {"form": form, "code": code, "default": default, "current": current,
               "stale": status == 409, "version": version}  # fmt: skip
    return render(request, "messaging/letters_edit.html", context, status=status)


@staff_required
def letter_template_preview(request: HttpRequest, code: str) -> HttpResponse:
    _require(request, "dossier.manage_letter_templates")
    default = registered_letter(code)
    if default is None:
        raise Http404
    pdf = preview_letter_pdf(school=request.school, code=code)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="voorbeeld-{code}.pdf"'
    return response


@staff_required
def letter_pdf(request: HttpRequest, pk: int) -> FileResponse:
    letter = get_permitted(
        request, Letter.objects.select_related("student", "student__school"), pk, "dossier.view_letter",
        action="dossier.letter.view_denied",
    )  # fmt: skip
    audit_request(request, action="dossier.letter.viewed", obj=letter, student=letter.student)
    # AVG-4: an attachment with a neutral name (the subject may name the child or the measure).
    return FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"brief-{letter.pk}.pdf",
    )


def _shows_content(request: HttpRequest) -> bool:
    """AVG-4: a message's subject is care content; the functional admin sees only its delivery."""
    return request.user.has_perm("dossier.read_outbox_content", request.school)


@staff_required
def outbox(request: HttpRequest) -> HttpResponse:
    _require(request, "dossier.view_outbox")
    status = request.GET.get("status", "")
    messages = Message.objects.filter(school=request.school).select_related("student")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    # Interrupted deliveries first: a person must check them (see outbox.flag_stuck_messages).
    first = Case(When(status=MessageStatus.UNCERTAIN, then=0), default=1)
    page = Paginator(messages.order_by(first, "-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    uncertain = Message.objects.filter(school=request.school, status=MessageStatus.UNCERTAIN).count()
    context = {"page": page, "status": status, "statuses": MessageStatus.choices, "uncertain": uncertain,
               "query_string": f"status={status}" if status else "",
               "shows_content": _shows_content(request)}  # fmt: skip
    return render(request, "messaging/outbox.html", context)


@require_POST
@staff_required
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_permitted(request, Message.objects.all(), pk, "dossier.retry_message",
                            action="dossier.message.retry_denied")  # fmt: skip
    error = ""
    try:
        message = retry_message(
            actor=request.user, message=message, confirmed=request.POST.get("confirm") == "1"
        )
    except ValidationError as refused:
        error = " ".join(refused.messages)
        if not request.htmx:
            flash.error(request, error)
    else:
        flash.success(request, _("Het bericht staat weer in de wachtrij."))
    if request.htmx:
        context = {"message": message, "error": error, "shows_content": _shows_content(request)}
        return render(request, "messaging/outbox.html#row", context)
    return redirect("outbox")


urlpatterns: list = [
    path("brieven/", letter_template_list, name="letter_template_list"),
    path("brieven/<str:code>/", letter_template_edit, name="letter_template_edit"),
    path("brieven/<str:code>/voorbeeld.pdf", letter_template_preview, name="letter_template_preview"),
    path("brief/<int:pk>.pdf", letter_pdf, name="letter_pdf"),
    path("berichten/", outbox, name="outbox"),
    path("berichten/<int:pk>/opnieuw/", outbox_retry, name="outbox_retry"),
]
