"""Time `policywatch blame` on a 40-version, ~10,000-word policy built from the longest recorded
histories, the way production runs it (monitor.history.policy_blame.blame_policy on a stored
timeline).

    python bench/blame.py [--versions 40] [--words 10000] [--repeat 3] [--stress]

The policy: three real histories of ../shared/corpus/histories with the full 20 versions, the
three whose latest versions together come closest to --words, are the three parts of one
document; each new version advances one part to its next recorded version, in turn,
so every line has a real history of up to 40 versions. Printed (target: cold <= 2 s):
- cold: no stored blame state, the differ's block cache emptied (a fresh `policywatch blame`);
- extend: the state of version 39 stored, version 40 added (what the next blame after a check
  costs);
- stored: the blame of a version whose state is stored;
- cli: the whole `policywatch blame NAME` command in a new process, cold (imports included).
--stress does the same with the three longest histories (about 67,000 words in all).
Histories: Open Terms Archive (ODC-By 1.0, (c) Open Terms Archive contributors).
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policywatch.monitor.diff.segment import analysed_block  # noqa: E402
from policywatch.monitor.history.policy_blame import blame_policy  # noqa: E402
from policywatch.storage.db import open_db  # noqa: E402
from policywatch.storage.versions import NewVersion, add_version  # noqa: E402

HISTORIES = (ROOT / ".." / "shared" / "corpus" / "histories").resolve()
TARGET_SECONDS = 2.0


def histories() -> list[tuple[str, list[str]]]:
    """(name, texts oldest first) of every recorded history with its full 20 versions."""
    found = []
    for meta_path in sorted(HISTORIES.glob("*/*/history.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        texts = [(meta_path.parent / v["file"]).read_text(encoding="utf-8")
                 for v in meta["versions"]]
        found.append((f"{meta_path.parent.parent.name}/{meta_path.parent.name}", texts))
    return found


def words(text: str) -> int:
    return len(text.split())


def choose(every: list[tuple[str, list[str]]], target_words: int, stress: bool
           ) -> list[tuple[str, list[str]]]:
    """The three longest histories (--stress), else the three histories with the most versions
    whose latest versions together come closest to `target_words` (the longest such)."""
    full = max(len(h[1]) for h in every)
    size = {name: words(texts[-1]) for name, texts in every}
    longest = sorted((h for h in every if len(h[1]) == full), key=lambda h: size[h[0]],
                     reverse=True)
    if stress:
        return longest[:3]
    return list(min(itertools.combinations(longest, 3), key=lambda trio: (
        abs(sum(size[h[0]] for h in trio) - target_words), -min(size[h[0]] for h in trio))))


def build(parts: list[list[str]], count: int) -> list[str]:
    """Versions of a document made of the parts; each version advances one part, in turn."""
    position = [0] * len(parts)
    texts = ["\n\n".join(p[0] for p in parts)]
    turn = itertools.cycle(range(len(parts)))
    while len(texts) < count:
        movable = [i for i in range(len(parts)) if position[i] + 1 < len(parts[i])]
        if not movable:
            raise SystemExit(f"the chosen histories give only {len(texts)} versions")
        part = next(i for i in turn if i in movable)
        position[part] += 1
        text = "\n\n".join(p[n] for p, n in zip(parts, position, strict=True))
        if text != texts[-1]:
            texts.append(text)
    return texts


def store(db: sqlite_utils.Database, texts: list[str], start: int = 0) -> None:
    for n, text in enumerate(texts, start=start):
        add_version(db, NewVersion(
            policy="bench", text=text, norm_hash=f"bench-{n}", extractor_version=1,
            snapshot_id=None, seen_at=f"2024-01-01T00:{n // 60:02d}:{n % 60:02d}.000000Z"))


def fresh_copy(template: Path, folder: Path) -> Path:
    """A copy of the database with every version and no stored blame state."""
    target = folder / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def timed_cold(template: Path, folder: Path) -> float:
    db = open_db(fresh_copy(template, folder))
    analysed_block.cache_clear()
    started = time.perf_counter()
    blame_policy(db, "bench")
    return time.perf_counter() - started


def timed_extend(folder: Path, texts: list[str]) -> tuple[float, float]:
    """(extend, stored): blame of the last version from the stored state of the one before,
    then again with its own state stored."""
    db = open_db(folder / "extend.db")
    store(db, texts[:-1])
    blame_policy(db, "bench")
    store(db, texts[-1:], start=len(texts) - 1)
    analysed_block.cache_clear()
    started = time.perf_counter()
    result = blame_policy(db, "bench")
    extend = time.perf_counter() - started
    assert result.aligned == 1, result.aligned
    started = time.perf_counter()
    blame_policy(db, "bench")
    return extend, time.perf_counter() - started


def timed_cli(template: Path, folder: Path) -> float:
    database = fresh_copy(template, folder)
    (folder / "watchlist.toml").write_text(
        f'[settings]\ndatabase = "{database}"\n\n[[policy]]\nname = "bench"\n'
        'url = "https://example.invalid/privacy"\n', encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from policywatch.monitor.cli import main; main()",
                    "--config", str(folder / "watchlist.toml"), "blame", "bench"], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=40)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stress", action="store_true",
                        help="the three longest histories instead")
    args = parser.parse_args()
    if not HISTORIES.is_dir():
        print(f"skipped: {HISTORIES} is absent")
        return
    chosen = choose(histories(), args.words, args.stress)
    texts = build([h[1] for h in chosen], args.versions)
    print(f"policy: {' + '.join(name for name, _ in chosen)}: {len(texts)} versions, "
          f"{words(texts[-1]):,} words in the last ({words(texts[0]):,} in the first)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = folder / "template.db"
        db = open_db(template, migrate_schema=True)
        store(db, texts)
        db.conn.close()
        cold = [timed_cold(template, folder) for _ in range(args.repeat)]
        extend, stored = timed_extend(folder, texts)
        cli = timed_cli(template, folder)
    verdict = "met" if max(cold) <= TARGET_SECONDS else "NOT met"
    print(f"cold blame of version {len(texts)}: median {statistics.median(cold):.3f} s, "
          f"max {max(cold):.3f} s over {args.repeat} runs (target <= {TARGET_SECONDS:.1f} s: "
          f"{verdict})")
    print(f"extend from the stored state of version {len(texts) - 1}: {extend * 1000:.1f} ms")
    print(f"blame with its own state stored: {stored * 1000:.1f} ms")
    print(f"`policywatch blame` in a new process, cold: {cli:.3f} s")


if __name__ == "__main__":
    main()
