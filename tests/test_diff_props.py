"""Property tests of the differ (hypothesis): identity, pure reordering, and replay."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policywatch.monitor.diff import apply_units, diff_placed, diff_texts
from policywatch.monitor.diff.segment import segment
from policywatch.monitor.diff.sentences import sentence_key
from policywatch.monitor.textnorm import normalise_key

WORDS = [
    "we", "collect", "share", "your", "data", "with", "partners", "may", "will", "not",
    "location", "email", "cookies", "retain", "for", "days", "advertisers", "and", "the", "you",
    "can", "opt", "out", "of", "sale", "children", "under", "13", "security", "law",
]

word_lists = st.lists(st.sampled_from(WORDS), min_size=2, max_size=10)


def sentence(words: list[str], serial: int | None = None) -> str:
    body = " ".join(words + ([f"clause{serial}"] if serial is not None else []))
    return body[0].upper() + body[1:] + "."


@st.composite
def documents(draw: st.DrawFn, unique: bool = False) -> list[tuple[str, list[str]]]:
    """Sections as (heading, sentences); with `unique`, no two sentences or headings alike."""
    serial = iter(range(10_000))
    n_sections = draw(st.integers(1, 6))
    sections = []
    for _ in range(n_sections):
        heading = sentence(draw(word_lists), next(serial) if unique else None).rstrip(".")
        sentences = [sentence(draw(word_lists), next(serial) if unique else None)
                     for _ in range(draw(st.integers(1, 5)))]
        sections.append((heading, sentences))
    return sections


def render_doc(sections: list[tuple[str, list[str]]]) -> str:
    return "\n\n".join(f"## {heading}\n\n" + " ".join(body) for heading, body in sections)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_against_itself_is_empty(text: str) -> None:
    result = diff_texts(text, text)
    assert result.changes == []
    assert result.stats["sentences_old"] == result.stats["sentences_new"]


@settings(max_examples=80, deadline=None)
@given(documents())
def test_document_against_itself_is_empty(sections: list[tuple[str, list[str]]]) -> None:
    text = render_doc(sections)
    assert diff_texts(text, text).changes == []


@settings(max_examples=80, deadline=None)
@given(documents(unique=True), st.randoms(use_true_random=False))
def test_reordered_sections_give_only_moves(sections: list[tuple[str, list[str]]],
                                            rnd: object) -> None:
    shuffled = list(sections)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    result = diff_texts(render_doc(sections), render_doc(shuffled))
    assert all(u.kind == "moved" and u.form_only for u in result.changes)
    assert bool(result.changes) == (shuffled != sections)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    """An old document and a new one made from it by random edits of every kind."""
    sections = draw(documents())
    new = [(h, list(body)) for h, body in sections]
    for _ in range(draw(st.integers(0, 6))):
        k = draw(st.integers(0, len(new) - 1))
        heading, body = new[k]
        action = draw(st.sampled_from(["add", "remove", "modify", "move", "rename", "split"]))
        at = draw(st.integers(0, max(0, len(body) - 1)))
        if action == "add":
            body.insert(at, sentence(draw(word_lists)))
        elif action == "remove" and len(body) > 1:
            body.pop(at)
        elif action == "modify" and body:
            words = body[at].rstrip(".").lower().split()
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            body[at] = sentence(words)
        elif action == "move":
            new.append(new.pop(k))
        elif action == "rename":
            new[k] = (sentence(draw(word_lists)).rstrip("."), body)
        elif action == "split" and body:
            body[at] = body[at].rstrip(".") + ". " + sentence(draw(word_lists))
    return render_doc(sections), render_doc(new)


@settings(max_examples=150, deadline=None)
@given(edited())
def test_applying_units_to_old_gives_new(pair: tuple[str, str]) -> None:
    old, new = pair
    result, placed = diff_placed(old, new)
    old_sentences = [s.text for s in segment(old)]
    replayed = apply_units(old_sentences, placed)
    assert [sentence_key(s) for s in replayed] == [s.key for s in segment(new)]
    assert [u for _, u in placed if u is not None] == result.changes


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=60).map(
    lambda t: " ".join(t.splitlines())))
def test_sentence_key_is_normalise_key_lowercased(text: str) -> None:
    assert sentence_key(text) == normalise_key(text).lower()
