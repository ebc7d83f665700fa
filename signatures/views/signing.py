"""The staff signing screen: a guardian, the student or a colleague signs a document here, in person."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from audit.audit import audit_request, client_address
from protocols.exceptions import ProtocolViolation
from schools.cleaning import parse_id
from schools.models import Guardian
from schools.selectors import remember_student_group_facts, with_student_group_facts
from schools.views.common import get_permitted, staff_required
from signatures.models import Decision, SignableDocument, SignatureRequest, SignMethod
from signatures.services.signatures import sign_document


def _error(exc) -> str:
    return exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)


def _posted_version(request: HttpRequest, doc: SignableDocument):
    """The version the form showed, or None for a missing, junk or foreign number (issue 7)."""
    pk = parse_id(request.POST.get("version"))
    return doc.versions.filter(pk=pk).first() if pk else None


@staff_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff signing screen: a guardian, the student or a colleague signs here, in person."""
    doc = get_permitted(
        request,
        with_student_group_facts(
            SignableDocument.objects.select_related("student__school", "current_version")
        ),
        pk,
        "dossier.view_signable_document",
        action="dossier.document.view_denied",
        prepare=remember_student_group_facts,  # the rules read the student's groups
    )
    version = doc.current_version
    error = None
    if request.method == "POST":
        if not request.user.has_perm("dossier.sign_on_staff_screen", doc):
            raise Http404
        signer = _signer_from(request, request.POST.get("signer", ""), doc)
        try:
            posted = _posted_version(request, doc)
            if signer is None or posted is None:
                raise ValidationError(_("Kies wie er tekent."))
            sign_document(
                version=posted,
                signer=signer,
                decision=request.POST.get("decision", ""),
                remark=request.POST.get("remark", ""),
                method=SignMethod.STAFF_SCREEN,
                actor=request.user,
                address=client_address(request),
            )
        except (ValidationError, ProtocolViolation) as exc:
            error = _error(exc)
        else:
            messages.success(request, "De handtekening is vastgelegd.")
            return redirect("signable_document_detail", pk=doc.pk)
    else:
        audit_request(request, action="dossier.document.viewed", obj=doc, student=doc.student)
    # The open requests (with their signer) come with the versions: the signer list reads them too.
    requests = Prefetch(
        "requests", queryset=SignatureRequest.objects.select_related("guardian", "student", "staff")
    )
    versions = list(doc.versions.prefetch_related("signatures", requests).order_by("-number"))
    context = {
        "doc": doc,
        "version": version,
        "versions": versions,
        "error": error,
        "post": request.POST,
        "signer_options": _signer_options(request, version, versions),
        "decisions": Decision.choices,
    }
    return render(request, "signatures/signatures_document.html", context)


def _signer_options(request: HttpRequest, version, versions) -> list[tuple[str, str]]:
    options = []
    if version is not None:
        current = next((v for v in versions if v.pk == version.pk), version)
        for r in current.requests.all():
            if r.state != "open":
                continue
            options.append(
                (f"{r.signer_type}:{r.signer.pk}", f"{r.signer_name} ({r.get_signer_type_display()})")
            )
    staff = getattr(request.access, "staff", None)
    if staff is not None:
        options.append((f"staff:{staff.pk}", f"{staff.full_name} (ikzelf)"))
    return options


def _signer_from(request: HttpRequest, value: str, doc: SignableDocument):
    """Form value "guardian:12", "student:3" or "staff:7" → the signer, within this document's school.

    On this screen a guardian or the student signs in person; a staff member signs only for
    themselves, never for a colleague who is not at the screen."""
    kind, _, raw = value.partition(":")
    pk = parse_id(raw)
    if pk is None:
        return None
    if kind == "guardian":
        return Guardian.objects.filter(pk=pk, relations__student=doc.student).first()
    if kind == "student":
        return doc.student if pk == doc.student_id else None
    if kind == "staff":
        own = getattr(request.access, "staff", None)
        return own if own is not None and own.pk == pk and own.school_id == doc.school_id else None
    return None


urlpatterns = [
    path("documenten/<int:pk>/", document_detail, name="signable_document_detail"),
]
