"""Apply a profile to one file: read, apply the policy at every depth, validate, write.

The output is a list of segments: new bytes (preamble, file meta, anonymised header,
anonymised trailing elements) and byte ranges of the input copied unchanged (the Pixel Data
element). Nothing is returned for a file the validator refuses.
"""

from __future__ import annotations

import io
import os
import re
import struct
import uuid
import warnings
import weakref
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO, Callable, Iterable, Iterator, Mapping, NamedTuple

from pydicom import config
from pydicom.charset import decode_bytes, default_encoding
from pydicom.datadict import keyword_for_tag
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_file_meta_info
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag
from pydicom.uid import UID, DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pydicom.valuerep import AMBIGUOUS_VR, DSfloat
from pydicom.values import TEXT_VR_DELIMS

from . import __version__, research, residue
from .custom_policy import CustomPolicy
from .errors import MalformedDicomError, RefusedError
from .findings import ABNORMALITY, FATAL, POSSIBLE_LEAK, Finding
from .policy import (
    DEFAULT_PROFILE, Policy, creator_text, identifying_tags, policy_for, resolve_options, with_custom,
    with_options,
)
from .reader import InputRange, ParsedFile, Source, new_dataset, open_source, read
from .report import (
    ADDED, KEPT, REGENERATED, REMOVED, REPAIRED, REPLACED, ReportRow, describe, show,
    summarise, tag_text,
)
from .rules import CLEAN, DUMMY, KEEP, REGENERATE, REMOVE, REPLACE, Rule
from .transforms import (
    TextCleaner, ae_pseudonym, date_offset, name_parts, patient_key, shift_date, shift_datetime, text_cleaner,
)
from .uids import UidRegenerator
from .validator import validate
from .writer import encode_dataset, writes_back_unchanged

IMPLEMENTATION_CLASS_UID = "2.25." + str(uuid.uuid5(uuid.NAMESPACE_URL, "anonymizer:dicom-anonymizer").int)
IMPLEMENTATION_VERSION_NAME = f"ANONYMIZER_{__version__}"[:16]
PREAMBLE = bytes(128) + b"DICM"
DS_MAX_LENGTH = 16
_SOP_CLASS_UID = 0x00080016
_SOP_INSTANCE_UID = 0x00080018
_STUDY_UID = 0x0020000D
_SERIES_UID = 0x0020000E
MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
_LONGITUDINAL = 0x00280303
_STAMPED = (0x00120062, 0x00120063, 0x00120064, _LONGITUDINAL)
_UNDEFINED_LENGTH = 0xFFFFFFFF


@dataclass
class Result:
    """An anonymised file, ready to be written."""

    segments: list[bytes | InputRange]
    relative_path: str
    warnings: list[Finding]
    profile: str
    sop_class_uid: str
    sop_class_name: str
    _source: Source = field(repr=False)
    _rows: Callable[[], list[ReportRow]] | list[ReportRow] = field(repr=False)
    """The report rows, or how to build them (on first use: anonymising and writing never need them)."""
    options: tuple[str, ...] = ()
    custom_policy: str = ""
    """The name of the custom policy applied, "" for none."""
    residue_check: dict = field(default_factory=dict)
    """What the residue check searched the output for (``anonymizer.residue``)."""
    uid_mapping: dict[str, str] = field(default_factory=dict)
    """Every UID replaced in this file: original -> new (``anonymizer.research`` mapping tables)."""
    patient_id_mapping: dict[str, str] = field(default_factory=dict)
    """The Patient ID replaced by a pseudonym (tcia profile): original -> pseudonym."""

    @property
    def rows(self) -> list[ReportRow]:
        """One row per element of the input and of the output (``anonymizer.report``)."""
        if callable(self._rows):
            self._rows = self._rows()
        return self._rows

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
                copied = _copy_between_files(source, out, segment)
                written += copied
                source.seek(segment.start + copied)
                remaining = segment.stop - segment.start - copied
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
            "residue_check": self.residue_check,
        }


def anonymize(
    source: Source,
    *,
    profile: str | None = None,
    options: Iterable[str] = (),
    uid_secret: str | bytes | None = None,
    policy: CustomPolicy | None = None,
    assigned_ids: Mapping[str, str] | None = None,
) -> Result:
    """Anonymise one DICOM file.

    ``source`` is bytes, a path, or a seekable binary file object (kept open by the caller
    until the result is written: the pixel data is copied from it then). ``profile`` is one of
    :data:`~anonymizer.PROFILES` (default: the custom policy's, else ``radiopaedia``);
    ``options`` names options of :data:`~anonymizer.policy.OPTIONS`; ``policy`` is a custom
    policy (:func:`~anonymizer.load_policy`) applied over the profile, its options added to
    ``options``. ``uid_secret`` keys the regenerated UIDs, the date offsets of the Modified
    Dates option and the AE title pseudonyms, and under the ``tcia`` profile the patient
    pseudonyms (without it, ``tcia`` uses a random key of this process: batches do not link).
    ``assigned_ids`` (tcia) maps original Patient IDs to pre-assigned trial IDs.

    Raises ValueError for an unknown profile or option before reading anything, then
    :class:`~anonymizer.NotDicomError`, :class:`~anonymizer.MalformedDicomError` or
    :class:`~anonymizer.RefusedError`; never returns a file that failed validation.
    """
    settings = _Settings.of(profile, options, policy, uid_secret, assigned_ids)
    with warnings.catch_warnings():
        # pydicom warns about values it finds odd; the validator reports those as findings.
        warnings.simplefilter("ignore")
        fp, owned = open_source(source)
        try:
            parsed = read(fp)
        finally:
            if owned:
                fp.close()
        # pydicom would only warn about odd values as it converts them (the validator judges
        # the output's values); checking each costs a fifth of the time on large headers.
        mode = config.settings.reading_validation_mode
        config.settings.reading_validation_mode = config.IGNORE
        try:
            return _Anonymisation(parsed, settings, source).run()
        except (NotImplementedError, ValueError, UnicodeError, OverflowError, KeyError, IndexError, TypeError,
                AttributeError, OSError, struct.error) as error:
            if not _raised_by_pydicom(error):
                raise
            # a value pydicom cannot decode where the engine needs it (a UID, a stamped
            # attribute ...), or cannot encode again (a number string holding other characters)
            while isinstance(error, TypeError) and (error.__cause__ or error.__context__) is not None:
                error = error.__cause__ or error.__context__  # pydicom failed to wrap the real error
            # the first line only: pydicom adds the element, value included, on the next ones
            first_line = (str(error).splitlines() or [type(error).__name__])[0]
            raise MalformedDicomError(f"a value cannot be read or written: {first_line}") from None
        finally:
            config.settings.reading_validation_mode = mode


