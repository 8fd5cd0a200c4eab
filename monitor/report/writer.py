"""Incremental writing: each page carries a key (a hash of the data it shows and of the design);
a page whose key is the one recorded in the manifest, and whose file is still there, is neither
rendered nor written again."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from monitor.errors import PolicywatchError

from .paths import MANIFEST


class ReportError(PolicywatchError):
    """The report could not be written."""


@dataclass(frozen=True)
class Page:
    path: str  # relative to the report's root, "/"-separated
    key: str
    render: Callable[[], bytes]


@dataclass
class WriteReport:
    out: Path
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.written) + self.unchanged


def page_key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _load_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pages = data.get("pages") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in pages.items()} if isinstance(pages, dict) else {}


class _Files:
    def __init__(self) -> None:
        self.folders: set[Path] = set()

    def write(self, target: Path, body: bytes) -> None:
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        if not target.exists():
            target.write_bytes(body)
            return
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(body)
        os.replace(temporary, target)  # a reader never sees half of a page that changed


PARALLEL_MIN = 2000  # pages to write before rendering is worth a second process


def _render_share(out: Path, todo: Sequence[Page], share: int, shares: int) -> None:
    files = _Files()
    for page in todo[share::shares]:
        files.write(out / page.path, page.render())


def _render_all(out: Path, todo: Sequence[Page], workers: int) -> None:
    """Render and write the pages; with several workers, in forked processes that split the
    pages between them (each page's render() is inherited, nothing is pickled)."""
    for folder in {(out / page.path).parent for page in todo}:
        folder.mkdir(parents=True, exist_ok=True)
    if workers <= 1 or len(todo) < PARALLEL_MIN or "fork" not in mp.get_all_start_methods():
        _render_share(out, todo, 0, 1)
        return
    context = mp.get_context("fork")
    processes = [context.Process(target=_render_share, args=(out, todo, n, workers),
                                 name=f"policywatch-report-{n}") for n in range(1, workers)]
    for process in processes:
        process.start()
    try:
        _render_share(out, todo, 0, workers)
    finally:
        for process in processes:
            process.join()
    failed = [p.name for p in processes if p.exitcode != 0]
    if failed:
        raise ReportError(f"writing the report failed in {', '.join(failed)} (see above)")


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def write_pages(out: Path, pages: Iterable[Page], *, prune: bool,
                workers: int | None = None) -> WriteReport:
    """Write the pages that changed; with `prune`, delete pages of an earlier run that this run
    no longer has (a policy left the watchlist)."""
    out.mkdir(parents=True, exist_ok=True)
    old = _load_manifest(out)
    new: dict[str, str] = {} if prune else dict(old)
    report = WriteReport(out)
    todo = []
    for page in pages:
        new[page.path] = page.key
        if old.get(page.path) == page.key and (out / page.path).is_file():
            report.unchanged += 1
        else:
            todo.append(page)
    _render_all(out, todo, default_workers() if workers is None else workers)
    report.written = [page.path for page in todo]
    if prune:
        for stale in sorted(set(old) - set(new)):
            if ".." not in stale.split("/") and not stale.startswith("/"):
                (out / stale).unlink(missing_ok=True)
            report.removed.append(stale)
    _Files().write(out / MANIFEST, json.dumps({"pages": new}, indent=0, sort_keys=True).encode())
    return report
