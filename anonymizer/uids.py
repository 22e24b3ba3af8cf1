"""Regenerated UIDs: the same input UID gives the same output UID, in every file and run.

A UID is replaced by ``1.2.826.0.1.3680043.10.341.`` followed by 37 decimal digits taken from
the SHA-512 of the original UID (HMAC-SHA-512 when a secret is given, so that someone who holds
the original UIDs cannot confirm them by hashing). The result is a valid UID: 64 characters,
digits and dots, no component with a leading zero. Series stay together and references between
files stay intact because every occurrence of a UID maps to the same new value.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from pydicom.uid import UID_dictionary

UID_ROOT = "1.2.826.0.1.3680043.10.341."
_DIGITS = 64 - len(UID_ROOT)


def is_well_known(uid: str) -> bool:
    """True for UIDs defined by the standard (SOP classes, transfer syntaxes, coding schemes)."""
    return uid in UID_dictionary


class UidRegenerator:
    """Maps original UIDs to regenerated ones, optionally keyed by a secret."""

    def __init__(self, secret: str | bytes | None = None):
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        self._secret = secret or None
        self._cache: dict[str, str] = {}

    @property
    def keyed(self) -> bool:
        return self._secret is not None

    @property
    def mapping(self) -> dict[str, str]:
        """Every UID regenerated so far: original -> new, in the order first seen."""
        return dict(self._cache)

    def __call__(self, uid: str) -> str:
        uid = uid.strip("\x00 ")
        if not uid or is_well_known(uid):
            return uid
        new = self._cache.get(uid)
        if new is None:
            new = self._cache[uid] = _regenerated(uid, self._secret)
        return new


@lru_cache(maxsize=4096)
def _regenerated(uid: str, secret: bytes | None) -> str:
    """The new UID of ``uid``; once per UID and secret in a process (the files of a series
    share their study's, series' and frame of reference's UIDs)."""
    data = uid.encode("ascii", "replace")
    if secret is None:
        digest = hashlib.sha512(data).digest()
    else:
        digest = hmac.new(secret, data, hashlib.sha512).digest()
    number = int.from_bytes(digest, "big") % (9 * 10 ** (_DIGITS - 1))
    return UID_ROOT + str(10 ** (_DIGITS - 1) + number)
