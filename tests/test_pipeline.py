"""End to end through check(): a real web site on 127.0.0.1 serving the seed policies in
realistic HTML, and the SQLite history that results."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policywatch.monitor.context import Context
from policywatch.monitor.pipeline import check
from policywatch.storage.versions import timeline
from tests.support.config import load, make_context, write_watchlist
from tests.support.pages import SAMPLE_POLICY, policy_page, seed_texts
from tests.support.site import Reply, Site


def seeds_or_samples() -> dict[str, str]:
    """The five real seed policies; without ../shared, five made-up ones so that the pipeline is
    still tested (the real seeds add mojibake and page-builder chrome)."""
    try:
        return seed_texts()
    except pytest.skip.Exception:
        return {f"{i:03d}_sample": SAMPLE_POLICY.replace("Northwind", company)
                for i, company in enumerate(["Acme", "Globex", "Initech", "Umbrella", "Hooli"])}


SEEDS = seeds_or_samples()


def seed_page(name: str, **kwargs: object) -> str:
    style = "pagebuilder" if name.startswith("002_") else "standard"
    return policy_page(SEEDS[name], style=style, **kwargs)  # type: ignore[arg-type]


@pytest.fixture()
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture()
def seeded(site: Site, tmp_path: Path) -> tuple[Context, Site, dict[str, str]]:
    """Five policies, one per seed, all served by the site; returns (ctx, site, name → path)."""
    paths = {}
    for index, name in enumerate(sorted(SEEDS)):
        paths[f"seed{index}"] = f"/policy/{index}"
        site.set_page(f"/policy/{index}", seed_page(name))
    policies = [{"name": n, "url": site.url(p)} for n, p in paths.items()]
    ctx = make_context(load(write_watchlist(tmp_path, policies)))
    return ctx, site, paths


def check_all(ctx: Context) -> dict[str, str]:
    return {p.name: check(ctx, p).outcome for p in ctx.watchlist.policies}


def test_first_check_records_one_version_per_policy(seeded: tuple) -> None:
    ctx, _, _ = seeded
    assert set(check_all(ctx).values()) == {"first_version"}
    for policy in ctx.watchlist.policies:
        versions = timeline(ctx.db, policy.name)
        assert len(versions) == 1
        assert versions[0].source == "live" and versions[0].chars > 1000


def test_changed_policy_text_makes_a_second_version(seeded: tuple) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[0]
    head, rest = SEEDS[name].split("\n\n", 1)
    changed = f"{head}\n\nWe may sell your personal information to data brokers.\n\n{rest}"
    site.set_page(paths["seed0"], policy_page(changed))
    outcomes = check_all(ctx)
    assert outcomes["seed0"] == "new_version"
    assert {v for k, v in outcomes.items() if k != "seed0"} == {"unchanged"}
    versions = timeline(ctx.db, "seed0")
    assert [v.number for v in versions] == [1, 2]
    assert "data brokers" in versions[1].text and "data brokers" not in versions[0].text


@pytest.mark.parametrize("variant", [{"chrome": 1}, {"chrome": 2}, {"bullet": "•"}])
def test_changes_of_form_make_no_version(seeded: tuple, variant: dict[str, object]) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    for index, name in enumerate(sorted(SEEDS)):
        site.set_page(paths[f"seed{index}"], seed_page(name, **variant))
    assert set(check_all(ctx).values()) == {"unchanged"}
    for policy in ctx.watchlist.policies:
        assert len(timeline(ctx.db, policy.name)) == 1


def test_whitespace_only_change_makes_no_version(seeded: tuple) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[3]
    spaced = "\n\n".join(line.replace(" ", "  ").replace(". ", ".\u00a0 ")
                         for line in SEEDS[name].splitlines())
    site.set_page(paths["seed3"], policy_page(spaced))
    assert check(ctx, ctx.watchlist.policy("seed3")).outcome == "unchanged"


def test_unchanged_page_costs_a_304(seeded: tuple) -> None:
    ctx, site, _ = seeded
    check_all(ctx)
    result = check(ctx, ctx.watchlist.policy("seed1"))
    assert (result.outcome, result.reason) == ("unchanged", "not_modified")
    assert site.not_modified["/policy/1"] == 1
    assert len(timeline(ctx.db, "seed1")) == 1


def shrunken(text: str) -> str:
    """What a redesign that loses the policy leaves: a heading and a stray paragraph."""
    return ("# Privacy Policy\n\nWe care about your privacy. Please read this page carefully to "
            "understand how we handle information. Contact us with any questions about this "
            "page or about our services at any time, by email or by post.\n")


def operator_notices(ctx: Context) -> list[str]:
    return [row["payload"] for row in ctx.db.query(
        "SELECT payload FROM alerts WHERE kind = 'operator' ORDER BY id")]


def test_suspect_shrink_is_held_then_confirmed(seeded: tuple) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    site.set_page(paths["seed3"], policy_page(shrunken(SEEDS[sorted(SEEDS)[3]])))
    policy = ctx.watchlist.policy("seed3")
    first = check(ctx, policy)
    assert (first.outcome, first.reason) == ("suspect", "suspect_shrink")
    assert len(timeline(ctx.db, "seed3")) == 1
    second = check(ctx, policy)
    assert second.outcome == "new_version"
    assert len(timeline(ctx.db, "seed3")) == 2
    assert len(operator_notices(ctx)) == 2  # told when held and when confirmed


def test_suspect_shrink_dismissed_when_the_policy_returns(seeded: tuple) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[1]
    site.set_page(paths["seed1"], policy_page(shrunken(SEEDS[name])))
    policy = ctx.watchlist.policy("seed1")
    assert check(ctx, policy).outcome == "suspect"
    site.set_page(paths["seed1"], seed_page(name, chrome=3))
    result = check(ctx, policy)
    assert (result.outcome, result.reason) == ("unchanged", "suspect_dismissed")
    assert len(timeline(ctx.db, "seed1")) == 1


def test_reextract_rederives_history_without_fetching_or_alerting(seeded: tuple) -> None:
    from policywatch.monitor.history.reextract import reextract_policy

    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[4]
    site.set_page(paths["seed4"], policy_page(SEEDS[name] + "\n\nWe may sell your data."))
    assert check(ctx, ctx.watchlist.policy("seed4")).outcome == "new_version"
    before = timeline(ctx.db, "seed4")
    hits = site.hits[paths["seed4"]]
    changes = ctx.db.execute("SELECT COUNT(*) FROM changes").fetchone()[0]
    report = reextract_policy(ctx, ctx.watchlist.policy("seed4"))
    after = timeline(ctx.db, "seed4")
    assert report.replaced and report.versions == 2
    assert [v.norm_hash for v in after] == [v.norm_hash for v in before]
    assert all(v.rederived for v in after) and not any(v.rederived for v in before)
    assert site.hits[paths["seed4"]] == hits
    assert ctx.db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == changes


def test_newer_extractor_rederives_before_checking(seeded: tuple,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import policywatch.monitor.history.reextract
    import policywatch.monitor.history.versioning

    ctx, site, _ = seeded
    check_all(ctx)
    newer = policywatch.monitor.history.reextract.EXTRACTOR_VERSION + 1
    for module in (policywatch.monitor.history.reextract, policywatch.monitor.history.versioning):
        monkeypatch.setattr(module, "EXTRACTOR_VERSION", newer)
    outcomes = check_all(ctx)
    assert set(outcomes.values()) == {"unchanged"}
    for policy in ctx.watchlist.policies:
        versions = timeline(ctx.db, policy.name)
        assert len(versions) == 1 and versions[0].rederived
        assert versions[0].extractor_version == newer
    assert ctx.db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 0


def test_cli_check_history_show(seeded: tuple) -> None:
    import json

    from click.testing import CliRunner

    from policywatch.monitor.cli import cli

    ctx, site, paths = seeded
    config = str(ctx.watchlist.path)
    runner = CliRunner()
    first = runner.invoke(cli, ["--config", config, "check", "seed0", "seed1"])
    assert first.exit_code == 0, first.output
    assert "seed0: first version recorded" in first.output
    assert "seed2" not in first.output
    site.set_page(paths["seed0"], Reply(status=404, body=b"gone"))
    failed = runner.invoke(cli, ["--config", config, "check", "seed0"])
    assert failed.exit_code == 1, failed.output  # the check failed
    assert "seed0: failed: http_404" in failed.output and "permanent" in failed.output
    history = runner.invoke(cli, ["--config", config, "history", "seed1", "--format", "json"])
    rows = json.loads(history.output)
    assert [set(r) for r in rows] == [{"version", "first_seen", "last_seen", "source",
                                       "archive_timestamp", "chars", "sha256"}]
    assert rows[0]["source"] == "live" and rows[0]["archive_timestamp"] is None
    shown = runner.invoke(cli, ["--config", config, "show", "seed1", "--version", "1"])
    assert shown.exit_code == 0 and len(shown.output) == rows[0]["chars"] + 1
    today = rows[0]["first_seen"][:10]
    at = runner.invoke(cli, ["--config", config, "show", "seed1", "--at", today])
    assert at.output == shown.output
    early = runner.invoke(cli, ["--config", config, "show", "seed1", "--at", "2001-01-01"])
    assert early.exit_code == 2 and "no version on or before 2001-01-01" in early.output
    unknown = runner.invoke(cli, ["--config", config, "check", "nope"])
    assert unknown.exit_code == 2 and "nope" in unknown.output


def test_a_crashing_check_does_not_stop_the_others(seeded: tuple,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import policywatch.monitor.pipeline
    from policywatch.monitor.cli import cli

    ctx, _, _ = seeded
    real_check = policywatch.monitor.pipeline.check

    def crash_on_seed2(c: Context, policy: object) -> object:
        if getattr(policy, "name", "") == "seed2":
            raise RuntimeError("database is locked")
        return real_check(c, policy)  # type: ignore[arg-type]

    monkeypatch.setattr(policywatch.monitor.pipeline, "check", crash_on_seed2)
    result = CliRunner().invoke(cli, ["--config", str(ctx.watchlist.path), "check"])
    assert result.exit_code == 1, result.output  # one check failed: the work failed
    assert "Error: 1 of 5 checks failed" in result.output
    assert "seed2: failed: internal_error: RuntimeError: database is locked" in result.output
    for name in ("seed0", "seed1", "seed3", "seed4"):
        assert f"{name}: first version recorded" in result.output


def test_redirect_is_followed_and_the_final_url_recorded(seeded: tuple) -> None:
    from policywatch.storage.snapshots import get_snapshot

    ctx, site, paths = seeded
    site.set_page("/old-privacy", Reply(status=301, headers={"Location": paths["seed2"]}))
    policy = ctx.watchlist.policy("seed2")
    moved = type(policy)(**{**policy.__dict__, "url": site.url("/old-privacy")})
    result = check(ctx, moved)
    assert result.outcome == "first_version"
    snapshot = get_snapshot(ctx.db, timeline(ctx.db, "seed2")[0].snapshot_id)
    assert snapshot.requested_url == site.url("/old-privacy")
    assert snapshot.final_url == site.url(paths["seed2"])


def test_config_from_environment_and_reextract_command(seeded: tuple,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from policywatch.monitor.cli import cli

    ctx, _, _ = seeded
    monkeypatch.setenv("POLICYWATCH_CONFIG", str(ctx.watchlist.path))
    runner = CliRunner()
    assert "seed4: first version recorded" in runner.invoke(cli, ["check", "seed4"]).output
    result = runner.invoke(cli, ["reextract", "seed4"])
    assert result.exit_code == 0, result.output
    assert "seed4: history re-derived: 1 snapshots → 1 versions (0 rejected pages)" in \
        result.output
    assert timeline(ctx.db, "seed4")[0].rederived


def test_changes_command_lists_what_changed_when_and_how_much(seeded: tuple) -> None:
    import json

    from click.testing import CliRunner

    from policywatch.monitor.cli import cli

    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[0]
    head, rest = SEEDS[name].split("\n\n", 1)
    site.set_page(paths["seed0"], policy_page(
        f"{head}\n\nWe may sell your personal information to data brokers.\n\n{rest}"))
    site.set_page(paths["seed1"], seed_page(sorted(SEEDS)[1], chrome=2))
    check_all(ctx)
    config = ["--config", str(ctx.watchlist.path)]
    runner = CliRunner()
    rows = json.loads(runner.invoke(cli, [*config, "changes", "--format", "json"]).output)
    assert [(r["policy"], r["from_version"], r["to_version"]) for r in rows] == [("seed0", 1, 2)]
    assert rows[0]["material"] and "sale" in rows[0]["categories"]
    assert rows[0]["window_start"] <= rows[0]["window_end"] and rows[0]["source"] == "live"
    text = runner.invoke(cli, [*config, "changes", "seed0"]).output
    assert "seed0 v1→v2" in text and rows[0]["severity"].upper() in text
    assert "no recorded changes" in runner.invoke(cli, [*config, "changes", "seed1"]).output
    future = runner.invoke(cli, [*config, "changes", "--since", "2999-01-01"]).output
    assert "no recorded changes" in future


def change_alerts(ctx: Context) -> int:
    return int(ctx.db.execute("SELECT COUNT(*) FROM alerts WHERE kind = 'change'").fetchone()[0])


def test_a_page_flipping_between_texts_alerts_once(seeded: tuple) -> None:
    ctx, site, paths = seeded
    check_all(ctx)
    name = sorted(SEEDS)[0]
    head, rest = SEEDS[name].split("\n\n", 1)
    original = seed_page(name)
    selling = policy_page(f"{head}\n\nWe may sell your personal information to data brokers."
                          f"\n\n{rest}")
    policy = ctx.watchlist.policy("seed0")
    site.set_page(paths["seed0"], selling)
    assert check(ctx, policy).outcome == "new_version"
    assert change_alerts(ctx) == 1  # sale introduced: high, alerted
    for page in (original, selling, original, selling):
        site.set_page(paths["seed0"], page)
        result = check(ctx, policy)
        assert result.outcome == "new_version"
        assert result.summary and result.summary.startswith("back to the text of version")
    assert change_alerts(ctx) == 1  # the returns are recorded, not alerted again
    assert len(timeline(ctx.db, "seed0")) == 6
    assert ctx.db.execute("SELECT COUNT(*) FROM changes WHERE policy = 'seed0'").fetchone()[0] == 5
