"""Background build of an access export: a large file takes many seconds to typeset."""

from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from audit.audit import audit
from dossier.models import AccessRequest, AccessRequestState
from dossier.services.access_requests import build_access_export
from schools.models import User

BUILDABLE = (AccessRequestState.RECEIVED, AccessRequestState.IN_REVIEW, AccessRequestState.READY)


@task()
def build_access_export_task(request_id: int, user_id: int | None, queued_at: str) -> None:
    """Idempotent: a build that already happened after this one was queued is not repeated."""
    with scopes_disabled():  # the school is not known until the row is read
        request = AccessRequest.objects.filter(pk=request_id).first()
        actor = User.objects.filter(pk=user_id).first() if user_id else None
    if request is None:
        return
    with scope(school=[request.school_id]):
        if request.state not in BUILDABLE:
            return
        if request.built_at is not None and request.built_at.isoformat() >= queued_at:
            return
        build_access_export(actor=actor, request=request)


def queue_access_export(*, actor, request: AccessRequest) -> None:
    """Ask for a (re)build; the page shows the files once the worker is done."""
    from django.utils import timezone

    if request.state not in BUILDABLE:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Dit verzoek is afgehandeld; het dossier wordt niet opnieuw samengesteld."))
    queued_at = timezone.now().isoformat()
    user_id = getattr(getattr(actor, "user", actor), "pk", None)
    audit(
        actor=getattr(actor, "user", actor),
        action="dossier.access_request.build_queued",
        obj=request,
        student=request.student,
    )
    transaction.on_commit(lambda: build_access_export_task.enqueue(request.pk, user_id, queued_at))
