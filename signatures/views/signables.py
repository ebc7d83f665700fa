"""Staff screens for documents to sign: draw one up from the student's file, follow its versions and
signatures, make a new version. Signing in person happens on the signing screen (views/portal.py).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from audit.audit import audit_request
from protocols.exceptions import ProtocolViolation
from protocols.text_checks import warnings_shown
from schools.cleaning import INT_MAX, SafeForm, bounded_int
from schools.models import Student
from schools.selectors import remember_student_group_facts, with_student_group_facts
from schools.views.common import get_permitted, staff_required
from signatures.models import DocumentKind, SignableDocument
from signatures.selectors_signables import (
    document_versions,
    open_request_count,
    signer_options,
    student_documents,
)
from signatures.services.signatures import create_signable_document, revise_document

PAGE_SIZE = 20


class SignableDocumentForm(SafeForm):
    title = forms.CharField(
        label=_("Titel"), max_length=200, error_messages={"required": _("Geef het document een titel.")}
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=DocumentKind.choices,
        initial=DocumentKind.AGREEMENT,
        error_messages={"invalid_choice": _("Kies een soort document.")},
    )
    content = forms.CharField(
        label=_("Inhoud"),
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        error_messages={"required": _("Schrijf de tekst van het document.")},
    )
    signers = forms.MultipleChoiceField(
        label=_("Wie moet tekenen"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies wie moet tekenen."),
            "invalid_choice": _("Deze persoon kan niet voor deze leerling tekenen."),
        },
    )
    parent_visible = forms.TypedChoiceField(
        label=_("Zichtbaar in het ouderportaal"),
        choices=[("ja", _("ja")), ("nee", _("nee"))],
        coerce=lambda value: value == "ja",
        initial="ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of ouders het document in het ouderportaal zien.")},
    )

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["signers"].choices = [(value, label) for value, (label, _signer) in options.items()]
        # The guardians with parental authority are asked by default.
        self.fields["signers"].initial = [v for v in options if v.startswith("guardian:")]

    def clean_content(self) -> str:
        content = self.cleaned_data["content"]
        if not content.strip():
            raise ValidationError(_("Schrijf de tekst van het document."))
        return content

    def chosen_signers(self) -> list:
        return [self.options[value][1] for value in self.cleaned_data["signers"]]


def _error(exc) -> str:
    return exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)


def _student(request: HttpRequest, pk: int, perm: str) -> Student:
    return get_permitted(
        request, Student.objects.select_related("school"), pk, perm, action="dossier.view_denied"
    )


@staff_required
def signable_create(request: HttpRequest, student_pk: int) -> HttpResponse:
    student = _student(request, student_pk, "dossier.create_signable_document")
    form = SignableDocumentForm(request.POST or None, options=signer_options(student))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = create_signable_document(
                actor=request.user,
                student=student,
                title=data["title"],
                content=data["content"],
                kind=data["kind"],
                signers=form.chosen_signers(),
                parent_visible=data["parent_visible"],
                text_warnings=warnings_shown(request.POST),
            )
        except (ValidationError, ProtocolViolation) as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, _("Het document staat klaar om te ondertekenen."))
            return redirect("signables_detail", pk=document.pk)
    return render(request, "signatures/signables_form.html", {"student": student, "form": form})


@staff_required
def signable_list(request: HttpRequest, student_pk: int) -> HttpResponse:
    """The student's documents; by default those still waiting for a signature."""
    student = _student(request, student_pk, "dossier.list_signable_documents")
    show = "alle" if request.GET.get("toon") == "alle" else "open"
    documents = student_documents(student, only_open=show == "open")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "student": student,
        "page": page,
        "show": show,
        "open_count": open_request_count(student),
        "query_string": f"toon={show}",
    }
    return render(request, "signatures/signables_list.html", context)


@staff_required
def signable_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Versions newest first with their requests and signatures, and "Nieuwe versie"."""
    doc = get_permitted(
        request,
        with_student_group_facts(
            SignableDocument.objects.select_related("student__school", "current_version")
        ),
        pk,
        "dossier.manage_signable_document",
        action="dossier.document.view_denied",
        prepare=remember_student_group_facts,  # the rules read the student's groups
    )
    current = doc.current_version
    error = None
    content = current.content if current else ""
    based_on = current.number if current else None
    if request.method == "POST":
        content = request.POST.get("content", "")
        posted = request.POST.get("based_on_version", "")
        try:
            based_on = bounded_int(posted, minimum=1, maximum=INT_MAX) if posted else None
            if based_on is None:
                raise ValidationError(_("Deze wijziging noemt niet op welke versie ze is gebaseerd."))
            # Optimistic concurrency: the service refuses a change based on an older version.
            version = revise_document(
                actor=request.user,
                document=doc,
                content=content,
                based_on_version=based_on,
                text_warnings=warnings_shown(request.POST),
            )
        except (ValidationError, ProtocolViolation) as exc:
            error = _error(exc)
        else:
            messages.success(
                request,
                _("Versie %(number)s is opgeslagen; de handtekeningen worden opnieuw gevraagd.")
                % {"number": version.number},
            )
            return redirect("signables_detail", pk=doc.pk)
    else:
        audit_request(request, action="dossier.document.viewed", obj=doc, student=doc.student)
    context = {
        "doc": doc,
        "student": doc.student,
        "versions": document_versions(doc),
        "content": content,
        "based_on": based_on,
        "error": error,
    }
    return render(request, "signatures/signables_detail.html", context)


urlpatterns = [
    path(
        "leerling/<int:student_pk>/documenten-ondertekenen/",
        signable_list,
        name="signables_list",
    ),
    path(
        "leerling/<int:student_pk>/documenten-ondertekenen/nieuw/",
        signable_create,
        name="signables_create",
    ),
    path("ondertekenen/<int:pk>/", signable_detail, name="signables_detail"),
]
