"""Custom policies: a JSON file that extends or overrides a built-in profile.

A custom policy names the profile it builds on, optionally the options, and a list of rules;
each rule picks attributes by exactly one of ``tag``, ``keyword``, ``range`` or
``private_creator`` and gives them an ``action``::

    {
      "name": "trial-42",
      "profile": "basic",
      "options": ["retain-patient-characteristics"],
      "rules": [
        {"keyword": "StudyDescription", "action": "clean", "reason": "protocol names matter"},
        {"tag": "(0010,0020)", "action": "replace", "value": "TRIAL42-001"},
        {"range": ["(0009,0000)", "(0009,FFFF)"], "action": "remove"},
        {"private_creator": "GEMS_ACQU_01", "group": "0019", "element": "23", "action": "keep"}
      ]
    }

Actions: ``keep``, ``remove``, ``empty`` (zero-length value), ``dummy`` (the dummy of the VR),
``replace`` (with ``value``, required, checked against the VR of a ``tag``/``keyword``),
``regenerate`` (UIDs), ``clean`` (see ``anonymizer.rules``). A rule for a tag or keyword beats
a range; both beat the profile and its options. Ranges must not overlap, and no attribute may
have two rules. ``private_creator`` (compared without case) may be narrowed by ``group`` (odd,
4 hex digits) and ``element`` (the byte within the private block, ``"23"`` or ``"xx23"``).
The file meta group and the attributes the anonymiser writes itself (Patient Identity Removed,
De-identification Method and its Code Sequence, Longitudinal Temporal Information Modified)
cannot be given rules. The validator still checks every output: a custom policy cannot make it
accept a person's name or an age.

:func:`parse_policy` checks and loads the text of a policy (the page calls it);
:func:`load_policy` reads a file. Both raise :class:`PolicyError`, whose message names the rule
and what is wrong with it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pydicom.datadict import dictionary_VR, keyword_for_tag, tag_for_keyword
from pydicom.valuerep import validate_value
from pydicom import config

from .policy import DEFAULT_PROFILE, PROFILES, MethodCode, resolve_options
from .rules import CLEAN, DUMMY, KEEP, REGENERATE, REMOVE, REPLACE, Rule

ACTION_NAMES: dict[str, str] = {
    "keep": KEEP, "remove": REMOVE, "empty": REPLACE, "dummy": DUMMY,
    "replace": REPLACE, "regenerate": REGENERATE, "clean": CLEAN,
}
"""The actions a custom rule may name -> the engine's action (``empty`` is ``replace`` with "")."""

SELECTORS = ("tag", "keyword", "range", "private_creator")
RULE_KEYS = frozenset(SELECTORS + ("group", "element", "action", "value", "reason"))
TOP_KEYS = frozenset({"name", "profile", "options", "rules", "description"})
WRITTEN_BY_ANONYMIZER = {
    0x00120062: "Patient Identity Removed", 0x00120063: "De-identification Method",
    0x00120064: "De-identification Method Code Sequence",
    0x00280303: "Longitudinal Temporal Information Modified",
}
_TAG = re.compile(r"\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)")


class PolicyError(ValueError):
    """A policy file that cannot be used; the message says which rule and why."""


class CustomRule(NamedTuple):
    """One rule of a custom policy: the attributes it picks, and the :class:`Rule` they get."""

    rule: Rule
    tag: int | None = None
    start: int | None = None
    stop: int | None = None
    creator: str | None = None
    group: int | None = None
    element: int | None = None


@dataclass(frozen=True)
class CustomPolicy:
    name: str
    profile: str
    options: tuple[str, ...]
    rules: tuple[CustomRule, ...]
    description: str = ""

    def method_code(self, weakens: bool) -> MethodCode:
        """The item this policy adds to the De-identification Method Code Sequence; when it
        ``weakens`` its profile, the meaning says so (the profile's own codes are then dropped)."""
        meaning = f"Custom policy {self.name}"
        if weakens:
            meaning = f"Custom policy keeping what {self.profile} removes: {self.name}"
        return MethodCode("CUSTOM", "99ANONYMIZER", meaning[:64])


