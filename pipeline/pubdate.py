"""A document's publication date, with the evidence for it.

Order of evidence: the analyst's fix (``user``), then metadata (metadata.csv, a
JSON/CSV field, HTML meta), then a date printed near the top of the text, then a
date in the URL path; a "last updated" date only when nothing else exists.
A day/month-swappable date is read with the source's convention when known,
else ``Settings.default_date_order``, and flagged ``ambiguous`` with the other
reading. Disagreeing evidence is reported in ``conflict``. Nothing here ever
looks at today's date: without evidence the date stays unknown.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from pipeline import patterns
from pipeline.clean import iter_stripped_lines
from pipeline.records import Article, CleanText, PubDate
from pipeline.rulefiles import compile_pattern
from pipeline.settings import DATA_DIR, Settings
from pipeline.spreadsheet import neutralise_row, unquote_row

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIX_COLUMNS = ("doc_id", "published", "note", "text_hash")
QUOTED = re.compile(r'"([^"]+)"')


@dataclass(frozen=True)
class DatePattern:
    name: str
    regex: re.Pattern[str]
    order: str = ""  # "" (fields say which is which) | "convention" | "DMY"
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class PubDateRules:
    printed: tuple[DatePattern, ...]
    url: tuple[DatePattern, ...]
    months: tuple[tuple[str, int], ...]
    updated: re.Pattern[str]
    leading: re.Pattern[str] | None = None  # a label that dates the text it begins ("date 2025-03-16 Three ...")
    top_lines: int = 12
    top_chars: int = 1500

    def month_number(self, name: str) -> int:
        return dict(self.months)[name[:3].casefold()]


@dataclass(frozen=True)
class DateReading:
    """A date found in a string, with the other reading when day and month can swap."""

    date: dt.date
    text: str
    alternative: dt.date | None = None
    order: str = ""  # the order used for a swappable numeric date
    updated: bool = False  # preceded by "last updated" and the like


def load_rules(data_dir: Path) -> PubDateRules:
    path = data_dir / "pubdate.toml"
    raw = patterns.load_toml(path)
    fill = raw.get("fill", {})

    def compile_all(entries: list[dict]) -> tuple[DatePattern, ...]:
        out = []
        for entry in entries:
            _, regex = compile_pattern(entry["pattern"], fill, f"{path}: pattern {entry.get('name')!r}")
            out.append(DatePattern(entry["name"], regex, entry.get("order", ""), tuple(entry.get("examples", ()))))
        return tuple(out)

    return PubDateRules(
        printed=compile_all(raw.get("pattern", [])),
        url=compile_all(raw.get("url", [])),
        months=tuple((k, int(v)) for k, v in raw["months"].items()),
        updated=re.compile(raw["updated_words"]),
        leading=re.compile(raw["leading_label"]) if raw.get("leading_label") else None,
        top_lines=int(raw.get("top_lines", 12)),
        top_chars=int(raw.get("top_chars", 1500)),
    )


@functools.lru_cache(maxsize=4)
def default_rules(data_dir: Path = DATA_DIR) -> PubDateRules:
    """The rules of ``data_dir`` (the bundled ones when it has none), read once per process."""
    return load_rules(data_dir if (data_dir / "pubdate.toml").exists() else DATA_DIR)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def reading_from(
    found: re.Match[str], pattern: DatePattern, rules: PubDateRules, order: str, known: bool
) -> DateReading | None:
    """Turn one match into a date; ``order`` is MDY/DMY, ``known`` whether the source's convention says so."""
    groups = found.groupdict()
    year = int(groups["year"])
    if groups.get("first"):
        first, second = int(groups["first"]), int(groups["second"])
        use = order if (known or pattern.order != "DMY") else "DMY"
        month_first = make_date(year, first, second)
        day_first = make_date(year, second, first)
        primary, other = (month_first, day_first) if use == "MDY" else (day_first, month_first)
        if primary is None:
            primary, other, use = other, None, ("DMY" if use == "MDY" else "MDY")
        if primary is None:
            return None
        alternative = other if (other is not None and other != primary and not known) else None
        weekday = groups.get("weekday")
        if weekday and alternative is not None:
            wanted = WEEKDAYS.index(weekday[:3].casefold())
            if primary.weekday() != wanted and alternative.weekday() == wanted:
                primary, alternative = alternative, None
            elif primary.weekday() == wanted:
                alternative = None
        return DateReading(primary, found.group(0).strip(), alternative, use)
    month = int(groups["month"]) if groups.get("month") else rules.month_number(groups["month_name"])
    value = make_date(year, month, int(groups["day"]))
    return DateReading(value, found.group(0).strip()) if value else None


