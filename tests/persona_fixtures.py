"""The shared world of the persona matrix and the hostile-input tests: built once per module inside a
transaction that is rolled back at the end; each request runs in a savepoint that is undone."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from .persona_world import MatrixWorld, build_matrix_world


@pytest.fixture(scope="module")
def _media_root(tmp_path_factory):
    """One media folder for the module's world (overrides the per-test one in conftest)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _module_media(settings, _media_root):
    settings.MEDIA_ROOT = _media_root


@pytest.fixture(scope="module", name="mw")
def matrix_world(django_db_setup, django_db_blocker, _media_root) -> MatrixWorld:
    from django.conf import settings

    with django_db_blocker.unblock():
        old, settings.MEDIA_ROOT = settings.MEDIA_ROOT, _media_root
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with scopes_disabled():
                yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.MEDIA_ROOT = old


class _Undo(Exception):
    pass


def request(mw: MatrixWorld, persona: str, method: str, url: str):
    """One request, undone afterwards (a savepoint rolled back), so every persona meets the same
    world: one persona's sign-out or completed deadline does not change the next one's answer."""
    client = mw.client(persona)
    url = url.format(**mw.ids)
    try:
        with transaction.atomic():
            response = client.post(url) if method == "POST" else client.get(url)
            if getattr(response, "streaming", False):  # read the file before the undo
                response.content_bytes = b"".join(response.streaming_content)
            raise _Undo
    except _Undo:
        pass
    return response


def body_text(response) -> str:
    """What a reader gets: the page, the text of a PDF, a JSON export, an ICS feed."""
    if getattr(response, "streaming", False):
        data = response.content_bytes
    else:
        data = response.content
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        try:
            return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        except Exception:  # a stored upload that is no real PDF: its bytes are the text
            return data.decode("latin-1")
    return data.decode("utf-8", errors="replace")
