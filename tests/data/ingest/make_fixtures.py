"""Writes the ingest fixtures (run once; the files are committed). The 50 MB file is made by the tests.

    .venv/bin/python tests/data/ingest/make_fixtures.py

Every article text here is written for these tests; none comes from the sample.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

PAGE = """You are here

Shelling hits villages south of Maarat al-Numan

By Staff Writer - Mar 2,2021 - Last updated at Mar 4,2021

Residents inspect a damaged house in Kafranbel on Monday (AFP photo)

ALEPPO — Government artillery shelled three villages south of Maarat al-Numan on Monday, a monitoring group said.

The bombardment followed a night of drone strikes near the Turkish observation post at Morek.

Share:

4 users have voted.

Related Items

Rebels regroup in Jabal al-Zawiya
"""

ENGLISH = (
    "Turkish engineers reopened the bridge at Darat Izza on Friday after a week of repairs, "
    "the local council said.\n\nTraffic towards Afrin resumed within hours, drivers told reporters.\n"
)
FRENCH = (
    "Le ministre a déclaré jeudi que les négociations d’Astana reprendraient « dès la semaine prochaine ».\n\n"
    "Selon l’opposition, les frappes aériennes ont touché un hôpital à Ariha, où trois infirmières ont été blessées.\n"
    "Les habitants évoquent une “catastrophe” et réclament l’arrêt immédiat des combats près de Saraqeb.\n"
)
LATIN = (
    "Die Delegation traf am Montag in Genf ein, um über die Rückkehr der Flüchtlinge zu sprechen.\n\n"
    "Der Außenminister erklärte, die Gespräche seien schwierig, aber nötig für die Menschen in Idlib.\n"
)

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Drone strike hits fuel depot near Sarmada | Frontline Monitor</title>
<meta property="article:published_time" content="2021-06-09T07:30:00+00:00">
<meta property="og:site_name" content="Frontline Monitor">
<link rel="canonical" href="https://frontline.example/2021/06/09/drone-strike-sarmada/">
</head><body>
<header><nav><a href="/">Home</a> | <a href="/syria">Syria</a> | <a href="/newsletter">Newsletter</a></nav></header>
<main><article>
<h1>Drone strike hits fuel depot near Sarmada</h1>
<p class="byline">By Lina Haddad</p>
<p>A drone struck a fuel depot on the outskirts of Sarmada on Tuesday night, setting several tankers on fire,
local civil defence teams said.</p>
<figure><img src="depot.jpg" alt=""><figcaption>Firefighters work at the depot near Sarmada on Wednesday
morning.</figcaption></figure>
<p>No group claimed the strike by Wednesday evening. The depot supplies generators in camps along the border
with Turkey.</p>
<p>Fuel prices in the area rose by a third within hours of the attack, traders in Dana told reporters.</p>
</article></main>
<aside><h3>Related stories</h3><ul><li><a href="/a">Ceasefire talks stall again</a></li></ul></aside>
<footer><p>Share: Facebook Twitter</p><p>&copy; 2021 Frontline Monitor</p></footer>
</body></html>
"""

BROKEN_HTML = """<html><head><title>Convoy</title></head><body><div class="story"><p>An aid convoy of forty trucks
crossed
Bab al-Hawa on Sunday carrying flour and medicine for displaced families in the north.<p>Another convoy is
expected next week, the United Nations office said in a statement<div><span>"""

UNCLOSED_TITLE_HTML = """<html><head><title>Convoy</head><body><p>An aid convoy crossed Bab al-Hawa on Sunday
carrying flour and medicine for displaced families in the north.</p></body></html>"""

NAV_ONLY_HTML = """<html><head><title>Menu</title></head><body><nav><ul><li><a href="/">Home</a></li>
<li><a href="/news">News</a></li></ul></nav></body></html>"""


def rows(n: int, town: str) -> list[dict[str, str]]:
    texts = [
        f"Rebels shelled a government position near {town} on Saturday, killing two soldiers.",
        f"Russian jets struck the outskirts of {town} on Sunday, residents said.",
        f"A car bomb exploded in the market of {town} on Monday, wounding eleven people.",
    ]
    return [
        {
            "Body": texts[i % len(texts)],
            "Title": f"Report {i + 1}",
            "PublishedAt": f"2022-01-0{i + 1}T09:00:00Z",
            "URL": f"https://wire.example/story/{i + 1}",
            "Source": "Wire Example",
        }
        for i in range(n)
    ]


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
            archive.writestr(info, data)
    return buffer.getvalue()


