"""Background apply of a big import; enqueued on commit by schools.services.imports.apply_import."""

from django.tasks import task
from django_scopes import scopes_disabled


@task()
def apply_import_task(run_id: int, actor_id: int | None) -> None:
    from ..models import ImportRun, ImportStatus
    from ..services.imports import apply_now

    with scopes_disabled():  # the run names its school; apply_now opens that school's scope
        updated = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.APPLYING
        )
        running = updated or ImportRun.objects.filter(pk=run_id, status=ImportStatus.APPLYING).exists()
    if running:
        try:
            apply_now(run_id=run_id, actor_id=actor_id)
        except Exception:
            with scopes_disabled():
                ImportRun.objects.filter(pk=run_id).update(status=ImportStatus.FAILED)
            raise
