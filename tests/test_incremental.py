"""The streaming build into a folder: parts, single files, incremental rebuilds, interruptions."""

import json
import shutil

import pandas as pd
import pytest

from pipeline import build, engine, incremental, store, streaming
from pipeline.incidents import months as incident_months
from pipeline.settings import Settings
from tests.conftest import REPO, SAMPLE

SINGLE = ["events.csv", "documents.csv", "mentions.csv", "places.csv", "candidates.csv", "incidents.csv"]
SORT = {"events": ["event_id"], "documents": ["doc_id"], "mentions": ["doc_id", "char_start", "char_end", "kind"]}
PLACES = ["Idlib", "Saraqeb", "Afrin", "Manbij", "Ariha", "Aleppo", "Hama", "Raqqa"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def write_corpus(folder, n):
    """The sample articles and ``n`` short articles of our own, each with its publication date."""
    folder.mkdir()
    for path in sorted(SAMPLE.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    rows = ["file,published,publisher"]
    for i in range(n):
        place, day = PLACES[i % len(PLACES)], DAYS[i % 7]
        (folder / f"own_{i:03d}.txt").write_text(
            f"Clashes near {place} ({i})\n\nTurkish forces shelled positions near {place} on {day}, "
            f"the monitor said. At least {i + 2} people were killed in {PLACES[(i + 3) % len(PLACES)]} last week.\n"
            f"HTS fighters attacked an army post near {place} on {i % 28 + 1} March 2020.\n"
            # (without it, two articles of the same place and day would be near copies: ``neardup``)
            f"Report {i} quoted residents who fled the fighting overnight, reference {i}.\n",
            encoding="utf-8",
        )
        rows.append(f"own_{i:03d}.txt,2020-03-{i % 28 + 1:02d},Test Wire")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def assert_same_build(a, b):
    for name in SINGLE:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    pd.testing.assert_frame_equal(pd.read_parquet(a / "events.parquet"), pd.read_parquet(b / "events.parquet"))
    for table, key in SORT.items():
        left = pd.read_parquet(a / table).sort_values(key).reset_index(drop=True)
        right = pd.read_parquet(b / table).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, obj=table)


def settings(**kw):
    return Settings(workers=1, progress=False, **kw)


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of a few documents, so that a rebuild keeps some parts, rewrites others and adds new ones."""
    monkeypatch.setattr(streaming.assembler, "PART_DOCUMENTS", 4)


def test_an_incremental_rebuild_equals_a_full_build(tmp_path, small_parts):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 14)
    shutil.copy(corpus / "own_002.txt", corpus / "own_copy.txt")  # a duplicate of own_002
    first = build.build_to_folder([corpus], out, settings())
    assert first.status == {"ok": 19, "duplicate": 1} and first.kept == 0
    # A changed text, a removed file, a removed original (its copy becomes the first), a new duplicate, a new file.
    changed = corpus / "own_004.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "Russian jets struck Ariha on Friday.\n", encoding="utf-8")
    (corpus / "own_007.txt").unlink()
    (corpus / "own_002.txt").unlink()
    shutil.copy(corpus / "own_009.txt", corpus / "own_009b.txt")
    (corpus / "zz_new.txt").write_text("Rebels shelled Saraqeb on 3 February 2020.\n", encoding="utf-8")
    again = build.build_to_folder([corpus], out, settings())
    full = build.build_to_folder([corpus], tmp_path / "full", settings())
    assert again.status == full.status and again.events == full.events
    # The unchanged documents were not processed again: the changed, new and formerly duplicate ones were.
    processed = {"own_004", "zz_new", "own_copy", "own_009b", "own_002", "own_007"}  # the last two: now rejected
    assert again.kept == full.status["ok"] + full.status["duplicate"] + full.status["rejected"] - len(processed)
    assert_same_build(out, tmp_path / "full")
    listed = store.live_parts(out)
    on_disk = sorted(p.stem for p in (out / "events").glob("part-*.parquet"))
    assert sorted(listed) == on_disk and len(on_disk) > 1
    assert not (out / store.STAGING).exists()


def test_a_rebuild_with_nothing_changed_processes_nothing_and_rewrites_nothing(tmp_path):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 3)
    build.build_to_folder([corpus], out, settings())
    stamps = {name: (out / name).stat().st_mtime_ns for name in SINGLE}
    calls = []

    def work(articles, res, s):
        calls.append(len(articles))
        return build.process_chunk(articles, res, s)

    again = build.build_to_folder([corpus], out, settings(), work=work)
    assert calls == [] and again.kept == 8
    assert {name: (out / name).stat().st_mtime_ns for name in SINGLE} == stamps


def test_a_rule_or_settings_change_redoes_everything(tmp_path):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 2)
    build.build_to_folder([corpus], out, settings())
    assert build.build_to_folder([corpus], out, settings(default_date_order="DMY")).kept == 0
    rules = tmp_path / "data"
    (rules / "timex").mkdir(parents=True)
    (rules / "actors.csv").write_text("name,type\nHTS,armed group\n", encoding="utf-8")
    (rules / "timex" / "rules.toml").write_text("", encoding="utf-8")
    before = incremental.build_fingerprint(Settings(data_dir=rules))
    (rules / "actors.csv").write_text("name,type\nHTS,armed group\nYPG,armed group\n", encoding="utf-8")
    assert incremental.build_fingerprint(Settings(data_dir=rules)) != before
    (rules / "timex" / "rules.toml").write_text("# a comment is a change too\n", encoding="utf-8")
    assert incremental.build_fingerprint(Settings(data_dir=rules)) != before


def test_a_publication_date_fix_redoes_only_its_document(tmp_path):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 2)
    build.build_to_folder([corpus], out, settings())
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("doc_id,published,note\nown_001,2020-04-09,checked\n", encoding="utf-8")
    again = build.build_to_folder([corpus], out, settings(pubdate_fixes=fixes))
    assert again.kept == 6
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    assert docs.loc["own_001", "published"] == "2020-04-09" and docs.loc["own_001", "published_basis"] == "user"


def test_an_interrupted_build_leaves_the_previous_output_and_the_next_run_finishes(tmp_path, small_parts):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 10)
    build.build_to_folder([corpus], out, settings())
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for i in range(10, 30):
        (corpus / f"new_{i}.txt").write_text(f"Turkish jets struck Afrin on {i} May 2020.\n", encoding="utf-8")
    runs = []

    def interrupted(articles, res, s):
        if runs:
            raise KeyboardInterrupt  # the second run of documents: a Ctrl-C, a crash, a power cut
        runs.append(len(articles))
        return build.process_chunk(articles, res, s)

    with pytest.raises(KeyboardInterrupt):
        build.build_to_folder([corpus], out, settings(), work=interrupted)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and store.STAGING not in p.parts}
    assert after == before
    build.build_to_folder([corpus], out, settings())
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")


def test_a_pool_reading_ahead_in_small_runs_writes_what_one_process_writes(tmp_path, monkeypatch, small_parts):
    monkeypatch.setattr(engine, "POOL_THRESHOLD", 4)
    monkeypatch.setattr(engine, "FIRST_CHUNK", 2)
    monkeypatch.setattr(engine, "READ_AHEAD", 10)
    monkeypatch.setattr(engine, "RUN", 3)
    corpus = tmp_path / "in"
    write_corpus(corpus, 30)
    seen = []
    pooled = build.build_to_folder([corpus], tmp_path / "pool", Settings(workers=2, progress=False),
                                   lambda done, read: seen.append((done, read)))  # fmt: skip
    alone = build.build_to_folder([corpus], tmp_path / "one", settings())
    assert pooled == alone
    assert_same_build(tmp_path / "pool", tmp_path / "one")
    assert seen[-1] == (35, 35) and any(read < 35 for _, read in seen)  # progress while the input is read
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_past_the_single_file_line_only_the_dataset_is_written(tmp_path):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 4)
    build.build_to_folder([corpus], out, settings())
    assert (out / "events.csv").exists()
    summary = build.build_to_folder([corpus], out, settings(single_file_documents=5))
    assert not summary.single_files
    assert not (out / "events.csv").exists() and not (out / "events.parquet").exists()
    assert (out / "places.csv").exists() and (out / "candidates.csv").exists()
    events = pd.read_parquet(out / "events")  # the dataset, as pandas reads a folder of parts
    assert len(events) == summary.events > 20
    mentions = pd.read_parquet(out / "mentions")
    assert set(mentions["doc_id"]) <= set(pd.read_parquet(out / "documents")["doc_id"])


def test_documents_added_at_the_end_are_appended_to_the_single_files(tmp_path, small_parts, monkeypatch):
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 6)
    build.build_to_folder([corpus], out, settings())
    (corpus / "zz_more").mkdir()
    for i in range(5):
        (corpus / "zz_more" / f"m{i}.txt").write_text(f"Russian jets struck Ariha on {i + 1} June 2020.\n")
    calls = []
    append, write = store.append_single_files, store.write_single_files
    monkeypatch.setattr(store, "append_single_files", lambda *a, **k: calls.append("append") or append(*a, **k))
    monkeypatch.setattr(store, "write_single_files", lambda *a, **k: calls.append(a[2]) or write(*a, **k))
    assert build.build_to_folder([corpus], out, settings()).kept == 11
    assert calls == ["append"]
    (corpus / "zz_more" / "m0.txt").unlink()  # a document gone: the parts are rewritten, then streamed in order
    assert build.build_to_folder([corpus], out, settings()).kept == 15
    assert calls == ["append", None]
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")


def test_a_rebuild_reads_only_the_files_that_changed_on_disk(tmp_path, monkeypatch):
    import os

    from pipeline.ingest import files

    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 4)
    build.build_to_folder([corpus], out, settings())
    read = []
    articles_of_file = files.articles_of_file

    def reading(item, *args):
        read.append(item.name)
        return articles_of_file(item, *args)

    monkeypatch.setattr(files, "articles_of_file", reading)
    assert build.build_to_folder([corpus], out, settings()).kept == 9
    assert read == []
    touched = corpus / "own_001.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))  # the same text
    (corpus / "own_002.txt").write_text("Rebels shelled Hama on 4 May 2020.\n", encoding="utf-8")
    again = build.build_to_folder([corpus], out, settings())
    assert sorted(read) == ["own_001.txt", "own_002.txt"] and again.kept == 8  # own_001 read, and kept
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")


def test_the_streaming_build_writes_the_files_the_in_memory_build_writes(tmp_path, small_parts):
    corpus = tmp_path / "in"
    write_corpus(corpus, 12)
    shutil.copy(corpus / "own_003.txt", corpus / "own_copy.txt")
    (corpus / "empty.txt").write_bytes(b"")
    build.build_to_folder([corpus], tmp_path / "streamed", settings())
    store.write_arrow(build.build_arrow([corpus], settings()), tmp_path / "in_memory")
    assert_same_build(tmp_path / "streamed", tmp_path / "in_memory")


INCIDENTS = REPO / "tests" / "data" / "incidents"
UNDATED = (  # an undated report of the Saraqib market strike (tests/test_incidents.py)
    "Residents of Saraqib are still clearing rubble from the market, weeks after the strike.\n\n"
    "On 14 March 2021, Russian warplanes struck the vegetable market in Saraqib, killing nine people, volunteers "
    "said. On Sunday the town buried its dead, and shops in the market stayed closed.\n"
)


YEARLESS = (  # a page that writes no year at all: its "March 14" takes the corpus's year, when one alone has March news
    "Market strike\n\nRussian warplanes struck the vegetable market in Saraqib on March 14, killing nine people, "
    "volunteers said.\n"
)


def test_a_page_without_a_year_takes_the_corpus_year_in_parts_and_rebuilds(tmp_path, small_parts):
    """The corpus's March news is all of 2021: the undated page's "March 14" joins the market strike, in the
    streamed build as in memory. News of March 2020 added: which year is no longer known, and the incremental
    rebuild takes the page's row out of the incident as a full build does."""
    corpus, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(INCIDENTS, corpus)
    (corpus / "yearless_page.txt").write_text(YEARLESS, encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    store.write_arrow(build.build_arrow([corpus], settings()), tmp_path / "in_memory")
    assert_same_build(out, tmp_path / "in_memory")
    events = pd.read_parquet(out / "events")
    page = set(events.loc[events["doc_id"] == "yearless_page", "incident_id"]) - {""}
    wire = set(events.loc[events["doc_id"] == "saraqib_wire", "incident_id"]) - {""}
    assert len(page) == 1 and page <= wire
    with open(corpus / "metadata.csv", "a", encoding="utf-8") as f:
        f.write("march_2020.txt,https://wire-one.example/2020,2020-03-02,Wire One,Shelling in Idlib\n")
    (corpus / "march_2020.txt").write_text("Rebels shelled Idlib on 2 March 2020, the monitor said.\n", "utf-8")
    build.build_to_folder([corpus], out, settings())
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")
    events = pd.read_parquet(out / "events")
    assert set(events.loc[events["doc_id"] == "yearless_page", "incident_id"]) == {""}


WORDED = {  # undated pages whose "Sunday" names no town and no side: only the corpus's news of their words dates it
    "undated_market": "Market raid\n\nSunday's raid on the crowded vegetable market killed nine civilians and wounded "
                      "twenty shoppers, rescue workers said.\n\nStall owners said they would not reopen the market "
                      "until the bombing stopped.\n",
    "undated_outskirts": "Farm raid\n\nSunday's raid on the eastern outskirts killed two men, their relatives said.\n",
    "undated_plain": "Raid\n\nSunday's raid killed two people, their relatives said.\n",
    # its words are those of 28 March's news too, but its page names only Jordan: news of Syria dates nothing of it
    "undated_abroad": "Farm raid\n\nSunday's raid on the eastern outskirts killed two farmers, their relatives "
                      "said.\n\nThe Red Crescent in Amman said its convoys were turned back.\n",
}


def test_an_undated_pages_weekday_dated_by_the_corpus_words_in_parts_and_rebuilds(tmp_path, small_parts):
    """Three undated pages whose "Sunday's raid" names no town and no side: of the corpus's two Sundays of strikes
    on Saraqib, the market page's words are those of 14 March's news, the outskirts page's those of 28 March's, and
    the third page shares no rare word with either: the first two join those strikes, the third nothing (nor a
    fourth that shares the outskirts page's words but names only Jordan: ``page_countries``), in the
    streamed build (small parts) as in memory. News of a strike on another crowded vegetable market on a Sunday
    added: the market page's Sunday is no longer known, and the incremental rebuild takes its row out of the
    incident as a full build does."""
    corpus, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(INCIDENTS, corpus)
    for doc, text in WORDED.items():
        (corpus / f"{doc}.txt").write_text(text, encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    store.write_arrow(build.build_arrow([corpus], settings()), tmp_path / "in_memory")
    assert_same_build(out, tmp_path / "in_memory")
    events = pd.read_parquet(out / "events")

    def incident(doc):
        return set(events.loc[events["doc_id"] == doc, "incident_id"]) - {""}

    assert len(incident("undated_market")) == 1 and incident("undated_market") <= incident("saraqib_wire")
    assert len(incident("undated_outskirts")) == 1 and incident("undated_outskirts") <= incident("saraqib_again_wire")
    assert incident("undated_plain") == set() and incident("undated_abroad") == set()
    documents = pd.read_parquet(out / "documents").set_index("doc_id")
    assert documents.loc["undated_outskirts", "published"] == "2021-03-28"  # (bounded by the incident it joins)
    with open(corpus / "metadata.csv", "a", encoding="utf-8") as f:
        f.write("ariha_market.txt,https://wire-two.example/ariha,2021-04-04,Wire Two,Ariha market struck\n")
    (corpus / "ariha_market.txt").write_text(
        "Jets struck the crowded vegetable market of Ariha on Sunday, killing nine civilians and wounding twenty "
        "shoppers, rescue workers said.\n", encoding="utf-8")  # fmt: skip
    build.build_to_folder([corpus], out, settings())
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")
    events = pd.read_parquet(out / "events")
    assert incident("undated_market") == set()
    assert len(incident("undated_outskirts")) == 1 and incident("undated_outskirts") <= incident("saraqib_again_wire")


def test_copies_incidents_and_inferred_dates_in_parts_and_rebuilds(tmp_path, small_parts, monkeypatch):
    """Near copies across parts (an undated copy read before its dated original: the copy is marked when the
    original comes, parts later), incidents and inferred dates: in the parts as in the single files, the same
    as the in-memory build's, and an incremental rebuild the same as a full one."""
    corpus, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(INCIDENTS, corpus)
    shutil.copy(REPO / "tests" / "data" / "incidents_copies" / "saraqib_copy.txt", corpus)
    shutil.copy(corpus / "saraqib_wire.txt", corpus / "aa_undated_copy.txt")  # first in input order, no date
    (corpus / "undated_review.txt").write_text(UNDATED, encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    store.write_arrow(build.build_arrow([corpus], settings()), tmp_path / "in_memory")
    assert_same_build(out, tmp_path / "in_memory")
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    early = docs.loc["aa_undated_copy"]
    assert (early["status"], early["reason"]) == ("duplicate", "same text as saraqib_wire")
    assert (early["published"], early["published_basis"]) == ("2021-03-14", "duplicate")
    assert docs.loc["saraqib_copy", "reason"].startswith("near-duplicate of aa_undated_copy")  # kept when it came
    assert docs.loc["undated_review", "published_basis"] == "inferred"
    parts = pd.read_parquet(out / "events")
    assert not ({"aa_undated_copy", "saraqib_copy"} & set(parts["doc_id"]))
    assert set(parts.loc[parts["doc_id"] == "undated_review", "published_basis"]) == {"inferred"}
    incidents = pd.read_parquet(out / "incidents.parquet")
    assert set(parts["incident_id"]) - {""} == set(incidents["incident_id"])
    assert {"dateline_place", "actor_sources"} <= set(pd.read_parquet(out / "documents").columns) | set(parts.columns)
    # The original gone: the undated copy is kept, and bounded by the incident it reports.
    (corpus / "saraqib_wire.txt").unlink()
    build.build_to_folder([corpus], out, settings())
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    assert docs.loc["aa_undated_copy", "status"] == "ok"
    # Back again: the copy, kept in its part, is marked again.
    shutil.copy(INCIDENTS / "saraqib_wire.txt", corpus)
    build.build_to_folder([corpus], out, settings())
    shutil.rmtree(tmp_path / "full")
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")
    assert_same_build(out, tmp_path / "in_memory")
    # Nothing changed: nothing is processed (the undated copy stays marked in its part), nothing rewritten.
    stamps = {name: (out / name).stat().st_mtime_ns for name in SINGLE}
    calls, process = [], build.process_chunk
    monkeypatch.setattr(build, "process_chunk", lambda a, r, s: calls.append(len(a)) or process(a, r, s))
    documents = len([f for f in corpus.iterdir() if f.suffix == ".txt"])
    assert build.build_to_folder([corpus], out, settings()).kept == documents  # every document
    assert calls == [] and {name: (out / name).stat().st_mtime_ns for name in SINGLE} == stamps


# ---- copies skipped by their worker ----------------------------------------------------------------------------------


def with_copies(folder):
    """The corpus of ``write_corpus`` and, for each sample article, an edited copy (another outlet, a day later)."""
    write_corpus(folder, 6)
    for path in sorted(SAMPLE.glob("*.txt")):
        (folder / f"copy_{path.name}").write_text(path.read_text(encoding="utf-8") + "\n\nShare this story.\n",
                                                  encoding="utf-8")  # fmt: skip
    return sorted(SAMPLE.glob("*.txt"))


def test_a_worker_skips_the_stages_for_copies_and_the_tables_are_the_same(tmp_path, monkeypatch):
    corpus = tmp_path / "in"
    samples = with_copies(corpus)
    analysed = []
    real = build._analysed
    monkeypatch.setattr(build, "_analysed", lambda article, *a: analysed.append(article.doc_id) or real(article, *a))
    build.build_to_folder([corpus], tmp_path / "skipping", settings())
    assert analysed and not any(d.startswith("copy_") for d in analysed)  # no copy went through the stages
    analysed.clear()
    plain = lambda articles, res, s: build.process_chunk(articles, res, s)  # noqa: E731  (no worker memory)
    build.build_to_folder([corpus], tmp_path / "plain", settings(), work=plain)
    assert sum(d.startswith("copy_") for d in analysed) == len(samples)
    documents = pd.read_csv(tmp_path / "skipping" / "documents.csv")
    assert (documents.status == "duplicate").sum() == len(samples)
    assert_same_build(tmp_path / "skipping", tmp_path / "plain")


def test_a_document_skipped_by_its_worker_that_is_no_duplicate_is_processed_again(tmp_path):
    # The worker's memory is a hint: here it knows a text the build never saw, so it skips a document the build
    # keeps. The build processes it again: the same tables as without skipping.
    from pipeline import clean, ingest, neardup

    corpus = tmp_path / "in"
    write_corpus(corpus, 4)
    s = settings()
    clean.default_rules(s.data_dir)
    seen = neardup.Seen()
    for article in ingest.uncleaned_articles(ingest.existing([corpus]), s, ingest.RunState()):
        article, cleaned = ingest.cleaned_article(article, s)
        key = ingest.text_key(article, cleaned)
        if key is not None:  # as if a document the build does not read held each text, dated
            seen.is_copy({"doc_id": "elsewhere_" + article.doc_id, "published": "2020-01-01",
                          "published_basis": "metadata", "published_evidence": ""}, key,
                         neardup.sketch(ingest.body_text(article, cleaned)))  # fmt: skip
    skipped = []

    def hinted(articles, res, s):
        chunk = build.process_chunk(articles, res, s, seen)
        skipped.extend(chunk.skipped)
        return chunk

    build.build_to_folder([corpus], tmp_path / "hinted", s, work=hinted)
    assert skipped and all(skipped)
    build.build_to_folder([corpus], tmp_path / "plain", s, work=lambda a, res, s: build.process_chunk(a, res, s))
    assert_same_build(tmp_path / "hinted", tmp_path / "plain")


# ---- the incidents pass, a month at a time -----------------------------------------------------------------------


def months_grouped(monkeypatch):
    """The months (YYYY-MM of their rows' dates) of every call grouping incidents, as the build makes them."""
    from pipeline.incidents import tables as incident_tables

    seen, real = [], incident_tables.corpus_incidents

    def recording(columns, *args, **kw):
        seen.append(sorted({d[:7] for d in columns["date_start"] if d}))
        return real(columns, *args, **kw)

    monkeypatch.setattr(incident_tables, "corpus_incidents", recording)
    return seen


def test_a_rebuild_groups_again_only_the_months_its_changes_touch(tmp_path, small_parts, monkeypatch):
    """Articles about March 2020 and about June 2021: a new article about June 2021 regroups June 2021 only; the
    result is the same as a full build's, and the same again when the months' rows go through the disk."""
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 10)
    for path in SAMPLE.glob("*.txt"):  # (an undated article's months are grouped again on every rebuild)
        (corpus / path.name).unlink()
    for i in range(4):
        (corpus / f"june_{i}.txt").write_text(
            f"Rebels shelled Saraqeb on 14 June 2021, the monitor said ({i}).\nReport {i} of the June shelling.\n",
            encoding="utf-8",
        )
    build.build_to_folder([corpus], out, settings())
    seen = months_grouped(monkeypatch)
    (corpus / "june_new.txt").write_text("Rebels shelled Saraqeb again on 15 June 2021, residents said.\n",
                                         encoding="utf-8")  # fmt: skip
    build.build_to_folder([corpus], out, settings())
    assert seen == [["2021-06"]]  # (the places table read back equals the one built: nothing else is grouped)
    seen.clear()
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert seen == [["2020-02", "2020-03", "2021-06"]]  # a full build: every month (few rows: in one call)
    assert_same_build(out, tmp_path / "full")
    monkeypatch.setattr(incident_months, "SPILL_ROWS", 3)  # every few rows to disk
    monkeypatch.setattr(streaming.corpus_pass, "GROUP_ROWS", 1)  # a month at a call
    seen.clear()
    build.build_to_folder([corpus], tmp_path / "spilled", settings())
    assert seen == [["2020-02"], ["2020-03"], ["2021-06"]]
    assert_same_build(tmp_path / "spilled", tmp_path / "full")
    assert not (tmp_path / "spilled" / store.STAGING).exists()
    incidents = pd.read_parquet(out / "incidents.parquet")
    assert list(incidents["date_start"]) == sorted(incidents["date_start"])
    # A name placed otherwise than the last build placed it (its first document changed) may change any month.
    seen.clear()
    monkeypatch.setattr(build, "_places_before", lambda out_dir: {})
    (corpus / "june_newer.txt").write_text("Rebels shelled Saraqeb on 16 June 2021.\n", encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    assert ["2020-03"] in seen and ["2021-06"] in seen


def test_the_months_read_by_arrow_are_those_of_the_grouping():
    """The pass's first read (Arrow over a part) gives each row the month the grouping gives it, a day written
    without a year or a bare weekday on an undated page included."""
    import datetime as dt

    import pyarrow as pa

    from pipeline import incidents

    rows = [  # doc_id, date_basis, date_start, date_end, granularity, time_value, time_text
        ("a", "explicit", "2020-03-14", "2020-03-14", "day", "2020-03-14", "14 March 2020"),
        ("a", "unresolved", "", "", "", "XXXX-04-07", "7 April"),  # in its document's year: 2020
        ("a", "reported", "2020-03-15", "2020-03-15", "day", "2020-03-15", "said on Sunday"),
        ("b", "explicit", "2019-06-02", "2019-06-02", "day", "2019-06-02", "June 2, 2019"),  # a Sunday
        ("b", "unresolved", "", "", "", "XXXX-WXX-7", "Sunday"),
        ("b", "relative", "2019-05-27", "2019-06-02", "week", "2019-W22", "last week"),
        ("c", "unresolved", "", "", "", "XXXX-04-07", "7 April"),  # no year of its own
        ("c", "explicit", None, None, None, None, None),
        ("d", "unresolved", "", "", "", "XXXX-WXX-6", "on Saturday"),  # in Saraqib: the corpus's one Saturday there
        ("e", "explicit", "2020-03-14", "2020-03-14", "day", "2020-03-14", "14 March 2020"),  # (a Saturday)
        ("f", "explicit", "2021-09-01", "2021-12-31", "season", "2021-FA", "late 2021"),  # too vague: no month
    ]
    saraqib = ("attack / strike", 35.86, 36.8, 1, "Russia")  # event_type, lat, lon, place_precision, actors
    told = ("attack / strike", None, None, None, "")  # (a day without a year that names nothing tells no news)
    places = [saraqib if r[0] in "de" else told if r[:2] == ("c", "unresolved") else ("", None, None, None, "")
              for r in rows]  # fmt: skip
    columns = {name: [(r + p + ("",))[k] for r, p in zip(rows, places, strict=True)]  # (no sentence)
               for k, name in enumerate(incidents.MONTH_COLUMNS)}  # fmt: skip
    expected = incidents.row_months(columns, corpus=False)
    found, years, days, yearless, weekdays = incident_months.row_months(pa.table(columns))
    assert (found, years, days, frozenset()) == expected
    assert expected[0] == [24242, 24243, -1, 24233, 24233, 24232, -1, -1, -1, 24242, -1]
    # the corpus's year for the page that writes none: its April is the only April the corpus has news of (2020);
    # the undated page's Saturday in Saraqib: the corpus's one Saturday of news of Saraqib
    assert yearless == {"c": ("XXXX-04-07",)}
    assert weekdays == {"d": ((5, (35.86, 36.8, "russia")),)}  # (with the words of the names its row gives)
    assert incidents.row_months(columns)[0] == [24242, 24243, -1, 24233, 24233, 24232, 24243, -1, 24242, 24242, -1]
    given_years, given_days = dict(years), dict(days)
    assert incidents.with_corpus_years(yearless, found, given_years, given_days) == {"c": 2020}
    towns = incident_months.town_days(pa.table(columns), incidents.towns_of(weekdays))
    assert towns == {(35.86, 36.8): {dt.date(2020, 3, 14)}, (35.86, 36.8, "russia"): {dt.date(2020, 3, 14)}}
    assert incidents.with_corpus_weekdays(weekdays, towns, given_days) == {"d": (dt.date(2020, 3, 14),)}
    assert incident_months.row_months(pa.table(columns), given_years, given_days)[0] == incidents.row_months(columns)[0]
    # a weekday placed nowhere: the corpus's one day of news of its side on that weekday (Arrow picks the rows)
    sides = {name: [*values, value] for (name, values), value in zip(columns.items(), (
        "f", "unresolved", "", "", "", "XXXX-WXX-7", "on Sunday", "attack / strike", None, None, None, "HTS", ""),
        strict=True)}  # fmt: skip
    for name, value in zip(incidents.MONTH_COLUMNS, ("g", "explicit", "2020-03-15", "2020-03-15", "day",
                                                      "2020-03-15", "15 March 2020", "attack / strike", None, None,
                                                      None, "HTS; Russia", ""), strict=True):  # fmt: skip
        sides[name].append(value)
    weekdays = incident_months.row_months(pa.table(sides))[4]
    assert weekdays["f"] == ((6, "side:HTS"), (6, "words"))  # (and, in no town, the corpus's news of its words)
    found = incident_months.town_days(pa.table(sides), incidents.towns_of(weekdays))
    assert found == incidents.town_days(sides, incidents.towns_of(weekdays))
    assert found["side:HTS"] == {dt.date(2020, 3, 15)}  # (its Sunday; Saraqib's Saturday as before)


def test_a_kept_part_whose_rows_change_incident_is_copied_with_only_its_events_written(tmp_path, small_parts,
                                                                                        monkeypatch):  # fmt: skip
    """A new report can change the incident of an old one (a province-wide report fit one strike; with a second
    strike in the province that day it fits neither): the old part becomes a new one whose events are written
    and whose other tables are copied as they were; the result is a full build's."""
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 6)
    (corpus / "zz_a.txt").write_text("Rebels shelled Saraqeb on 14 June 2021, the monitor said.\n", encoding="utf-8")
    (corpus / "zz_b.txt").write_text("Shelling hit Idlib province on 14 June 2021, residents said.\n",
                                     encoding="utf-8")  # fmt: skip
    build.build_to_folder([corpus], out, settings())
    before = pd.read_parquet(out / "events")
    copied, real = [], store.Staging.copy_part
    monkeypatch.setattr(store.Staging, "copy_part", lambda self, part, changed, *name: copied.append(sorted(changed))
                        or real(self, part, changed, *name))  # fmt: skip
    appended, append = [], store._append
    monkeypatch.setattr(store, "_append", lambda staging, name, *a: appended.append(name) or append(staging, name, *a))
    patched, patch = [], store._patched
    monkeypatch.setattr(store, "_patched", lambda *a: patched.append(patch(*a)) or patched[-1])
    (corpus / "zz_c.txt").write_text("Government forces shelled Ariha on 14 June 2021.\n", encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")
    after = pd.read_parquet(out / "events").set_index("event_id")["incident_id"]
    changed = [e for e, i in zip(before["event_id"], before["incident_id"], strict=True) if after[e] != i]
    assert changed and copied and all(tables == ["events"] for tables in copied)
    # the documents and mentions of those parts are as they were: their single files appended to, events.csv not;
    # its rows of those parts copied from the last build's, the rows whose incident changed written again
    assert appended == ["documents", "mentions"]
    assert patched and all(pieces is not None for pieces in patched)


def test_near_copy_checks_the_last_build_made_are_not_made_again(tmp_path, monkeypatch):
    """While every document checked so far is the last build's, unchanged and in the same order, what that build
    found for the next one stands (no copy, or the copy it found); a document new before them ends that (every
    later one is compared)."""
    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 8)
    shutil.copy(corpus / "own_002.txt", corpus / "own_002_copy.txt")
    near = (corpus / "own_004.txt").read_text(encoding="utf-8") + "An editor's note was added to this copy here.\n"
    (corpus / "own_004_edited.txt").write_text(near, encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    first = store.read_checks(out)
    assert [check[1] for check in first if check[0] == "own_004_edited"] == ["own_004"]
    assert ["own_002_copy", "own_002", 1.0] in first and ["own_005", "", 0.0] in first
    seen, real = [], streaming.Assembler._check

    def recording(self, doc, key, sketch, unchanged=False):
        found = real(self, doc, key, sketch, unchanged)
        seen.append((doc.row["doc_id"], unchanged, self._same_checks))
        return found

    monkeypatch.setattr(streaming.Assembler, "_check", recording)
    (corpus / "zz_new.txt").write_text("Rebels shelled Saraqeb on 3 February 2020, residents said.\n", encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    assert all(same for _, unchanged, same in seen if unchanged) and seen[-1][:2] == ("zz_new", False)
    assert store.read_checks(out)[: len(first)] == first
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")
    shutil.rmtree(tmp_path / "full")
    seen.clear()
    (corpus / "0000_new.txt").write_text("Rebels shelled Ariha on 4 February 2020, residents said.\n", encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    assert seen[0][:2] == ("0000_new", False) and not any(same for _, _, same in seen)
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")


def test_a_rebuild_of_a_grown_corpus_starts_where_the_last_build_ended(tmp_path, small_parts, monkeypatch):
    """Documents added after every document of the last build, as an archive grows: the state that build ended
    with (``build_state``) stands for its documents, none of which is gone through again, and the new ones are
    checked against it for copies (of a kept one, or a dated copy of an undated one, which becomes the duplicate)
    as a full build checks them. Without that state (a build's other than the last), the documents are gone
    through one by one: the same files."""
    from pipeline import build_state

    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 9)
    shutil.copy(corpus / "own_002.txt", corpus / "own_002_copy.txt")
    (corpus / "undated.txt").write_text("Clashes near Afrin\n\nRebels shelled Afrin on Monday, residents said. "
                                        "An undated report kept in the archive, reference undated.\n")  # fmt: skip
    build.build_to_folder([corpus], out, settings())
    kept, keep = [], streaming.Assembler._keep
    monkeypatch.setattr(streaming.Assembler, "_keep", lambda self, k: kept.append(k.article.doc_id) or keep(self, k))
    more = corpus / "zz_more"
    more.mkdir()
    shutil.copy(corpus / "own_003.txt", more / "same_as_3.txt")
    near = (corpus / "own_004.txt").read_text(encoding="utf-8") + "An editor's note was added to this copy here.\n"
    (more / "near_4.txt").write_text(near, encoding="utf-8")
    shutil.copy(corpus / "undated.txt", more / "dated_copy.txt")
    (more / "new.txt").write_text("Rebels shelled Saraqeb on 3 February 2020, residents said.\n", encoding="utf-8")
    (more / "metadata.csv").write_text("file,published\ndated_copy.txt,2020-05-04\n", encoding="utf-8")
    again = build.build_to_folder([corpus], out, settings())
    full = build.build_to_folder([corpus], tmp_path / "full", settings())
    assert kept == [] and again.kept == full.status["ok"] + full.status["duplicate"] - 4
    assert again.status == full.status and full.status["duplicate"] == 4  # own_002_copy, undated and two new
    assert_same_build(out, tmp_path / "full")
    documents = pd.read_csv(out / "documents.csv").set_index("doc_id")
    assert documents.loc["undated", "reason"] == "same text as dated_copy"
    assert documents.loc["near_4", "reason"].startswith("near-duplicate of own_004")
    # once more, the state file from another build: every document gone through, the same files
    manifest = json.loads((out / store.MANIFEST).read_text(encoding="utf-8"))
    (out / store.MANIFEST).write_text(json.dumps({**manifest, "state": "another"}), encoding="utf-8")
    (more / "later.txt").write_text("Russian jets struck Ariha on 5 February 2020.\n", encoding="utf-8")
    build.build_to_folder([corpus], out, settings())
    shutil.rmtree(tmp_path / "full")
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert len(kept) == sum(again.status.values()) and (out / build_state.FILE).exists()  # the last build's, each
    assert_same_build(out, tmp_path / "full")


def test_a_metadata_table_read_before_with_the_same_rules_is_not_parsed_again(tmp_path, monkeypatch):
    from pipeline import formats

    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 4)
    build.build_to_folder([corpus], out, settings())
    parsed, csv_rows = [], formats.csv_rows
    monkeypatch.setattr(formats, "csv_rows", lambda text, s: parsed.append(text) or csv_rows(text, s))
    assert build.build_to_folder([corpus], out, settings()).kept == 9 and parsed == []
    metadata = corpus / "metadata.csv"
    metadata.write_text(metadata.read_text().replace("own_001.txt,2020-03-02", "own_001.txt,2020-04-09"))
    assert build.build_to_folder([corpus], out, settings()).kept == 8 and len(parsed) == 1  # own_001 processed
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")
    assert pd.read_csv(out / "documents.csv").set_index("doc_id").loc["own_001", "published"] == "2020-04-09"
    parsed.clear()
    build.build_to_folder([corpus], out, settings(default_date_order="DMY"))  # other settings: read again
    assert len(parsed) == 1



def test_the_months_of_a_kept_part_are_those_the_last_build_kept(tmp_path, small_parts, monkeypatch):
    """A rebuild reads a kept part's event rows only when they are grouped again (its months touched), and then
    all at once; the months of every kept part come from the last build (``incident_months.PartMonths``)."""
    from pipeline import incidents

    corpus, out = tmp_path / "in", tmp_path / "out"
    write_corpus(corpus, 10)
    for path in SAMPLE.glob("*.txt"):  # (an undated article's rows are read on every rebuild)
        (corpus / path.name).unlink()
    build.build_to_folder([corpus], out, settings())
    kept = store.live_parts(out)
    read, table = [], streaming.Assembler._table
    monkeypatch.setattr(streaming.Assembler, "_table", lambda self, part, name, columns=None: read.append(
        (part, name, tuple(columns or ()))) or table(self, part, name, columns))  # fmt: skip
    (corpus / "zz").mkdir()
    (corpus / "zz" / "new.txt").write_text("Rebels shelled Saraqeb on 5 March 2020, residents said.\n")
    (corpus / "zz" / "metadata.csv").write_text("file,published\nnew.txt,2020-03-06\n")
    build.build_to_folder([corpus], out, settings())
    events_read = {(part, columns) for part, name, columns in read if name == "events" and part in kept}
    assert events_read and all(columns in (incidents.COLUMNS_READ, ("incident_id",)) for _, columns in events_read)
    build.build_to_folder([corpus], tmp_path / "full", settings())
    assert_same_build(out, tmp_path / "full")



def test_part_months_keep_what_the_pass_reads_of_a_part_between_builds(tmp_path):
    """Every field of ``PartMonths`` comes back as written (the years and days of undated documents, the days
    without a year and the weekdays with their towns of the pages the corpus dates), for the build that wrote it
    only; a file without the newer fields reads as nothing kept (the parts are read again)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.ipc as ipc

    parts = {
        "part-a": incident_months.part_months(
            [24254, -1, 24255], {"doc1": 2021}, {"doc1": (dt.date(2021, 3, 14), dt.date(2021, 3, 15))},
            {"page": ("XXXX-03-14", "XXXX-03-16")},
            {"page2": ((5, (35.93, 36.63)), (6, (36.2, 37.15)), (6, "side:HTS"))},  # (a town, a side)
        ),
        "part-b": incident_months.part_months([-1], {}, {}, {}, {}),
    }
    path = tmp_path / incident_months.PART_MONTHS
    incident_months.write_part_months(path, parts, "build-1")
    assert incident_months.read_part_months(path, "build-1") == parts
    assert incident_months.read_part_months(path, "build-2") == {}
    old = pa.table({"part": ["part-a"], "rows": [3]})
    with ipc.new_file(path, old.schema.with_metadata({"build": "build-1"})) as sink:
        sink.write_table(old)
    assert incident_months.read_part_months(path, "build-1") == {}


def test_events_csv_copies_the_rows_of_kept_parts_only_from_the_file_the_last_build_wrote(tmp_path, small_parts,
                                                                                          monkeypatch):  # fmt: skip
    """A rebuild copies the rows of the parts it keeps from the last build's events.csv (the manifest says where
    each part's rows are in it), unless the file changed since: then every part is written, and either way the
    result is a full build's."""
    corpus, out, touched = tmp_path / "in", tmp_path / "out", tmp_path / "touched"
    write_corpus(corpus, 10)
    (corpus / "zz_a.txt").write_text("Rebels shelled Saraqeb on 14 June 2021, the monitor said.\n", encoding="utf-8")
    (corpus / "zz_b.txt").write_text("Shelling hit Idlib province on 14 June 2021, residents said.\n",
                                     encoding="utf-8")  # fmt: skip
    build.build_to_folder([corpus], out, settings())
    layout = store.Blocks.from_json(json.loads((out / store.MANIFEST).read_text())["events_csv"])
    assert layout is not None and [p for p, _ in layout.parts] == store.live_parts(out)
    assert layout.size == (out / "events.csv").stat().st_size
    shutil.copytree(out, touched)
    (touched / "events.csv").touch()  # the same bytes, but not the file the manifest describes
    copied, copy_range = [], store._copy_range
    monkeypatch.setattr(store, "_copy_range", lambda *a: copied.append(a[2:]) or copy_range(*a))
    patched, patch = [], store._patched
    monkeypatch.setattr(store, "_patched", lambda *a: patched.append(patch(*a)) or patched[-1])
    # a new report that changes the incidents of the last part's rows; the other parts are kept as they were
    (corpus / "zz_c.txt").write_text("Government forces shelled Ariha on 14 June 2021.\n", encoding="utf-8")
    build.build_to_folder([corpus], tmp_path / "full", settings())
    build.build_to_folder([corpus], out, settings())
    assert_same_build(out, tmp_path / "full")
    kept = set(store.live_parts(out)) & {p for p, _ in layout.parts}
    assert kept and len(copied) == len(kept)  # the kept parts' rows copied, those of the part patched
    assert patched and all(pieces is not None for pieces in patched)
    blocks = store.Blocks.from_json(json.loads((out / store.MANIFEST).read_text())["events_csv"])
    assert blocks is not None and [p for p, _ in blocks.parts] == store.live_parts(out)
    copied.clear()
    patched.clear()
    build.build_to_folder([corpus], touched, settings())
    assert_same_build(touched, tmp_path / "full")
    assert not copied and not patched


def test_a_patched_row_is_looked_for_only_where_a_row_begins():
    """``store._patched`` writes again only the rows whose incident id changed, and finds each where a row of the
    file begins: a sentence that quotes another row's text (after a line end inside its quotes) is not taken for
    it; then the part is written whole (None)."""
    from pipeline.spreadsheet import neutralise_table

    def table(ids, sentences):
        rows = [{"event_id": f"d-s{i:03d}-t0", "doc_id": "d", "sentence": text, "incident_id": incident}
                for i, (incident, text) in enumerate(zip(ids, sentences, strict=True))]  # fmt: skip
        return build.events.table(rows, build.events.EVENT_COLUMNS)

    def written(t):
        return store._csv_rows(neutralise_table(t))

    sentences = ['He said "no",\nthen left.', "=1+1 shelled", "Plain text", 'Quote "x"']
    old = table(["inc-1", "", "inc-2", "inc-3"], sentences)
    new = table(["inc-1", "inc-9", "inc-2", ""], sentences)
    assert b"".join(store._patched(written(old), new, {1: "", 3: "inc-3"})) == written(new)
    # (every text cell is quoted, so a row's text never stands as it is inside another's quotes; a block where it
    # would, after a line end inside quotes, is not patched, nor one without the row)
    assert store._patched(b'"open quote\n' + written(old), new, {1: "", 3: "inc-3"}) is None
    assert store._patched(written(old.slice(0, 1)), new, {1: "", 3: "inc-3"}) is None
