"""Existing schools keep their values: their dagdeel length and retention periods become version 1 of
their file protocol (issue 9: school settings that are protocol numbers move into ProtocolVersion)."""

import datetime

from django.db import migrations

DEFAULT_DAGDEEL = 180


def copy_settings(apps, schema_editor):
    School = apps.get_model("schools", "School")
    RetentionPolicy = apps.get_model("dossier", "RetentionPolicy")
    ProtocolVersion = apps.get_model("protocols", "ProtocolVersion")
    now = datetime.datetime.now(datetime.UTC)
    for school in School.objects.all():
        values = {f"retention_{kind}": years for kind, years in
                  RetentionPolicy.objects.filter(school=school).values_list("kind", "years")}
        if school.dagdeel_minutes != DEFAULT_DAGDEEL:
            values["dagdeel_minutes"] = school.dagdeel_minutes
        if values and not ProtocolVersion.objects.filter(school=school, protocol="file").exists():
            ProtocolVersion.objects.create(
                school=school, protocol="file", number=1, values=values,
                reason="Overgenomen uit de schoolinstellingen", created_at=now,
                effective_from=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0001_protocol_versions"),
        ("schools", "0004_rate_counter"),
        ("dossier", "0008_audit_chain_per_school_keyed"),
    ]

    operations = [migrations.RunPython(copy_settings, migrations.RunPython.noop)]
