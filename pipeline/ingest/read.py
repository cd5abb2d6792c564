"""The flow: the SOURCES listed (``listing``), each file read into articles (``files``), each article cleaned,
and the second copy of a text marked a duplicate of the first (``duplicates``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from pipeline import clean
from pipeline.ingest import files
from pipeline.ingest.duplicates import mark_duplicate, text_key
from pipeline.ingest.listing import existing, inputs_from
from pipeline.ingest.records import RunState, Source
from pipeline.records import Article, CleanText
from pipeline.settings import Settings


def read_sources(sources: Sequence[Source], settings: Settings) -> Iterator[Article]:
    """Yield one Article per input file or row, in a stable order. Raises SourceError for a missing SOURCE."""
    return (article for article, _ in read_sources_cleaned(sources, settings))


def read_sources_cleaned(sources: Sequence[Source], settings: Settings) -> Iterator[tuple[Article, CleanText | None]]:
    """As ``read_sources``, with each article's cleaning (None when it was rejected before), so it is not redone."""
    return articles_from(existing(sources), settings)


def articles_from(paths: list[Source], settings: Settings) -> Iterator[tuple[Article, CleanText | None]]:
    state = RunState()
    for article in uncleaned_articles(paths, settings, state):
        article, cleaned = cleaned_article(article, settings)
        yield mark_duplicate(article, text_key(article, cleaned), state), cleaned


def uncleaned_articles(paths: list[Source], settings: Settings, state: RunState) -> Iterator[Article]:
    """Every article as read and decoded, in order, before cleaning (cheap; doc ids are claimed here).

    An ``ok`` article may still turn out rejected (``cleaned_article``) or a duplicate (``mark_duplicate``,
    in this order), so that the costly cleaning can run in worker processes between the two.
    """
    for item in inputs_from(paths, settings, state):
        if isinstance(item, Article):
            yield item
        else:
            yield from files.articles_of_file(item, settings, state)


def cleaned_article(article: Article, settings: Settings) -> tuple[Article, CleanText | None]:
    """An ok article with its cleaning, rejected when no article text is left; others as they are, None."""
    if article.status != "ok":
        return article, None
    cleaned = clean.clean(article, clean.default_rules(settings.data_dir))
    if not any(s.kind in ("body", "caption") for s in cleaned.segments):
        return replace(article, status="rejected", reason="no article text once the boilerplate is removed"), cleaned
    return article, cleaned
