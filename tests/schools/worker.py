"""Run `manage.py db_worker` as a separate process against the test database (not a test module).

The production path: the web request enqueues, a worker process on its own connection applies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not DATABASE_URL's)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or 'localhost'}{port}/{db['NAME']}"


def start_worker(*, batch: bool = True) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    args = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.1", "--no-startup-delay"]
    if batch:
        args.append("--batch")
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def stop(worker: subprocess.Popen) -> str:
    """End the worker (it may be waiting on a lock) and return what it printed."""
    if worker.poll() is None:
        worker.kill()
    output, _ = worker.communicate(timeout=30)
    return output or ""


__all__ = ["database_url", "settings", "start_worker", "stop"]
