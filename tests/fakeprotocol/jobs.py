from dossier.models import DossierEntry

from .apps import KIND

RUNS: list[int] = []


def tick() -> dict:
    """Idempotent: counts the fake cases, changes nothing."""
    count = DossierEntry.objects.filter(kind=KIND).count()
    RUNS.append(count)
    return {"cases": count}
