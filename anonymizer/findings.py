"""A finding of the validator: a level, where it is, and what it means."""

from __future__ import annotations

from typing import NamedTuple

FATAL = 1
"""The file is refused: it would still identify the patient."""
POSSIBLE_LEAK = 2
"""The file is written, but a person should look at this value."""
ABNORMALITY = 3
"""Something does not fit the standard; reported, not a privacy problem."""


class Finding(NamedTuple):
    level: int
    path: str
    message: str

    def as_dict(self) -> dict:
        return {"level": self.level, "path": self.path, "message": self.message}
