"""AVG-3: one student with one record of every kind; the purge at each boundary (2, 3, 5 years after
leaving, frozen as the purge's `today`) deletes what the retention table says, files included, and
after the last boundary no table and no file names the student. Audit rows keep a pseudonym only."""

import datetime
import io
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.audit import audit
from audit.chain import pseudonym, verify, write_checkpoint
from audit.models import AuditEvent
from deadlines.models import Deadline
from deadlines.services.deadlines import create_deadline
from dossier.models import AccessRequest, Document, DossierEntry, EntryKind, LogEntry
from dossier.pdf import html_to_pdf
from dossier.retention_table import HANDLED_ELSEWHERE, retention_rules
from dossier.services.access_requests import build_access_export, request_access
from dossier.services.documents import upload_document
from dossier.services.logbook import write_log_entry
from dossier.services.record import record
from dossier.services.retention import (
    lift_legal_hold,
    mark_special_education_referral,
    place_legal_hold,
    purge_school,
)
from messaging.models import Letter, Message
from messaging.services.messages import compose_letter, send_message
from portal.services.portal import add_parent_statement, request_login_link
from schools.models import GroupMembership, Guardian, GuardianRelation, ImportRun, Student, User
from signatures.models import Decision, DocumentVersion, SignableDocument, Signature, SignMethod
from signatures.services.signatures import create_signable_document, sign_document
from tests import factories as f
from tests.queued import run_queued_tasks

FIRST, LAST, NUMBER = "Wobbeline", "Quaadvliet", "Q770431"
PHRASE = "zilveren kikkerbrug"  # in every care record, nowhere else
NEEDLES = [FIRST.lower(), LAST.lower(), NUMBER.lower(), PHRASE]


def years_after(day: datetime.date, years: int, days: int = 0) -> datetime.date:
    return day.replace(year=day.year + years) + datetime.timedelta(days=days)


def give_one_of_everything(world):
    """The student, their guardian (no other child), a shared guardian, and one record of every kind."""
    student = f.StudentFactory(
        school=world.school,
        first_name=FIRST,
        last_name=LAST,
        student_number=NUMBER,
        email=f"{FIRST.lower()}@leerling.test",
        date_of_birth=datetime.date(2008, 1, 5),
        user=f.UserFactory(
            email=f"{FIRST.lower()}.{LAST.lower()}@leerling.test", full_name=f"{FIRST} {LAST}"
        ),
    )
    f.place(student, world.group_2b)
    parent = f.GuardianFactory(
        school=world.school,
        first_name="Ouder",
        last_name=LAST,
        email=f"ouder.{LAST.lower()}@thuis.test",
        user=f.UserFactory(email=f"ouder.{LAST.lower()}@thuis.test", full_name=f"Ouder {LAST}"),
    )
    f.link_guardian(student, parent)
    shared = f.GuardianFactory(
        school=world.school, first_name="Henk", last_name="Brouwer", email="henk@thuis.test"
    )
    f.link_guardian(student, shared)
    f.link_guardian(world.daan, shared)

    carla = world.carla
    # File entries of every kind (the phrase only in the care and behaviour file).
    for kind in EntryKind.values:
        care = kind not in (EntryKind.ATTENDANCE, EntryKind.ENROLMENT)
        record(
            student=student,
            kind=kind,
            title=f"{kind} {PHRASE if care else 'aanwezigheid'}",
            body=PHRASE if care else "",
            actor=carla,
            parent_visible=True,
            involved=[world.daan],
        )
    special = record(student=student, kind=EntryKind.REFERRAL, title="Verwijzing SO", actor=carla)
    mark_special_education_referral(entry=special)
    # Daan's incident involves our student: the link goes with the student.
    record(student=world.daan, kind=EntryKind.INCIDENT, title="Ruzie op het plein", involved=[student])
    # Log note, uploaded document (a real PDF with the phrase), letter (PDF), message (outbox).
    write_log_entry(actor=carla.user, student=student, title="Gesprek", body=f"Notitie: {PHRASE}")
    pdf = html_to_pdf(f"<p>{FIRST} {LAST} {PHRASE}</p>")
    upload_document(
        actor=carla.user,
        student=student,
        upload=SimpleUploadedFile("verslag.pdf", pdf),
        title=f"Verslag {PHRASE}",
    )
    letter = compose_letter(
        actor=world.dirk, student=student, template_code="sv.expulsion.warning", context={"reason": PHRASE}
    )
    send_message(actor=carla, student=student, subject=f"Over {PHRASE}", body=PHRASE, letter=letter)
    # Signable document with two versions and a signature (guardian), with a file on one version.
    signable = create_signable_document(
        actor=carla, student=student, title=f"Afspraken {PHRASE}", content=f"{FIRST}: {PHRASE}"
    )
    from signatures.services.signatures import revise_document

    version = revise_document(actor=carla, document=signable, content=f"{FIRST} {LAST}: {PHRASE} (2)")
    version.file.save("versie.pdf", SimpleUploadedFile("versie.pdf", pdf))
    sign_document(
        version=version, signer=parent, decision=Decision.AGREED, method=SignMethod.PORTAL, remark=PHRASE
    )
    # Portal: a statement by the guardian, a sign-in link; an access request with its export.
    responds_to = DossierEntry.objects.filter(student=student, kind=EntryKind.TALK).get()
    add_parent_statement(
        user=parent.user, student=student, responds_to=responds_to, text=f"Zienswijze {PHRASE}"
    )
    request_login_link(email=parent.email, base_url="https://zorg.test")
    run_queued_tasks()  # the worker makes the token and sends the link
    access = request_access(requester=student, student=student, actor=carla.user)
    build_access_export(actor=world.dirk, request=access)
    # Deadlines (the calendar feed shows them), reads in the audit log, an import that listed the student.
    create_deadline(
        school=world.school,
        owner=carla,
        title=f"Gesprek ouders {FIRST}",
        rule="GP-1",
        school_days=5,
        student=student,
    )
    world.client_for(carla).get(f"/dossier/leerling/{student.pk}/")
    audit(
        actor=parent.user,
        action="portal.student.viewed",
        student=student,
        school=world.school,
        address="10.0.0.9",
    )
    ImportRun.objects.create(
        school=world.school,
        format="tabular",
        filename="leerlingen.csv",
        records={"students": [f"{FIRST} {LAST}"]},
    )
    return student, parent, shared


