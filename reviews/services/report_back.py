"""LB-13: after an evaluation the mentor reports it back to the colleagues, the student and the parents,
with one action and once: a staff message to every teacher of the class, a message to the parents
(the registered template, parents addressed with "u") and a file entry that it was discussed with the student."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from dossier.models import EntryKind
from dossier.services.record import record
from messaging.services.messages import send_message
from messaging.services.outbox import queue_staff_message
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of

from ..models_meeting import Evaluation
from ..selectors_meeting import group_teachers

REPORTED = "reviews.evaluation.reported"
PARENT_TEMPLATE = "reviews.evaluation.parents"
PARENT_SUBJECT = "Evaluatie van de afspraak voor {{ student.first_name }}"
PARENT_BODY = (
    "Beste ouder(s)/verzorger(s),\n\n"
    "In de leerlingbespreking is een afspraak gemaakt voor {{ student.first_name }}:\n"
    "{{ goal }}\n\n"
    "Wij hebben deze afspraak geëvalueerd. Resultaat: {{ outcome }}.\n"
    "Hoe het verder gaat: {{ what_next }}\n\n"
    "Wij hebben dit ook met {{ student.first_name }} besproken. Heeft u vragen, neemt u dan gerust contact "
    "op met de mentor.\n\nMet vriendelijke groet,\n{{ author }}"
)


def report_evaluation(*, actor, evaluation: Evaluation) -> Evaluation:
    """LB-13: one action, recorded once; a second report is refused."""
    with transaction.atomic():
        current = (
            Evaluation.objects.select_for_update()
            .select_related("agreement__student", "agreement__meeting__group", "school")
            .get(pk=evaluation.pk)
        )
        if current.reported_at is not None:  # LB-13: once
            raise ProtocolViolation(rule="LB-13", message=_("Deze evaluatie is al teruggekoppeld."))
        agreement = current.agreement
        student, meeting = agreement.student, agreement.meeting
        outcome = str(current.get_outcome_display())
        current.reported_at, current.reported_by = timezone.now(), staff_member(actor, current.school_id)
        current.save(update_fields=["reported_at", "reported_by"])
        teachers = group_teachers(meeting)
        for teacher in teachers:  # LB-13: the colleagues
            queue_staff_message(
                school=current.school, staff=teacher, student=student,
                subject=_("Evaluatie afspraak voor %(name)s") % {"name": student.first_name},
                body=_("Beste %(teacher)s,\n\nDe afspraak voor %(name)s (%(group)s) is geëvalueerd.\n"
                       "Doel: %(goal)s\nResultaat: %(outcome)s\nHoe verder: %(next)s\n") % {
                    "teacher": teacher.first_name or teacher.full_name, "name": student.first_name,
                    "group": meeting.group.name, "goal": agreement.goal, "outcome": outcome,
                    "next": current.what_next},
                idempotency_key=f"reviews.evaluation.reported.{current.pk}.{teacher.pk}",
            )  # fmt: skip
        send_message(  # LB-13: the parents ("u")
            actor=actor, student=student, template_code=PARENT_TEMPLATE, source=agreement,
            context={"goal": agreement.goal, "outcome": outcome, "what_next": current.what_next},
            idempotency_key=f"reviews.evaluation.parents.{current.pk}",
        )  # fmt: skip
        record(  # LB-13: the student
            student=student, kind=EntryKind.TALK, actor=actor, source=current,
            title=_("Evaluatie besproken met de leerling"),
            body=_("Doel: %(goal)s\nResultaat: %(outcome)s\nHoe verder: %(next)s") % {
                "goal": agreement.goal, "outcome": outcome, "next": current.what_next},
        )  # fmt: skip
        audit(actor=user_of(actor), action=REPORTED, obj=current, school=current.school, student=student,
              data={"teachers": len(teachers)})  # fmt: skip
    return current
