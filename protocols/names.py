"""Finding children's names in free text: the one matcher behind redaction (AVG-1, AVG-4) and the
text checks (protocols.text_checks).

Word-aware and case-insensitive. A name is found as
- first name, surname, or full name (with and without the tussenvoegsel): "Eva", "Jansen",
  "Eva Jansen", "Sanne de Vries", "Sanne Vries", "de Vries", "De Vries", "Vries";
- initial(s) with surname: "E. Jansen", "E Jansen", "E.Jansen", "E.J. Jansen", "S. de Vries";
- possessive: "Eva's", "Eva’s", "Daans", "Lars'"; diminutive: "Daantje", "Evaatje";
- in any capitals ("EVA", "eva"), with accents ("Zoë") and hyphens ("Jan-Willem" is one word).
A word that merely contains a name is another word ("Evaluatie", "Janssen", "Milano").

Decisions:
- A name that is also an everyday Dutch word ("Dan", "Ben", "Wil", "Roos", "de Jong", "van der
  Meer", "Bakker") is not found when written all in lower case: "dan", "meer", "bakker" stay.
  Written with a capital it is found, also at the start of a sentence: a name too many
  redacted is better than one leaked.
- A name that is one of the subject student's own (their first name, surname, initial with
  surname) is never found: redacting it would blank out the student's own file. A sibling with
  the same surname is still found by first name, full name and initial with surname.
- A hyphenated surname ("Jansen-Bakker") is found whole; its parts alone are not.

Built from (first name, tussenvoegsel, surname) triples: a school of 2,000 children is a few
dict lookups per word of text, never one huge regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A word: letters and digits, joined by inner hyphens and apostrophes ("Jan-Willem", "Eva's").
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
APOSTROPHES = "'’"
VOWELS = set("aeiouyëïéèöüáóú")

# Names that are also everyday words: not found in all-lower-case text. Surnames and first names.
COMMON_WORDS = frozenset(
    """
    dan ben wil roos mees fleur hoop storm zon bloem lucht sterre lot mus
    jong wit boer bakker visser smit graaf dijk berg bos brink hof kok koster mulder meer laan wal
    plas haan vos wolf leeuw koning prins post groen zwart bruin lange klein groot kort sterk baas
    bijl stam hoek beek veen dam steen kamp boom heuvel horst velde winter zomer zee mol vink
    schipper beer haas duif kuiper timmer snel lief hart kind man dag ster maan veld rijk arm
    """.split()
)

POSSESSIVE_SUFFIXES = ("'s", "’s")
DIMINUTIVE_SUFFIXES = ("'tje", "’tje", "tje", "je")


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    text: str


def words(name: str) -> tuple[str, ...]:
    if name.isalnum():  # most names: one plain word
        return (name.lower(),)
    return tuple(w.lower() for w in WORD.findall(name or ""))


def _split(entry) -> tuple[str, str, str]:
    """(first, prefix, last) from a triple or anything with first_name/name_prefix/last_name."""
    if type(entry) is tuple or isinstance(entry, list):
        first, prefix, last = entry
        return first or "", prefix or "", last or ""
    return entry.first_name or "", getattr(entry, "name_prefix", "") or "", entry.last_name or ""


def name_keys(first: str, prefix: str, last: str) -> set[tuple[str, ...]]:
    """Every form (as lower-case word tuples) under which this child is found."""
    f, p, surname = words(first), words(prefix), words(last)
    keys: set[tuple[str, ...]] = set()
    if f and len("".join(f)) >= 2:
        keys.add(f)
    if surname and len("".join(surname)) >= 2:
        keys.add(surname)
        if p:
            keys.add(p + surname)
    if f and surname:
        keys.add(f + surname)
        if p:
            keys.add(f + p + surname)
    initial = (first.strip()[:1].lower(),) if first.strip() else ()
    if initial and surname:
        keys.add(initial + surname)
        if p:
            keys.add(initial + p + surname)
    return keys


class NameIndex:
    """The names of a set of children, to find in text; `own` names are never found."""

    def __init__(self, people: Iterable, own: Iterable = ()):
        own_keys: set[tuple[str, ...]] = set()
        for person in own:
            own_keys |= name_keys(*_split(person))
        keys: set[tuple[str, ...]] = set()
        for person in people:
            keys.update(name_keys(*_split(person)))
        self.keys = keys - own_keys
        # Longest key per first word: most words start no name and cost one dict lookup.
        longest: dict[str, int] = {}
        for key in self.keys:
            if len(key) > longest.get(key[0], 0):
                longest[key[0]] = len(key)
        self.longest = longest

    def __bool__(self) -> bool:
        return bool(self.keys)

    def find(self, text: str) -> list[NameMatch]:
        if not text or not self.keys:
            return []
        tokens = list(WORD.finditer(text))
        found: list[NameMatch] = []
        i = 0
        while i < len(tokens):
            end_index = self._match_at(text, tokens, i)
            if end_index is None:
                i += 1
                continue
            start = _absorb_initials(text, tokens, i, found[-1].end if found else 0)
            end = tokens[end_index - 1].end()
            # "Lars'": a possessive apostrophe after the name belongs to it.
            if end < len(text) and text[end] in APOSTROPHES and not text[end + 1 : end + 2].isalnum():
                end += 1
            found.append(NameMatch(start, end, text[start:end]))
            i = end_index
        return found

    def _match_at(self, text: str, tokens: list, i: int) -> int | None:
        """Index after the longest name starting at token i, or None."""
        first = tokens[i].group()
        low = first.lower()
        # Only a word ending in -s or -je can be a possessive or a diminutive of a name.
        candidates = [low, *_bases(first)] if low[-1] in "se" else [low]
        for candidate in candidates:
            longest = self.longest.get(candidate, 0)
            if not longest:
                continue
            for n in range(min(longest, len(tokens) - i), 0, -1):
                run = tokens[i : i + n]
                if n > 1 and not _joined(text, run):
                    continue
                if n > 1 and len(run[0].group()) == 1 and not run[0].group().isupper():
                    continue  # an initial is a capital: "e jansen" is not "E. Jansen"
                key = tuple(t.group().lower() for t in run)
                if n == 1:
                    key = (candidate,)
                elif candidate != key[0]:
                    continue  # a possessive or diminutive only at the end ("Eva's", not "Eva's Jansen")
                last_forms = [key[-1]] + _bases(run[-1].group()) if n > 1 else [key[-1]]
                for last in last_forms:
                    full = (*key[:-1], last)
                    if full in self.keys and not _common_in_lower_case(run, full):
                        return i + n
        return None


def _bases(token: str) -> list[str]:
    """The name a possessive or diminutive word is made of: "Eva's" → "eva", "Daantje" → "daan"."""
    low = token.lower()
    bases = []
    for suffix in POSSESSIVE_SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 1:
            bases.append(low[: -len(suffix)])
    # "Daans fiets": the possessive without apostrophe, only for a capitalised word ("dans" is a word).
    if low.endswith("s") and len(low) > 3 and not token.islower():
        bases.append(low[:-1])
    for suffix in DIMINUTIVE_SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 1:
            stem = low[: -len(suffix)]
            bases.append(stem)
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] in VOWELS:
                bases.append(stem[:-1])  # "Evaatje" → "eva"
            break
    return bases


def _joined(text: str, run: list) -> bool:
    """The words of a run are one name: separated by spaces, or after an initial by a dot."""
    for a, b in zip(run, run[1:], strict=False):
        gap = text[a.end() : b.start()]
        if gap.isspace():
            continue
        if len(a.group()) == 1 and gap.startswith(".") and (gap[1:] == "" or gap[1:].isspace()):
            continue
        return False
    return True


def _common_in_lower_case(run: list, key: tuple[str, ...]) -> bool:
    """An everyday word written in lower case ("dan", "meer", "de boer") is not a name."""
    return key[-1] in COMMON_WORDS and all(t.group().islower() for t in run)


_INITIAL_BEFORE = re.compile(r"(?:(?<![^\W\d_])[^\W\d_]\.\s?)+$")


def _absorb_initials(text: str, tokens: list, i: int, floor: int) -> int:
    """Start of the match, moved back over initials written before it ("E.J. Jansen")."""
    start = tokens[i].start()
    match = _INITIAL_BEFORE.search(text, floor, start)
    if match and match.group().replace(".", "").replace(" ", "").isupper():
        return match.start()
    return start
