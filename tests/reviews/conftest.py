# The meeting-side fixtures (signals, meeting_2b) live in meeting_support.py.
from .meeting_support import meeting_2b, signals  # noqa: F401
