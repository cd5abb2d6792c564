"""Ingest: every format and encoding, metadata.csv, duplicates, and a bad-input corpus where nothing is lost."""

import importlib.util
import io
import json
import os
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import formats, ingest
from pipeline.settings import Settings

HERE = Path(__file__).resolve().parent
FIX = HERE / "data" / "ingest"
SAMPLE = HERE.parent / "data" / "sample"
SETTINGS = Settings()


def load_fixture_texts():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIX / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXTS = load_fixture_texts()


def read(*sources: Path, settings: Settings = SETTINGS) -> list:
    return list(ingest.read_sources(list(sources), settings))


def by_id(articles: list) -> dict:
    return {a.doc_id: a for a in articles}


# ---- formats and encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,text",
    [
        ("page_utf8.txt", TEXTS.PAGE),
        ("bom_utf8.txt", TEXTS.ENGLISH),
        ("utf16.txt", TEXTS.FRENCH.replace("Ariha", "Maarat Misrin")),
        ("cp1252.txt", TEXTS.FRENCH),
        ("latin1.txt", TEXTS.LATIN),
    ],
)
def test_text_files_in_each_encoding_decode_exactly(name, text):
    [art] = read(FIX / "formats" / name)
    assert art.status == "ok", art.reason
    assert art.text == text
    assert art.doc_id == name.removesuffix(".txt")


@pytest.mark.parametrize(
    "name,expected",
    [
        ("single.json", {"single": ("Bridge reopens", "2021-04-09", "")}),
        ("list.json", {"list#1": ("", "2022-01-01", ""), "list#2": ("", "2022-01-02", "")}),
        ("newsapi.json", {"newsapi#1": ("", "2022-01-01", "Wire Example")}),
        ("rows.jsonl", {f"rows#{i}": ("", "2022-05-03", "") for i in (1, 2, 3)}),
        ("rows.csv", {f"rows#{i}": (f"Report {i}", f"2022-01-0{i}", "Wire Example") for i in (1, 2, 3)}),
        ("semicolon.csv", {"semicolon#1": ("Dam repaired", "2019-01-31", "")}),
        ("report.html", {"report": ("Drone strike hits fuel depot near Sarmada", "2021-06-09", "Frontline Monitor")}),
    ],
)
def test_structured_formats(name, expected):
    arts = by_id(read(FIX / "formats" / name))
    assert {k: (a.title, a.published, a.publisher) for k, a in arts.items()} == expected
    assert all(a.status == "ok" and a.text.strip() for a in arts.values())


def test_csv_fields_are_recognised_case_insensitively():
    arts = by_id(read(FIX / "formats" / "rows.csv"))
    assert arts["rows#2"].url == "https://wire.example/story/2"
    assert arts["rows#2"].text == "Russian jets struck the outskirts of Jisr al-Shughur on Sunday, residents said."
    assert arts["rows#2"].published_evidence.startswith("CSV field 'PublishedAt'")


def test_html_keeps_the_article_and_its_caption_but_not_the_page_furniture():
    [art] = read(FIX / "formats" / "report.html")
    assert "A drone struck a fuel depot on the outskirts of Sarmada" in art.text
    assert "Caption: Firefighters work at the depot near Sarmada on Wednesday morning." in art.text
    assert "Ceasefire talks stall again" not in art.text and "Share: Facebook" not in art.text
    assert art.url == "https://frontline.example/2021/06/09/drone-strike-sarmada/"


def test_text_column_override():
    default = read(FIX / "override" / "stories.csv")
    reason = "CSV row 1 has no text column (text/body/content); its columns: headline, story, when"
    assert [(a.status, a.reason) for a in default] == [("rejected", reason)]
    [art] = read(FIX / "override" / "stories.csv", settings=Settings(text_column="Story"))
    assert art.status == "ok" and art.text.startswith("A ferry carrying fuel docked in Latakia")
    assert (art.title, art.published) == ("Ferry", "")  # "when" is not a date column it knows


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes(TEXTS.ENGLISH.encode("utf-16-le"))
    [art] = read(path)
    assert (art.status, art.text) == ("ok", TEXTS.ENGLISH)


