"""The import pages as the functional administrator uses them; a teacher never reaches them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from schools.importing.tasks import apply_import_task
from schools.models import ImportRun, ImportStatus, Student
from schools.services import imports as service

from .import_helpers import FILES, preview, snapshot

pytestmark = pytest.mark.django_db


def _upload(client, name):
    file = SimpleUploadedFile(name, (FILES / name).read_bytes())
    return client.post("/import/", {"file": file, "format": ""})


def test_functional_admin_uploads_confirms_columns_previews_and_applies(world):
    client = world.client_for(world.fiona)
    assert client.get("/import/").status_code == 200
    response = _upload(client, "leerlingen_magister_cp1252.csv")
    run = ImportRun.objects.get()
    assert response.url == f"/import/{run.pk}/"
    page = client.get(response.url).content.decode()
    assert "Welke kolom is wat?" in page and 'value="Roepnaam" selected' in page

    columns = {
        "col_student_number": "Leerlingnr.",
        "col_first_name": "Roepnaam",
        "col_last_name": "Achternaam",
        "col_group": "Klas",
        "col_date_of_birth": "Geb.datum",
        "save_mapping": "1",
        "school_year": "2026-08-01",
    }
    client.post(f"/import/{run.pk}/kolommen/", columns)
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert "Voorbeeld: dit verandert er" in page and "leerlingen nieuw" in page
    assert Student.objects.filter(school=world.school).count() == 3  # preview writes nothing

    client.post(f"/import/{run.pk}/verwerken/")
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.result["counts"]["students_create"] == 3
    assert Student.objects.filter(school=world.school).count() == 6
    assert "Verwerkt" in client.get(f"/import/{run.pk}/").content.decode()


def test_invalid_file_shows_dutch_problems_in_an_alert(world):
    client = world.client_for(world.fiona)
    response = _upload(client, "onmogelijke_datum.csv")
    run = ImportRun.objects.get()
    client.post(
        f"/import/{run.pk}/kolommen/",
        {
            "col_student_number": "Leerlingnummer",
            "col_first_name": "Roepnaam",
            "col_last_name": "Achternaam",
            "col_group": "Klas",
            "col_date_of_birth": "Geboortedatum",
        },
    )
    page = client.get(response.url).content.decode()
    assert 'role="alert"' in page and "Regel 3, kolom &#x27;Geboortedatum&#x27;" in page


@pytest.mark.parametrize("persona", ["teacher", "mentor", "carla", "zeno"])
def test_others_than_the_functional_admin_get_404(world, persona):
    client = world.client_for(getattr(world, persona))
    assert client.get("/import/").status_code == 404
    run = preview(world.school, world.fiona.user, "ouders_per_regel_somtoday.csv")
    assert client.get(f"/import/{run.pk}/").status_code == 404
    assert client.post(f"/import/{run.pk}/verwerken/").status_code == 404
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED


def test_big_import_runs_as_task_and_progress_endpoint_polls_until_done(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(service, "INLINE_LIMIT", 2)
    client = world.client_for(world.fiona)
    run = preview(world.school, world.fiona.user, "ouders_per_regel_somtoday.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/import/{run.pk}/verwerken/")
    run.refresh_from_db()
    assert run.status == ImportStatus.QUEUED
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    fragment = client.get(f"/import/{run.pk}/voortgang/", headers={"HX-Request": "true"})
    assert "<progress" in fragment.content.decode() and "<html" not in fragment.content.decode()

    # The queued task, run as the worker would (db_worker itself closes the test's connection on PostgreSQL).
    from django_tasks_db.models import DBTaskResult

    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "schools.importing.tasks.apply_import_task"
    for _ in range(2):  # a retried task changes nothing the second time
        apply_import_task.call(*queued.args_kwargs["args"])
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.progress == 100
    done = client.get(f"/import/{run.pk}/voortgang/", headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and 'hx-trigger="every 1s"' not in done.content.decode()


def test_apply_task_run_twice_applies_once(world):
    run = preview(world.school, world.fiona.user, "ouders_per_regel_somtoday.csv")
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.QUEUED)
    apply_import_task.call(run.pk, world.fiona.user.pk)
    after = snapshot()
    apply_import_task.call(run.pk, world.fiona.user.pk)
    assert snapshot() == after


def test_management_command_previews_and_applies(world, capsys):
    call_command("import_students", school="99XX", file=str(FILES / "ouders_per_regel_somtoday.csv"))
    assert "totaal wijzigingen" in capsys.readouterr().out
    assert not Student.objects.filter(school=world.school, left_on__isnull=False).exists()
    call_command("import_students", school="99XX", file=str(FILES / "oneroster_11"), apply=True)
    assert Student.objects.filter(school=world.school, student_number="1004").exists()


def test_management_command_refuses_bad_file_and_writes_nothing(world):
    from django.core.management.base import CommandError

    before = snapshot()
    with pytest.raises(CommandError, match="afgekeurd"):
        call_command(
            "import_students", school="99XX", file=str(FILES / "dubbel_leerlingnummer.csv"), apply=True
        )
    assert snapshot() == before