def load_policy(path: str | os.PathLike) -> CustomPolicy:
    """Read and check the policy file at ``path``; its name defaults to the file name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"policy file {path}: cannot be read ({error})") from None
    return parse_policy(text, default_name=path.stem)


def parse_policy(text: str, default_name: str = "custom") -> CustomPolicy:
    """Check the JSON text of a policy and load it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyError(f"the policy is not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    if not isinstance(data, dict):
        raise PolicyError("the policy must be a JSON object with \"profile\" and \"rules\"")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise PolicyError(f"the policy has unknown keys {', '.join(unknown)}; allowed: {', '.join(sorted(TOP_KEYS))}")
    name = data.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        raise PolicyError("\"name\" must be a non-empty string")
    profile = data.get("profile")
    if profile not in PROFILES:
        raise PolicyError(f"\"profile\" must name the built-in profile it extends: one of {', '.join(PROFILES)}")
    options = data.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise PolicyError("\"options\" must be a list of option names")
    try:
        options = resolve_options(profile, options)
    except ValueError as error:
        raise PolicyError(f"\"options\": {error}") from None
    items = data.get("rules")
    if not isinstance(items, list):
        raise PolicyError("\"rules\" must be a list of rules")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise PolicyError("\"description\" must be a string")
    rules = tuple(_rule(number, item, name.strip()) for number, item in enumerate(items, 1))
    _check_conflicts(rules, items)
    return CustomPolicy(name.strip(), profile, options, rules, description)


def _rule(number: int, item, policy_name: str) -> CustomRule:
    def fail(problem: str) -> PolicyError:
        return PolicyError(f"rule {number} {_show(item)}: {problem}")

    if not isinstance(item, dict):
        raise fail("a rule must be a JSON object")
    unknown = sorted(set(item) - RULE_KEYS)
    if unknown:
        raise fail(f"unknown key {', '.join(unknown)}; allowed: {', '.join(sorted(RULE_KEYS))}")
    selectors = [key for key in SELECTORS if key in item]
    if len(selectors) != 1:
        raise fail(f"give exactly one of {', '.join(SELECTORS)}")
    action_name = item.get("action")
    if action_name not in ACTION_NAMES:
        raise fail(f"unknown action {action_name!r}; choose one of {', '.join(ACTION_NAMES)}")
    action = ACTION_NAMES[action_name]
    value = item.get("value")
    if action_name == "replace":
        if not isinstance(value, str) or not value:
            raise fail("\"replace\" needs a non-empty string \"value\" (use \"empty\" for a zero-length value)")
    elif value is not None:
        raise fail(f"\"value\" is only for \"replace\", not for {action_name!r}")
    reason = item.get("reason", f"Custom policy {policy_name}: {action_name}.")
    if not isinstance(reason, str):
        raise fail("\"reason\" must be a string")
    if ("group" in item or "element" in item) and "private_creator" not in item:
        raise fail("\"group\" and \"element\" only narrow a \"private_creator\" rule")

    selector = selectors[0]
    if selector in ("tag", "keyword"):
        if selector == "tag":
            tag = _parse_tag(item["tag"], fail)
            keyword = keyword_for_tag(tag) or ""
        else:
            keyword = item["keyword"]
            tag = tag_for_keyword(keyword) if isinstance(keyword, str) else None
            if tag is None:
                raise fail(f"{keyword!r} is not a keyword of the DICOM dictionary")
        if tag >> 16 == 0x0002:
            raise fail("the file meta group (0002) is rebuilt by the anonymiser; it takes no rules")
        if tag in WRITTEN_BY_ANONYMIZER:
            raise fail(f"{WRITTEN_BY_ANONYMIZER[tag]} is written by the anonymiser; it takes no rules")
        _check_vr(tag, action_name, value, fail)
        text = f"({tag >> 16:04X},{tag & 0xFFFF:04X})"
        return CustomRule(Rule(text, keyword, action, reason, value or ""), tag=tag)
    if selector == "range":
        bounds = item["range"]
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise fail("\"range\" must be a list of two tags, [\"(GGGG,EEEE)\", \"(GGGG,EEEE)\"], both included")
        start, stop = (_parse_tag(b, fail) for b in bounds)
        if start > stop:
            raise fail("the range ends before it starts")
        text = f"({start >> 16:04X},{start & 0xFFFF:04X})-({stop >> 16:04X},{stop & 0xFFFF:04X})"
        return CustomRule(Rule(text, "", action, reason, value or ""), start=start, stop=stop)
    creator = item["private_creator"]
    if not isinstance(creator, str) or not creator.strip() or len(creator) > 64:
        raise fail("\"private_creator\" must be the private creator string (1 to 64 characters)")
    group = element = None
    if "group" in item:
        text = item["group"]
        if not (isinstance(text, str) and re.fullmatch(r"[0-9A-Fa-f]{4}", text) and int(text, 16) & 1):
            raise fail("\"group\" must be an odd group as 4 hex digits, such as \"0019\"")
        group = int(text, 16)
    if "element" in item:
        text = item["element"]
        match = isinstance(text, str) and re.fullmatch(r"(?:[xX]{2})?([0-9A-Fa-f]{2})", text)
        if not match:
            raise fail("\"element\" must be the element byte within the private block, such as \"23\" or \"xx23\"")
        element = int(match.group(1), 16)
    shown = f"({group:04X}," if group is not None else "(gggg,"
    shown += f"xx{element:02X})" if element is not None else "xxxx)"
    return CustomRule(Rule(shown, "", action, f"{reason} (private creator {creator.strip()!r})", value or ""),
                      creator=creator, group=group, element=element)


def _parse_tag(text, fail) -> int:
    match = _TAG.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise fail(f"{text!r} is not a tag written (GGGG,EEEE)")
    return int(match.group(1), 16) << 16 | int(match.group(2), 16)


def _check_vr(tag: int, action_name: str, value, fail) -> None:
    try:
        vr = dictionary_VR(tag)
    except KeyError:
        return  # a private or unknown tag: its VR is only known from the file
    if action_name == "regenerate" and vr != "UI":
        raise fail(f"\"regenerate\" is for UIDs; this attribute is {vr}")
    if action_name == "replace" and vr in ("PN", "AS"):
        raise fail(f"\"replace\" cannot write {'a person name' if vr == 'PN' else 'an age'}: the validator "
                   "refuses every one but the package's dummy (use \"dummy\", \"empty\" or \"remove\"; "
                   "a subject code belongs in Patient ID)")
    if action_name == "replace":
        if vr == "SQ" or " or " in vr or vr in {"OB", "OD", "OF", "OL", "OV", "OW", "UN"}:
            raise fail(f"\"replace\" writes text; a {vr} attribute cannot take it (use \"empty\" or \"dummy\")")
        try:
            for part in value.split("\\"):
                validate_value(vr, part, config.RAISE)
        except (ValueError, TypeError) as error:
            raise fail(f"the value does not fit the VR {vr}: {str(error).split('. Please see')[0]}") from None


def _check_conflicts(rules: tuple[CustomRule, ...], items: list) -> None:
    seen: dict[object, int] = {}
    for number, rule in enumerate(rules, 1):
        key = rule.tag if rule.tag is not None else (
            (rule.creator.strip().lower(), rule.group, rule.element) if rule.creator is not None else None)
        if key is None:
            continue
        if key in seen:
            raise PolicyError(f"rule {number} {_show(items[number - 1])}: rule {seen[key]} already "
                              "gives a rule for the same attributes")
        seen[key] = number
    ranges = [(number, rule) for number, rule in enumerate(rules, 1) if rule.start is not None]
    for index, (number, rule) in enumerate(ranges):
        for other_number, other in ranges[:index]:
            if rule.start <= other.stop and other.start <= rule.stop:
                raise PolicyError(f"rule {number} {_show(items[number - 1])}: its range overlaps "
                                  f"the range of rule {other_number}")


def _show(item) -> str:
    text = json.dumps(item, ensure_ascii=False)
    return f"({text[:117]}...)" if len(text) > 120 else f"({text})"


def resolve_settings(
    profile: str | None, options, custom: "CustomPolicy | None", policy_label: str = ""
) -> tuple[str, tuple[str, ...]]:
    """The profile and options a run uses, checked the same way for the CLI and the page.

    ``profile`` None means the custom policy's profile, else the default one. The custom
    policy's own options are added to ``options``. A policy built on another profile than the
    one chosen is an error that names the policy (``policy_label``: its file name).
    """
    if profile is not None and profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; profiles: {', '.join(PROFILES)}")
    profile = profile or (custom.profile if custom else DEFAULT_PROFILE)
    if custom is not None and custom.profile != profile:
        raise PolicyError(
            f"the policy file {policy_label or custom.name} extends profile {custom.profile!r}, "
            f"not {profile!r}"
        )
    return profile, resolve_options(profile, [*options, *(custom.options if custom else ())])