@dataclass(frozen=True)
class _Settings:
    """What the caller chose, checked: profile, options, custom policy, secret."""

    profile: str
    options: tuple[str, ...]
    custom: CustomPolicy | None
    secret: bytes | None
    assigned: Mapping[str, str] = field(default_factory=dict)
    keyed: bool = True
    """False when the tcia profile runs on a random key (no secret given)."""

    @classmethod
    def of(cls, profile, options, custom, secret, assigned=None) -> "_Settings":
        if profile is None:
            profile = custom.profile if custom is not None else DEFAULT_PROFILE
        if isinstance(options, str):
            raise TypeError(f"options is a sequence of option names, such as ({options!r},), not a string")
        chosen = resolve_options(profile, (*options, *(custom.options if custom else ())))
        if custom is not None and custom.profile != profile:
            raise ValueError(f"the policy {custom.name!r} extends profile {custom.profile!r}, not {profile!r}")
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        keyed = bool(secret)
        if profile == research.PROFILE and not secret:
            secret = research.run_key()
        return cls(profile, chosen, custom, secret or None, dict(assigned or {}), keyed)


def _class_policy(settings: _Settings, sop_class: str) -> Policy:
    """The policy of ``sop_class`` under the chosen profile, options and custom policy (before
    what :func:`anonymizer.research.per_file` adds per file). Options and a custom policy are
    applied once per batch, not once per file: that costs as much as anonymising a CT slice, and
    the policy staying the same object lets the validator and the residue check reuse their work."""
    policy = policy_for(settings.profile, sop_class)
    if not settings.options and settings.custom is None:
        return policy  # policy_for keeps it
    key = (settings.profile, sop_class, settings.options, id(settings.custom))
    held = _CLASS_POLICIES.get(key)
    if held is not None and held[0] is policy and held[1] is settings.custom:
        return held[2]
    made = with_options(policy, settings.options)
    if settings.custom is not None:
        made = with_custom(made, settings.custom)
    if len(_CLASS_POLICIES) >= _CLASS_POLICIES_KEPT:
        _CLASS_POLICIES.clear()
    _CLASS_POLICIES[key] = (policy, settings.custom, made)  # the custom policy is held: its id is not reused
    return made


_CLASS_POLICIES: dict[tuple, tuple] = {}
_CLASS_POLICIES_KEPT = 16


