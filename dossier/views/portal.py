"""Staff views of the portal area: access requests (care coordinator) and the staff signing screen."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from dossier.audit import client_address
from protocols.exceptions import ProtocolViolation
from schools.cleaning import parse_id
from schools.models import Guardian, Student
from schools.views.common import get_permitted, staff_required

from ..audit import audit_request
from ..models import AccessRequest, AccessRequestState, Decision, SignableDocument, SignMethod
from ..portal.tasks import queue_access_export
from ..services import access_requests as access
from ..services.signatures import sign_document


def _error(exc) -> str:
    return exc.message if isinstance(exc, ProtocolViolation) else " ".join(exc.messages)


@staff_required
def access_request_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dossier.manage_access_requests", request.school):
        raise Http404
    show = request.GET.get("toon", "open")
    requests = AccessRequest.objects.filter(school=request.school).select_related("student")
    if show == "open":
        requests = requests.exclude(state__in=[AccessRequestState.HANDED_OVER, AccessRequestState.REFUSED])
    page = Paginator(requests.order_by("due_on", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request, "dossier/access_requests.html", {"page": page, "show": show, "query_string": f"toon={show}"}
    )


ACTIONS = {
    "review": lambda actor, req, post: access.start_review(
        actor=actor, request=req, note=post.get("note", "")
    ),
    # Typesetting a large file takes many seconds: the worker builds it (dossier/portal/tasks.py).
    "build": lambda actor, req, post: queue_access_export(actor=actor, request=req),
    "hand_over": lambda actor, req, post: access.hand_over_access_request(
        actor=actor, request=req, note=post.get("note", "")
    ),
    "refuse": lambda actor, req, post: access.refuse_access_request(
        actor=actor, request=req, reason=post.get("reason", "")
    ),
}


@staff_required
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_permitted(
        request,
        AccessRequest.objects.select_related("student", "reviewer", "handed_over_by"),
        pk,
        "dossier.manage_access_requests",
        action="dossier.access_request.view_denied",
    )
    error = None
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            raise Http404
        try:
            action(request.user, req, request.POST)
        except (ValidationError, ProtocolViolation) as exc:
            error = _error(exc)
        else:
            done = (
                "Het dossier wordt samengesteld; ververs de pagina over een minuut."
                if request.POST.get("action") == "build"
                else "Opgeslagen."
            )
            messages.success(request, done)
            return redirect("access_request_detail", pk=req.pk)
    context = {
        "req": req,
        "error": error,
        "post": request.POST,
        "may_download": access.may_download_export(request.access, req),
        "is_director": request.access.is_director,
    }
    return render(request, "dossier/access_requests_detail.html", context)


@staff_required
def access_request_new(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Register a request that came in by mail or on paper (the portal registers its own)."""
    if not request.user.has_perm("dossier.manage_access_requests", request.school):
        raise Http404
    student = get_permitted(
        request,
        Student.objects.select_related("school"),
        student_pk,
        "schools.view_student",
        action="schools.student.view_denied",
    )
    guardians = Guardian.objects.filter(relations__student=student).distinct()
    error = None
    if request.method == "POST":
        who = request.POST.get("requester", "")
        requester = student if who == "student" else guardians.filter(pk=parse_id(who) or 0).first()
        try:
            if requester is None:
                raise ValidationError(_("Kies wie het verzoek doet."))
            req = access.request_access(requester=requester, student=student, actor=request.user)
        except (ValidationError, ProtocolViolation) as exc:
            error = _error(exc)
        else:
            return redirect("access_request_detail", pk=req.pk)
    context = {"student": student, "guardians": guardians, "error": error, "post": request.POST}
    return render(request, "dossier/access_requests_new.html", context)


@staff_required
def access_request_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    req = get_permitted(
        request,
        AccessRequest.objects.select_related("student"),
        pk,
        "dossier.manage_access_requests",
        action="dossier.access_request.view_denied",
    )
    file = {"pdf": req.pdf, "json": req.json}.get(kind)
    if not file:
        raise Http404
    if not access.may_download_export(request.access, req):
        # AVG-4: the complete export holds the director-only part: the director's to read.
        audit_request(
            request, action="dossier.access_request.view_denied", obj=req, student=req.student,
            data={"kind": kind}, success=False,
        )  # fmt: skip
        raise Http404
    audit_request(
        request, action="dossier.access_request.downloaded", obj=req, student=req.student, data={"kind": kind}
    )
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"inzage-{req.pk}.{kind}",  # AVG-4: a neutral name
    )


def _posted_version(request: HttpRequest, doc: SignableDocument):
    """The version the form showed, or None for a missing, junk or foreign number (issue 7)."""
    pk = parse_id(request.POST.get("version"))
    return doc.versions.filter(pk=pk).first() if pk else None


@staff_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff signing screen: a guardian, the student or a colleague signs here, in person."""
    doc = get_permitted(
        request,
        SignableDocument.objects.select_related("student", "current_version"),
        pk,
        "dossier.view_signable_document",
        action="dossier.document.view_denied",
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
    versions = doc.versions.prefetch_related("signatures", "requests").order_by("-number")
    context = {
        "doc": doc,
        "version": version,
        "versions": versions,
        "error": error,
        "post": request.POST,
        "signer_options": _signer_options(request, version),
        "decisions": Decision.choices,
    }
    return render(request, "dossier/signatures_document.html", context)


def _signer_options(request: HttpRequest, version) -> list[tuple[str, str]]:
    options = []
    if version is not None:
        for r in version.requests.filter(state="open").select_related("guardian", "student", "staff"):
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
    path("inzage/", access_request_list, name="access_request_list"),
    path("inzage/nieuw/<int:student_pk>/", access_request_new, name="access_request_new"),
    path("inzage/<int:pk>/", access_request_detail, name="access_request_detail"),
    path("inzage/<int:pk>/<str:kind>/", access_request_download, name="access_request_download"),
    path("documenten/<int:pk>/", document_detail, name="signable_document_detail"),
]
