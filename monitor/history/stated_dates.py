"""The date a policy states about itself ("Last updated", "Effective date", "Stand", "Dernière
mise à jour", "Última actualización", "Ultimo aggiornamento"...), and whether a change kept it
honest.

A small hand parser, not dateparser: the labels have to be recognised here anyway, the dates
after them come in a handful of forms, and the parser is about a hundred times faster with no
import or first-call cost (dateparser 1.5: ~1 ms a date warm, 30-110 ms for the first date of
each language, and it reads 05.01.2024 as 1 May without a language hint; `python
bench/dates.py --compare` measures both).

For each change, one of:
- silent: the text changed materially, the stated date did not;
- date_only: the stated date changed and nothing else did (a change of form: never alerts);
- backdated: the new stated date is earlier than the old one;
- consistent: both moved, or the policy states no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from policywatch.storage.changes import (
    changes_without_date_honesty,
    list_changes,
    set_date_honesty,
)
from policywatch.storage.db import write_lock
from policywatch.storage.versions import timeline

if TYPE_CHECKING:
    import sqlite_utils

    from policywatch.storage.changes import ChangeListing

HonestyKind = Literal["silent", "date_only", "backdated", "consistent"]
HONESTY_KINDS: tuple[HonestyKind, ...] = ("silent", "date_only", "backdated", "consistent")

# Labels by kind and language, longest first so that "last updated on" wins over "updated".
_LABELS: dict[str, dict[str, list[str]]] = {
    "updated": {
        "en": [r"last\s+(?:updated|update|revised|revision|modified|modification|amended|changed)",
               r"date\s+of\s+(?:the\s+)?last\s+(?:revision|update|modification)",
               r"updated\s+on", r"updated", r"revised\s+on", r"revised", r"modified\s+on",
               r"version\s+date", r"date\s+(?:last\s+)?(?:modified|updated|revised)",
               r"last\s+published(?:\s+on)?", r"published\s+on"],
        "fr": [r"derni[èe]re\s+mise\s+[àa]\s+jour", r"derni[èe]re\s+modification",
               r"derni[èe]re\s+r[ée]vision", r"mise?\s+[àa]\s+jour\s+(?:le|du)",
               r"mis\s+[àa]\s+jour", r"modifi[ée]e?\s+le", r"r[ée]vis[ée]e?\s+le",
               r"version\s+du", r"publi[ée]e?\s+le"],
        "de": [r"zuletzt\s+(?:aktualisiert|ge[äa]ndert|[üu]berarbeitet)",
               r"letzte\s+(?:aktualisierung|[äa]nderung|[üu]berarbeitung)",
               r"aktualisiert\s+am", r"ge[äa]ndert\s+am", r"stand(?=\s*:|\s+(?:vom\s+)?\d)",
               r"version\s+vom", r"ver[öo]ffentlicht\s+am"],
        "es": [r"[úu]ltima\s+(?:actualizaci[óo]n|modificaci[óo]n|revisi[óo]n)",
               r"fecha\s+de\s+(?:la\s+)?(?:[úu]ltima\s+)?(?:actualizaci[óo]n|modificaci[óo]n)",
               r"actualizad[oa]\s+(?:el|a|en)", r"modificad[oa]\s+el", r"revisad[oa]\s+el",
               r"publicad[oa]\s+el"],
        "it": [r"ultim[oa]\s+(?:aggiornamento|modifica|revisione)",
               r"data\s+(?:dell'|di\s+|del\s+)?(?:ultimo\s+)?aggiornamento",
               r"aggiornat[oa]\s+(?:il|al)", r"modificat[oa]\s+il", r"revisionat[oa]\s+il",
               r"pubblicat[oa]\s+il"],
    },
    "effective": {
        "en": [r"effective\s+(?:date|as\s+of|from|on|since)", r"effective"],
        "fr": [r"date\s+d['’]entr[ée]e\s+en\s+vigueur", r"entr[ée]e\s+en\s+vigueur(?:\s+le)?",
               r"en\s+vigueur\s+(?:depuis\s+le|[àa]\s+compter\s+du|[àa]\s+partir\s+du|au|le|du)",
               r"date\s+de\s+prise\s+d['’]effet"],
        "de": [r"g[üu]ltig\s+(?:ab|seit|vom)", r"wirksam\s+(?:ab|seit)",
               r"in\s+kraft\s+(?:seit|ab)",
               r"datum\s+des\s+inkrafttretens", r"inkrafttreten"],
        "es": [r"fecha\s+de\s+(?:entrada\s+en\s+vigor|vigencia|efectividad)",
               r"entrada\s+en\s+vigor",
               r"(?:vigente|en\s+vigor|efectiv[oa])\s+(?:desde|a\s+partir\s+del?)"],
        "it": [r"data\s+di\s+(?:entrata\s+in\s+vigore|efficacia|decorrenza)",
               r"entrata\s+in\s+vigore",
               r"(?:in\s+vigore|efficace|valid[oa])\s+(?:dal|a\s+partire\s+dal)"],
    },
}


@cache
def _label_pattern() -> re.Pattern[str]:
    """All labels in one pattern, compiled on first use (it costs a few milliseconds, which
    the start-up of a command that never reads a date should not pay)."""
    return re.compile(
        r"(?<![^\W_])(?:" + "|".join(
            f"(?P<{kind}_{lang}_{n}>{pattern})" for kind, langs in _LABELS.items()
            for lang, patterns in langs.items() for n, pattern in enumerate(patterns))
        + r")(?![^\W_])", re.IGNORECASE)


_YEAR_ANYWHERE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_LOOKBACK = 120  # characters before a year searched for its label
_GAP_MAX = 30  # characters between a label and its date: ": ", " on Monday, ", "** le "

_MONTH_NAMES = {
    1: "january jan janvier janv gennaio genn gen enero ene januar jänner jän",
    2: "february feb février fevrier févr fevr febbraio febr febrero februar",
    3: "march mar mars marzo märz maerz mär",
    4: "april apr avril avr aprile abril abr",
    5: "may mai maggio mag mayo",
    6: "june jun juin giugno giu junio juni",
    7: "july jul juillet juil luglio lug julio juli",
    8: "august aug août aout agosto ago",
    9: "september sept sep septembre settembre sett set septiembre setiembre",
    10: "october oct octobre ottobre ott octubre oktober okt",
    11: "november nov novembre noviembre",
    12: "december dec décembre decembre déc dicembre dic diciembre dezember dez",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = r"(?<![^\W_])(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?<!\d)(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"


@cache
def _date_forms() -> tuple[re.Pattern[str], ...]:
    """The date forms, compiled on first use: month day year, day month year (with "of",
    "de", "1er", "5."), year-month-day, numeric day and month either way, month year."""
    return (
        re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),
        re.compile(rf"{_DAY}\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?{_YEAR}",
                   re.IGNORECASE),
        re.compile(r"(?P<year>(?:19|20)\d\d)([-/.])(?P<month>[01]?\d)\2(?P<day>[0-3]?\d)"
                   r"(?!\d)"),
        re.compile(r"(?<!\d)(?P<a>[0-3]?\d)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)"
                   r"(?P<year>(?:19|20)\d\d)(?!\d)"),
        re.compile(rf"{_MONTH}(?:,?\s+|-)(?:de\s+|del\s+)?{_YEAR}", re.IGNORECASE),
    )


@dataclass(frozen=True)
class StatedDate:
    """A date a policy states about itself, the label it stands by, and the text around it."""

    day: date
    precision: Literal["day", "month"]
    label: str  # as written, e.g. "Last Updated", "Dernière mise à jour"
    kind: Literal["updated", "effective"]
    context: str  # the line it is on
    written: str = ""  # the date as written
    language: str = "en"  # of the label: en, fr, de, es, it

    def iso(self) -> str:
        return self.day.isoformat() if self.precision == "day" else self.day.isoformat()[:7]


def stated_dates(text: str, day_first: bool | None = None) -> list[StatedDate]:
    """Every labelled date of the text, in reading order. Every date has a four-digit year:
    only the text just before each year is searched for a label, which keeps this fast.
    `day_first` decides numeric dates such as 09/05/2021 (None: what the text's own numeric
    dates show, else by the label's language)."""
    if day_first is None:
        day_first = numeric_order(text)
    found: dict[int, StatedDate] = {}
    for year in _YEAR_ANYWHERE.finditer(text):
        line_start = text.rfind("\n", 0, year.start()) + 1
        low = max(line_start, year.start() - _LOOKBACK)
        for label in _label_pattern().finditer(text, low, year.start()):
            if label.start() not in found:
                stated = _stated_at(text, label, line_start, day_first)
                if stated is not None:
                    found[label.start()] = stated
    return [found[k] for k in sorted(found)]


def _stated_at(text: str, label: re.Match[str], line_start: int,
               day_first: bool | None) -> StatedDate | None:
    """The date after this label, if one follows it closely."""
    window = text[label.end():label.end() + _GAP_MAX + 40].split("\n", 1)[0]
    written = " ".join(label.group().split())
    name = next(k for k, v in label.groupdict().items() if v)
    kind_name, lang, _ = name.split("_")
    english = lang == "en" if day_first is None else not day_first
    parsed = parse_date(window, english=english)
    if parsed is None:
        return None
    line_end = text.find("\n", label.end())
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if written.lower() in _BARE_LABELS and not _short_sentence(line, label.start() - line_start):
        return None  # "Effective January 1, 2020, the CCPA allows...": a date, not the policy's
    kind: Literal["updated", "effective"] = (
        "effective" if kind_name == "effective" else "updated")
    return StatedDate(parsed.day, parsed.precision, written, kind, line.strip()[:200],
                      parsed.written, lang)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"'*_(\[#]*[A-Z\u00c0-\u00de])|\s[|\u2022\u00b7]\s")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)|https?://\S+")
