"""Periodic jobs of the dossier app, imported by DossierConfig.ready(): each feature module
registers its own with @periodic_job (dossier.periodic), so importing it registers the job."""

from . import audit_chain  # noqa: F401  audit.checkpoint
from .services import deadlines, outbox, retention  # noqa: F401  deadlines.remind, outbox.retry, retention.purge
