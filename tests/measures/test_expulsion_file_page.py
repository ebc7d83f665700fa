"""Issue #13: the director's expulsion file page (SV-4) in at most 12 queries, the same however long
the procedure: the case is read with its objections, contacted schools, deadlines, the student's
time-outs and suspensions and whether a guardian signed each hearing report (measures.selectors
.expulsion_file_cases); then the letters, the messages and the file entries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deadlines.models import Deadline
from measures.models import Objection
from measures.services.expulsions import add_school_contact, record_hearing
from measures.services.timeouts import impose_time_out
from signatures.models import Decision, SignMethod
from signatures.services.signatures import sign_document
from tests.perf.test_query_counts import MAX_QUERIES, statements

from .conftest import on
from .test_pages import _case

D = datetime.date


def _page(w, case) -> tuple[int, str]:
    client = w.client_for(w.dirk)
    url = f"/maatregelen/verwijdering/{case.pk}/"
    client.get(url)  # warm the session and the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return statements(ctx.captured_queries), response.content.decode()


def _more(w, case, n: int) -> None:
    """A longer procedure: time-outs, contacted schools, objections, a signed hearing report."""
    for i in range(n):
        impose_time_out(actor=w.mentor, student=w.sanne, incident=f"Incident {i}.")
        add_school_contact(actor=w.dirk, case=case, school_name=f"School {i}", contacted_on=D(2026, 10, 6),
                           answer="Vol.")  # fmt: skip
        Objection.objects.create(case=case, received_on=D(2026, 10, 6), text="Bezwaar.", late=bool(i % 2))
    doc = record_hearing(actor=w.dirk, case=case, who="parents", report="Verslag.")
    sign_document(version=doc.current_version, signer=w.parent_sanne, decision=Decision.SEEN,
                  method=SignMethod.STAFF_SCREEN, actor=w.dirk)  # fmt: skip
    record_hearing(actor=w.dirk, case=case, who="teachers", report="Verslag zonder handtekening.")
    for i in range(n):
        Deadline.objects.create(school=w.school, owner=w.dirk, student=w.sanne, title=f"Termijn {n - i}",
                                rule="LAW-4", due_on=D(2026, 11, 1 + i), source=case)  # fmt: skip


def test_issue_13_expulsion_file_page_at_most_12_queries_constant_in_the_procedure(w):
    with on(D(2026, 10, 6)):
        case = _case(w)
        small, _ = _page(w, case)
        _more(w, case, 4)
        grown, _ = _page(w, case)
    assert small == grown <= MAX_QUERIES


def test_issue_13_expulsion_file_page_shows_what_was_read_with_the_case(w):
    with on(D(2026, 10, 6)):
        case = _case(w)
        _more(w, case, 2)
        _, page = _page(w, case)
    assert "6 oktober 2026 — School 0: Vol.</li><li>6 oktober 2026 — School 1: Vol.</li>" in page
    assert "<li>6 oktober 2026</li><li>6 oktober 2026 — <strong>te laat ingediend</strong></li>" in page
    assert "Ouders informeren over de time-out" not in page  # a deadline of the time-out, not of the case
    assert '<td data-label="Wat">Termijn 2</td><td data-label="Uiterlijk">1 november 2026</td>' in page
    assert page.index("Termijn 2") < page.index("Termijn 1")  # soonest first
    assert (
        page.count("Time-out 06-10-2026") == 3 and "Schorsing 06-10-2026 – 07-10-2026 (2 schooldagen)" in page
    )
    # SV-3: the parents' report is signed by a guardian, the teachers' report is not.
    assert "✔ Ouders gehoord, verslag door ouders ondertekend" in page
    assert "✘ Leraar/leraren gehoord, verslag door ouders ondertekend" in page
    assert "✔ Eerdere maatregelen staan in het dossier" in page


@pytest.mark.parametrize("signed", [True, False])
def test_sv_3_file_checklist_equals_the_checklist_read_apart(w, signed):
    """The checklist from the rows read with the case is the one the services compute on their own."""
    from measures.director_file import director_file
    from measures.models import ExpulsionCase
    from measures.services.expulsions import checklist

    with on(D(2026, 10, 6)):
        case = _case(w)
        for who in ("teachers", "parents", "student"):
            doc = record_hearing(actor=w.dirk, case=case, who=who, report="Verslag.")
            if signed:
                sign_document(version=doc.current_version, signer=w.parent_sanne, decision=Decision.AGREED,
                              method=SignMethod.STAFF_SCREEN, actor=w.dirk)  # fmt: skip
        add_school_contact(actor=w.dirk, case=case, school_name="Het Baken", contacted_on=D(2026, 10, 6))
        plain = ExpulsionCase.objects.get(pk=case.pk)
        assert director_file(plain).checklist == checklist(plain)
