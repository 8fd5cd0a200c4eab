"""A finding for a candidate that no profile rule explains: a silent miss is the worst failure,
so a change that touches a data practice, and that no suppressor names as form, is reported
with the words that decide it, a category from those words, a low or medium severity and the
direction its words lean."""

from __future__ import annotations

from policywatch.monitor.model import Severity

from .candidates import Candidate, Touch
from .findings import Finding, Leaning, quote
from .lexicon import PURPOSE_PATTERNS, RECIPIENT_PATTERNS, SENSITIVE_PATTERNS
from .patterns import regex
from .profile import topics_of
from .vocabulary import mentions

UNEXPLAINED = "unexplained"  # Finding.change of a finding no profile rule made

# The category a kind of practice word points to; verbs by their stem.
KIND_CATEGORY = {
    "data": "collection", "recipient": "sharing", "purpose": "collection", "choice": "choice",
    "retention": "retention", "security": "security", "children": "children",
    "tracking": "tracking", "transfer": "international", "ai": "ai_training",
    "notice": "policy_change", "quantity": "retention",
}
VERB_CATEGORY = (("sell", "sale"), ("sold", "sale"), ("sale", "sale"), ("rent", "sale"),
                 ("shar", "sharing"), ("disclos", "sharing"), ("transfer", "sharing"),
                 ("provid", "sharing"), ("made avail", "sharing"), ("make avail", "sharing"),
                 ("publish", "sharing"), ("dissemin", "sharing"), ("releas", "sharing"),
                 ("retain", "retention"), ("keep", "retention"), ("kept", "retention"),
                 ("stor", "retention"), ("hold", "retention"), ("delet", "retention"),
                 ("eras", "retention"), ("destroy", "retention"), ("encrypt", "security"),
                 ("track", "tracking"), ("monitor", "tracking"))
RIGHT_WORDS = ("right", "request", "correct", "rectif", "portab", "restrict", "appeal",
               "complain", "access", "erasure", "object")
EXPOSING_VERBS = ("sell", "sold", "sale", "rent", "shar", "disclos", "transfer", "provid",
                  "made avail", "make avail", "publish", "dissemin", "releas", "collect",
                  "gather", "obtain", "receiv", "captur", "scan", "use", "using", "process",
                  "analy", "combin", "link", "match", "infer", "attribut", "monitor", "track",
                  "sync", "upload", "retain", "keep", "kept", "stor", "hold", "licen", "trade")
PROTECTING_VERBS = ("delet", "eras", "destroy", "anonym", "de-ident", "deident", "pseudonym",
                    "aggregat", "encrypt")
EXPOSING_KINDS = frozenset({"data", "recipient", "purpose", "tracking", "transfer", "ai"})
PROTECTING_KINDS = frozenset({"choice", "security", "retention", "notice"})
# Kinds whose change is worth a medium rating when it widens what happens to data.
WIDENING = frozenset({"data", "recipient", "purpose", "verb", "ai", "children", "transfer",
                      "tracking", "choice", "retention", "security", "quantity"})


def _category(touch: Touch) -> str:
    word = touch.words.lower()
    if touch.kind == "verb":
        return next((cat for stem, cat in VERB_CATEGORY if word.startswith(stem)), "collection")
    if touch.kind == "choice" and word.startswith(RIGHT_WORDS):
        return "rights"
    if touch.kind == "purpose" and _LAWFUL_BASIS.search(word):
        return "other"  # the legal ground of processing (OPP-115 files it under "Other")
    if touch.kind == "tracking" and (word.startswith("do") and word.endswith("track") or word in (
            "dnt", "global privacy control", "gpc", "signals", "signal")):
        return "do_not_track"
    if touch.kind == "quantity" and ("old" in word or "age" in word or "+" in word):
        return "children"
    return KIND_CATEGORY.get(touch.kind, "other")


