"""Checks before a step that needs signatures (GP-21, SV-1, SV-3): complete, intact, required.

`require_signatures(version, rule="GP-21")` is the one call a protocol service makes; it raises
`ProtocolViolation(rule=…, message=…)` naming the rule and, in Dutch, who has not signed yet.
A signature binds the SHA-256 of its version: the text, or the rendered PDF when the version is
a letter or plan (`signable_letter`); a changed file no longer matches and counts as unsigned.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protocols.exceptions import ProtocolViolation
from schools.models import Guardian, StaffMember, Student
from signatures.models import Decision, DocumentVersion, Signature, SignerType, content_sha256

COUNTING_DECISIONS = (Decision.AGREED, Decision.SEEN)
_KEY = {Guardian: SignerType.GUARDIAN, Student: SignerType.STUDENT, StaffMember: SignerType.STAFF}
_TYPE_LABEL = {
    SignerType.GUARDIAN: gettext_lazy("een ouder of verzorger"),
    SignerType.STUDENT: gettext_lazy("de leerling"),
    SignerType.STAFF: gettext_lazy("een medewerker"),
}


def version_intact(version: DocumentVersion) -> bool:
    """True when the version's content (its PDF, if it has one) still has the SHA-256 it was made with."""
    if version.file:
        with version.file.open("rb") as handle:
            return content_sha256("", handle.read()) == version.sha256
    return content_sha256(version.content) == version.sha256


def signature_valid(signature: Signature) -> bool:
    """The signature binds exactly the bytes that are stored now (the PDF or the text)."""
    version = signature.version
    return signature.sha256 == version.sha256 and version_intact(version)


def _key(obj) -> tuple[str, int]:
    for cls, signer_type in _KEY.items():
        if isinstance(obj, cls):
            return signer_type, obj.pk
    raise TypeError(f"not a signer: {obj!r}")


def _signed_key(s) -> tuple[str, int]:
    return s.signer_type, s.guardian_id or s.student_id or s.staff_id


def missing_signers(
    version: DocumentVersion,
    required: Iterable | None = None,
    decisions: Iterable[str] = COUNTING_DECISIONS,
) -> list[str]:
    """Dutch descriptions of who has not (validly) signed `version` yet; empty when complete.

    `required` holds signers (Guardian, Student, StaffMember) or signer types ("guardian": at
    least one guardian); None means every signature request of this version."""
    decisions = set(decisions)
    signatures = list(version.signatures.select_related("guardian", "student", "staff"))
    counting = {_signed_key(s) for s in signatures if s.decision in decisions and s.sha256 == version.sha256}
    refused = {_signed_key(s) for s in signatures if s.decision == Decision.REFUSED}

    def label(key, name: str) -> str:
        return _("%(name)s (geweigerd)") % {"name": name} if key in refused else name

    missing: list[str] = []
    if required is None:
        requests = list(version.requests.select_related("guardian", "student", "staff"))
        if not requests:
            return [_("niemand is gevraagd te tekenen")]
        for request in requests:
            key = _signed_key(request)
            if key not in counting:
                missing.append(label(key, request.signer_name))
        return missing
    for need in required:
        if isinstance(need, str):
            if not any(key[0] == need for key in counting):
                names = [r.signer_name for r in version.requests.filter(signer_type=need)]
                missing.append(", ".join(names) if names else str(_TYPE_LABEL.get(need, need)))
            continue
        key = _key(need)
        if key not in counting:
            missing.append(label(key, need.full_name))
    return missing


def signatures_complete(
    version: DocumentVersion,
    required: Iterable | None = None,
    decisions: Iterable[str] = COUNTING_DECISIONS,
) -> bool:
    """True when `version` is the document's current version, its content is intact and every
    required signer signed it with a counting decision (akkoord / voor gezien; a refusal does not
    count). See `missing_signers` for `required`."""
    if version.document.current_version_id != version.pk or not version_intact(version):
        return False
    return not missing_signers(version, required, decisions)


def require_signatures(
    version: DocumentVersion,
    rule: str = "GP-21",
    *,
    required: Iterable | None = None,
    decisions: Iterable[str] = COUNTING_DECISIONS,
) -> None:
    """Raise ProtocolViolation(rule) unless `version` is signed as `rule` demands; the Dutch
    message names the document and who has not signed yet."""
    document = version.document
    if document.current_version_id != version.pk:
        raise ProtocolViolation(
            rule=rule,
            message=_("Versie %(number)s van “%(title)s” is vervangen; laat de nieuwe versie tekenen.")
            % {"number": version.number, "title": document.title},
        )
    if not version_intact(version):
        raise ProtocolViolation(
            rule=rule,
            message=_(
                "“%(title)s” is gewijzigd nadat het ter ondertekening werd aangeboden; "
                "de handtekeningen gelden niet voor deze inhoud."
            )
            % {"title": document.title},
        )
    missing = missing_signers(version, required, decisions)
    if missing:
        raise ProtocolViolation(
            rule=rule,
            message=_("“%(title)s” is nog niet ondertekend door: %(names)s.")
            % {"title": document.title, "names": ", ".join(missing)},
        )
