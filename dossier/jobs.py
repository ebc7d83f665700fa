"""Periodic jobs of the dossier app, imported by DossierConfig.ready(): each feature module
registers its own with @periodic_job (schools.periodic), so importing it registers the job."""

from .services import retention  # noqa: F401  retention.purge
