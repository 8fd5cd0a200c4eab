"""Suppressors: named reasons why a candidate (a unit touching practice words) is not material.

One per class of the labelling rubric's "form only": contact details, renamed brands and
entities, sentences that only point to another page, date and version lines, link targets and
page chrome, duplicated or re-flowed text, table-of-contents lines, spelling variants, and
same-meaning rewording (judged sentence against its aligned sentence, never against whatever
the whole old policy says somewhere). Also the page around the policy (cookie banners, share
buttons, sign-up boxes), menu paths and section references, one thing named otherwise,
warnings about wrongdoers, disclaimers and commitments, definitions of a technology, terms on
settling disputes, and a practice said again within a few paragraphs of its place in the other
version (nearby.py). `suppressor` returns the first that applies, by name.
"""

from __future__ import annotations

import array
import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from policywatch.monitor.model import ChangeUnit

from .artifacts import has_holes, is_title
from .candidates import Candidate, changed_ranges
from .lexicon import SENSITIVE_PATTERNS
from .nearby import near_sentences
from .patterns import lazy, regex
from .vocabulary import MODAL_KINDS, is_generic, mentions


@dataclass
class Context:
    """What suppressors may look at beyond the unit: the two texts (for verbatim duplicates),
    the headings of both versions, and the other units of the diff (for aligned sentences)."""

    old_text: str = ""
    new_text: str = ""
    titles: set[str] = field(default_factory=set)
    added: list[ChangeUnit] = field(default_factory=list)
    removed: list[ChangeUnit] = field(default_factory=list)
    modified: list[ChangeUnit] = field(default_factory=list)


