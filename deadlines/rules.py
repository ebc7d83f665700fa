"""Permission predicates of the deadlines app (loaded by rules' autodiscovery)."""

from . import policy_deadlines  # noqa: F401