_BARE_LABELS = frozenset({"updated", "revised", "effective"})
_BARE_SENTENCE_WORDS = 12


def _short_sentence(line: str, at: int) -> bool:
    """Whether the sentence (or `|`-separated part) of `line` around position `at`, without
    its dates and link targets, is short: a bare "Effective"/"Updated" states the policy's date
    only in a date line or a short announcement."""
    start = 0
    for brk in _SENTENCE_BREAK.finditer(line):
        if brk.start() > at:
            return len(_dateless_words(line[start:brk.start()])) <= _BARE_SENTENCE_WORDS
        start = brk.end()
    return len(_dateless_words(line[start:])) <= _BARE_SENTENCE_WORDS


def _dateless_words(text: str) -> list[str]:
    text = _LINK_TARGET.sub(" ", text)
    for form in _date_forms():
        text = form.sub(" ", text)
    return re.findall(r"[^\W\d_]+", text)


_NUMERIC_DATE = re.compile(r"(?<!\d)([0-3]?\d)[-/.]([0-3]?\d)[-/.](?:19|20)\d\d(?!\d)")


def numeric_order(text: str) -> bool | None:
    """True when the text writes numeric dates day first (some has a first number above 12),
    False when month first, None when it does not show."""
    for match in _NUMERIC_DATE.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