# --- pieces of text that are form, by class ---------------------------------------------------
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?:opens email client)?|\[?email(?:&#160;|\s)protected\]?|" \
         r"opens email client|\(?mailto:\s*\S+\)?"
_PHONE = r"\+?\(?\d[\d\s().-]{6,}\d"
_ADDRESS = (r"\b(?:suite|floor|box|street|st\.|road|rd\.|avenue|ave\.|lane|blvd|c/o|attn|"
            r"attention)\b\W*\d*")
_URL = r"https?://\S+|www\.\S+|\(opens in a new (?:tab|window)\)|opens? (?:in )?a new window " \
       r"or tab|\]\([^)]*\)|\[|\]"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = (rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+"
         rf"{_MONTH}\s+\d{{4}}\b|\b{_MONTH}\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
         r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b(?:19|20)\d{2}\b|"
         r"\b(?:last )?(?:updated|modified|revised|published|posted|reviewed)\b:?|"
         r"\beffective(?: date)?\b:?|"
         r"\b(?:\d+|an?|one)\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b|"
         r"\bversion\s*[\d.]+\b|\bv\d[\w.]*\b")
_FILLER = r"[\W_]+|\b(?:the|a|an|and|or|of|in|at|on|to|for|by|with|from|its|our|their)\b"
_NAME = r"\b[A-Z][\w&.'’-]*\b|\b(?:ltd|limited|inc|llc|gmbh|ab|sa|s\.a\.|sdn|bhd|plc|corp)\b"
_ENTITY_SUFFIX = regex(r"\b(?:ltd|limited|inc|llc|gmbh|ab|s\.?a\.?|sdn|bhd|plc|corp(?:oration)?|"
                       r"oü|b\.?v\.?|pte|pty|s\.?r\.?l\.?|ag|kk)\b\.?")


@functools.cache
def _strip(*pieces: str) -> re.Pattern[str]:
    return lazy("|".join(pieces))  # case-insensitive; skips texts without the words it needs


def _runs_are(candidate: Candidate, *pieces: str, case: bool = False) -> bool:
    """Every changed run, on both sides, is made only of the given pieces (and filler)."""
    flags = 0 if case else re.IGNORECASE
    pattern = re.compile("|".join((*pieces, _FILLER)), flags)
    return bool(candidate.runs) and all(
        not pattern.sub(" ", text).strip() for run in candidate.runs for text in run)


def _same_without(c: Candidate, *pieces: str) -> bool:
    """With the pieces taken out, an edited sentence reads the same, or an added or removed
    one keeps no practice word."""
    pattern = _strip(*pieces)
    unit = c.unit
    if unit.kind == "modified":
        before, after = (pattern.sub(" ", text or "") for text in (unit.old, unit.new))
        return _normal(before) == _normal(after)
    rest = pattern.sub(" ", unit.new or unit.old or "")
    return not any(kind not in MODAL_KINDS for kind, *_ in mentions(rest))


def contact_details(c: Candidate, ctx: Context) -> bool:
    if _same_without(c, _EMAIL, _PHONE, _ADDRESS):
        return True
    text = c.unit.new or c.unit.old or ""
    if c.unit.kind != "modified" and re.search(_EMAIL, text, re.IGNORECASE) and len(
            text.split()) <= 25 and "verb" not in {k for k, *_ in mentions(_no_email(text))}:
        return True  # an address block: "Attention: Data Protection Officer dpo@..."
    found = _CONTACT_LINE.search(text) if c.unit.kind != "modified" else None
    return bool(found) and len(text.split()) <= 40 and "verb" not in {
        kind for kind, *_ in mentions(text[found.end():] if found else "")}


_CONTACT_LINE = regex(r"^\W*(?:attention|attn|c/o|main point of contact|tel|phone|fax|e-?mail)"
                      r"\s*[:.]|^\W*(?:if you have (?:any )?(?:questions|concerns|comments|"
                      r"complaints)\b[^.]{0,80}\b(?:contact|email|write)|"
                      r"to (?:request|ask for|obtain|get|receive)\b[^.]{0,80}\bcontact us\b|"
                      r"(?:please )?(?:feel free "
                      r"to )?contact us\b)|\battention:")


def address_block(text: str) -> bool:
    """Text in any language holding an e-mail address, a phone number or an "Attention:", or
    a postal address line."""
    if re.search(f"{_EMAIL}|{_PHONE}|\\battention:", text, re.IGNORECASE):
        return True
    if len(text.split()) <= 25 and re.search(r"\b\d{4,6}\b", text):
        return True  # a postcode
    return _address_line(text)


def _address_line(text: str) -> bool:
    """"Paseo de los Tamarindos 150, Bosques de las Lomas": a short line, no sentence, of
    capitalised names, short particles and a house number (no word of a sentence's kind)."""
    words = re.findall(r"[^\W\d_][\w'’.-]*|\d+\w*", text)
    if not 4 <= len(words) <= 14 or _SENTENCE_END.search(text) or not re.search(r"\d", text):
        return False
    if "," not in text:
        return False  # the parts of an address stand between commas
    return all(w[0].isupper() or w[0].isdigit() or len(w) <= 3 for w in words)


def _no_email(text: str) -> str:
    return re.sub(_EMAIL, " ", text, flags=re.IGNORECASE)


_FEATURE_WORDS = regex(r"(?:(?:the|a|an|and|or|in|on|of|your|device|tracking|privacy|ad|ads|"
                       r"advertising)\s+)*(?:settings?|features?|tools?|options?|controls?)?"
                       r"(?:\s+(?:on|in|of|for))?|")


def renamed(c: Candidate, ctx: Context) -> bool:
    """A name replaced by another name ("Location History" -> "Timeline"), or a company's
    legal entity named ("Deliveroo Ireland Limited")."""
    if c.unit.kind != "modified" or not c.runs:
        return False
    for deleted, inserted in c.runs:
        if _FEATURE_WORDS.fullmatch(inserted.strip()) and _runs_are(
                Candidate(c.unit, runs=[(deleted, "")]), _NAME, r"\d+", case=True):
            continue  # "Limit Ad Tracking" -> "tracking settings": a named setting described
        if _sensitive_joins(deleted, inserted):
            return False  # "Identifiers" -> "Biometric Information": a data type, no new name
        names_only = _runs_are(Candidate(c.unit, runs=[(deleted, inserted)]), _NAME, r"\d+",
                               case=True)
        if not names_only or not re.search(r"\b[A-Z]", deleted + inserted):
            return False  # numbers alone are quantities, not names
        if not (deleted.strip(" ,.;()") and inserted.strip(" ,.;()")) and not _ENTITY_SUFFIX.search(
                deleted + " " + inserted) and inserted not in _grown_names(c.unit):
            return False  # a name added or dropped alone can be a recipient added or dropped
    return True


def _sensitive_joins(deleted: str, inserted: str) -> bool:
    """Sensitive data named in the inserted words and not in the deleted ones."""
    return bool(set(SENSITIVE_PATTERNS.find(inserted)) - set(SENSITIVE_PATTERNS.find(deleted)))


_CAPITALISED_WORDS = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*")


def _grown_names(unit: ChangeUnit) -> set[str]:
    """Capitalised words inserted against a name that stays ("Stripe" -> "Stripe Payments
    Europe", "User Logs" -> "User Audit Logs"): the same entity or product named in full.
    Words joined by "and" or a comma are another name ("Meta" -> "Meta, Google")."""
    if unit.kind != "modified" or not unit.old or not unit.new:
        return set()
    new = unit.new
    _, inserted_ranges, runs = changed_ranges(unit.old, new)
    grown, at = set(), 0
    for deleted, inserted in runs:
        if not inserted:
            continue
        start, end = inserted_ranges[at]
        at += 1
        if deleted or not _CAPITALISED_WORDS.fullmatch(inserted):
            continue
        left, right = new[:start].rstrip(), new[end:].lstrip()
        if (left and left == new[:start][:len(left)] and re.search(r"\b[A-Z][\w'’-]*$", left)
                and not left.endswith(",")) or re.match(r"[A-Z][\w'’-]*", right):
            grown.add(inserted)
    return grown


_POINTER = regex(
    r"^\W*(?:please\s+)?(?:also\s+)?(?:see|visit|click|read|refer to|review|consult|check|"
    r"learn more|"
    r"find out more|for (?:more|further|additional) (?:information|details)|more information|"
    r"to (?:see|view|learn|read|find|access) (?:more|prior|previous|the|our|about)|"
    r"you can (?:find|read|view|learn|see)|(?:previous|prior|older) (?:privacy )?"
    r"(?:policy|policies|notice|versions?)|notice:|this\b[^.]{0,80}\b(?:policy|notice|statement)"
    r"\b[^.]{0,40}\b(?:describes|explains|applies|sets out|is designed|covers|tells)|"
    r"(?:this|the) following|welcome\b|we(?:'?’?re| are) (?:changing|updating|making changes to|"
    r"revising)\b[^.]{0,60}\.?\s*$)|\b(?:encourage|invite|recommend|urge)s? you to (?:read|"
    r"review|visit|see|consult)\b|^\W*(?:the|this|these|under the)\s+(?:[A-Z]{2,6}|laws?|acts?|"
    r"regulations?)\b[^.]{0,40}\b(?:sets? forth|requires?|defines?|gives?|grants?)\b|"
    r"\bplease (?:also )?(?:refer to|see|visit|read) (?:our|the)\b|"
    r"\b(?:polic(?:y|ies)|notices?|statements?|terms)\b[^.]{0,80}\b(?:can|may) be (?:found|read|"
    r"viewed|consulted) (?:on|at|in|here|by)\b|"
    r"^\W*(?:you should|you may want to|you may wish to|we (?:recommend|suggest) (?:that )?you)\s+"
    r"(?:carefully )?(?:read|review|check|consult)\b[^.]{0,80}\b(?:polic(?:y|ies)|notices?|"
    r"statements?|terms)\b|"
    r"\b(?:describ\w+|explain\w*|tell\w* you|set\w* out|"
    r"providing you with)\b[^.]{0,40}\b(?:information about )?how we\b")
_POINTS_AT_END = regex(r"(?:please )?(?:see|visit|refer to|read|review|click)\b[^.;]{0,120}"
                       r"(?:policy|notice|statement|page|section|addendum|disclosure|here|"
                       r"below|above|faq|article|center|centre|website)\W*$")


_YOU_CAN_VIEW = regex(r"\b(?:you can|you may|please)\s+(?:view|find|read|see|review|access|learn)"
                     r"\b.{0,100}\b(?:here|policy|notice|statement|page|section|website|below|"
                     r"above)\b")


def points_elsewhere(c: Candidate, ctx: Context) -> bool:
    """A sentence or banner that only points to another page or section, or says what a
    document covers."""
    texts = [t for t in ((c.unit.new,) if c.unit.kind == "added" else
                         (c.unit.old,) if c.unit.kind == "removed" else (c.unit.old, c.unit.new))
             if t]
    no_practice = "verb" not in c.kinds()
    if "name" in c.kinds():
        return False  # "This notice describes how IMDb, IMDbPro and DPReview ...": scope grew
    return bool(texts) and all(
        len(t.split()) <= 45 and (_POINTER.search(t) or (
            _POINTS_AT_END.search(t) and _starts_with_pointer_clause(t)) or (
            no_practice and len(t.split()) <= 30 and _YOU_CAN_VIEW.search(t))) for t in texts)


_LEADING_ABOUT = regex(r"^\W*(?:for (?:more|further) (?:information|details)|to learn more|"
                       r"if you (?:have|want|would like)|more (?:information|details)|"
                       r"for (?:more|further|additional|details)\b[^.,;]{0,60}\b(?:about|on|"
                       r"regarding)\b|to (?:find out|learn|read) (?:more )?about\b)")


def _starts_with_pointer_clause(text: str) -> bool:
    return bool(_LEADING_ABOUT.search(text))


_VERSION_LINE = regex(
    r"^\W*(?:(?:last|date (?:last )?)?(?:updated|modified|revised|amended|published|posted|"
    r"reviewed)|effective(?: date| as "
    r"of| from)?|version|(?:privacy )?(?:policy|statement|notice) (?:update|version|date)|"
    r"we (?:have )?(?:updated|revised|amended) (?:our|this|the)\b[^.]{0,40}"
    r"(?:policy|notice|statement)|this (?:privacy )?(?:policy|notice|statement) was (?:last )?"
    r"(?:updated|revised|modified|published|posted|reviewed)|"
    r"we(?:'?’?ve| have)? (?:added|updated|clarified|revised|expanded|"
    r"removed|changed) (?:(?:more|additional|further|new|some) )?(?:information|details?|language|"
    r"a section|sections|the section|our explanation|an explanation|descriptions?|examples?|"
    r"clarifications?)\b)")


_EFFECTIVE_ON = regex(r"\b(?:(?:will be|is|are|becomes?|became|was) effective|(?:comes?|came|"
                      r"will come) into (?:effect|force)|takes? effect)\b")


# Where a setting sits in the menus: "Settings > Privacy > Ads", "Settings → Account".
_MENU_LABEL = (r"[\"“”'‘’]?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}(?: (?:and|&|of|for|your|my) "
               r"[\w'’-]+)?[\"“”'‘’]?")
_MENU_PATH = re.compile(rf"\b{_MENU_LABEL}(?:\s*[>›→»]\s*{_MENU_LABEL})+")


def settings_path(c: Candidate, ctx: Context) -> bool:
    """Only the menu path to a setting changed ("Settings > Privacy" -> "Settings and privacy
    > Privacy > Ads"): the choice is the same, it is found elsewhere on the screen."""
    unit = c.unit
    if unit.kind != "modified" or not re.search(r"[>›→»]", (unit.old or "") + (unit.new or "")):
        return False
    before, after = (_MENU_PATH.sub(" ", text or "") for text in (unit.old, unit.new))
    return _normal(before) == _normal(after)


# A cross-reference: "Section 4", "section 2.3", or a quoted Title Case heading ("How We Share
# Your Information"), where every word of four letters or more is capitalised, named as a
# section ("see", "section", "below" beside it): a quoted data category is no reference.
_TITLE_WORD = r"(?:[A-Z][\w'’&-]*|[a-z]{1,3}|[&,:-])"
_QUOTED_TITLE = re.compile(rf"[\"“‘']{_TITLE_WORD}(?: {_TITLE_WORD}){{0,12}}[\"”’']")
_SECTION_NUMBER = re.compile(r"\b[Ss]ection \d+(?:\.\d+)*\b|§\s*\d+(?:\.\d+)*")
_REFERRING = regex(r"\b(?:see|section|sections|chapter|heading|titled|entitled|below|above|"
                   r"part)\b")


def _without_references(text: str) -> str:
    def drop(found: re.Match[str]) -> str:
        around = text[max(0, found.start() - 25):found.start()] + text[found.end():found.end() + 25]
        return " " if _REFERRING.search(around) else found.group(0)

    return _SECTION_NUMBER.sub(" ", _QUOTED_TITLE.sub(drop, text))


def cross_reference(c: Candidate, ctx: Context) -> bool:
    """Only a reference to another section changed: its number or its quoted title ("See
    Section 4 ("How We Share Information")" -> "See Section 5 ("How We Share Your ...")")."""
    unit = c.unit
    if unit.kind != "modified":
        return False
    before, after = (_without_references(text or "") for text in (unit.old, unit.new))
    return _normal(before) == _normal(after) and _normal(unit.old or "") != _normal(unit.new or "")


def date_or_version(c: Candidate, ctx: Context) -> bool:
    if _same_without(c, _DATE):
        return True
    text = c.unit.new or c.unit.old or ""
    if c.unit.kind != "modified" and _EFFECTIVE_ON.search(text) and re.search(_DATE, text, re.I) \
            and "verb" not in c.kinds():
        return True  # "The Privacy Policy below will be effective for the EEA on April 30, 2024."
    return c.unit.kind != "modified" and bool(_VERSION_LINE.search(c.unit.new or c.unit.old or ""))


_CHROME = re.compile(r"^\W*(?:[A-Z0-9][A-Z0-9 &'-]{0,30}|(?i:close|copy\b.*|skip to .*|back to top|"
                     r"menu|share|print|cookie settings|see contributors))\W*$")
_FOOTER = regex(r"\b(?:copyright|all rights reserved|reproduction in whole or in part)\b|©")


def _menu(text: str) -> bool:
    """A run of menu labels: mostly capitalised words, "|" separators, no sentence."""
    words = text.split()
    if not 4 <= len(words) <= 60 or _SENTENCE_END.search(text):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised >= 0.8 * len(words)


def link_or_chrome(c: Candidate, ctx: Context) -> bool:
    if _same_without(c, _URL):
        return True
    text = c.unit.new or c.unit.old or ""
    if c.unit.kind != "modified" and _strip(_URL).search(text) and len(
            _strip(_URL).sub(" ", text).split()) <= 4:
        return True  # a navigation link: "Opens a new window or tab Employers overview"
    if c.unit.kind != "modified" and (
            (len(text.split()) <= 4 and _CHROME.match(text)) or _FOOTER.search(text)):
        return True
    if all(_menu(t) for t in (c.unit.old, c.unit.new) if t):
        return True
    return _navigation_line(c, text)


_SENTENCE_END = regex(r"[.!?;:]\W*$")


def _navigation_line(c: Candidate, text: str) -> bool:
    """A short verbless line under a heading that names no practice: a menu entry, not an item
    of a list of data or recipients (those sit under headings such as "Data we collect")."""
    if c.unit.kind == "modified" or not c.unit.section or len(text.split()) > 6:
        return False
    if _SENTENCE_END.search(text) or "verb" in c.kinds():
        return False
    heading = c.unit.section.split("›")[-1]
    return not any(kind not in MODAL_KINDS for kind, *_ in mentions(heading))


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@functools.lru_cache(maxsize=4)
def _normal_text(text: str) -> str:
    return " " + _normal(text) + " "


def duplicated(c: Candidate, ctx: Context) -> bool:
    """Text already present word for word in the other version (a duplicated or re-flowed
    list, a re-extracted paragraph); or, for an edit, a sentence the other version has too."""
    unit = c.unit
    if unit.kind == "added" and unit.new:
        return _contains(ctx.old_text, unit.new)
    if unit.kind == "removed" and unit.old:
        return _contains(ctx.new_text, unit.old)
    if unit.kind == "modified" and unit.old and unit.new:
        return _contains(ctx.old_text, unit.new) and _contains(ctx.new_text, unit.old)
    return False


def _contains(text: str, sentence: str) -> bool:
    words = _normal(sentence)
    if len(words) < 8:
        return False
    if len(text) < _INDEXED_FROM:
        return f" {words} " in _normal_text(text)
    return _word_index(text).has_run(words.split())


# A substring scan of a whole version per unit grows with units x length: on a 5 MB policy with
# 2,000 units it is most of the classifier's time. Past this length, a word index answers.
_INDEXED_FROM = 500_000


class _WordIndex:
    """A text's normal form (" a b c ") and where each of its words starts: `has_run` tells
    whether a run of words occurs in it, as `" a b c " in " x a b c y "` would. Offsets are
    kept in compact arrays: a 5 MB policy has 800,000 words."""

    def __init__(self, text: str) -> None:
        self.normal = _normal_text(text)
        self.at: dict[str, array.array[int]] = {}
        offset = 0  # of the space before the word
        for word in self.normal.split():
            found = self.at.get(word)
            if found is None:
                found = self.at[word] = array.array("q")
            found.append(offset)
            offset += len(word) + 1

    def has_run(self, run: list[str]) -> bool:
        # Try the run only where its rarest word stands.
        rarest = min(range(len(run)), key=lambda i: len(self.at.get(run[i], ())))
        before = sum(len(word) + 1 for word in run[:rarest])
        wanted = " " + " ".join(run) + " "
        return any(self.normal.startswith(wanted, start - before)
                   for start in self.at.get(run[rarest], ()) if start >= before)


@functools.lru_cache(maxsize=2)
def _word_index(text: str) -> _WordIndex:
    return _WordIndex(text)


_NUMBERED = regex(r"^\W*(?:\d+(?:\.\d+)*\.?|[ivx]+\.|[a-z]\))\s+\S")


_LIST_HEADING = regex(r"\b(?:collect|information we|data we|categories of|"
                      r"what (?:information|data)|shar|disclos|recipients|third part)")


def _label(text: str, section: str | None) -> bool:
    """A Title Case label ("Sharing of Personal Information.", "Contact Information") that is
    not an item of a list of collected or shared data."""
    words = [w for w in text.strip(" .:*#-").split() if any(ch.isalpha() for ch in w)]
    if not words or len(words) > 6 or any(len(w) >= 4 and not w[:1].isupper() for w in words):
        return False
    heading = (section or "").split("›")[-1]
    return not _LIST_HEADING.search(heading)


def toc_line(c: Candidate, ctx: Context) -> bool:
    texts = [t for t in (c.unit.old, c.unit.new) if t]
    if is_title(c.unit, ctx.titles):
        return True  # a heading of either version, or a heading reworded
    if c.unit.kind != "modified" and texts and all(_label(t, c.unit.section) for t in texts):
        return True
    return c.unit.kind != "modified" and all(
        _NUMBERED.search(t) and len(t.split()) <= 10 and not t.rstrip().endswith((".", ":"))
        for t in texts)


_SPELLING = [(r"our\b", "or"), (r"is(e|ed|es|ing|ation)\b", r"iz\1"), (r"ys(e|ed|es|ing)\b",
             r"yz\1"), (r"ll", "l"), (r"[-‐’'`\s]", ""), (r"re\b", "er"), (r"ogue\b", "og")]


def spelled(word: str) -> str:
    """A word with British/American and hyphenation differences taken out."""
    word = word.lower()
    for pattern, repl in _SPELLING:
        word = re.sub(pattern, repl, word)
    return word


_ACRONYM = re.compile(r"^\W*\(?([A-Z]{2,6})s?\)?\W*$")


def _acronym_of_words_before(inserted: str, old: str) -> bool:
    """"(SCCs)" added after "standard contractual clauses": the same words, abbreviated."""
    found = _ACRONYM.match(inserted)
    if not found:
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w-]*", old)).upper()
    return found.group(1) in initials


def spelling_variant(c: Candidate, ctx: Context) -> bool:
    if c.unit.kind != "modified" or not c.runs:
        return False
    for deleted, inserted in c.runs:
        a, b = spelled(deleted), spelled(inserted)
        if a == b or (not deleted.strip() and _acronym_of_words_before(inserted, c.unit.old or "")):
            continue
        one_word = len(deleted.split()) <= 1 and len(inserted.split()) <= 1
        if not (one_word and min(len(a), len(b)) >= 5 and
                difflib.SequenceMatcher(None, a, b).ratio() >= 0.85):
            return False
    return True


# Words that mean the same in a policy: a sentence that swaps one for another says the same.
_SAME = {"information": "data", "personal data": "data", "personal information": "data",
         "your information": "data", "your data": "data", "your personal data": "data",
         "your personal information": "data", "user information": "data",
         "disclose": "share", "disclosed": "share", "shared": "share", "shares": "share",
         "obtain": "collect", "obtained": "collect", "collected": "collect", "collects": "collect",
         "gather": "collect", "processing": "process", "processed": "process", "used": "use",
         "uses": "use", "using": "use", "retain": "keep", "retains": "keep", "retained": "keep",
         "keeps": "keep", "kept": "keep", "vendors": "service providers", "vendor":
         "service providers", "service provider": "service providers", "partner": "partners",
         "third party": "third parties", "third-party": "third parties",
         "third-parties": "third parties", "cookie": "cookies", "interest-based": "personalized",
         "personalised": "personalized", "personalized": "personalized",
         "tailored": "personalized", "behavioural": "personalized", "behavioral": "personalized",
         "e-mail address": "email address", "email addresses": "email address"}


def _meaning(text: str) -> tuple[frozenset[str], int]:
    """The practice words of a sentence, with synonyms merged, and its count of negations.
    Keeping words count as one kind ("keep" is a verb, "retain" a retention word), and
    "provide ... to you" gives to the user, it shares with no one."""
    found = [m for m in mentions(text) if not (m[0] == "verb" and _TO_YOU_AFTER.match(
        text[m[3]:]) and m[1].lower().startswith("provid"))]
    words = frozenset(
        f"{'verb' if kind == 'retention' else kind}:"
        f"{_SAME.get(' '.join(w.lower().split()), ' '.join(w.lower().split()))}"
        for kind, w, *_ in found if kind not in MODAL_KINDS or kind == "modal" and
        w.lower() in ("may", "might", "can", "only", "solely", "unless", "without", "could"))
    return words, sum(1 for kind, *_ in found if kind == "negation")


_TO_YOU_AFTER = regex(r"\s+you\b")


def _same_meaning(old: str, new: str) -> bool:
    before, after = _meaning(old), _meaning(new)
    if before[1] != after[1]:
        return False
    # Same practice words (the new one may drop or add a generic word such as "data").
    return {w for w in after[0] ^ before[0] if w not in ("data:data", "verb:use")} == set()


def reworded(c: Candidate, ctx: Context) -> bool:
    """Same practice words, same negations and modals as the aligned sentence: an edit of
    the sentence itself, or an added (removed) sentence against the most similar removed
    (added) one of the same diff."""
    unit = c.unit
    if "name" in c.kinds():
        return False  # a company or place joined the sentence
    if unit.kind == "modified" and unit.old and unit.new:
        return _same_meaning(unit.old, unit.new)
    text = unit.new if unit.kind == "added" else unit.old
    others = ctx.removed if unit.kind == "added" else ctx.added
    # aligned() reads the first 200 only: a list of them all would cost units x units.
    partner = aligned(text or "", [o.old or o.new or "" for o in others[:200]])
    if partner is None:
        return False
    old, new = (partner, text or "") if unit.kind == "added" else (text or "", partner)
    return _same_meaning(old, new)


@functools.lru_cache(maxsize=16384)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(_normal(text).split())


def aligned(text: str, others: list[str]) -> str | None:
    """The most similar of `others` (at least half the words in common), or None."""
    words = _word_set(text)
    best, score = None, 0.5
    for other in others[:200]:
        theirs = _word_set(other)
        if len(theirs) < score * len(words) or len(words) < score * len(theirs):
            continue  # too different in length to share half the words
        if not words or not theirs:
            continue
        overlap = len(words & theirs) / len(words | theirs)
        if overlap >= score:
            best, score = other, overlap
    return best


_CONSEQUENCE = regex(r"^\W*if you (?:\w+ ){0,2}(?:disable|refuse|block|decline|reject|delete|"
                     r"turn off|do not accept|don'?’?t accept)\b[^.]{0,80},[^.]{0,60}\b"
                     r"(?:may|might|will|could) not (?:work|function|be available|operate)")


def consequence(c: Candidate, ctx: Context) -> bool:
    """A sentence about what happens to the site if the user refuses something: no practice."""
    return c.unit.kind != "modified" and bool(_CONSEQUENCE.search(c.unit.new or c.unit.old or ""))


_STATISTICS = (r"\d[\d,.]*|\b(?:received|complied(?: with)?|denied|median|mean|average|"
               r"response time|requests? to (?:know|delete|correct|access|opt[- ]out|limit)|"
               r"days?|hours?|in whole or in part|\|)\b|\|")


_STATISTICS_ROW = regex(r"\b(?:received|complied|median|response time)\b.*\d|\d.*\|.*\d")


def request_statistics(c: Candidate, ctx: Context) -> bool:
    """Rows of a table of privacy requests received: counts and response times, no practice."""
    if not _STATISTICS_ROW.search((c.unit.old or "") + " " + (c.unit.new or "")):
        return False
    return _same_without(c, _STATISTICS) or (c.unit.kind == "modified" and all(
        _runs_are(Candidate(c.unit, runs=[run]), _STATISTICS) for run in c.runs) and bool(c.runs))


# An introductory phrase or "please" before the verb: a bare verb may open an item of a list
# of purposes ("* use your location to ..."), which is no instruction.
_IMPERATIVE = regex(r"^\W*(?:(?:[^,.]{0,60},\s*|please\s+)(?:please\s+)?(?:use|enter|type|include|"
                    r"select|click|choose|go to|tap|sign in|log in|make sure|remember to|"
                    r"do not enter)|(?:please\s+)?(?:contact|call|ask|check with|talk to) your)\b")
_COMPANY = regex(r"\b(?:we|us|our)\b")


def instruction(c: Candidate, ctx: Context) -> bool:
    """An instruction to the reader ("For your own transactions, use your EIN rather than a
    Social Security number"): the reader acts, the company states no practice."""
    text = c.unit.new or c.unit.old or ""
    return (c.unit.kind != "modified" and bool(_IMPERATIVE.search(text))
            and not _COMPANY.search(text))


# Terms about settling disputes: arbitration, class actions, juries, courts, governing law.
_DISPUTE_TERMS = regex(r"\b(?:arbitrat\w+|class action|class[- ]wide|collective action|jury|"
                       r"lawsuits?|small claims|governing law|venue|court of competent|"
                       r"waive\w* (?:the |any )?right to|dispute resolution|limitation of "
                       r"liability|indemnif\w+)\b")
_PERSONAL_DATA = regex(r"\b(?:information|data|details|records?|content|cookies?|personal)\b")


def dispute_terms(c: Candidate, ctx: Context) -> bool:
    """Terms of use on settling disputes (arbitration, class actions, juries) that name no
    personal data: "collective", "location" or "authority" there state no practice."""
    texts = [t for t in (c.unit.old, c.unit.new) if t]
    heading = (c.unit.section or "").split("›")[-1]
    about_disputes = bool(_DISPUTE_TERMS.search(heading))
    return bool(texts) and all((about_disputes or _DISPUTE_TERMS.search(t))
                               and not _PERSONAL_DATA.search(t) for t in texts)


# "We are not responsible for the privacy practices of linked sites": a disclaimer about other
# parties' sites, no practice of the company's.
_NOT_RESPONSIBLE = regex(r"\b(?:(?:are|is) not|aren'?’?t|isn'?’?t|cannot be|can'?’?t be|not be "
                         r"held|no) (?:responsible|liable|accountable|responsibility|liability)\b"
                         r"[^.]{0,120}\b(?:other|third[- ]part\w*|linked|external|those|these)\b")
# "Your privacy is important to us", "We take ... seriously": a commitment that states no
# practice.
_PLATITUDE = regex(r"\b(?:(?:your )?privacy (?:is|matters) (?:very )?important to us|we "
                   r"(?:respect|value|care about) your privacy|we take\b[^.]{0,60}\bseriously|"
                   r"(?:are|is) committed to (?:protecting|safeguarding|respecting) (?:your|the)"
                   r"|honou?r the trust)\b")
_PLATITUDE_KINDS = frozenset({"data", "security", "modal", "negation"})
# "No method of transmission or storage is 100% secure": a caveat every policy carries.
_NOTHING_SECURE = regex(r"\bno (?:method|system|security (?:measures?|system)|transmission|website|"
                        r"data transmission|online service|service)\b[^.]{0,80}\b(?:is|are|can be)"
                        r" (?:100 ?%|completely|perfectly|fully|entirely|absolutely|totally) "
                        r"(?:secure|safe)|\bcannot (?:guarantee|ensure|promise) (?:the )?"
                        r"(?:absolute |complete |total )?security\b")


def disclaimer_or_platitude(c: Candidate, ctx: Context) -> bool:
    """A disclaimer about other parties' sites, or a commitment to privacy that names no
    practice ("We take the protection of your data seriously")."""
    if c.unit.kind == "modified":
        return False
    text = c.unit.new or c.unit.old or ""
    if len(text.split()) > 45:
        return False
    if _NOTHING_SECURE.search(text) and len(text.split()) <= 30:
        return not c.kinds() & {"recipient", "purpose", "ai", "children", "transfer"}
    disclaimer = _NOT_RESPONSIBLE.search(text)
    if disclaimer:  # and no practice of ours after it ("... the data we sell to them")
        return not _COMPANY.search(text[disclaimer.end():])
    return bool(_PLATITUDE.search(text)) and c.kinds() <= _PLATITUDE_KINDS | {"verb"} and all(
        t.words.lower().startswith(("safeguard", "protect", "secur", "use", "process"))
        for t in c.touches if t.kind == "verb")


# Page widgets captured with the policy: share buttons ("Share this page: Facebook X Email"),
# a newsletter sign-up box ("Subscribe to our newsletter. Enter your email address ...").
_SHARE_ROW = regex(r"^\W*share\b")
_SHARE_WORDS = re.compile(r"(?i:\bshare(?: this)?(?: page| article| post| story)?\b|\b(?:on|via|"
                          r"to|with)\b|\bcopy(?: the)? link\b|\be-?mail\b|\bprint\b)|"
                          r"\b[A-Z][\w.+-]*\b|[\W_]+")
_SIGN_UP = regex(r"^\W*(?:(?:subscribe|sign up|join|get)\b[^.]{0,60}\b(?:newsletters?|updates|"
                 r"mailing list|our emails|alerts)\b|(?:enter|type|provide) your "
                 r"e-?mail(?: address)? (?:to|and|below|here)\b)")
_NEWSLETTER = regex(r"\b(?:subscribe|sign up|newsletters?|mailing list)\b")
# A blog's comment box or a support chat button: "Comments are closed.", "Chat with us".
_WIDGET_LINE = regex(r"^\W*(?:comments are (?:closed|disabled)|leave a (?:comment|reply)|\d+ "
                     r"comments?|(?:log|sign) in to (?:comment|reply)|(?:live )?chat with us|"
                     r"start a chat|live chat)\W*$")


def page_widget(c: Candidate, ctx: Context) -> bool:
    """Share buttons, a newsletter sign-up box, a comment box or a chat button of the page
    around the policy."""
    if c.unit.kind == "modified":
        return False
    text = c.unit.new or c.unit.old or ""
    if len(text.split()) > 20:
        return False
    if _SHARE_ROW.search(text) and not _SHARE_WORDS.sub("", text).strip():
        return True
    if _WIDGET_LINE.search(text):
        return True
    paragraph = _paragraph_of(ctx.new_text if c.unit.kind == "added" else ctx.old_text, text)
    if re.search(r"\b(?:we|us)\b", text, re.IGNORECASE) or "recipient" in c.kinds():
        return False  # "... and we will share your email address with partners": a practice
    return bool(_SIGN_UP.search(text)) and bool(_NEWSLETTER.search(paragraph or text))


# "A cookie is a small text file ...", "Persistent cookies remain after you close the browser":
# what a technology is, said of no one's practice.
_TECH_DEFINITION = regex(r"^\W*(?:(?:an?|the|these|such)\s+)?(?:(?:persistent|session|"
                         r"first[- ]party|http|flash|browser|small)\s+)?(?:cookies?|pixels?"
                         r"(?: tags?)?|web beacons?|clear gifs?|local storage|session storage|"
                         r"sdks?|software development kits?)\s+(?:is|are|remains?|expires?|lasts?|"
                         r"refers? to|means?|consists? of|contains?|(?:can|may) (?:be|also be|"
                         r"include|contain|remain))\b")


def defines_technology(c: Candidate, ctx: Context) -> bool:
    """A sentence that says what a cookie or a pixel is, naming no one who uses it on you."""
    if c.unit.kind == "modified":
        return False
    text = c.unit.new or c.unit.old or ""
    return (len(text.split()) <= 35 and bool(_TECH_DEFINITION.search(text))
            and not _COMPANY.search(text) and not c.kinds() & {"recipient", "purpose", "ai"})


_BUSINESS_DEAL = (r"\b(?:mergers?|acquisitions?|acquired|bankruptcy|insolvency|reorgani[sz]ation|"
                  r"restructuring|divestitures?|financing|due diligence|joint ventures?|sale of "
                  r"(?:\w+ ){0,3}(?:assets|business|company|stock|shares)|sold|sale|transactions?|"
                  r"corporate|change of control|as part of (?:that|the|such|this) (?:transaction|"
                  r"deal|process))\b")
_BUSINESS_CONTEXT = regex(r"\b(?:merger|acquisition|bankruptcy|reorgani[sz]ation|sale of "
                          r"(?:\w+ ){0,3}(?:assets|business|company))\b")


def business_deal_reworded(c: Candidate, ctx: Context) -> bool:
    """The list of business deals in which data passes to a buyer reworded ("merger or
    acquisition" -> "merger, acquisition or sale of assets"): the same transfer clause."""
    unit = c.unit
    if unit.kind != "modified" or not c.runs or not _BUSINESS_CONTEXT.search(unit.old or ""):
        return False
    return _runs_are(c, _BUSINESS_DEAL)


def words_lost(c: Candidate, ctx: Context) -> bool:
    """An edit that only lost words in extraction, leaving holes ("receive the of the device")."""
    return has_holes(c.unit)


# A consent banner's title: a question to accept or allow cookies, or "This site uses cookies".
_BANNER_TITLE = regex(r"^\W*(?:(?:accept|allow|enable|agree to)\b[^?]{0,80}\bcookies?\b[^?]{0,80}"
                      r"\?\W*$|(?:this|our) (?:web ?site|site|app|page|browser) uses cookies\b|"
                      r"we use cookies\W*$|(?:we )?value your privacy\W*$)")
# The banner's buttons, or its "By clicking Accept you agree": the reader's click, no practice.
_BANNER_LINE = regex(r"\bby (?:clicking|tapping|selecting|pressing)\b[^.]{0,80}\b(?:accept|agree|"
                     r"allow|consent)|^\W*(?:(?:accept|reject|allow|decline|refuse|deny)(?: all)?"
                     r"(?: cookies)?|manage (?:cookies|preferences|settings|options)|cookie "
                     r"settings|customi[sz]e|necessary only|only necessary)(?:\s*[|/·]\s*|\s*$)")


# A row of banner buttons closing the text: "Accept | Reject | Customise", "Allow all Deny".
_BUTTON = (r"(?:accept|reject|allow|deny|decline|refuse|customi[sz]e|manage (?:cookies|options|"
           r"preferences|settings)|cookie settings|got it|ok(?:ay)?|i agree|agree|dismiss)"
           r"(?: all| cookies)?")
_BUTTON_ROW = regex(rf"\b{_BUTTON}(?:\s*[|/·]?\s*{_BUTTON}\b)+\W*$")


def cookie_banner(c: Candidate, ctx: Context) -> bool:
    """A cookie-consent banner captured with the page (or dropped from it): its title asks to
    accept cookies, its lines are buttons. The policy's own cookie section is no banner."""
    if c.unit.kind == "modified":
        return False
    text = c.unit.new or c.unit.old or ""
    heading = (c.unit.section or "").split("›")[-1]
    if _BANNER_TITLE.search(heading) or _BANNER_TITLE.search(text):
        return len(text.split()) <= 60
    paragraph = _paragraph_of(ctx.new_text if c.unit.kind == "added" else ctx.old_text, text)
    banner = _BANNER_LINE.search(text) or _BUTTON_ROW.search(text) or (
        len(paragraph.split()) <= 80 and _BUTTON_ROW.search(paragraph))
    return len(text.split()) <= 40 and bool(banner) and "cookie" in (text + " " + heading).lower()


def _paragraph_of(whole: str, sentence: str) -> str:
    """The line of `whole` that holds `sentence` ("" when none)."""
    at = whole.find(sentence[:80]) if sentence else -1
    if at < 0:
        return ""
    return whole[whole.rfind("\n", 0, at) + 1:(whole.find("\n", at) + 1 or len(whole) + 1) - 1]


# Example markers: "like", "such as", "including" introduce the same list.
_EXAMPLE = regex(r"\b(?:such as|like|including|for example|for instance|e\.g\.?|incl\.?)(?=\W)")
# One thing, several names (not a lexicon entry: those group distinct items, such as e-mail
# addresses and phone numbers under "contact details").
_ONE_THING = ((regex(r"\b(?:date of birth|birth ?dates?|birthdays?|dob)\b"), "birthdate"),
              (regex(r"\be-?mail(?: address(?:es)?)?\b"), "email"),
              (regex(r"\b(?:(?:tele)?phone|mobile)(?: numbers?)?\b"), "phone"),
              (regex(r"\b(?:ip address(?:es)?|internet protocol (?:\(ip\) )?address(?:es)?)\b"),
               "ip"),
              (regex(r"\b(?:advertisements?|ads?)\b"), "ad"),
              (regex(r"\b(?:directed (?:to|at)|intended for|aimed at|designed for)\b"), "for"),
              (regex(r"\bsimilar (?:tracking )?technologies\b"), "similar tech"),
              (regex(r"\b(?:web ?sites?|sites?)\b"), "site"),
              (regex(r"\b(?:with your (?:prior )?(?:consent|permission|agreement)|if you (?:agree|"
                     r"consent|allow (?:it|us|this)|give us (?:your )?(?:permission|consent)|"
                     r"have given (?:us )?(?:your )?(?:consent|permission)))\b"), "if you consent"),
              (regex(r"\b(?:refuse|block|reject|decline)\b"), "refuse"),
              (regex(r"\b(?:set|configure|adjust)\b"), "set"),
              (regex(r"\b(?:mobile )?(?:applications?|apps?)\b"), "app"),
              (regex(r"\b(?:under|below) (?:the age of )?(\d+)(?: years(?: of age| old)?)?"),
               r"under \1"))


@functools.lru_cache(maxsize=4096)
def _named_alike(text: str) -> str:
    """A sentence with the names of one thing merged, example markers merged and plurals
    dropped: two sentences that read alike say the same."""
    text = _EXAMPLE.sub(" eg ", text)
    for pattern, name in _ONE_THING:
        text = pattern.sub(f" {name} ", text)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w
                    for w in re.findall(r"\w+", text.lower()))


