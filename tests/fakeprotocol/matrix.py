def objects(world) -> dict:
    """A fake case in school B, for the authorization matrix."""
    from dossier.services.record import record

    from .apps import KIND

    entry = record(student=world.otto, kind=KIND, title="Nepzaak Otto", actor=world.zeno)
    return {"fake_case": entry.pk}
