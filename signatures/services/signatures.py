"""Signable documents: create, revise (a new version asks for the signatures again), sign, check.

`require_signatures(version, rule="GP-21")` is the one call a protocol service (GP-21, SV-1,
SV-3) makes before a step that needs signatures: it raises ProtocolViolation naming the rule
and who has not signed yet. `signatures_complete(...)` answers the same as a bool
(signatures/services/signature_checks.py). A rendered letter or plan can be the signed version
(`signable_letter`): the signature binds the SHA-256 of that PDF.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from audit.audit import audit
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from messaging.models import Letter
from messaging.services.messages import resolve_recipients, send_message
from portal.queries import active_authority_q
from protocols.exceptions import ProtocolViolation
from schools.actors import staff_member, user_of
from schools.cleaning import clean_text
from schools.models import Guardian, StaffMember, Student
from signatures.models import (
    Decision,
    DocumentKind,
    DocumentVersion,
    RequestState,
    SignableDocument,
    Signature,
    SignatureRequest,
    SignerType,
    SignMethod,
    content_sha256,
)

Signer = Guardian | Student | StaffMember


def _signer_fields(signer: Signer) -> dict:
    if isinstance(signer, Guardian):
        return {"signer_type": SignerType.GUARDIAN, "guardian": signer}
    if isinstance(signer, Student):
        return {"signer_type": SignerType.STUDENT, "student": signer}
    if isinstance(signer, StaffMember):
        return {"signer_type": SignerType.STAFF, "staff": signer}
    raise ValidationError(_("Onbekende ondertekenaar."))


def default_signers(student: Student) -> list[Guardian]:
    """The guardians with parental authority (AVG-1): they sign agreements about their child."""
    return list(
        Guardian.objects.filter(
            relations__in=student.guardian_relations.filter(active_authority_q())
        ).distinct()
    )


def _add_version(*, document, content: str, staff, pdf: bytes | None = None) -> DocumentVersion:
    """A new version. With `pdf` (a rendered letter or plan) the PDF is the signable version: its
    SHA-256 is what every signature binds to; `content` is its text for the screen."""
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        content=content,
        sha256=content_sha256(content, pdf),
        created_by=staff,
    )
    if pdf is not None:
        # Not guessable: served only through a permission-checked view, deleted by retention.
        version.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version"])
    return version


def _notify_signers(*, actor, document: SignableDocument, version: DocumentVersion) -> None:
    """Ask the signers: guardians and a student with their own rights by e-mail through the
    outbox (sent after commit); staff find the request on "Mijn acties" (deadlines/home.py)."""
    if not document.parent_visible:
        return  # not in the portal: signed on the staff screen only
    requests = list(version.requests.filter(signer_type__in=[SignerType.GUARDIAN, SignerType.STUDENT])
                    .select_related("guardian", "student"))  # fmt: skip
    with_email = [r for r in requests if r.signer.email]
    if not with_email:
        return
    tokens = [f"guardian:{r.guardian_id}" if r.guardian_id else "student" for r in with_email]
    if not resolve_recipients(document.student, {"to": tokens}).to:
        return  # AVG-1: no signer with parental authority and an address
    send_message(
        actor=actor,
        student=document.student,
        recipients={"to": tokens},
        template_code="signature.requested",
        context={
            "document_title": document.title,
            "version_number": str(version.number),
            "signer": with_email[0].signer.full_name if len(with_email) == 1 else "",
        },
        idempotency_key=f"signature-requested:{version.pk}",
    )


def create_signable_document(
    *,
    actor,
    student: Student,
    title: str,
    content: str,
    kind: DocumentKind | str = DocumentKind.OTHER,
    signers: Sequence[Signer] | None = None,
    parent_visible: bool = True,
    source=None,
    text_warnings: Sequence[str] = (),
    pdf: bytes | None = None,
) -> SignableDocument:
    """A document with version 1 and a signature request per signer (default: the guardians).

    `text_warnings`: the text-check warnings the writer was shown (AVG-4, LB-8, LB-9), kept on the entry.
    `pdf`: a rendered letter or plan that is itself the signed version (signatures bind its SHA-256);
    see `signable_letter(...)`."""
    if not title.strip() or not content.strip():
        raise ValidationError(_("Geef het document een titel en een inhoud."))
    staff = staff_member(actor, student.school)
    with transaction.atomic():
        document = SignableDocument.objects.create(
            school=student.school,
            student=student,
            title=title.strip(),
            kind=kind,
            parent_visible=parent_visible,
            created_by=staff,
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=str(source.pk) if source is not None else "",
        )
        version = _add_version(document=document, content=content, staff=staff, pdf=pdf)
        for signer in default_signers(student) if signers is None else signers:
            SignatureRequest.objects.create(version=version, **_signer_fields(signer))
        _notify_signers(actor=actor, document=document, version=version)
        record(
            student=student,
            kind=EntryKind.DOCUMENT,
            title=f"Document ter ondertekening: {document.title}",
            actor=actor,
            parent_visible=parent_visible,
            source=document,
            text_warnings=text_warnings,
        )
        audit(
            actor=user_of(actor),
            action="dossier.document.created",
            obj=document,
            student=student,
            data={"version": version.number, "sha256": version.sha256, "pdf": pdf is not None},
        )
    return document


def signable_letter(
    *,
    actor,
    letter: Letter,
    title: str = "",
    kind: DocumentKind | str = DocumentKind.LETTER,
    signers: Sequence[Signer] | None = None,
    parent_visible: bool = True,
    source=None,
) -> SignableDocument:
    """Make a rendered letter or plan (its stored PDF) the version to sign: each signature binds
    the SHA-256 of exactly those bytes (e.g. SV-1: the parents sign the time-out report)."""
    with letter.pdf.open("rb") as handle:
        pdf = handle.read()
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        raise ValidationError(_("Het PDF-bestand van deze brief is gewijzigd; maak de brief opnieuw."))
    return create_signable_document(
        actor=actor,
        student=letter.student,
        title=title or letter.subject,
        content=letter.body,
        kind=kind,
        signers=signers,
        parent_visible=parent_visible,
        source=source if source is not None else (letter.source or letter),
        pdf=pdf,
    )


# The checks live in their own module; imported here so callers keep one place to import from.
from signatures.services.signature_checks import (  # noqa: E402
    require_signatures,
    signature_valid,
    signatures_complete,
    version_intact,
)

__all__ = [
    "create_signable_document",
    "default_signers",
    "require_signatures",
    "revise_document",
    "sign_document",
    "signable_letter",
    "signature_valid",
    "signatures_complete",
    "version_intact",
]


def revise_document(
    *,
    actor,
    document: SignableDocument,
    content: str,
    based_on_version: int | None = None,
    text_warnings: Sequence[str] = (),
) -> DocumentVersion:
    """Change a document: a new version; signatures stay with the old one and are asked again.

    `based_on_version` is the number the editor started from; if someone else saved a newer
    version meanwhile the change is refused instead of silently overwriting theirs.
    """
    content = clean_text(content)  # read by hand from the POST: the shared check (issue 7)
    staff = staff_member(actor, document.school)
    with transaction.atomic():
        document = SignableDocument.objects.select_for_update().get(pk=document.pk)
        old = document.current_version
        if based_on_version is not None and old is not None and old.number != based_on_version:
            raise ValidationError(
                _("Iemand anders heeft intussen versie %(number)s opgeslagen. Bekijk die eerst.")
                % {"number": old.number}
            )
        if old is not None and content_sha256(content) == old.sha256:
            raise ValidationError(_("De inhoud is niet veranderd; er is geen nieuwe versie gemaakt."))
        version = _add_version(document=document, content=content, staff=staff)
        signers = []
        if old is not None:
            old_requests = list(old.requests.select_related("guardian", "student", "staff"))
            signers = [r.signer for r in old_requests]
            old.requests.filter(state=RequestState.OPEN).update(state=RequestState.SUPERSEDED)
        for signer in signers:
            SignatureRequest.objects.create(version=version, **_signer_fields(signer))
        _notify_signers(actor=actor, document=document, version=version)
        record(
            student=document.student,
            kind=EntryKind.DOCUMENT,
            title=f"Nieuwe versie ({version.number}) van {document.title}; opnieuw ter ondertekening",
            actor=actor,
            parent_visible=document.parent_visible,
            source=document,
            text_warnings=text_warnings,
        )
        audit(
            actor=user_of(actor),
            action="dossier.document.revised",
            obj=document,
            student=document.student,
            data={
                "version": version.number,
                "sha256": version.sha256,
                "previous": old.number if old else None,
            },
        )
    return version


def _may_sign(signer: Signer, document: SignableDocument) -> None:
    student = document.student
    if isinstance(signer, Guardian):
        with scopes_disabled():
            ok = signer.relations.filter(active_authority_q(), student=student).exists()
        if not ok:  # AVG-1
            raise ProtocolViolation(
                rule="AVG-1",
                message=_(
                    "Alleen een ouder of verzorger met ouderlijk gezag kan voor deze leerling tekenen."
                ),
            )
    elif isinstance(signer, Student):
        if signer.pk != student.pk:
            raise ValidationError(_("Een leerling tekent alleen documenten over zichzelf."))
    elif isinstance(signer, StaffMember):
        if signer.school_id != document.school_id or not signer.active:
            raise ValidationError(_("Alleen een medewerker van deze school kan tekenen."))


def sign_document(
    *,
    version: DocumentVersion,
    signer: Signer,
    decision: Decision | str,
    remark: str = "",
    method: SignMethod | str,
    actor=None,
    address: str = "",
) -> Signature:
    """Sign exactly this version. Refuses a superseded version and a second signature."""
    if decision not in Decision.values:
        raise ValidationError(_("Kies akkoord, voor gezien of weigeren."))
    if method not in SignMethod.values:
        raise ValidationError(_("Onbekende manier van ondertekenen."))
    remark = clean_text(remark).strip()  # typed by hand outside a form: the shared check (issue 7)
    if decision == Decision.REFUSED and not remark:
        raise ValidationError(_("Schrijf bij een weigering waarom u niet tekent."))
    fields = _signer_fields(signer)
    user = user_of(actor) if actor is not None else getattr(signer, "user", None)
    with transaction.atomic():
        document = (
            SignableDocument.objects.select_for_update().select_related("student").get(pk=version.document_id)
        )
        if document.current_version_id != version.pk:
            raise ValidationError(
                _(
                    "Deze versie (%(number)s) is vervangen door een nieuwere versie. "
                    "Lees de nieuwe versie en teken die."
                )
                % {"number": version.number}
            )
        _may_sign(signer, document)
        lookup = {k: v for k, v in fields.items() if k != "signer_type"}
        if Signature.objects.filter(version=version, **lookup).exists():
            raise ValidationError(
                _("%(name)s heeft deze versie al ondertekend.") % {"name": signer.full_name}
            )
        request = SignatureRequest.objects.filter(version=version, state=RequestState.OPEN, **lookup).first()
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    version=version,
                    request=request,
                    signer_label=signer.full_name,
                    method=method,
                    decision=decision,
                    remark=remark,
                    signed_at=timezone.now(),
                    sha256=version.sha256,
                    operated_by=user,
                    address=address,
                    **fields,
                )
        except IntegrityError as error:  # a simultaneous second click
            raise ValidationError(
                _("%(name)s heeft deze versie al ondertekend.") % {"name": signer.full_name}
            ) from error
        if request is not None:
            request.state = RequestState.SIGNED
            request.save(update_fields=["state"])
        label = Decision(decision).label
        record(
            student=document.student,
            kind=EntryKind.SIGNATURE,
            title=f"{document.title} (versie {version.number}): {label} door {signer.full_name}",
            body=remark,
            actor=actor if actor is not None else user,
            visibility=Visibility.TEAM,
            parent_visible=document.parent_visible,
            source=signature,
            address=address,
        )
        audit(
            actor=user,
            action="dossier.document.signed",
            obj=signature,
            school=document.school,
            student=document.student,
            data={
                "document": document.pk,
                "version": version.number,
                "sha256": version.sha256,
                "decision": str(decision),
                "method": str(method),
                "signer": f"{fields['signer_type']}:{signer.pk}",
            },
            address=address,
        )
    return signature
