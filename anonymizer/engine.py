"""Apply a profile to one file: read, apply the policy at every depth, validate, write.

The output is a list of segments: new bytes (preamble, file meta, anonymised header,
anonymised trailing elements) and byte ranges of the input copied unchanged (the Pixel Data
element). Nothing is returned for a file the validator refuses.
"""

from __future__ import annotations

import io
import os
import uuid
import warnings
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset, write_file_meta_info
from pydicom.sequence import Sequence
from pydicom.uid import UID, DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pydicom.valuerep import DSfloat

from . import __version__
from .errors import MalformedDicomError, RefusedError
from .findings import ABNORMALITY, FATAL, Finding
from .policy import CATCH_ALL_NOTE, DEFAULT_PROFILE, Policy, policy_for
from .reader import InputRange, ParsedFile, Source, open_source, read
from .report import (
    ADDED, KEPT, REGENERATED, REMOVED, REPAIRED, REPLACED, ReportRow, describe, show,
    summarise, tag_text,
)
from .rules import KEEP, REGENERATE, REPLACE, Rule
from .uids import UidRegenerator
from .validator import validate

IMPLEMENTATION_CLASS_UID = "2.25." + str(uuid.uuid5(uuid.NAMESPACE_URL, "anonymizer:dicom-anonymizer").int)
IMPLEMENTATION_VERSION_NAME = f"ANONYMIZER_{__version__}"[:16]
PREAMBLE = bytes(128) + b"DICM"
DS_MAX_LENGTH = 16
_SOP_CLASS_UID = 0x00080016
_SOP_INSTANCE_UID = 0x00080018
_STUDY_UID = 0x0020000D
_SERIES_UID = 0x0020000E
MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
_STAMPED = (0x00120062, 0x00120063, 0x00120064)


@dataclass
class Result:
    """An anonymised file, ready to be written."""

    segments: list[bytes | InputRange]
    relative_path: str
    rows: list[ReportRow]
    warnings: list[Finding]
    profile: str
    sop_class_uid: str
    sop_class_name: str
    _source: Source = field(repr=False)

    @property
    def size(self) -> int:
        return sum(len(s) if isinstance(s, bytes) else s.stop - s.start for s in self.segments)

    def write_to(self, out: BinaryIO, chunk_size: int = 1 << 20) -> int:
        """Stream the output to ``out``; byte ranges are read from the source in chunks."""
        written = 0
        source, owned = None, False
        try:
            for segment in self.segments:
                if isinstance(segment, bytes):
                    out.write(segment)
                    written += len(segment)
                    continue
                if source is None:
                    source, owned = open_source(self._source)
                source.seek(segment.start)
                remaining = segment.stop - segment.start
                while remaining:
                    chunk = source.read(min(chunk_size, remaining))
                    if not chunk:
                        raise MalformedDicomError("the input changed while it was being written")
                    out.write(chunk)
                    remaining -= len(chunk)
                    written += len(chunk)
        finally:
            if owned:
                source.close()
        return written

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write_to(buffer)
        return buffer.getvalue()

    def report(self) -> dict:
        """The JSON-serialisable report the page and ``--report`` show."""
        return {
            "path": self.relative_path,
            "sop_class_uid": self.sop_class_uid,
            "sop_class_name": self.sop_class_name,
            "profile": self.profile,
            "rows": [row.as_dict() for row in self.rows],
            "warnings": [finding.as_dict() for finding in self.warnings],
            "summary": summarise(self.rows, self.warnings),
        }


def anonymize(
    source: Source, *, profile: str = DEFAULT_PROFILE, uid_secret: str | bytes | None = None
) -> Result:
    """Anonymise one DICOM file.

    ``source`` is bytes, a path, or a seekable binary file object (kept open by the caller
    until the result is written: the pixel data is copied from it then). Raises
    :class:`~anonymizer.NotDicomError`, :class:`~anonymizer.MalformedDicomError` or
    :class:`~anonymizer.RefusedError`; never returns a file that failed validation.
    """
    with warnings.catch_warnings():
        # pydicom warns about values it finds odd; the validator reports those as findings.
        warnings.simplefilter("ignore")
        fp, owned = open_source(source)
        try:
            parsed = read(fp)
        finally:
            if owned:
                fp.close()
        return _Anonymisation(parsed, profile, UidRegenerator(uid_secret), source).run()


