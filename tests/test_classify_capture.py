"""Issue 10 items 4-5 and issue 12 item 12: a lost capture is reported with its lost promises
and `suspect_capture`; text in another language is reported as needing a look; filler or a
short old version never silences a material change."""

from __future__ import annotations

from pathlib import Path

from policywatch.monitor.classify import classify_diff
from policywatch.monitor.diff import diff_texts

POLICY = "\n\n".join(
    f"Section {n}\n\nWe keep order records for billing and answer support tickets about them."
    for n in range(40)) + "\n\nSale\n\nWe do not sell your personal information to anyone.\n"


def judged(old: str, new: str):  # type: ignore[no-untyped-def]
    return classify_diff(diff_texts(old, new), old, new)


def test_error_page_is_a_suspect_capture_naming_the_lost_promise() -> None:
    result = judged(POLICY, "Error 503\n\nService unavailable, please try again later.\n")
    assert result.suspect_capture and result.material
    assert result.summary.startswith("suspect capture:")
    lost = " ".join(u.reason for u in result.changes if u.material)
    assert "do not sell" in lost.lower()


def test_ordinary_change_is_no_suspect_capture() -> None:
    result = judged(POLICY, POLICY.replace("billing", "billing and tax"))
    assert not result.suspect_capture


def test_other_language_edition_needs_a_human_look() -> None:
    german = "\n\n".join(
        f"Abschnitt {n}\n\nWir speichern die Bestellungen und die Daten für die Abrechnung "
        "mit dem Kunden und nicht für die Werbung." for n in range(40))
    result = judged(POLICY, german)
    assert result.material and result.severity != "none"
    material = [u for u in result.changes if u.material]
    assert any(u.reason.startswith("not judged") for u in material)


def test_filler_at_the_top_does_not_silence_may_sell() -> None:
    filler = "Lorem ipsum dolor sit amet " * 2000  # 54,000 characters before the policy
    old = filler + "\n\n" + POLICY
    new = old.replace("We do not sell your personal information to anyone.",
                      "We may sell your personal information to data brokers.")
    result = judged(old, new)
    assert result.material and result.severity == "high"
    assert not result.summary.startswith("not judged")


def test_short_old_version_does_not_silence_may_sell() -> None:
    old = "Privacy\n\nWe do not sell your personal information.\n"
    new = "Privacy\n\nWe may sell your personal information to advertisers.\n" + POLICY
    result = judged(old, new)
    assert result.material and result.severity == "high"


def test_analysis_and_diff_json_carry_the_suspect_capture_flag(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from policywatch.monitor.analysis import analyse
    from policywatch.monitor.cli import cli

    error_page = "Error 503\n\nService unavailable, please try again later.\n"
    analysis = analyse(POLICY, error_page)
    assert analysis.suspect_capture and analysis.to_json()["suspect_capture"] is True
    (tmp_path / "old.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / "new.md").write_text(error_page, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "old.md"), str(tmp_path / "new.md"),
                                      "--format", "json"])
    document = json.loads(result.output)
    assert document["suspect_capture"] is True and document["material"] is True
