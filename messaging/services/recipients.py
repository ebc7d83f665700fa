"""Recipient rules are data (ARCHITECTURE: protocols as configuration), e.g. GP-4 stage 3:
    {"to": ["guardians_with_authority"], "cc": ["teachers", "director", "care_coordinator"],
     "named": ["director"]}
Tokens: guardians_with_authority, guardians, guardian:<id>, student, mentor, teachers, director,
care_coordinator, behaviour_specialist, department_head, staff:<id> (alias teacher:<id>),
inspectorate and attendance_officer (the addresses in the school's settings; SV-2, SV-3),
email:<address> (any other outside body).
Each token may stand in "to", "cc" or "named" (named: the person is named in the text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.cleaning import parse_id
from schools.models import GuardianRelation, Role, StaffMember, Student, TeachingAssignment
from schools.models.organisation import Group
from schools.selectors import current_group_facts

RecipientRule = dict[str, list[str]]

GUARDIANS_WITH_AUTHORITY: RecipientRule = {"to": ["guardians_with_authority"]}

_ROLE_TOKENS = {
    "director": Role.DIRECTOR,
    "care_coordinator": Role.CARE_COORDINATOR,
    "behaviour_specialist": Role.BEHAVIOUR_SPECIALIST,
}


@dataclass
class Resolved:
    to: list[dict] = field(default_factory=list)
    cc: list[dict] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    # Guardians left out because they lack parental authority and the message is not marked for them.
    withheld: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"to": self.to, "cc": self.cc, "named": self.named, "withheld": self.withheld}


def resolve_recipients(
    student: Student, rule: RecipientRule, *, important_for_non_custodial: bool = False
) -> Resolved:
    """Turn a rule into addresses. A person appears once; "to" wins over "cc"."""
    resolved = Resolved()
    seen: set[str] = set()
    for kind in ("to", "cc"):
        for token in rule.get(kind, []):
            for person in _people(student, token, important_for_non_custodial, resolved.withheld):
                email = person["email"].lower()
                if email and email not in seen:
                    seen.add(email)
                    getattr(resolved, kind).append(person)
    for token in rule.get("named", []):
        if token in _OUTSIDE_BODIES:  # named in the text: the name is enough, no address needed
            names = [p["name"] for p in _outside_body(student, token, need_email=False)]
        else:
            names = [p["name"] for p in _people(student, token, True, [])]
        if names:
            resolved.named[token.split(":")[0]] = ", ".join(names)
    return resolved


def _person(name: str, email: str, role: str) -> dict:
    return {"name": name, "email": email, "role": role}


def _people(student: Student, token: str, important: bool, withheld: list[str]) -> list[dict]:
    kind, _sep, arg = token.partition(":")
    if kind in ("guardians_with_authority", "guardians", "guardian"):
        today = timezone.localdate()
        relations = GuardianRelation.objects.filter(student=student).select_related("guardian")
        if kind == "guardian":  # one guardian of this student, e.g. a signer
            relations = relations.filter(guardian_id=int(arg) if arg.isdigit() else None)
        people = []
        for rel in relations.order_by("guardian__last_name", "pk"):
            if rel.end is not None and rel.end < today:
                continue
            # AVG-1: a parent without parental authority has no right to the file, but may be
            # given important information — only what the school marks for them.
            if not rel.has_parental_authority and not important:
                if rel.guardian.full_name not in withheld:
                    withheld.append(rel.guardian.full_name)
                continue
            people.append(_person(rel.guardian.full_name, rel.guardian.email, "guardian"))
        return people
    if kind == "student":
        return [_person(student.full_name, student.email, "student")] if student.email else []
    staff = StaffMember.objects.filter(school_id=student.school_id, active=True)
    group_ids = [g for g, _d in current_group_facts(student)]
    if kind in _ROLE_TOKENS:
        staff = staff.filter(role_assignments__role=_ROLE_TOKENS[kind])
    elif kind == "department_head":
        departments = [d for _g, d in current_group_facts(student) if d]
        staff = staff.filter(
            role_assignments__role=Role.DEPARTMENT_HEAD, role_assignments__department_id__in=departments
        )
    elif kind == "mentor":
        staff = staff.filter(mentor_of__in=Group.objects.filter(pk__in=group_ids))
    elif kind == "teachers":
        staff = staff.filter(pk__in=TeachingAssignment.objects.filter(group_id__in=group_ids).values("staff"))
    elif kind in ("staff", "teacher") and parse_id(arg):
        staff = staff.filter(pk=parse_id(arg))
    elif kind == "email" and "@" in arg:
        return [_person(arg, arg, "external")]
    elif kind in _OUTSIDE_BODIES:
        return _outside_body(student, kind)
    else:
        raise ValidationError(_("Onbekende ontvangersregel: %(token)s") % {"token": token})
    staff = staff.exclude(email="")  # imported staff without an address (issue 8) cannot receive mail
    return [_person(s.full_name, s.email, kind) for s in staff.distinct().order_by("last_name", "pk")]


# Outside bodies whose addresses are school settings (schools.School), SV-2 / SV-3 / LAW-3.
_OUTSIDE_BODIES = ("inspectorate", "attendance_officer")


def _outside_body(student: Student, kind: str, *, need_email: bool = True) -> list[dict]:
    school = student.school
    if kind == "inspectorate":
        name, email = _("Inspectie van het Onderwijs"), school.inspectorate_email
    else:
        name = school.attendance_officer_name or _("Leerplichtambtenaar")
        email = school.attendance_officer_email
    if not email and need_email:
        raise ValidationError(
            _("Vul eerst het e-mailadres van de %(body)s in bij de schoolinstellingen.")
            % {"body": _("inspectie") if kind == "inspectorate" else _("leerplichtambtenaar")}
        )
    return [_person(name, email, kind)]


def _first_name_with_role(school_id: int, role: str) -> str:
    member = (
        StaffMember.objects.filter(school_id=school_id, active=True, role_assignments__role=role)
        .order_by("last_name", "pk")
        .first()
    )
    return member.full_name if member else ""


def _dutch_date(day) -> str:
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


_TOKEN_LABELS = {
    "guardians_with_authority": gettext_lazy("ouders met gezag"),
    "guardians": gettext_lazy("alle ouders"),
    "guardian": gettext_lazy("een ouder"),
    "student": gettext_lazy("de leerling"),
    "mentor": gettext_lazy("mentor"),
    "teachers": gettext_lazy("docenten"),
    "director": gettext_lazy("directeur"),
    "care_coordinator": gettext_lazy("zorgcoördinator"),
    "behaviour_specialist": gettext_lazy("gedragsspecialist"),
    "department_head": gettext_lazy("afdelingsleider"),
    "staff": gettext_lazy("een medewerker"),
    "teacher": gettext_lazy("een medewerker"),
    "inspectorate": gettext_lazy("inspectie"),
    "attendance_officer": gettext_lazy("leerplichtambtenaar"),
    "email": gettext_lazy("extern adres"),
}
_KIND_LABELS = {"to": gettext_lazy("aan"), "cc": gettext_lazy("cc"), "named": gettext_lazy("genoemd")}


def describe_rule(rule: RecipientRule) -> list[str]:
    """A recipient rule in words, one line per kind: ["aan: ouders met gezag", "cc: directeur"]."""
    lines = []
    for kind in ("to", "cc", "named"):
        tokens = rule.get(kind, [])
        if tokens:
            words = [str(_TOKEN_LABELS.get(t.split(":")[0], t)) for t in tokens]
            lines.append(f"{_KIND_LABELS[kind]}: {', '.join(words)}")
    return lines