class _Anonymisation:
    def __init__(self, parsed: ParsedFile, settings: _Settings, source: Source):
        self.parsed = parsed
        self.settings = settings
        self.uids = UidRegenerator(settings.secret)
        self.source = source
        self.rows: list[_RowSpec | _RemovedItem] = []
        """What the report's rows are made of, when they are asked for (:func:`_build_rows`)."""
        self.findings: list[Finding] = []
        self.meta_values: tuple[str, str, str] = ("", "", "")
        """The output's SOP Class and Instance UIDs and transfer syntax (file meta group)."""
        self.unchanged: dict[int, bytes] = {}
        """Kept elements (by id) whose value bytes the writer copies as they came."""
        self.stamped_input: dict[int, DataElement] = {}
        self.dates_kept = 0
        self.dates_shifted = 0
        self._offset: int | None = None
        self._cleaner: TextCleaner | None = None
        self.series_seen = residue.series_seen(parsed.header)
        """Whether a file of this series was anonymised before in this process: what the policy
        did with each value (:func:`_decided`) is worth remembering from the second file of a
        series on, and costs a batch of unrelated files time."""
        sop_class = _text(_element(parsed.header, _SOP_CLASS_UID)) or _text(
            parsed.file_meta.get("MediaStorageSOPClassUID")
        )
        self.policy: Policy
        self.policy, notes, self.patient_ids = research.per_file(
            _class_policy(settings, sop_class), parsed.header, settings.secret, settings.assigned, settings.keyed)
        self.findings.extend(notes)

    def run(self) -> Result:
        parsed, policy = self.parsed, self.policy
        if policy.sop_class_uid == MEDIA_STORAGE_DIRECTORY:
            raise RefusedError([Finding(FATAL, "", (
                "this is a DICOMDIR, an index of other files: its records carry patient names "
                "and IDs and point at files by their original names. Anonymise the image files "
                "and let the receiving system build a new DICOMDIR"
            ))])
        if not (_text(_element(parsed.header, _SOP_INSTANCE_UID))
                or _text(parsed.file_meta.get("MediaStorageSOPInstanceUID"))):
            raise MalformedDicomError(
                "the file has no SOP Instance UID (0008,0018) nor Media Storage SOP Instance "
                "UID (0002,0003): it is not a complete DICOM instance"
            )
        if not policy.sop_class_uid:
            raise MalformedDicomError(
                "the file has no SOP Class UID (0008,0016) nor Media Storage SOP Class UID "
                "(0002,0002): it is not a complete DICOM instance"
            )
        if policy.note:
            self.findings.append(Finding(ABNORMALITY, "", policy.note))
        header = self.apply(parsed.header, "", 0)
        pixel = self.pixel_data()
        trailing = self.apply(self.in_order_trailing(), "", 0) if len(parsed.trailing) else None
        if parsed.trailing_problem:
            self.findings.append(Finding(ABNORMALITY, "", parsed.trailing_problem))
        self.stamp(header)

        self.findings.extend(validate(header, policy))
        if trailing is not None and len(trailing):
            self.findings.extend(validate(trailing, policy, top_level=False))
        fatal = [f for f in self.findings if f.level == FATAL]
        if fatal:
            raise RefusedError(fatal)

        segments: list[bytes | InputRange] = [PREAMBLE + self.file_meta(header)]
        if parsed.transfer_syntax == DeflatedExplicitVRLittleEndian:
            segments.append(_deflate(encode_dataset(header, False, True, self.unchanged)))
        else:
            segments.append(encode_dataset(header, parsed.implicit_vr, parsed.little_endian, self.unchanged))
            if pixel is not None:
                segments.append(pixel)
            if trailing is not None and len(trailing):
                segments.append(encode_dataset(trailing, parsed.implicit_vr, parsed.little_endian, self.unchanged))
        # The second line of defence: the output's bytes searched for the input's identifying
        # values, whatever the policy did; a hit raises RefusedError.
        checked = residue.check(parsed, segments, policy, self.settings.custom)
        return Result(
            segments=segments,
            relative_path=self.relative_path(header),
            _rows=lambda: self.report_rows(header),
            warnings=self.findings,
            profile=policy.profile,
            sop_class_uid=policy.sop_class_uid,
            sop_class_name=policy.sop_class_name,
            _source=self.source,
            options=policy.options,
            custom_policy=policy.custom,
            residue_check=checked.as_dict(),
            uid_mapping=self.uids.mapping,
            patient_id_mapping=self.patient_ids,
        )

    # -- the policy, element by element ------------------------------------------------------

    def apply(self, dataset: Dataset, prefix: str, depth: int, parent: str = "", inside: str = "") -> Dataset:
        """The policy applied to ``dataset``, held by the sequence ``parent`` (its keyword; ""
        at the top level). ``inside`` is DUMMY or CLEAN when that sequence's action covers
        everything in it."""
        out = new_dataset()
        out._parent_encoding = dataset._parent_encoding
        private = self.policy.private_rules(dataset)
        rule_for = self.policy.rule_for
        encoding = dataset.original_character_set or dataset._character_set  # what dataset[tag] converts with
        decided = None if inside or not self.series_seen else _decided(self.policy, parent)
        encoding_key = encoding if isinstance(encoding, str) else tuple(encoding)
        for tag in sorted(dataset._dict, key=int):  # ints compare in C, pydicom's tags in Python
            raw = dataset._dict[tag]
            number = int(tag)  # a plain int for look-ups: pydicom's tags compare in Python, slowly
            if depth == 0 and number in _STAMPED:
                self.stamped_input[tag] = dataset[tag]
                continue
            private_rule = private.get(number)
            if private_rule is not None and private_rule.action == REMOVE and _plainly_shown(raw):
                # the commonest private element: removed, shown (and its path named) only if a
                # report is asked for
                # _RowSpec(None, depth, ...) without the Python-level __new__ of a NamedTuple: half the cost
                self.rows.append(_new_tuple(_RowSpec, (None, depth, tag, raw.VR, raw, None, REMOVED, dataset, prefix)))
                continue
            if decided is not None and type(raw) is RawDataElement:
                key = (number, raw.VR, raw.value, raw.is_implicit_VR, raw.is_little_endian, encoding_key, raw.length)
                held = decided.get(key)
                if held is not None:  # what the policy did with this value before: done again
                    stored, before, action, as_read = held
                    if stored is not None:
                        out._dict[tag] = stored
                        if as_read:
                            self.unchanged[id(stored)] = raw.value
                    self.rows.append(_new_tuple(_RowSpec, (None, depth, tag, before.VR, before, stored, action, dataset, prefix)))
                    continue
            path = prefix + tag_text(number)
            try:
                element = _converted(dataset, tag, raw, private_rule is not None and private_rule.action == REMOVE, encoding)
            except Exception as error:  # pydicom raises many kinds for undecodable values
                self.row(path, depth, tag, raw.VR or "UN", "<unreadable value>", None, REMOVED, dataset)
                self.findings.append(Finding(
                    ABNORMALITY, path, f"the value could not be decoded ({type(error).__name__}); removed"
                ))
                continue
            if private_rule is not None:
                rule = private_rule
            elif inside:
                rule = self.rule_inside(number, element.VR, parent, inside)
            else:
                rule = rule_for(number, parent)
            # what the policy does with a plain public element that is no sequence depends on its
            # value, the policy and the place: remembered for the next files when it only stores
            # an element shared between files (or none) and records its row
            plain = (decided is not None and type(raw) is RawDataElement and element.VR != "SQ"
                     and _remembered_conversion(key) is element)
            if rule is None or rule.action == REMOVE:
                self.removed(element, path, depth, dataset)
                if plain:
                    _remember(decided, key, (None, element, REMOVED, False))
            elif rule.action == KEEP:
                self.keep(out, raw, element, rule, path, depth, dataset, inside)
                if plain and out._dict.get(tag) is element and element.VR not in _DATES:  # not repaired, no date counted
                    _remember(decided, key, (element, element, KEPT, id(element) in self.unchanged))
            elif rule.action == REPLACE:
                self.replace(out, element, rule, path, depth, dataset)
                if plain:  # a fixed value (_fixed): shared
                    _remember(decided, key, (out._dict[tag], element, REPLACED, False))
            elif rule.action == REGENERATE:
                self.regenerate(out, element, path, depth, dataset)
            elif rule.action == DUMMY:
                self.dummy(out, element, path, depth, dataset)
            elif rule.action == CLEAN:
                self.clean(out, raw, element, rule, path, depth, dataset)
            else:
                self.removed(element, path, depth, dataset)
        return out

    def rule_inside(self, tag: int, vr: str, parent: str, inside: str) -> Rule | None:
        """The policy's rule for a public tag, as the enclosing sequence's action shapes it.

        Inside a dummied sequence every value becomes a dummy, except UIDs the policy keeps or
        regenerates (so references stay consistent) and group lengths. Inside a cleaned
        sequence, the person names, AE titles and texts the policy would keep only because it
        does not list them are cleaned too.
        """
        rule = self.policy.rule_for(tag, parent)
        if inside == DUMMY and tag & 0xFFFF:
            if vr == "UI" and rule is not None and rule.action in (KEEP, REGENERATE):
                return rule
            return _DUMMY_INSIDE
        if inside == CLEAN and rule is self.policy.default and vr in _CLEANED_INSIDE:
            return _CLEAN_INSIDE
        return rule

    def keep(self, out, raw, element, rule: Rule, path, depth, dataset, inside: str = "") -> None:
        tag = element.tag
        if element.VR == "SQ":
            items = Sequence([self.apply(item, f"{path}[{i}].", depth + 1, _keyword(tag), inside)
                              for i, item in enumerate(element.value or ())])
            kept = DataElement(tag, "SQ", items, is_undefined_length=element.is_undefined_length)
            _put(out, kept)
            self.row(path, depth, tag, "SQ", element, kept, KEPT, dataset)
            return
        vr = element.VR
        repaired = _repair(element, raw) if vr == "DS" else None
        if repaired is not None:
            _put(out, repaired)
            self.row(path, depth, tag, vr, element, repaired, REPAIRED, dataset)
            self.findings.append(Finding(
                ABNORMALITY, path, f"a {vr} value longer than {DS_MAX_LENGTH} characters was shortened to fit its VR"
            ))
            return
        if tag >> 16 & 1:
            out[tag] = element  # _put(out, element), without a call for each element
        else:
            out._dict[tag] = element
        if (isinstance(raw, RawDataElement) and raw.value is not None and raw.length != _UNDEFINED_LENGTH
                and raw.is_little_endian and writes_back_unchanged(vr, raw.value)):
            self.unchanged[id(element)] = raw.value  # written as it came (anonymizer.writer)
        # self.row(...), without a call for each element
        self.rows.append(_new_tuple(_RowSpec, (path, depth, tag, vr, element, element, KEPT, dataset, "")))
        if vr in ("DA", "DT") and not element.is_empty:
            self.dates_kept += 1

    def replace(self, out, element, rule: Rule, path, depth, dataset) -> None:
        vr = element.VR
        if vr == "SQ":
            value = Sequence()
        elif rule.value == "":
            value = "" if vr in _TEXT_VRS else None
        else:
            value = rule.value.split("\\") if "\\" in rule.value else rule.value
        new = DataElement(element.tag, vr, value) if vr == "SQ" else _fixed(element.tag, vr, value)
        _put(out, new)
        self.row(path, depth, element.tag, vr, element, new, REPLACED, dataset)
        if vr == "SQ":
            for index, item in enumerate(element.value or ()):
                self.removed_items(item, f"{path}[{index}].", depth + 1)

    def regenerate(self, out, element, path, depth, dataset) -> None:
        if element.VR != "UI":  # a private UID read without its VR (UN) is regenerated all the same
            element = research.as_uid(element) or element
        if element.VR != "UI":
            self.findings.append(Finding(
                ABNORMALITY, path, f"the policy regenerates UIDs but this element is {element.VR}; removed"
            ))
            self.removed(element, path, depth, dataset)
            return
        values = element.value if element.VM > 1 else [element.value]
        new_values = [self.uids(str(v)) for v in values if v is not None]
        new = _fixed(element.tag, "UI", new_values if len(new_values) > 1 else (new_values[0] if new_values else ""))
        _put(out, new)
        self.row(path, depth, element.tag, "UI", element, new, REGENERATED, dataset)

    def dummy(self, out, element, path, depth, dataset) -> None:
        """D: the dummy of the VR; a UID regenerated; a sequence's items dummied throughout."""
        tag, vr = element.tag, element.VR.split(" or ")[0]
        if vr == "UI":
            self.regenerate(out, element, path, depth, dataset)
            return
        if vr == "SQ":
            new = DataElement(tag, "SQ", Sequence([
                self.apply(item, f"{path}[{i}].", depth + 1, _keyword(tag), DUMMY)
                for i, item in enumerate(element.value or ())
            ]), is_undefined_length=element.is_undefined_length)
        else:
            new = _fixed(tag, vr, self.policy.dummies.get(vr, bytes(8)))
        _put(out, new)
        self.row(path, depth, tag, vr, element, new, REPLACED, dataset)

    def clean(self, out, raw, element, rule: Rule, path, depth, dataset) -> None:
        """C: a value of similar meaning that identifies no one, by VR (see anonymizer.rules)."""
        vr = element.VR
        if rule.value == research.EPOCH_SECONDS and not element.is_empty:  # seconds since 1970
            moved = research.shift_epoch(element, self.offset)
            if moved is None:
                self.removed(element, path, depth, dataset)
            else:
                _put(out, moved)
                self.row(path, depth, element.tag, vr, element, moved, REPLACED, dataset)
        elif vr == "SQ":
            self.keep(out, raw, element, rule, path, depth, dataset, CLEAN)
        elif element.is_empty or vr == "TM" or vr in _NUMBER_VRS:
            # nothing to clean: empty, a time of day (offsets are whole days), a number
            self.keep(out, raw, element, rule, path, depth, dataset)
        elif vr in ("PN", "AS"):  # no name or age is like another without identifying someone
            self.dummy(out, element, path, depth, dataset)
        elif vr == "UI":
            self.regenerate(out, element, path, depth, dataset)
        elif vr in ("DA", "DT"):
            self.shift(out, element, path, depth, dataset)
        elif vr == "AE":
            self.rewrite(out, element, lambda v: ae_pseudonym(v, self.settings.secret), path, depth, dataset)
        elif vr in _CLEANED_TEXT:
            self.rewrite(out, element, self.cleaner, path, depth, dataset)
        else:  # a binary value cannot be read, so it cannot be cleaned
            self.removed(element, path, depth, dataset)

    def shift(self, out, element, path, depth, dataset) -> None:
        move = shift_date if element.VR == "DA" else shift_datetime
        values = [str(v) for v in (element.value if element.VM > 1 else [element.value])]
        moved = [move(v, self.offset) for v in values]
        if None in moved:
            self.findings.append(Finding(
                ABNORMALITY, path, f"a {element.VR} value that is not a valid date could not be shifted; emptied"
            ))
            new = _fixed(element.tag, element.VR, "")
        else:
            new = _fixed(element.tag, element.VR, moved if len(moved) > 1 else moved[0])
            self.dates_shifted += 1
        _put(out, new)
        self.row(path, depth, element.tag, element.VR, element, new, REPLACED, dataset)

    def rewrite(self, out, element, change, path, depth, dataset) -> None:
        """Each value of a text element passed through ``change``; kept if nothing changed."""
        values = [str(v) for v in (element.value if element.VM > 1 else [element.value])]
        changed = [change(v) for v in values]
        if changed == values:
            _put(out, element)
            self.row(path, depth, element.tag, element.VR, element, element, KEPT, dataset)
            return
        new = _fixed(element.tag, element.VR, changed if len(changed) > 1 else changed[0])
        _put(out, new)
        self.row(path, depth, element.tag, element.VR, element, new, REPLACED, dataset)

    @property
    def offset(self) -> int:
        """This file's patient's date offset in days (see anonymizer.transforms)."""
        if self._offset is None:
            header = self.parsed.header
            key = patient_key(_text(_element(header, 0x00100020)), _text(_element(header, 0x00100010)))
            if not key:
                key = "STUDY:" + _text(_element(header, _STUDY_UID))
                self.findings.append(Finding(ABNORMALITY, "", (
                    "the file has neither Patient ID nor Patient's Name: its dates were shifted by an "
                    "offset derived from the Study Instance UID, so intervals hold only within the study"
                )))
            if self.settings.secret is None:
                self.findings.append(Finding(POSSIBLE_LEAK, "", (
                    "dates were shifted without a secret: anyone who knows the Patient ID can "
                    "recompute the offset and recover the real dates; give a secret (--uid-secret)"
                )))
            self._offset = date_offset(key, self.settings.secret)
        return self._offset

    @property
    def cleaner(self) -> TextCleaner:
        """Removes this file's identifying values from free text (see anonymizer.transforms)."""
        if self._cleaner is None:
            values: list[str] = []
            for dataset in (self.parsed.header, self.parsed.trailing):
                _identifying_values(dataset, identifying_tags(), values)
            self._cleaner = text_cleaner(tuple(values))
        return self._cleaner

    def removed(self, element, path, depth, dataset) -> None:
        self.row(path, depth, element.tag, element.VR, element, None, REMOVED, dataset)
        if element.VR == "SQ":
            for index, item in enumerate(element.value or ()):
                self.removed_items(item, f"{path}[{index}].", depth + 1)

    def removed_items(self, item: Dataset, prefix: str, depth: int) -> None:
        """Record that every element of ``item`` (an item of a removed sequence) is removed:
        its rows are made when the report is asked for (:func:`_removed_item_rows`), as
        decoding each value costs as much as anonymising it and no output holds them."""
        self.rows.append(_RemovedItem(prefix, depth, item))

    # -- the pieces around the data set ------------------------------------------------------

    def pixel_data(self) -> InputRange | None:
        parsed = self.parsed
        if parsed.pixel_data is None:
            return None
        tag = parsed.pixel_tag
        length = parsed.pixel_data.stop - parsed.pixel_data.start
        before = f"<pixel data, {length} bytes in the input, copied unchanged>"
        rule = self.policy.rule_for(tag)
        if rule is None or rule.action != KEEP:
            self.row(tag_text(tag), 0, tag, "", before, None, REMOVED, None)
            return None
        self.row(tag_text(tag), 0, tag, "", before, before, KEPT, None)
        return parsed.pixel_data

    def in_order_trailing(self) -> Dataset:
        """Elements after the pixel data, less any that would break ascending tag order."""
        trailing = self.parsed.trailing
        limit = self.parsed.pixel_tag or 0
        out = new_dataset()
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
        stamped = header._dict  # none of these tags is in the header yet (apply skips them)
        stamped[BaseTag(0x00120062)] = _fixed(0x00120062, "CS", "YES")  # Patient Identity Removed
        stamped[BaseTag(0x00120063)] = _fixed(  # De-identification Method
            0x00120063, "LO", f"anonymizer {__version__}, profile {self.policy.profile}"[:64])
        stamped[BaseTag(0x00120064)] = _method_codes(tuple(self.policy.method_codes))
        stamped[BaseTag(_LONGITUDINAL)] = _fixed(_LONGITUDINAL, "CS", self.longitudinal())

    def stamp_rows(self, header: Dataset) -> None:
        """Put the report rows of the stamped attributes (:meth:`stamp`) among the others, in
        tag order; when the rows are asked for, as building them costs a twentieth of a run."""
        main_rows, self.rows = self.rows, []
        for tag in _STAMPED:
            old, new = self.stamped_input.get(tag), header[tag]
            path = tag_text(tag)
            if old is None:
                action = ADDED
            else:
                action = KEPT if show(old) == show(new) else REPLACED
            self.row(path, 0, tag, new.VR, old, new, action, header)
            if old is not None and old.VR == "SQ":
                for index, item in enumerate(old.value or ()):
                    self.removed_items(item, f"{path}[{index}].", 1)
            for index, item in enumerate(new.value if new.VR == "SQ" else ()):
                for item_tag in sorted(item._dict):
                    element = item[item_tag]
                    self.row(f"{path}[{index}].{tag_text(item_tag)}", 1, item_tag, element.VR,
                             None, element, ADDED, item)
        stamp_rows, self.rows = self.rows, main_rows
        for tag in _STAMPED:
            position = next(
                (i for i, row in enumerate(self.rows) if row.depth == 0 and int(row.tag) > tag),
                len(self.rows),
            )
            self.rows[position:position] = [row for row in stamp_rows if row.path.startswith(tag_text(tag))]

    def longitudinal(self) -> str:
        """Longitudinal Temporal Information Modified, as it is: UNMODIFIED when any real date
        or date-time is left in the file, else MODIFIED when dates were shifted, else REMOVED
        (removed, emptied, or replaced by fixed or dummy values)."""
        if self.dates_kept:
            return "UNMODIFIED"
        return "MODIFIED" if self.dates_shifted else "REMOVED"

    def file_meta(self, header: Dataset) -> bytes:
        """The output's file meta group, encoded (its report rows are built with the others)."""
        parsed = self.parsed
        self.meta_values = (
            _text(_element(header, _SOP_CLASS_UID)) or self.policy.sop_class_uid,
            _text(_element(header, _SOP_INSTANCE_UID)) or self.uids(_text(parsed.file_meta.get("MediaStorageSOPInstanceUID"))),
            _output_syntax(parsed),
        )
        return _encode_plain_meta(*self.meta_values) or _encode_meta(_meta_dataset(*self.meta_values))

    def report_rows(self, header: Dataset) -> list[ReportRow]:
        """The report's rows, built as the engine reads values: pydicom quiet (the
        validator has judged the values), its value checks off."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mode = config.settings.reading_validation_mode
            config.settings.reading_validation_mode = config.IGNORE
            try:
                self.stamp_rows(header)
                return _build_rows(self.meta_rows() + self.rows, self.findings)
            finally:
                config.settings.reading_validation_mode = mode

    def meta_rows(self) -> list[_RowSpec]:
        """The report rows of the file meta group, input against output, put first."""
        meta = _meta_dataset(*self.meta_values)
        _encode_meta(meta)  # adds (0002,0000) File Meta Information Group Length
        old_meta = self.parsed.file_meta
        rows = []
        for tag in sorted(set(old_meta._dict) | set(meta._dict)):
            old = old_meta.get(tag) if tag in old_meta._dict else None
            new = meta.get(tag)
            if old is None and new is None:
                continue
            if new is None:
                action = REMOVED
            elif old is None:
                action = ADDED
            elif show(old) == show(new):
                action = KEPT
            else:
                action = REGENERATED if tag == 0x00020003 else REPLACED
            rows.append(_RowSpec(tag_text(tag), 0, tag, (new or old).VR, old, new, action, None))
        return rows

    def relative_path(self, header: Dataset) -> str:
        study = _text(_element(header, _STUDY_UID)) or "unknown-study"
        series = _text(_element(header, _SERIES_UID)) or "unknown-series"
        instance = _text(_element(header, _SOP_INSTANCE_UID)) or self.uids(
            _text(self.parsed.file_meta.get("MediaStorageSOPInstanceUID"))
        )
        return f"{study}/{series}/{instance}.dcm"

    # -- report ------------------------------------------------------------------------------

    def row(self, path, depth, tag, vr, before, after, action, dataset) -> None:
        """Record a report row; ``before`` and ``after`` are elements (shown when the rows are
        built), texts, or None (absent)."""
        # _RowSpec(...) without the Python-level __new__ of a NamedTuple: half the cost
        self.rows.append(_new_tuple(_RowSpec, (path, depth, tag, vr, before, after, action, dataset, "")))


class _RowSpec(NamedTuple):
    """What one report row is made of, kept until someone asks for the rows: showing values
    and naming tags costs as much as anonymising, and the command line without --report or
    the page's batch never read them."""

    path: str | None
    """The element's path; None for ``prefix`` followed by the tag."""
    depth: int
    tag: int
    vr: str
    before: object
    after: object
    action: str
    dataset: Dataset | None
    """Where the element sits, for a private element's creator."""
    prefix: str = ""


