"""The few exceptions the anonymiser raises. Each message says what is wrong with the input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .findings import Finding


class AnonymizerError(Exception):
    """The input could not be anonymised; nothing was written for it."""


class NotDicomError(AnonymizerError):
    """The input is not a DICOM file (no ``DICM`` marker, no plausible data set)."""


class MalformedDicomError(AnonymizerError):
    """The input looks like DICOM but cannot be read safely (truncated, lying lengths ...)."""


class RefusedError(AnonymizerError):
    """The file was read and anonymised, but the validator found a level-1 problem.

    ``findings`` lists the level-1 findings. The output is withheld.
    """

    def __init__(self, findings: Sequence["Finding"]):
        self.findings = list(findings)
        reasons = "; ".join(f"{f.path}: {f.message}" if f.path else f.message for f in self.findings)
        super().__init__(reasons)
