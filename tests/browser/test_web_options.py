"""Profiles, options and custom policies in the page and the JS API (issue #5): what the page
offers comes from anonymizer.OPTIONS, bad settings show the engine's own words, and the outputs
are the command line's, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

import anonymizer
from anonymizer.policy import OPTIONS, resolve_options, rule_table

from browserlib import run_cli, tree, zip_members
from dicomfactory import series

DATES = ("retain-longitudinal-full-dates", "retain-longitudinal-modified-dates")
POLICY = {
    "name": "trial-42",
    "profile": "basic",
    "options": ["retain-patient-characteristics"],
    "rules": [
        {"keyword": "StudyDescription", "action": "keep", "reason": "protocol names matter here"},
        {"tag": "(0020,0011)", "action": "replace", "value": "99"},
        {"range": ["(0009,0000)", "(0009,FFFF)"], "action": "remove"},
        {"private_creator": "PLANTED CREATOR", "action": "remove"},
    ],
}


def option_rows(page) -> list[dict]:
    return page.page.evaluate(
        "[...document.querySelectorAll('#option-list li')].map(li => ({name: li.dataset.option, hidden: li.hidden,"
        " label: li.querySelector('label').textContent, text: li.querySelector('.option-text').textContent,"
        " title: li.querySelector('.option-text').title, checked: li.querySelector('input').checked,"
        " disabled: li.querySelector('input').disabled, note: li.querySelector('.option-note').textContent,"
        " labelled: li.querySelector('input').labels.length}))"
    )


def open_options(page) -> None:
    if not page.page.evaluate("document.getElementById('options-panel').open"):
        page.page.click("#options-panel summary")


def rules_shown(page) -> int:
    return page.page.evaluate("document.querySelectorAll('#rules-table tbody tr').length")


@pytest.fixture
def basic_page(shared_page):
    page = shared_page
    page.clear()
    yield page
    # Back to the defaults for the next test.
    page.page.evaluate("document.getElementById('clear-policy').hidden || document.getElementById('clear-policy').click()")
    open_options(page)  # it folds when files are listed
    for option in OPTIONS:
        box = page.page.locator(f"#option-{option.name}")
        if box.is_enabled() and box.is_checked():
            box.uncheck()
    page.page.select_option("#profile", anonymizer.PROFILES[0])
    page.poll("document.getElementById('settings-error').hidden")


def test_options_come_from_the_engine_and_follow_the_profile(basic_page):
    page = basic_page
    open_options(page)
    rows = option_rows(page)
    assert [r["name"] for r in rows] == [o.name for o in OPTIONS]
    for row, option in zip(rows, OPTIONS):
        assert row["label"] == option.name and row["labelled"] == 1
        assert row["text"] == option.description == row["title"]  # the whole text, cut only on screen
    # radiopaedia: only the options it accepts are offered.
    page.page.select_option("#profile", "radiopaedia")
    rows = option_rows(page)
    assert [r["name"] for r in rows if not r["hidden"]] == [o.name for o in OPTIONS if "radiopaedia" in o.profiles]
    assert "more option" in page.page.inner_text("#options-more")
    page.page.select_option("#profile", "basic")
    page.poll(f"document.querySelectorAll('#rules-table tbody tr').length === {len(rule_table('basic'))}")
    assert all(not r["hidden"] for r in option_rows(page))

    # The rules view follows the options.
    page.page.check("#option-retain-uids")
    expected = rule_table("basic", ["retain-uids"])
    page.poll("document.getElementById('rules-title').innerText.includes('with 1 option')")
    shown = page.page.evaluate(
        "[...document.querySelectorAll('#rules-table tbody tr')].map(r => [r.cells[0].innerText, r.cells[2].innerText])"
    )
    assert len(shown) == len(expected)
    uid = next(row for row in expected if row["tag"] == "(0020,000D)")
    assert ["(0020,000D)", uid["action"]] in shown and uid["action"] == "keep"
    assert "1 chosen: retain-uids" in page.page.inner_text("#options-summary")

    # The two date options exclude each other: the engine's words, and nothing starts.
    for name in DATES:
        page.page.check(f"#option-{name}")
    with pytest.raises(ValueError) as engine_error:
        resolve_options("basic", DATES)
    page.poll("!document.getElementById('settings-error').hidden")
    error = page.page.inner_text("#settings-error")
    assert str(engine_error.value) in error
    assert page.page.get_attribute("#settings-error", "role") == "alert"
    page.page.uncheck(f"#option-{DATES[0]}")
    page.poll("document.getElementById('settings-error').hidden")


def test_refused_settings_start_nothing(basic_page, tmp_path):
    page = basic_page
    page.page.select_option("#profile", "basic")
    open_options(page)
    for name in DATES:
        page.page.check(f"#option-{name}")
    page.poll("!document.getElementById('settings-error').hidden")
    page.select(series(tmp_path / "s", 1))
    page.poll("document.getElementById('zip-status').textContent.includes('Not started')")
    assert "exclude each other" in page.page.inner_text("#zip-status")
    assert page.page.evaluate("document.querySelectorAll('#file-list tbody tr').length") == 0
    page.page.uncheck(f"#option-{DATES[1]}")
    page.poll("document.getElementById('settings-error').hidden")


def test_invalid_policy_names_the_rule(basic_page, tmp_path):
    page = basic_page
    bad = dict(POLICY, rules=[POLICY["rules"][0], {"keyword": "PatientName", "action": "scramble"}])
    path = tmp_path / "bad-policy.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(anonymizer.PolicyError) as engine_error:
        anonymizer.parse_policy(path.read_text())
    page.page.set_input_files("#policy-input", str(path))
    page.poll("document.getElementById('policy-status').classList.contains('error')")
    status = page.page.inner_text("#policy-status")
    assert "bad-policy.json cannot be used" in status and str(engine_error.value) in status
    assert "rule 2" in status and "scramble" in status
    assert page.page.is_hidden("#clear-policy")
    not_json = tmp_path / "notes.json"
    not_json.write_text("{ nope")
    page.page.set_input_files("#policy-input", str(not_json))
    page.poll("document.getElementById('policy-status').innerText.includes('not JSON')")


def test_basic_two_options_and_policy_same_as_cli(basic_page, tmp_path):
    """--profile basic --option A --option B --policy FILE, in the page and on the command line."""
    page = basic_page
    chosen = ["retain-device-identity", "clean-descriptors"]
    policy_path = tmp_path / "trial-policy.json"
    policy_path.write_text(json.dumps({k: v for k, v in POLICY.items() if k != "name"}))  # named after the file
    page.page.select_option("#profile", "basic")
    open_options(page)
    for name in chosen:
        page.page.check(f"#option-{name}")
    page.page.set_input_files("#policy-input", str(policy_path))
    page.poll("document.getElementById('policy-status').classList.contains('ok')")
    status = page.page.inner_text("#policy-status")
    assert "“trial-policy”" in status and "4 rules" in status and "basic" in status
    assert page.page.is_disabled("#profile")
    rows = {r["name"]: r for r in option_rows(page)}
    assert rows["retain-patient-characteristics"]["checked"] and rows["retain-patient-characteristics"]["disabled"]
    assert rows["retain-patient-characteristics"]["note"] == "set by the policy"
    # The rules view: profile + 3 options, with the policy's rules over it.
    page.poll("document.getElementById('rules-title').innerText.includes('trial-policy')")
    assert "with 3 options" in page.page.inner_text("#rules-title")
    custom_rows = page.page.evaluate(
        "[...document.querySelectorAll('#rules-table tbody tr.rule-custom')].map(r => [r.cells[0].innerText, r.cells[2].innerText, r.cells[3].innerText])"
    )
    by_tag = {tag: (action, reason) for tag, action, reason in custom_rows}
    assert by_tag["(0008,1030)"][0] == "keep" and "protocol names matter here" in by_tag["(0008,1030)"][1]
    assert by_tag["(0020,0011)"][0] == "replace with “99”"
    assert "(0009,0000)-(0009,FFFF)" in by_tag

    inputs = [*series(tmp_path / "s", 3), Path(get_testdata_file("MR_small.dcm")), Path(get_testdata_file("CT_small.dcm"))]
    page.select(inputs)
    rows = page.wait_batch(len(inputs))
    assert all(r["status"] in ("anonymised", "warnings") for r in rows), rows
    zip_path = page.download_zip(tmp_path / "page.zip")
    cli = run_cli(inputs, tmp_path / "cli", "--profile", "basic", *[x for n in chosen for x in ("--option", n)],
                  "--policy", str(policy_path))
    assert cli.returncode == 0, cli.stderr
    members, expected = zip_members(zip_path), tree(tmp_path / "cli")
    assert sorted(members) == sorted(expected) and expected
    for name, data in expected.items():
        assert members[name] == data, f"{name} differs from the command line's output"
    assert b"trial-policy" in next(iter(members.values()))  # the policy is recorded under its file's name

    # Removing the policy frees the profile and its options.
    page.page.click("#clear-policy")
    page.poll("!document.getElementById('profile').disabled")
    assert not {r["name"]: r for r in option_rows(page)}["retain-patient-characteristics"]["checked"]


def test_js_api_options_and_policy(shared_page, tmp_path):
    policy_text = json.dumps(POLICY)
    ct = series(tmp_path / "s", 1)[0]
    result = shared_page.page.evaluate(
        """async ([policy, bytes]) => {
        const { createAnonymizer, AnonymizeError } = await import("./anonymizer.js");
        const a = await createAnonymizer({ baseUrl: "./", workers: 1 });
        const out = { options: a.options.map((o) => [o.name, o.profiles]) };
        const file = new File([new Uint8Array(bytes)], "ct.dcm");
        const one = await a.anonymize(file, { profile: "basic", options: ["retain-uids", "clean-graphics"], policy, uidSecret: "s" });
        out.one = { name: one.name, profile: one.report.profile };
        out.checked = await a.checkSettings({ policy, options: ["retain-uids"] });
        try { await a.anonymizeAll([file], { profile: "basic", options: ["retain-longitudinal-full-dates", "retain-longitudinal-modified-dates"] }); }
        catch (e) { out.exclusive = [e instanceof AnonymizeError, e.kind, e.message]; }
        try { await a.anonymize(file, { profile: "radiopaedia", policy }); }
        catch (e) { out.mismatch = [e.kind, e.message]; }
        const all = await a.anonymizeAll([file, file], { policy, options: ["retain-uids"] });
        out.all = all.map((r) => [r.status, r.name]);
        const rules = await a.rules({ profile: "basic", options: ["retain-uids"], policy });
        out.rules = rules.length;
        out.custom = rules.filter((r) => r.custom).length;
        a.terminate();
        return out;
      }""",
        [policy_text, list(ct.read_bytes())],
    )
    assert result["options"] == [[o.name, list(o.profiles)] for o in OPTIONS]
    assert result["one"]["profile"] == "basic"
    assert result["checked"]["profile"] == "basic"
    assert result["checked"]["options"] == ["retain-uids", "retain-patient-characteristics"]
    assert result["checked"]["policy"]["name"] == "trial-42" and result["checked"]["policy"]["rules"] == 4
    assert result["exclusive"][:2] == [True, "settings"] and "exclude each other" in result["exclusive"][2]
    assert result["mismatch"][0] == "settings" and "extends profile 'basic', not 'radiopaedia'" in result["mismatch"][1]
    # retain-uids: the same input twice gives the same name twice (the ZIP adds _2).
    assert [s for s, _ in result["all"]] in (["anonymised"] * 2, ["warnings"] * 2)
    assert result["all"][0][1] == result["all"][1][1]
    # the range and the private creator rule are rows of their own, and so is Series Number (not in Table E.1-1)
    assert result["rules"] == len(rule_table("basic", ["retain-uids", "retain-patient-characteristics"])) + 3
    assert result["custom"] == 4
