"""Parent portal pages: the children, a child's parent-visible items, documents to sign, a parent
statement (AVG-2) and an access request (AVG-1). Every page runs in the children's schools' scope."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dossier.audit import client_address
from protocols.exceptions import ProtocolViolation
from schools.models import Student
from schools.views.common import get_permitted

from ..audit import audit_request
from ..models import AccessRequest, Decision, EntryKind, SignMethod
from ..services.access_requests import request_access
from ..services.portal import add_parent_statement
from ..services.signatures import sign_document
from .decorators import portal_login_required
from .queries import guardian_for, parent_documents, parent_entries, redactor_for


def _child(request: HttpRequest, pk: int, perm: str = "dossier.portal_view_student") -> Student:
    # Another school's child does not exist in this scope; someone else's child fails the rule: both 404.
    return get_permitted(
        request, Student.objects.select_related("school"), pk, perm, action="portal.student.view_denied"
    )


def _address(request: HttpRequest) -> str:
    return client_address(request)


@portal_login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dossier/portal/home.html", {"relations": request.portal_relations})


@portal_login_required
def child(request: HttpRequest, pk: int) -> HttpResponse:
    student = _child(request, pk)
    audit_request(
        request, action="portal.student.viewed", obj=student, student=student, school=student.school
    )
    redact = redactor_for(student)
    page = Paginator(parent_entries(student), 25).get_page(request.GET.get("page"))
    items = [
        {
            "entry": e,
            "title": redact(e.title),
            "body": redact(e.body),
            "can_respond": e.kind != EntryKind.PARENT_STATEMENT,
        }
        for e in page
    ]
    context = {
        "student": student,
        "page": page,
        "items": items,
        "documents": parent_documents(student),
        "access_requests": AccessRequest.objects.filter(student=student).order_by("-received_at")[:5],
    }
    return render(request, "dossier/portal/child.html", context)


@portal_login_required
def add_statement(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    student = _child(request, pk, "dossier.portal_add_statement")
    entry = parent_entries(student).filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    redact = redactor_for(student)
    text, error = request.POST.get("text", ""), None
    if request.method == "POST":
        try:
            add_parent_statement(
                user=request.user, student=student, responds_to=entry, text=text, address=_address(request)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Uw zienswijze staat in het dossier, naast de tekst van de school.")
            return redirect("portal:child", pk=student.pk)
    context = {
        "student": student,
        "entry": entry,
        "title": redact(entry.title),
        "body": redact(entry.body),
        "text": text,
        "error": error,
    }
    return render(request, "dossier/portal/statement.html", context)


@portal_login_required
def document(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    student = _child(request, pk)
    doc = parent_documents(student).filter(pk=doc_pk).first()
    if doc is None:
        raise Http404
    guardian = guardian_for(request.user, student)
    version = doc.current_version
    redact = redactor_for(student)
    form = {"decision": request.POST.get("decision", ""), "remark": request.POST.get("remark", "")}
    error = None
    if request.method == "POST":
        if not request.user.has_perm("dossier.portal_sign", student):
            raise Http404
        try:
            posted_version = int(request.POST.get("version", "0"))
        except ValueError:
            posted_version = 0
        target = doc.versions.filter(pk=posted_version).first() or version
        try:
            sign_document(
                version=target,
                signer=guardian,
                decision=form["decision"],
                remark=form["remark"],
                method=SignMethod.PORTAL,
                actor=request.user,
                address=_address(request),
            )
        except (ValidationError, ProtocolViolation) as exc:
            error = exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)
        else:
            messages.success(request, "Uw reactie is vastgelegd. Dank u wel.")
            return redirect("portal:document", pk=student.pk, doc_pk=doc.pk)
    else:
        audit_request(
            request, action="portal.document.viewed", obj=doc, student=student, school=student.school
        )
    own = version.signatures.filter(guardian=guardian).first() if guardian else None
    context = {
        "student": student,
        "document": doc,
        "version": version,
        "content": redact(version.content),
        "own_signature": own,
        "signatures": version.signatures.all(),
        "decisions": Decision.choices,
        "form": form,
        "error": error,
    }
    return render(request, "dossier/portal/document.html", context)


@require_POST
@portal_login_required
def request_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    student = _child(request, pk, "dossier.portal_request_access")
    guardian = guardian_for(request.user, student)
    try:
        request_access(requester=guardian, student=student, actor=request.user, address=_address(request))
    except (ValidationError, ProtocolViolation) as exc:
        messages.error(request, exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages))
    else:
        messages.success(request, "Uw verzoek om inzage is ontvangen. De school antwoordt binnen een maand.")
    return redirect("portal:child", pk=student.pk)