def named_otherwise(c: Candidate, ctx: Context) -> bool:
    """One thing named otherwise ("birthday" -> "date of birth", "your email" -> "your email
    address", "ads" -> "ad"), or "like" -> "such as": the same data, the same list."""
    unit = c.unit
    if unit.kind != "modified" or not unit.old or not unit.new:
        return False
    if _named_alike(unit.old) == _named_alike(unit.new):
        return True
    return _clauses_reordered(unit.old, unit.new)


_CLAUSE_BREAK = re.compile(r"\s*[,;]\s*")
_ORDER_MATTERS = regex(r"\b(?:not|no|never|only|unless|except|without|but|then|before|after)\b|"
                       r"n'?’?t\b")


def _clauses_reordered(old: str, new: str) -> bool:
    """The same clauses in another order ("We collect your location, if you allow it." -> "If
    you give us permission, we collect your location."); not where a denial or a limit could
    attach to another clause."""
    if _ORDER_MATTERS.search(old) or _ORDER_MATTERS.search(new):
        return False
    parts = [sorted(_named_alike(p) for p in _CLAUSE_BREAK.split(text.strip(" .")) if p.strip())
             for text in (old, new)]
    return len(parts[0]) > 1 and parts[0] == parts[1]


_WRONGDOERS = (r"(?:identity |cyber ?|data )?(?:thieves|thief|criminals?|fraudsters?|scammers?|"
               r"hackers?|attackers?|imp[oe]sters?|impostors?|spammers?|phishers?|crooks|"
               r"con artists|bad actors|malicious (?:actors|parties|people|individuals|users))")