def _leaning(touch: Touch) -> int:
    """+1 when the word exposes data, -1 when it protects, 0 otherwise (before its side)."""
    word = touch.words.lower()
    if touch.kind == "verb":
        if word.startswith(PROTECTING_VERBS):
            return -1
        return 1 if word.startswith(EXPOSING_VERBS) else 0
    if touch.kind == "tracking" and _category(touch) == "do_not_track":
        return -1  # honouring opt-out signals protects the user
    if touch.kind == "transfer" and _SAFEGUARD.search(word):
        return -1  # a transfer mechanism (SCCs, DPF, CBPR) is a safeguard
    if touch.kind in EXPOSING_KINDS:
        return 1
    return -1 if touch.kind in PROTECTING_KINDS else 0


_LAWFUL_BASIS = regex(r"interests?|basis|contract")
_SAFEGUARD = regex(r"privacy shield|framework|dpf|standard contractual|sccs?|adequacy|cbpr|"
                   r"binding corporate")
# "kept only as long as necessary", "used solely to": a limit, which protects like a denial.
_LIMIT = regex(r"\b(?:only|solely|exclusively|no longer than|as long as (?:is )?(?:necessary|"
               r"needed|required))\b")


def _sentence_negated(text: str) -> bool:
    return bool(_LIMIT.search(text)) or any(kind == "negation" for kind, *_ in mentions(text))


def direction(c: Candidate) -> Leaning:
    """Words that expose data joining the text lean worse, protections joining lean better,
    and the reverse for words that leave; a sentence that denies flips its words. A sensitive
    data type newly named in an edited sentence is worse whatever limits come with it ("a copy of
    your ID, with only your name visible")."""
    if sensitive_joined(c):
        return "worse"
    score = 0
    for side, text, sign in (("new", c.unit.new or "", 1), ("old", c.unit.old or "", -1)):
        negated = -1 if _sentence_negated(text) else 1
        leaning = [_leaning(t) for t in c.touches if t.side == side]
        score += sign * negated * _sign(sum(leaning))
        if c.unit.kind != "modified":
            continue  # a whole sentence's denial already flipped its words
        if side == "new" and any(t.kind == "negation" for t in c.touches if t.side == "new"):
            score -= 1  # a denial added
        if side == "old" and any(t.kind == "negation" for t in c.touches if t.side == "old"):
            score += 1  # a denial dropped
    return "worse" if score > 0 else "better" if score < 0 else "neutral"


def sensitive_joined(c: Candidate) -> bool:
    """The inserted words of an edited sentence name a sensitive data type the old sentence did
    not, and deny nothing."""
    if c.unit.kind != "modified":
        return False
    inserted = " ".join(i for _, i in c.runs if i.strip())
    if not inserted or any(kind == "negation" for kind, *_ in mentions(inserted)):
        return False
    before = {name for name, *_ in SENSITIVE_PATTERNS.spans(c.unit.old or "")}
    return any(name not in before for name, *_ in SENSITIVE_PATTERNS.spans(inserted))


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def categories(c: Candidate) -> tuple[str, ...]:
    found = [_category(t) for t in c.substance()]
    for text in (c.unit.new, c.unit.old):
        if text and any(t.side == ("new" if text is c.unit.new else "old") for t in c.touches):
            found += sorted(topics_of(text))
    return tuple(dict.fromkeys(found)) or ("other",)


def severity(c: Candidate, leaning: Leaning) -> Severity:
    """Medium when the change widens what happens to data (a data type, recipient, purpose,
    practice or transfer joins, or a protection leaves); low otherwise (rubric: "expanded or
    weakened" is medium, "clarified, user-favourable or minor scope" is low)."""
    kinds = {t.kind for t in c.specific()}
    if leaning != "worse" or not kinds & WIDENING:
        return "low"
    words = " ".join(t.words for t in c.specific())
    if ("children" in kinds or SENSITIVE_PATTERNS.search(words) or sensitive_joined(c)
            or _promise_dropped(c) or _ad_sharing(c)):
        return "high"  # rubric: sensitive or children's data, a promise removed, ad sharing
    if c.unit.kind != "modified" and SENSITIVE_PATTERNS.search(_whole(c)):
        return "high"  # a sentence about sensitive data joined or left (its words decide)
    return "medium"


