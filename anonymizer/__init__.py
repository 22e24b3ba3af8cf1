"""Anonymise DICOM files: whitelist policies per SOP class, regenerated UIDs, a validator that
refuses what would still identify the patient, and a before/after report of every element.

>>> from anonymizer import anonymize
>>> result = anonymize("scan.dcm")                      # doctest: +SKIP
>>> with open(result.relative_path.replace("/", "_"), "wb") as out:   # doctest: +SKIP
...     result.write_to(out)
"""

__version__ = "0.1.0"

from .engine import Result, anonymize
from .errors import AnonymizerError, MalformedDicomError, NotDicomError, RefusedError
from .findings import Finding
from .policy import DEFAULT_PROFILE, PROFILES, rule_table
from .reader import InputRange

__all__ = [
    "AnonymizerError",
    "DEFAULT_PROFILE",
    "Finding",
    "InputRange",
    "MalformedDicomError",
    "NotDicomError",
    "PROFILES",
    "RefusedError",
    "Result",
    "anonymize",
    "rule_table",
    "__version__",
]
