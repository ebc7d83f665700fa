"""Behind a reverse proxy the audit log records the client's address, not the proxy's (AVG-4: where)."""

import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_without_trusted_proxy_the_forwarded_header_is_ignored(world):
    client = world.client_for(world.teacher)
    client.get(
        f"/leerlingen/{world.mila.pk}/", headers={"x-forwarded-for": "6.6.6.6"}, REMOTE_ADDR="10.0.0.2"
    )
    assert AuditEvent.objects.get(action="schools.student.view_denied").address == "10.0.0.2"


def test_behind_one_trusted_proxy_the_client_address_is_recorded(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = world.client_for(world.teacher)
    client.get(
        f"/leerlingen/{world.mila.pk}/",
        headers={"x-forwarded-for": "1.2.3.4, 192.0.2.7"},  # a spoofed first hop, then what our proxy saw
        REMOTE_ADDR="10.0.0.2",
    )
    assert AuditEvent.objects.get(action="schools.student.view_denied").address == "192.0.2.7"
