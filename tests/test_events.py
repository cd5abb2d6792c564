import datetime as dt

import pytest

from pipeline import events
from pipeline.records import Actor, Article, Candidate, Mention, Place, PubDate, Sentence, TimeExpr, TimeValue

TEXT = "Syrian army shelled Saraqib on Monday. Peace talks resumed in Geneva on 3 March 2020."
ARTICLE = Article(doc_id="doc", file="doc.txt", text=TEXT, publisher="Example Wire")
PUB = PubDate(date=dt.date(2020, 3, 5), basis="metadata", evidence="metadata.csv")
SARAQIB = Place("Saraqib", 35.86, 36.8, "city", "Syria", 1)
GENEVA = Place("Geneva", 46.2, 6.14, "city", "Switzerland", 1)
DICTIONARY = {"Syrian government": Actor("Syrian government", "state", "")}


def span(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


def annotated() -> list[events.Annotated]:
    s0 = Sentence("doc", 0, 0, TEXT.index(" Peace"), TEXT[: TEXT.index(" Peace")])
    s1 = Sentence("doc", 1, TEXT.index("Peace"), len(TEXT), TEXT[TEXT.index("Peace") :])
    monday = TimeExpr("on Monday", *span("on Monday"), "weekday", "UNDEF-past-monday")
    march = TimeExpr("3 March 2020", *span("3 March 2020"), "date", "2020-03-03")
    return [
        events.Annotated(
            s0, [monday],
            [TimeValue("2020-03-02", dt.date(2020, 3, 2), dt.date(2020, 3, 2), "day", "relative", "on Monday → …")],
            [Mention("actor", "Syrian army", *span("Syrian army"), "Syrian government")],
            [(Mention("place", "Saraqib", *span("Saraqib"), "Saraqib", 35.86, 36.8, 1), SARAQIB)],
            "attack / strike",
        ),
        events.Annotated(
            s1, [march],
            [TimeValue("2020-03-03", dt.date(2020, 3, 3), dt.date(2020, 3, 3), "day", "explicit", "3 March 2020 → …")],
            [], [(Mention("place", "Geneva", *span("Geneva"), "Geneva", 46.2, 6.14, 1), GENEVA)], "meeting / talks",
        ),
    ]  # fmt: skip


def test_rows_carry_contract_and_extra_columns():
    rows = events.rows_for_document(ARTICLE, PUB, annotated(), DICTIONARY, rules=None)
    frame = events.events_frame(rows)
    assert list(frame.columns) == events.EVENT_COLUMNS
    first = frame.iloc[0]
    assert first["event_id"] == "doc-s000-t0"
    assert (first["time_value"], first["date_start"], first["granularity"]) == ("2020-03-02", "2020-03-02", "day")
    assert first["actors"] == "Syrian government" and first["actor_types"] == "state"
    assert first["locations"] == "Saraqib" and first["countries"] == "Syria"
    assert first["published"] == "2020-03-05" and first["published_basis"] == "metadata"
    assert first["publisher"] == "Example Wire" and first["event_type"] == "attack / strike"
    assert TEXT[first["char_start"] : first["char_end"]] == "on Monday"
    assert frame.iloc[1]["actors"] == "" and frame.iloc[1]["lat"] == 46.2


def test_mentions_cover_every_span_with_its_sentence():
    rows = events.mentions_for_document(annotated())
    assert [(r["kind"], r["text"], r["sentence_index"]) for r in rows] == [
        ("time", "on Monday", 0), ("actor", "Syrian army", 0), ("place", "Saraqib", 0),
        ("time", "3 March 2020", 1), ("place", "Geneva", 1),
    ]  # fmt: skip
    frame = events.mentions_frame(rows)
    assert set(frame["doc_id"]) == {"doc"}
    assert list(frame.columns) == events.MENTION_COLUMNS


def test_places_are_unique_by_name():
    frame = events.places_frame([SARAQIB, GENEVA, SARAQIB])
    assert frame["name"].tolist() == ["Geneva", "Saraqib"]


def test_candidates_are_counted_with_an_example():
    frame = events.candidates_frame(
        [Candidate("Abu Mohammad", "Abu Mohammad said.", "a"), Candidate("Abu Mohammad", "x", "b"),
         Candidate("Jane Roe", "Jane Roe said.", "a")]
    )  # fmt: skip
    assert frame.to_dict("records")[0] == {
        "name": "Abu Mohammad", "count": 2, "documents": "a; b", "example_sentence": "Abu Mohammad said.",
        "example_doc": "a",
    }  # fmt: skip


def test_documents_frame_reports_every_status():
    rejected = Article(doc_id="bad", file="bad.txt", text="", status="rejected", reason="empty file")
    frame = events.documents_frame([(ARTICLE, None, PUB, 2), (rejected, None, PubDate(None, "unknown"), 0)])
    assert frame["status"].tolist() == ["ok", "rejected"]
    assert frame.loc[1, "reason"] == "empty file" and frame.loc[1, "published"] == ""


def test_granularities_outside_the_contract_are_ranges():
    winter = TimeValue("2019-WI", dt.date(2019, 12, 1), dt.date(2020, 2, 29), "season", "relative", "last winter → …")
    assert events._time_columns(winter)["granularity"] == "range"
    assert events._time_columns(winter)["time_value"] == "2019-WI"


def test_candidate_tables_merge_by_name():
    old = events.candidates_frame([Candidate("Abu Mohammad", "Abu Mohammad said.", "a")])
    new = events.candidates_frame(
        [Candidate("Abu Mohammad", "He said.", "b"), Candidate("Jane Roe", "Jane Roe said.", "b")]
    )
    merged = events.merge_candidates(old, new).to_dict("records")
    assert merged[0] == {
        "name": "Abu Mohammad", "count": 2, "documents": "a; b", "example_sentence": "Abu Mohammad said.",
        "example_doc": "a",
    }  # fmt: skip
    assert merged[1]["name"] == "Jane Roe" and merged[1]["count"] == 1


def test_pandas_metadata_is_what_pyarrow_writes_for_our_frames():
    import pyarrow as pa

    for rows in ([], events.rows_for_document(ARTICLE, PUB, annotated(), DICTIONARY, None)):
        frame = events.events_frame(rows)
        from_pandas = pa.Table.from_pandas(frame, schema=events.schema(events.EVENT_COLUMNS), preserve_index=False)
        made = events.with_pandas_metadata(events.table(rows, events.EVENT_COLUMNS))
        assert made.schema.metadata == from_pandas.schema.metadata
        assert made.equals(from_pandas)
    docs = events.documents_frame([(ARTICLE, None, PUB, 2)])
    from_pandas = pa.Table.from_pandas(docs, schema=events.schema(events.DOCUMENT_COLUMNS), preserve_index=False)
    made = events.with_pandas_metadata(
        events.table([events.document_row(ARTICLE, None, PUB, 2)], events.DOCUMENT_COLUMNS)
    )
    assert made.schema.metadata == from_pandas.schema.metadata


def test_pandas_version_read_without_importing_it():
    from importlib import metadata

    assert events._pandas_version() == metadata.version("pandas")


@pytest.mark.parametrize("items", [[], [""], ["a"], ["a", "a"], ["", "b", "a", "b"], ["x", ""]])
def test_unique_keeps_the_first_of_each_non_empty_value(items):
    assert events._unique(items) == list(dict.fromkeys(i for i in items if i))


CLAUSES = "Russian jets struck Jisr al-Shughur on September 2, while Turkish troops entered Idlib on Monday."


def _at(text: str) -> tuple[int, int]:
    start = CLAUSES.index(text)
    return start, start + len(text)


def two_clauses(turkey_named: bool = True) -> list[events.Annotated]:
    sentence = Sentence("doc", 0, 0, len(CLAUSES), CLAUSES)
    exprs = [TimeExpr("on September 2", *_at("on September 2"), "date", "UNDEF-09-02"),
             TimeExpr("on Monday", *_at("on Monday"), "weekday", "UNDEF-past-monday")]  # fmt: skip
    values = [TimeValue("2019-09-02", dt.date(2019, 9, 2), dt.date(2019, 9, 2), "day", "explicit", "…"),
              TimeValue("2019-09-09", dt.date(2019, 9, 9), dt.date(2019, 9, 9), "day", "relative", "…")]  # fmt: skip
    mentions = [Mention("actor", "Russian jets", *_at("Russian jets"), "Russia")]
    if turkey_named:
        mentions.append(Mention("actor", "Turkish troops", *_at("Turkish troops"), "Turkey"))
    idlib = Place("Idlib", 35.93, 36.63, "admin", "Syria", 3)
    jisr = Place("Jisr al-Shughur", 35.81, 36.32, "city", "Syria", 1)
    found = [(Mention("place", "Jisr al-Shughur", *_at("Jisr al-Shughur"), "Jisr al-Shughur"), jisr),
             (Mention("place", "Idlib", *_at("Idlib"), "Idlib"), idlib)]  # fmt: skip
    return [events.Annotated(sentence, exprs, values, mentions, found, "")]


def test_each_event_of_a_sentence_carries_its_own_clause():
    known = {"Russia": Actor("Russia", "state"), "Turkey": Actor("Turkey", "state", source="detected")}
    rows = events.rows_for_document(ARTICLE, PUB, two_clauses(), known, None)
    assert [(r["time_text"], r["actors"], r["locations"]) for r in rows] == [
        ("on September 2", "Russia", "Jisr al-Shughur"),
        ("on Monday", "Turkey", "Idlib"),
    ]
    assert [r["actor_sources"] for r in rows] == ["dictionary", "detected"]


def test_a_clause_without_an_actor_keeps_the_whole_sentence():
    rows = events.rows_for_document(ARTICLE, PUB, two_clauses(turkey_named=False), DICTIONARY, None)
    assert [r["actors"] for r in rows] == ["Russia", "Russia"]
    assert [r["locations"] for r in rows] == ["Jisr al-Shughur; Idlib"] * 2
