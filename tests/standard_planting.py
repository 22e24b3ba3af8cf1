"""Files that hold every attribute of PS3.15 Table E.1-1, for the conformance tests.

:func:`planted_file` builds a Part 10 file of a chosen SOP class holding a planted value for
every attribute of the table that pydicom's dictionary knows (:data:`PLANTABLE`): at the top
level, again inside an item of a sequence the table does not list (Referenced Series Sequence,
so kept), and, for the attributes with compound actions, inside every sequence where the IOD
gives them a Type. Values are obviously fake and valid for their VR:

* person names ``DOE^JOHN``; identifying texts (IDs, names of places and devices, see
  ``anonymizer.policy.identifying_tags``) ``ID<tag>``; other texts :data:`TEXT`, which
  cleaning turns into :data:`CLEANED_TEXT` (the name part and the date go);
* every sequence holds one item: :data:`ITEM` (a person name, a text, a code, a UID reference).

Nothing here reads the standard folder: the table comes from the generated rules, which
``test_generated_rules.py`` proves equal to the standard.
"""

from __future__ import annotations

import io
import zlib
from typing import NamedTuple

from pydicom.datadict import DicomDictionary, dictionary_VR, tag_for_keyword
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

from anonymizer.policy import identifying_tags
from anonymizer.rules.iod_types import IOD_MODULES, MODULE_TYPES
from anonymizer.rules.table_e1_1 import ROWS, Row

NAME = "DOE^JOHN"
TEXT = "CT DOE 20240102"
CLEANED_TEXT = "CT"
KEPT_SEQUENCE = "ReferencedSeriesSequence"
"""Not listed in Table E.1-1: kept, so what is planted inside it can be checked."""
SKIPPED_GROUPS = {0x0000, 0x0002}
"""Command elements (0000) never occur in a file; the file meta (0002) is tested on its own."""
LAST_GROUPS = {0xFFFA, 0xFFFC}
"""Digital Signatures Sequence and Data Set Trailing Padding: top level only, as in real files."""


class Plantable(NamedTuple):
    row: Row
    tag: int
    vr: str


def _plantable() -> tuple[Plantable, ...]:
    found = []
    for row in ROWS:
        text = row.tag.strip("()")
        if "x" in text or "g" in text:
            continue
        tag = int(text.replace(",", ""), 16)
        if tag not in DicomDictionary or tag >> 16 in SKIPPED_GROUPS:
            continue
        found.append(Plantable(row, tag, dictionary_VR(tag).split(" or ")[0]))
    return tuple(found)


PLANTABLE = _plantable()
"""Every attribute of Table E.1-1 with a plain tag that pydicom knows, but command and file meta."""
IDENTIFYING = identifying_tags()


def uid_for(tag: int, place: str) -> str:
    """The planted UID of ``tag`` at ``place``: unique per attribute and place."""
    return f"1.2.999.{tag}.{sum(map(ord, place)) or 1}"