def read_dates(text: str, rules: PubDateRules, order: str = "MDY", known: bool = False) -> list[DateReading]:
    """Every date written in ``text``, in order of appearance (overlapping matches: the earliest, longest wins)."""
    hits: list[tuple[int, int, DateReading]] = []
    for pattern in rules.printed:
        for found in pattern.regex.finditer(text):
            reading = reading_from(found, pattern, rules, order, known)
            if reading is None:
                continue
            updated = bool(rules.updated.search(text[max(0, found.start() - 40) : found.start()]))
            hits.append((found.start(), found.end(), replace(reading, updated=updated)))
    hits.sort(key=lambda h: (h[0], -h[1]))
    out: list[DateReading] = []
    last_end = -1
    for start, end, reading in hits:
        if start >= last_end:
            out.append(reading)
            last_end = end
    return out


def url_date(url: str, rules: PubDateRules) -> DateReading | None:
    path = urlsplit(url).path if "://" in url else url
    for pattern in rules.url:
        found = pattern.regex.search(path)
        if found:
            reading = reading_from(found, pattern, rules, "MDY", True)
            if reading:
                return DateReading(reading.date, found.group(0))
    return None


def parse_date_value(value: str, rules: PubDateRules, order: str = "MDY", known: bool = False) -> DateReading | None:
    """A structured field's date (ISO 8601 first, then the printed forms); None when it names no date."""
    value = value.strip()
    if not value:
        return None
    try:
        return DateReading(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date(), value)
    except ValueError:
        pass
    try:
        return DateReading(dt.date.fromisoformat(value[:10]), value)
    except ValueError:
        pass
    found = read_dates(value, rules, order, known)
    return found[0] if found else None


def source_order(article: Article, settings: Settings) -> tuple[str, bool]:
    """(order, known): the source's day/month convention if metadata or a setting gives it."""
    if article.date_order in ("MDY", "DMY"):
        return article.date_order, True
    by_publisher = {k.casefold(): v for k, v in settings.date_order_by_publisher.items()}
    order = by_publisher.get(article.publisher.strip().casefold(), "")
    if order in ("MDY", "DMY"):
        return order, True
    return settings.default_date_order, False


def top_text_outside_segments(article: Article, cleaned: CleanText, rules: PubDateRules) -> list[str]:
    """Pieces of the first lines that cleaning did not keep as article text: headers, bylines, date lines."""
    text = article.text
    kept = sorted((s.start, s.end) for s in cleaned.segments)
    pieces = []
    for count, (start, end) in enumerate(iter_stripped_lines(text)):
        if count >= rules.top_lines or start >= rules.top_chars:
            break
        cursor = start
        for seg_start, seg_end in kept:
            if seg_end <= cursor or seg_start >= end:
                continue
            if seg_start > cursor:
                pieces.append(text[cursor:seg_start])
            cursor = max(cursor, seg_end)
        if cursor < end:
            pieces.append(text[cursor:end])
    return [p for p in pieces if p.strip()]


def leading_date(text: str, rules: PubDateRules, order: str, known: bool) -> DateReading | None:
    """A date right after a label that begins the text, though cleaning kept the line as article text (a page
    saved as "date 2025-03-16 Three Frontier Corps personnel were ..."): the page's date, as a header line's is."""
    label = rules.leading.match(text) if rules.leading else None
    if label is None:
        return None
    rest = text[label.end() : label.end() + 40]
    found = read_dates(rest, rules, order, known)
    return found[0] if found and not found[0].updated and rest.startswith(found[0].text) else None


def describe(reading: DateReading) -> str:
    if reading.alternative is None:
        return ""
    first = "month-first" if reading.order == "MDY" else "day-first"
    other = "day-first" if reading.order == "MDY" else "month-first"
    return f" ({first}; {other} would be {reading.alternative.isoformat()})"


