"""Portal pages: the children (or, from 16, the student's own file), its parent-visible items,
documents to sign, an own statement (AVG-2) and an access request (AVG-1). Every page runs in the
children's (and the student's own) schools' scope.

"Self" below is a student of 16 or older looking at their own file; the rules
(`portal.policy_portal`) already refused everyone else, so it only picks the wording and the signer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.audit import audit_request, client_address
from dossier.models import AccessRequest, EntryKind
from dossier.redaction import redactor_for
from dossier.selectors_timeline import counted_page
from dossier.services.access_requests import request_access
from portal.decorators import portal_login_required
from portal.queries import (
    guardian_for,
    has_own_rights,
    is_addressed_to,
    parent_documents,
    parent_entries,
    student_documents,
)
from portal.services.portal import add_parent_statement, add_student_statement
from protocols.exceptions import ProtocolViolation
from schools.models import Student
from schools.views.common import get_permitted
from signatures.models import Decision, SignMethod
from signatures.services.signatures import sign_document

STATEMENT_KINDS = (EntryKind.PARENT_STATEMENT, EntryKind.STUDENT_STATEMENT)


def _child(request: HttpRequest, pk: int, perm: str = "dossier.portal_view_student") -> Student:
    # The gate (portal.decorators) already read the user's children and own student row, with their
    # schools: the same rule on that row, no second read (issue #13). Anyone else goes the long way.
    known = _known_student(request, pk)
    if known is not None and request.user.has_perm(perm, known):
        return known
    # Another school's child does not exist in this scope; someone else's child fails the rule: both 404.
    return get_permitted(
        request, Student.objects.select_related("school"), pk, perm, action="portal.student.view_denied"
    )


def _known_student(request: HttpRequest, pk: int) -> Student | None:
    own = getattr(request, "portal_student", None)
    if own is not None and own.pk == pk:
        return own
    relations = getattr(request, "portal_relations", [])
    return next((r.student for r in relations if r.student_id == pk), None)


def _is_self(request: HttpRequest, student: Student) -> bool:
    return student.user_id == request.user.pk


def _documents(request: HttpRequest, student: Student):
    return student_documents(student) if _is_self(request, student) else parent_documents(student)


@portal_login_required
def home(request: HttpRequest) -> HttpResponse:
    # AVG-1: a child of 16 or older stays on the guardian's list, without a link and with the reason.
    children = [
        {"student": r.student, "own_rights": has_own_rights(r.student)} for r in request.portal_relations
    ]
    own = request.portal_student
    context = {
        "children": children,
        "own_student": own if own is not None and has_own_rights(own) else None,
        "too_young": own is not None and not has_own_rights(own),
    }
    return render(request, "portal/home.html", context)


@portal_login_required
def child(request: HttpRequest, pk: int) -> HttpResponse:
    student = _child(request, pk)
    audit_request(
        request, action="portal.student.viewed", obj=student, student=student, school=student.school
    )
    redact = redactor_for(student)
    page = counted_page(parent_entries(student), request.GET.get("page"), 25)  # the count in the same query
    items = [
        {
            "entry": e,
            "title": redact(e.title),
            "body": redact(e.body),
            "can_respond": e.kind not in STATEMENT_KINDS,
        }
        for e in page
    ]
    context = {
        "student": student,
        "is_self": _is_self(request, student),
        "page": page,
        "items": items,
        "documents": _documents(request, student),
        "access_requests": AccessRequest.objects.filter(student=student).order_by("-received_at")[:5],
    }
    return render(request, "portal/child.html", context)


@portal_login_required
def add_statement(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    student = _child(request, pk, "dossier.portal_add_statement")
    entry = parent_entries(student).filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    redact = redactor_for(student)
    text, error = request.POST.get("text", ""), None
    is_self = _is_self(request, student)
    if request.method == "POST":
        add = add_student_statement if is_self else add_parent_statement
        try:
            add(
                user=request.user,
                student=student,
                responds_to=entry,
                text=text,
                address=client_address(request),
            )
        except (ValidationError, ProtocolViolation) as exc:
            error = exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)
        else:
            messages.success(request, _("Uw zienswijze staat in het dossier, naast de tekst van de school."))
            return redirect("portal:child", pk=student.pk)
    context = {
        "student": student,
        "is_self": is_self,
        "entry": entry,
        "title": redact(entry.title),
        "body": redact(entry.body),
        "text": text,
        "error": error,
    }
    return render(request, "portal/statement.html", context)


@portal_login_required
def document(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    student = _child(request, pk)
    doc = _documents(request, student).filter(pk=doc_pk).first()
    if doc is None:
        raise Http404
    is_self = _is_self(request, student)
    # From 16 the student signs what is addressed to them; otherwise the guardian signs (AVG-1).
    signer = student if is_self else guardian_for(request.user, student)
    may_sign = not is_self or is_addressed_to(doc, student)
    version = doc.current_version
    redact = redactor_for(student)
    form = {"decision": request.POST.get("decision", ""), "remark": request.POST.get("remark", "")}
    error = None
    if request.method == "POST":
        if not may_sign or not request.user.has_perm("dossier.portal_sign", student):
            raise Http404
        try:
            posted_version = int(request.POST.get("version", "0"))
        except ValueError:
            posted_version = 0
        target = doc.versions.filter(pk=posted_version).first() or version
        try:
            sign_document(
                version=target,
                signer=signer,
                decision=form["decision"],
                remark=form["remark"],
                method=SignMethod.PORTAL,
                actor=request.user,
                address=client_address(request),
            )
        except (ValidationError, ProtocolViolation) as exc:
            error = exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)
        else:
            messages.success(request, _("Uw reactie is vastgelegd. Dank u wel."))
            return redirect("portal:document", pk=student.pk, doc_pk=doc.pk)
    else:
        audit_request(
            request, action="portal.document.viewed", obj=doc, student=student, school=student.school
        )
    # One read of the signatures: the signer's own is the first of theirs in the same order.
    signatures = list(version.signatures.all())
    own = None
    if signer is not None:
        signer_of = (lambda s: s.student_id) if is_self else (lambda s: s.guardian_id)
        own = next((s for s in signatures if signer_of(s) == signer.pk), None)
    context = {
        "student": student,
        "is_self": is_self,
        "may_sign": may_sign,
        "document": doc,
        "version": version,
        "content": redact(version.content),
        "own_signature": own,
        "signatures": signatures,
        "decisions": Decision.choices,
        "form": form,
        "error": error,
    }
    return render(request, "portal/document.html", context)


@require_POST
@portal_login_required
def request_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    student = _child(request, pk, "dossier.portal_request_access")
    # AVG-1: from 16 the student asks, not the parents; the service checks the age again.
    requester = student if _is_self(request, student) else guardian_for(request.user, student)
    try:
        request_access(
            requester=requester, student=student, actor=request.user, address=client_address(request)
        )
    except (ValidationError, ProtocolViolation) as exc:
        messages.error(request, exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages))
    else:
        messages.success(
            request, _("Uw verzoek om inzage is ontvangen. De school antwoordt binnen een maand.")
        )
    return redirect("portal:child", pk=student.pk)
