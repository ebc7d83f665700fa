"""Text checks shared by every protocol and every text that lands in a student's file.

One function, `check_text`, returns what a writer should look at again:
- names of other students of the school (AVG-1, AVG-4): write "een medeleerling" instead;
- labels (LB-8): "lui", "dom", "probleemkind", … in any inflection ("luie", "domme",
  "probleemkinderen", "moeilijke kinderen", "ADHD'ers", "autistisch");
- vague goals (LB-9): "meer inzet tonen", "beter opletten", … in any word order and verb form
  within one sentence ("toont meer inzet", "let beter op", "is gemotiveerder").
The lists are defaults here and parameters of `check_text`, so a school's protocol version can
replace them (issue: protocols as configuration).

Decisions: a diagnosis named as a fact ("heeft de diagnose autisme", "ADHD") is not a label;
the child described as the diagnosis ("autist", "autistisch", "ADHD'er") is. A comparative such as
"luier" is not generated: it is also a nappy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from .names import NameIndex

DEFAULT_LABELS: tuple[str, ...] = ("lui", "dom", "probleemkind", "moeilijk kind", "ADHD'er", "autist")
DEFAULT_VAGUE_GOALS: tuple[str, ...] = ("meer inzet tonen", "beter opletten", "gemotiveerder zijn")

NAME, LABEL, VAGUE_GOAL = "name", "label", "vague_goal"
KINDS = (NAME, LABEL, VAGUE_GOAL)
COLLEAGUE = "een medeleerling"

# Words a goal may carry that say nothing about the goal itself ("gemotiveerder zijn").
AUXILIARIES = frozenset("zijn worden gaan moeten kunnen willen hebben laten".split())
SEPARABLE_PREFIXES = (
    "terug",
    "samen",
    "door",
    "over",
    "voor",
    "mee",
    "aan",
    "uit",
    "weg",
    "bij",
    "op",
    "af",
    "in",
    "na",
)
VOWELS = "aeiou"


@dataclass(frozen=True)
class Finding:
    kind: str  # NAME, LABEL or VAGUE_GOAL
    text: str  # as written
    start: int
    end: int
    rule: str
    suggestion: str
    replacement: str = ""  # offered in place of `text` (names: "een medeleerling")


def check_text(
    text: str,
    *,
    names: NameIndex | None = None,
    labels: Iterable[str] = DEFAULT_LABELS,
    vague_goals: Iterable[str] = DEFAULT_VAGUE_GOALS,
) -> list[Finding]:
    """Everything in `text` to look at again, in reading order.

    `names` holds the other students of the school (see `school_names`), without the subject(s).
    """
    if not text or not text.strip():
        return []
    findings: list[Finding] = []
    for match in names.find(text) if names else []:
        findings.append(
            Finding(
                kind=NAME,
                text=match.text,
                start=match.start,
                end=match.end,
                rule="AVG-4",
                suggestion=_("Dit lijkt de naam van een andere leerling. Schrijf liever “een medeleerling”."),
                replacement=COLLEAGUE,
            )
        )
    for label in labels:
        for match in _label_pattern(label).finditer(text):
            findings.append(
                Finding(
                    kind=LABEL,
                    text=match.group(),
                    start=match.start(),
                    end=match.end(),
                    rule="LB-8",
                    suggestion=_("Dit is een etiket. Beschrijf wat je ziet gebeuren."),
                )
            )
    for goal in vague_goals:
        for start, end in _goal_spans(text, goal):
            findings.append(
                Finding(
                    kind=VAGUE_GOAL,
                    text=text[start:end],
                    start=start,
                    end=end,
                    rule="LB-9",
                    suggestion=_(
                        "Dit doel is vaag. Beschrijf wat de leerling doet, hoe vaak en wanneer, zodat je "
                        "het kunt meten."
                    ),
                )
            )
    return sorted(findings, key=lambda f: (f.start, f.end))


# --- labels -------------------------------------------------------------------------------


def _word_forms(word: str) -> list[str]:
    """Regex alternatives for one word of a label: the word and its inflections."""
    low = word.lower()
    # ADHD'er, ADHD’er, ADHD-er, ADHDer
    stem = "['’-]?".join(re.escape(part) for part in re.split(r"['’]", low))
    forms = {stem, stem + "e", stem + "en", stem + "heid"}
    if _doubles(low):
        double = stem + re.escape(low[-1])
        forms |= {double + "e", double + "en"}  # dom → domme
    if len(low) >= 4 and low[-3] == low[-2] and low[-2] in VOWELS and low[-1] not in VOWELS:
        # A long vowel loses its twin before -e: brutaal → brutale, boos → boze, braaf → brave.
        last = {"s": "z", "f": "v"}.get(low[-1], low[-1])
        single = re.escape(low[:-3] + low[-2] + last)
        forms |= {single + "e", single + "en"}
    if low.endswith("er"):
        forms.add(stem + "s")  # ADHD'er → ADHD'ers
    if low.endswith("ist"):
        forms |= {stem + "isch", stem + "ische", stem + "en"}  # autist → autistisch, autisten
    if low.endswith("kind"):
        forms |= {stem + "eren", stem + "je", stem + "jes", stem + "ertje", stem + "ertjes"}
    return sorted(forms, key=len, reverse=True)


def _doubles(word: str) -> bool:
    """A short vowel before one final consonant doubles it before -e ("dom" → "domme")."""
    return (
        len(word) >= 3
        and word[-1].isalpha()
        and word[-1] not in VOWELS + "wjy"
        and word[-2] in VOWELS
        and word[-3] not in VOWELS
    )


@lru_cache(maxsize=256)
def _label_pattern(label: str) -> re.Pattern:
    parts = [f"(?:{'|'.join(_word_forms(w))})" for w in label.split()]
    return re.compile(r"(?<![\w'’-])" + r"\s+".join(parts) + r"(?![\w'’-])", re.IGNORECASE)


# --- vague goals ----------------------------------------------------------------------------

# A goal is looked for within one clause: a sentence, or a part of it between commas.
_SENTENCE = re.compile(r"[^.!?\n,;:]+")
WINDOW = 6  # the goal's words lie at most this many words apart
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _verb_stem(infinitive: str) -> str:
    stem = infinitive[:-2] if infinitive.endswith("en") else infinitive[:-1]
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        stem = stem[:-1]  # letten → let
    elif len(stem) >= 3 and stem[-1] not in VOWELS and stem[-2] in VOWELS and stem[-3] not in VOWELS:
        stem = stem[:-1] + stem[-2] + stem[-1]  # tonen → toon
    if stem.endswith("v"):
        stem = stem[:-1] + "f"
    elif stem.endswith("z"):
        stem = stem[:-1] + "s"
    return stem


def _verb_forms(infinitive: str, prefix: str = "") -> set[str]:
    stem = _verb_stem(infinitive)
    plain = stem[:-1] + stem[-2] if stem[-2:-1] in VOWELS and stem[-3:-2] == stem[-2:-1] else stem
    past = {stem + "te", stem + "de", stem + "ten", stem + "den"}
    participle = {"ge" + stem + "t", "ge" + stem + "d", "ge" + stem}
    if plain != stem:  # toon → tonen, getoond; let → lette
        past |= {plain + "de", plain + "te"}
    return (
        {prefix + infinitive, prefix + stem, prefix + stem + "t"}
        | {prefix + p for p in past}
        | {prefix + p for p in participle}
    )


Term = tuple[tuple[frozenset[str], ...], ...]  # alternatives, each a set of words that must all be there


@lru_cache(maxsize=256)
def _goal_terms(goal: str) -> tuple[Term, ...]:
    """Per word of the goal, the ways it can be written in a sentence."""
    terms: list[Term] = []
    for word in goal.lower().split():
        if word in AUXILIARIES:
            continue
        if word.endswith("en") and len(word) > 4:  # a verb
            prefix = next(
                (p for p in SEPARABLE_PREFIXES if word.startswith(p) and len(word) - len(p) >= 4), ""
            )
            base = word[len(prefix) :]
            fused = _verb_forms(base, prefix)
            if prefix:
                fused |= {prefix + form for form in _verb_forms(base) if form.startswith("ge")}  # opgelet
                # "let … op": the verb and its prefix apart, in the same sentence.
                terms.append(((frozenset(fused),), (frozenset(_verb_forms(base)), frozenset({prefix}))))
            else:
                terms.append(((frozenset(fused),),))
        else:
            terms.append(((frozenset({word, word + "e", word + "en", word + "s"}),),))
    return tuple(terms)


def _goal_spans(text: str, goal: str) -> list[tuple[int, int]]:
    terms = _goal_terms(goal)
    if not terms:
        return []
    spans = []
    for sentence in _SENTENCE.finditer(text):
        tokens = [(t.group().lower(), t.start(), t.end()) for t in _TOKEN.finditer(sentence.group())]
        positions: list[int] | None = []
        for alternatives in terms:
            for required in alternatives:
                hits = [next((i for i, t in enumerate(tokens) if t[0] in words), None) for words in required]
                if None not in hits:
                    positions += hits
                    break
            else:
                positions = None
                break
        if positions and max(positions) - min(positions) <= WINDOW:
            base = sentence.start()
            spans.append((base + tokens[min(positions)][1], base + tokens[max(positions)][2]))
    return spans


# --- the school's names ---------------------------------------------------------------------


def school_names(school_id: int, *, exclude: Iterable = (), cache: dict | None = None) -> NameIndex:
    """The names of the school's students (current and former) except `exclude` (the subject
    students, whose own names are never flagged). One query; with `cache` (e.g. a dict kept on
    the request) the rows are read once per request however often it is asked."""
    from schools.models import Student

    key = ("school_names", school_id)
    rows = cache.get(key) if cache is not None else None
    if rows is None:
        rows = list(
            Student.objects.filter(school_id=school_id).values_list(
                "pk", "first_name", "name_prefix", "last_name"
            )
        )
        if cache is not None:
            cache[key] = rows
    excluded = {getattr(s, "pk", s) for s in exclude}
    own = [r[1:] for r in rows if r[0] in excluded]
    return NameIndex([r[1:] for r in rows if r[0] not in excluded], own=own)


SHOWN_FIELD = "tekstcontrole_getoond"


def warnings_shown(data) -> list[str]:
    """The kinds of warning the writer was shown, from the hidden input the partial keeps up to date.

    Only known kinds pass; anything else in the field is ignored."""
    value = data.get(SHOWN_FIELD, "") if data is not None else ""
    given = {part.strip() for part in str(value)[:100].split(",")}
    return [kind for kind in KINDS if kind in given]
