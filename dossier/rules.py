"""The dossier's policy layer. Each area keeps its predicates in its own module."""

from . import (  # noqa: F401
    policy_admin,
    policy_deadlines,
    policy_messages,
    policy_portal,
    policy_signables,
    policy_timeline,
)
