"""The bench's WSGI entry: the application with its URLs (every view module) and templates loaded before
gunicorn forks (`--preload`), so no worker spends its first request importing (which on a busy machine
ran into gunicorn's worker timeout). The same warm-up suits production with --preload."""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
application = get_wsgi_application()


def _warm() -> None:
    from django.template import engines
    from django.template.loader import get_template
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    # Every template (pages, their includes, home sections and panels) compiled once in the master,
    # not per worker on its first request of each page (those cold requests landed in the p95).
    directories = [*get_app_template_dirs("templates"), *(d for e in engines.all() for d in e.template_dirs)]
    for directory in directories:
        for path in Path(directory).rglob("*.html"):
            get_template(str(path.relative_to(directory)))


_warm()
