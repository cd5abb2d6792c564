"""An undated page's weekday from the corpus's news that shares its rare words (``weekday_from_corpus_words``):
the pages whose weekdays nothing else dated (``worded_weekdays``), the corpus's words and days of news they may
take (``CorpusWords``), and the days given (``with_corpus_words``)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from pipeline.incidents.records import NewsKey
from pipeline.incidents.rules import (
    ANY_DAY,
    DATED,
    JOIN,
    ONE_DAY,
    OWN_DATE,
    POLITICAL,
    UNSEEN_DOCUMENTS,
    WORDS_KEY,
    WORDS_RARITY,
    WORDS_SPAN,
    WORDS_WEEKDAY_MARGIN,
)
from pipeline.incidents.wording import words_of

# The event table's columns ``CorpusWords`` reads
WORDS_COLUMNS = ("doc_id", "date_basis", "date_start", "date_end", "granularity", "event_type", "sentence",
                 "countries")
NOWHERE = ""  # the countries of news that names none (``CorpusWords.day_news``)


def page_countries(columns: Mapping[str, Sequence], pages: Iterable[str]) -> dict[str, frozenset[str]]:
    """The countries the places of every row of each of ``pages`` lie in (the event table's ``countries``: its
    dateline's town, "KHAR, Nov 6:", is a row's place too), of the rows among ``columns`` (a page's rows all in
    them): what a page's weekday may take the news of (``CorpusWords.days``)."""
    wanted = set(pages)
    found: dict[str, set[str]] = {}
    if not wanted or "countries" not in columns:
        return {}
    for doc, named in zip(columns["doc_id"], columns["countries"], strict=True):
        if doc in wanted:
            found.setdefault(doc, set()).update(c for c in (named or "").split(JOIN) if c)
    return {doc: frozenset(them) for doc, them in found.items() if them}


def worded_weekdays(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], days: Mapping[str, tuple[dt.date, ...]]
) -> dict[str, frozenset[int]]:
    """The weekdays of the undated pages that neither the corpus's year nor its news of their towns or sides gave a
    day (``wanted``: ``unplaced_weekdays``; ``days``: the pages' days, as given), of rows of a violent type in no town
    (``WORDS_KEY``): what only the corpus's news that shares the pages' rare words may date (``CorpusWords``)."""
    found = {}
    for doc, pairs in wanted.items():
        # ("last Friday": + 7; a "yesterday", ANY_DAY: any weekday)
        weekdays = frozenset(weekday if weekday == ANY_DAY else weekday % 7
                             for weekday, key in pairs if key == WORDS_KEY)
        if weekdays and not days.get(doc):
            found[doc] = weekdays
    return found


