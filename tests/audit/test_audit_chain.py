"""AVG-4: the audit log is a keyed (HMAC) hash chain per school, anchored by its head and by signed
checkpoints outside the database; identifying fields can be erased (AVG-3) without breaking it."""

import hashlib
import json
import threading

import pytest
from django.db import connection, transaction
from django.test import override_settings

from audit.audit import audit, erase_audit_identities
from audit.chain import checkpoint_dir, pseudonym, verify, write_checkpoint
from audit.models import AuditEvent, AuditHead
from schools.periodic import run_all
from tests import factories as f


def _events(world, n=5, school=None):
    return [
        audit(
            actor=world.carla.user, action="dossier.viewed", student=world.sanne, school=school, data={"n": i}
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_avg_4_deleting_the_newest_rows_is_noticed(world):
    _events(world, 5, school=world.school)
    assert verify() == []
    newest = AuditEvent.objects.filter(chain=world.school.pk).order_by("-seq")[:2]
    AuditEvent.objects.filter(pk__in=[e.pk for e in newest]).delete()
    problems = verify()
    assert problems and problems[0].chain == world.school.pk and "kop" in problems[0].reason


@pytest.mark.django_db
def test_avg_4_truncation_behind_a_rewritten_head_is_noticed_by_the_checkpoint(world):
    _events(world, 5, school=world.school)
    assert run_all(only=["audit.checkpoint"])["audit.checkpoint"] == {"written": 1}
    assert run_all(only=["audit.checkpoint"])["audit.checkpoint"] == {"written": 0}  # idempotent
    survivors = AuditEvent.objects.filter(chain=world.school.pk).order_by("seq")
    last_kept = survivors[2]
    survivors.filter(seq__gt=last_kept.seq).delete()
    AuditHead.objects.filter(chain=world.school.pk).update(last_seq=last_kept.seq, last_hash=last_kept.hash)
    problems = verify()
    assert problems and "controlepunt" in problems[0].reason


@pytest.mark.django_db
def test_avg_4_a_forged_checkpoint_is_noticed(world):
    _events(world, 2, school=world.school)
    path = write_checkpoint()
    content = json.loads(path.read_text())
    content["chains"][str(world.school.pk)][0] = 1
    path.write_text(json.dumps(content))
    assert any("handtekening" in p.reason for p in verify())
    assert list(checkpoint_dir().glob("checkpoint-*.json")) == [path]


def _recompute_without_the_key(chain: int) -> None:
    """What someone with database access but without AUDIT_HMAC_KEY can do: rewrite and rehash."""
    with override_settings(AUDIT_HMAC_KEY="a guess of the key"):
        from audit.chain import seal

        prev = "0" * 64
        for event in AuditEvent.objects.filter(chain=chain).order_by("seq"):
            event.prev_hash = prev
            seal(event)
            # and the old, unkeyed SHA-256 for good measure
            event.hash = hashlib.sha256((event.hash + "x").encode()).hexdigest()
            event.save()
            prev = event.hash
        AuditHead.objects.filter(chain=chain).update(last_hash=prev)


@pytest.mark.django_db
def test_avg_4_rewriting_a_row_and_recomputing_later_hashes_is_noticed(world):
    _events(world, 4, school=world.school)
    target = AuditEvent.objects.get(chain=world.school.pk, seq=2)
    AuditEvent.objects.filter(pk=target.pk).update(data={"n": 99}, actor_label="iemand-anders@beekdal.test")
    _recompute_without_the_key(world.school.pk)
    problems = verify()
    assert problems and problems[0].chain == world.school.pk and problems[0].seq == 1


@pytest.mark.django_db
def test_avg_4_each_school_has_its_own_chain(world):
    first = audit(actor=world.carla.user, action="dossier.viewed", school=world.school, student=world.sanne)
    other = audit(actor=world.zeno.user, action="dossier.viewed", school=world.other_school)
    failed = audit(actor=None, action="auth.login_failed", data={"email": "x@y.test"})
    assert {first.chain, other.chain, failed.chain} == {world.school.pk, world.other_school.pk, 0}
    assert AuditHead.objects.filter(chain__in=[world.school.pk, world.other_school.pk, 0]).count() == 3
    assert other.prev_hash != first.hash and failed.prev_hash != other.hash
    assert verify() == []


@pytest.mark.django_db
def test_avg_4_erasing_a_subject_keeps_the_chain_and_the_pseudonym(world):
    rows = _events(world, 3, school=world.school)
    audit(actor=world.teacher.user, action="schools.student.viewed", obj=world.sanne, address="10.1.2.3")
    subject = pseudonym("student_id", world.sanne.pk)
    assert erase_audit_identities(student_ids=[world.sanne.pk]) >= 4
    assert verify() == []
    assert not AuditEvent.objects.filter(student_id=world.sanne.pk).exists()
    erased = AuditEvent.objects.get(pk=rows[1].pk)
    assert erased.student_id is None and erased.data == {} and erased.pseudonyms["student_id"] == subject
    assert not AuditEvent.objects.filter(
        object_type="schools.student", object_id=str(world.sanne.pk)
    ).exists()
    # Moving a row to another student is still noticed.
    AuditEvent.objects.filter(pk=rows[2].pk).update(student_id=world.daan.pk)
    assert verify()[0].reason == "veld student_id gewijzigd"


@pytest.mark.django_db(transaction=True)
def test_avg_4_audit_writes_of_two_schools_do_not_wait_for_each_other():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database; PostgreSQL locks rows")
    school_a, school_b = f.SchoolFactory(), f.SchoolFactory()
    audit(actor=None, action="schools.settings.changed", school=school_a)
    audit(actor=None, action="schools.settings.changed", school=school_b)
    a_holds_lock, b_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer_a():
        try:
            with transaction.atomic():
                audit(actor=None, action="schools.settings.changed", school=school_a)
                a_holds_lock.set()
                b_done.wait(timeout=30)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            a_holds_lock.set()
            connection.close()

    def writer_b():
        try:
            a_holds_lock.wait(timeout=30)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                audit(actor=None, action="schools.settings.changed", school=school_b)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            b_done.set()
            connection.close()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditHead.objects.get(chain=school_a.pk).last_seq == 2
    assert AuditHead.objects.get(chain=school_b.pk).last_seq == 2
    assert verify() == []
