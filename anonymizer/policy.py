"""The policy for one file: a profile's rules resolved for the file's SOP class.

A policy answers one question for the engine: what happens to this tag, here? It is built in
three layers, each a function of the one before:

1. :func:`policy_for` (profile, SOP class): the profile itself.

   * ``radiopaedia``: a whitelist per SOP class (``rules/radiopaedia.py``): every tag without
     a rule is removed, at every depth.
   * ``basic``: PS3.15 Annex E Basic Application Level Confidentiality Profile
     (``rules/table_e1_1.py``, generated from Table E.1-1): every attribute the table lists
     gets its action, compound actions resolved by the attribute's Type in the IOD of the SOP
     class (``rules/basic.py``, ``rules/iod_types.py``); attributes it does not list are kept,
     private attributes removed.

2. :func:`with_options`: the options of the standard (:data:`OPTIONS`). Each option's column
   of Table E.1-1 overrides the profile for every attribute it lists, in either profile.
   Where two chosen options give one attribute different actions, clean (C) wins over keep
   (K): the Retain Device Identity Option keeps the date of last calibration, the Modified
   Dates Option must still shift it, or that one real date would give the offset away.

3. :func:`with_custom`: a custom policy file (``anonymizer.custom_policy``) overrides both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple

from pydicom.datadict import dictionary_description, dictionary_VR
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.uid import UID

from . import rules as generated  # the generated tables, loaded on first use (rules.__getattr__)
from .rules import CLEAN, DUMMIES, KEEP, REMOVE, Rule
from .rules import basic, radiopaedia
from .rules.cid_7050 import CODES as CID_7050, SCHEME as CID_7050_SCHEME

if TYPE_CHECKING:
    from .rules.table_e1_1 import Row

PROFILES: tuple[str, ...] = ("radiopaedia", "basic", "tcia")
DEFAULT_PROFILE = "radiopaedia"

CATCH_ALL_NOTE = (
    "no policy is written for this SOP class: the catch-all whitelist (every module's rules) "
    "was applied, so functional information may have been stripped"
)
UNKNOWN_IOD_NOTE = (
    "the SOP class is not in the standard's IOD tables: each compound action of Table E.1-1 "
    "(X/Z, X/D, X/Z/D, Z/D, X/Z/U*) was resolved by the strongest Type the attribute has at that "
    "place in any IOD"
)


class MethodCode(NamedTuple):
    """One item of the De-identification Method Code Sequence."""

    value: str
    scheme: str
    meaning: str


RADIOPAEDIA_METHOD = MethodCode(
    "RADIOPAEDIA",
    "99ANONYMIZER",
    "Radiopaedia whitelist: every attribute not listed removed",
)
"""The radiopaedia profile keeps free-text descriptors that the Basic Profile (113100) removes
or cleans, so claiming 113100 would be false. It is recorded under a private coding scheme."""

BASIC_METHOD = MethodCode("113100", CID_7050_SCHEME, CID_7050["113100"])


class Option(NamedTuple):
    """An option of the Basic Profile (PS3.15 E.3), as the page and the command line offer it."""

    name: str
    description: str
    code: MethodCode
    """Its CID 7050 code, recorded in the De-identification Method Code Sequence."""
    profiles: tuple[str, ...]
    """The profiles that accept it."""

    @property
    def column(self) -> str:
        """Its column in Table E.1-1."""
        return generated.table_e1_1.OPTION_COLUMNS[self.name]


def _option(name: str, code: str, profiles: tuple[str, ...], description: str) -> Option:
    return Option(name, description, MethodCode(code, CID_7050_SCHEME, CID_7050[code]), profiles)


_BASIC_AND_RADIOPAEDIA = ("basic", "radiopaedia")
OPTIONS: tuple[Option, ...] = (
    _option("retain-safe-private", "113111", ("basic",),
            "Keep the private attributes Table E.3.10-1 lists as safe (matched by private creator "
            "and element), with their private creators; remove every other private attribute."),
    _option("retain-uids", "113110", ("basic",),
            "Keep every UID (study, series, instance, frame of reference ...) instead of "
            "regenerating it."),
    _option("retain-device-identity", "113109", ("basic",),
            "Keep device identifiers (serial numbers, station name, detector ID ...); AE titles "
            "get consistent pseudonyms."),
    _option("retain-institution-identity", "113112", ("basic",),
            "Keep the institution's name, address and department."),
    _option("retain-patient-characteristics", "113108", _BASIC_AND_RADIOPAEDIA,
            "Keep age, sex, size, weight, smoking and pregnancy status ...; free-text items "
            "(allergies, patient state ...) are cleaned."),
    _option("retain-longitudinal-full-dates", "113106", ("basic",),
            "Keep every date and time unchanged."),
    _option("retain-longitudinal-modified-dates", "113107", _BASIC_AND_RADIOPAEDIA,
            "Shift every date by whole days, the same for every file of a patient (keyed by the "
            "secret): intervals hold, times of day are kept."),
    _option("clean-descriptors", "113105", ("basic",),
            "Keep descriptions, comments and labels, with the names, IDs and dates found in the "
            "file removed from their text."),
    _option("clean-structured-content", "113104", ("basic",),
            "Keep SR content trees, acquisition context and specimen preparation, with person "
            "names dummied and names, IDs and dates removed from their text."),
    _option("clean-graphics", "113103", ("basic",),
            "Keep graphic annotations, curves and overlay comments with identifying text "
            "removed; overlay bitmaps are still removed (they may hold burned-in text)."),
)
"""Every option, in the order of Table E.1-1's columns; ``name`` is what the API and the
command line take."""

_OPTIONS_BY_NAME = {option.name: option for option in OPTIONS}
_EXCLUSIVE = ("retain-longitudinal-full-dates", "retain-longitudinal-modified-dates")


class Pattern(NamedTuple):
    """A rule for every tag in ``start..stop`` whose bits under ``mask`` equal ``value``."""

    rule: Rule
    mask: int = 0
    value: int = 0
    start: int = 0
    stop: int = 0xFFFFFFFF

    def matches(self, tag: int) -> bool:
        return self.start <= tag <= self.stop and tag & self.mask == self.value


class PrivateRule(NamedTuple):
    """A custom rule for the private attributes of one private creator (compared without case).

    ``group`` (odd) and ``element`` (the byte within the block) narrow it when given.
    """

    creator: str
    group: int | None
    element: int | None
    rule: Rule

    def matches(self, creator: str, group: int, element: int) -> bool:
        return (creator == self.creator and (self.group is None or self.group == group)
                and (self.element is None or self.element == element))


@dataclass(frozen=True)
class Policy:
    """What happens to every tag of one file: built by :func:`policy_for`, :func:`with_options`
    and :func:`with_custom`, asked by the engine and the validator."""

    profile: str
    sop_class_uid: str
    sop_class_name: str
    dedicated: bool
    """False when the SOP class has no policy of its own (radiopaedia: the catch-all whitelist;
    basic: no IOD in the standard's tables)."""
    rules: Mapping[int, Rule]
    method_codes: tuple[MethodCode, ...]
    default: Rule | None = None
    """The rule for a public tag that nothing else matches; None removes it (a whitelist)."""
    in_context: Mapping[int, Mapping[str | None, Rule]] = field(default_factory=dict)
    """Rules that depend on the sequence that holds the attribute: enclosing sequence keyword
    ("" at the top level) -> rule; the key None is for every other place."""
    patterns: tuple[Pattern, ...] = ()
    """Rules for tag ranges and repeating groups, tried in order after the rules by tag."""
    private: tuple[PrivateRule, ...] = ()
    """Custom rules by private creator."""
    retain_safe_private: bool = False
    """Whether Table E.3.10-1 keeps its safe private attributes (Retain Safe Private Option)."""
    private_kb: Mapping[tuple[str, int, int], Rule] = field(default_factory=dict)
    """Rules by (private creator in lower case, group, element byte) that come before Table
    E.3.10-1 (the tcia profile's Private Tag Knowledge Base, ``anonymizer.research``)."""
    options: tuple[str, ...] = ()
    """The options applied, in the order of :data:`OPTIONS`."""
    custom: str = ""
    """The name of the custom policy applied on top, if any."""
    note: str = ""
    """A level-3 finding for every file under this policy ("" for none)."""
    dummies: Mapping[str, object] = field(default_factory=lambda: DUMMIES)
    """The dummy value this policy writes per VR (``anonymizer.rules.DUMMIES``; the tcia
    profile writes the patient pseudonym as the dummy of a person's name)."""

    def rule_for(self, tag: int, parent: str = "") -> Rule | None:
        """The rule for ``tag`` inside the sequence ``parent`` (its keyword; "" at the top level).

        None means the tag is removed. Private tags are decided by :meth:`private_rules`, which
        needs the private creators around them.
        """
        number = int(tag)  # a plain int: pydicom's BaseTag compares in Python, slowly
        rule = self.rules.get(number)
        if rule is not None:
            return rule
        by_place = self.in_context.get(number)
        if by_place is not None:
            return by_place.get(parent) or by_place[None]
        for pattern in self.patterns:
            if pattern.matches(number):
                return pattern.rule
        return None if tag >> 16 & 1 else self.default

    def private_rules(self, dataset: Dataset) -> dict[int, Rule]:
        """The rule for every private element of ``dataset`` (one data set or item).

        An element is matched, in this order, by a custom rule for its tag or a range, a custom
        rule for its private creator, then (under the Retain Safe Private Option) Table
        E.3.10-1 by private creator, group and element byte. Anything else private is removed.
        A private creator element is kept exactly when its block keeps an element.
        """
        private = [tag for tag in dataset._dict if tag >> 16 & 1]  # most headers hold a few, if any
        if not private:
            return {}
        creators: dict[tuple[int, int], str] = {}
        for tag in private:
            if 0x10 <= tag & 0xFFFF <= 0xFF:
                creators[(tag >> 16, tag & 0xFF)] = creator_text(dataset, tag)
        rules: dict[int, Rule] = {}
        kept_blocks: set[tuple[int, int]] = set()
        by_tag, patterns = self.rules, self._private_patterns
        removed = basic.PRIVATE_REMOVED
        for tag in map(int, private):  # plain ints: pydicom's BaseTag compares slowly
            group, element = tag >> 16, tag & 0xFFFF
            if 0x10 <= element <= 0xFF:
                continue
            rule = by_tag.get(tag)
            if rule is None and patterns:
                rule = next((p.rule for p in patterns if p.matches(tag)), None)
            if rule is None and element >= 0x1000:
                creator = creators.get((group, element >> 8))
                if creator:
                    rule = self._creator_rule(creator, group, element & 0xFF)
            if rule is None:
                rules[tag] = removed
                continue
            rules[tag] = rule
            if rule.action != REMOVE and element >= 0x1000:
                kept_blocks.add((group, element >> 8))
        for (group, block), creator in creators.items():
            tag = group << 16 | block
            rules[tag] = basic.PRIVATE_CREATOR_KEPT if (group, block) in kept_blocks else basic.PRIVATE_REMOVED
        return rules

    @cached_property
    def _private_patterns(self) -> tuple[Pattern, ...]:
        """The patterns that can match a private tag (an odd group): most match none."""
        def spans_an_odd_group(p: Pattern) -> bool:
            first, last = p.start >> 16, p.stop >> 16
            return bool(first & 1 or last > first) and (not p.mask & 0x10000 or bool(p.value & 0x10000))
        return tuple(p for p in self.patterns if spans_an_odd_group(p))

    def _creator_rule(self, creator: str, group: int, element: int) -> Rule | None:
        key = creator.strip().lower()
        for private in self.private:
            if private.matches(key, group, element):
                return private.rule
        rule = self.private_kb.get((key, group, element))
        if rule is not None:
            return rule
        if self.retain_safe_private:
            return _safe_private().get((key, group, element))
        return None


def creator_text(dataset: Dataset, tag: int) -> str:
    """The private creator at ``tag`` of ``dataset`` as text, "" when absent or undecodable.

    A creator still raw, LO, one value in ASCII (the same in every character set but ISO
    2022's escapes) is read from its bytes: what pydicom's conversion would give, without
    converting the element in the data set (the engine then removes it from its raw bytes)."""
    raw = dataset._dict.get(tag)
    if (isinstance(raw, RawDataElement) and raw.VR == "LO" and isinstance(raw.value, bytes)
            and raw.value.isascii() and b"\\" not in raw.value and b"\x1b" not in raw.value):
        return raw.value.decode("ascii").strip("\x00 ")
    try:
        value = dataset[tag].value
    except Exception:  # an undecodable creator names no block
        return ""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return str(value or "").strip("\x00 ")


# -- layer 1: the profile ----------------------------------------------------------------------


def _overlay(module_names) -> dict[int, Rule]:
    rules: dict[int, Rule] = {}
    for name in module_names:
        for rule in radiopaedia.MODULES[name]:
            rules[rule.tag_int] = rule
    return rules


@lru_cache(maxsize=None)
def _catch_all() -> Mapping[int, Rule]:
    return MappingProxyType(_overlay(radiopaedia.CATCH_ALL))


def _check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")


@lru_cache(maxsize=64)  # bounded: a batch of files naming a different SOP class each must not fill memory
def policy_for(profile: str, sop_class_uid: str) -> Policy:
    """The policy for a file of ``sop_class_uid`` under ``profile``, before options."""
    _check_profile(profile)
    if profile == "tcia":  # the Basic Profile, five options, TCIA's tables (anonymizer.research)
        from .research import tcia_policy
        return tcia_policy(sop_class_uid)
    if profile == "basic":
        return _basic_policy(sop_class_uid)
    entry = radiopaedia.SOP_CLASSES.get(sop_class_uid)
    if entry is None:
        name = UID(sop_class_uid).name if sop_class_uid else "no SOP Class UID"
        return Policy(profile, sop_class_uid, name, False, _catch_all(), (RADIOPAEDIA_METHOD,),
                      note=CATCH_ALL_NOTE)
    name, modules = entry
    rules = dict(_catch_all())
    rules.update(_overlay(modules))
    return Policy(profile, sop_class_uid, name, True, MappingProxyType(rules), (RADIOPAEDIA_METHOD,))


def _basic_policy(sop_class_uid: str) -> Policy:
    iod = generated.iod_types.SOP_CLASS_IODS.get(sop_class_uid)
    types = _iod_types(iod)
    iod_name = f"the {iod} IOD" if iod else "any IOD"
    rules: dict[int, Rule] = {}
    in_context: dict[int, Mapping[str | None, Rule]] = {}
    patterns = [Pattern(basic.GROUP_LENGTH, mask=0xFFFF, value=0)]
    for row in generated.table_e1_1.ROWS:
        if _is_private_row(row):
            continue
        if row.basic in basic.BY_TYPE:
            in_context[_tag(row.tag)] = _by_type(row, types.get(row.keyword, {}), iod_name)
            continue
        rule = _rule(row, row.basic, f"{basic.SOURCE}, Basic Profile: {row.basic}")
        pattern = _pattern(row.tag)
        if pattern is None:
            rules[_tag(row.tag)] = rule
        else:
            patterns.append(Pattern(rule, *pattern))
    name = UID(sop_class_uid).name if sop_class_uid else "no SOP Class UID"
    return Policy(
        "basic", sop_class_uid, name, iod is not None, MappingProxyType(rules), (BASIC_METHOD,),
        default=basic.NOT_LISTED, in_context=MappingProxyType(in_context),
        patterns=tuple(patterns), note="" if iod else UNKNOWN_IOD_NOTE,
    )


def _by_type(row: Row, types: Mapping[str, str], iod_name: str) -> Mapping[str | None, Rule]:
    """A compound code resolved at each place the IOD gives the attribute, and elsewhere."""
    choices = basic.BY_TYPE[row.basic]

    def resolved(kind: str, place: str) -> Rule:
        code = choices[kind]
        return _rule(row, code, f"{basic.SOURCE}, Basic Profile: {row.basic}; "
                                f"{basic.TYPE_NAMES[kind]} in {iod_name} {place}: {code}")

    by_place: dict[str | None, Rule] = {
        parent: resolved(kind, f"inside {parent}" if parent else "at the top level")
        for parent, kind in types.items()
    }
    by_place.setdefault("", resolved("", "at the top level"))
    by_place[None] = resolved("", "at this place")
    return MappingProxyType(by_place)


@lru_cache(maxsize=None)
def _iod_types(iod: str | None) -> dict[str, dict[str, str]]:
    """keyword -> enclosing sequence keyword ("" = top level) -> strongest Type, for one IOD
    (or, for None, over every IOD)."""
    modules = generated.iod_types.IOD_MODULES[iod] if iod else tuple(generated.iod_types.MODULE_TYPES)
    types: dict[str, dict[str, str]] = {}
    for module in modules:
        for keyword, parent, kind in generated.iod_types.MODULE_TYPES[module]:
            places = types.setdefault(keyword, {})
            if parent not in places or _STRENGTH[kind] > _STRENGTH[places[parent]]:
                places[parent] = kind
    return types


_STRENGTH = {"3": 0, "2C": 1, "2": 2, "1C": 3, "1": 4}


def _rule(row: Row, code: str, reason: str, option: str = "") -> Rule:
    action, meaning = basic.CODE_ACTIONS[code]
    return Rule(row.tag, row.keyword, action, f"{reason} ({meaning}).", option=option)


def _tag(text: str) -> int:
    return int(text[1:5] + text[6:10], 16)


def _is_private_row(row: Row) -> bool:
    return row.tag.startswith("(gggg")


def _pattern(text: str) -> tuple[int, int] | None:
    """(mask, value) for a repeating-group tag such as ``(60xx,3000)``; None for a plain tag.

    ``xx`` in a group stands for the standard's repeating groups: the even groups from
    gg00 to gg1E. ``xxxx`` as the element matches every element.
    """
    group, element = text.strip("()").split(",")
    if "x" not in group:
        return None
    mask = 0xFFE1 << 16 | (0 if element == "xxxx" else 0xFFFF)
    value = int(group.replace("x", "0"), 16) << 16 | (0 if element == "xxxx" else int(element, 16))
    return mask, value


@lru_cache(maxsize=None)
def _safe_private() -> dict[tuple[str, int, int], Rule]:
    table = {}
    for row in generated.safe_private.ROWS:
        table[(row.creator.strip().lower(), int(row.group, 16), int(row.element, 16))] = Rule(
            f"({row.group},xx{row.element})", "", KEEP,
            f"{basic.SAFE_PRIVATE_SOURCE}, Retain Safe Private Option: {row.creator!r} "
            f"({row.group},xx{row.element}) {row.meaning or 'safe'}.",
            option="retain-safe-private",
        )
    return table


# -- layer 2: the options ----------------------------------------------------------------------


def resolve_options(profile: str, options: Iterable[str]) -> tuple[str, ...]:
    """``options`` checked for ``profile``, without repeats, in the order of :data:`OPTIONS`."""
    if isinstance(options, str):
        raise TypeError(f"options is a sequence of option names, such as ({options!r},), not a string")
    _check_profile(profile)
    chosen = set()
    for name in options:
        option = _OPTIONS_BY_NAME.get(name)
        if option is None:
            raise ValueError(f"unknown option {name!r}; valid options: {', '.join(_OPTIONS_BY_NAME)}")
        if profile not in option.profiles:
            accepted = [o.name for o in OPTIONS if profile in o.profiles]
            raise ValueError(f"option {name!r} is not available with profile {profile!r}, "
                             f"which accepts: {', '.join(accepted)}")
        chosen.add(name)
    if set(_EXCLUSIVE) <= chosen:
        raise ValueError(f"options {_EXCLUSIVE[0]!r} and {_EXCLUSIVE[1]!r} exclude each other: "
                         "dates are either kept or shifted")
    return tuple(option.name for option in OPTIONS if option.name in chosen)


def with_options(policy: Policy, options: Iterable[str]) -> Policy:
    """``policy`` with the columns of ``options`` of Table E.1-1 applied over it."""
    names = resolve_options(policy.profile, options)
    if not names:
        return policy
    rules = dict(policy.rules)
    in_context = dict(policy.in_context)
    patterns = list(policy.patterns)
    safe_private = policy.retain_safe_private
    for row, name, code in _option_cells(names):
        if _is_private_row(row):
            safe_private = True
            continue
        reason = f"{basic.SOURCE}, {generated.table_e1_1.OPTION_COLUMNS[name]}: {code}"
        rule = _rule(row, code, reason, option=name)
        pattern = _pattern(row.tag)
        if pattern is None:
            tag = _tag(row.tag)
            rules[tag] = rule
            in_context.pop(tag, None)
        else:
            patterns = [p for p in patterns if (p.mask, p.value) != pattern] + [Pattern(rule, *pattern)]
    return dataclasses.replace(
        policy, rules=MappingProxyType(rules), in_context=MappingProxyType(in_context),
        patterns=tuple(patterns), retain_safe_private=safe_private, options=names,
        method_codes=policy.method_codes + tuple(_OPTIONS_BY_NAME[n].code for n in names),
    )


def _option_cells(names: tuple[str, ...]) -> Iterable[tuple[Row, str, str]]:
    """(row, option, code) for every row that a chosen option's column gives a code, one
    cell per row: clean (C) wins over keep (K). A C on an attribute whose value cannot be read
    (binary VRs) is skipped, so the profile's own action stands for it."""
    for row in generated.table_e1_1.ROWS:
        cells = [(name, row.options[name]) for name in names if name in row.options]
        if not cells:
            continue
        name, code = next((cell for cell in cells if cell[1] == "C"), cells[0])
        if code == "C" and _unreadable(row):
            continue
        yield row, name, code


def _unreadable(row: Row) -> bool:
    tag = _pattern(row.tag)
    try:
        vr = dictionary_VR(tag[1] if tag else _tag(row.tag))
    except (KeyError, ValueError):
        return False
    return all(part.strip() in basic.CANNOT_CLEAN_VRS for part in vr.split(" or "))


# -- layer 3: a custom policy ------------------------------------------------------------------


def with_custom(policy: Policy, custom) -> Policy:
    """``policy`` with the rules of a custom policy (``anonymizer.custom_policy.CustomPolicy``)
    over it: a rule for a tag beats a rule for a range, and both beat the profile and options."""
    if custom.profile != policy.profile:
        raise ValueError(f"the policy file {custom.name!r} extends profile {custom.profile!r}, "
                         f"not {policy.profile!r}")
    rules = dict(policy.rules)
    in_context = dict(policy.in_context)
    patterns = list(policy.patterns)
    private = list(policy.private)
    ranges = []
    for item in custom.rules:
        if item.start is not None:
            ranges.append(Pattern(item.rule, start=item.start, stop=item.stop))
            for tag in [t for t in (*rules, *in_context) if item.start <= t <= item.stop]:
                rules[tag] = item.rule
                in_context.pop(tag, None)
    for item in custom.rules:
        if item.tag is not None:
            rules[item.tag] = item.rule
            in_context.pop(item.tag, None)
        elif item.creator is not None:
            private.insert(0, PrivateRule(item.creator.strip().lower(), item.group, item.element, item.rule))
    return dataclasses.replace(
        policy, rules=MappingProxyType(rules), in_context=MappingProxyType(in_context),
        patterns=tuple(ranges + patterns), private=tuple(private), custom=custom.name,
        method_codes=(custom.method_code(True),) if weakens(policy, custom)
        else policy.method_codes + (custom.method_code(False),),
    )


_RETAINING = (KEEP, CLEAN)
"""Actions that leave some of the input's value in the output."""


def weakens(policy: Policy, custom) -> bool:
    """Whether ``custom`` keeps (or cleans) anything that ``policy`` removes, replaces,
    dummies or regenerates: the output then conforms to neither the profile nor its options,
    and the De-identification Method Code Sequence must not claim them.

    Judged without seeing a file, so where the answer depends on the file it says yes: a
    range, or a private creator, kept or cleaned counts as weakening unless every attribute it
    can reach is already kept as it is.
    """
    for item in custom.rules:
        if item.rule.action not in _RETAINING:
            continue
        if item.tag is not None:
            if _retains_less(policy, item.tag, item.rule.action):
                return True
        elif item.start is not None:
            reaches_private = any(group & 1 for group in range(item.start >> 16, (item.stop >> 16) + 1))
            reaches_unlisted = policy.default is None or policy.default.action not in _RETAINING
            listed = [t for t in (*policy.rules, *policy.in_context) if item.start <= t <= item.stop]
            if reaches_private or reaches_unlisted or any(
                    _retains_less(policy, tag, item.rule.action) for tag in listed):
                return True
        else:  # a private creator: the profile keeps at most what Table E.3.10-1 or the KB list
            return True
    return False


def _retains_less(policy: Policy, tag: int, action: str) -> bool:
    """Whether, somewhere ``policy`` places ``tag``, it keeps less of it than ``action``."""
    if tag >> 16 & 1:
        return True  # a private attribute picked by tag: removed unless its block is known
    places = [policy.rule_for(tag)] + list(policy.in_context.get(tag, {}).values())
    for rule in places:
        if rule is None or rule.action not in _RETAINING:
            return True
        if rule.action == CLEAN and action == KEEP:
            return True
    return False


# -- tables for people -------------------------------------------------------------------------


def rule_table(profile: str = DEFAULT_PROFILE, options: Iterable[str] = ()) -> list[dict]:
    """Every rule of ``profile`` (with ``options``), for people: what the page shows before
    anything is dropped.

    radiopaedia: one row per tag of the catch-all whitelist, with the SOP classes whose
    dedicated policy gives that tag a different action listed under ``exceptions``.
    basic: one row per row of Table E.1-1, in the table's order; a compound action shows as
    ``by type`` with the choice per Type in its reason.
    """
    _check_profile(profile)
    if profile == "tcia":
        from .research import rule_table as tcia_rule_table
        return tcia_rule_table()
    if profile == "basic":
        return _basic_rule_table(options)
    policy = with_options(policy_for(profile, ""), options)
    modules_of: dict[int, str] = {}
    for module in radiopaedia.CATCH_ALL:
        for rule in radiopaedia.MODULES[module]:
            modules_of[rule.tag_int] = module
    dedicated = {uid: with_options(policy_for(profile, uid), options) for uid in radiopaedia.SOP_CLASSES}
    rows = []
    for tag, rule in sorted(policy.rules.items()):
        exceptions = []
        for uid, other_policy in dedicated.items():
            other = other_policy.rules.get(tag)
            if other is not None and (other.action, other.value) != (rule.action, rule.value):
                exceptions.append({"sop_class": radiopaedia.SOP_CLASSES[uid][0],
                                   "action": other.action, "value": other.value})
        rows.append({
            "tag": rule.tag,
            "keyword": rule.keyword,
            "name": _name(tag),
            "action": rule.action,
            "value": rule.value,
            "reason": rule.reason,
            "free_text": rule.free_text,
            "module": modules_of.get(tag, "Table E.1-1"),
            "exceptions": exceptions,
        })
    rows.append({
        "tag": "(gggg,eeee)", "keyword": "", "name": "Every other attribute", "action": REMOVE,
        "value": "", "reason": "Whitelist: anything not listed above is removed, private "
        "attributes, overlays (60xx) and curves (50xx) included.", "free_text": False,
        "module": "Default", "exceptions": [],
    })
    return rows


def _name(tag: int) -> str:
    """The attribute's name: pydicom's, else Table E.1-1's (for attributes newer than pydicom)."""
    try:
        return dictionary_description(tag)
    except KeyError:
        return next((row.name for row in generated.table_e1_1.ROWS if not _pattern(row.tag) and not _is_private_row(row)
                     and _tag(row.tag) == tag), "")


def _basic_rule_table(options: Iterable[str]) -> list[dict]:
    policy = with_options(policy_for("basic", ""), options)
    rows = []
    for row in generated.table_e1_1.ROWS:
        if _is_private_row(row):
            rule = (Rule(row.tag, "", CLEAN, f"{basic.SAFE_PRIVATE_SOURCE}: the safe private attributes "
                         "are kept with their private creators; every other private attribute is removed.",
                         option="retain-safe-private")
                    if policy.retain_safe_private else basic.PRIVATE_REMOVED)
        else:
            pattern = _pattern(row.tag)
            tag = pattern[1] if pattern else _tag(row.tag)
            by_place = policy.in_context.get(tag) if tag not in policy.rules else None
            if by_place is not None:
                choices = basic.BY_TYPE[row.basic]
                rule = Rule(row.tag, row.keyword, "by type", f"{basic.SOURCE}, Basic Profile: {row.basic}, "
                            "by the attribute's Type in the file's IOD: " + ", ".join(
                                f"{basic.TYPE_NAMES[kind]} {code}" for kind, code in choices.items()) + ".")
            else:
                rule = policy.rule_for(tag)
        rows.append({
            "tag": row.tag, "keyword": row.keyword, "name": row.name, "action": rule.action,
            "value": rule.value, "reason": rule.reason, "free_text": False,
            "module": "Table E.1-1", "exceptions": [], "option": rule.option,
        })
    rows.append({
        "tag": "(gggg,eeee)", "keyword": "", "name": "Every other attribute", "action": KEEP,
        "value": "", "reason": basic.NOT_LISTED.reason, "free_text": False, "module": "Default",
        "exceptions": [], "option": "",
    })
    return rows


def sop_classes(profile: str = DEFAULT_PROFILE) -> dict[str, str]:
    """The SOP classes with a dedicated policy in ``profile``: UID -> name."""
    _check_profile(profile)
    if profile in ("basic", "tcia"):
        return {uid: UID(uid).name for uid in generated.iod_types.SOP_CLASS_IODS}
    return {uid: name for uid, (name, _) in radiopaedia.SOP_CLASSES.items()}


@lru_cache(maxsize=None)
def identifying_tags() -> frozenset[int]:
    """The attributes whose values count as identifying when free text is cleaned.

    Every attribute of Table E.1-1 that the Basic Profile does not keep, holds text (PN, LO,
    SH, AE, ST, LT, UC, UT) and is not itself a descriptor, a patient characteristic or a date
    (rows with a Clean Descriptors, Retain Patient Characteristics or Retain Longitudinal
    column). Person names count wherever they occur.
    """
    skip = {"clean-descriptors", "retain-patient-characteristics",
            "retain-longitudinal-full-dates", "retain-longitudinal-modified-dates"}
    tags = set()
    for row in generated.table_e1_1.ROWS:
        if _is_private_row(row) or _pattern(row.tag) or skip & set(row.options):
            continue
        tag = _tag(row.tag)
        try:
            vr = dictionary_VR(tag)
        except KeyError:
            continue
        if vr in {"PN", "LO", "SH", "AE", "ST", "LT", "UC", "UT"}:
            tags.add(tag)
    return frozenset(tags)
