"""One whole review cycle in Chromium, with a real log-in for every role (issue 12, "What must show"),
once for a vo class (the afdelingsleider plans, approves leave) and once for a po group (the ib-er
plans, the director approves leave): planning, the lists out, two teachers fill
in, one asks for leave (approved) and hands in written input, reminders in the real SMTP sink, the
discussion list, the meeting with a label flagged and a vague goal refused, agreements, closing, the
recap (home page and e-mail), the follow-up (the mentor's talk, the parents' feedback) and the
evaluation reported back. Screenshots land in var/test-artefacts/review-cycle-<kind>/.

The clock is not moved: the meeting is planned eight days ahead on a weekday, so the lists' day out
has passed (the organiser sends them at once), they are due on the next school day (the periodic
job's reminder is due) and the discussion list and the meeting come after."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from deadlines.models import Deadline, DeadlineState
from reviews.models import Agreement, MeetingState, ReviewMeeting
from reviews.models_cycle import LeaveState, SignalAssignment, WrittenInput
from reviews.models_meeting import FollowUp
from schools.models import Role
from tests import factories as f
from tests.messaging.test_outbox import run_worker

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path("var/test-artefacts")
SLOW = 20_000  # ms; waits end as soon as the page shows the step, this is only the ceiling
SE = 2  # the index of "sociaal-emotioneel" on the default signal list


@dataclass
class Cast:
    kind: str
    organiser: object  # plans (vo: afdelingsleider, po: ib-er)
    approver: object  # decides leave (vo: afdelingsleider, po: director)
    mentor: object
    chair: object
    minute_taker: object
    filler: object  # fills in the whole list
    leaver: object  # fills in part, is reminded, asks for leave
    group: object
    student: object


def _staff(school, email, first, last):
    return f.StaffFactory(school=school, user=f.UserFactory(email=email), first_name=first, last_name=last)


def vo_cast(world) -> Cast:
    eva = _staff(world.school, "eva@beekdal.test", "Eva", "Engels")
    f.teach(eva, world.group_2b, "Engels")
    return Cast("vo", world.anouk, world.anouk, world.mentor, world.carla, world.bea, world.teacher, eva,
                world.group_2b, world.sanne)  # fmt: skip


def po_cast(world) -> Cast:
    po, group = world.other_school, world.otto.memberships.get().group
    ina = _staff(po, "ina@andere.test", "Ina", "Intern")
    f.give_role(ina, Role.CARE_COORDINATOR)
    gijs = _staff(po, "gijs@andere.test", "Gijs", "Groepsleerkracht")
    group.mentors.add(gijs)
    f.teach(gijs, group, "")
    vera = _staff(po, "vera@andere.test", "Vera", "Gymleerkracht")
    f.teach(vera, group, "Gym")
    nora = _staff(po, "nora@andere.test", "Nora", "Notulist")
    return Cast("po", ina, world.zeno, gijs, ina, nora, gijs, vera, group, world.otto)


def _meeting_day() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day + datetime.timedelta(weeks=1)  # due one week before: the next school day


class Walk:
    def __init__(self, page, smtp, cast: Cast):
        self.page, self.smtp, self.cast = page, smtp, cast
        page.set_default_navigation_timeout(30_000)  # closing renders a PDF per student (WeasyPrint)
        page.set_default_timeout(SLOW)  # CI runs on 2 shared cores: a step may wait on a slow save
        self.folder = ARTEFACTS / f"review-cycle-{cast.kind}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shots = 0

    def as_(self, staff) -> None:
        self.page.context.clear_cookies()
        log_in(self.page, staff.user.email)
        expect(self.page.get_by_role("heading", level=1)).to_be_visible(timeout=SLOW)

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(self.folder / f"{self.shots:02d}-{name}.png"), full_page=True)

    def home_link(self, text: str) -> None:
        self.page.goto("/")
        self.page.get_by_role("link", name=text).first.click()
        self.page.wait_for_load_state()  # the page's scripts (htmx) are bound before the first answer

    def mails(self, to: str, subject: str) -> list:
        run_worker()
        return [
            m
            for m in self.smtp.handler.received
            if to in str(m["To"]) and str(m["Subject"]).startswith(subject)
        ]


def plan_the_meeting(walk: Walk) -> ReviewMeeting:
    c, page = walk.cast, walk.page
    walk.as_(c.organiser)
    walk.home_link("Leerlingbesprekingen plannen")
    page.get_by_role("button", name="Ronde plannen").click()
    expect(page.get_by_text("De ronde is gepland.")).to_be_visible(timeout=SLOW)
    page.get_by_role("link", name="Bespreking plannen").click()
    page.get_by_label("groep / klas").select_option(label=c.group.name)
    page.get_by_label("datum").fill(_meeting_day().isoformat())
    page.get_by_label("tijd").fill("15:00")
    page.get_by_label("plaats").fill("lokaal 12")
    page.get_by_label("gespreksleider").select_option(label=c.mentor.full_name)
    page.get_by_label("voorzitter").select_option(label=c.chair.full_name)
    page.get_by_label("notulist").select_option(label=c.minute_taker.full_name)
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_text("De bespreking is gepland; de termijnen staan klaar.")).to_be_visible(
        timeout=SLOW
    )
    walk.shot("planned")
    meeting = ReviewMeeting.objects.get(group=c.group)
    assert timezone.localtime(meeting.starts_at).hour == 15 and meeting.minute_taker == c.minute_taker
    return meeting


def lists_out(walk: Walk, meeting: ReviewMeeting) -> None:
    # The lists' day out has passed: the organiser sends them now from the meeting's page (else the
    # periodic job would, tests/reviews/test_signals.py); the reminders below come from the job.
    walk.page.get_by_role("button", name="Signaleringslijsten nu uitzetten").click()
    expect(walk.page.get_by_text("De signaleringslijsten zijn uitgezet.")).to_be_visible(timeout=SLOW)
    assert {a.teacher for a in SignalAssignment.objects.filter(round__meeting=meeting)} >= {
        walk.cast.filler,
        walk.cast.leaver,
    }
    for teacher in (walk.cast.filler, walk.cast.leaver):
        assert walk.mails(teacher.email, f"Signaleringslijst {walk.cast.group.name} staat klaar"), teacher


def fill_in(walk: Walk, *, whole: bool) -> None:
    c, page = walk.cast, walk.page
    walk.as_(c.filler if whole else c.leaver)
    walk.home_link(f"{c.group.name}: 0/")
    cells = page.locator("select[id^='a-']")
    total = cells.count()
    if whole:
        for n in range(total):  # at a teacher's pace: each answer confirmed before the next
            cell = cells.nth(n)
            cell_id = cell.get_attribute("id")
            cell.select_option("concern" if cell_id == f"a-{c.student.pk}-{SE}" else "good")
            expect(page.locator(f"#s-{cell_id[2:]}")).to_have_text("opgeslagen", timeout=SLOW)
        expect(page.locator("#signal-progress")).to_have_text(f"{total}/{total}", timeout=SLOW)
        walk.shot("list-filled")
        page.get_by_role("button", name="Lijst inleveren").click()
        expect(page.get_by_text("Je signaleringslijst is ingeleverd.")).to_be_visible(timeout=SLOW)
    else:
        page.locator(f"#a-{c.student.pk}-0").select_option("watch")
        expect(page.locator("#signal-progress")).to_have_text(f"1/{total}", timeout=SLOW)


def reminders_and_leave(walk: Walk, meeting: ReviewMeeting) -> None:
    c, page = walk.cast, walk.page
    call_command("run_periodic", only=["reviews.cycle"], stdout=io.StringIO())
    subject = f"Herinnering: signaleringslijst {c.group.name}"
    assert walk.mails(c.leaver.email, subject) and not walk.mails(c.filler.email, subject)  # LB-4
    # The teacher who cannot come asks for leave from the list's page (LB-2).
    page.get_by_role("link", name="Leerlingbespreking op").click()
    page.get_by_label("reden").fill("Ik begeleid die middag de excursie.")
    page.get_by_role("button", name="Verlof aanvragen").click()
    expect(page.get_by_text("Je verlofaanvraag is verstuurd.")).to_be_visible(timeout=SLOW)
    walk.as_(c.approver)
    walk.home_link(f"{c.leaver.full_name} — {c.group.name}")
    page.get_by_label("besluit").select_option("approve")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het besluit is vastgelegd")).to_be_visible(timeout=SLOW)
    walk.shot("leave-approved")
    assert meeting.leave_requests.get().state == LeaveState.APPROVED
    walk.as_(c.leaver)  # the absent teacher hands in written input per student
    page.goto(f"/leerlingbespreking/{meeting.pk}/cyclus/")
    page.get_by_role("link", name="Je verlofaanvraag").click()
    form = page.locator("form", has=page.get_by_role("heading", name=c.student.full_name))
    form.get_by_label("inbreng").fill("Werkt goed mee, maar vergeet vaak zijn spullen.")
    form.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Je inbreng is opgeslagen.")).to_be_visible(timeout=SLOW)
    assert WrittenInput.objects.get(meeting=meeting).student == c.student


def discussion_list(walk: Walk, meeting: ReviewMeeting) -> None:
    c, page = walk.cast, walk.page
    walk.as_(c.mentor)
    walk.home_link(f"Voorbereiden: bespreking {c.group.name}")
    card = page.locator(f"#leerling-{c.student.pk}")
    expect(card.get_by_text("Voorgesteld")).to_be_visible(
        timeout=SLOW
    )  # LB-5: a concern on sociaal-emotioneel
    card.get_by_label("Hulpvraag").fill("Hoe helpen we hem zijn werk te plannen?")
    card.get_by_label("Leerdoel").fill("Plant zelf zijn huiswerk voor een week.")
    card.get_by_label("Vragen aan de vakdocenten").fill("Maakt hij het huiswerk in jouw vak?")
    card.get_by_role("button", name="Op de bespreeklijst zetten").click()
    expect(page.locator(f"#leerling-{c.student.pk}").get_by_text("op de bespreeklijst")).to_be_visible(
        timeout=SLOW
    )
    page.get_by_role("button", name="Bespreeklijst versturen aan alle docenten van de klas").click()
    walk.shot("discussion-list")
    for teacher in (c.filler, c.leaver):
        assert walk.mails(teacher.email, f"Bespreeklijst {c.group.name}"), teacher


def hold_the_meeting(walk: Walk, meeting: ReviewMeeting) -> None:
    c, page = walk.cast, walk.page
    walk.as_(c.chair)
    page.goto(f"/besprekingen/{meeting.pk}/vergadering/")
    page.get_by_label("Taakverdeling").fill(
        f"{c.mentor.first_name} leidt, {c.chair.first_name} bewaakt de tijd, {c.minute_taker.first_name} notuleert."
    )
    page.get_by_role("button", name="Bespreking starten").click()
    page.get_by_role("navigation", name="Agenda").get_by_role("link", name=c.student.full_name).click()
    name = c.student.first_name
    page.get_by_label("Sterke kanten").fill(f"{name} helpt anderen graag.")
    page.get_by_label("Wat niet goed loopt").fill(f"{name} is lui.")  # LB-8: a label, flagged as typed
    page.locator("#text-check").get_by_text("Dit is een etiket").wait_for()
    walk.shot("label-flagged")
    page.get_by_label("Wat niet goed loopt").fill(f"{name} levert zijn huiswerk vaak niet in.")
    page.locator("#discussion-form").get_by_role("button", name="Opslaan").click()
    page.locator("#discussion-form").get_by_text("Opgeslagen.").wait_for()
    evaluate_on = (timezone.localdate(meeting.starts_at) + datetime.timedelta(weeks=8)).isoformat()
    new = page.locator("#agreements form.card")
    new.get_by_label("Concreet, waarneembaar doel").fill(f"{name} gaat beter opletten.")  # LB-9: vague
    new.get_by_label(c.filler.full_name).check()
    new.get_by_label("Evaluatiedatum").fill(evaluate_on)
    new.get_by_role("button", name="Afspraak vastleggen").click()
    page.locator("#agreements").get_by_text("Herschrijf het zo dat je het kunt waarnemen").wait_for()
    walk.shot("vague-goal-refused")
    assert not Agreement.objects.filter(meeting=meeting).exists()
    new = page.locator("#agreements form.card")
    new.get_by_label("Concreet, waarneembaar doel").fill(
        f"{name} schrijft elke les zijn huiswerk in de planner."
    )
    new.get_by_label(c.filler.full_name).check()
    new.get_by_label("Evaluatiedatum").fill(evaluate_on)
    new.get_by_role("button", name="Afspraak vastleggen").click()
    page.locator("#agreements").get_by_text("schrijft elke les zijn huiswerk").first.wait_for()
    page.get_by_role("button", name="Bespreking afsluiten").click()
    expect(page.get_by_role("heading", name=f"Nazorg bespreking {c.group.name}")).to_be_visible(timeout=SLOW)
    walk.shot("closed")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED


def recap(walk: Walk, meeting: ReviewMeeting) -> None:
    c, page = walk.cast, walk.page
    mail = walk.mails(c.filler.email, f"Afspraken leerlingbespreking {c.group.name}")
    assert mail and f"Voor {c.student.first_name}: " in mail[0].get_content()  # LB-12
    walk.as_(c.filler)
    expect(
        page.get_by_text(f"Voor {c.student.first_name}: {c.student.first_name} schrijft elke les")
    ).to_be_visible(timeout=SLOW)
    walk.shot("recap-home")


def follow_up_and_evaluation(walk: Walk, meeting: ReviewMeeting) -> None:
    c, page = walk.cast, walk.page
    walk.as_(c.mentor)
    walk.home_link(f"Gesprek met de leerling: {c.student.full_name}")
    for text in (
        "Gesprek gehad; hij gebruikt de planner vanaf maandag.",
        "Moeder gebeld; zij kijkt thuis mee.",
    ):
        card = page.locator(
            "article.card", has=page.get_by_role("button", name="Vastleggen in het dossier")
        ).first
        card.get_by_label("Verslag").fill(text)
        card.get_by_role("button", name="Vastleggen in het dossier").click()
        expect(page.get_by_text(text)).to_be_visible(timeout=SLOW)
    assert all(fu.done_at for fu in FollowUp.objects.filter(meeting=meeting))
    talks = Deadline.objects.filter(rule="LB-12", student=c.student, owner=c.mentor)
    assert (
        talks.count() == 2 and not talks.exclude(state=DeadlineState.DONE).exists()
    )  # LB-12: both deadlines done
    walk.shot("follow-up")
    page.get_by_role("link", name="Evalueren").click()
    page.get_by_label("deels behaald").check()
    page.get_by_label("Hoe verder").fill("Nog vier weken volhouden; daarna zelf plannen.")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.get_by_text("De evaluatie staat in het dossier.")).to_be_visible(timeout=SLOW)
    page.get_by_role("link", name="deels behaald").click()  # LB-13: and reported back to colleagues and home
    page.get_by_role("button", name="Evaluatie terugkoppelen").click()
    expect(page.get_by_text("De evaluatie is teruggekoppeld aan de collega's")).to_be_visible(timeout=SLOW)
    walk.shot("evaluated")
    agreement = Agreement.objects.get(meeting=meeting)
    assert agreement.evaluation.outcome == "partly" and agreement.evaluation.reported_at is not None
    assert walk.mails(c.filler.email, f"Evaluatie afspraak voor {c.student.first_name}")  # the colleagues


@pytest.mark.parametrize("make_cast", [vo_cast, po_cast], ids=["vo", "po"])
def test_lb_1_to_lb_13_one_whole_review_cycle_with_every_role_logged_in(world, page, smtp, make_cast):
    walk = Walk(page, smtp, make_cast(world))
    meeting = plan_the_meeting(walk)
    lists_out(walk, meeting)
    fill_in(walk, whole=True)
    fill_in(walk, whole=False)
    reminders_and_leave(walk, meeting)
    discussion_list(walk, meeting)
    hold_the_meeting(walk, meeting)
    recap(walk, meeting)
    follow_up_and_evaluation(walk, meeting)
    assert walk.shots >= 8