# ---- folders and metadata.csv --------------------------------------------------------------------------------------


def test_folder_with_metadata_accounts_for_every_file():
    arts = read(FIX / "formats")
    files = sorted(p.name for p in (FIX / "formats").iterdir() if p.name != "metadata.csv")
    seen_files = Counter(Path(a.file).name for a in arts)
    assert sorted(set(seen_files) - {"gone.txt"}) == files
    assert "metadata.csv" not in seen_files
    ids = [a.doc_id for a in arts]
    assert len(ids) == len(set(ids))
    docs = by_id(arts)
    assert (docs["gone"].status, docs["gone"].reason) == ("rejected", "listed in metadata.csv but the file is missing")
    assert docs["bom_utf8"].url == "https://bridges.example/news/20210409/darat-izza"
    assert (docs["bom_utf8"].publisher, docs["bom_utf8"].date_order) == ("Bridge Watch", "DMY")
    latin = docs["latin1"]
    assert (latin.published, latin.title, latin.publisher) == ("2019-11-04", "Gespräche in Genf", "Genfer Zeitung")
    assert latin.published_evidence == 'metadata.csv published "2019-11-04"'
    # Two files named rows.* : the second gets its own stable id.
    assert {"rows#1", "rows-2#1"} <= set(ids)
    assert [a.doc_id for a in read(FIX / "formats")] == ids


def test_sample_folder():
    arts = read(SAMPLE)
    assert [a.status for a in arts] == ["ok"] * 5
    assert [a.doc_id for a in arts] == sorted(p.stem for p in SAMPLE.glob("*.txt"))
    assert by_id(arts)["002_7182a8f42e8688d0"].publisher == "ARA News"
    assert by_id(arts)["004_f126eebc56bc62c4"].url.startswith("https://ipa.news/2020/02/14/")


def test_metadata_csv_named_as_a_file_describes_its_siblings():
    arts = read(SAMPLE / "metadata.csv", SAMPLE / "000_327ddc401ef0ba9e.txt")
    assert [(a.doc_id, a.publisher) for a in arts] == [("000_327ddc401ef0ba9e", "Asharq Al-Awsat")]


