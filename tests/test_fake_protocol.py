"""A fake protocol (tests/fakeprotocol, installed in the test settings only) registers one of each
registry from its AppConfig.ready() and never edits another app; each mechanism shows it
(issue 9 §3, ARCHITECTURE: registries, not fixed lists)."""

import pytest
from django.core.management import call_command

from audit.labels import action_label
from audit.models import AuditEvent
from dossier.entry_kinds import entry_kind_choices, kind_label
from dossier.models import DossierEntry
from dossier.models.retention import retention_kinds
from dossier.services.record import record
from messaging.services.messages import send_letter
from schools.matrix import registered_matrix_rows
from schools.periodic import registered_jobs
from tests.fakeprotocol import jobs
from tests.fakeprotocol.apps import KIND, LETTER, VIEWED

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_case(world):
    return record(student=world.sanne, kind=KIND, title="Nepzaak Sanne", actor=world.carla)


def test_fake_entry_kind_shows_on_the_timeline_with_label_icon_and_link(world, fake_case):
    body = world.client_for(world.carla).get(f"/dossier/leerling/{world.sanne.pk}/").text
    assert "nepzaak" in body and "🧪" in body
    assert f'href="/nep-protocol/zaak/{fake_case.pk}/"' in body
    # The link leads to the protocol's page, which audits the read with its registered label (AVG-4).
    assert world.client_for(world.carla).get(f"/nep-protocol/zaak/{fake_case.pk}/").status_code == 200
    event = AuditEvent.objects.filter(action=VIEWED).get()
    assert action_label(event.action) == "nepzaak bekeken"


def test_fake_entry_kind_is_a_timeline_filter_and_has_an_avg_3_retention_period(world, fake_case):
    assert KIND in dict(entry_kind_choices())
    assert KIND in dict(retention_kinds())  # AVG-3: the school can set its period like any kind
    body = world.client_for(world.carla).get(f"/dossier/leerling/{world.sanne.pk}/?soort={KIND}").text
    assert "Nepzaak Sanne" in body


def test_fake_periodic_job_runs_in_run_periodic_and_is_idempotent(world, fake_case, capsys):
    assert "fakeprotocol.tick" in {job.name for job in registered_jobs()}
    jobs.RUNS.clear()
    call_command("run_periodic", only=["fakeprotocol.tick"])
    call_command("run_periodic", only=["fakeprotocol.tick"])
    out = capsys.readouterr().out
    assert "fakeprotocol.tick: {'cases': 1}" in out
    assert jobs.RUNS == [1, 1]  # the second run found the same and changed nothing
    call_command("run_periodic", list=True)
    assert "fakeprotocol.tick: every 1 day" in capsys.readouterr().out


def test_fake_home_provider_shows_a_section_of_mijn_acties(world, fake_case):
    body = world.client_for(world.carla).get("/").text
    assert "Nep-protocol: open zaken" in body and "Nepzaak Sanne" in body
    # The mechanisms' own sections still show, in their order.
    assert body.index("Mijn termijnen") < body.index("Nep-protocol: open zaken")


def test_fake_matrix_rows_are_in_the_authorization_matrix():
    from tests import test_authorization_matrix as matrix

    rows = {r.app: r for r in registered_matrix_rows()}
    assert "/nep-protocol/zaak/{fake_case}/" in rows["fakeprotocol"].pages
    assert "/nep-protocol/zaak/{fake_case}/" in matrix.PAGES


def test_fake_benchmark_is_run_by_make_bench():
    from bench.run import benchmark_modules

    modules = benchmark_modules()
    assert modules[:3] == ["bench.students", "bench.dossier", "bench.imports"]
    assert "tests.fakeprotocol.bench" in modules


def test_fake_labels_follow_the_language():
    from django.utils import translation

    with translation.override("en"):
        assert kind_label(KIND) == "fake case"
    assert kind_label(KIND) == "nepzaak"


def test_avg_3_fake_entry_kind_is_purged_after_its_period_and_the_school_may_set_it(world):
    import datetime

    from dossier.services.retention import purge_school, retention_years, set_retention_period
    from tests import factories as f

    assert retention_years(world.school)[KIND] == 2  # no default of its own: the care file's (AVG-3)
    left = f.StudentFactory(school=world.school, first_name="Oud", left_on=datetime.date(2024, 1, 1))
    recent = f.StudentFactory(school=world.school, first_name="Recent", left_on=datetime.date(2025, 6, 1))
    for student in (left, recent):
        record(student=student, kind=KIND, title="Nepzaak")
    purge_school(world.school, today=datetime.date(2026, 11, 23))
    assert not DossierEntry.objects.filter(student=left).exists()
    assert DossierEntry.objects.filter(student=recent, kind=KIND).exists()
    set_retention_period(actor=world.fiona.user, school=world.school, kind=KIND, years=1, reason="Beleid")
    purge_school(world.school, today=datetime.date(2026, 11, 23))
    assert not DossierEntry.objects.filter(student=recent).exists()


def test_fake_letter_template_is_on_the_letters_page_and_sends(world):
    page = world.client_for(world.fiona).get("/dossier/brieven/").text
    assert "Brief nepprotocol" in page and "GP-99" in page
    letter = send_letter(actor=world.carla, student=world.sanne, template_code=LETTER)
    assert "nepzaak geopend voor Sanne" in letter.body
    assert letter.messages.get().addresses("cc") == [world.bea.email]


def test_bench_only_runs_the_named_apps_modules(monkeypatch):
    from bench.run import benchmark_modules

    monkeypatch.setenv("BENCH_ONLY", "tests, bench.dossier")
    assert benchmark_modules() == ["bench.dossier", "tests.fakeprotocol.bench"]
