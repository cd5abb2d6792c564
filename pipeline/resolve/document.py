"""The expressions of a document anchored in turn (``resolve_document``): the publication date, the date of
reported speech while its speakers go on, the narrative's last date for anaphora, an event the sentence names
for an offset from it; and each value explained."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from pipeline import clause
from pipeline.records import PubDate, Sentence, TimeExpr, TimeValue
from pipeline.resolve.values import (
    DAY_NAMES,
    Anchor,
    Referent,
    month_end,
    period_of,
    resolve_expression,
    unresolved_value,
    value_of,
    yearless_day,
)
from pipeline.timex.rules import TimexRules

_DAY_ABBR = tuple(name[:3] for name in DAY_NAMES)


def _show(day: dt.date) -> str:
    """'Sun 2020-05-03' (English abbreviations whatever the locale, and cheaper than strftime)."""
    return f"{_DAY_ABBR[day.weekday()]} {day.isoformat()}"


def resolve_document(
    sentences: Sequence[Sentence], exprs: Sequence[Sequence[TimeExpr]], pub: PubDate, rules: TimexRules
) -> list[list[TimeValue]]:
    """One TimeValue per TimeExpr, in the same shape, resolved in narrative order."""
    publication = Anchor(pub.date, _publication_label(pub)) if pub.date else None
    speech: Anchor | None = None  # the last dated speech: anchors what is quoted after it
    speaker = ""  # who made it, as the word before the verb ("sources", "erdogan")
    last_day: Referent | None = None
    last_any: Referent | None = None
    last_yearless: Referent | None = None  # a day written without its year, unresolved, after the last date
    last_unknown: Referent | None = None  # a day left unresolved ("early Sunday", undated), after the last date
    quotes = clause.Quotes()
    out: list[list[TimeValue]] = []
    for sentence, found in zip(sentences, exprs, strict=True):
        ranges, quotes = quotes.after(sentence.text)
        if not found:  # most sentences: only whether someone else now speaks matters
            if speech and clause.other_speaker(clause.speaker(sentence.text, ranges, rules), speaker):
                speech = None
            out.append([])
            continue

        values: list[TimeValue | None] = [None] * len(found)
        speech_here: tuple[Anchor, int] | None = None
        for k, expr in enumerate(found):
            if not clause.inside(ranges, expr.start - sentence.start) and clause.said_on(sentence, expr, rules):
                dated = resolve_expression(expr, sentence, publication, None, rules)
                values[k] = dated
                if dated.start is not None and dated.granularity == "day" and speech_here is None:
                    speech_here = (Anchor(dated.start, f"the statement '{expr.text}' ({_show(dated.start)})"), expr.end)
        said_by = clause.speaker(sentence.text, ranges, rules) if speech or speech_here else None
        if speech and not speech_here and clause.other_speaker(said_by, speaker):
            speech = None  # someone else speaks now: their quotes are not dated by the earlier statement
        order = list(enumerate(found))
        if any(e.rule.startswith(("range", "anaphora")) for e in found):  # rare: most sentences keep text order
            order.sort(key=lambda ke: _late(ke[1]))
        for k, expr in order:
            value = values[k]
            late = _late(expr) if value is None and expr.rule.startswith(("range", "anaphora")) else 0
            if late == 2:
                value = _range_end(expr, found, values)
                values[k] = value
                continue  # the range itself is the narrative's date
            if late == 1:
                earlier = last_day if last_day and last_day.sentence != sentence.text else None
                value = _resolve_event(expr, found, values, earlier)
                values[k] = value
            if value is None:
                anchor = publication
                if clause.inside(ranges, expr.start - sentence.start):
                    anchor = speech_here[0] if speech_here else speech or publication
                elif (
                    speech_here
                    and expr.start >= speech_here[1]
                    and clause.reported_clause(sentence, speech_here[1], expr)
                ):
                    anchor = speech_here[0]
                referent = last_any if expr.field("unit") in ("week", "month", "quarter", "year") else last_day
                if last_yearless is not None and expr.field("kind") == "anaphora":
                    referent = last_yearless  # "on Saturday, August 24 ... On that day": a day without its year
                elif referent is not None and referent.named and expr.field("clock") and _long_before(
                        referent, publication, rules):
                    referent = None  # "... the April 22 Pahalgam terror attack. The shelling started around 2 am"
                if last_unknown is not None and expr.field("clock"):  # "killed early Sunday ... around 1 a.m."
                    why = f"the same day as '{last_unknown.text}' earlier in the narrative, which is not known"
                    value = unresolved_value(expr, "day", why)
                else:
                    value = resolve_expression(expr, sentence, anchor, referent, rules)
                values[k] = value
            if value.start is not None:
                last_any = Referent(value, expr.text, sentence.text, _names_an_event(expr, sentence, rules))
                last_yearless = None
                if value.granularity == "day":
                    last_day, last_unknown = last_any, None
            elif yearless_day(value):
                last_yearless, last_unknown = Referent(value, expr.text, sentence.text), None
            elif value.granularity == "day" and value.basis == "unresolved" and not expr.field("clock"):
                last_unknown = Referent(value, expr.text, sentence.text)
        if speech_here:
            speech, speaker = speech_here[0], said_by or ""
        out.append([v for v in values if v is not None])
    return out


def _names_an_event(expr: TimeExpr, sentence: Sentence, rules: TimexRules) -> bool:
    """Whether a day names a past event rather than the narrative's day: "the April 22 Pahalgam terror attack"
    ("the", the day, up to four words and one of the ``named_events`` nouns)."""
    a, b = expr.start - sentence.start, expr.end - sentence.start
    before = sentence.text[max(0, a - 4) : a].lower()
    return before.endswith("the ") and rules.named_event.match(sentence.text, b) is not None


def _long_before(referent: Referent, publication: Anchor | None, rules: TimexRules) -> bool:
    """Whether the day a referent names lies more than ``named_events.days`` before the publication date."""
    day = referent.value.start
    return publication is not None and day is not None and (publication.date - day).days > rules.named_event_days


def date_without_expression(
    sentences: Sequence[Sentence], index: int, previous: TimeValue | None, pub: PubDate, rules: TimexRules
) -> TimeValue:
    """The date of a sentence that names an actor or a place but no date of its own."""
    if previous is not None and previous.start is not None and previous.granularity in ("day", "week"):
        words = clause.continues(sentences, index, rules)
        if words:
            why = f"no date of its own: '{words}' continues the previous date {previous.value}"
            return previous._replace(basis="inherited", resolution=why)
    return _reported(pub)


@functools.lru_cache(maxsize=64)
def _reported(pub: PubDate) -> TimeValue:
    """The date of a sentence without a date of its own and not continuing one (the same for a whole document)."""
    if pub.date is None:
        return TimeValue("", None, None, "unknown", "reported", "no date of its own and no publication date: unknown")
    return TimeValue(
        pub.date.isoformat(), pub.date, pub.date, "day", "reported",
        f"no date of its own: dated by {_publication_label(pub)}",
    )  # fmt: skip


def _publication_label(pub: PubDate) -> str:
    """'publication (Sun 2020-05-03)', with the other reading when the printed date was ambiguous."""
    assert pub.date is not None
    other = f"; ambiguous, or {pub.alternative.isoformat()}" if pub.ambiguous and pub.alternative else ""
    return f"publication ({_show(pub.date)}{other})"


_FINER = {"day": ("day",), "week": ("day", "week"), "month": ("day", "week", "month"),
          "year": ("day", "week", "month", "year")}  # fmt: skip


def _late(expr: TimeExpr) -> int:
    """Resolved after the others of their sentence: an event's offset (it may need their dates), a range's ends."""
    return 2 if expr.field("kind") == "range_end" else 1 if expr.field("event") else 0


def _range_end(expr: TimeExpr, found: Sequence[TimeExpr], values: list[TimeValue | None]) -> TimeValue:
    """One end of a range ("March" of "March-April"): its part of the range's value, at the end's own granularity."""
    start = int(expr.field("range_start"))
    whole = next((v for e, v in zip(found, values, strict=True)
                  if v is not None and e.start == start and e.field("kind") == "range"),
                 None)  # fmt: skip
    side = int(expr.field("end")) - 1
    if whole is None or "/" not in whole.value:
        return unresolved_value(expr, "unknown", "an end of a range that has no value")
    text = whole.value.split("/")[side]
    gran = {4: "year", 7: "month", 10: "day"}.get(len(text), "unknown")
    which = ("first", "last")[side]
    if whole.start is None or whole.end is None or text.startswith("XXXX"):
        written = whole.resolution.split(" → ")[0]
        return unresolved_value(expr, gran, f"the {which} end of '{written}' ({whole.value})", text)
    day = whole.start if side == 0 else whole.end
    if gran == "year":
        lo, hi = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    elif gran == "month":
        lo, hi = dt.date(day.year, day.month, 1), month_end(day.year, day.month)
    else:
        lo = hi = day
    return TimeValue(text, lo, hi, gran, whole.basis,
                     f"{expr.text} → {text}: the {which} end of the range {whole.value}")  # fmt: skip


def _resolve_event(
    expr: TimeExpr, found: Sequence[TimeExpr], values: list[TimeValue | None], last_day: Referent | None
) -> TimeValue:
    """ "two days after the March 3 vote": anchored on the event's date when the sentence or the last date names it.

    The event is dated by an expression of the sentence shortly after this one ("the election on Sunday"), or
    by the last dated sentence when that sentence names it ("Parliament voted on March 3"); otherwise the value
    is unresolved, never the publication date or the narrative's last date plus or minus the offset.
    """
    offset = int(expr.field("offset", "0"))
    unit = expr.field("unit")
    after = [(e, v) for e, v in zip(found, values, strict=True) if e.start >= expr.end and v is not None]
    fine = _FINER.get(unit, ("day",))  # "a year after the 2015 deal": a year dates a year's event
    dated = [(e, v) for e, v in after if v.start is not None and (v.granularity in fine or v.granularity == "range")]
    if dated and dated[0][0].start - expr.end <= 80:
        e, v = dated[0]  # before a period ("two days before Ramadan") is before its start, after one after its end
        base = v.end if v.granularity == "range" and offset > 0 else v.start
        ref = f"'{e.text}' ({v.value}), the date of the event it names"
    elif last_day is not None and last_day.value.start is not None and _names_event(expr.field("event"), last_day):
        what = _event_words(expr.field("event"))[0]
        base, ref = last_day.value.start, f"'{last_day.text}' ({last_day.value.value}), when '{what}' happened"
    else:
        event = expr.field("event")[:30].strip()
        return unresolved_value(expr, unit, f"relative to an event ('{event}…') that has no date here")
    assert base is not None
    value, start, end, gran = period_of(unit, base, offset)
    side = "after" if offset > 0 else "before"
    return value_of(expr, value, start, end, gran, "relative", f"{abs(offset)} {unit}(s) {side} {ref}")


_STOP = frozenset("the a an of his her its their this that was were had has have been by in on at to for with and"
                  .split())  # fmt: skip


def _event_words(event: str) -> list[str]:
    """The first two content words of the event a date is relative to, up to a punctuation mark ("vote")."""
    words: list[str] = []
    for raw in event.lower().replace("’", "'").split():
        word = raw.strip(",.;:“”\"'()")
        if word and word not in _STOP:
            words.append(word)
        if len(words) == 2 or raw[-1:] in ",.;:)":
            break
    return words or [event]


def _names_event(event: str, referent: Referent) -> bool:
    """Whether the sentence of the last date names the event ("the vote" ~ "voted on March 3")."""
    said = [w.strip(",.;:“”\"'()") for w in referent.sentence.lower().split()]
    stems = [w[:5] if len(w) > 5 else w for w in _event_words(event) if len(w) >= 4]
    return any(w.startswith(stem) for stem in stems for w in said)