def _whole(c: Candidate) -> str:
    return (c.unit.new if c.unit.kind == "added" else c.unit.old) or ""


_SHARING = regex(r"\b(?:sell\w*|sold|sale|rent\w*|shar\w+|disclos\w+|provid\w+|transfer\w*|"
                 r"made available|make available)\b")
_AD_RECIPIENTS = frozenset({"advertisers", "data brokers"})


def _ad_parties(text: str) -> set[str]:
    """Advertisers, data brokers and the advertising purpose named in `text`."""
    named = {name for name, *_ in RECIPIENT_PATTERNS.spans(text)} & _AD_RECIPIENTS
    return named | {name for name, *_ in PURPOSE_PATTERNS.spans(text) if name == "advertising"}


def _ad_sharing(c: Candidate) -> bool:
    """Data handed to advertisers or data brokers, or shared for advertising, newly stated:
    the changed words name such a recipient or purpose the old sentence did not, in a sentence
    that shares or sells ("Shared with: couriers, advertising networks")."""
    if c.unit.kind == "removed":
        return False  # a sharing statement deleted is no new exposure
    text = c.unit.new or ""
    changed = " ".join(i for _, i in c.runs) if c.unit.kind == "modified" else text
    joined = _ad_parties(changed) - _ad_parties(c.unit.old or "")
    return bool(joined) and bool(_SHARING.search(text))


def _promise_dropped(c: Candidate) -> bool:
    """A denial of selling or sharing that left the text."""
    old = c.unit.old or ""
    return _sentence_negated(old) and any(
        t.side == "old" and t.kind == "verb" and t.words.lower().startswith(("sell", "sold", "sale",
                                                                              "rent", "shar"))
        for t in c.touches)


def decisive(c: Candidate) -> str:
    """The changed words that decide: the word runs holding a practice word, quoted."""
    unit = c.unit
    if unit.kind != "modified":
        verb = "added" if unit.kind == "added" else "removed"
        text = (unit.new if unit.kind == "added" else unit.old) or ""
        return f"{verb} {quote(around(text, c.specific() or c.substance()), 120)}"
    words = {t.words.lower() for t in c.touches}
    runs = [(d, i) for d, i in c.runs if any(w in (d + " " + i).lower() for w in words)] or c.runs
    parts = []
    for deleted, inserted in runs[:3]:
        if deleted.strip() and inserted.strip():
            parts.append(f"{quote(deleted, 60)} became {quote(inserted, 60)}")
        elif inserted.strip():
            parts.append(f"added {quote(inserted, 80)}")
        else:
            parts.append(f"removed {quote(deleted, 80)}")
    return "; ".join(parts)


def around(text: str, touches: list[Touch], width: int = 110) -> str:
    """The stretch of a long sentence that holds its first decisive word (so the quote shows
    it), marked with ellipses where cut."""
    text = " ".join(text.split())
    if len(text) <= width or not touches:
        return text
    at = max(0, text.lower().find(touches[0].words.lower()))
    start = max(0, min(at - width // 3, len(text) - width))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    piece = text[start:start + width]
    if start + width < len(text):
        piece = piece.rsplit(" ", 1)[0]
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(text) else "")


def unexplained(c: Candidate) -> Finding:
    leaning = direction(c)
    cats = categories(c)
    named = ", ".join(dict.fromkeys(t.words.lower() for t in c.specific() or c.substance()))
    reason = f"{decisive(c)} (practice words: {named[:80]})"
    headline = f"{'wording on ' + cats[0].replace('_', ' ')} changed: {named[:40]}"
    return Finding(severity=severity(c, leaning), direction=leaning, categories=cats,
                   headline=headline, reason=reason, change=UNEXPLAINED)
