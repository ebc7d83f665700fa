"""The dossier's policy layer. Each area keeps its predicates in its own module."""

from . import policy_admin, policy_timeline  # noqa: F401
