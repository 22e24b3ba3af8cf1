"""Policies as data.

Each profile is a table of :class:`Rule` rows that a reviewer can read against its source
(Radiopaedia's published whitelist, PS3.15 Annex E ...). The engine never decides by itself
what happens to an attribute: it looks the attribute up here.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Action = Literal["keep", "replace", "remove", "regenerate"]

KEEP: Action = "keep"
REPLACE: Action = "replace"
REMOVE: Action = "remove"
REGENERATE: Action = "regenerate"


class Rule(NamedTuple):
    """What happens to one attribute, and why.

    ``tag`` is written ``(GGGG,EEEE)`` as in the standard. ``value`` is the replacement for
    ``replace`` (``""`` empties the attribute; multiple values are separated by ``\\``).
    ``free_text`` marks a kept attribute whose value is free text that can carry identity:
    the validator flags it at level 2 whenever it is not empty.
    """

    tag: str
    keyword: str
    action: Action
    reason: str
    value: str = ""
    free_text: bool = False

    @property
    def tag_int(self) -> int:
        group, element = self.tag.strip("()").split(",")
        return int(group, 16) << 16 | int(element, 16)
