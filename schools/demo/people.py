"""Deterministic fictional people: students with fitting birth dates, families of guardians."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from .names import ADULT_FIRST, BOYS, GIRLS, LAST_NAMES


@dataclass
class Family:
    prefix: str
    last_name: str
    # (first name, prefix, last name, relation, has parental authority)
    guardians: list[tuple[str, str, str, str, bool]] = field(default_factory=list)
    guardian_pks: list[int] = field(default_factory=list)


def adult_name(rng: random.Random) -> tuple[str, str, str]:
    prefix, last = rng.choice(LAST_NAMES)
    return rng.choice(ADULT_FIRST), prefix, last


def child_first_name(rng: random.Random) -> str:
    return rng.choice(GIRLS if rng.random() < 0.5 else BOYS)


def birth_date(rng: random.Random, school_year_start: datetime.date, age_at_start: int) -> datetime.date:
    """Born between 1 October and 30 September, so the child is `age_at_start` on 1 October."""
    first = datetime.date(school_year_start.year - age_at_start - 1, 10, 1)
    return first + datetime.timedelta(days=rng.randrange(365))


def new_family(rng: random.Random) -> Family:
    prefix, last = rng.choice(LAST_NAMES)
    family = Family(prefix=prefix, last_name=last)
    first, _, _ = adult_name(rng)
    family.guardians.append((first, prefix, last, "ouder", True))
    if rng.random() < 0.75:
        # A second guardian; some carry their own name, a few have no parental authority (AVG-1).
        first2, prefix2, last2 = adult_name(rng)
        if rng.random() < 0.6:
            prefix2, last2 = prefix, last
        if rng.random() < 0.1:
            family.guardians.append((first2, prefix2, last2, "stiefouder", False))
        else:
            family.guardians.append((first2, prefix2, last2, "ouder", True))
    return family


def pick_family(rng: random.Random, families: list[Family]) -> tuple[Family, bool]:
    """About one student in seven is a sibling of an earlier one (same guardians)."""
    if families and rng.random() < 0.14:
        return rng.choice(families[-60:]), False
    family = new_family(rng)
    families.append(family)
    return family, True