class _RemovedItem(NamedTuple):
    """An item of a removed sequence, in the rows (expanded into its elements' rows by
    :func:`_removed_item_rows` when the report is built)."""

    path: str
    """The item's path, e.g. ``(0040,0275)[0].``."""
    depth: int
    item: Dataset


def _removed_item_rows(item: Dataset, prefix: str, depth: int) -> Iterator[_RowSpec]:
    """A removed row for each element of ``item``, in tag order, and for the items of the
    sequences it holds, at every depth (no deeper than the reader allows)."""
    for tag in sorted(item._dict):
        path = prefix + tag_text(tag)
        try:
            element = item[tag]
        except Exception:  # pydicom raises many kinds for undecodable values
            yield _RowSpec(path, depth, tag, item._dict[tag].VR or "UN", "<unreadable value>", None, REMOVED, item)
            continue
        yield _RowSpec(path, depth, tag, element.VR, element, None, REMOVED, item)
        if element.VR == "SQ":
            for index, inner in enumerate(element.value or ()):
                yield from _removed_item_rows(inner, f"{path}[{index}].", depth + 1)


def _expanded(specs: list) -> Iterator[_RowSpec]:
    for spec in specs:
        if type(spec) is _RemovedItem:
            yield from _removed_item_rows(spec.item, spec.path, spec.depth)
        else:
            yield spec


