"""Dutch reasons for EDEXML schema errors (xmlschema reports them in English).

Each known reason becomes a sentence a functional administrator can act on; an unknown one keeps
xmlschema's English text behind a Dutch lead-in, so nothing is hidden.
"""

from __future__ import annotations

import re

import xmlschema

_KEYS = {
    "groepsKey": "groep",
    "groepKeyUnique": "groep",
    "samengesteldeGroepsKey": "samengestelde groep",
    "leerlingKey": "leerling",
    "leerkrachtKey": "leerkracht",
    "vestigingKey": "vestiging",
}


def _key_name(text: str) -> str:
    match = re.search(r"name='(\w+)'", text)
    name = match.group(1) if match else ""
    for prefix, label in _KEYS.items():
        if name.startswith(prefix):
            return label
    return "sleutel"


def _value(error) -> str:
    obj = getattr(error, "obj", None)
    return f" '{obj}'" if isinstance(obj, str | int) and len(str(obj)) < 80 else ""


_RULES: tuple[tuple[re.Pattern, object], ...] = (
    (
        re.compile(r"Unexpected child with tag '([^']+)' at position \d+\. Tag '([^']+)' expected"),
        lambda m, e: f"element <{m[1]}> staat hier niet goed; verwacht is <{m[2]}>.",
    ),
    (
        re.compile(r"Unexpected child with tag '([^']+)'"),
        lambda m, e: f"element <{m[1]}> hoort hier niet (onbekend of op de verkeerde plaats).",
    ),
    (
        re.compile(r"The content of element '([^']+)' is not complete\. Tag '([^']+)' expected"),
        lambda m, e: f"element <{m[1]}> is onvolledig: <{m[2]}> ontbreekt.",
    ),
    (
        re.compile(r"is not complete"),
        lambda m, e: "dit element is onvolledig: een verplicht onderdeel ontbreekt.",
    ),
    (
        re.compile(r"missing required attribute '([^']+)'"),
        lambda m, e: f"het verplichte attribuut '{m[1]}' ontbreekt.",
    ),
    (
        re.compile(r"'([^']+)' attribute not allowed"),
        lambda m, e: f"het attribuut '{m[1]}' is hier niet toegestaan.",
    ),
    (
        re.compile(r"duplicated value \('([^']*)',\) for (.*)"),
        lambda m, e: f"{_key_name(m[2])} met key '{m[1]}' staat twee keer in het bestand.",
    ),
    (
        re.compile(r"value \('([^']*)',\) not found for (.*)"),
        lambda m, e: f"verwijst naar {_key_name(m[2])} met key '{m[1]}', maar die staat niet in het bestand.",
    ),
    (re.compile(r"missing key field '@?([^']+)'"), lambda m, e: f"de verplichte key '{m[1]}' ontbreekt."),
    (
        re.compile(r"value length cannot be greater than (\d+)"),
        lambda m, e: f"waarde{_value(e)} is te lang (hoogstens {m[1]} tekens).",
    ),
    (
        re.compile(r"value length cannot be lower than (\d+)"),
        lambda m, e: f"waarde{_value(e)} is te kort (minstens {m[1]} tekens).",
    ),
    (
        re.compile(r"value must be one of \[(.*)\]", re.S),
        lambda m, e: f"waarde{_value(e)} is niet toegestaan; kies uit {_short(m[1])}.",
    ),
    (
        re.compile(r"doesn't match any pattern"),
        lambda m, e: f"waarde{_value(e)} heeft niet de vereiste vorm.",
    ),
    (
        re.compile(r"Invalid datetime string '([^']*)'.*Date"),
        lambda m, e: f"'{m[1]}' is geen geldige datum (jjjj-mm-dd).",
    ),
    (
        re.compile(r"Invalid datetime string '([^']*)'"),
        lambda m, e: f"'{m[1]}' is geen geldige datum-tijd (jjjj-mm-ddTuu:mm:ss).",
    ),
    (re.compile(r"can't have child elements"), lambda m, e: "dit element mag alleen tekst bevatten."),
    (
        re.compile(r"is abstract"),
        lambda m, e: "dit blok heeft een type (xsi:type) nodig dat het schema kent.",
    ),
    (
        re.compile(r"invalid literal for int|not an integer", re.I),
        lambda m, e: f"waarde{_value(e)} is geen geheel getal.",
    ),
)


def _short(options: str) -> str:
    values = re.findall(r"'([^']*)'", options)
    return ", ".join(values[:12]) + (" …" if len(values) > 12 else "")


def reason_nl(error: xmlschema.XMLSchemaValidationError) -> str:
    reason = (error.reason or "").strip()
    for pattern, sentence in _RULES:
        match = pattern.search(reason)
        if match:
            return sentence(match, error)
    return f"het schema keurt dit af ({reason})."


def explain(error: xmlschema.XMLSchemaValidationError) -> str:
    return f"voldoet niet aan het EDEXML-schema ({error.path or '/'}): {reason_nl(error)}"