# The sentence's subject is a wrongdoer ("Thieves steal ...", "Some scammers may ..."), or
# "they" right after a sentence whose subject was one.
_WRONGDOER_SUBJECT = regex(rf"^\W*(?:[^,.]{{0,40}},\s*)?(?:some |many |the |these |such |other )?"
                           rf"{_WRONGDOERS}\b")
_THEY = regex(r"^\W*(?:they|these (?:people|individuals|groups))\b")
_FIRST_PERSON_SUBJECT = regex(r"\bwe\b")


def wrongdoers_act(c: Candidate, ctx: Context) -> bool:
    """What thieves, scammers or hackers do ("Thieves steal personal information. They use it
    to get prescriptions"): a warning about someone else's acts, not the company's practice."""
    if c.unit.kind == "modified":
        return False
    text = c.unit.new or c.unit.old or ""
    if _FIRST_PERSON_SUBJECT.search(text) or len(text.split()) > 45:
        return False
    if _WRONGDOER_SUBJECT.search(text):
        return True
    whole = ctx.new_text if c.unit.kind == "added" else ctx.old_text
    return bool(_THEY.search(text)) and bool(_WRONGDOER_SUBJECT.search(_sentence_before(whole,
                                                                                        text)))


def _sentence_before(whole: str, sentence: str) -> str:
    """The sentence that stands right before `sentence` in `whole` ("" when none)."""
    at = whole.find(sentence[:60])
    if at <= 0:
        return ""
    pieces = re.split(r"(?<=[.!?])\s+|\n+", whole[max(0, at - 400):at].strip())
    return pieces[-1] if pieces else ""


