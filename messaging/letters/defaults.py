"""The default text of the dossier's own letters and short messages, one per code.

They register themselves through the registry (messaging/letters/registry.py) from
dossier's `AppConfig.ready()` (`register_defaults()`); a protocol app registers its own
letters the same way and never edits this list. A school edits its own copy
(LetterTemplate); these stay the starting point.
Bodies are plain text in Django template syntax, rendered in a sandbox
(messaging/letters/render.py). Always available: `student.full_name`,
`student.first_name`, `school.name`, `school.address`, `today`, `author`,
`director`, `care_coordinator`, `guardians` and `named.<role>` (the people a
recipient rule names, e.g. GP-4 stage 3 names the director). The `variables`
list names what the calling service adds.
"""

from dataclasses import dataclass, field

from messaging.letters.registry import register_letter_template


@dataclass(frozen=True)
class DefaultLetter:
    code: str
    rule: str
    title: str
    subject: str
    body: str
    variables: tuple[str, ...] = field(default_factory=tuple)
    recipients: dict | None = None


_GREETING = "Met vriendelijke groet,\n\n{{ author }}\n{{ school.name }}"

DEFAULTS: dict[str, DefaultLetter] = {
    d.code: d
    for d in [
        DefaultLetter(
            "gp.out_of_class.hour",
            "GP-4",
            "Eén uur buiten de klas",
            "{{ student.first_name }} heeft vandaag een uur buiten de klas gewerkt",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Vandaag heeft {{ student.first_name }} na twee waarschuwingen één lesuur in een andere klas "
            "gewerkt{% if reason %} ({{ reason }}){% endif %}. "
            "{{ student.first_name }} had daar werk bij zich.\n\n"
            "Wij vragen u dit thuis met {{ student.first_name }} te bespreken.\n\n" + _GREETING,
            ("reason",),
        ),
        DefaultLetter(
            "gp.out_of_class.day",
            "GP-4",
            "Een dag buiten de klas",
            "{{ student.first_name }} werkt een dag in een andere klas",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Voor de derde keer in deze cyclus ging het gedrag van {{ student.first_name }} over de grens. "
            "{{ student.first_name }} werkt daarom {% if on_date %}op {{ on_date }} {% endif %}een hele dag "
            "in een andere klas, met werk.\n\n"
            "De directeur, {{ named.director|default:director }}, is hiervan op de hoogte en ontvangt een "
            "kopie van dit bericht.\n\n" + _GREETING,
            ("on_date", "reason"),
        ),
        DefaultLetter(
            "gp.step.invitation",
            "GP-8",
            "Uitnodiging gesprek over gedrag",
            "Uitnodiging voor een gesprek over {{ student.first_name }}",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Wij nodigen u uit voor een gesprek over het gedrag van {{ student.first_name }}"
            "{% if meeting_at %} op {{ meeting_at }}{% endif %}. Samen maken we afspraken over het gewenste "
            "gedrag, de beloning daarvoor en de maatregel als het gedrag over de grens gaat.\n\n" + _GREETING,
            ("meeting_at", "step"),
        ),
        DefaultLetter(
            "gp.time_out_group.step_plan",
            "GP-21",
            "Stappenplan time-out in een andere groep",
            "Stappenplan time-out van {{ student.first_name }}",
            "Stappenplan time-out in een andere groep\n\n"
            "Leerling: {{ student.full_name }}\nPeriode: {{ start }} tot en met {{ end }}\n"
            "Opvanggroep: {{ host_group }}\n\nAfspraken:\n{{ agreements }}\n\n"
            "Dit plan gaat pas in als school, ouders en leerling het hebben ondertekend.",
            ("start", "end", "host_group", "agreements"),
        ),
        DefaultLetter(
            "sv.time_out.report",
            "SV-1",
            "Verslag time-out",
            "Verslag van de time-out van {{ student.first_name }}",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Op {{ on_date }} kreeg {{ student.first_name }} na een ernstig incident een time-out: "
            "{{ student.first_name }} mocht die dag niet in de groep zijn, wel op school.\n\n"
            "Het incident: {{ incident }}\n\nHet gesprek: {{ talk }}\n\n"
            "Wilt u dit verslag voor gezien ondertekenen? Het wordt bewaard in het dossier.\n\n" + _GREETING,
            ("on_date", "incident", "talk"),
        ),
        DefaultLetter(
            "sv.suspension.decision",
            "SV-2",
            "Besluit schorsing",
            "Schorsing van {{ student.full_name }}",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Hierbij delen wij u mee dat {{ student.full_name }} is geschorst van {{ start }} tot en met "
            "{{ end }} ({{ days }} schooldag{{ days|pluralize:'en' }}).\n\nReden: {{ reason }}\n\n"
            "Tijdens de schorsing krijgt {{ student.first_name }} schoolwerk mee zodat er geen achterstand "
            "ontstaat. Wij nodigen u uit voor een gesprek{% if meeting_at %} op {{ meeting_at }}{% endif %}. "
            "U kunt uw zienswijze kenbaar maken aan het bevoegd gezag.\n\n"
            "Met vriendelijke groet,\n\n{{ director }}\ndirecteur {{ school.name }}",
            ("start", "end", "days", "reason", "meeting_at"),
        ),
        DefaultLetter(
            "sv.suspension.inspectorate",
            "SV-2",
            "Melding schorsing aan de inspectie",
            "Melding schorsing {{ student.full_name }}",
            "Aan de inspectie van het onderwijs,\n\n"
            "{{ school.name }} meldt de schorsing van {{ student.full_name }} van {{ start }} tot en met "
            "{{ end }} ({{ days }} schooldagen).\n\nReden: {{ reason }}\n\n"
            "Met vriendelijke groet,\n\n{{ director }}\ndirecteur {{ school.name }}",
            ("start", "end", "days", "reason"),
        ),
        DefaultLetter(
            "sv.suspension.attendance_officer",
            "SV-2",
            "Melding schorsing aan de leerplichtambtenaar",
            "Melding schorsing {{ student.full_name }}",
            "Aan de leerplichtambtenaar,\n\n"
            "{{ school.name }} meldt de schorsing van {{ student.full_name }} van {{ start }} tot en met "
            "{{ end }}.\n\nReden: {{ reason }}\n\n"
            "Met vriendelijke groet,\n\n{{ director }}\ndirecteur {{ school.name }}",
            ("start", "end", "days", "reason"),
        ),
        DefaultLetter(
            "sv.expulsion.warning",
            "SV-3",
            "Schriftelijke waarschuwing verwijdering",
            "Waarschuwing: volgende keer verwijdering",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Ondanks eerdere maatregelen blijft het gedrag van {{ student.first_name }} over de grens gaan. "
            "Hierbij waarschuwen wij u en {{ student.first_name }} schriftelijk: bij een volgende herhaling "
            "kan het bevoegd gezag besluiten {{ student.first_name }} van school te verwijderen.\n\n"
            "{% if measures %}Eerdere maatregelen: {{ measures }}\n\n{% endif %}"
            "Met vriendelijke groet,\n\n{{ director }}\ndirecteur {{ school.name }}",
            ("measures",),
        ),
        DefaultLetter(
            "sv.expulsion.decision",
            "SV-3",
            "Besluit verwijdering",
            "Besluit tot verwijdering van {{ student.full_name }}",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Het bevoegd gezag heeft, na het horen van de directeur, de leraar en u, besloten "
            "{{ student.full_name }} met ingang van {{ effective_on }} van school te verwijderen.\n\n"
            "Reden: {{ reason }}\n\n{{ student.first_name }} kan terecht op {{ new_school }}.\n\n"
            "U kunt binnen zes weken na dagtekening bezwaar maken bij het bevoegd gezag. Het bevoegd gezag "
            "beslist binnen vier weken na ontvangst van uw bezwaar.\n\nMet vriendelijke groet,\n\n"
            "namens het bevoegd gezag,\n{{ director }}",
            ("effective_on", "reason", "new_school"),
        ),
        DefaultLetter(
            "sv.objection.decision",
            "LAW-4",
            "Beslissing op bezwaar",
            "Beslissing op uw bezwaar",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "Op {{ received_on }} ontvingen wij uw bezwaar tegen {{ decision }}. Na u te hebben gehoord "
            "beslist het bevoegd gezag als volgt:\n\n{{ outcome }}\n\nMet vriendelijke groet,\n\n"
            "namens het bevoegd gezag,\n{{ director }}",
            ("received_on", "decision", "outcome"),
        ),
        DefaultLetter(
            "avg.access_request.handover",
            "AVG-1",
            "Inzage in het dossier",
            "Inzage in het dossier van {{ student.full_name }}",
            "Beste {{ requester|default:'ouder/verzorger' }},\n\n"
            "Op {{ received_on }} vroeg u om inzage in het dossier van {{ student.full_name }}. "
            "Bijgaand ontvangt u een afschrift van de gegevens die de school over "
            "{{ student.first_name }} heeft vastgelegd.\n\n"
            "Klopt er een feit niet, dan kunt u om correctie vragen. U kunt ook uw eigen zienswijze laten "
            "toevoegen aan het dossier.\n\n" + _GREETING,
            ("requester", "received_on"),
        ),
        DefaultLetter(
            "signature.requested",
            "AVG-1",
            "Document ter ondertekening",
            "Document ter ondertekening: {{ document_title }}",
            "Beste {{ signer|default:'ouder/verzorger' }},\n\n"
            'De school vraagt u het document "{{ document_title }}" over {{ student.full_name }} te lezen '
            "en te ondertekenen{% if version_number != '1' %} (versie {{ version_number }}; het document is "
            "gewijzigd, daarom vragen wij uw handtekening opnieuw){% endif %}.\n\n"
            "U vindt het document in het ouderportaal van {{ school.name }}: log in met uw e-mailadres. "
            "U kunt akkoord geven, niet akkoord geven of alleen aangeven dat u het gezien hebt.\n\n"
            + _GREETING,
            ("document_title", "version_number", "signer"),
        ),
        DefaultLetter(
            "lb.agreements.feedback",
            "LB-13",
            "Terugkoppeling afspraken leerlingbespreking",
            "Afspraken over {{ student.first_name }}",
            "Beste ouder(s)/verzorger(s) van {{ student.full_name }},\n\n"
            "In de leerlingbespreking hebben wij de volgende afspraken gemaakt:\n\n{{ agreements }}\n\n"
            "{% if evaluate_on %}We evalueren de afspraken rond {{ evaluate_on }}.\n\n{% endif %}"
            + _GREETING,
            ("agreements", "evaluate_on"),
        ),
    ]
}


# Who receives which letter by default (a recipient rule, messaging/services/messages.py).
_RECIPIENTS = {
    "gp.out_of_class.day": {
        "to": ["guardians_with_authority"],
        "cc": ["teachers", "director", "care_coordinator"],
        "named": ["director"],
    },  # GP-4 stage 3
    "sv.suspension.decision": {"to": ["guardians_with_authority"], "cc": ["director"]},  # SV-2
    "sv.suspension.inspectorate": {"to": ["inspectorate"], "cc": ["director"]},  # SV-2
    "sv.suspension.attendance_officer": {"to": ["attendance_officer"], "cc": ["director"]},  # SV-2
    "sv.expulsion.decision": {"to": ["guardians_with_authority"], "cc": ["director"]},  # SV-3
}


def register_defaults() -> None:
    """Register the dossier's letters (called from DossierConfig.ready())."""
    for default in DEFAULTS.values():
        register_letter_template(
            default.code,
            default.subject,
            default.body,
            rule=default.rule,
            title=default.title,
            variables=default.variables,
            recipients=default.recipients or _RECIPIENTS.get(default.code),
        )