def item_dataset(place: str) -> Dataset:
    """The item planted in every sequence."""
    item = Dataset()
    item.add(DataElement(0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"))  # Referenced SOP Class UID
    item.add(DataElement(0x00081155, "UI", uid_for(0x00081155, place)))  # Referenced SOP Instance UID
    item.add(DataElement(0x00080100, "SH", "PLANTED1"))  # Code Value, not listed
    item.add(DataElement(0x0040A123, "PN", NAME))  # Person Name, D
    item.add(DataElement(0x0040A160, "UT", TEXT))  # Text Value, not listed
    return item


def value_for(plant: Plantable, place: str):
    tag, vr = plant.tag, plant.vr
    if vr == "SQ":
        return Sequence([item_dataset(f"{place}/{tag:08X}")])
    if vr == "PN":
        return NAME
    if vr == "UI":
        return uid_for(tag, place)
    if vr in ("LO", "SH", "ST", "LT", "UT", "UC", "CS"):
        return f"ID{tag:08X}" if tag in IDENTIFYING else TEXT
    return {
        "AE": f"AE{tag:08X}", "AS": "042Y", "DA": "20240102", "DT": "20240102030405",
        "TM": "030405", "DS": "4.5", "IS": "45", "UR": "http://example.com/DOE",
        "FL": 4.5, "FD": 4.5, "SL": 45, "SS": 45, "SV": 45, "UL": 45, "US": 45, "UV": 45,
        "AT": 0x00100010,
    }.get(vr, bytes(range(1, 9)))


class Place(NamedTuple):
    """Where attributes are planted: at the top level, or in the one item of a top-level sequence."""

    parent: str
    """Keyword of the enclosing sequence ("" at the top level): what compound actions depend on."""
    sequence: int | None
    plants: tuple[Plantable, ...]


def places(iod: str | None) -> list[Place]:
    """The top level; Referenced Series Sequence with every attribute (where compound actions
    resolve as that sequence's Types say); and, for the attributes with compound actions, each
    other sequence where the IOD (None: any IOD) gives them a Type, unless the table lists that
    sequence itself (it would be acted on as a whole)."""
    found = [
        Place("", None, PLANTABLE),
        Place(KEPT_SEQUENCE, tag_for_keyword(KEPT_SEQUENCE),
              tuple(p for p in PLANTABLE if p.tag >> 16 not in LAST_GROUPS)),
    ]
    listed = {plant.row.keyword for plant in PLANTABLE}
    compound = {plant.row.keyword: plant for plant in PLANTABLE if "/" in plant.row.basic}
    inside: dict[str, dict[int, Plantable]] = {}
    for module in IOD_MODULES[iod] if iod else MODULE_TYPES:
        for keyword, parent, _ in MODULE_TYPES[module]:
            if (parent and parent != KEPT_SEQUENCE and parent not in listed and keyword in compound
                    and tag_for_keyword(parent)):
                inside.setdefault(parent, {})[compound[keyword].tag] = compound[keyword]
    for parent in sorted(inside):
        found.append(Place(parent, tag_for_keyword(parent), tuple(inside[parent].values())))
    return found


def planted_dataset(sop_class: str, iod: str | None) -> Dataset:
    ds = Dataset()
    for place in places(iod):
        target = ds if place.sequence is None else Dataset()
        for plant in place.plants:
            target.add(DataElement(plant.tag, plant.vr, value_for(plant, place.parent)))
        if place.sequence is not None:
            ds.add(DataElement(place.sequence, "SQ", Sequence([target])))
    ds.SOPClassUID = sop_class
    for tag, vr, value in EXTRA:
        ds.add(DataElement(tag, vr, value))
    return ds


EXTRA = (
    (0x50000005, "US", 1),                    # Curve Dimensions
    (0x50002500, "LO", TEXT),                 # Curve Label
    (0x50003000, "OB", bytes(8)),             # Curve Data
    (0x60003000, "OW", bytes(8)),             # Overlay Data
    (0x60004000, "LT", TEXT),                 # Overlay Comments
    (0x00190010, "LO", "SIEMENS MR HEADER"),  # a private creator of Table E.3.10-1
    (0x0019100C, "IS", "1000"),               # its B Value: safe
    (0x00191099, "LO", TEXT),                 # same creator, an element the table does not list
    (0x00190011, "LO", "FAKE VENDOR"),        # a creator the table does not know
    (0x0019110C, "IS", "1000"),               # same element byte, unknown creator
)
"""Curves, overlays and private attributes: the rows of Table E.1-1 without a plain tag."""


def planted_file(sop_class: str, iod: str | None) -> bytes:
    ds = planted_dataset(sop_class, iod)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def make_file(sop_class: str = "1.2.840.10008.5.1.4.1.1.2", private: tuple = (), **attributes) -> bytes:
    """A small Part 10 file: the given attributes by keyword (a list of Datasets makes a
    sequence), ``private`` elements as (tag, VR, value), and the UIDs a file needs."""
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = attributes.pop("SOPInstanceUID", f"1.2.999.1.{zlib.crc32(repr(sorted(attributes.items())).encode())}")
    ds.StudyInstanceUID = attributes.pop("StudyInstanceUID", "1.2.999.2.1")
    ds.SeriesInstanceUID = attributes.pop("SeriesInstanceUID", "1.2.999.3.1")
    for keyword, value in attributes.items():
        setattr(ds, keyword, Sequence(value) if isinstance(value, list) else value)
    for tag, vr, value in private:
        ds.add(DataElement(tag, vr, value))
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()
