"""The grouping itself (``group``): the rows, finest first, each joining the nearest compatible incident (a
precise row), the only one it may mean (a coarse row: ``_only_fit``, by its rare words among its month's reports,
``Lexicon``), or founding one of its own; the rows that only join, once every row that may found one is placed.
Incidents are looked up by day and by map cell (``_Index``), so the rows are never compared all against all."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.incidents.matching import Fit, Matched, compatible
from pipeline.incidents.records import Incident, Row
from pipeline.incidents.rules import (
    CELL_DEG,
    CORROBORATING_DOCUMENTS,
    MAX_SPAN_DAYS,
    ONE_DAY,
    REPORT_LAG,
    SAME_TOWN_KM,
    SCAN_LIMIT,
    TIE_LIMIT,
    UNSEEN_DOCUMENTS,
    WORDS_MARGIN,
)
from pipeline.incidents.wording import anaphoric, words_of


class Lexicon:
    """The words of the rows' sentences and how rare each is among their documents (log((documents +
    ``unseen_documents``) / documents using it)), read the first time a report must be told by its words. The
    month's documents are a sample of the news: in a month of two documents a word both use is not a word every
    document uses, so it still weighs something (log 3), while among many documents the few unseen ones barely
    count."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        self.read: dict[str, frozenset[str]] = {}  # by sentence (a sentence with several dates gives several rows)
        self.rarity: dict[str, float] = {}

    def words(self, row: Row) -> frozenset[str]:
        found = self.read.get(row.sentence)
        if found is None:
            found = self.read[row.sentence] = words_of(row.sentence)
        return found

    def weights(self) -> dict[str, float]:
        if not self.rarity and self.rows:  # a document's rows come one after another (the event table's order)
            used: Counter[str] = Counter()
            total = 0
            for _, same in itertools.groupby(self.rows, key=lambda r: r.doc_id):
                total += 1
                used.update(frozenset[str]().union(*(self.words(r) for r in same)))
            total += UNSEEN_DOCUMENTS
            self.rarity = {word: math.log(total / count) for word, count in used.items()}
        return self.rarity


def _cells(row: Row) -> list[tuple[int, int] | None]:
    """The map cells a town's incidents may lie in (around each town the sentence names: its first place may be a
    namesake far away), and None for incidents without a place."""
    around = {(y + dy, x + dx) for cell in _home(row) if cell is not None for y, x in (cell,)
              for dy in (-1, 0, 1) for dx in (-1, 0, 1)}  # fmt: skip
    cells: list[tuple[int, int] | None] = [*sorted(around)]
    cells.append(None)
    return cells


