"""The same article text arriving twice: the second copy is a ``duplicate`` naming the first. Two articles are the
same when their cleaned text, without its title, is the same once normalised (NFKC, case-folded, whitespace)."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import replace

from pipeline.ingest.records import RunState
from pipeline.records import Article, CleanText


def normalised(text: str) -> str:
    """NFKC, case-folded, every run of whitespace one space (str.split() splits where re's \\s matches)."""
    if text.isascii():  # NFKC leaves ASCII alone and casefold() is lower() there
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def text_key(article: Article, cleaned: CleanText | None) -> str | None:
    """What makes two ok articles duplicates: the hash of their normalised, cleaned text (None when not ok)."""
    if article.status != "ok" or cleaned is None:
        return None
    return key_of(body_text(article, cleaned))


def key_of(body: str) -> str:
    """``text_key`` from an ok article's ``body_text``."""
    return hashlib.sha1(normalised(body).encode("utf-8")).hexdigest()


def body_text(article: Article, cleaned: CleanText) -> str:
    """The kept text without its title (a copy often carries another headline); the whole text when none is kept."""
    return "\n".join(article.text[s.start : s.end] for s in cleaned.segments if s.kind != "title") or article.text


def mark_duplicate(article: Article, key: str | None, state: RunState) -> Article:
    """The second copy of the same (normalised, cleaned) article text is a duplicate of the first."""
    if key is None:
        return article
    first = state.texts.setdefault(key, article.doc_id)
    if first == article.doc_id:
        return article
    return replace(article, status="duplicate", reason=f"same text as {first}")
