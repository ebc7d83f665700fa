"""Rules (policy) for the dossier's timeline area."""

import rules  # noqa: F401
