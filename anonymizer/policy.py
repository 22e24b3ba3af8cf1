"""The policy for one file: a profile's rule table resolved for the file's SOP class.

A policy answers one question for the engine: what happens to this tag? Tags without a rule
are removed (the profiles are whitelists), at every depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, NamedTuple

from pydicom.datadict import dictionary_description
from pydicom.uid import UID

from .rules import REMOVE, Rule
from .rules import radiopaedia

PROFILES: tuple[str, ...] = ("radiopaedia",)
DEFAULT_PROFILE = "radiopaedia"

CATCH_ALL_NOTE = (
    "no policy is written for this SOP class: the catch-all whitelist (every module's rules) "
    "was applied, so functional information may have been stripped"
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


@dataclass(frozen=True)
class Policy:
    profile: str
    sop_class_uid: str
    sop_class_name: str
    dedicated: bool
    """False when the SOP class has no policy of its own and the catch-all was used."""
    rules: Mapping[int, Rule]
    method_codes: tuple[MethodCode, ...]

    def rule_for(self, tag: int) -> Rule | None:
        """The rule for ``tag``; None means the default, remove."""
        return self.rules.get(tag)


def _overlay(module_names) -> dict[int, Rule]:
    rules: dict[int, Rule] = {}
    for name in module_names:
        for rule in radiopaedia.MODULES[name]:
            rules[rule.tag_int] = rule
    return rules


@lru_cache(maxsize=None)
def _catch_all() -> Mapping[int, Rule]:
    return MappingProxyType(_overlay(radiopaedia.CATCH_ALL))


@lru_cache(maxsize=None)
def policy_for(profile: str, sop_class_uid: str) -> Policy:
    """The policy for a file of ``sop_class_uid`` under ``profile``."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    entry = radiopaedia.SOP_CLASSES.get(sop_class_uid)
    if entry is None:
        name = UID(sop_class_uid).name if sop_class_uid else "no SOP Class UID"
        return Policy(profile, sop_class_uid, name, False, _catch_all(), (RADIOPAEDIA_METHOD,))
    name, modules = entry
    rules = dict(_catch_all())
    rules.update(_overlay(modules))
    return Policy(profile, sop_class_uid, name, True, MappingProxyType(rules), (RADIOPAEDIA_METHOD,))


def rule_table(profile: str = DEFAULT_PROFILE) -> list[dict]:
    """Every rule of ``profile``, for people: what the page shows before anything is dropped.

    One row per tag of the catch-all whitelist, with the SOP classes whose dedicated policy
    gives that tag a different action listed under ``exceptions``.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    modules_of: dict[int, str] = {}
    for module in radiopaedia.CATCH_ALL:
        for rule in radiopaedia.MODULES[module]:
            modules_of[rule.tag_int] = module
    rows = []
    for tag, rule in sorted(_catch_all().items()):
        exceptions = []
        for uid in radiopaedia.SOP_CLASSES:
            other = policy_for(profile, uid).rules.get(tag)
            if other is not None and (other.action, other.value) != (rule.action, rule.value):
                exceptions.append({"sop_class": radiopaedia.SOP_CLASSES[uid][0],
                                   "action": other.action, "value": other.value})
        rows.append({
            "tag": rule.tag,
            "keyword": rule.keyword,
            "name": dictionary_description(tag),
            "action": rule.action,
            "value": rule.value,
            "reason": rule.reason,
            "free_text": rule.free_text,
            "module": modules_of[tag],
            "exceptions": exceptions,
        })
    rows.append({
        "tag": "(gggg,eeee)", "keyword": "", "name": "Every other attribute", "action": REMOVE,
        "value": "", "reason": "Whitelist: anything not listed above is removed, private "
        "attributes, overlays (60xx) and curves (50xx) included.", "free_text": False,
        "module": "Default", "exceptions": [],
    })
    return rows


def sop_classes(profile: str = DEFAULT_PROFILE) -> dict[str, str]:
    """The SOP classes with a dedicated policy in ``profile``: UID -> name."""
    return {uid: name for uid, (name, _) in radiopaedia.SOP_CLASSES.items()}