class _Anonymisation:
    def __init__(self, parsed: ParsedFile, profile: str, uids: UidRegenerator, source: Source):
        self.parsed = parsed
        self.uids = uids
        self.source = source
        self.rows: list[ReportRow] = []
        self.findings: list[Finding] = []
        self.stamped_input: dict[int, DataElement] = {}
        sop_class = _text(parsed.header.get(_SOP_CLASS_UID)) or _text(
            parsed.file_meta.get("MediaStorageSOPClassUID")
        )
        self.policy: Policy = policy_for(profile, sop_class)

    def run(self) -> Result:
        parsed, policy = self.parsed, self.policy
        if policy.sop_class_uid == MEDIA_STORAGE_DIRECTORY:
            raise RefusedError([Finding(FATAL, "", (
                "this is a DICOMDIR, an index of other files: its records carry patient names "
                "and IDs and point at files by their original names. Anonymise the image files "
                "and let the receiving system build a new DICOMDIR"
            ))])
        if not (_text(parsed.header.get(_SOP_INSTANCE_UID))
                or _text(parsed.file_meta.get("MediaStorageSOPInstanceUID"))):
            raise MalformedDicomError(
                "the file has no SOP Instance UID (0008,0018) nor Media Storage SOP Instance "
                "UID (0002,0003): it is not a complete DICOM instance"
            )
        if not policy.dedicated:
            self.findings.append(Finding(ABNORMALITY, "", CATCH_ALL_NOTE))
        header = self.apply(parsed.header, "", 0)
        pixel = self.pixel_data()
        trailing = self.apply(self.in_order_trailing(), "", 0) if len(parsed.trailing) else Dataset()
        if parsed.trailing_problem:
            self.findings.append(Finding(ABNORMALITY, "", parsed.trailing_problem))
        self.stamp(header)

        self.findings.extend(validate(header, policy))
        self.findings.extend(validate(trailing, policy) if len(trailing) else ())
        fatal = [f for f in self.findings if f.level == FATAL]
        if fatal:
            raise RefusedError(fatal)

        meta = self.file_meta(header)
        segments: list[bytes | InputRange] = [PREAMBLE + _encode_meta(meta)]
        if parsed.transfer_syntax == DeflatedExplicitVRLittleEndian:
            segments.append(_deflate(_encode(header, False, True)))
        else:
            segments.append(_encode(header, parsed.implicit_vr, parsed.little_endian))
            if pixel is not None:
                segments.append(pixel)
            if len(trailing):
                segments.append(_encode(trailing, parsed.implicit_vr, parsed.little_endian))
        self.attach_findings()
        return Result(
            segments=segments,
            relative_path=self.relative_path(header),
            rows=self.rows,
            warnings=self.findings,
            profile=policy.profile,
            sop_class_uid=policy.sop_class_uid,
            sop_class_name=policy.sop_class_name,
            _source=self.source,
        )

    # -- the policy, element by element ------------------------------------------------------

    def apply(self, dataset: Dataset, prefix: str, depth: int) -> Dataset:
        out = Dataset()
        out._parent_encoding = dataset._parent_encoding
        for tag in sorted(dataset._dict):
            raw = dataset._dict[tag]
            path = prefix + tag_text(tag)
            if depth == 0 and tag in _STAMPED:
                self.stamped_input[tag] = dataset[tag]
                continue
            rule = self.policy.rule_for(tag)
            try:
                element = dataset[tag]
            except Exception as error:  # pydicom raises many kinds for undecodable values
                self.row(path, depth, tag, raw.VR or "UN", "<unreadable value>", None, REMOVED, dataset)
                self.findings.append(Finding(
                    ABNORMALITY, path, f"the value could not be decoded ({type(error).__name__}); removed"
                ))
                continue
            if rule is None:
                self.removed(element, path, depth, dataset)
            elif rule.action == KEEP:
                self.keep(out, raw, element, rule, path, depth, dataset)
            elif rule.action == REPLACE:
                self.replace(out, element, rule, path, depth, dataset)
            elif rule.action == REGENERATE:
                self.regenerate(out, element, path, depth, dataset)
            else:
                self.removed(element, path, depth, dataset)
        return out

    def keep(self, out, raw, element, rule: Rule, path, depth, dataset) -> None:
        tag = element.tag
        if element.VR == "SQ":
            items = Sequence([self.apply(item, f"{path}[{i}].", depth + 1)
                              for i, item in enumerate(element.value or ())])
            kept = DataElement(tag, "SQ", items, is_undefined_length=element.is_undefined_length)
            out[tag] = kept
            self.row(path, depth, tag, "SQ", show(element), show(kept), KEPT, dataset)
            return
        repaired = _repair(element)
        if repaired is not None:
            out[tag] = repaired
            self.row(path, depth, tag, element.VR, show(element), show(repaired), REPAIRED, dataset)
            self.findings.append(Finding(
                ABNORMALITY, path, f"a {element.VR} value longer than {DS_MAX_LENGTH} characters was shortened to fit its VR"
            ))
            return
        out[tag] = raw if isinstance(raw, RawDataElement) else element
        self.row(path, depth, tag, element.VR, show(element), show(element), KEPT, dataset)

    def replace(self, out, element, rule: Rule, path, depth, dataset) -> None:
        vr = element.VR
        if vr == "SQ":
            value = Sequence()
        elif rule.value == "":
            value = "" if vr in _TEXT_VRS else None
        else:
            value = rule.value.split("\\") if "\\" in rule.value else rule.value
        new = DataElement(element.tag, vr, value)
        out[element.tag] = new
        self.row(path, depth, element.tag, vr, show(element), show(new), REPLACED, dataset)
        if vr == "SQ":
            for index, item in enumerate(element.value or ()):
                self.removed_items(item, f"{path}[{index}].", depth + 1)

    def regenerate(self, out, element, path, depth, dataset) -> None:
        if element.VR != "UI":
            self.findings.append(Finding(
                ABNORMALITY, path, f"the policy regenerates UIDs but this element is {element.VR}; removed"
            ))
            self.removed(element, path, depth, dataset)
            return
        values = element.value if element.VM > 1 else [element.value]
        new_values = [self.uids(str(v)) for v in values if v is not None]
        new = DataElement(element.tag, "UI", new_values if len(new_values) > 1 else (new_values[0] if new_values else ""))
        out[element.tag] = new
        self.row(path, depth, element.tag, "UI", show(element), show(new), REGENERATED, dataset)

    def removed(self, element, path, depth, dataset) -> None:
        self.row(path, depth, element.tag, element.VR, show(element), None, REMOVED, dataset)
        if element.VR == "SQ":
            for index, item in enumerate(element.value or ()):
                self.removed_items(item, f"{path}[{index}].", depth + 1)

    def removed_items(self, item: Dataset, prefix: str, depth: int) -> None:
        for tag in sorted(item._dict):
            path = prefix + tag_text(tag)
            try:
                element = item[tag]
            except Exception:
                self.row(path, depth, tag, item._dict[tag].VR or "UN", "<unreadable value>", None, REMOVED, item)
                continue
            self.removed(element, path, depth, item)

    # -- the pieces around the data set ------------------------------------------------------

    def pixel_data(self) -> InputRange | None:
        parsed = self.parsed
        if parsed.pixel_data is None:
            return None
        tag = parsed.pixel_tag
        keyword, name = describe(tag)
        length = parsed.pixel_data.stop - parsed.pixel_data.start
        before = f"<pixel data, {length} bytes in the input, copied unchanged>"
        rule = self.policy.rule_for(tag)
        if rule is None or rule.action != KEEP:
            self.rows.append(ReportRow(tag_text(tag), 0, tag_text(tag), keyword, name, "", before, None, REMOVED))
            return None
        self.rows.append(ReportRow(tag_text(tag), 0, tag_text(tag), keyword, name, "", before, before, KEPT))
        return parsed.pixel_data

    def in_order_trailing(self) -> Dataset:
        """Elements after the pixel data, less any that would break ascending tag order."""
        trailing = self.parsed.trailing
        limit = self.parsed.pixel_tag or 0
        out = Dataset()
        out._parent_encoding = self.parsed.header._character_set
        for tag, raw in trailing._dict.items():
            if tag > limit:
                out._dict[tag] = raw
            else:
                self.findings.append(Finding(
                    ABNORMALITY, tag_text(tag), "an element after the pixel data is out of tag order; dropped"
                ))
        return out

    def stamp(self, header: Dataset) -> None:
        """Record that, how, and by what the identity was removed.

        These attributes are written by the anonymiser, not copied: whatever the input held
        under these tags is replaced.
        """
        header.PatientIdentityRemoved = "YES"
        header.DeidentificationMethod = f"anonymizer {__version__}, profile {self.policy.profile}"[:64]
        codes = Sequence()
        for code in self.policy.method_codes:
            item = Dataset()
            item.CodeValue = code.value
            item.CodingSchemeDesignator = code.scheme
            item.CodeMeaning = code.meaning
            codes.append(item)
        header.DeidentificationMethodCodeSequence = codes

        main_rows, self.rows = self.rows, []
        for tag in _STAMPED:
            old, new = self.stamped_input.get(tag), header[tag]
            path = tag_text(tag)
            if old is None:
                action = ADDED
            else:
                action = KEPT if show(old) == show(new) else REPLACED
            self.row(path, 0, tag, new.VR, None if old is None else show(old), show(new), action, header)
            if old is not None and old.VR == "SQ":
                for index, item in enumerate(old.value or ()):
                    self.removed_items(item, f"{path}[{index}].", 1)
            for index, item in enumerate(new.value if new.VR == "SQ" else ()):
                for item_tag in sorted(item._dict):
                    element = item[item_tag]
                    self.row(f"{path}[{index}].{tag_text(item_tag)}", 1, item_tag, element.VR,
                             None, show(element), ADDED, item)
        stamp_rows, self.rows = self.rows, main_rows
        position = next(
            (i for i, row in enumerate(self.rows) if row.depth == 0 and row.path > tag_text(_STAMPED[-1])),
            len(self.rows),
        )
        self.rows[position:position] = stamp_rows

    def file_meta(self, header: Dataset) -> FileMetaDataset:
        parsed = self.parsed
        meta = FileMetaDataset()
        meta.FileMetaInformationVersion = b"\x00\x01"
        meta.MediaStorageSOPClassUID = _text(header.get(_SOP_CLASS_UID)) or self.policy.sop_class_uid
        meta.MediaStorageSOPInstanceUID = _text(header.get(_SOP_INSTANCE_UID)) or self.uids(
            _text(parsed.file_meta.get("MediaStorageSOPInstanceUID"))
        )
        meta.TransferSyntaxUID = _output_syntax(parsed)
        meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
        meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
        meta_rows = []
        for tag in sorted(set(parsed.file_meta._dict) | set(meta._dict)):
            old = parsed.file_meta.get(tag) if tag in parsed.file_meta._dict else None
            new = meta.get(tag)
            if old is None and new is None:
                continue
            keyword, name = describe(tag)
            if new is None:
                action = REMOVED
            elif old is None:
                action = ADDED
            elif show(old) == show(new):
                action = KEPT
            else:
                action = REGENERATED if tag == 0x00020003 else REPLACED
            vr = (new or old).VR
            meta_rows.append(ReportRow(
                tag_text(tag), 0, tag_text(tag), keyword, name, vr,
                show(old) if old is not None else None, show(new) if new is not None else None, action,
            ))
        self.rows[:0] = meta_rows
        return meta

    def relative_path(self, header: Dataset) -> str:
        study = _text(header.get(_STUDY_UID)) or "unknown-study"
        series = _text(header.get(_SERIES_UID)) or "unknown-series"
        instance = _text(header.get(_SOP_INSTANCE_UID)) or self.uids(
            _text(self.parsed.file_meta.get("MediaStorageSOPInstanceUID"))
        )
        return f"{study}/{series}/{instance}.dcm"

    # -- report ------------------------------------------------------------------------------

    def row(self, path, depth, tag, vr, before, after, action, dataset) -> None:
        creator = _private_creator(dataset, tag)
        keyword, name = describe(tag, creator)
        self.rows.append(ReportRow(path, depth, tag_text(tag), keyword, name, vr, before, after, action))

    def attach_findings(self) -> None:
        by_path = {row.path: row for row in self.rows}
        for finding in self.findings:
            row = by_path.get(finding.path)
            if row is not None:
                row.findings.append(finding)


