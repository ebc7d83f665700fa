"""Portal: single-use log-in links (no enumeration) for guardians and students aged 16+ (AVG-1),
and their own statements next to the school's text (AVG-2)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from audit.audit import audit
from dossier.models import DossierEntry, EntryKind, Visibility
from dossier.redaction import redactor_for
from dossier.services.record import record
from portal.models import LINK_LIFETIME_MINUTES, PortalLoginToken
from portal.queries import (
    active_authority_q,
    has_own_rights,
    own_rights_born_on_or_before,
    parent_entries,
)
from protocols.exceptions import ProtocolViolation
from schools import throttle
from schools.cleaning import clean_text
from schools.models import Guardian, Student, User

MAX_LINKS_PER_HOUR = 5
LINK_INVALID = (
    "Deze inloglink is niet (meer) geldig. Vraag een nieuwe link aan; "
    "een link werkt één keer en 15 minuten lang."
)


def _eligible_guardians(email: str):
    """Guardians with this address who hold parental authority over at least one child (AVG-1).

    Not age-aware on purpose: a guardian whose children are all 16+ may still sign in and reads,
    on the child list, why the portal shows nothing more about them."""
    return Guardian.objects.filter(
        email__iexact=email,
        relations__in=_authority_relations(),
    ).distinct()


def _authority_relations():
    from schools.models import GuardianRelation

    return GuardianRelation.objects.filter(active_authority_q())


def _eligible_student(email: str) -> Student | None:
    """The one student aged 16+ with this address of their own (AVG-1), or None.

    An address one of the student's own guardians also uses is a family address: a link sent
    there would let the parent into a file that from 16 is the student's alone. An address two
    students share identifies neither. Under 16 (or no date of birth): None, the same neutral
    answer as an unknown address.
    """
    born_by = own_rights_born_on_or_before(timezone.localdate())
    students = list(
        Student.objects.filter(email__iexact=email, date_of_birth__lte=born_by)
        .exclude(guardian_relations__guardian__email__iexact=email)
        .select_related("school")[:2]
    )
    return students[0] if len(students) == 1 else None


def request_login_link(*, email: str, base_url: str, address: str = "") -> None:
    """Queue a log-in link for an address of a guardian with authority or a student aged 16 or older.

    Says nothing either way, and does the same work for every address (look up, count, queue one
    task): neither the page nor the time it takes tells who is a parent or a student here. The mail
    is made and sent by the task worker, which also makes the token, so the link (a secret) is never
    stored in the task table. Raises throttle.Throttled when this client asked too often; an address
    asked for too often gets no more links, silently (issue 7)."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise ValidationError(_("Vul een geldig e-mailadres in."))
    client = throttle.hit(throttle.PORTAL_LINK_PER_CLIENT, address)
    if not client.allowed:
        raise throttle.Throttled(
            client.retry_after,
            _("Er zijn vanaf dit adres te veel inloglinks aangevraagd. Probeer het over een uur opnieuw."),
        )
    per_address = throttle.hit(throttle.PORTAL_LINK_PER_ADDRESS, email)
    with scopes_disabled():
        guardian_ids = list(_eligible_guardians(email).values_list("pk", flat=True))
        student = _eligible_student(email)
    if not per_address.allowed:
        guardian_ids, student = [], None
    student_id = student.pk if student is not None and not guardian_ids else None
    transaction.on_commit(lambda: send_login_link.enqueue(guardian_ids, student_id, base_url, address))


@task()
def send_login_link(guardian_ids: list[int], student_id: int | None, base_url: str, address: str) -> str:
    """Make a single-use token and mail the link. The address comes from the rows, not the task."""
    if not guardian_ids and student_id is None:
        return "nobody"
    now = timezone.now()
    with scopes_disabled(), transaction.atomic():
        if guardian_ids:
            email = Guardian.objects.filter(pk=guardian_ids[0]).values_list("email", flat=True).first()
            eligible = bool(email) and _eligible_guardians(email.lower()).exists()
        else:
            email = Student.objects.filter(pk=student_id).values_list("email", flat=True).first()
            eligible = bool(email) and _eligible_student(email.lower()) is not None
        if not eligible:
            return "not eligible"
        email = email.strip().lower()
        recent = PortalLoginToken.objects.filter(
            email=email, created_at__gte=now - datetime.timedelta(hours=1)
        )
        if recent.count() >= MAX_LINKS_PER_HOUR:
            return "limit"
        token = PortalLoginToken.new_token()
        PortalLoginToken.objects.create(
            email=email,
            token_hash=PortalLoginToken.hash_token(token),
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=LINK_LIFETIME_MINUTES),
        )
        audit(actor=None, action="portal.login_link.sent", data={"email": email}, address=address)
    url = base_url.rstrip("/") + reverse("portal:redeem", args=[token])
    portal = "het ouderportaal" if guardian_ids else "het portaal"
    send_mail(
        f"Uw inloglink voor {portal}",
        (
            f"Met deze link logt u in op {portal} van Leerlingzorg:\n\n"
            f"{url}\n\n"
            f"De link werkt één keer en is {LINK_LIFETIME_MINUTES} minuten geldig. "
            "Heeft u de link niet aangevraagd? Dan kunt u deze e-mail negeren."
        ),
        None,
        [email],
    )
    return "sent"


