"""Start-up time of the console script, as a user runs it.

    python bench/startup.py [--runs N]

Prints the wall time (median and best of N runs) of `python -c pass` (the floor), of
`policywatch --help` and of `policywatch diff OLD NEW` on a real consecutive pair of about 40 KB
from ../shared/corpus/histories (ODC-By, (c) Open Terms Archive contributors; a made-up 40 KB
pair when it is absent), beside the targets: --help <= 150 ms, diff <= 250 ms. Then where the
diff's import time goes (python -X importtime), the largest modules first, so what remains is
visible.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HISTORIES = (ROOT / ".." / "shared" / "corpus" / "histories").resolve()
SCRIPT = Path(sys.executable).parent / "policywatch"
TARGETS = {"policywatch --help": 0.150, "policywatch diff (40 KB pair)": 0.250}
PAIR_BYTES = 40_000


def real_pair() -> tuple[Path, Path] | None:
    """The consecutive pair of a recorded history whose old text is closest to 40 KB."""
    best: tuple[int, Path, Path] | None = None
    for history in sorted(HISTORIES.glob("*/*/history.json")):
        files = [history.parent / v["file"]
                 for v in json.loads(history.read_text(encoding="utf-8"))["versions"]]
        for old, new in zip(files, files[1:], strict=False):
            distance = abs(old.stat().st_size - PAIR_BYTES)
            if old.read_bytes() != new.read_bytes() and (best is None or distance < best[0]):
                best = (distance, old, new)
    return (best[1], best[2]) if best else None


def made_up_pair(folder: Path) -> tuple[Path, Path]:
    sentence = ("We collect the information you give us when you create an account, such as "
                "your name and e-mail address, and use it to provide the service. ")
    sections = [f"## Section {n}\n\n{sentence * 4}\n" for n in range(60)]
    old = "# Privacy Policy\n\n" + "\n".join(sections)
    new = old.replace("We collect the information you give us", "We may sell the information "
                      "you give us", 3)
    (folder / "old.md").write_text(old[:PAIR_BYTES], encoding="utf-8")
    (folder / "new.md").write_text(new[:PAIR_BYTES], encoding="utf-8")
    return folder / "old.md", folder / "new.md"


def timed(command: list[str], runs: int) -> tuple[float, float, float]:
    """(median wall, best wall, median CPU) seconds of `command`, after one untimed warm-up
    run. CPU (user + system of the child) says more than wall time on a busy machine."""
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run(command, capture_output=True, check=True, env=env)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def import_breakdown(old: Path, new: Path, top: int = 12) -> list[tuple[float, str]]:
    """Import time of each module's own body (its regexes, tables, ...) in one `policywatch
    diff`, largest first."""
    done = subprocess.run([sys.executable, "-X", "importtime", str(SCRIPT), "diff", str(old),
                           str(new)], capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[0]) / 1e6, parts[2].strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        pair = real_pair() or made_up_pair(Path(scratch))
        source = "real history pair" if HISTORIES.is_dir() and pair[0].parent != Path(scratch) \
            else "made-up pair (../shared/corpus/histories is absent)"
        print(f"diff pair: {pair[0]} ({pair[0].stat().st_size:,} bytes) -> {pair[1].name} "
              f"({pair[1].stat().st_size:,} bytes), {source}")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "policywatch --help": [str(SCRIPT), "--help"],
            "policywatch diff (40 KB pair)": [str(SCRIPT), "diff", str(pair[0]), str(pair[1])],
        }
        print(f"{'command':<30} {'wall p50':>9} {'best':>8} {'CPU p50':>8}  target (wall p50)")
        for label, command in commands.items():
            median, best, cpu = timed(command, args.runs)
            target = TARGETS.get(label)
            verdict = "" if target is None else (
                f"<= {target * 1000:.0f} ms: {'met' if median <= target else 'NOT met'}")
            print(f"{label:<30} {median * 1000:>6.0f} ms {best * 1000:>5.0f} ms "
                  f"{cpu * 1000:>5.0f} ms  {verdict}")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        breakdown = import_breakdown(*pair, top=400)
        classifier = sum(s for s, module in breakdown
                         if module.startswith("policywatch.monitor.classify"))
        print(f"\nimport time of `policywatch diff`, own body of each module (-X importtime); "
              f"monitor.classify.* in all: {classifier * 1000:.1f} ms")
        for seconds, module in breakdown[:12]:
            print(f"  {seconds * 1000:>6.1f} ms  {module}")


if __name__ == "__main__":
    main()
