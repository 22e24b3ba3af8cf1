"""Shared fixtures: synthetic files, dcmdump, a policy that can be bent to simulate a bug.

The synthetic files come from ``tests/synthetic.py``; the only other DICOM files the tests
read are the samples shipped inside the pydicom wheel (``synthetic.pydicom_sample``).
Test modules import helpers from ``synthetic``, never from ``conftest`` (tests/browser has a
conftest of its own, and ``import conftest`` would find either).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import anonymizer.engine  # noqa: E402
from anonymizer.rules import Rule  # noqa: E402

@pytest.fixture(scope="session")
def dcmdump():
    """Run dcmtk's dcmdump on a file; returns (exit status, output lines)."""
    executable = shutil.which("dcmdump")
    assert executable, "dcmdump is missing: install the Debian package dcmtk (.ci/run does)"

    def run(path: Path) -> tuple[int, list[str]]:
        done = subprocess.run([executable, str(path)], capture_output=True, text=True,
                              errors="replace", timeout=60)
        return done.returncode, (done.stdout + done.stderr).splitlines()

    return run


@pytest.fixture
def bent_policy(monkeypatch):
    """Simulate a policy bug: ``bent_policy({tag: Rule(...)})`` overrides rules of every policy.

    The engine asks ``anonymizer.engine.policy_for`` for its policy; the override wraps it.
    """

    def bend(overrides: dict[int, Rule]) -> None:
        original = anonymizer.engine.policy_for

        def patched(profile, sop_class_uid):
            policy = original(profile, sop_class_uid)
            return dataclasses.replace(policy, rules={**policy.rules, **overrides})

        monkeypatch.setattr(anonymizer.engine, "policy_for", patched)

    return bend


@pytest.fixture
def no_secret(monkeypatch):
    """The CLI reads ANONYMIZER_UID_SECRET; tests start without it."""
    monkeypatch.delenv("ANONYMIZER_UID_SECRET", raising=False)
    return os.environ
