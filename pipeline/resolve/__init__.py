"""Anchor underspecified temporal expressions to calendar values, and explain each one.

The anchor is the publication date; inside reported speech that carries its own date ("the
sources said on Saturday"), the date of that speech, in its own sentence and in the quotes after it
while the same speakers (or pronouns) go on; for anaphora ("the same day"), the last date the
narrative resolved. The clause gives the direction: past narration looks back (a weekday equal
to the anchor's weekday is the anchor day itself), "will", "until", "by", "deadline" look forward.
Granularity is kept: "last week" is an ISO week, "since December" a month, "2018" a year. Nothing
is ever resolved against today's date: without an anchor a relative expression stays unresolved.
An offset from an event ("a day after the vote") is anchored on the event's date when the sentence
or the last dated sentence gives it, never on publication; each end of a range takes its part of the
range's value; holidays of other calendars come from pipeline/calendars.py.

``document`` anchors a document's expressions in turn and explains each value; ``values`` computes the calendar
value of one expression from its anchor.
"""

from __future__ import annotations

from pipeline import native

native.activate_subpackage(__path__, "resolve")  # the compiled modules of this package, when they are fresh

from pipeline.resolve.document import date_without_expression, resolve_document  # noqa: E402

__all__ = ["date_without_expression", "resolve_document"]
