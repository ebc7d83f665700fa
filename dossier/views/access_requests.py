"""Staff views of access requests (AVG-1, care coordinator); the guardian's side is in the portal app."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from audit.audit import audit_request
from dossier.models import AccessRequest, AccessRequestState
from dossier.services import access_requests as access
from dossier.tasks import queue_access_export
from protocols.exceptions import ProtocolViolation
from schools.cleaning import parse_id
from schools.models import Guardian, Student
from schools.views.common import get_permitted, staff_required


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
    # Typesetting a large file takes many seconds: the worker builds it (dossier/tasks.py).
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


urlpatterns = [
    path("inzage/", access_request_list, name="access_request_list"),
    path("inzage/nieuw/<int:student_pk>/", access_request_new, name="access_request_new"),
    path("inzage/<int:pk>/", access_request_detail, name="access_request_detail"),
    path("inzage/<int:pk>/<str:kind>/", access_request_download, name="access_request_download"),
]
