"""Builds EDEXML files in the shape ParnasSys and ESIS export them (not a test module).

Written from the published schemas (EDEXML 2.1, and the 2.0 set with its 1.03 example): the root
declares namespaces (`xmlns:xsi` with `xsi:noNamespaceSchemaLocation`, or a default `xmlns` with
`xsi:schemaLocation`), the version is 1.03, 2.0 or 2.1, students and groups carry vendor
`<toevoegingen>` blocks typed with `xsi:type` from schemas that are not public, and a file holds
several hundred students. Element order follows the XSD sequences.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FIRST = ["Lotte", "Daan", "Noor", "Sem", "Emma", "Liam", "Julia", "Finn", "Sara", "Milan", "Yara", "Luuk"]
LAST = [("de", "Vries"), ("", "Jansen"), ("van", "Dijk"), ("", "Bakker"), ("van der", "Berg"), ("", "Yilmaz")]
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass
class Teacher:
    key: str
    last_name: str
    first_name: str
    email: str = ""
    groups: list[str] = field(default_factory=list)  # group keys


@dataclass
class EdexmlSpec:
    version: str = "2.1"  # "1.03", "2.0" or "2.1"
    brin: str = "12AB"
    dependance: str = "00"
    school_year: int = 2026  # 2026 → "2026-2027"
    students: int = 300
    groups: int = 8  # groep 1a … 8a (jaargroep 1–8)
    root: str = "xsi"  # "xsi": xmlns:xsi + noNamespaceSchemaLocation; "xmlns": default ns + schemaLocation
    vendor_blocks: bool = True
    # student index → uitstroomdatum (ISO)
    left: dict[int, str] = field(default_factory=dict)
    teachers: list[Teacher] | None = None


def default_teachers(groups: int) -> list[Teacher]:
    """One teacher per group; every third has no e-mail address (as many exports write them)."""
    return [
        Teacher(
            key=f"LK{n + 1}",
            first_name=FIRST[n % len(FIRST)],
            last_name=f"Leerkracht{n + 1}",
            email="" if n % 3 == 2 else f"leerkracht{n + 1}@school.test",
            groups=[f"G{n + 1}"],
        )
        for n in range(groups)
    ]


def student_number(index: int) -> str:
    return f"{10001 + index}"


def _root(spec: EdexmlSpec) -> str:
    if spec.root == "xmlns":
        ns = f"http://www.edustandaard.nl/edex/{spec.version}"
        return f'<EDEX xmlns="{ns}" xmlns:xsi="{XSI}" xsi:schemaLocation="{ns} EDEXML.structuur.xsd">'
    return f'<EDEX xmlns:xsi="{XSI}" xsi:noNamespaceSchemaLocation="EDEXML.structuur.xsd">'


def _vendor(spec: EdexmlSpec, kind: str, n: int) -> list[str]:
    if not spec.vendor_blocks or spec.version == "1.03":
        return []
    return [
        "<toevoegingen>",
        f'<blok xsi:type="ParnasSys{kind}Type"><code>PARNASSYS</code>'
        f"<omschrijving>Extra gegevens ParnasSys</omschrijving><intern_id>{n}</intern_id>"
        "<zorgniveau>1</zorgniveau></blok>",
        "</toevoegingen>",
    ]


def build(spec: EdexmlSpec | None = None) -> bytes:
    spec = spec or EdexmlSpec()
    teachers = spec.teachers if spec.teachers is not None else default_teachers(spec.groups)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', _root(spec), "<school>"]
    out.append(f"<schooljaar>{spec.school_year}-{spec.school_year + 1}</schooljaar>")
    if spec.version != "1.03":
        out.append(f"<peildatum>{spec.school_year}-10-01</peildatum>")
    out += [f"<brincode>{spec.brin}</brincode>", f"<dependancecode>{spec.dependance}</dependancecode>"]
    out += [
        f"<schoolkey>{spec.brin}{spec.dependance}</schoolkey>",
        f"<aanmaakdatum>{spec.school_year}-11-20T08:14:03</aanmaakdatum>",
        "<auteur>ParnasSys</auteur>",
        f"<xsdversie>{spec.version}</xsdversie>",
        "</school>",
        "<groepen>",
    ]
    for g in range(spec.groups):
        out += [f'<groep key="G{g + 1}">', f"<naam>Groep {g + 1}a</naam>", f"<jaargroep>{g + 1}</jaargroep>"]
        out += _vendor(spec, "Groep", g)
        out.append("</groep>")
    out += ["</groepen>", "<leerlingen>"]
    for i in range(spec.students):
        prefix, last = LAST[i % len(LAST)]
        eckid = f' eckid="https://ketenid.nl/201703/{i:08d}"' if spec.version == "2.1" else ""
        out.append(f'<leerling key="{student_number(i)}"{eckid}>')
        out.append(f"<achternaam>{escape(last)}</achternaam>")
        if prefix:
            out.append(f"<voorvoegsel>{prefix}</voorvoegsel>")
        first = FIRST[i % len(FIRST)]
        out += [f"<voornamen>{first} Maria</voornamen>", f"<roepnaam>{first}</roepnaam>"]
        born = datetime.date(spec.school_year - 6, 1, 1) + datetime.timedelta(days=i * 7 % 2900)
        out += [f"<geboortedatum>{born.isoformat()}</geboortedatum>", f"<geslacht>{i % 2}</geslacht>"]
        out += [f"<jaargroep>{1 + i % spec.groups}</jaargroep>", f'<groep key="G{1 + i % spec.groups}"/>']
        out.append(f"<instroomdatum>{spec.school_year - 2}-08-20</instroomdatum>")
        if i in spec.left:
            out.append(f"<uitstroomdatum>{spec.left[i]}</uitstroomdatum>")
        out += _vendor(spec, "Leerling", i)
        out += [f"<mutatiedatum>{spec.school_year}-09-01T10:00:00</mutatiedatum>", "</leerling>"]
    out += ["</leerlingen>", "<leerkrachten>"]
    for t in teachers:
        out += [f'<leerkracht key="{t.key}">', f"<achternaam>{t.last_name}</achternaam>"]
        out.append(f"<roepnaam>{t.first_name}</roepnaam>")
        if t.email:
            out.append(f"<emailadres>{t.email}</emailadres>")
        if t.groups:
            out += ["<groepen>", *[f'<groep key="{k}"/>' for k in t.groups], "</groepen>"]
        out += _vendor(spec, "Leerkracht", 0)
        out.append("</leerkracht>")
    out += ["</leerkrachten>", "</EDEX>"]
    return ("\n".join(out) + "\n").encode("utf-8")
