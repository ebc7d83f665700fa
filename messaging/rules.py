"""Permission predicates of the messaging app (loaded by rules' autodiscovery)."""

from . import policy_messages  # noqa: F401