def find_publication_date(
    article: Article, cleaned: CleanText, settings: Settings, fixes: dict[str, dt.date]
) -> PubDate:
    fixed = fixes.get(fix_key(article.doc_id, text_hash(article.text))) or fixes.get(article.doc_id)
    if fixed is not None:
        return PubDate(fixed, "user", "set by the analyst (publication-date fixes)")
    rules = default_rules(settings.data_dir)
    order, known = source_order(article, settings)

    printed: DateReading | None = None
    updated: DateReading | None = None
    for piece in top_text_outside_segments(article, cleaned, rules):
        for reading in read_dates(piece, rules, order, known):
            if reading.updated:
                updated = updated or reading
            else:
                printed = printed or reading
    if printed is None:
        printed = leading_date(article.text, rules, order, known)
    from_url = url_date(article.url, rules) if article.url else None
    meta = metadata_reading(article, rules, order, known)

    if meta is not None:
        others = [("printed", printed), ("URL", from_url)]
        return PubDate(
            meta.date,
            "metadata",
            (article.published_evidence or "metadata") + describe(meta),
            ambiguous=meta.alternative is not None,
            alternative=meta.alternative,
            conflict=conflicts("metadata", meta, others),
        )
    if printed is not None:
        return printed_date(printed, from_url)
    if from_url is not None:
        return PubDate(from_url.date, "url", f"URL path {from_url.text}")
    if updated is not None:
        return PubDate(
            updated.date,
            "text",
            f'only a "last updated" date near the top: "{updated.text}"' + describe(updated),
            ambiguous=updated.alternative is not None,
            alternative=updated.alternative,
        )
    return PubDate(None, "unknown", "no date in metadata, near the top of the text, or in the URL")


def metadata_reading(article: Article, rules: PubDateRules, order: str, known: bool) -> DateReading | None:
    if not article.published:
        return None
    try:
        value = dt.date.fromisoformat(article.published[:10])
    except ValueError:
        return None
    # The evidence quotes the value as written: read it again with the source's convention, which may
    # only be known here (a per-publisher setting), and so that a swappable day/month is flagged.
    raw = QUOTED.search(article.published_evidence or "")
    again = parse_date_value(raw.group(1), rules, order, known) if raw else None
    return again if again is not None else DateReading(value, article.published)


def printed_date(printed: DateReading, from_url: DateReading | None) -> PubDate:
    evidence = f'header line "{printed.text}"'
    confirms = from_url is not None and from_url.date in (printed.date, printed.alternative)
    if from_url is not None and printed.alternative is not None and confirms:
        note = "" if from_url.date == printed.date else " read the other way"
        return PubDate(from_url.date, "text", f"{evidence}{note}, as the URL path {from_url.text} confirms")
    conflict = ""
    if from_url is not None and from_url.date != printed.date:
        conflict = f"printed {printed.date.isoformat()}, URL {from_url.date.isoformat()} ({from_url.text})"
    return PubDate(
        printed.date,
        "text",
        evidence + describe(printed),
        ambiguous=printed.alternative is not None,
        alternative=printed.alternative,
        conflict=conflict,
    )


def conflicts(chosen_name: str, chosen: DateReading, others: list[tuple[str, DateReading | None]]) -> str:
    parts = [
        f"{name} {other.date.isoformat()}"
        for name, other in others
        if other is not None and other.date != chosen.date and other.alternative != chosen.date
    ]
    return f"{chosen_name} {chosen.date.isoformat()}, " + ", ".join(parts) if parts else ""


def text_hash(text: str) -> str:
    """What ties a fix to a document's content: a short hash of its decoded text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def fix_key(doc_id: str, digest: str) -> str:
    """The key of a fix in ``load_fixes``: the document's id and its text hash (the id alone for a fix
    written without a hash, by hand or by an older version)."""
    return f"{doc_id}#{digest}" if digest else doc_id


def load_fixes(path: Path | None) -> dict[str, dt.date]:
    """The analyst's publication dates (doc_id,published,note,text_hash), keyed by ``fix_key``: a fix
    applies only to the document of that id whose text has that hash. None or a missing file is no fixes."""
    if path is None or not path.exists():
        return {}
    fixes: dict[str, dt.date] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(map(unquote_row, csv.DictReader(handle)), 2):
            doc_id = (row.get("doc_id") or "").strip()
            value = (row.get("published") or "").strip()
            if not doc_id or not value:
                continue
            try:
                fixes[fix_key(doc_id, (row.get("text_hash") or "").strip())] = dt.date.fromisoformat(value)
            except ValueError as err:
                raise ValueError(f"{path}:{line_no}: published {value!r} is not YYYY-MM-DD") from err
    return fixes


def save_fix(path: Path, doc_id: str, date: dt.date, note: str = "", digest: str = "") -> None:
    """Set (or replace) one document's publication date in the fixes file, atomically; ``digest`` is the
    document's ``text_hash``, so that the fix never reaches another document that has the same id."""
    rows: list[dict[str, str]] = []
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [{k: (row.get(k) or "") for k in FIX_COLUMNS} for row in map(unquote_row, csv.DictReader(handle))]
    rows = [row for row in rows if (row["doc_id"], row["text_hash"]) != (doc_id, digest)]
    rows.append({"doc_id": doc_id, "published": date.isoformat(), "note": note, "text_hash": digest})
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pubdate_fixes.", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIX_COLUMNS)
            writer.writeheader()
            writer.writerows(map(neutralise_row, rows))  # a file people open: no formula in a cell
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