def main() -> None:
    formats = HERE / "formats"
    write(formats / "page_utf8.txt", PAGE)
    write(formats / "bom_utf8.txt", b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"))
    write(formats / "utf16.txt", FRENCH.replace("Ariha", "Maarat Misrin"), "utf-16")
    write(formats / "cp1252.txt", FRENCH, "cp1252")
    write(formats / "latin1.txt", LATIN, "latin-1")
    write(formats / "report.html", HTML)
    write(
        formats / "single.json",
        json.dumps(
            {"title": "Bridge reopens", "content": ENGLISH.replace("Darat Izza", "Atarib"), "date": "2021-04-09"}
        ),
    )
    write(
        formats / "list.json",
        json.dumps([{"text": r["Body"], "published": r["PublishedAt"]} for r in rows(2, "Kafr Nabl")]),
    )
    newsapi = {
        "status": "ok",
        "articles": [
            {
                "source": {"id": None, "name": "Wire Example"},
                "content": r["Body"],
                "url": r["URL"],
                "publishedAt": r["PublishedAt"],
            }
            for r in rows(1, "Binnish")
        ],
    }
    write(formats / "newsapi.json", json.dumps(newsapi))
    write(
        formats / "rows.jsonl",
        "\n".join(json.dumps({"body": r["Body"], "date": "5/3/2022"}) for r in rows(3, "Taftanaz")) + "\n",
    )
    header = "Title,Body,PublishedAt,URL,Source\n"
    csv_lines = [
        f'"{r["Title"]}","{r["Body"]}",{r["PublishedAt"]},{r["URL"]},{r["Source"]}' for r in rows(3, "Jisr al-Shughur")
    ]
    write(formats / "rows.csv", header + "\n".join(csv_lines) + "\n")
    write(
        formats / "semicolon.csv", "title;content;date\nDam repaired;" + rows(1, "Saraqeb")[0]["Body"] + ";31.01.2019\n"
    )
    write(
        formats / "metadata.csv",
        "file,url,published,publisher,title,date_order,ignored\n"
        "bom_utf8.txt,https://bridges.example/news/20210409/darat-izza,,Bridge Watch,,DMY,x\n"
        "latin1.txt,,2019-11-04,Genfer Zeitung,Gespräche in Genf,,\n"
        "gone.txt,,,,,,\n",
    )
    write(
        HERE / "override" / "stories.csv",
        "headline,story,when\nFerry,A ferry carrying fuel docked in Latakia on "
        "Thursday after a two-week delay.,2021-02-11\n",
    )

    bad = HERE / "bad"
    write(bad / "empty.txt", b"")
    write(bad / "whitespace.txt", "  \n\t\n \u00a0 \n")
    write(bad / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(bad / "truncated.txt", FRENCH.encode("utf-8") + "Idlib — ".encode()[:-2])
    write(
        bad / "broken_utf8.txt", "Résumé of the talks in Sochi on Monday.\n".encode() + b"\xff\xfe\xfa and more text.\n"
    )
    write(bad / "broken.html", BROKEN_HTML)
    write(bad / "nav_only.html", NAV_ONLY_HTML)
    write(bad / "unclosed_title.html", UNCLOSED_TITLE_HTML)
    write(bad / "invalid.json", '{"title": "Truce", "text": "The truce held on Friday."')
    write(bad / "missing_column.csv", "title,date\nTruce,2021-01-01\nOffensive,2021-01-02\n")
    write(bad / "slides.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    write(
        bad / "archive.zip",
        zip_bytes(
            {
                "news/": b"",
                "news/inner/deep.txt": b"Deep in the archive: the council met in Azaz on Tuesday to discuss the "
                b"electricity shortage.\n",
                "news/inner/metadata.csv": b"file,published,publisher\ndeep.txt,2021-03-16,Azaz Herald\n",
                "news/photo.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
                "news/readme.md": b"# notes for the scraper\n",
                "__MACOSX/news/._photo.png": b"\x00\x05\x16\x07",
            }
        ),
    )
    write(bad / "metadata.csv", "file,publisher\nghost.txt,Nobody\nempty.txt,Nobody\n")

    dupes = HERE / "dupes"
    write(dupes / "first.txt", ENGLISH)
    write(dupes / "second.txt", "  " + ENGLISH.upper().replace("\n\n", "\n \n") + "\n")
    write(
        dupes / "sub" / "first.txt", "A different article with the same file name: talks resumed in Astana on Monday.\n"
    )
    write(
        dupes / "feed.jsonl",
        "\n".join(
            json.dumps({"text": t})
            for t in ("Talks resumed in Astana on Monday.", "Talks  resumed in Astana on Monday.")
        ),
    )


if __name__ == "__main__":
    main()