def stated_date(text: str, day_first: bool | None = None) -> StatedDate | None:
    """The date the policy states about itself: the latest of its labelled dates (a policy
    listing its past revisions states the newest as its own), None when it states none."""
    dates = stated_dates(text, day_first)
    return max(dates, key=lambda d: d.day) if dates else None


class ParsedDate(NamedTuple):
    day: date
    precision: Literal["day", "month"]
    written: str


def parse_date(window: str, *, english: bool = True, within: int = _GAP_MAX
               ) -> ParsedDate | None:
    """The first date starting within `within` characters of the window's start. Numeric
    dates are day first unless the label is English (then month first), or the numbers say."""
    best: tuple[int, ParsedDate] | None = None
    for form in _date_forms():
        for match in form.finditer(window, 0, len(window)):
            if match.start() > within:
                break
            parsed = _to_date(match, english)
            if parsed is not None and (best is None or match.start() < best[0]):
                best = (match.start(), ParsedDate(*parsed, match.group()))
            if parsed is not None:
                break
    return best[1] if best else None


def _to_date(match: re.Match[str], english: bool) -> tuple[date, Literal["day", "month"]] | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        month_first = b > 12 or (a <= 12 and english and groups["sep"] != ".")
        month, day = (a, b) if month_first else (b, a)
    else:
        raw = groups["month"].lower().rstrip(".")
        month = int(raw) if raw.isdigit() else MONTHS[raw]
        day = int(groups["day"]) if groups.get("day") else 0
    try:
        return (date(year, month, day), "day") if day else (date(year, month, 1), "month")
    except ValueError:
        return None


# --- honesty of a change ----------------------------------------------------------------------

@dataclass(frozen=True)
class DateHonesty:
    kind: HonestyKind
    old: StatedDate | None
    new: StatedDate | None

    @property
    def label(self) -> str | None:
        stated = self.new or self.old
        return stated.label if stated else None


