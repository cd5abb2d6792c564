"""Bytes of one file → the article records it holds, or the reason it holds none.

One function per format; each returns a list of ``Record`` (one per article or
row) or raises ``Rejected`` with a reason a person understands. ``ingest``
turns records into ``Article``s (doc ids, metadata.csv, duplicates).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline import pubdate
from pipeline.settings import Settings

TEXT_FIELDS = ("text", "body", "content", "article", "article_text", "maintext", "full_text")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "publishedat", "published_at", "pubdate", "date_publish", "publish_date")
URL_FIELDS = ("url", "link")
PUBLISHER_FIELDS = ("source", "publisher", "source_name", "sitename")
# A text with fewer letters than this after extraction is not an article.
MIN_ARTICLE_LETTERS = 40

MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"\x7fELF", "executable"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"SQLite format 3\x00", "SQLite database"),
)
BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Legacy encodings trusted when charset-normalizer names them (Cyrillic, Arabic, Turkish, Greek, Hebrew, CJK, Thai).
NON_LATIN_ENCODINGS = frozenset(
    "cp1251 koi8_r koi8_u iso8859_5 mac_cyrillic cp866 cp1256 iso8859_6 cp1254 iso8859_9 cp1253 iso8859_7 "
    "cp1255 iso8859_8 big5 gb2312 gb18030 gbk shift_jis cp932 euc_jp euc_kr cp949 tis_620 cp874".split()
)
TURKISH_IN_CP1252 = re.compile("[ýþðÝÞÐ]")
HTML_START = re.compile(r"\s*(<!doctype html|<html[\s>])", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class Rejected(ValueError):
    """The file (or row) holds no usable article; the message is the reason."""


@dataclass(frozen=True)
class Record:
    """One article as a format gives it, before it becomes an ``Article``."""

    text: str
    title: str = ""
    publisher: str = ""
    url: str = ""
    published: str = ""
    published_evidence: str = ""
    row: int | None = None  # 1-based row/item/line number in a multi-article file
    reason: str = ""  # non-empty: this row is rejected
    note: str = ""  # something worth telling about an accepted record (e.g. the encoding guessed)


def binary_kind(data: bytes) -> str:
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return ""


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, note): the decoded text, and how it was decoded when that is worth saying."""
    if not data:
        raise Rejected("empty file")
    kind = binary_kind(data)
    if kind:
        raise Rejected(f"binary content ({kind})")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise Rejected(f"undecodable bytes at offset {err.start + len(bom)} ({encoding} with BOM)") from err
            return checked_text(text), "" if encoding == "utf-8" else f"decoded as {encoding.upper()}"
    if b"\x00" in data:
        return checked_text(decode_utf16_without_bom(data)), "decoded as UTF-16 (no BOM)"
    try:
        return checked_text(data.decode("utf-8")), ""
    except UnicodeDecodeError as err:
        utf8_before = not data[: err.start].isascii()
        if utf8_before and err.end == len(data) and len(data) - err.start < 4 and "end of data" in err.reason:
            text = data[: err.start].decode("utf-8")
            return checked_text(text), f"truncated UTF-8: {len(data) - err.start} incomplete bytes at the end dropped"
        if utf8_before:
            # Valid UTF-8 sequences came first: this is UTF-8 that breaks, not another encoding.
            raise Rejected(f"undecodable bytes at offset {err.start}") from err
        return decode_legacy(data, err.start)


