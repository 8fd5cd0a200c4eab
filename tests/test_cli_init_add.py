"""`policywatch init` writes a commented starter watchlist that validates (and whose commented
examples validate once uncommented); `policywatch add URL` fetches the page once through the real
fetcher and address guard, shows what would be extracted and appends a validated entry. Through
the real console script, against a web site on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

from policywatch.monitor.cli.initcmd import starter_text
from policywatch.monitor.watchlist import load_watchlist, parse_watchlist
from tests.support.console import policywatch
from tests.support.pages import policy_page
from tests.support.site import Reply, Site

TEXT = ("# Privacy Policy\n\nThis policy explains what Acme collects and why.\n\n"
        "## What we collect\n\nYour name, your e-mail address and the pages you visit.\n\n"
        "## Sharing\n\nWe do not sell your personal information to anyone.\n\n"
        "## Your rights\n\nYou may ask for a copy of your data at any time.\n")


def init(tmp_path: Path, *, private: bool) -> str:
    config = tmp_path / "watchlist.toml"
    made = policywatch("--config", str(config), "init")
    assert made.returncode == 0, made.stderr
    if private:  # the test site is on loopback, which the guard refuses by default
        text = config.read_text().replace("[settings]\n", "[settings]\n"
                                          "allow_private_addresses = true\n", 1)
        config.write_text(text)
    return str(config)


def test_init_writes_a_starter_that_validates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    config = init(tmp_path, private=False)
    assert policywatch("--config", config, "validate").stdout.startswith("OK: 0 policies")
    again = policywatch("--config", config, "init")
    assert again.returncode == 2 and "already exists (--force overwrites it)" in again.stderr
    assert policywatch("--config", config, "init", "--force").returncode == 0


def test_the_starters_commented_examples_are_valid_too() -> None:
    example = re.compile(r"^# ?((?:\[|[a-z_]+ = ).*)$")
    lines = [example.sub(r"\1", line) for line in starter_text().splitlines()]
    watchlist = parse_watchlist("\n".join(lines), "starter")
    assert [p.name for p in watchlist.policies] == ["acme"]
    assert sorted(watchlist.channels) == ["team-email", "team-slack"]


def test_add_fetches_once_previews_and_appends_a_valid_entry(tmp_path: Path) -> None:
    config = init(tmp_path, private=True)
    with Site() as site:
        site.set_page("/privacy", policy_page(TEXT, chrome=2))
        url = site.url("/privacy")
        added = policywatch("--config", config, "add", url, "--name", "acme",
                            "--selector", "main")
        hits = site.hits["/privacy"]
        again = policywatch("--config", config, "add", url)
    assert added.returncode == 0, added.stdout + added.stderr
    out = added.stdout
    assert re.search(r"^extracted [\d,]+ characters, \d+ lines, 4 sections$", out, re.M), out
    assert "  # Privacy Policy" in out and "Your name, your e-mail address" in out
    assert "sections: Privacy Policy | What we collect | Sharing | Your rights" in out
    assert f"added policy 'acme' to {config}" in out
    assert hits == 1  # fetched once
    policy = load_watchlist(config).policy("acme")
    assert (policy.url, policy.selector) == (url, "main")
    kept = Path(config).read_text()
    assert kept.startswith(starter_text().split("[settings]")[0])  # the comments are kept
    assert kept.count("# wayback = true") == 1
    assert kept.index("# wayback") < kept.index('\nname = "acme"')
    assert again.returncode == 2 and "is already watched as 'acme'" in again.stderr


def test_add_names_the_policy_after_its_host_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    config = init(tmp_path, private=True)
    before = Path(config).read_text()
    with Site() as site:
        site.set_page("/terms", policy_page(TEXT))
        shown = policywatch("--config", config, "add", site.url("/terms"), "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert 'name = "127.0.0.1"' in shown.stdout and "(dry run)" in shown.stdout
    assert Path(config).read_text() == before


def test_add_refuses_what_a_check_would_refuse_and_changes_nothing(tmp_path: Path) -> None:
    guarded = init(tmp_path / "guarded", private=False)
    open_config = init(tmp_path / "open", private=True)
    with Site() as site:
        site.set_page("/privacy", policy_page(TEXT))
        site.set_page("/gone", Reply(status=404, body=b"not here"))
        blocked = policywatch("--config", guarded, "add", site.url("/privacy"))
        missing = policywatch("--config", open_config, "add", site.url("/gone"))
        bad_css = policywatch("--config", open_config, "add", site.url("/privacy"),
                              "--selector", "main[")
        bad_name = policywatch("--config", open_config, "add", site.url("/privacy"),
                               "--name", "Acme Inc")
        assert site.hits["/privacy"] == 0  # refused before any request reached the site
    assert blocked.returncode == 1 and "nothing was added" in blocked.stderr
    assert "private" in blocked.stderr or "loopback" in blocked.stderr, blocked.stderr
    assert missing.returncode == 1 and "http_404" in missing.stderr
    assert bad_css.returncode == 2 and "key 'selector'" in bad_css.stderr
    assert bad_name.returncode == 2 and "key 'name'" in bad_name.stderr
    for config in (guarded, open_config):
        assert load_watchlist(config).policies == ()
