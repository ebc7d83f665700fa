"""Permission predicates of the portal app (loaded by rules' autodiscovery)."""

from . import policy_portal  # noqa: F401
