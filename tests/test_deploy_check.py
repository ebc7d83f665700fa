"""The production settings pass Django's deployment checks, and refuse to start without secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(tmp_path, **env):
    # A clean production environment: no test database, no secret, and not the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE (set in this process when they ran first).
    unset = {
        "DATABASE_URL",
        "SECRET_KEY",
        "AUDIT_HMAC_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",
    }
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_check(
        tmp_path,
        SECRET_KEY="k" * 20 + "-Zx9!qR7#pL2@wM5$vN8%tB4^yC6&uD1*",
        AUDIT_HMAC_KEY="a" * 16 + "-audit-chain-key-Qm3#Tz8!",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ALLOWED_HOSTS="zorg.school.nl",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_avg_4_production_refuses_to_start_without_an_audit_key(tmp_path):
    secret = "k" * 20 + "-Zx9!qR7#pL2@wM5$vN8%tB4^yC6&uD1*"
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    missing = run_check(tmp_path, SECRET_KEY=secret, DATABASE_URL=database)
    same = run_check(tmp_path, SECRET_KEY=secret, AUDIT_HMAC_KEY=secret, DATABASE_URL=database)
    for result in (missing, same):
        assert result.returncode != 0
        assert "AUDIT_HMAC_KEY must be set" in result.stderr