def _build_rows(specs: list, findings: list[Finding]) -> list[ReportRow]:
    """The report rows of ``specs``, each with the findings at its path."""
    creators: dict[tuple[int, int], str | None] = {}
    rows = []
    for path, depth, tag, vr, before, after, action, dataset, prefix in _expanded(specs):
        if path is None:
            path = prefix + tag_text(tag)
        creator = None
        if tag >> 16 & 1 and (tag & 0xFFFF) >= 0x1000:  # a private element: its block's creator, once
            block = (id(dataset), int(tag) >> 8)  # the specs hold the data sets: ids are not reused
            if block not in creators:
                creators[block] = _private_creator(dataset, tag)
            creator = creators[block]
        keyword, name = describe(tag, creator)
        if isinstance(before, RawDataElement):  # a removed private element (_plainly_shown)
            before = _converted(dataset, tag, before, removed=True)
        rows.append(ReportRow(path, depth, tag_text(tag), keyword, name, vr, _shown(before), _shown(after), action))
    by_path = {row.path: row for row in rows}
    for finding in findings:
        row = by_path.get(finding.path)
        if row is not None:
            row.findings.append(finding)
    return rows


def _shown(value) -> str | None:
    return value if value is None or isinstance(value, str) else show(value)


_TEXT_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"})
_CLEANED_TEXT = frozenset({"CS", "LO", "LT", "SH", "ST", "UC", "UR", "UT"})
"""Text that ``clean`` strips of identifying values."""
_CLEANED_INSIDE = frozenset({"AE", "LO", "LT", "PN", "SH", "ST", "UC", "UT"})
"""What a cleaned sequence cleans even where the policy would keep it: names and free text."""
_NUMBER_VRS = frozenset({"AT", "DS", "FD", "FL", "IS", "SL", "SS", "SV", "UL", "US", "UV"})
_DUMMY_INSIDE = Rule("", "", DUMMY, "Inside a sequence whose action is D: every value replaced by a dummy.")
_CLEAN_INSIDE = Rule("", "", CLEAN, "Inside a sequence whose action is C: names and free text cleaned.")


