from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

from audit.audit import audit_request
from dossier.models import DossierEntry
from schools.views.common import get_permitted, staff_required

from .apps import KIND, VIEW_DENIED, VIEWED


def case_url_for_entry(entry) -> str:
    return reverse("fakeprotocol_case", args=[entry.pk])


@staff_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """A fake case page: the file entry of kind fake_case, read like the entry (AVG-4)."""
    entry = get_permitted(
        request,
        DossierEntry.objects.filter(kind=KIND).select_related("student"),
        pk,
        "dossier.view_entry",
        action=VIEW_DENIED,
        student_field="student_id",
    )
    audit_request(request, action=VIEWED, obj=entry, student=entry.student)
    return HttpResponse(f"<h1>Nepzaak: {entry.title}</h1>")


urlpatterns = [path("nep-protocol/zaak/<int:pk>/", case, name="fakeprotocol_case")]
