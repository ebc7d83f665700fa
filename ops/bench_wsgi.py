"""The bench's WSGI entry: the application with its URLs (every view module) and templates loaded before
gunicorn forks (`--preload`), so no worker spends its first request importing (which on a busy machine
ran into gunicorn's worker timeout). The same warm-up suits production with --preload."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
application = get_wsgi_application()


def _warm() -> None:
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for name in ("base.html", "schools/home.html", "schools/student_detail.html", "schools/group_detail.html"):
        get_template(name)


_warm()
