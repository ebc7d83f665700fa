"""Rules (policy) for the dossier's messages area."""

import rules  # noqa: F401
