"""Issue #13: `schools.shape_now` (now as bound text for sql_shapes) selects the same rows as the datetime,
at and around the boundary, with and without microseconds (SQLite and PostgreSQL)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from schools.shape_now import at, now_text

pytestmark = pytest.mark.django_db


def test_now_text_compares_like_the_datetime():
    base = timezone.now()
    ats = [
        base + datetime.timedelta(seconds=s, microseconds=m)
        for s, m in ((0, 0), (1, 5), (2, 999999), (-3, 123))
    ]
    ats.append(base.replace(microsecond=0))
    for i, t in enumerate(ats):
        Session.objects.create(session_key=f"k{i}", session_data="", expire_date=t)
    for now in ats:
        for lk in ("gte", "gt", "lt", "lte"):
            a = Session.objects.filter(**{f"expire_date__{lk}": now}).order_by("pk")
            b = Session.objects.filter(**{f"expire_date__{lk}": at(now_text(now))}).order_by("pk")
            assert list(a) == list(b), (now, lk)