# Choice words that ask the same of the company.
_SAME_CHOICE = {"opt-in": "consent", "opt in": "consent", "permission": "consent",
                "consents": "consent", "agreement": "consent"}
_LIMITS = frozenset({"only", "solely", "exclusively", "unless", "except", "without"})
_COMPARED_EQUAL = ("quantity", "retention", "children", "ai", "transfer")


@functools.lru_cache(maxsize=8192)
def _practice_words(text: str) -> dict[str, frozenset[str]]:
    """The practice words of a sentence by kind, synonyms merged; "negated" holds "yes" when a
    denial stands right before a practice verb or choice ("we do not sell", not "cookies that
    are not necessary")."""
    found: dict[str, set[str]] = {}
    previous: tuple[str, int] | None = None
    for kind, words, start, end in mentions(text):
        word = " ".join(words.lower().split())
        word = _SAME_CHOICE.get(word, _SAME.get(word, word)) if kind != "modal" else word
        if kind == "modal" and word not in _LIMITS:
            continue
        found.setdefault(kind, set()).add(spelled(word))
        if kind in ("verb", "choice") and previous and previous[0] == "negation" and len(
                text[previous[1]:start].split()) <= 3:
            found["negated"] = {"yes"}
        previous = (kind, end)
    found.pop("negation", None)
    return {kind: frozenset(words) for kind, words in found.items()}


