"""The registry of letter templates (ARCHITECTURE: registries, not fixed lists).

An app registers the letters it sends from its `AppConfig.ready()`:

    from messaging.letters.registry import register_letter_template
    register_letter_template(
        "sv.suspension.decision", default_subject="Schorsing van {{ student.full_name }}",
        default_body="…", rule="SV-2", title="Besluit schorsing",
        recipients={"to": ["guardians_with_authority"], "cc": ["director"]},
        variables=("start", "end"),
    )

The default text is the starting point; a school edits its own copy (LetterTemplate). The
letters page lists this registry; `send_letter(...)` reads the recipients rule from it when
the caller gives none. Registering the same code twice with other text is a programming error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GUARDIANS_ONLY = {"to": ["guardians_with_authority"]}


@dataclass(frozen=True)
class RegisteredLetter:
    code: str
    rule: str
    title: str
    subject: str
    body: str
    variables: tuple[str, ...] = field(default_factory=tuple)
    # A recipient rule (messaging/services/messages.py): {"to": [...], "cc": [...], "named": [...]}.
    recipients: dict[str, list[str]] = field(default_factory=lambda: dict(GUARDIANS_ONLY))


_LETTERS: dict[str, RegisteredLetter] = {}


def register_letter_template(
    code: str,
    default_subject: str,
    default_body: str,
    *,
    rule: str = "GP-4",
    title: str = "",
    recipients: dict[str, list[str]] | None = None,
    variables: tuple[str, ...] | list[str] = (),
) -> RegisteredLetter:
    letter = RegisteredLetter(
        code=code,
        rule=rule,
        title=title or code,
        subject=default_subject,
        body=default_body,
        variables=tuple(variables),
        recipients={k: list(v) for k, v in (recipients or GUARDIANS_ONLY).items()},
    )
    existing = _LETTERS.get(code)
    if existing is not None and existing != letter:
        raise ValueError(f"Brief {code!r} is al geregistreerd met een andere tekst.")
    _LETTERS[code] = letter
    return letter


def registered_letter(code: str) -> RegisteredLetter | None:
    return _LETTERS.get(code)


def registered_letters() -> list[RegisteredLetter]:
    """Every registered letter, ordered by code (the letters page)."""
    return [_LETTERS[code] for code in sorted(_LETTERS)]


def unregister_letter_template(code: str) -> None:
    """For tests that register a fake protocol's letter."""
    _LETTERS.pop(code, None)
