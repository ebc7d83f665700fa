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
import threading
from collections import OrderedDict
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
    """The names of a set of children, to find in text; `own` names are never found.

    Built lazily (issue #13): `find` indexes only the children whose names can start at a word of the
    text (a key's first word is the first word of the first name, tussenvoegsel or surname, or the
    initial), so a school of 600 children costs a few `name_keys` calls per text, not 600. The answer
    is the same as with every child indexed: a match at a word only ever looks at keys that start
    with one of that word's forms (`_candidates`). Which child starts with which word is a pure
    function of the names: for plain (first, prefix, last) triples it is kept per list of names
    (`_lead_index`, keyed on the whole list, so a changed, added or removed name is another key).
    """

    def __init__(self, people: Iterable, own: Iterable = ()):
        own_keys: set[tuple[str, ...]] = set()
        for person in own:
            own_keys |= name_keys(*_split(person))
        self._own = own_keys
        people = list(people)
        # The school's rows come as triples: kept as given (split when indexed) and the key of `_lead_index`.
        self._plain = bool(people) and set(map(type, people)) == {tuple}
        self._people = people if self._plain else [_split(person) for person in people]
        self._by_word: dict[str, list[int]] | None = None  # first word of a key → people
        self._indexed: set[int] = set()  # people whose keys are in `_keys`
        self._covered: set[str] = set()  # words whose keys are all in `_keys`
        self._keys: set[tuple[str, ...]] = set()
        # Longest key per first word: most words start no name and cost one dict lookup.
        self._longest: dict[str, int] = {}
        self._any: bool | None = None

    @property
    def keys(self) -> set[tuple[str, ...]]:
        """Every key of every child (builds the whole index)."""
        self._add(range(len(self._people)))
        return self._keys

    @property
    def longest(self) -> dict[str, int]:
        self._add(range(len(self._people)))
        return self._longest

    def __bool__(self) -> bool:
        if self._any is None:
            own = self._own
            self._any = any(not name_keys(*_split(person)) <= own for person in self._people)
        return self._any

    def _add(self, indices: Iterable[int]) -> None:
        keys, longest, own, indexed = self._keys, self._longest, self._own, self._indexed
        for i in indices:
            if i in indexed:
                continue
            indexed.add(i)
            for key in name_keys(*_split(self._people[i])):
                if key not in own:
                    keys.add(key)
                    if len(key) > longest.get(key[0], 0):
                        longest[key[0]] = len(key)

    def _cover(self, candidates: set[str]) -> None:
        """Index every child with a key starting with one of `candidates`."""
        wanted = candidates - self._covered
        if not wanted:
            return
        if self._by_word is None:
            self._by_word = _lead_index(self._people, keep=self._plain)
        for word in wanted:
            self._add(self._by_word.get(word, ()))
        self._covered |= wanted

    def find(self, text: str) -> list[NameMatch]:
        if not text or not self._people:
            return []
        tokens = list(WORD.finditer(text))
        self._cover({c for token in tokens for c in _candidates(token.group())})
        if not self._keys:
            return []
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
        for candidate in _candidates(tokens[i].group()):
            longest = self._longest.get(candidate, 0)
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
                    if full in self._keys and not _common_in_lower_case(run, full):
                        return i + n
        return None


_LEAD_INDEXES: OrderedDict[tuple, dict[str, list[int]]] = OrderedDict()
LEAD_INDEXES_KEPT = 8  # schools served lately by this process
_LEAD_LOCK = threading.Lock()


def _lead_index(people: list, *, keep: bool) -> dict[str, list[int]]:
    """{word: [index of each person with a key starting with it]}; with `keep`, remembered for this
    exact list of names (a pure function of it: the same list is the same answer)."""
    key = tuple(people) if keep else None
    if key is not None:
        with _LEAD_LOCK:
            found = _LEAD_INDEXES.get(key)
            if found is not None:
                _LEAD_INDEXES.move_to_end(key)
                return found
    by_word: dict[str, list[int]] = {}
    for i, person in enumerate(people):
        for word in _lead_words(*_split(person)):
            by_word.setdefault(word, []).append(i)
    if key is not None:
        with _LEAD_LOCK:
            _LEAD_INDEXES[key] = by_word
            while len(_LEAD_INDEXES) > LEAD_INDEXES_KEPT:
                _LEAD_INDEXES.popitem(last=False)
    return by_word


def _candidates(token: str) -> list[str]:
    """The forms a word of text is looked up under: itself and, for a word ending in -s or -je (a
    possessive or a diminutive of a name), the name it is made of."""
    low = token.lower()
    return [low, *_bases(token)] if low[-1] in "se" else [low]


def _lead(name: str) -> str:
    """The first of `words(name)` ("" for none), without building the tuple."""
    if name.isalnum():
        return name.lower()
    match = WORD.search(name or "")
    return match.group().lower() if match else ""


def _lead_words(first: str, prefix: str, last: str) -> set[str]:
    """Every word a key of `name_keys(first, prefix, last)` can start with (a superset)."""
    leads = {_lead(first), _lead(last), _lead(prefix), first.strip()[:1].lower()}
    leads.discard("")
    return leads


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