def test_metadata_without_file_column_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text(TEXTS.ENGLISH, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("name,url\na.txt,https://x.example/2020/01/02/a\n", encoding="utf-8")
    arts = by_id(read(tmp_path))
    assert arts["a"].status == "ok" and arts["a"].url == ""
    assert arts["metadata"].reason == "metadata.csv ignored: it has no 'file' column"


def test_hidden_files_are_not_inputs(tmp_path):
    (tmp_path / "a.txt").write_text(TEXTS.ENGLISH, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert [a.doc_id for a in read(tmp_path)] == ["a"]


def test_missing_source_is_an_error():
    with pytest.raises(ingest.SourceError, match="no-such-folder"):
        ingest.read_sources([FIX / "no-such-folder"], SETTINGS)


# ---- duplicates ---------------------------------------------------------------------------------------------------


def test_duplicates_are_listed_with_the_first():
    arts = read(FIX / "dupes")
    assert [(a.doc_id, a.status, a.reason) for a in arts] == [
        ("feed#1", "ok", ""),
        ("feed#2", "duplicate", "same text as feed#1"),
        ("first", "ok", ""),
        ("second", "duplicate", "same text as first"),
        ("first-2", "ok", ""),
    ]
    assert Path(arts[-1].file).parent.name == "sub"


def test_the_same_file_given_twice_is_a_duplicate():
    arts = read(FIX / "dupes" / "first.txt", FIX / "dupes" / "first.txt")
    assert [(a.doc_id, a.status) for a in arts] == [("first", "ok"), ("first-2", "duplicate")]


def test_copies_that_differ_only_in_debris_spacing_and_case_are_duplicates(tmp_path):
    body = (
        "Rescue teams pulled four people from the rubble in Ariha on Sunday night, the civil defence said.\n\n"
        "The strike hit a market street shortly after the evening prayer."
    )
    (tmp_path / "a.txt").write_text("Market strike in Ariha\n\n" + body + "\n", encoding="utf-8")
    noisy = body.replace(" four ", "  four\t").upper()
    (tmp_path / "b.txt").write_text(
        "Share:\n\n" + noisy + "\n\nRelated articles\nAnother headline here\n", encoding="utf-8"
    )
    (tmp_path / "c.txt").write_text(body.replace("four", "five") + "\n", encoding="utf-8")
    assert [(a.doc_id, a.status, a.reason) for a in read(tmp_path)] == [
        ("a", "ok", ""),
        ("b", "duplicate", "same text as a"),
        ("c", "ok", ""),
    ]


# ---- the bad-input corpus: nothing lost, nothing raised ---------------------------------------------------------

BAD_EXPECTED = {
    "deep": ("ok", ""),
    "photo": ("rejected", "not an article file (.png, PNG image)"),
    "readme": ("rejected", "not an article file (.md)"),
    "broken": ("ok", ""),
    "broken_utf8": ("rejected", "undecodable bytes at offset 42"),
    "empty": ("rejected", "empty file"),
    "image": ("rejected", "binary content (PNG image)"),
    "invalid": ("rejected", "invalid JSON at line 1 column 55: Expecting ',' delimiter"),
    "missing_column#1": ("rejected", "CSV row 1 has no text column (text/body/content); its columns: title, date"),
    "missing_column#2": ("rejected", "CSV row 2 has no text column (text/body/content); its columns: title, date"),
    "nav_only": ("rejected", "HTML without article text"),
    "unclosed_title": ("rejected", "HTML without article text"),
    "slides": ("rejected", "not an article file (.pdf, PDF document)"),
    "truncated": ("ok", "truncated UTF-8: 2 incomplete bytes at the end dropped"),
    "whitespace": ("rejected", "only whitespace"),
    "ghost": ("rejected", "listed in metadata.csv but the file is missing"),
    "huge": ("rejected", "larger than the 20 MB limit (50.0 MB)"),
}


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> Path:
    """The committed bad inputs plus a 50 MB text file made here (never committed)."""
    root = tmp_path_factory.mktemp("bad")
    for path in (FIX / "bad").iterdir():
        (root / path.name).write_bytes(path.read_bytes())
    with (root / "huge.txt").open("wb") as handle:
        line = b"Shelling continued near Saraqeb through the night, residents said.\n"
        handle.write(line * (50_000_000 // len(line)) + b"x" * (50_000_000 % len(line)))
    assert os.path.getsize(root / "huge.txt") == 50_000_000
    return root


def test_bad_corpus_runs_to_the_end_with_every_file_accounted_for(bad_corpus):
    arts = read(bad_corpus)
    got = {a.doc_id: (a.status, a.reason) for a in arts}
    assert got == BAD_EXPECTED
    assert len(arts) == len(got)
    # every file on disk but metadata.csv appears (the zip as its members), plus the listed-but-missing one
    on_disk = {p.name for p in bad_corpus.iterdir()} - {"metadata.csv", "archive.zip"}
    assert {Path(a.file).name for a in arts if "archive.zip" not in a.file} == on_disk | {"ghost.txt"}
    zipped = sorted(a.file.split("archive.zip/")[1] for a in arts if "archive.zip" in a.file)
    assert zipped == ["news/inner/deep.txt", "news/photo.png", "news/readme.md"]
    deep = by_id(arts)["deep"]
    assert (deep.publisher, deep.published) == ("Azaz Herald", "2021-03-16")


def test_the_size_limit_is_a_setting(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXTS.ENGLISH, encoding="utf-8")
    [art] = read(path, settings=Settings(max_text_bytes=50))
    assert art.status == "rejected" and art.reason.startswith("larger than the 5e-05 MB limit")


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,data,reasons",
    [
        ("broken.zip", b"PK\x03\x04 not really a zip", ["broken zip archive"]),
        ("empty.zip", zip_of({}), ["zip archive without files"]),
        ("nested.zip", zip_of({"inner.zip": zip_of({"a/b.txt": TEXTS.ENGLISH.encode()})}), [""]),
        ("big.zip", zip_of({"big.txt": b"a" * 200}), ["larger than the 0.0001 MB limit (0.0 MB)"]),
        ("x.json", json.dumps([1, {"title": "no text"}]).encode(), ["JSON item 1 is a int", "JSON item 2 has no text"]),
        ("x.json", b"[]", ["JSON list without articles"]),
        ("x.json", b'"just a string"', ["JSON holds a str"]),
        (
            "x.jsonl",
            b'{"text": "Rebels advanced near Ariha on Friday, a monitor said."}\n{oops\n\n[1]\n',
            ["", "JSONL line 2", "JSONL line 4"],
        ),
        ("x.csv", b"text,title\n,empty\n", ["CSV row 1 has an empty 'text'"]),
        ("x.csv", b"text,title\n", ["CSV without rows"]),
        ("x.txt", b"\x00\x01\x02\x03binary\x00junk\x00", ["binary content (NUL byte at offset 0)"]),
        (
            "x.txt",
            b"Share:\n\nNewsletter\n\n13 users have voted.\n",
            ["no article text once the boilerplate is removed"],
        ),
        ("noext", b"Rebels advanced near Ariha on Friday.", ["not an article file (no extension)"]),
    ],
)
def test_odd_inputs_become_rejections_with_reasons(tmp_path, name, data, reasons):
    path = tmp_path / name
    path.write_bytes(data)
    arts = read(path, settings=Settings(max_text_bytes=100) if name == "big.zip" else SETTINGS)
    assert len(arts) == len(reasons)
    for art, reason in zip(arts, reasons, strict=True):
        assert art.reason.startswith(reason), (art.reason, reason)
        assert (art.status == "ok") == (reason == "")


def test_a_reader_that_crashes_does_not_stop_the_run(tmp_path, monkeypatch):
    def explode(data, settings):
        raise RuntimeError("parser bug")

    monkeypatch.setitem(formats.READERS, ".json", explode)
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXTS.ENGLISH, encoding="utf-8")
    arts = read(tmp_path)
    assert [(a.doc_id, a.status) for a in arts] == [("a", "rejected"), ("b", "ok")]
    assert arts[0].reason == "could not be read: RuntimeError: parser bug"


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\nrest", "binary content (PNG image)"),
        (b"%PDF-1.7", "binary content (PDF document)"),
        ("Déjà vu in Idlib".encode() + b"\xc3\x28 rest", "undecodable bytes at offset 18"),
        (b"\xef\xbb\xbfok \xff", "undecodable bytes at offset 6 (utf-8 with BOM)"),
    ],
)
def test_decode_reasons(data, reason):
    with pytest.raises(formats.Rejected) as err:
        formats.decode_text(data)
    assert str(err.value) == reason


