"""Rules (policy) for the dossier's portal area."""

import rules  # noqa: F401
