"""The only exceptions the engine raises on purpose."""


class CareClockError(ValueError):
    """Base class: the message is written for the person who gave the input."""


class InputError(CareClockError):
    """A date, kind or combination of facts that cannot be right."""


class SeedError(CareClockError):
    """A seeds/ file is missing, unreadable, or has a missing or bad value."""

    def __init__(self, file: str, key: str, problem: str):
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: {key}: {problem}")
