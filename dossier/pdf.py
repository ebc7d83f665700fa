"""HTML to PDF with WeasyPrint, never touching the network (letters, the access-request export)."""

import functools
import ssl
from pathlib import Path

from django.conf import settings


def safe_url_fetcher():
    """WeasyPrint must never reach the network: only data: URLs and our own static files."""
    from weasyprint.urls import URLFetcher

    class _Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and _is_static_file(url.removeprefix("file://")):
                return super().fetch(url, headers)
            raise ValueError(f"URL refused: {url[:80]}")

    return _Fetcher(allowed_protocols=("data", "file"), allow_redirects=False, ssl_context=_ssl_context())


@functools.cache
def _ssl_context():
    """URLFetcher builds an HTTPS handler even though we refuse https; without a context it makes a
    default one per PDF, and loading the system CA store costs ~50 ms a build. One per process."""
    return ssl.create_default_context()


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    roots.append(Path(__file__).resolve().parent / "static")
    return roots


def _is_static_file(path: str) -> bool:
    real = Path(path).resolve()
    return real.is_file() and any(real.is_relative_to(root) for root in _static_roots())


def html_to_pdf(html: str, *, stylesheet: str | None = None) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = safe_url_fetcher()
    stylesheets = [CSS(filename=stylesheet, url_fetcher=fetcher)] if stylesheet else []
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
