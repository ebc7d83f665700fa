"""Existing schools keep their values when the settings move into the file protocol version (issue 9)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("protocols", "0001_protocol_versions"),
    ("schools", "0004_rate_counter"),
    ("dossier", "0008_audit_chain_per_school_keyed"),
]
AFTER = [
    ("protocols", "0002_existing_school_settings"),
    ("schools", "0006_dagdeel_is_a_protocol_setting"),
    ("dossier", "0012_retention_periods_are_protocol_settings"),
]


@pytest.mark.django_db(transaction=True)
def test_existing_dagdeel_and_retention_periods_become_version_1_of_the_file_protocol():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Board = old.get_model("schools", "Board")
    School = old.get_model("schools", "School")
    board = Board.objects.create(name="Stichting")
    own = School.objects.create(board=board, name="Eigen", brin="11AA", kind="po", dagdeel_minutes=240)
    plain = School.objects.create(board=board, name="Standaard", brin="22BB", kind="po")
    old.get_model("dossier", "RetentionPolicy").objects.create(school=own, kind="log_entry", years=3)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Version = new.get_model("protocols", "ProtocolVersion")
    version = Version.objects.get(school_id=own.pk, protocol="file")
    assert version.number == 1
    assert version.values == {"retention_log_entry": 3, "dagdeel_minutes": 240}
    assert version.effective_from < datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    assert not Version.objects.filter(school_id=plain.pk).exists()  # the seed's values: nothing to copy
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
