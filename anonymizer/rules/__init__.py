"""Policies as data.

Each profile is a table of :class:`Rule` rows that a reviewer can read against its source
(Radiopaedia's published whitelist, PS3.15 Annex E ...). The engine never decides by itself
what happens to an attribute: it looks the attribute up here.

The actions, and the Table E.1-1a codes they carry out:

* ``keep`` (K): unchanged; a kept sequence has the policy applied to its items.
* ``remove`` (X): the attribute goes, with all its items.
* ``replace`` (Z, and fixed values): written with ``value``; ``""`` is a zero-length value,
  and a sequence becomes empty.
* ``dummy`` (D): written with the dummy of its VR (:data:`DUMMIES`); a UID is regenerated
  instead (a fixed UID would make distinct instances collide); a sequence keeps its items with
  every value inside replaced by a dummy.
* ``regenerate`` (U): a UID replaced by its regenerated UID, the same in every file.
* ``clean`` (C): replaced by a value of similar meaning that does not identify anyone; how
  depends on the VR (see ``anonymizer.transforms``): dates shifted, free text stripped of the
  identifying values found in the file, AE titles pseudonymised, person names and ages
  dummied, sequences kept with their contents cleaned, times and numbers kept, binary values
  removed.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal, Mapping, NamedTuple

Action = Literal["keep", "replace", "remove", "regenerate", "dummy", "clean"]

KEEP: Action = "keep"
REPLACE: Action = "replace"
REMOVE: Action = "remove"
REGENERATE: Action = "regenerate"
DUMMY: Action = "dummy"
CLEAN: Action = "clean"
ACTIONS: tuple[Action, ...] = (KEEP, REMOVE, REPLACE, DUMMY, REGENERATE, CLEAN)


class Rule(NamedTuple):
    """What happens to one attribute, and why.

    ``tag`` is written ``(GGGG,EEEE)`` as in the standard (``(60xx,3000)`` for a repeating
    group). ``value`` is the replacement for ``replace`` (``""`` empties the attribute;
    multiple values are separated by ``\\``). ``free_text`` marks a kept attribute whose value
    is free text that can carry identity: the validator flags it at level 2 whenever it is not
    empty. ``option`` names the option of the standard whose column gave this action ("" for
    the profile's own rule): the validator lets an age through only where an option retains it.
    """

    tag: str
    keyword: str
    action: Action
    reason: str
    value: str = ""
    free_text: bool = False
    option: str = ""

    @property
    def tag_int(self) -> int:
        group, element = self.tag.strip("()").split(",")
        return int(group, 16) << 16 | int(element, 16)


DUMMIES: Mapping[str, str | int | float | bytes] = MappingProxyType({
    "AE": "ANONYMIZED",
    "AS": "000D",
    "CS": "ANONYMIZED",
    "DA": "19700101",
    "DS": "0",
    "DT": "19700101000000",
    "IS": "0",
    "LO": "ANONYMIZED",
    "LT": "ANONYMIZED",
    "PN": "ANONYMIZED",
    "SH": "ANONYMIZED",
    "ST": "ANONYMIZED",
    "TM": "000000",
    "UC": "ANONYMIZED",
    "UR": "ANONYMIZED",
    "UT": "ANONYMIZED",
    "AT": 0,
    "FL": 0.0,
    "FD": 0.0,
    "SL": 0,
    "SS": 0,
    "SV": 0,
    "UL": 0,
    "US": 0,
    "UV": 0,
    "OB": bytes(8),
    "OD": bytes(8),
    "OF": bytes(8),
    "OL": bytes(8),
    "OV": bytes(8),
    "OW": bytes(8),
    "UN": bytes(8),
})
"""The dummy value the ``dummy`` action writes, per VR: valid for the VR, non-empty, and
obviously not data about anyone (the dates are those the radiopaedia profile writes). The
validator accepts exactly these values where it would refuse a person name or an age. UIDs
have no dummy: they are regenerated."""


_LOADED_ON_FIRST_USE = frozenset({"table_e1_1", "iod_types", "safe_private", "tcia"})


def __getattr__(name: str):
    """The large generated tables as attributes of this package, imported on first use.

    ``rules.table_e1_1.ROWS`` imports the module the first time it is read. A radiopaedia run
    without options never reads Table E.1-1, the IOD tables, Table E.3.10-1 or the TCIA tables,
    and importing them is about a third of the package's import time: every start of the
    command line and of a page worker pays it otherwise.
    """
    if name in _LOADED_ON_FIRST_USE:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
