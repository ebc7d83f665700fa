"""The review panel of the student's care overview (issue 12 §8, LB-12, LB-13, LB-11): the open agreements
(running and starting, with their owner and evaluation date, an overdue evaluation marked) and, for the
care team only, a referral waiting for its answer. Registered from ReviewsConfig.ready(); the rows come
in the page's one overview query (schools.student_panels).

Need to know (AVG-4): agreements are team-level file content (everyone who may read the student's file:
dossier.view_dossier); a referral is read by the care team only (reviews.referral_view, LB-11).
"""

from __future__ import annotations

from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.student_panels import PanelRows, full_name, overview_rows

from .models_meeting import Agreement, AgreementState, Referral, ReferralState, ReferralTarget

AGREEMENTS_SHOWN = 20


def open_agreements(student, request) -> PanelRows | None:
    if not request.user.has_perm("dossier.view_dossier", student):
        return None
    referrals = request.user.has_perm("reviews.referral_view", student)  # AVG-4, LB-11: the care team only
    return PanelRows(_rows, lambda found: _context(student, request, found), values={"student": student.pk},
                     shape={"referrals": referrals})  # fmt: skip


def _rows(p, *, referrals: bool) -> list:
    """The rows of open_agreements from its values only (schools.student_panels: the SQL per shape)."""
    rows = [
        overview_rows(Agreement.objects.filter(student=p.student, state=AgreementState.OPEN), kind="agreement",
                      title="goal", who=full_name("owner"), date_a="starts_on", date_b="evaluate_on",
                      number="owner_id", order_by=("evaluate_on", "pk"), limit=AGREEMENTS_SHOWN),
    ]  # fmt: skip
    if referrals:
        rows.append(
            overview_rows(Referral.objects.filter(student=p.student, state=ReferralState.OPEN), kind="referral",
                          title="target", detail="question", date_a=TruncDate("created_at"),
                          order_by=("-created_at", "-pk"), limit=3)
        )  # fmt: skip
    return rows


def _may_evaluate(request, student, owner_id) -> bool:
    """reviews.agreement_evaluate without a query: the owner, the student's mentor, the care coordinator
    (the meeting's leader is the mentor and its chair the care coordinator, LB-6)."""
    from schools.rules import is_mentor_of_student

    access = request.access
    return (
        (access.staff is not None and access.staff.pk == owner_id)
        or access.is_care_coordinator
        or is_mentor_of_student(request.user, student)
    )


def _context(student, request, rows) -> dict:
    today = timezone.localdate()
    agreements = sorted(
        (row for row in rows if row.kind == "agreement"), key=lambda row: (row.date_b, row.ref)
    )
    referrals = [row for row in rows if row.kind == "referral"]
    targets = dict(ReferralTarget.choices)
    return {
        "title": _("Afspraken uit de leerlingbespreking"),
        "agreements": [
            {
                "goal": row.title,
                "owner": row.who,
                "starts_on": row.date_a,
                "started": row.date_a <= today,
                "evaluate_on": row.date_b,
                "overdue": row.date_b < today,
                "url": reverse("review_evaluate", args=[row.ref])
                if _may_evaluate(request, student, row.number)
                else "",
            }
            for row in agreements
        ],  # fmt: skip
        "referrals": [
            {
                "target": targets.get(row.title, row.title),
                "question": row.detail,
                "since": row.date_a,
                "url": reverse("review_referral", args=[row.ref]),
            }
            for row in referrals
        ],  # fmt: skip
    }


def register() -> None:
    """Called once from ReviewsConfig.ready()."""
    from schools.student_panels import register_student_panel

    register_student_panel(
        "afspraken", order=30, provider=open_agreements, template="reviews/panels/agreements.html"
    )
