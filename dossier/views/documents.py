"""Documents: upload to the student's file, download only through this authorised view."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from audit.audit import audit_request, client_address
from dossier.models import Document, Visibility
from dossier.services import documents as service
from dossier.views.filing import FilingForm
from protocols.text_checks import warnings_shown
from schools.models import Student
from schools.views.common import get_permitted, staff_required


class DocumentForm(FilingForm):
    field_order = ["title", "file", "visibility", "is_health", "parent_visible"]
    title = forms.CharField(label=_("Titel"), max_length=200)
    file = forms.FileField(
        label=_("Bestand (PDF, PNG, JPEG of DOCX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
    )


@staff_required
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_permitted(
        request,
        Student.objects.select_related("school"),
        pk,
        "dossier.upload_document",
        action="dossier.view_denied",
    )
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, access=request.access)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.upload_document(
                    actor=request.user,
                    student=student,
                    upload=data["file"],
                    title=data["title"],
                    visibility=data["visibility"],
                    is_health=data.get("is_health", False),
                    parent_visible=data["parent_visible"],
                    address=client_address(request),
                    text_warnings=warnings_shown(request.POST),
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("dossier_timeline", student.pk)
    else:
        form = DocumentForm(initial={"visibility": Visibility.TEAM}, access=request.access)
    context = {"student": student, "form": form, "max_mb": student.school.max_upload_mb}
    return render(request, "dossier/document_form.html", context)


@staff_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_permitted(
        request,
        Document.objects.select_related("student__school"),
        pk,
        "dossier.view_document",
        action="dossier.view_denied",
        student_field="student_id",
    )
    audit_request(request, action="dossier.document.downloaded", obj=document, student=document.student)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        # AVG-4: a neutral name; the uploaded one may hold the child's name or number.
        filename=f"document-{document.pk}{Path(document.original_name).suffix.lower()}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("leerling/<int:pk>/documenten/nieuw/", document_upload, name="dossier_document_upload"),
    path("document/<int:pk>/", document_download, name="dossier_document_download"),
]
