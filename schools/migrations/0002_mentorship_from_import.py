"""Group.mentors gets an explicit through model (Mentorship) on the table Django already made,
so a mentorship can say whether an import created it; teaching assignments say the same."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0001_initial"),
    ]

    operations = [
        # The table schools_group_mentors exists already: only Django's idea of it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Mentorship",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="schools.group")),
                        ("staffmember", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="schools.staffmember")),
                    ],
                    options={
                        "verbose_name": "mentoraat",
                        "verbose_name_plural": "mentoraten",
                        "db_table": "schools_group_mentors",
                        "unique_together": {("group", "staffmember")},
                    },
                ),
                migrations.AlterField(
                    model_name="group",
                    name="mentors",
                    field=models.ManyToManyField(blank=True, related_name="mentor_of", through="schools.Mentorship", to="schools.staffmember"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="mentorship",
            name="from_import",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="teachingassignment",
            name="from_import",
            field=models.BooleanField(default=False),
        ),
    ]
