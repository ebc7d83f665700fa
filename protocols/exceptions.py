"""The one error a service raises when a protocol rule forbids a step."""


class ProtocolViolation(Exception):
    """A rule (e.g. "GP-21") forbids this step; `message` is Dutch and shown to the user as is."""

    def __init__(self, *, rule: str, message: str):
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message