class CorpusWords:
    """The corpus's dated news that the undated pages' weekdays (``worded_weekdays``) may take, by their rare words
    (``weekday_from_corpus_words``): read from the event rows grouping reads (``DATED``; ``WORDS_COLUMNS``), a
    table at a time (``add``; a document's rows all in one), after the pages' own rows (``add_pages``). Keeps, of the
    words the pages use (``words_of``), how many documents use each, and the days of violent news on the pages'
    weekdays that use them; then gives each page the day of that weekday whose news shares its rare words by far
    the most (``days``), unless that news names none of the countries the page names when it names any
    (``countries``: of every row of the page, ``page_countries``; a page of a jirga bombed near Khar takes no day
    from news of an attack in Mozambique, whatever words they share)."""

    def __init__(self, pages: Mapping[str, frozenset[int]],
                 countries: Mapping[str, frozenset[str]] | None = None) -> None:
        self.pages = pages
        self.countries: dict[str, frozenset[str]] = dict(countries or {})
        self.since: dict[str, str] = {}  # the start of the latest date each page writes: its days are no earlier
        self.weekdays = frozenset[int]().union(*pages.values())
        self.page_words: dict[str, set[str]] = {}
        self.wanted: frozenset[str] = frozenset()  # every word of the pages
        self.used: Counter[str] = Counter()  # documents using each of those
        self.documents = 0
        # each day of news: the words of the pages each of its documents uses, and the countries it names (NOWHERE:
        # none), by document (a page's own news is no news of its weekdays: "killing at least seven children,
        # residents said Monday ... since the military seized power in a Feb. 1, 2021, coup" is not of that Monday)
        self.day_news: dict[dt.date, dict[str, tuple[set[str], set[str]]]] = {}

    def add_pages(self, columns: Mapping[str, Sequence]) -> None:
        """The words of the pages' rows among ``columns`` (those of the pages' tables: read first), and the countries
        of their places (every row given, whatever its date: ``page_countries``)."""
        for doc, named in page_countries(columns, self.pages).items():
            self.countries[doc] = self.countries.get(doc, frozenset()) | named
        sentences, basis, starts = columns["sentence"], columns["date_basis"], columns["date_start"]
        for i, doc in enumerate(columns["doc_id"]):
            if doc in self.pages and basis[i] in DATED:
                self.page_words.setdefault(doc, set()).update(words_of(sentences[i] or ""))
                if basis[i] == "explicit" and starts[i] and starts[i] > self.since.get(doc, ""):
                    self.since[doc] = starts[i]  # ("since the war began in April 2023": written after it)
        self.wanted = frozenset[str]().union(*self.page_words.values())

    def add(self, columns: Mapping[str, Sequence]) -> None:
        """The documents of ``columns`` (every table once, each document's rows all in one): how many use each of
        the pages' words, and the days of violent news on the pages' weekdays that use them."""
        read: dict[str, frozenset[str]] = {}
        using: dict[str, set[str]] = {}
        named: dict[str, set[str]] = {}  # the countries each document's rows name
        news: dict[str, dict[dt.date, set[str]]] = {}  # each document's words by day of its violent news
        wanted, weekdays = self.wanted, self.weekdays
        countries = columns.get("countries")
        for i, doc in enumerate(columns["doc_id"]):
            basis = columns["date_basis"][i]
            if basis not in DATED:
                continue
            if countries is not None and countries[i]:
                named.setdefault(doc, set()).update(c for c in countries[i].split(JOIN) if c)
            sentence = columns["sentence"][i] or ""
            words = read.get(sentence)
            if words is None:
                words = read[sentence] = words_of(sentence) & wanted
            using.setdefault(doc, set()).update(words)
            start, event_type = columns["date_start"][i], columns["event_type"][i]
            if (words and basis in OWN_DATE and start and start == columns["date_end"][i]
                    and columns["granularity"][i] == "day" and event_type and event_type not in POLITICAL):
                day = dt.date.fromisoformat(start)
                if day.weekday() in weekdays or ANY_DAY in weekdays:
                    news.setdefault(doc, {}).setdefault(day, set()).update(words)
        for doc, found in news.items():
            for day, shared in found.items():
                held_words, held_countries = self.day_news.setdefault(day, {}).setdefault(doc, (set(), set()))
                held_words.update(shared)
                held_countries.update(named.get(doc) or (NOWHERE,))
        self.documents += len(using)
        for them in using.values():
            self.used.update(them)

    def shared_days(self) -> set[dt.date]:
        """The days of news that share a word with a page (the days any page may take)."""
        return set(self.day_news)

    def days(self) -> dict[str, tuple[dt.date, ...]]:
        """Each page's days: for each of its weekdays, the day of that weekday (not before the latest date the page
        writes, when it writes one) whose news shares the page's rare words (``words_rarity``) weighing the most, by
        ``words_weekday_margin`` over any other day of that weekday; of those, the one whose words weigh the most and
        those within ``words_span_days`` of it (a page's weekdays are of one week). A page that names countries
        (``countries``) takes no day whose news sharing its words names none of them (it may name more)."""
        total = self.documents + UNSEEN_DOCUMENTS
        weight = {word: math.log(total / count) for word, count in self.used.items()}
        given: dict[str, tuple[dt.date, ...]] = {}
        for doc, weekdays in self.pages.items():
            rare = {w for w in self.page_words.get(doc, ()) if weight.get(w, 0.0) >= WORDS_RARITY}
            since = dt.date.fromisoformat(self.since[doc][:10]) if doc in self.since else dt.date.min
            countries = self.countries.get(doc)
            chosen = []
            for weekday in sorted(weekdays):
                news = self._news_by_day(weekday, since, doc)
                if countries and weekday == ANY_DAY:  # ("yesterday": among the news of any day, that of the page's
                    # countries, since it never takes the others)
                    news = {day: held for day, held in news.items() if not countries.isdisjoint(held[1])}
                scored = sorted(((math.fsum(sorted(weight[w] for w in rare & found)), day)
                                 for day, (found, _) in news.items()), reverse=True)
                if scored and scored[0][0] - (scored[1][0] if len(scored) > 1 else 0.0) >= WORDS_WEEKDAY_MARGIN and (
                        not countries or not countries.isdisjoint(news[scored[0][1]][1])):
                    chosen.append(scored[0])
            if chosen and ANY_DAY in weekdays:  # ("yesterday", on a page that writes no weekday: the only choice)
                # the day it tells and the next, the day the page was written, from which it counts its
                # "yesterday" (``page_dates.counted_day``)
                given[doc] = (chosen[0][1], chosen[0][1] + ONE_DAY)
            elif chosen:
                first = max(chosen)[1]
                given[doc] = tuple(sorted(day for _, day in chosen if abs(day - first) <= WORDS_SPAN))
        return given

    def _news_by_day(self, weekday: int, since: dt.date, page: str) -> dict[dt.date, tuple[set[str], set[str]]]:
        """The words and the countries of each day of news on ``weekday`` (no earlier than ``since``) but the
        ``page``'s own."""
        news = {}
        for day, by_document in self.day_news.items():
            if day.weekday() != weekday and weekday != ANY_DAY or day < since:
                continue
            others = [held for doc, held in by_document.items() if doc != page]
            if others:
                news[day] = (set[str]().union(*(w for w, _ in others)), set[str]().union(*(c for _, c in others)))
        return news


def with_corpus_words(news: CorpusWords, days: dict[str, tuple[dt.date, ...]]) -> dict[str, tuple[dt.date, ...]]:
    """Gives the undated pages the days the corpus's news gives their weekdays by their rare words
    (``CorpusWords.days``), as days of their own (into ``days``). Returns the days given: their pages are the
    ``worded`` ones of ``rows_from``, whose rows join an incident of that day, never make one, not even with
    another page's (``corroborating_documents``)."""
    given = news.days()
    for doc, own in given.items():
        days[doc] = own
    return given


def corpus_words(
    columns: Mapping[str, Sequence], pages: Mapping[str, frozenset[int]],
    countries: Mapping[str, frozenset[str]] | None = None,
) -> CorpusWords:
    """``CorpusWords`` of the whole corpus's rows (``columns``: every row grouping reads; ``countries``: those the
    pages' rows name, every row of theirs, ``page_countries``)."""
    news = CorpusWords(pages, countries)
    news.add_pages(columns)
    news.add(columns)
    return news
