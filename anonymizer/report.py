"""The before/after report: one row per element of the input and of the output, at every depth.

Values are shown as a person reads them. Binary values, sequences and long text are
summarised (VR and length), never dumped: the report is for eyes, not for recovering data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pydicom.datadict import dictionary_description, keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.multival import MultiValue

from .findings import Finding

MAX_SHOWN = 200
BINARY_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})

KEPT = "kept"
REPLACED = "replaced"
REGENERATED = "regenerated"
REMOVED = "removed"
ADDED = "added"
REPAIRED = "repaired"


@lru_cache(maxsize=8192)  # the same few hundred tags, in every file and every row
def tag_text(tag: int) -> str:
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


@lru_cache(maxsize=8192)
def describe(tag: int, private_creator: str | None = None) -> tuple[str, str]:
    """Keyword and name of ``tag``; private tags are named by their creator."""
    if tag >> 16 & 1:
        if tag & 0xFFFF < 0x0100:
            return "", "Private Creator"
        owner = f" of {private_creator.strip()!r}" if private_creator else ""
        return "", f"Private tag{owner}"
    if tag & 0xFFFF == 0:
        return "", "Group Length"
    try:
        return keyword_for_tag(tag), dictionary_description(tag)
    except KeyError:
        pass
    if 0x50000000 <= tag < 0x60000000:
        return "", "Curve data (retired)"
    if 0x60000000 <= tag < 0x61000000:
        return "", "Overlay"
    return "", "Unknown public tag"


def show(element: DataElement) -> str:
    """A short, safe text for ``element``'s value."""
    vr = element.VR
    value = element.value
    if vr == "SQ":
        count = len(value or ())
        return f"<sequence, {count} item{'s' if count != 1 else ''}>"
    if vr in BINARY_VRS or isinstance(value, (bytes, bytearray)):
        length = len(value) if value is not None else 0
        return f"<{vr}, {length} bytes>"
    if value is None:
        return ""
    if isinstance(value, (MultiValue, list, tuple)):
        text = "\\".join(str(v) for v in value)
    else:
        text = str(value)
    if len(text) > MAX_SHOWN:
        return f"{text[:MAX_SHOWN]}… ({len(text)} characters)"
    return text


@dataclass
class ReportRow:
    path: str
    depth: int
    tag: str
    keyword: str
    name: str
    vr: str
    before: str | None
    after: str | None
    action: str
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "depth": self.depth,
            "tag": self.tag,
            "keyword": self.keyword,
            "name": self.name,
            "vr": self.vr,
            "before": self.before,
            "after": self.after,
            "action": self.action,
            "findings": [{"level": f.level, "message": f.message} for f in self.findings],
        }


def summarise(rows: list[ReportRow], findings: list[Finding]) -> dict:
    counts = {action: 0 for action in (REMOVED, REPLACED, REGENERATED, KEPT, ADDED, REPAIRED)}
    for row in rows:
        counts[row.action] = counts.get(row.action, 0) + 1
    counts["findings"] = len(findings)
    for level in (1, 2, 3):
        counts[f"level{level}"] = sum(1 for f in findings if f.level == level)
    return counts
