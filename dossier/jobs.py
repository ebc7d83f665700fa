"""Periodic jobs of the dossier app. Each feature module registers its own with @periodic_job."""

from importlib import import_module

# Feature modules that define @periodic_job functions (imported for their side effect).
for _module in (
    "dossier.audit_chain",
    "dossier.services.deadlines",
    "dossier.services.outbox",
    "dossier.services.retention",
):
    try:
        import_module(_module)
    except ModuleNotFoundError as error:  # a feature not built yet
        if error.name != _module:
            raise