_TEXT_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"})


def _repair(element: DataElement) -> DataElement | None:
    """A kept DS value too long for its VR, rewritten to at most 16 characters; else None."""
    if element.VR != "DS" or element.is_empty:
        return None
    values = element.value if element.VM > 1 else [element.value]
    texts = [getattr(v, "original_string", None) or str(v) for v in values]
    if all(len(t) <= DS_MAX_LENGTH for t in texts):
        return None
    try:
        fixed = [DSfloat(float(v), auto_format=True) for v in values]
    except (TypeError, ValueError, OverflowError):
        return None
    return DataElement(element.tag, "DS", fixed if len(fixed) > 1 else fixed[0])


def _private_creator(dataset: Dataset, tag: int) -> str | None:
    if not tag >> 16 & 1 or (tag & 0xFFFF) < 0x1000:
        return None
    creator_tag = (tag & 0xFFFF0000) | (tag >> 8 & 0xFF)
    try:
        element = dataset.get(creator_tag)
    except Exception:
        return None
    return _text(element)


def _text(element) -> str:
    if element is None:
        return ""
    value = element.value if isinstance(element, DataElement) else element
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip("\x00 ")


def _output_syntax(parsed: ParsedFile) -> UID:
    if parsed.transfer_syntax in (ImplicitVRLittleEndian, ExplicitVRLittleEndian):
        return ImplicitVRLittleEndian if parsed.implicit_vr else ExplicitVRLittleEndian
    return parsed.transfer_syntax


def _encode(dataset: Dataset, implicit: bool, little: bool) -> bytes:
    buffer = DicomBytesIO()
    buffer.is_implicit_VR = implicit
    buffer.is_little_endian = little
    write_dataset(buffer, dataset)
    return buffer.getvalue()


def _encode_meta(meta: FileMetaDataset) -> bytes:
    buffer = DicomBytesIO()
    buffer.is_implicit_VR = False
    buffer.is_little_endian = True
    write_file_meta_info(buffer, meta, enforce_standard=True)
    return buffer.getvalue()


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()