def _home(row: Row) -> list[tuple[int, int] | None]:
    """The map cells an incident placed by ``row`` is filed under: of its first place and of every town it names
    (None without a place)."""
    if row.lat is None or row.lon is None:
        return [None]
    cells = {(int(row.lat // CELL_DEG), int(row.lon // CELL_DEG))}
    cells.update((int(s.lat // CELL_DEG), int(s.lon // CELL_DEG)) for s in row.spots if s.precision == 1)
    filed: list[tuple[int, int] | None] = [*sorted(cells)]
    return filed


def _coarse(row: Row) -> str | None:
    """The country of a row that places its incident only in a province, a region or a country (filed under that
    place's point, far from most of its towns; "" when not known), else None."""
    return (row.spot.country if row.spot is not None else "") if row.lat is not None and row.precision > 1 else None


def _countries(row: Row) -> set[str]:
    """The countries of a town row's places ("" among them when one is not known): those whose incidents placed
    only in a province or a country it may join."""
    return {s.country for s in row.spots} | {""}


def _order(row: Row) -> tuple:
    """Finest first: days before coarser dates, precise rows before coarse ones, towns before provinces; a day that
    names nothing last, once its document's other rows have joined their incidents."""
    return (row.bare, row.anchored, (row.end - row.start).days, not row.precise, row.precision, row.lat is None,
            row.position)  # fmt: skip


def group(rows: Sequence[Row]) -> list[Incident]:
    """The incidents the rows form, each row in exactly one."""
    incidents: list[Incident] = []
    index = _Index()
    matched: Matched = {}  # place_match of two rows' places, by identity
    lexicon = Lexicon(rows)
    deferred: list[Row] = []  # placed nowhere, telling "the attack": their page's story, when no other takes them
    # "a day after the strike" that joined no strike of the day before: tried again once every other row is placed
    # (the strike's may come later), then, still joining none, a row of its own day
    again: list[Row] = []
    tried: set[int] = set()
    orphans: list[Row] = []  # rows that only join and joined nothing
    founders = True  # rows that may found an incident come first
    for row in itertools.chain(sorted(rows, key=_order), again, _deferred(deferred)):
        if founders and (row.anchored or row.bare):  # every incident of a page's stamp is formed: the day before's?
            founders = False
            if any(i.members[0].late for i in incidents):
                incidents = _late_pages(incidents, index, matched)
        candidates: list[tuple[Fit, int, Incident]] = []
        seen: set[int] = set()
        told: dict[str, bool] = {}
        sided = sharing = 0  # candidates that name a side; that share one with the row
        too_many = False
        for pool in index.pools(row):
            if not row.precise and len(seen) + len(pool) > SCAN_LIMIT and _beyond(seen, pool, SCAN_LIMIT - len(seen)):
                too_many = True  # it joins none of them, as it would after reading them all: read none
                break
            for incident in pool:
                if id(incident) in seen or incident.merged:
                    continue
                seen.add(id(incident))
                fit = compatible(row, incident, told, matched)
                if fit is not None:
                    candidates.append((fit, len(candidates), incident))
                    sided += fit.sided
                    sharing += fit.shares
                    if not row.precise and len(candidates) > TIE_LIMIT:
                        break  # a coarse row among too many to tell apart joins none: the rest would change nothing
            if not row.precise and (
                len(seen) > SCAN_LIMIT or len(candidates) > TIE_LIMIT
                or (row.start != row.end and len(candidates) > 1 and not (row.parties and sided == sharing <= 1))
            ):  # fmt: skip
                break  # too many to tell apart (words tell only a day's): a coarse row joins none (``_only_fit``)
        chosen = None
        if row.precise and candidates:
            chosen = min(candidates, key=lambda c: (c[0].km, c[2].end != row.end, c[1]))[2]  # (the day it names)
        elif not too_many and len(seen) <= SCAN_LIMIT and len(candidates) <= TIE_LIMIT:
            chosen = _only_fit([(c[0], c[2]) for c in candidates], row, lexicon)
        if chosen is None and row.late:  # its page's stamp may be a day late: the day before's, when one fits
            chosen = _day_before(row, index, matched)
        if chosen is None and row.told_day is not None:  # it joins the happening it names; else it tells its own day's
            if row.position in tried:
                again.append(row._replace(start=row.told_day, end=row.told_day, told_day=None))
            else:
                tried.add(row.position)
                again.append(row)
            continue
        if chosen is None and not row.spots and not row.bare and row.start == row.end and not row.sequel and (
                anaphoric(row.sentence)):
            deferred.append(row)  # once every other row is placed: its page's story that day (``_deferred``)
            continue
        if chosen is None and row.anaphoric:
            row = row._replace(bare=False, anaphoric=False)  # its page tells none: a happening of its own
        if chosen is None and row.anchored:
            if not row.bare and not row.worded:  # (a day only the corpus's words give corroborates nothing)
                orphans.append(row)
            continue  # its year is only its document's: it joins an incident, it does not make one
        if chosen is not None:
            before = _home(chosen.place)
            was_night = chosen.night
            chosen.add(row)
            if _home(chosen.place) != before or chosen.night != was_night:  # findable from its new place or days
                index.file_cell(chosen)
            continue
        incident = Incident([row], row.start, row.end, row, set(row.parties), row.event_type, row.night,
                            {row.event_type: set(row.parties)})  # fmt: skip
        incidents.append(incident)
        index.add(incident)
    if any(i.members[0].late for i in incidents):  # a page's day only its stamp gives, whose day before came later
        incidents = _late_pages(incidents, index, matched)
    if len(orphans) >= CORROBORATING_DOCUMENTS > 0:  # days only their pages give, which other pages give too
        found = group([r._replace(anchored=False) for r in orphans])
        incidents += [i for i in found if len(i.documents) >= CORROBORATING_DOCUMENTS]
    return incidents


def _day_before(row: Row, index: _Index, matched: Matched) -> Incident | None:
    """The incident of the day before that a row of a day its page gives only as "yesterday" or "today" joins when
    none of its own day takes it (``publication_days``: the page's stamp is often the next day's): the only one
    there of its type in its town, or the only one that already holds a row of its page (its page's other rows of
    that day follow the first). Never one of another town, type or page."""
    day = row.start - ONE_DAY
    shifted = row._replace(start=day, end=day, late=False)
    found: list[Incident] = []
    for pool in index.pools(shifted):
        for incident in pool:
            if incident.merged or incident.start != day or incident.end != day or any(i is incident for i in found):
                continue
            own = row.doc_id in incident.documents
            if not own and not (row.precise and incident.event_type in ("", row.event_type)):
                continue
            fit = compatible(shifted, incident, None, matched)
            if fit is not None and (own or fit.km <= SAME_TOWN_KM):
                found.append(incident)
    return found[0] if len(found) == 1 else None


def _late_pages(incidents: list[Incident], index: _Index, matched: Matched) -> list[Incident]:
    """The incidents whose day only one page's stamp gives (every member a row of a day that page names only as
    "yesterday" or "today", or a row that only joins), founded before the incident of the day before that their
    finest row joins (``_day_before``) was formed: moved into it."""
    gone: set[int] = set()
    for incident in incidents:
        members = incident.members
        if not members[0].late or not all(m.late or m.anchored for m in members) or len(
                {m.doc_id for m in members if m.late}) != 1:
            continue
        first = min((m for m in members if m.late), key=_order)
        before = _day_before(first, index, matched)
        if before is None or id(before) in gone:
            continue
        for member in members:
            before.add(member)
        gone.add(id(incident))
        incident.merged = True  # (left in the look-up's pools: passed over there)
    return [i for i in incidents if id(i) not in gone]


def _beyond(seen: set[int], pool: Sequence[Incident], room: int) -> bool:
    """Whether ``pool`` holds more than ``room`` incidents not in ``seen`` (a pool holds each incident once): read
    no further than it takes to tell, so a crowded day costs a coarse row no more than SCAN_LIMIT looks."""
    if len(pool) > room + len(seen):
        return True
    new = 0
    for incident in pool:
        if id(incident) not in seen:
            new += 1
            if new > room:
                return True
    return False


def _deferred(rows: list[Row]) -> Iterator[Row]:
    """The rows that refer back to their page's story ("the attack was carried out yesterday") and joined nothing
    as they stand, once every other row is placed: each as a day that names nothing (``bare``), which joins what its
    document tells of that day (of its page's stories that day, the one that shares its words the most)."""
    for row in rows:
        yield row._replace(bare=True, anaphoric=True)


def _only_fit(candidates: list[tuple[Fit, Incident]], row: Row, lexicon: Lexicon) -> Incident | None:
    """The incident a coarse row joins: the only compatible one; or, for a row of one day, the one whose reports
    share its rare words by far the most ("jets struck near a Turkish convoy": the convoy's, not another side's
    advance that day; "soldiers were killed when bombs blew up on an army bus": the bus bombing that names no
    side, not the shelling by the soldiers' side that day); or, among several, the only one that shares a side
    with it (the others fit only because they name none: "Putin and Erdogan ... agreed last week" is the
    meeting of the two, not the ceasefire that began that week with no side named), when it is placed or
    political ("Syrian soldiers were killed" placed nowhere is not the Syrian army's shelling elsewhere); or,
    for a row of one day still, the only one not first told as an aside of another happening (its finest report a
    ``sequel``; reports joining it later do not make it the day's main news): an unplaced "Saturday's blast" is
    the truck bomb its day's news is about, not "later in the day, a second explosion"."""
    if len(candidates) < 2:
        return candidates[0][1] if candidates else None
    if row.start == row.end:  # (a week or a month holds too many stories for words to tell which)
        chosen = _by_words([c for _, c in candidates], row, lexicon)
        if chosen is not None:
            return chosen
    # (a violent report placed nowhere names its victims as well as who struck: a side shared is no evidence)
    sharing = [c for fit, c in candidates if fit.shares] if row.parties and (row.spots or row.political) else []
    if len(sharing) == 1 and all(c is sharing[0] or not fit.sided for fit, c in candidates):
        return sharing[0]
    # of a day (or a date of saying) in a town: the one incident of that town, when the others are placed nowhere
    if row.precision == 1 and row.spots and row.end - row.start <= REPORT_LAG:
        town = [c for fit, c in candidates if fit.km <= SAME_TOWN_KM and c.place.spots]
        if len(town) == 1 and all(c is town[0] or not c.place.spots for _, c in candidates):
            return town[0]
    if row.start == row.end:  # the others were first told as asides of another happening ("later in the day")
        told = [c for _, c in candidates if not c.members[0].sequel]
        if len(told) == 1:
            return told[0]
    return None


def _by_words(incidents: Sequence[Incident], row: Row, lexicon: Lexicon) -> Incident | None:
    """The incident whose reports share the row's rarest words, when it outweighs every other by WORDS_MARGIN
    (log units: a word used by a quarter as many documents, or several a little rarer); for a day that names
    nothing (an embedded tweet's date line), which chooses only among its own page's stories of that day, when it
    outweighs them at all."""
    weights, words = lexicon.weights(), lexicon.words(row)
    scored = []
    for k, incident in enumerate(incidents):
        theirs = frozenset[str]().union(*(lexicon.words(m) for m in incident.members))
        scored.append((sum(weights.get(w, 0.0) for w in words & theirs), k))
    scored.sort(reverse=True)
    if len(scored) < 2:
        return None
    lead = scored[0][0] - scored[1][0]
    if lead < WORDS_MARGIN and not (row.bare and lead > 0):  # (a bare day: among its own page's stories, any lead)
        return None
    return incidents[scored[0][1]]


NO_INCIDENTS: list[Incident] = []  # (never added to: a pool of a day without incidents)


def _filed_days(incident: Incident) -> list[dt.date]:
    """The days an incident is found from (``_Index``): its day (of a night, the days before and after too); each day
    of a date of saying's (``report_lag_days``: "the governor said Wednesday"); none for a week or a month, found by
    its dates."""
    if incident.start == incident.end:
        return [incident.start, incident.start - ONE_DAY, incident.start + ONE_DAY] if incident.night else [
            incident.start]
    if incident.end - incident.start <= REPORT_LAG:
        return [incident.start + ONE_DAY * k for k in range((incident.end - incident.start).days + 1)]
    return []


@dataclass
class _Index:
    """The incidents formed so far: a day's by map cell and all together; a week's or a month's by its dates."""

    by_cell: dict[tuple[dt.date, tuple[int, int] | None], list[Incident]] = field(default_factory=dict)
    by_day: dict[dt.date, list[Incident]] = field(default_factory=dict)
    # a day's incidents placed only in a province or a country, filed under that place's own point: a town row far
    # from it looks them up here
    by_coarse: dict[tuple[dt.date, str], list[Incident]] = field(default_factory=dict)  # by day and country
    by_span: dict[tuple[dt.date, dt.date], list[Incident]] = field(default_factory=dict)

    def add(self, incident: Incident) -> None:
        days = _filed_days(incident)
        if incident.start != incident.end and (days or (incident.end - incident.start).days < MAX_SPAN_DAYS):
            self.by_span.setdefault((incident.start, incident.end), []).append(incident)  # (a date of saying's too)
        self._file(incident, days, True)

    def file_cell(self, incident: Incident) -> None:
        """Files an incident under the pools of its days it is not in yet (its place or its night changed)."""
        self._file(incident, _filed_days(incident), False)

    def _file(self, incident: Incident, days: list[dt.date], new: bool) -> None:
        """Files ``incident`` under each of ``days``: by map cell of its places, by country when placed only in a
        province or a country, and among the day's; ``new``: in none yet (no pool is searched for it)."""
        cells, country = _home(incident.place), _coarse(incident.place)
        for day in days:
            pools = [self.by_cell.setdefault((day, cell), []) for cell in cells]
            if country is not None:
                pools.append(self.by_coarse.setdefault((day, country), []))
            pools.append(self.by_day.setdefault(day, []))
            for pool in pools:
                if new or not any(i is incident for i in pool):
                    pool.append(incident)

    def pools(self, row: Row) -> Iterator[list[Incident]]:
        """The incidents ``row`` may join: of its day (or the day before or after: a night), in its map cells
        when it names a town; of each day of its week or month, and those of the same week or month (one day after
        another: a coarse row stops reading once it has seen too many)."""
        if row.start == row.end:  # a night's incident is filed under its neighbour days too (``add``)
            days = [row.start, row.start - ONE_DAY, row.start + ONE_DAY] if row.night else [row.start]
            if row.bare and not row.night:  # (its page's report of that day may tell the day before)
                days.append(row.start - REPORT_LAG)
            if row.lat is None or row.precision > 1 or row.political:  # no town: any of the day's
                yield from (self.by_day.get(day, NO_INCIDENTS) for day in days)
            else:
                yield from (self.by_cell.get((day, cell), NO_INCIDENTS) for day in days for cell in _cells(row))
                yield from (self.by_coarse.get((day, c), NO_INCIDENTS) for day in days for c in _countries(row))
            return
        yield self.by_span.get((row.start, row.end), NO_INCIDENTS)
        day = row.start
        while day <= row.end:
            yield self.by_day.get(day, NO_INCIDENTS)
            day += ONE_DAY
