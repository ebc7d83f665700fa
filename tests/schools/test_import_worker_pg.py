"""Issue 8 §1: a big import applied the production way, on PostgreSQL.

The web request queues the import; `manage.py db_worker` (its own process, its own connection)
applies it while the page polls the progress bar over the test's connection. Before the fix the
apply held a row lock on the import run that the progress write waited for: it never finished.
"""

import time

import pytest
from django.db import connection

from schools.models import ImportRun, ImportStatus, Student
from schools.services import imports as service
from tests.concurrency import at_once

from .import_helpers import preview
from .worker import start_worker, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs a shared database"),
]

DEADLINE_SECONDS = 60


def _csv(count: int) -> bytes:
    lines = ["Leerlingnummer;Roepnaam;Achternaam;Klas"]
    lines += [f"{500000 + n};Kind{n};Achternaam{n};{1 + n % 6}A" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def test_issue8_big_import_applied_by_worker_finishes_while_progress_is_polled(world, monkeypatch):
    monkeypatch.setattr(service, "INLINE_LIMIT", 10)
    run = preview(world.school, world.fiona.user, data=_csv(400))
    assert run.status == ImportStatus.PREVIEWED, run.problems
    client = world.client_for(world.fiona)
    client.post(f"/import/{run.pk}/verwerken/")
    run.refresh_from_db()
    assert run.status == ImportStatus.QUEUED

    worker = start_worker()
    seen: list[int] = []
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            fragment = client.get(f"/import/{run.pk}/voortgang/", headers={"HX-Request": "true"})
            assert fragment.status_code == 200
            run.refresh_from_db()
            seen.append(run.progress)
            if run.status in (ImportStatus.APPLIED, ImportStatus.FAILED):
                break
            time.sleep(0.2)
    finally:
        output = stop(worker)
    assert run.status == ImportStatus.APPLIED, f"not done in {DEADLINE_SECONDS} s: {run.status}\n{output}"
    assert run.progress == 100 and seen == sorted(seen)
    assert Student.objects.filter(school=world.school, student_number__startswith="5").count() == 400
    assert ImportRun.objects.get(pk=run.pk).result["counts"]["students_create"] == 400


def test_issue8_two_simultaneous_applies_of_one_run_apply_it_once(world):
    """Without the row lock, the advisory lock still lets only one apply through (AVG-3: no duplicates)."""
    run = preview(world.school, world.fiona.user, data=_csv(300))

    def apply_once():
        return service.apply_now(run_id=run.pk, actor_id=world.fiona.user.pk).status

    results = at_once([apply_once, apply_once], timeout=DEADLINE_SECONDS)
    assert results == [ImportStatus.APPLIED, ImportStatus.APPLIED]
    assert Student.objects.filter(school=world.school, student_number__startswith="5").count() == 300
    assert ImportRun.objects.get(pk=run.pk).result["counts"]["students_create"] == 300
