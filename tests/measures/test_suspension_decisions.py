"""SV-2 through the pages: the director's decision on a national test in the suspension period, and the
parents' view given to the board. Bad input gets a Dutch message and writes nothing."""

import datetime

from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind
from measures.apps import GP_23_GROUNDS
from measures.models import NationalTestDecision, Suspension, SuspensionMode
from measures.services.suspensions import suspend
from protocols.registry import MEASURES
from protocols.services import change_protocol, latest_version

D = datetime.date


def _suspend(w, **kw):
    args = {"actor": w.dirk, "student": w.sanne, "grounds": [GP_23_GROUNDS[0]], "reasons": "Geweld.",
            "start_on": D(2026, 10, 7), "school_days": 1, "mode": SuspensionMode.PROPOSED,
            "catch_up_work": "Rekenen.", "contact_person": w.mentor}  # fmt: skip
    return suspend(**{**args, **kw})


def _with_test(w):
    latest = latest_version(w.school, MEASURES)
    change_protocol(school=w.school, protocol=MEASURES, values={"national_test_dates": ["2026-10-07 doorstroomtoets"]},
                    reason="Toets", actor=w.dirk, based_on=latest.number)  # fmt: skip
    return _suspend(w)


def test_sv_2_director_decides_the_national_test_on_the_page(w):
    suspension = _with_test(w)
    client = w.client_for(w.dirk)
    page = client.get(f"/maatregelen/schorsing/{suspension.pk}/").content.decode()
    assert f"/maatregelen/schorsing/{suspension.pk}/toets/" in page
    response = client.post(f"/maatregelen/schorsing/{suspension.pk}/toets/", {"decision": "material"})
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.test_decision == NationalTestDecision.MATERIAL
    assert AuditEvent.objects.filter(action="measures.suspension.test_decided").count() == 1
    assert (
        DossierEntry.objects.filter(kind=EntryKind.MEASURE, title="Besluit over de landelijke toets").count()
        == 1
    )


def test_sv_2_national_test_bad_choice_refused_and_nothing_written(w):
    suspension = _with_test(w)
    response = w.client_for(w.dirk).post(
        f"/maatregelen/schorsing/{suspension.pk}/toets/", {"decision": "thuis"}
    )
    assert response.status_code == 400 and "Selecteer een geldige keuze" in response.content.decode()
    assert Suspension.objects.get(pk=suspension.pk).test_decision == ""
    assert not AuditEvent.objects.filter(action="measures.suspension.test_decided").exists()


def test_sv_2_no_national_test_in_period_refused_with_dutch_message(w):
    suspension = _suspend(w)
    response = w.client_for(w.dirk).post(
        f"/maatregelen/schorsing/{suspension.pk}/toets/", {"decision": "admit"}
    )
    assert response.status_code == 400
    assert "In deze schorsing valt geen landelijke toets." in response.content.decode()
    assert not AuditEvent.objects.filter(action="measures.suspension.test_decided").exists()


def test_sv_2_only_the_director_decides_the_national_test(w):
    suspension = _with_test(w)
    response = w.client_for(w.carla).post(
        f"/maatregelen/schorsing/{suspension.pk}/toets/", {"decision": "admit"}
    )
    assert response.status_code == 404
    assert Suspension.objects.get(pk=suspension.pk).test_decision == ""


def test_sv_2_parents_view_recorded_on_the_page(w):
    suspension = _suspend(w)
    client = w.client_for(w.dirk)
    url = f"/maatregelen/schorsing/{suspension.pk}/zienswijze/"
    response = client.post(url, {"text": "Wij vinden de schorsing te zwaar."})
    assert response.status_code == 302
    assert (
        "Wij vinden de schorsing te zwaar."
        in client.get(f"/maatregelen/schorsing/{suspension.pk}/").content.decode()
    )
    assert DossierEntry.objects.filter(kind=EntryKind.PARENT_STATEMENT, student=w.sanne).count() == 1
    assert AuditEvent.objects.filter(action="measures.suspension.parents_view").count() == 1


def test_sv_2_empty_parents_view_refused_and_nothing_written(w):
    suspension = _suspend(w)
    response = w.client_for(w.dirk).post(
        f"/maatregelen/schorsing/{suspension.pk}/zienswijze/", {"text": "  "}
    )
    assert response.status_code == 400 and "Dit veld is verplicht." in response.content.decode()
    assert Suspension.objects.get(pk=suspension.pk).parents_view == ""
    assert not DossierEntry.objects.filter(kind=EntryKind.PARENT_STATEMENT).exists()
    assert not AuditEvent.objects.filter(action="measures.suspension.parents_view").exists()
