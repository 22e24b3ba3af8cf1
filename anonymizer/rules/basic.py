"""How this package carries out the Basic Application Level Confidentiality Profile.

The rows themselves are the standard's: ``table_e1_1.py`` is generated from PS3.15 Table
E.1-1 and never edited by hand. This module holds, as small tables, the decisions the standard
leaves to the implementer:

* :data:`CODE_ACTIONS`: the action each single code of Table E.1-1a becomes.
* :data:`BY_TYPE`: which part of a compound code applies, by the attribute's Type in the IOD
  of the file's SOP class (``iod_types.py``) where the attribute sits.
* :data:`NOT_LISTED`, :data:`GROUP_LENGTH`, :data:`PRIVATE_REMOVED`: the rules for what the
  table does not list one by one.
"""

from __future__ import annotations

from anonymizer.rules import CLEAN, DUMMY, KEEP, REGENERATE, REMOVE, REPLACE, Action, Rule
from anonymizer.rules.edition import EDITION

SOURCE = f"PS3.15 Table E.1-1 ({EDITION})"
SAFE_PRIVATE_SOURCE = f"PS3.15 Table E.3.10-1 ({EDITION})"

CODE_ACTIONS: dict[str, tuple[Action, str]] = {
    "X": (REMOVE, "remove"),
    "Z": (REPLACE, "zero-length value"),
    "D": (DUMMY, "dummy value"),
    "U": (REGENERATE, "UID regenerated consistently"),
    "K": (KEEP, "keep"),
    "C": (CLEAN, "clean"),
    "U*": (KEEP, "sequence kept; the instance UIDs inside are replaced by their own rows (U)"),
}
"""Single code -> (action, what it means here). ``U*`` is the Type 1 part of X/Z/U*."""

BY_TYPE: dict[str, dict[str, str]] = {
    # compound   Type 1     1C         2          2C         3          not in the IOD there
    "X/Z":    {"1": "D",  "1C": "D",  "2": "Z",  "2C": "Z",  "3": "X",  "": "X"},
    "X/D":    {"1": "D",  "1C": "D",  "2": "D",  "2C": "D",  "3": "X",  "": "X"},
    "X/Z/D":  {"1": "D",  "1C": "D",  "2": "Z",  "2C": "Z",  "3": "X",  "": "X"},
    "Z/D":    {"1": "D",  "1C": "D",  "2": "Z",  "2C": "Z",  "3": "Z",  "": "Z"},
    "X/Z/U*": {"1": "U*", "1C": "U*", "2": "Z",  "2C": "Z",  "3": "X",  "": "X"},
}
"""Which part of a compound code applies, by Type (Table E.1-1a: "X unless Z is required to
maintain IOD conformance (Type 3 versus Type 2)" and so on).

* The Type is the attribute's Type in the IOD of the file's SOP class, at the place where it
  sits: at the top level, or inside the sequence that holds it. Where the IOD's modules give
  several Types there, the strongest counts (1 > 1C > 2 > 2C > 3): whichever module the file
  uses, the value written is then valid, and a dummy or empty value carries no identity.
* A conditional Type (1C, 2C) counts as required: the attribute is in the file, so its
  condition may hold, and the standard's conditions are not machine-readable here.
* Type 1 under X/Z gets a dummy: Z is "a zero length value, or a non-zero length value that
  may be a dummy value", and Type 1 forbids the zero length. Type 2 under X/D gets a dummy too.
* Where the IOD does not have the attribute at that place ("" above), nothing requires it:
  the most protective part of the code applies (X, or Z for Z/D).
* A file whose SOP class is not in the standard's IOD tables gets, at each place, the
  strongest Type the attribute has there in any IOD (see ``anonymizer.policy``).
"""

TYPE_NAMES = {"1": "Type 1", "1C": "Type 1C", "2": "Type 2", "2C": "Type 2C", "3": "Type 3",
              "": "not in the IOD there"}

NOT_LISTED = Rule(
    "(gggg,eeee)", "", KEEP,
    f"Not listed in {SOURCE}: the Basic Profile keeps every attribute it does not list.",
)
GROUP_LENGTH = Rule(
    "(gggg,0000)", "", REMOVE,
    "Group length: not an attribute of any IOD (retired), and its value would be wrong once "
    "other elements of the group change; removed (project rule, not in Table E.1-1).",
)
PRIVATE_REMOVED = Rule(
    "(gggg,eeee)", "", REMOVE,
    f"Private attribute: {SOURCE} removes every private attribute (X), unless the Retain Safe "
    "Private Option keeps it.",
)
PRIVATE_CREATOR_KEPT = Rule(
    "(gggg,00bb)", "", KEEP,
    f"Private creator of a retained private attribute: kept with it ({SAFE_PRIVATE_SOURCE} text).",
)

CANNOT_CLEAN_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})
"""VRs whose values this package cannot read (bitmaps, vendor blobs, signed timestamps). Where
an option says C for such an attribute, the profile's own action stands instead: Overlay Data
(60xx,3000) under Clean Graphics stays removed, since a bitmap may hold burned-in text."""
