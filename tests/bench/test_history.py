"""The benchmark's file history: known-size files, involved children of the same school, ids that go on."""

from types import SimpleNamespace

from bench import history
from dossier.models import DossierEntry
from dossier.services.record import record


def test_history_gives_the_known_files_their_exact_size_and_leaves_the_ids_usable(world, monkeypatch):
    monkeypatch.setattr(history, "ENTRIES", 600)
    monkeypatch.setattr(history, "INVOLVED_SHARE", 0.5)
    written = history.build([SimpleNamespace(group_id=world.group_2b.pk)])

    files = history.known_files(world.group_2b.pk)
    assert (files.full_student_id, files.small_student_id) == (world.sanne.pk, world.daan.pk)
    assert DossierEntry.objects.filter(student=world.sanne).count() == history.FULL_FILE
    assert DossierEntry.objects.filter(student=world.daan).count() == history.SMALL_FILE
    assert written["DossierEntry"] == DossierEntry.objects.count() >= 600
    # Other children named in an entry are of the same school, never the student themself.
    links = DossierEntry.involved.through.objects.select_related("dossierentry", "student")
    assert links.exists()
    for link in links:
        assert link.student.school_id == link.dossierentry.school_id
        assert link.student_id != link.dossierentry.student_id
    # The entries were loaded with explicit ids (COPY on PostgreSQL): the next entry must still save.
    entry = record(student=world.sanne, kind="log_entry", title="Na de benchmark", actor=world.carla)
    assert entry.pk > max(DossierEntry.objects.exclude(pk=entry.pk).values_list("pk", flat=True))