def decode_legacy(data: bytes, first_bad: int) -> tuple[str, str]:
    """A single-byte legacy encoding: a non-Latin one when charset-normalizer is sure, else Windows-1252."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding in NON_LATIN_ENCODINGS:
        return checked_text(str(best)), f"decoded as {best.encoding}"
    # For Latin-script text the detector wavers between cp1250, cp1252, latin-1 and odd code pages on short
    # texts; Windows-1252 is what Western news sites and exports actually use.
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(TURKISH_IN_CP1252.findall(text)) >= 2:  # ı ş ğ read as ý þ ð: the Turkish code page
            return checked_text(data.decode("cp1254")), "decoded as cp1254"
        return checked_text(text), f"decoded as {encoding}"
    raise Rejected(f"undecodable bytes at offset {first_bad}")


def decode_utf16_without_bom(data: bytes) -> str:
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    half = len(data) // 2 or 1
    if len(data) % 2 == 0 and max(even_zeros, odd_zeros) > 0.3 * half and min(even_zeros, odd_zeros) < 0.05 * half:
        encoding = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:
            raise Rejected(f"undecodable bytes at offset {err.start} ({encoding})") from err
    raise Rejected(f"binary content (NUL byte at offset {data.index(0)})")


def checked_text(text: str) -> str:
    if not text.strip():
        raise Rejected("only whitespace")
    controls = len(CONTROL.findall(text[:100_000]))
    if controls > max(3, len(text[:100_000]) // 100):
        raise Rejected(f"binary content ({controls} control characters)")
    return text


def is_article_text(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= MIN_ARTICLE_LETTERS


# ---- .txt -------------------------------------------------------------------------------------------------------


def read_txt(data: bytes, settings: Settings) -> list[Record]:
    text, note = decode_text(data)
    if HTML_START.match(text):  # a saved web page with the wrong extension
        return read_html(data, settings)
    return [Record(text=text, note=note)]


# ---- .html ------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # Short articles are articles too; no signal-based timeout in worker threads.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def captions_as_paragraphs(html: str) -> str:
    """trafilatura drops <figcaption>; captions carry dated events, so turn each into a "Caption:" paragraph."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    captions = tree.xpath("//figcaption")
    if not captions:
        return html
    for caption in captions:
        words = " ".join(caption.text_content().split())
        holder = caption.getparent()
        figure = holder if holder is not None and holder.tag == "figure" else caption
        paragraph = lxml.html.Element("p")
        paragraph.text = f"Caption: {words}" if words else ""
        parent = figure.getparent()
        if parent is not None:
            parent.replace(figure, paragraph)
    return lxml.html.tostring(tree, encoding="unicode")


def read_html(data: bytes, settings: Settings) -> list[Record]:
    import htmldate
    import trafilatura
    from trafilatura.metadata import extract_metadata

    html, note = decode_text(data)
    text = trafilatura.extract(
        captions_as_paragraphs(html),
        output_format="txt",
        include_comments=False,
        include_tables=True,
        config=trafilatura_config(),
    )
    if not text or not is_article_text(text):
        raise Rejected("HTML without article text")
    meta = extract_metadata(html)
    try:
        # max_date fixed far ahead: htmldate would otherwise compare with today's date.
        found = htmldate.find_date(
            html,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%d",
            min_date="1990-01-01",
            max_date="2099-12-31",
        )
    except Exception:  # a date helper failing on odd markup must not cost the article
        found = None
    return [
        Record(
            text=text,
            title=(meta.title or "") if meta else "",
            publisher=(meta.sitename or "") if meta else "",
            url=(meta.url or "") if meta else "",
            published=found or "",
            published_evidence=f'HTML metadata "{found}" (htmldate)' if found else "",
            note=note,
        )
    ]


# ---- structured records: .json, .jsonl, .csv ----------------------------------------------------------------


def pick(fields: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str, Any]:
    lowered = {str(k).strip().casefold(): (k, v) for k, v in fields.items()}
    for name in names:
        if name in lowered:
            return lowered[name]
    return "", None


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):  # NewsAPI: "source": {"id": ..., "name": ...}
        value = value.get("name") or value.get("title") or ""
    return str(value).strip() if not isinstance(value, str) else value


def record_from_fields(fields: Mapping[str, Any], settings: Settings, row: int | None, what: str) -> Record:
    """One article from a dict of fields (a JSON object or a CSV row); ``what`` names it in reasons."""
    text_names = (settings.text_column.casefold(),) if settings.text_column else TEXT_FIELDS
    text_key, text_value = pick(fields, text_names)
    if not text_key:
        looked = settings.text_column or "/".join(TEXT_FIELDS[:3])
        columns = ", ".join(str(k) for k in fields) or "none"
        return Record(text="", row=row, reason=f"{what} has no text column ({looked}); its columns: {columns}")
    text = as_text(text_value)
    if not text.strip():
        return Record(text="", row=row, reason=f"{what} has an empty {text_key!r}")
    publisher = as_text(pick(fields, PUBLISHER_FIELDS)[1]).strip()
    date_key, date_value = pick(fields, DATE_FIELDS)
    published, evidence = "", ""
    raw_date = as_text(date_value).strip()
    if raw_date:
        rules = pubdate.default_rules(settings.data_dir)
        by_publisher = {k.casefold(): v for k, v in settings.date_order_by_publisher.items()}
        known = by_publisher.get(publisher.casefold(), "")
        reading = pubdate.parse_date_value(raw_date, rules, known or settings.default_date_order, bool(known))
        if reading is not None:
            published, evidence = reading.date.isoformat(), f'{what.split()[0]} field {date_key!r} "{raw_date}"'
    return Record(
        text=text,
        title=as_text(pick(fields, TITLE_FIELDS)[1]).strip(),
        publisher=publisher,
        url=as_text(pick(fields, URL_FIELDS)[1]).strip(),
        published=published,
        published_evidence=evidence,
        row=row,
    )


