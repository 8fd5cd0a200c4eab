"""The blame of a stored version: resumed from the stored state nearest before it, extended
version by version, stored again, and described with each version's date and source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from policywatch.monitor.diff.segment import Segment, segment
from policywatch.monitor.errors import NotFound
from policywatch.monitor.timeutil import iso, utcnow
from policywatch.storage.blame import blame_states, save_blame_state, version_capture_urls
from policywatch.storage.db import write_lock
from policywatch.storage.versions import Version, timeline

from .blame import (
    BlameState,
    Lineage,
    chain_digests,
    dump_state,
    extend,
    keys_digest,
    load_state,
    start,
)

CHECKPOINT = 16  # besides the latest, the state of every 16th version is kept


@dataclass(frozen=True)
class VersionRef:
    """A version as blame shows it: number, when it was first seen, and from where."""

    number: int
    id: int
    date: str
    source: str  # live | archive
    archive_timestamp: str | None
    archive_url: str | None  # the Wayback page of the capture, for a reader

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "id": self.id, "date": self.date, "source": self.source,
                "archive_timestamp": self.archive_timestamp, "archive_url": self.archive_url}


@dataclass(frozen=True)
class BlameLine:
    text: str
    section: str | None
    heading: bool
    since: VersionRef  # first appeared in this wording
    born: VersionRef  # first appeared in any wording
    previous: str | None  # the wording before `since`, if it was edited
    edits: int
    gaps: tuple[tuple[VersionRef, VersionRef], ...]  # (removed in, back in)
    moved: VersionRef | None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "section": self.section, "heading": self.heading,
                "since": self.since.number, "first_appeared": self.born.number,
                "edited": self.previous is not None,
                "previous": self.previous, "edits": self.edits,
                "absent": [{"removed_in": a.number, "back_in": b.number} for a, b in self.gaps],
                "moved_in": self.moved.number if self.moved else None}


@dataclass(frozen=True)
class PolicyBlame:
    policy: str
    version: VersionRef
    timeline_length: int
    lines: tuple[BlameLine, ...]
    aligned: int  # version pairs aligned by this call (the rest came from a stored state)

    def sections(self) -> list[tuple[str | None, list[BlameLine]]]:
        """The lines grouped by section path, in document order."""
        groups: list[tuple[str | None, list[BlameLine]]] = []
        for line in self.lines:
            if not groups or groups[-1][0] != line.section:
                groups.append((line.section, []))
            groups[-1][1].append(line)
        return groups

    def versions(self) -> list[VersionRef]:
        """Every version a line refers to, oldest first."""
        refs = {self.version.number: self.version}
        for line in self.lines:
            for ref in (line.since, line.born, line.moved, *(r for g in line.gaps for r in g)):
                if ref is not None:
                    refs[ref.number] = ref
        return [refs[n] for n in sorted(refs)]

    def to_json(self) -> dict[str, Any]:
        return {"policy": self.policy, "version": self.version.to_json(),
                "timeline_length": self.timeline_length,
                "versions": [v.to_json() for v in self.versions()],
                "sections": [{"section": name, "lines": [x.to_json() for x in lines]}
                             for name, lines in self.sections()]}


def blame_policy(db: sqlite_utils.Database, policy: str, number: int | None = None, *,
                 store: bool = True) -> PolicyBlame:
    """The blame of version `number` (1 = oldest, negative from the newest; None = latest).
    Raises NotFound for an unknown policy or version."""
    versions = timeline(db, policy)
    index = _index(policy, len(versions), number)
    target = versions[index]
    ids = [v.id for v in versions]
    chains = chain_digests(ids)
    state, segments, resumed_at = _resume(db, policy, versions, chains, index)
    keep = {ids[k] for k in range(CHECKPOINT - 1, len(ids), CHECKPOINT)} | {ids[-1], ids[index]}
    for k in range(resumed_at + 1, index + 1):
        new = segment(versions[k].text)
        state = extend(state, segments, new, ids[k])
        segments = new
        if store and (k == index or ids[k] in keep):
            with write_lock(db):
                save_blame_state(db, policy, ids[k], chains[k], dump_state(state), iso(utcnow()),
                                 keep=keep)
    refs = _refs(db, policy, versions)
    lines = tuple(_line(seg, lineage, refs) for seg, lineage in zip(segments, state.lines,
                                                                      strict=True))
    return PolicyBlame(policy, refs[target.id], len(versions), lines, index - resumed_at)


def _index(policy: str, count: int, number: int | None) -> int:
    if not count:
        raise NotFound(f"policy {policy!r} has no stored versions")
    if number is None:
        return count - 1
    index = number - 1 if number > 0 else count + number
    if number == 0 or not 0 <= index < count:
        raise NotFound(f"policy {policy!r} has versions 1 to {count}, not {number}")
    return index


def _resume(db: sqlite_utils.Database, policy: str, versions: list[Version], chains: list[str],
            index: int) -> tuple[BlameState, list[Segment], int]:
    """The stored state nearest before (or at) `index` that was built on this very timeline,
    else the blame of the first version."""
    stored = blame_states(db, policy)
    for k in range(index, 0, -1):
        found = stored.get(versions[k].id)
        if found is None or found[0] != chains[k]:
            continue
        state = load_state(found[1])
        segments = segment(versions[k].text)
        if state is not None and state.keys_digest == keys_digest(segments):
            return state, segments, k
    first = segment(versions[0].text)
    return start(versions[0].id, first), first, 0


_RAW_CAPTURE = re.compile(r"/web/(\d{14})id_/")


def _refs(db: sqlite_utils.Database, policy: str, versions: list[Version]
          ) -> dict[int, VersionRef]:
    urls = version_capture_urls(db, policy)
    refs = {}
    for v in versions:
        url = urls.get(v.id) if v.source == "archive" else None
        # Stored URLs are the raw (id_) capture; the reader wants the archive's page of it.
        readable = _RAW_CAPTURE.sub(r"/web/\1/", url) if url else None
        refs[v.id] = VersionRef(v.number, v.id, v.first_seen, v.source, v.archive_timestamp,
                                readable)
    return refs


def _line(seg: Segment, lineage: Lineage, refs: dict[int, VersionRef]) -> BlameLine:
    def ref(version_id: int) -> VersionRef:
        found = refs.get(version_id)
        if found is None:  # a state never refers to a version outside its timeline
            raise NotFound(f"blame refers to version id {version_id}, not in the timeline")
        return found

    return BlameLine(
        text=seg.text, section=seg.section, heading=seg.heading, since=ref(lineage.since),
        born=ref(lineage.born), previous=lineage.previous, edits=lineage.edits,
        gaps=tuple((ref(a), ref(b)) for a, b in lineage.gaps),
        moved=ref(lineage.moved) if lineage.moved is not None else None)