class _Shown(NamedTuple):
    """A removed private element, decoded only as far as the report shows it."""

    tag: int
    VR: str
    value: object


class _ShownLater:
    """A removed private text in ASCII (the same in every character set): decoded as the
    report shows it, when the report is built."""

    __slots__ = ("tag", "VR", "raw")

    def __init__(self, tag: int, vr: str, raw: bytes):
        self.tag, self.VR, self.raw = tag, vr, raw

    @property
    def value(self):
        return _shown_text(self.VR, self.raw.decode("ascii"))


def _shown_text(vr: str, text: str):
    """Text split at backslashes (but LT, ST, UT), trailing padding off, as pydicom reads it."""
    values = [text] if vr in ("LT", "ST", "UT") else text.split("\\")
    values = [v.rstrip("\0 ") for v in values]
    return values if len(values) > 1 else values[0]


_SHOWN_TEXT = frozenset({"LO", "SH", "UC", "LT", "ST", "UT"})
_SHOWN_BINARY = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})


def _plainly_shown(raw) -> bool:
    """Whether the report can show this removed private element from its raw bytes alone, with
    no decoding that could fail: binary, or text in ASCII (the same in every character set)."""
    if not isinstance(raw, RawDataElement) or raw.value is None:
        return False
    if raw.VR in _SHOWN_BINARY:
        return True
    return raw.VR in _SHOWN_TEXT and raw.value.isascii() and b"\x1b" not in raw.value


