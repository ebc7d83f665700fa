"""Counters for rate limits, shared by every gunicorn worker (a table, not process memory)."""

from django.db import models


class RateCounter(models.Model):
    """How often one key (a keyed hash of an address or a client) was counted in one window.

    Not school-owned: the same limits hold before anyone is signed in. The key is a hash, so the
    table holds no e-mail or IP address in plain text."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.window_start:%Y-%m-%d %H:%M} × {self.count}"
