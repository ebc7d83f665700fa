"""The project's own apps, named once for the tests that walk all of them (hostile input, the fuzzing of
every model's text fields, the i18n scan of the code)."""

OUR_APPS = (
    "schools",
    "audit",
    "dossier",
    "messaging",
    "signatures",
    "deadlines",
    "portal",
    "protocols",
    "reviews",
    "behaviour",
    "measures",
)
