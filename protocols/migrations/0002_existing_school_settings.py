"""Folded away by the app split (issue 9 §2): this migration copied the dagdeel length and the retention
periods of existing schools into version 1 of their file protocol. No database has been deployed, the
old `dossier.RetentionPolicy` table no longer exists in any migration history, so there is nothing left to
convert. The node stays (empty) because other migrations depend on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0001_protocol_versions"),
        ("schools", "0004_rate_counter"),
    ]

    operations = []