def _covers(have: dict[str, frozenset[str]], wanted: dict[str, frozenset[str]]) -> bool:
    """`have` states all that `wanted` does, as broadly: its words of every kind (purposes
    aside: one purpose in common, or none named on one side), no limit of its own, the same
    quantities and the same denial."""
    for kind, words in wanted.items():
        if kind not in ("purpose", "modal") and not words <= have.get(kind, frozenset()):
            return False
    purposes = have.get("purpose", frozenset()), wanted.get("purpose", frozenset())
    if all(purposes) and not purposes[0] & purposes[1]:
        return False  # for another purpose: "for analytics" does not say "for advertising"
    if not have.get("modal", frozenset()) <= wanted.get("modal", frozenset()):
        return False
    return all(have.get(kind) == wanted.get(kind) for kind in (*_COMPARED_EQUAL, "negated"))


def covering_near(unit: ChangeUnit, ctx: Context, least: int = 2) -> list[str]:
    """Sentences of the other version, near the place of an added or removed sentence, that
    state all it states as broadly (nearby.py); none for a sentence naming fewer than `least`
    specific practice words (too little to be recognised again)."""
    removed = unit.kind == "removed"
    text = (unit.old if removed else unit.new) or ""
    wanted = _practice_words(text)
    if unit.kind == "modified" or not (wanted.get("verb") or wanted.get("choice")):
        return []  # no practice stated, nothing to find again
    if _specific_words(text) < least:
        return []
    source, target = (ctx.old_text, ctx.new_text) if removed else (ctx.new_text, ctx.old_text)
    return [other for other in near_sentences(source, target, text)
            if _covers(_practice_words(other), wanted)]