def database_hits() -> dict[str, int]:
    """Every table, every row, as text: which tables still name the student."""
    hits: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(v).decode("utf-8", "replace") if isinstance(v, (bytes, memoryview)) else str(v)
                    for v in row
                ).lower()
                if any(needle in text for needle in NEEDLES):
                    hits[table] = hits.get(table, 0) + 1
    return hits


def phrase_tables() -> set[str]:
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(PHRASE in " ".join(str(v) for v in row).lower() for row in cursor.fetchall()):
                found.add(table)
    return found


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def file_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return path.read_bytes().decode("utf-8", "replace")


def media_hits() -> list[str]:
    return [str(p) for p in media_files() if any(n in file_text(p).lower() for n in NEEDLES)]


@pytest.mark.django_db
def test_avg_3_every_record_of_a_student_goes_at_its_boundary_and_nothing_names_them_after_the_last(world):
    student, parent, shared = give_one_of_everything(world)
    left = timezone.localdate()
    Student.objects.filter(pk=student.pk).update(left_on=left)
    files_of_student = media_files()
    assert len(files_of_student) >= 5  # document, letter, version file, export PDF and JSON
    assert any(PHRASE in file_text(p).lower() for p in files_of_student)
    write_checkpoint()
    assert verify() == []

    # Up to and on the 2-year boundary nothing goes.
    assert purge_school(world.school, today=years_after(left, 2)).deleted == {}

    # After 2 years: the care and behaviour file, with every file on disk.
    purge_school(world.school, today=years_after(left, 2, 1))
    for model in (LogEntry, Document, Letter, Message, SignableDocument, DocumentVersion, Signature):
        assert not model.objects.filter(pk__isnull=False).exists(), model
    assert media_files() == sorted(p for p in media_files() if "audit-checkpoints" in p.parts), (
        "files of the care file remain"
    )
    access = AccessRequest.objects.get(student=student)
    assert not access.pdf and not access.json
    assert phrase_tables() == set()
    kinds = set(DossierEntry.objects.filter(student=student).values_list("kind", flat=True))
    assert kinds == {EntryKind.ATTENDANCE, EntryKind.ENROLMENT, EntryKind.REFERRAL}  # REFERRAL: the SO one
    assert Student.objects.filter(pk=student.pk).exists()
    assert purge_school(world.school, today=years_after(left, 2, 1)).deleted == {}  # idempotent

    # After 3 years: the referral to special education.
    run = purge_school(world.school, today=years_after(left, 3, 1))
    assert run.deleted == {"referral_special_ed": 1}

    # On the 5-year boundary the rest is still there; after it, nothing names the student.
    assert purge_school(world.school, today=years_after(left, 5)).deleted == {}
    assert database_hits() != {}
    run = purge_school(world.school, today=years_after(left, 5, 1))
    assert run.deleted["student"] == 1 and run.deleted["guardian"] == 1 and run.deleted["user"] == 2
    assert database_hits() == {}
    assert media_hits() == []
    assert all("audit-checkpoints" in p.parts for p in media_files())
    assert not Guardian.objects.filter(pk=parent.pk).exists()
    assert Guardian.objects.filter(pk=shared.pk).exists()  # still the parent of Daan
    assert not GuardianRelation.objects.filter(guardian=shared, student_id=student.pk).exists()
    assert not GroupMembership.objects.filter(student_id=student.pk).exists()
    assert not Deadline.objects.filter(title__icontains=FIRST).exists()
    assert not User.objects.filter(email__icontains=LAST.lower()).exists()
    # The audit rows stay, under a pseudonym; the chain still verifies against its checkpoint.
    subject = pseudonym("student_id", student.pk)
    assert AuditEvent.objects.filter(pseudonyms__student_id=subject, student_id__isnull=True).count() > 10
    assert verify() == []
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("Auditlog intact")
    assert purge_school(world.school, today=years_after(left, 5, 2)).deleted == {}


