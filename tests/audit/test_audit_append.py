"""AVG-4 and issue #13: the events of one transaction move their chain's head without reading it again
(one compare-and-set UPDATE and the INSERT, no savepoint), and the chain stays whole whatever happens
between them: a savepoint rolled back, a transaction rolled back, a second writer of the same school."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.audit import audit
from audit.chain import verify
from audit.models import AuditEvent, AuditHead
from tests import factories as f
from tests.concurrency import at_once


def _view(world, n: int):
    return audit(actor=world.carla.user, action="dossier.viewed", student=world.sanne, school=world.school,
                 data={"n": n})  # fmt: skip


def _seqs(chain: int) -> list[int]:
    return list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))


@pytest.mark.django_db
def test_avg_4_later_events_of_a_transaction_move_the_head_in_two_statements(world):
    _view(world, 0)  # the head this transaction wrote last is now known
    with CaptureQueriesContext(connection) as ctx:
        events = [_view(world, n) for n in range(1, 4)]
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == 6, sql  # per event: the head's UPDATE and the event's INSERT
    assert not [s for s in sql if "SAVEPOINT" in s or s.startswith("SELECT")], sql
    assert [e.seq for e in events] == [events[0].seq, events[0].seq + 1, events[0].seq + 2]
    head = AuditHead.objects.get(chain=world.school.pk)
    assert (head.last_seq, head.last_hash) == (events[-1].seq, events[-1].hash)
    assert verify() == []


@pytest.mark.django_db
def test_avg_4_an_event_in_a_rolled_back_savepoint_leaves_no_gap(world):
    first = _view(world, 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        _view(world, 1)  # moves the head inside the savepoint
        raise RuntimeError("the caller's write fails")
    after = _view(world, 2)
    assert after.seq == first.seq + 1 and after.prev_hash == first.hash
    assert _seqs(world.school.pk) == list(range(1, after.seq + 1))
    assert verify() == []


@pytest.mark.django_db(transaction=True)
def test_avg_4_after_a_rolled_back_transaction_the_next_event_takes_the_free_place():
    school = f.SchoolFactory()
    kept = audit(actor=None, action="schools.settings.changed", school=school)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit(actor=None, action="schools.settings.changed", school=school)
        audit(actor=None, action="schools.settings.changed", school=school)
        raise RuntimeError("rolled back")
    with transaction.atomic():
        again = audit(actor=None, action="schools.settings.changed", school=school)
        last = audit(actor=None, action="schools.settings.changed", school=school)
    assert (again.seq, again.prev_hash) == (kept.seq + 1, kept.hash)
    assert (last.seq, last.prev_hash) == (again.seq + 1, again.hash)
    assert _seqs(school.pk) == [1, 2, 3]
    assert verify() == []


@pytest.mark.django_db(transaction=True)
def test_avg_4_two_writers_of_one_school_append_in_turn():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; PostgreSQL's row lock on the head is what is tested")
    school = f.SchoolFactory()
    audit(actor=None, action="schools.settings.changed", school=school)

    def writer():
        for _round in range(5):
            with transaction.atomic():
                for _event in range(3):
                    audit(actor=None, action="schools.settings.changed", school=school)

    at_once([writer, writer, writer])
    assert _seqs(school.pk) == list(range(1, 1 + 1 + 3 * 5 * 3))
    assert AuditHead.objects.get(chain=school.pk).last_seq == 46
    assert verify() == []
