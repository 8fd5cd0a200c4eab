"""Classifier building blocks: quantities, negation and modality scope, document fields,
segment labels and the `policywatch classify` command."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from policywatch.monitor.classify import classify_diff, classify_segment
from policywatch.monitor.classify.opp115 import OPP115_CATEGORIES
from policywatch.monitor.classify.quantity import ages, durations, longest, notice_days
from policywatch.monitor.classify.scope import facts_in
from policywatch.monitor.cli.root import cli
from policywatch.monitor.model import CATEGORIES, ChangeUnit, DiffResult


def unit(kind: str, old: str | None, new: str | None, **extra: object) -> ChangeUnit:
    return ChangeUnit(kind=kind, section="Sharing", old=old, new=new, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "days"), [
    ("we keep logs for 30 days", 30), ("retained for six months", 180),
    ("kept for 2 years", 730), ("stored for ninety (90) days", 90),
    ("we keep it indefinitely", math.inf), ("for as long as necessary", math.inf),
])
def test_durations_become_days(text: str, days: float) -> None:
    found = longest(durations(text))
    assert found is not None and found.days == days


def test_dates_and_ages_are_not_durations() -> None:
    assert durations("Effective 1 July 2025, last updated 2024-02-16") == []
    assert durations("children under 13 years of age") == []
    assert longest(durations("as long as necessary"))
    assert longest(durations("as long as necessary")).open_ended  # type: ignore[union-attr]
    assert longest(durations("indefinitely")).indefinite  # type: ignore[union-attr]


def test_age_thresholds_and_notice_days() -> None:
    assert [a for a, _ in ages("not directed to children under the age of 16")] == [16]
    assert [a for a, _ in ages("users 18 years old or older")] == [18]
    assert ages("we were founded 100 years ago") == []
    assert [d for d, _ in notice_days("at least 30 days' notice before changes")] == [30]


@pytest.mark.parametrize(("sentence", "practice", "stance"), [
    ("We do not sell your personal information.", "sell", "denied"),
    ("We never sell or rent your data.", "sell", "denied"),
    ("We may sell your personal information.", "sell", "permitted"),
    ("We sell your personal information.", "sell", "asserted"),
    ("We will not share your data without your consent.", "share", "gated"),
    ("We may share your data with partners without asking you.", "share", "unasked"),
    ("Your data will not be shared with advertisers.", "share", "denied"),
    ("We will notify you by email.", "notify", "asserted"),
    ("You can opt out at any time.", "optout", "asserted"),
])
def test_stance_of_practice_verbs(sentence: str, practice: str, stance: str) -> None:
    stances = {f.stance for f in facts_in(sentence) if f.practice == practice}
    assert stances == {stance}


def test_negation_does_not_cross_to_a_new_subject() -> None:
    facts = facts_in("Although we do not sell personal data, Nevada residents may still opt out.")
    stances = {f.practice: f.stance for f in facts}
    assert stances == {"sell": "denied", "optout": "permitted"}


def test_form_only_and_moved_units_stay_none() -> None:
    result = classify_diff(DiffResult(changes=[
        unit("modified", "We do not sell data.", "We  do not sell data.", form_only=True),
        unit("moved", "We never sell your data.", "We never sell your data."),
    ]))
    assert not result.material and result.severity == "none"
    assert all(u.severity == "none" and u.direction == "neutral" and not u.material
               for u in result.changes)
    assert result.summary == "no material change: 2 changes of form"


def test_empty_diff_summary() -> None:
    assert classify_diff(DiffResult()).summary == "no change"


def test_document_fields_aggregate_material_units() -> None:
    result = classify_diff(DiffResult(changes=[
        unit("modified", "We keep logs for 2 years.", "We keep logs for 90 days."),
        unit("modified", "We do not sell your personal information.",
             "We may sell your personal information."),
        unit("modified", "Last updated: May 1", "Last updated: June 2"),
    ]))
    assert result.material and result.severity == "high" and result.direction == "mixed"
    assert result.categories == [c for c in CATEGORIES if c in {"sale", "retention"}]
    assert result.summary.startswith("sale of personal data introduced (Sharing)")
    assert "1 more material change" in result.summary
    sale = result.changes[1]
    assert sale.reason == '"do not sell" became "may sell"'
    assert (sale.severity, sale.direction, sale.categories) == ("high", "worse", ["sale"])
    assert result.changes[2].reason == "no data practice changed"
    payload = result.to_json()
    assert payload["changes"][1]["categories"] == ["sale"] and payload["summary"]


def test_classify_diff_returns_the_same_object() -> None:
    result = DiffResult()
    assert classify_diff(result) is result


def test_classify_segment_policywatch_and_opp115() -> None:
    assert classify_segment("We never sell your personal information.") == ["sale"]
    assert classify_segment("Welcome to our website!") == ["other"]
    labels = classify_segment("We respond to Do Not Track signals.", "opp115")
    assert "Do Not Track" in labels
    assert set(classify_segment("Hello.", "opp115")) <= set(OPP115_CATEGORIES)
    with pytest.raises(ValueError):
        classify_segment("x", "nope")


def test_classify_command_reads_lines_csv_and_stdin(tmp_path: Path) -> None:
    runner = CliRunner()
    lines = tmp_path / "segments.txt"
    lines.write_text("We sell your data to brokers.\n\nWe use cookies to track you.\n")
    out = runner.invoke(cli, ["classify", str(lines)])
    assert out.exit_code == 0, out.output
    records = [json.loads(line) for line in out.output.splitlines()]
    assert [r["index"] for r in records] == [0, 1]
    assert "sale" in records[0]["labels"] and "tracking" in records[1]["labels"]

    table = tmp_path / "segments.csv"
    table.write_text('id,text\n1,"We retain your data, for 30 days."\n2,Children under 13\n')
    out = runner.invoke(cli, ["classify", "--taxonomy", "opp115", str(table)])
    records = [json.loads(line) for line in out.output.splitlines()]
    assert [r["text"] for r in records] == [
        "We retain your data, for 30 days.", "Children under 13"]
    assert "Data Retention" in records[0]["labels"]
    assert records[1]["labels"] == ["International and Specific Audiences"]

    out = runner.invoke(cli, ["classify", "-"], input="text,x\nWe encrypt your data.,1\n")
    assert json.loads(out.output.splitlines()[0])["labels"] == ["security"]


def test_classify_command_rejects_csv_without_text_column(tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("a,b\n1,2\n")
    out = CliRunner().invoke(cli, ["classify", str(table)])
    assert out.exit_code != 0 and "text" in out.output