def test_a_web_page_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_bytes((FIX / "formats" / "report.html").read_bytes())
    [art] = read(path)
    assert art.status == "ok" and "<p>" not in art.text and art.published == "2021-06-09"


def test_structured_dates_use_the_publishers_convention(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [{"text": TEXTS.ENGLISH, "date": "5/3/2022", "source": "Levant Daily"}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    [art] = read(path, settings=Settings(date_order_by_publisher={"Levant Daily": "DMY"}))
    assert art.published == "2022-03-05"
    [art] = read(path)
    assert art.published == "2022-05-03"


@pytest.mark.parametrize(
    "text,encoding,note",
    [
        ("Le café à Ariha fut bombardé où l’armée avançait.", "cp1252", "decoded as cp1252"),
        ("Café", "cp1252", "decoded as cp1252"),  # é at the very end is not a truncated UTF-8 sequence
        ("He said “no” to the talks in Sochi.", "cp1252", "decoded as cp1252"),
        ("Cumhurbaşkanı Erdoğan Pazartesi günü Dışişleri Bakanı Çavuşoğlu ile görüştü.", "cp1254", "decoded as cp1254"),
        (
            "Министр иностранных дел заявил в понедельник, что переговоры в Сочи продолжатся.",
            "cp1251",
            "decoded as cp1251",
        ),
        ("قال وزير الخارجية يوم الاثنين إن المحادثات في سوتشي ستستمر الأسبوع المقبل.", "cp1256", "decoded as cp1256"),
        ("Plain ASCII news about Idlib.", "utf-8", ""),
        ("Déjà vu in Idlib.", "utf-16", "decoded as UTF-16-LE"),
    ],
)
def test_decode_encodings(text, encoding, note):
    assert formats.decode_text(text.encode(encoding)) == (text, note)


def test_truncated_utf8_keeps_the_text_and_says_so():
    assert formats.decode_text("Déjà vu — ".encode()[:-2]) == (
        "Déjà vu ",
        "truncated UTF-8: 2 incomplete bytes at the end dropped",
    )


def test_metadata_names_match_case_insensitively_and_in_subfolders(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Report.TXT").write_text(TEXTS.ENGLISH, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("FILE,Publisher\nsub/report.txt,Bridge Watch\n", encoding="utf-8")
    [art] = read(tmp_path)
    assert (art.doc_id, art.publisher) == ("Report", "Bridge Watch")


def test_row_ids_never_clash_with_file_names(tmp_path):
    (tmp_path / "a#1.txt").write_text(TEXTS.ENGLISH, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Talks resumed in Astana on Monday."}), encoding="utf-8")
    ids = [a.doc_id for a in read(tmp_path)]
    assert len(ids) == len(set(ids)) == 2


@pytest.mark.parametrize("suffix", [".txt", ".html", ".json", ".jsonl", ".csv", ".zip", ".bin"])
def test_random_bytes_never_raise(tmp_path, suffix):
    import random

    rng = random.Random(suffix)
    for i in range(25):
        size = rng.choice([1, 7, 100, 2000])
        data = bytes(rng.randrange(256) for _ in range(size))
        if i % 3 == 0:  # mostly text with a few wrong bytes
            data = (TEXTS.ENGLISH.encode() * 2)[:size] + data[:3]
        (tmp_path / f"f{i:02d}{suffix}").write_bytes(data)
    arts = read(tmp_path)
    assert {Path(a.file).name for a in arts} == {f"f{i:02d}{suffix}" for i in range(25)}
    assert all(a.status in ("ok", "rejected", "duplicate") and (a.status == "ok" or a.reason) for a in arts)


def test_a_zipped_folder_reads_like_the_folder(tmp_path):
    members = {f"sample/{p.name}": p.read_bytes() for p in sorted(SAMPLE.iterdir())}
    (tmp_path / "sample.zip").write_bytes(zip_of(members))
    zipped = read(tmp_path / "sample.zip")
    plain = read(SAMPLE)
    assert [replace(a, file="") for a in zipped] == [replace(a, file="") for a in plain]
    assert zipped[0].file.endswith("sample.zip/sample/000_327ddc401ef0ba9e.txt")


def test_a_data_dir_without_ingest_rules_falls_back_to_the_bundled_ones(tmp_path):
    [art] = read(FIX / "formats" / "rows.jsonl", settings=Settings(data_dir=tmp_path))[:1]
    assert art.published == "2022-05-03"


def test_every_csv_row_is_accounted_for(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("text,title\nRebels advanced near Ariha on Friday.,A\n\n,,\nTalks resumed in Astana.,B\n", "utf-8")
    arts = read(path)
    assert [(a.doc_id, a.status) for a in arts] == [("export#1", "ok"), ("export#2", "rejected"), ("export#3", "ok")]
    assert arts[1].reason == "CSV row 2 has an empty 'text'"