def check_login_link(token: str) -> PortalLoginToken:
    """The unused, unexpired token row, or ValidationError; reads only."""
    with scopes_disabled():
        row = PortalLoginToken.objects.filter(token_hash=PortalLoginToken.hash_token(token or "")).first()
    if row is None or row.used_at is not None or row.expires_at <= timezone.now():
        raise ValidationError(LINK_INVALID)
    return row


def redeem_login_link(*, token: str, address: str = "") -> User:
    """Use the link once: returns the guardian's or student's user (created on first use). An
    expired, used or unknown link raises ValidationError and writes nothing."""
    row = check_login_link(token)
    now = timezone.now()
    with scopes_disabled(), transaction.atomic():
        # Conditional update: two simultaneous clicks cannot both succeed.
        if not PortalLoginToken.objects.filter(pk=row.pk, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        ):
            raise ValidationError(LINK_INVALID)
        guardians = list(_eligible_guardians(row.email))
        student = _eligible_student(row.email)  # AVG-1: 16 on the day the link is used, too
        if not guardians and student is None:
            raise ValidationError(LINK_INVALID)
        user = User.objects.filter(email__iexact=row.email).first()
        if user is None:
            name = guardians[0].full_name if guardians else student.full_name
            user = User.objects.create_user(row.email, full_name=name)
        if not user.is_active:
            raise ValidationError(LINK_INVALID)
        if user.is_staff or user.staff_roles.exists():
            # A link must not replace a staff member's own (stronger) sign-in.
            raise ValidationError(
                _("Dit e-mailadres hoort bij een medewerker. Log in met uw wachtwoord via de inlogpagina.")
            )
        Guardian.objects.filter(pk__in=[g.pk for g in guardians], user__isnull=True).update(user=user)
        if student is not None and not Student.objects.filter(user=user).exists():
            Student.objects.filter(pk=student.pk, user__isnull=True).update(user=user)
        PortalLoginToken.objects.filter(pk=row.pk).update(user=user)
        audit(actor=user, action="portal.login_link.used", data={"email": row.email}, address=address)
    return user


def add_parent_statement(
    *, user: User, student: Student, responds_to: DossierEntry, text: str, address: str = ""
) -> DossierEntry:
    """A parent's own view, added next to the school's text (AVG-2): a new entry, linked to the one it
    responds to; the school's entry is never changed."""
    return _add_statement(
        user=user,
        student=student,
        responds_to=responds_to,
        text=text,
        address=address,
        kind=EntryKind.PARENT_STATEMENT,
        label="Zienswijze van ouder bij",
    )


def add_student_statement(
    *, user: User, student: Student, responds_to: DossierEntry, text: str, address: str = ""
) -> DossierEntry:
    """The student's own view (AVG-2), from 16 by the student themself (AVG-1). Like a parent's
    statement: a new entry next to the school's, which is never changed."""
    if student.user_id != user.pk or not has_own_rights(student):
        raise ProtocolViolation(  # AVG-1
            rule="AVG-1", message=_("Alleen de leerling zelf, vanaf 16 jaar, voegt hier een zienswijze toe.")
        )
    return _add_statement(
        user=user,
        student=student,
        responds_to=responds_to,
        text=text,
        address=address,
        kind=EntryKind.STUDENT_STATEMENT,
        label="Zienswijze van leerling bij",
    )


def _add_statement(
    *, user: User, student: Student, responds_to: DossierEntry, text: str, address: str, kind: str, label: str
) -> DossierEntry:
    text = clean_text(text or "").strip()  # no control characters or bidi overrides (issue 7)
    if not text:
        raise ValidationError(_("Schrijf uw zienswijze in het tekstvak."))
    if not parent_entries(student).filter(pk=responds_to.pk).exists():
        raise ValidationError(_("U kunt alleen reageren op een regel die u in het portaal ziet."))
    redact = redactor_for(student)
    with transaction.atomic():
        # Parent-visible: it belongs next to the text it answers, wherever that is shown.
        entry = record(
            student=student,
            kind=kind,
            title=f"{label}: {redact(responds_to.title)}"[:200],
            body=text,
            actor=user,
            visibility=Visibility.TEAM,
            parent_visible=True,
            source=responds_to,
            address=address,
        )
        audit(
            actor=user,
            action=f"portal.{kind}.added",
            obj=entry,
            school=student.school,
            student=student,
            data={"responds_to": responds_to.pk},
            address=address,
        )
    return entry