def _converted(dataset: Dataset, tag: int, raw, removed: bool = False, encoding=None) -> DataElement | _Shown | _ShownLater:
    """``dataset[tag]``, without storing the converted element back into the input: each
    element is read once here, and pydicom's write-back costs as much as the conversion (a
    file of 100,000 elements). Sequences and ambiguous VRs take pydicom's own path; the
    character set itself is converted in the default one, as ``dataset[tag]`` converts it. A
    ``removed`` private text or binary value is only decoded as the report shows it (as
    pydicom would: text split at backslashes, trailing padding off).
    ``encoding`` is the data set's, ``original_character_set or _character_set``, when the
    caller has it (once per data set, not once per element)."""
    if encoding is None:
        encoding = dataset.original_character_set or dataset._character_set
    if removed and isinstance(raw, RawDataElement) and raw.value is not None:
        if raw.VR in _SHOWN_BINARY:
            return _Shown(tag, raw.VR, raw.value)
        if raw.VR in _SHOWN_TEXT:
            if raw.value.isascii() and b"\x1b" not in raw.value:  # the same in every character set
                return _ShownLater(tag, raw.VR, raw.value)
            text = decode_bytes(raw.value, [encoding] if isinstance(encoding, str) else encoding,
                                TEXT_VR_DELIMS)
            return _Shown(tag, raw.VR, _shown_text(raw.VR, text))
    if isinstance(raw, RawDataElement) and raw.VR != "SQ":
        if int(tag) == 0x00080005:
            encoding = default_encoding
        key = None
        if not tag >> 16 & 1 and raw.value is not None and len(raw.value) <= _REMEMBERED_LENGTH:
            key = (int(tag), raw.VR, raw.value, raw.is_implicit_VR, raw.is_little_endian,
                   encoding if isinstance(encoding, str) else tuple(encoding))
            element = _CONVERTED.get(key)
            if element is not None:
                return element
        element = convert_raw_data_element(raw, encoding=encoding, ds=dataset)
        if element.VR != "SQ" and element.VR not in AMBIGUOUS_VR:
            if key is not None:
                if len(_CONVERTED) >= _REMEMBERED:
                    _CONVERTED.clear()
                _CONVERTED[key] = element
            return element
    return dataset[tag]


def _decided(policy: Policy, parent: str) -> dict[tuple, tuple]:
    """What ``policy`` did in the sequence ``parent`` (its keyword; "" at the top level) with
    plain public elements that it kept, replaced by a fixed value or removed, by what each was
    read from: tag, VR, value bytes, encoding, the data set's character set (:data:`_CONVERTED`'s
    key) and length. Each is (the element stored in the output or None, the input's element as
    converted, the report's action, whether the writer copies the value bytes). The files of a
    series hold most of their elements with the same values. Held with a weak reference to the
    policy, as the validator's verdicts are."""
    key = (id(policy), parent)
    held = _DECIDED.get(key)
    if held is None or held[0]() is not policy:
        if len(_DECIDED) >= _DECIDED_PLACES:
            _DECIDED.clear()
            _decided_count[0] = 0
        held = _DECIDED[key] = (weakref.ref(policy), {})
    return held[1]


def _remember(decided: dict, key: tuple, decision: tuple) -> None:
    """Remember one decision of :func:`_decided`: at most :data:`_REMEMBERED` in all places,
    all forgotten when full."""
    if _decided_count[0] >= _REMEMBERED:
        for _, place in _DECIDED.values():
            place.clear()
        _decided_count[0] = 0
    decided[key] = decision
    _decided_count[0] += 1


def _remembered_conversion(key: tuple) -> DataElement | None:
    """The element :func:`_converted` remembers for a plain public element, by the key of
    :func:`_decided` (the Specific Character Set itself is converted in the default one)."""
    return _CONVERTED.get(key[:5] + (default_encoding if key[0] == 0x00080005 else key[5],))


_DECIDED: dict[tuple, tuple[weakref.ref, dict]] = {}
_DECIDED_PLACES = 64
_decided_count = [0]
_DATES = frozenset({"DA", "DT"})


def _put(out: Dataset, element: DataElement) -> None:
    """``out[element.tag] = element``; a public element that is no sequence goes straight into
    the data set's dict, which is all Dataset.__setitem__ does with it after checks that cost
    more (a private one gets its creator named there, a sequence its parent)."""
    if element.tag >> 16 & 1 or element.VR == "SQ":
        out[element.tag] = element
    else:
        out._dict[element.tag] = element


def _fixed(tag: int, vr: str, value) -> DataElement:
    """A new public element holding a value the engine wrote (a profile's fixed value, a
    dummy, a regenerated UID, a shifted date, a cleaned text: a series repeats its study's and
    series' values), made once per value and shared: elements are never changed once made."""
    if tag >> 16 & 1:  # Dataset.__setitem__ names a private element's creator on it
        return DataElement(tag, vr, value)
    key = (int(tag), vr, type(value), tuple(value) if isinstance(value, list) else value)
    element = _FIXED.get(key)
    if element is None:
        element = DataElement(tag, vr, value)
        if len(_FIXED) >= _REMEMBERED:
            _FIXED.clear()
        _FIXED[key] = element
    return element


_FIXED: dict[tuple, DataElement] = {}


@lru_cache(maxsize=64)
def _method_codes(codes: tuple) -> DataElement:
    """The De-identification Method Code Sequence of ``codes`` (CID 7050), made once per
    process and shared like :func:`_fixed`'s elements."""
    items = Sequence()
    for code in codes:
        item = Dataset()
        item.CodeValue = code.value
        item.CodingSchemeDesignator = code.scheme
        item.CodeMeaning = code.meaning
        items.append(item)
    return DataElement(0x00120064, "SQ", items)