def _specific_words(text: str) -> int:
    return sum(1 for kind, words in _practice_words(text).items() if kind not in (
        "modal", "negated") for word in words if not is_generic(word))


def said_nearby(c: Candidate, ctx: Context) -> bool:
    """A removed sentence whose practice the new version still states, as broadly, within a
    few paragraphs of where it stood (an added one the old version stated there): the same
    promise kept nearby, or a sentence folded into its neighbour. The rules judged nothing
    here, so the sentence must name more to be recognised (three specific practice words)."""
    if "name" in c.kinds():
        return False
    if covering_near(c.unit, ctx, least=3):
        return True
    # Merged into (or split from) a sentence this diff edited: "We share data with X. We also
    # share data with Y." -> "We share data with X and Y." needs no more words to be recognised.
    edited = {(u.new if c.unit.kind == "removed" else u.old) or "" for u in ctx.modified}
    return any(sentence in edited for sentence in covering_near(c.unit, ctx, least=1))


# Month names of the languages policies are most often published in besides English (French,
# German, Spanish, Italian, Portuguese, Dutch, Swedish, Danish, Norwegian, Polish).
_FOREIGN_MONTH = (r"\b(?:janv(?:ier)?|févr(?:ier)?|fevrier|mars|avr(?:il)?|mai|juin|juil(?:let)?|"
                  r"ao[uû]t|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|januar|"
                  r"februar|märz|maerz|april|juni|juli|august|september|oktober|dezember|enero|"
                  r"febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
                  r"diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|"
                  r"dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|"
                  r"dezembro|januari|februari|maart|mei|augustus|juni|januari|mars|maj|augusti|"
                  r"styczeń|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|"
                  r"października|listopada|grudnia)\.?(?!\w)")
