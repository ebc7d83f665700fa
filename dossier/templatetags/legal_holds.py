"""`{% legal_hold_status student %}`: the hold block on the student's file page (AVG-3)."""

from django import template

from dossier.models import LegalHold

register = template.Library()


@register.inclusion_tag("dossier/legal_holds_status.html", takes_context=True)
def legal_hold_status(context, student) -> dict:
    user = context["user"]
    if not user.has_perm("dossier.place_legal_hold", student):
        return {"show": False}
    if "active_hold_id" in student.__dict__ and student.active_hold_id is None:
        hold = None  # the file page's fetch already knows there is none (issue #13: no query)
    else:
        hold = (
            LegalHold.objects.filter(student=student, lifted_at__isnull=True)
            .select_related("placed_by")
            .first()
        )
    return {
        "show": True,
        "student": student,
        "hold": hold,
        "can_lift": hold is not None and user.has_perm("dossier.lift_legal_hold", hold),
    }
