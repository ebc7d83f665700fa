"""Demo data generators for `manage.py demo`."""
