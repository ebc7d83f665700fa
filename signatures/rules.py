"""Permission predicates of the signatures app (loaded by rules' autodiscovery)."""

from . import policy_signables  # noqa: F401
