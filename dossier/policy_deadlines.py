"""Rules (policy) for the dossier's deadlines area."""

import rules  # noqa: F401
