"""Issue 10, "what must show": one student walked through het gedragsprotocol in Chromium, page by page.

Sanne gets a first warning, a second, a small sanction and the three out-of-class stages (host class
and work recorded); the director and the behaviour specialist consent to step 2 (GP-7); the step-2
plan is signed; step 3 has its week with a progress talk; step 4 is a placement in another group,
started after three signatures. Every message to the parents is delivered by the real worker to a
real SMTP sink and checked: recipients, copies (GP-4 stage 1: teacher, director and ib-er; stage 3:
the director in cc and named in the text). The clock moves forward (time-machine) where the protocol
waits two months or six weeks. Screenshots go to var/test-artefacts/ladder-walk/.
"""

import datetime
from contextlib import ExitStack
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from behaviour.models import BehaviourCase, Step
from behaviour.models_incidents import LadderMeasure
from behaviour.models_plans import BehaviourPlan, Placement, PlacementState, Step3Plan
from behaviour.settings import SEED_CATEGORIES
from signatures.models import Signature
from tests.browser.conftest import log_in
from tests.messaging.test_outbox import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/test-artefacts/ladder-walk")


class Walk:
    """One Chromium context per person; the clock of the server moves only forward."""

    def __init__(self, browser, live_server, world, smtp, clock: ExitStack):
        self.browser, self.url, self.world, self.smtp, self.clock = (
            browser,
            live_server.url,
            world,
            smtp,
            clock,
        )
        self.pages: dict[str, object] = {}
        self.seen = 0  # e-mails already checked
        SHOTS.mkdir(parents=True, exist_ok=True)
        clock.callback(self.close)

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        self.pages.clear()

    def travel(self, when: datetime.datetime) -> None:
        self.clock.enter_context(time_machine.travel(when, tick=True))
        self.close()  # sessions older than the jump have expired on the server

    def as_(self, staff):
        if staff.email not in self.pages:
            context = self.browser.new_context(base_url=self.url, locale="nl-NL")
            page = context.new_page()
            page.set_default_timeout(30_000)  # a shared, busy machine
            log_in(page, staff.email)
            expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
            self.pages[staff.email] = page
        return self.pages[staff.email]

    def shot(self, page, name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def delivered_to_parent(self) -> list:
        """Deliver what is queued; the new e-mails to Sanne's parent (each checked by the caller)."""
        run_worker()
        new = self.smtp.handler.received[self.seen :]
        self.seen = len(self.smtp.handler.received)
        return [m for m in new if self.world.parent_sanne.email in m["To"]]


def _cc(message) -> set[str]:
    return {a.strip() for a in (message["Cc"] or "").split(",") if a.strip()}


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _next_monday_nine(days_ahead: int = 7) -> datetime.datetime:
    """A school-day morning after today: the clock only ever moves forward from the real date."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    day += datetime.timedelta(days=(7 - day.weekday()) % 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _incident(walk, teacher, facts):
    page = walk.as_(teacher)
    page.goto(f"/gedrag/incident/nieuw/?leerling={walk.world.sanne.pk}")
    page.select_option("#id_categorie", SEED_CATEGORIES[0])
    page.fill("#id_feiten", facts)
    page.fill("#id_actie", "Apart genomen en het gewenste gedrag benoemd.")
    page.check("#id_besproken")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het incident is vastgelegd.")).to_be_visible()
    return page


def _confirm(page, expected: str, host=None, work=""):
    expect(page.locator("dd strong")).to_contain_text(expected)  # the proposal
    if host is not None:
        page.get_by_label("Opgevangen in klas").select_option(str(host.pk))
        page.get_by_label("Meegegeven werk").fill(work)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("De maatregel is vastgelegd.")).to_be_visible()


def _consent(walk, staff, student_name):
    page = walk.as_(staff)
    page.goto("/")
    page.get_by_role("link", name=f"{student_name} naar stap 2 (GP-7)").click()
    page.get_by_label("Besluit").select_option("ja")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Je besluit is vastgelegd.")).to_be_visible()


def _sign_on_screen(page, signer: str):
    page.get_by_label("Wie tekent").select_option(signer)  # "guardian:<pk>", "student:<pk>", "staff:<pk>"
    page.get_by_label("akkoord").check()
    page.get_by_role("button", name="Handtekening vastleggen").click()
    expect(page.get_by_text("De handtekening is vastgelegd.")).to_be_visible()


def test_issue_10_one_student_walks_the_ladder_from_a_warning_to_a_placement(
    browser, live_server, world, smtp
):
    sanne, parent = world.sanne, world.parent_sanne
    with ExitStack() as clock:
        walk = Walk(browser, live_server, world, smtp, clock)
        walk.travel(_next_monday_nine())

        # Step 1 (GP-3): two warnings and a small sanction, each after an incident registered by the teacher.
        for n, expected in enumerate(["eerste waarschuwing", "2e waarschuwing", "kleine sanctie"]):
            page = _incident(walk, world.teacher, f"Riep door de les heen ({n + 1}e keer vandaag).")
            _confirm(page, expected)
        assert list(LadderMeasure.objects.order_by("pk").values_list("code", flat=True)) == [
            "warning_1", "warning_2", "small_sanction_1"
        ]  # fmt: skip
        assert walk.delivered_to_parent() == []  # warnings and small sanctions: no letter home

        # GP-4: three stages out of class, each with the host class, the work, and a message home.
        stages = []
        for n, (expected, work) in enumerate(
            [("stap 1", "Wiskunde blz. 12"), ("stap 2", "Taal blz. 30"), ("stap 3", "Aardrijkskunde H2")],
            start=1,
        ):
            page = _incident(walk, world.teacher, f"Gooide een schrift door de klas (stage {n}).")
            _confirm(page, f"buiten de klas, {expected}", host=world.group_3c, work=work)
            expect(page.get_by_role("cell", name=f"3C: {work}")).to_be_visible()
            walk.shot(page, f"1-stage-{n}")
            (message,) = walk.delivered_to_parent()
            assert message["To"] == parent.email and work in _body(message) and "3C" in _body(message)
            stages.append(message)
        assert _cc(stages[0]) == {world.teacher.email, world.dirk.email, world.carla.email}  # GP-4 stage 1
        assert _cc(stages[1]) == set()
        assert _cc(stages[2]) == {world.dirk.email}  # GP-4 stage 3: the director in cc …
        assert world.dirk.full_name in _body(stages[2])  # … and named in the message

        # GP-7: past the last stage, step 2 waits for the director and the behaviour specialist.
        page = walk.as_(world.teacher)
        page.goto(f"/gedrag/leerling/{sanne.pk}/")
        page.get_by_label("Waarom stap 2").select_option("GP-7")
        page.get_by_label("Toelichting").fill("Na drie keer buiten de klas gaat het storen in de les door.")
        page.get_by_role("button", name="Instemming vragen").click()
        expect(
            page.get_by_text("De directeur en de gedragsspecialist zijn om instemming gevraagd.")
        ).to_be_visible()
        _consent(walk, world.dirk, sanne.full_name)
        assert BehaviourCase.objects.get(student=sanne).step == Step.INCIDENT  # one consent is not enough
        _consent(walk, world.bea, sanne.full_name)
        assert BehaviourCase.objects.get(student=sanne).step == Step.PERIODIC

        # Step 2 (GP-8): the talk and the plan, signed by the parent on the school's screen.
        page = walk.as_(world.teacher)
        page.goto(f"/gedrag/leerling/{sanne.pk}/")
        page.get_by_role("link", name="Gesprekken en plannen (stap 2–4)").click()
        page.get_by_role("link", name="Gesprek en plan vastleggen").click()
        page.get_by_label("Gewenst gedrag").fill("Sanne steekt haar vinger op en wacht op haar beurt.")
        page.get_by_label("Beloning").fill("Een compliment en een sticker per goede dag.")
        page.get_by_label("Leerkracht die terugkoppelt").select_option(str(world.teacher.pk))
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_text("Nog niet getekend door:")).to_be_visible()
        page.get_by_role("link", name="Laten tekenen op het scherm").click()
        _sign_on_screen(page, f"guardian:{parent.pk}")
        page.goto(f"/gedrag/stappen/leerling/{sanne.pk}/")
        expect(page.get_by_text("Het plan is ondertekend.")).to_be_visible()
        walk.shot(page, "2-plan-signed")
        plan = BehaviourPlan.objects.get()
        assert Signature.objects.get(version__document=plan.document).guardian == parent
        (request,) = walk.delivered_to_parent()  # GP-8: the parents are asked to sign the plan
        assert request["To"] == parent.email and "Gedragsplan (stap 2)" in request["Subject"]

        # GP-10, GP-12: two months later the plan did not work: step 3, with the director and the ib-er.
        walk.travel(timezone.make_aware(datetime.datetime.combine(plan.evaluation_due, datetime.time(9))))
        page = walk.as_(world.teacher)
        page.goto(f"/gedrag/stappen/leerling/{sanne.pk}/")
        page.get_by_role("link", name="Eindevaluatie").click()
        page.get_by_role("radio", name="nee").check()
        page.get_by_label("Uitkomst van de evaluatie").fill("Het storen is niet minder geworden.")
        page.get_by_label("Besloten met de directeur (GP-12)").select_option(str(world.dirk.pk))
        page.get_by_label("en de intern begeleider (GP-12)").select_option(str(world.carla.pk))
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_role("heading", name="Stap 3 — structureel")).to_be_visible()

        # Step 3 (GP-13): the directie invites the parents by letter, the talk, a week, a progress talk.
        page = walk.as_(world.dirk)
        page.goto(f"/gedrag/stappen/leerling/{sanne.pk}/")
        page.get_by_role("button", name="Ouders uitnodigen (GP-13)").click()
        expect(page.get_by_text("De uitnodiging is verstuurd.")).to_be_visible()
        (invitation,) = walk.delivered_to_parent()
        assert invitation["To"] == parent.email
        page.get_by_role("link", name="Gesprek vastleggen").click()
        page.get_by_label("Afspraken over gewenst gedrag").fill("Sanne blijft bij onenigheid op haar plek.")
        page.get_by_label("Maatregel bij grensoverschrijdend gedrag").fill("Sanne werkt dat uur apart.")
        page.get_by_label("Voortgangsgesprekken door").select_option(str(world.bea.pk))
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_text("De afspraken van stap 3 zijn vastgelegd.")).to_be_visible()
        step3 = Step3Plan.objects.get()

        walk.travel(timezone.now() + datetime.timedelta(days=7))  # GP-15: a week later
        page = walk.as_(world.bea)
        page.goto(f"/gedrag/stappen/leerling/{sanne.pk}/")
        page.get_by_role("link", name="Voortgangsgesprek").click()
        page.get_by_label("Wat kwam eruit?").fill("Sanne bleef drie keer rustig op haar plek.")
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_text("Het voortgangsgesprek staat in het dossier.")).to_be_visible()
        walk.shot(page, "3-progress-talk")

        walk.travel(timezone.make_aware(datetime.datetime.combine(step3.evaluation_due, datetime.time(9))))
        page = walk.as_(world.bea)
        page.goto(f"/gedrag/stappen/leerling/{sanne.pk}/")
        page.get_by_role("link", name="Evaluatie", exact=True).click()
        page.get_by_role("radio", name="eindevaluatie").check()
        page.get_by_role("radio", name="nee").check()
        page.get_by_label("Uitkomst van de evaluatie").fill("De afspraken werken niet voldoende.")
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_role("heading", name="Stap 4 — een week in een andere groep")).to_be_visible()

        # Step 4 (GP-20, GP-21): the invitation, a step plan for another group, three signatures, the start.
        page = walk.as_(world.dirk)
        page.goto(f"/gedrag/stappen/leerling/{sanne.pk}/")
        page.get_by_role("button", name="Ouders uitnodigen (GP-20)").click()
        expect(page.get_by_text("De uitnodiging is verstuurd.")).to_be_visible()
        (invitation,) = walk.delivered_to_parent()
        assert invitation["To"] == parent.email
        page.get_by_role("link", name="Stappenplan maken").click()
        page.get_by_label("Gastgroep").select_option(str(world.group_2b.pk))  # her own group: refused
        page.get_by_label("Afspraken in het stappenplan").fill("Sanne houdt zich aan de regels van 3C.")
        page.get_by_label("Werk (de eigen leerkracht blijft verantwoordelijk)").fill("Wiskunde hoofdstuk 4.")
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_text("niet naar de eigen groep")).to_be_visible()
        assert not Placement.objects.exists()
        page.get_by_label("Gastgroep").select_option(str(world.group_3c.pk))
        page.get_by_role("button", name="Vastleggen").click()
        expect(page.get_by_text("Nog niet getekend door:")).to_be_visible()
        page.get_by_role("link", name="Laten tekenen op het scherm").click()
        _sign_on_screen(page, f"staff:{world.dirk.pk}")
        _sign_on_screen(page, f"guardian:{parent.pk}")
        _sign_on_screen(page, f"student:{sanne.pk}")
        page.goto(f"/gedrag/stappen/leerling/{sanne.pk}/")
        page.get_by_role("button", name="Plaatsing laten beginnen (GP-21)").click()
        expect(page.get_by_text("De week in de andere groep is begonnen.")).to_be_visible()
        walk.shot(page, "4-placement-running")
        placement = Placement.objects.get()
        assert placement.state == PlacementState.RUNNING
        assert placement.host_group == world.group_3c != placement.own_group
        assert Signature.objects.filter(version__document=placement.document).count() == 3