def read_json(data: bytes, settings: Settings) -> list[Record]:
    text, _ = decode_text(data)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise Rejected(f"invalid JSON at line {err.lineno} column {err.colno}: {err.msg}") from err
    if isinstance(value, dict) and isinstance(value.get("articles"), list):  # news-API style envelope
        value = value["articles"]
    if isinstance(value, dict):
        return [record_from_fields(value, settings, None, "JSON object")]
    if not isinstance(value, list):
        raise Rejected(f"JSON holds a {type(value).__name__}, not an article or a list of articles")
    if not value:
        raise Rejected("JSON list without articles")
    return [
        record_from_fields(item, settings, i, f"JSON item {i}")
        if isinstance(item, dict)
        else Record(text="", row=i, reason=f"JSON item {i} is a {type(item).__name__}, not an article")
        for i, item in enumerate(value, 1)
    ]


def read_jsonl(data: bytes, settings: Settings) -> list[Record]:
    text, _ = decode_text(data)
    records = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            records.append(Record(text="", row=line_no, reason=f"JSONL line {line_no} is not valid JSON ({err.msg})"))
            continue
        if not isinstance(item, dict):
            records.append(Record(text="", row=line_no, reason=f"JSONL line {line_no} is not a JSON object"))
            continue
        records.append(record_from_fields(item, settings, line_no, f"JSONL line {line_no}"))
    if not records:
        raise Rejected("JSONL without articles")
    return records


def read_csv(data: bytes, settings: Settings) -> list[Record]:
    text, _ = decode_text(data)
    rows = csv_rows(text, settings)
    if not rows:
        raise Rejected("CSV without rows")
    return [record_from_fields(row, settings, i, f"CSV row {i}") for i, row in rows]


def csv_rows(text: str, settings: Settings) -> list[tuple[int, dict[str, str]]]:
    """(row number, row) of a CSV text (blank lines are not rows); delimiter sniffed among , ; tab |."""
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, settings.max_text_bytes))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
        rows = [
            (i, {(k or "").strip(): (v or "") for k, v in row.items() if k is not None})
            for i, row in enumerate(reader, 1)
        ]
    except csv.Error as err:
        raise Rejected(f"unreadable CSV: {err}") from err
    finally:
        csv.field_size_limit(previous)
    return rows


def csv_columns(data: bytes) -> list[str]:
    """The header of a CSV's first bytes (the columns as ``csv_rows`` names them)."""
    text, _ = decode_text(data)
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        header = next(csv.reader(io.StringIO(first, newline=""), dialect=dialect), [])
    except csv.Error:
        return []
    return [name.strip() for name in header if name.strip()]


def text_column_of(columns: list[str], settings: Settings) -> str:
    """The column of these a CSV's text is read from ("" when none)."""
    wanted = (settings.text_column.casefold(),) if settings.text_column else TEXT_FIELDS
    by_name = {c.casefold(): c for c in columns}
    return next((by_name[n] for n in wanted if n in by_name), "")


READERS = {
    ".txt": read_txt,
    ".text": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
}


def read_records(suffix: str, data: bytes, settings: Settings) -> list[Record]:
    """Records of one file's bytes; raises Rejected for a file that holds none."""
    reader = READERS.get(suffix.casefold())
    if reader is None:
        kind = binary_kind(data)
        raise Rejected(f"not an article file ({suffix or 'no extension'}{', ' + kind if kind else ''})")
    return reader(data, settings)
