"""Access is computed once per request, whether the view or the policy layer asks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_student_page_computes_access_once(world):
    client = world.client_for(world.teacher)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/leerlingen/{world.sanne.pk}/").status_code == 200
    role_queries = [q for q in ctx.captured_queries if "schools_roleassignment" in q["sql"]]
    assert len(role_queries) == 1