_FOREIGN_DATE = (rf"\b\d{{1,2}}\.?\s*{_FOREIGN_MONTH}\s*\d{{4}}\b|\b{_FOREIGN_MONTH}\s+\d{{4}}\b|"
                 r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b(?:19|20)\d{2}\b|"
                 rf"\b\d{{4}}年\d{{1,2}}月\d{{1,2}}日")


def form_in_any_language(c: Candidate, ctx: Context) -> bool:
    """An edit in another language in which only dates, links or contact details changed:
    what is left reads the same word for word, whatever the language."""
    unit = c.unit
    if unit.kind != "modified" or not unit.old or not unit.new:
        return False
    pattern = _strip(_FOREIGN_DATE, _EMAIL, _PHONE, _URL)
    before, after = (pattern.sub(" ", text) for text in (unit.old, unit.new))
    if _normal(before) == _normal(after):
        return True
    runs = changed_ranges(unit.old, unit.new)[2]
    return bool(runs) and all(_day_of_a_date(deleted, ctx.old_text) and _day_of_a_date(
        inserted, ctx.new_text) for deleted, inserted in runs)


def _day_of_a_date(number: str, whole: str) -> bool:
    """"14." cut from "14. Juni 2024" by the sentence splitter: a day, if the text holds that
    number followed by a month."""
    number = number.strip(" .")
    return number.isdigit() and len(number) <= 2 and bool(re.search(
        rf"\b{number}\.?\s*{_FOREIGN_MONTH}", whole, re.IGNORECASE))


Suppressor = Callable[[Candidate, Context], bool]
SUPPRESSORS: dict[str, Suppressor] = {
    "contact details": contact_details,
    "renamed": renamed,
    "points to another page": points_elsewhere,
    "date or version line": date_or_version,
    "path to a setting": settings_path,
    "reference to another section": cross_reference,
    "link target or page chrome": link_or_chrome,
    "duplicated or re-flowed text": duplicated,
    "table-of-contents line": toc_line,
    "words lost in extraction": words_lost,
    "instruction to the reader": instruction,
    "terms on settling disputes": dispute_terms,
    "business deals reworded": business_deal_reworded,
    "disclaimer or commitment, no practice": disclaimer_or_platitude,
    "what a technology is, no practice": defines_technology,
    "request statistics": request_statistics,
    "consequence of a choice, no practice": consequence,
    "spelling variant": spelling_variant,
    "same data named otherwise": named_otherwise,
    "cookie banner": cookie_banner,
    "page widget (share, sign-up, comments, chat)": page_widget,
    "what wrongdoers do, no practice": wrongdoers_act,
    "same-meaning rewording": reworded,
    "said nearby in the other version": said_nearby,
}


def suppressor(c: Candidate, ctx: Context) -> str | None:
    """The name of the first suppressor that explains the candidate, else None."""
    return next((name for name, applies in SUPPRESSORS.items() if applies(c, ctx)), None)


__all__ = ["SUPPRESSORS", "Context", "aligned", "changed_ranges", "suppressor"]
