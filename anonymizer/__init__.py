"""Anonymise DICOM files: whitelist policies per SOP class, regenerated UIDs, a validator that
refuses what would still identify the patient, and a before/after report of every element.

>>> from anonymizer import anonymize
>>> result = anonymize("scan.dcm")                      # doctest: +SKIP
>>> with open(result.relative_path.replace("/", "_"), "wb") as out:   # doctest: +SKIP
...     result.write_to(out)
"""

__version__ = "0.1.0"

from .custom_policy import CustomPolicy, PolicyError, load_policy, parse_policy
from .engine import Result, anonymize
from .errors import AnonymizerError, MalformedDicomError, NotDicomError, RefusedError
from .findings import Finding
from .policy import DEFAULT_PROFILE, OPTIONS, PROFILES, rule_table
from .reader import InputRange

__all__ = [
    "AnonymizerError",
    "CustomPolicy",
    "DEFAULT_PROFILE",
    "Finding",
    "InputRange",
    "MalformedDicomError",
    "NotDicomError",
    "OPTIONS",
    "PROFILES",
    "PolicyError",
    "RefusedError",
    "Result",
    "anonymize",
    "load_policy",
    "parse_policy",
    "rule_table",
    "__version__",
]