@pytest.mark.django_db
def test_avg_3_a_legal_hold_stops_every_boundary(world):
    student, parent, _shared = give_one_of_everything(world)
    left = timezone.localdate()
    Student.objects.filter(pk=student.pk).update(left_on=left)
    hold = place_legal_hold(actor=world.carla, student=student, reason="Klacht loopt")
    ImportRun.objects.update(upload="")
    files = media_files()
    run = purge_school(world.school, today=years_after(left, 9))
    # Only the school's old import run goes: it is the school's upload, not this student's file.
    assert run.deleted == {"import_run": 1} and run.held_students == 1
    assert media_files() == files
    assert Letter.objects.filter(student=student).exists() and Guardian.objects.filter(pk=parent.pk).exists()
    lift_legal_hold(actor=world.carla, hold=hold, reason="Klacht afgehandeld")
    purge_school(world.school, today=years_after(left, 9))
    assert database_hits() == {} and media_hits() == []
    assert verify() == []


def test_avg_3_retention_table_names_real_models_and_fields():
    from django.apps import apps

    for rule in retention_rules():
        model = apps.get_model(rule.model)
        for field in rule.files:
            assert model._meta.get_field(field).get_internal_type() == "FileField"
        model._default_manager.none().filter(**{f"{rule.student}__isnull": False})


@pytest.mark.django_db
def test_avg_3_the_periodic_job_purges_everything_and_a_second_run_finds_nothing(world):
    from schools.periodic import run_all

    student, _parent, _shared = give_one_of_everything(world)
    today = timezone.localdate()
    left = today.replace(year=today.year - 6)
    Student.objects.filter(pk=student.pk).update(left_on=left)
    ImportRun.objects.update(created_at=datetime.datetime(left.year, left.month, 1, tzinfo=datetime.UTC))
    first = run_all(only=["retention.purge"])["retention.purge"]
    assert "error" not in first and first["student"] == 1
    assert database_hits() == {} and media_hits() == []
    assert run_all(only=["retention.purge"])["retention.purge"] == {}
    assert verify() == []


def test_avg_3_every_model_holding_a_student_or_a_file_has_a_retention_rule():
    from django.apps import apps
    from django.db import models

    covered = {rule.model.lower() for rule in retention_rules()} | HANDLED_ELSEWHERE
    missing = []
    for model in apps.get_models():
        fields = model._meta.get_fields()
        names_a_student = any(
            getattr(field, "related_model", None) is Student and field.concrete for field in fields
        )
        holds_a_file = any(isinstance(field, models.FileField) for field in fields)
        if (names_a_student or holds_a_file) and model._meta.label_lower not in covered:
            missing.append(model._meta.label_lower)
    assert missing == []
