"""AVG-4: one keyed (HMAC) audit chain per school, hashing pseudonyms of the identifying fields.

Existing rows are re-chained: each school's rows (and the rows without a school) get their own
sequence from 1, pseudonyms and an HMAC with the AUDIT_HMAC_KEY of the environment running the
migration, in their original order.
"""

from django.db import migrations, models


def rechain(apps, schema_editor):
    from dossier.audit_chain import GENESIS, seal

    AuditEvent = apps.get_model("dossier", "AuditEvent")
    AuditHead = apps.get_model("dossier", "AuditHead")
    AuditHead.objects.all().delete()
    heads: dict[int, tuple[int, str]] = {}
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        event.chain = event.school_id if event.school_id is not None else 0
        seq, prev = heads.get(event.chain, (0, GENESIS))
        event.seq = seq + 1
        event.prev_hash = prev
        seal(event)
        event.save(update_fields=["chain", "seq", "prev_hash", "pseudonyms", "hash"])
        heads[event.chain] = (event.seq, event.hash)
    for chain, (seq, digest) in heads.items():
        AuditHead.objects.create(chain=chain, last_seq=seq, last_hash=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("dossier", "0007_access_export_director_part"),
    ]

    operations = [
        migrations.AddField(model_name="auditevent", name="chain", field=models.BigIntegerField(default=0)),
        migrations.AddField(
            model_name="auditevent", name="pseudonyms", field=models.JSONField(blank=True, default=dict)
        ),
        migrations.AddField(model_name="audithead", name="chain", field=models.BigIntegerField(default=0)),
        migrations.AlterField(model_name="auditevent", name="seq", field=models.BigIntegerField()),
        migrations.RunPython(rechain, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="audithead", name="chain", field=models.BigIntegerField(unique=True)
        ),
        migrations.RemoveIndex(model_name="auditevent", name="dossier_aud_student_659549_idx"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["student_id", "at"], name="auditevent_student_at"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="auditevent_chain_seq"),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["pk"], "verbose_name": "auditregel", "verbose_name_plural": "auditlog"},
        ),
    ]
