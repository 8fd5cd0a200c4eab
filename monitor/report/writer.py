"""Incremental writing: each page carries a key (a hash of the data it shows and of the design);
a page whose key is the one recorded in the manifest, and whose file is still there, is neither
rendered nor written again."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .paths import MANIFEST


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


def write_pages(out: Path, pages: Iterable[Page], *, prune: bool) -> WriteReport:
    """Write the pages that changed; with `prune`, delete pages of an earlier run that this run
    no longer has (a policy left the watchlist)."""
    out.mkdir(parents=True, exist_ok=True)
    old = _load_manifest(out)
    new: dict[str, str] = {} if prune else dict(old)
    report = WriteReport(out)
    files = _Files()
    for page in pages:
        target = out / page.path
        new[page.path] = page.key
        if old.get(page.path) == page.key and target.is_file():
            report.unchanged += 1
            continue
        files.write(target, page.render())
        report.written.append(page.path)
    if prune:
        for stale in sorted(set(old) - set(new)):
            if ".." not in stale.split("/") and not stale.startswith("/"):
                (out / stale).unlink(missing_ok=True)
            report.removed.append(stale)
    files.write(out / MANIFEST, json.dumps({"pages": new}, indent=0, sort_keys=True).encode())
    return report
