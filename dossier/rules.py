"""The dossier's policy layer. Each area keeps its predicates in its own module."""

from . import policy_admin as policy_admin  # noqa: F401  (admin screens: log templates, legal holds)
from . import policy_deadlines, policy_messages, policy_portal, policy_timeline  # noqa: F401
