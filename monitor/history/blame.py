"""Policy blame: for every sentence, list item and heading of a version, when it first appeared,
when it was last edited (and what it said before), and where it was absent.

Built on the differ's alignment (segment + align) of each version with the next, along the whole
timeline. The blame of version k+1 extends the blame of version k: only the newest pair is
aligned. The state after a version is stored (storage.blame), so the next blame starts from it;
it is recomputed from the first version only when the timeline before it changed (a backfill
added older versions, a re-extraction made a new generation) or the segmentation did.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from policywatch.monitor.diff.align import Op, align
from policywatch.monitor.diff.segment import Segment, segment
from policywatch.monitor.diff.sentences import loose_key, words_of

STATE_FORMAT = 1
Gap = tuple[int, int]  # (version id it was removed in, version id it came back in)


@dataclass(frozen=True, slots=True)
class Lineage:
    """Where one segment comes from. Version ids, not numbers: numbers shift when a backfill
    adds older versions."""

    born: int  # the version it first appeared in, in any wording
    since: int  # the version since which it reads as it does now
    previous: str | None = None  # its wording before that version, if it was edited
    edits: int = 0
    gaps: tuple[Gap, ...] = ()
    moved: int | None = None  # the version it last moved in


@dataclass(frozen=True, slots=True)
class Buried:
    """A segment removed from the text, kept so that it keeps its lineage if it comes back."""

    lineage: Lineage
    removed_in: int
    text: str
    key: str


@dataclass
class BlameState:
    """The blame after the last version of `version_ids`: one lineage per segment of that
    version, and the segments removed on the way, by loose key."""

    version_ids: list[int]
    keys_digest: str
    lines: list[Lineage]
    removed: dict[str, list[Buried]] = field(default_factory=dict)


def keys_digest(segments: Sequence[Segment]) -> str:
    """Identifies a segmentation: a state fits a text only if its segments are the same."""
    return hashlib.blake2b("\n".join(s.key for s in segments).encode(), digest_size=12).hexdigest()


def start(version_id: int, segments: Sequence[Segment]) -> BlameState:
    """The blame of a first version: everything first appeared in it."""
    born = Lineage(version_id, version_id)
    return BlameState([version_id], keys_digest(segments), [born] * len(segments))


def extend(state: BlameState, old: list[Segment], new: list[Segment],
           version_id: int) -> BlameState:
    """The blame of the next version, `new`, from that of the version before, `old` (whose
    segments `state.lines` describes). Consumes `state`'s graveyard."""
    if len(old) != len(state.lines):
        raise ValueError("the blame state does not describe the old version's segments")
    lines: list[Lineage | None] = [None] * len(new)
    added: list[int] = []
    removed: list[int] = []
    for op in align(old, new):
        if op.kind == "added":
            added.extend(op.new)
        elif op.kind == "removed":
            removed.extend(op.old)
        elif op.kind == "modified":
            _carry_edited(op, state.lines, old, new, version_id, lines)
        else:
            for i, j in zip(op.old, op.new, strict=True):
                lineage = state.lines[i]
                lines[j] = replace(lineage, moved=version_id) if op.kind == "moved" else lineage
    graveyard = state.removed
    for j in added:  # before the burials: a sentence does not come back in the diff it left
        lines[j] = _revive(graveyard, new[j], version_id) or Lineage(version_id, version_id)
    for i in removed:
        graveyard.setdefault(loose_key(old[i].key), []).append(
            Buried(state.lines[i], version_id, old[i].text, old[i].key))
    filled = [line if line is not None else Lineage(version_id, version_id) for line in lines]
    return BlameState([*state.version_ids, version_id], keys_digest(new), filled, graveyard)


def _carry_edited(op: Op, before: list[Lineage], old: list[Segment], new: list[Segment],
                  version_id: int, lines: list[Lineage | None]) -> None:
    """Edited segments keep the lineage of the old one they share most words with (a sentence
    split in two: both halves; two joined: the one that contributed most)."""
    olds = list(op.old)
    previous = " ".join(old[i].text for i in olds)
    for j in op.new:
        source = olds[0] if len(olds) == 1 else _closest(olds, old, new[j])
        lineage = before[source]
        lines[j] = replace(lineage, since=version_id, previous=previous, edits=lineage.edits + 1)


def _closest(olds: list[int], old: list[Segment], target: Segment) -> int:
    words = set(words_of(target.key))
    return max(olds, key=lambda i: (len(words & set(words_of(old[i].key))), -i))


def _revive(graveyard: dict[str, list[Buried]], segment_: Segment,
            version_id: int) -> Lineage | None:
    """The lineage of a removed segment that comes back (same words), with its absence."""
    buried = graveyard.get(loose_key(segment_.key))
    if not buried:
        return None
    exact = [b for b in buried if b.key == segment_.key]
    chosen = (exact or buried)[-1]
    buried.remove(chosen)
    lineage = replace(chosen.lineage, gaps=(*chosen.lineage.gaps, (chosen.removed_in,
                                                                   version_id)))
    if chosen.key != segment_.key:  # back with other punctuation or spacing: an edit
        lineage = replace(lineage, since=version_id, previous=chosen.text,
                          edits=lineage.edits + 1)
    return lineage


def blame_texts(texts: Iterable[tuple[int, str]]) -> tuple[BlameState, list[Segment]]:
    """The blame of the last of (version id, text), from the first: for tests and benchmarks
    that have texts but no database."""
    state: BlameState | None = None
    segments: list[Segment] = []
    for version_id, text in texts:
        new = segment(text)
        state = start(version_id, new) if state is None else extend(state, segments, new,
                                                                    version_id)
        segments = new
    if state is None:
        raise ValueError("no versions to blame")
    return state, segments


# --- the stored state ---------------------------------------------------------------------

def _lineage_json(lineage: Lineage) -> list[Any]:
    return [lineage.born, lineage.since, lineage.previous, lineage.edits,
            [list(g) for g in lineage.gaps], lineage.moved]


def _lineage_from(data: list[Any]) -> Lineage:
    born, since, previous, edits, gaps, moved = data
    return Lineage(born, since, previous, edits, tuple((a, b) for a, b in gaps), moved)


def dump_state(state: BlameState) -> bytes:
    removed = {key: [[_lineage_json(b.lineage), b.removed_in, b.text, b.key] for b in items]
               for key, items in state.removed.items() if items}
    data = {"format": STATE_FORMAT, "ids": state.version_ids, "keys": state.keys_digest,
            "lines": [_lineage_json(line) for line in state.lines], "removed": removed}
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 6)


def load_state(blob: bytes) -> BlameState | None:
    """The stored state, or None when it was written in another format."""
    data = json.loads(zlib.decompress(blob))
    if data.get("format") != STATE_FORMAT:
        return None
    removed = {key: [Buried(_lineage_from(lin), at, text, k) for lin, at, text, k in items]
               for key, items in data["removed"].items()}
    return BlameState(list(data["ids"]), data["keys"],
                      [_lineage_from(x) for x in data["lines"]], removed)


def chain_digests(version_ids: Sequence[int]) -> list[str]:
    """For each prefix of the timeline, a digest of its version ids: a stored state is valid
    only for the exact timeline that led to it."""
    digest = hashlib.blake2b(digest_size=12)
    out = []
    for version_id in version_ids:
        digest.update(f"{version_id},".encode())
        out.append(digest.hexdigest())
    return out