def date_honesty(old_text: str, new_text: str, material: bool,
                 units: Iterable[tuple[str | None, str | None]]) -> DateHonesty:
    """What the change did to the stated date. `material` is the classifier's verdict and
    `units` the (old, new) texts of the differ's change units."""
    # A UK policy's 09/05/2021 is 9 May: when one version shows its numeric order, both use it.
    order = numeric_order(old_text)
    order = numeric_order(new_text) if order is None else order
    old, new = stated_date(old_text, order), stated_date(new_text, order)
    moved = (old.iso() if old else None) != (new.iso() if new else None)
    kind: HonestyKind = "consistent"
    if old is not None and new is not None and new.day < old.day:
        kind = "backdated"
    elif moved and all(_about_dates(a, b) for a, b in units):
        kind = "date_only"
    elif material and not moved and old is not None:
        kind = "silent"
    return DateHonesty(kind, old, new)


def _about_dates(old: str | None, new: str | None) -> bool:
    """A change unit that changes only dates, or adds or removes a date line."""
    if old is None or new is None:
        return bool(stated_dates(old or new or ""))
    return _undated(old) == _undated(new)


_NOT_WORD = re.compile(r"\W+")


def _undated(text: str) -> str:
    for form in _date_forms():
        text = form.sub(" ", text)
    return _NOT_WORD.sub("", text).lower()


def stored_fields(honesty: DateHonesty) -> dict[str, str | None]:
    """The change row's columns for this verdict (storage.changes.NewChange's fields)."""
    return {"date_honesty": honesty.kind,
            "old_stated_date": honesty.old.iso() if honesty.old else None,
            "new_stated_date": honesty.new.iso() if honesty.new else None,
            "stated_date_label": honesty.label}


def fill_date_honesty(db: sqlite_utils.Database, policies: Sequence[str] = ()) -> int:
    """Work out and store the verdict of changes recorded without one (before this existed);
    returns how many. The classifier's stored material verdict is used, as when recorded."""

    missing = changes_without_date_honesty(db, policies)
    verdicts = [(row.id, date_honesty(row.old_text, row.new_text, row.material, row.units))
                for row in missing]
    if verdicts:
        with write_lock(db), db.atomic():
            for change_id, honesty in verdicts:
                fields = stored_fields(honesty)
                set_date_honesty(db, change_id, honesty.kind, fields["old_stated_date"],
                                 fields["new_stated_date"], fields["stated_date_label"])
    return len(verdicts)


@dataclass(frozen=True)
class DatedChange:
    """A recorded change and `date_note`, the line about its stated date to show a reader (None
    when there is nothing to say)."""

    change: ChangeListing
    date_note: str | None


def dated_changes(db: sqlite_utils.Database, policies: Sequence[str] = (), *,
                  since: str | None = None, min_rank: int = 0) -> list[DatedChange]:
    """storage.changes.list_changes rows, each with its stated-date verdict filled in first
    (`date_honesty`, `old_stated_date`, `new_stated_date`, `stated_date_label`) and its
    `date_note`. For `changes` and the report."""

    fill_date_honesty(db, policies)
    return [DatedChange(change=row, date_note=honesty_note(
                row.date_honesty, row.stated_date_label, row.old_stated_date,
                row.new_stated_date))
            for row in list_changes(db, policies, since=since, min_rank=min_rank)]


def version_stated_dates(db: sqlite_utils.Database, policy: str
                         ) -> list[tuple[int, StatedDate | None]]:
    """(version number, the date it states about itself) for each version, oldest first."""

    versions = timeline(db, policy)
    order = next((o for o in (numeric_order(v.text) for v in versions) if o is not None), None)
    return [(v.number, stated_date(v.text, order)) for v in versions]


def honesty_note(kind: str | None, label: str | None, old: str | None,
                 new: str | None) -> str | None:
    """One line for a reader about the stated date (alerts, `changes`, the report), or None
    when there is nothing to say."""
    name = f"'{label}'" if label else "stated"
    if kind == "silent":
        return f"the {name} date was not changed (still {old})"
    if kind == "backdated":
        return f"the {name} date moved back, from {old} to {new}"
    if kind == "date_only":
        return f"only the {name} date changed ({old or 'none'} → {new or 'none'})"
    return None


def counts(kinds: Iterable[str | None]) -> dict[str, int]:
    """How many changes of each kind; `unknown` for changes not yet worked out."""
    out: dict[str, int] = dict.fromkeys(HONESTY_KINDS, 0)
    for kind in kinds:
        key = kind if kind in out else "unknown"
        out[key] = out.get(key, 0) + 1
    return out