_new_tuple = tuple.__new__
_REMEMBERED = 8192
_REMEMBERED_LENGTH = 256
_CONVERTED: dict[tuple, DataElement] = {}
"""Public elements converted by pydicom, by tag, VR, value bytes, encoding and character set:
the files of a series repeat most of their values (geometry, equipment, protocol), and the
conversion depends on nothing else once sequences, ambiguous VRs and private tags (whose VR
may depend on their creator) are left out. The elements are never changed once made."""


def _copy_between_files(source: BinaryIO, out: BinaryIO, segment: InputRange) -> int:
    """Copy as much of ``segment`` of ``source`` to ``out`` as the kernel will, when both are
    files on disk (``os.copy_file_range``: no pass through Python, and a copy-on-write file
    system may share the blocks); the bytes copied, 0 where it cannot (the caller copies the
    rest in chunks)."""
    copy = getattr(os, "copy_file_range", None)
    if copy is None or not (isinstance(source, io.BufferedReader) and isinstance(out, io.BufferedWriter)):
        return 0
    copied = 0
    try:
        out.flush()
        position = out.tell()
        while segment.start + copied < segment.stop:
            count = copy(source.fileno(), out.fileno(), segment.stop - segment.start - copied,
                         segment.start + copied, position + copied)
            if count == 0:  # the input ends early: the chunk loop says so
                break
            copied += count
    except OSError:  # not a regular file, another file system on an old kernel, an append-only file ...
        pass
    if copied:
        out.seek(position + copied)
    return copied


def _raised_by_pydicom(error: BaseException) -> bool:
    """Whether ``error`` comes from inside pydicom (decoding a value), not from this package."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return trace is not None and "pydicom" in trace.tb_frame.f_code.co_filename.replace("\\", "/").split("/")


def _keyword(tag: int) -> str:
    """The keyword of a sequence, as the policy names the place of the attributes inside it."""
    return keyword_for_tag(tag) or tag_text(tag)


def _identifying_values(dataset: Dataset, tags: frozenset[int], values: list[str]) -> None:
    """Collect into ``values`` every person name (with its parts) and every value of ``tags``
    in ``dataset``, at every depth: what free text is cleaned of. An element still raw whose
    stored VR says it is neither a name nor a sequence is passed over unconverted unless its
    tag is one of ``tags``."""
    for tag, stored in list(dataset._dict.items()):
        if type(stored) is RawDataElement and stored.VR not in _MAY_NAME and int(tag) not in tags:
            continue
        try:
            element = _converted(dataset, tag, stored) if type(stored) is RawDataElement else stored
        except Exception:  # an undecodable value holds nothing to search for
            continue
        if element.VR == "SQ":
            for item in element.value or ():
                _identifying_values(item, tags, values)
            continue
        if element.is_empty or not (element.VR == "PN" or tag in tags):
            continue
        for value in element.value if element.VM > 1 else [element.value]:
            text = str(value).strip("\x00 ")
            values.extend(name_parts(text) if element.VR == "PN" else [text])


_MAY_NAME = frozenset({None, "UN", "PN", "SQ"})
"""Stored VRs that may turn out a person name or a sequence once converted (none given: implicit VR)."""


def _repair(element: DataElement, raw) -> DataElement | None:
    """A kept DS ``element`` too long for its VR, rewritten to at most 16 characters; else None.
    ``raw`` is what ``element`` was read from: when each of its values fits as written, no
    value read from it can be longer."""
    if isinstance(raw, RawDataElement) and isinstance(raw.value, bytes) and (
            len(raw.value) <= DS_MAX_LENGTH or max(map(len, raw.value.split(b"\\"))) <= DS_MAX_LENGTH):
        return None
    if element.is_empty:
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
    """The creator of the private block holding ``tag``, as the policy read it to decide the
    element (``creator_text``): the report names the element after the same creator."""
    if not tag >> 16 & 1 or (tag & 0xFFFF) < 0x1000:
        return None
    return creator_text(dataset, (tag & 0xFFFF0000) | (tag >> 8 & 0xFF))


def _element(dataset: Dataset, tag: int) -> DataElement | None:
    """``dataset.get(tag)`` for a public tag, converted as :func:`_converted` converts it: once
    per distinct value in a series, and not written back into an input data set."""
    stored = dataset._dict.get(tag)
    if stored is None or not isinstance(stored, RawDataElement):
        return stored
    return _converted(dataset, tag, stored)


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


def _meta_dataset(sop_class_uid: str, sop_instance_uid: str, syntax: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.FileMetaInformationVersion = b"\x00\x01"
    meta.MediaStorageSOPClassUID = sop_class_uid
    meta.MediaStorageSOPInstanceUID = sop_instance_uid
    meta.TransferSyntaxUID = syntax
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    return meta


_PLAIN_UID = re.compile(r"[0-9.]+")


def _encode_plain_meta(sop_class_uid: str, sop_instance_uid: str, syntax: str) -> bytes | None:
    """The file meta group as :func:`_encode_meta` writes it, when the three UIDs are plain
    digits and dots (else None: pydicom encodes them)."""
    uids = (sop_class_uid, sop_instance_uid, syntax, IMPLEMENTATION_CLASS_UID)
    if not all(_PLAIN_UID.fullmatch(uid) for uid in uids):
        return None
    body = b"\x02\x00\x01\x00OB\x00\x00\x02\x00\x00\x00\x00\x01"
    for element, uid in zip((0x0002, 0x0003, 0x0010, 0x0012), uids):
        value = uid.encode("ascii") + (b"\x00" if len(uid) % 2 else b"")
        body += struct.pack("<HH2sH", 0x0002, element, b"UI", len(value)) + value
    name = IMPLEMENTATION_VERSION_NAME.encode("ascii")
    name += b" " if len(name) % 2 else b""
    body += struct.pack("<HH2sH", 0x0002, 0x0013, b"SH", len(name)) + name
    return struct.pack("<HH2sHL", 0x0002, 0x0000, b"UL", 4, len(body)) + body


def _encode_meta(meta: FileMetaDataset) -> bytes:
    buffer = DicomBytesIO()
    buffer.is_implicit_VR = False
    buffer.is_little_endian = True
    write_file_meta_info(buffer, meta, enforce_standard=True)
    return buffer.getvalue()


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()
