"""`policywatch classify`: label text segments with data-practice categories.

Needs no watchlist. Input is one segment per line, or a CSV with a `text` column (detected by a
`.csv` name or by a header line starting with or naming `text`); `-` reads standard input.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict

import click

from .root import UsageProblem

ECHO_LIMIT = 200  # characters of each segment echoed back in the output


def _looks_like_csv(first_line: str) -> bool:
    try:
        header = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return False
    return len(header) > 1 and "text" in (h.strip().lower() for h in header)


def read_segments(content: str, csv_hint: bool) -> Iterator[str]:
    """The segments of an input file, in order: CSV `text` cells or non-blank lines."""
    first_line = content.split("\n", 1)[0]
    if csv_hint or _looks_like_csv(first_line):
        rows = csv.DictReader(io.StringIO(content))
        fields = {name.strip().lower(): name for name in rows.fieldnames or []}
        if "text" not in fields:
            raise click.UsageError("the CSV input has no `text` column")
        for row in rows:
            yield row[fields["text"]] or ""
        return
    for line in content.splitlines():
        if line.strip():
            yield line.strip()


class SegmentLabels(TypedDict):
    index: int
    text: str
    labels: list[str]


def label_segments(segments: Iterator[str], taxonomy: str) -> Iterator[SegmentLabels]:
    """One output record per segment, in input order."""
    from policywatch.monitor.classify import classify_segment

    for index, text in enumerate(segments):
        shown = text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…"
        yield {"index": index, "text": shown, "labels": classify_segment(text, taxonomy)}


@click.command()
@click.option(
    "--taxonomy", type=click.Choice(["policywatch", "opp115"]), default="policywatch",
    show_default=True, help="The label set: policywatch categories or OPP-115's ten.",
)
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, exists=True,
                                        path_type=Path))
def classify(taxonomy: str, file: Path) -> None:
    """Label each text segment of FILE (one per line, or a CSV with a `text` column)."""
    if str(file) == "-":
        content, csv_hint = sys.stdin.read(), False
    else:
        try:
            content = file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise UsageProblem(f"cannot read {file}: {exc.strerror}") from exc
        csv_hint = file.suffix.lower() == ".csv"
    for record in label_segments(read_segments(content, csv_hint), taxonomy):
        click.echo(json.dumps(record, ensure_ascii=False))
