"""Benchmark: the whole build against dateparser's search_dates alone, on the same >= 1,000 articles.

Composes a corpus in a temporary folder (the sample articles, each with a paragraph of its own, and
articles written from the composed sentences below), then in one run times

  1. ``python -m pipeline build <corpus> --out <tmp>`` as a subprocess (every stage, every output file;
     with the stage modules compiled when ``make compile`` has built them, which ``make bench`` does), three
     times (each a full build into a new folder), the median run kept;
  2. ``dateparser.search.search_dates`` over the same texts, in a subprocess, with each article's
     publication date as RELATIVE_BASE (languages=["en"], the fastest fair setting);

and prints both wall times, documents per second, peak memory of each child and the ratio.
Usage: ``python bench/bench_build.py [--articles N] [--runs N] [--keep DIR] [--check]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
TARGET_RATIO = 10.0

# Composed news sentences (never seen by the rules' tests); slots are filled per article.
SENTENCES = [
    "Turkish forces shelled positions of {group} near {place} on {weekday}, the Syrian Observatory said.",
    "At least {n} civilians were killed in air strikes on {place} {when}, activists said.",
    "Russian jets struck a market in {place} late on {weekday}, killing {n} people.",
    "The Syrian army said it had retaken {n} villages around {place} since {month}.",
    "\u201cWe will not withdraw from our observation posts,\u201d the Turkish defence minister said on {weekday}.",
    "Erdogan gave Damascus until the end of the month to pull back its forces.",
    "The ceasefire agreed in Moscow on {month} {day} has been violated {n} times, the monitor said.",
    "Last week, {group} fighters attacked an army checkpoint on the M4 highway.",
    "As a retaliation, government forces shelled the town of {place}.",
    "More than {n},000 people have fled towards the Turkish border {when}.",
    "The United Nations said aid convoys would resume next week.",
    "Talks between Ankara and Moscow are expected to open on {weekday} in {city}.",
    "The offensive, launched in {month} {year}, has displaced nearly a million people.",
    "Under a {year} deal, radical groups were required to leave a demilitarised zone.",
    "On the same day, {group} said it had shot down a drone over {place}.",
    "Three soldiers were wounded two days ago when a roadside bomb hit their vehicle.",
    "The monitor recorded {n} deaths in the province in the first quarter.",
    "Residents said the bombardment continued overnight and into the morning.",
    "The Kremlin said on {weekday} that Putin and Erdogan had spoken by phone.",
    "Rescue workers pulled {n} bodies from the rubble of a school in {place}.",
    "The defence ministry said its troops would stay in {place} until the end of the year.",
    "Protests erupted in {place} last Friday against the closure of a crossing.",
    "Since early {month}, {n} Turkish soldiers have been killed in the region.",
    "The 1990s border agreement was cited by both sides as talks resumed.",
    "Hospitals in {place} ran out of fuel earlier this month, aid groups said.",
    "A convoy of {n} trucks crossed into {place} on {month} {day}, {year}.",
    "The group denied the accusation, saying its fighters had not entered {place}.",
    "Officials said the road would reopen by {weekday} if the truce held.",
    "Kurdish-led forces handed over {n} detainees to the coalition last month.",
    "Heavy snow last winter left thousands of families without shelter in {place}.",
    "The army entered the town on {month} {day}. The next day, rebels counterattacked.",
    "Between {year} and {year2}, the city changed hands several times.",
    "Prices of bread in {place} doubled from January to March, traders said.",
    "The minister told reporters that the operation was proceeding as planned.",
    "Smoke rose over {place} as {group} fighters regrouped outside the town.",
]
# Sentences without a date: most of a real article (about three in four of the sample's sentences).
PLAIN = [
    "The Syrian Observatory for Human Rights said the toll was likely to rise as rescuers searched the rubble.",
    "{group} controls much of {place} and parts of the neighbouring countryside.",
    "Turkey, which backs some rebel factions, has deployed thousands of troops to observation posts in the region.",
    "The United Nations has warned of a humanitarian catastrophe as displaced families crowd into camps.",
    "Russian and Turkish officials have held several rounds of talks without reaching a lasting agreement.",
    "Residents of {place} described streets emptied of people and shops shuttered by the shelling.",
    "The Kremlin accused Ankara of failing to separate moderate rebels from extremist groups.",
    "Aid agencies say the camps near the Turkish border lack tents, heating and clean water.",
    "Government forces, backed by Iranian-supported militias, have pushed north along the M5 highway.",
    "{group} fighters withdrew from several positions after heavy air strikes, a commander said.",
    "The defence ministry in {city} said its forces had responded to attacks on its positions.",
    "Analysts say neither side can afford a direct confrontation in the province.",
    "The health directorate in {place} said two hospitals had been put out of service.",
    "Ankara has repeatedly called on Moscow to rein in the Syrian government offensive.",
    "The fighting has displaced close to a million people, most of them women and children.",
    "Officials in {city} did not respond to requests for comment.",
    "Rebel commanders said they had received new anti-tank missiles from their backers.",
    "The European Union called for an immediate halt to the hostilities and unhindered aid access.",
    "Local councils in {place} have struggled to pay salaries as prices soared.",
    "The monitor, which relies on a network of sources inside Syria, said civilians made up most of the dead.",
]
SLOTS = {
    "group": ["HTS", "Hayat Tahrir al-Sham", "the Islamic State", "the Syrian National Army", "the YPG"],
    "place": [
        "Idlib",
        "Saraqeb",
        "Maarat al-Numan",
        "Ariha",
        "Jisr al-Shughur",
        "Afrin",
        "Manbij",
        "Tal Rifaat",
        "Kafranbel",
    ],
    "city": ["Moscow", "Ankara", "Geneva", "Astana", "Sochi"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "month": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],  # fmt: skip
    "when": ["on Sunday", "yesterday", "last week", "this week", "since December", "in recent days", "on Tuesday"],
}


def compose_corpus(
    folder: Path, articles: int, seed: int = 7, prefix: str = "bench", after: dt.date | None = None
) -> list[tuple[str, dt.date]]:
    """Write ``articles`` unique .txt files and metadata.csv into ``folder``; return (file, published).

    The articles are published over five years from 2018, and the years they name are any from 2012 to 2019.
    ``after``: they are the news of the month after that day instead (what is added to an archive), and name
    the year they are published in or the one before."""
    rnd = random.Random(seed)
    samples = sorted(SAMPLE.glob("*.txt"))
    written: list[tuple[str, dt.date]] = []
    for i in range(articles):
        if after is None:
            published = dt.date(2018, 1, 1) + dt.timedelta(days=rnd.randrange(5 * 365))
            years = (2012, 2019)
        else:
            published = after + dt.timedelta(days=1 + rnd.randrange(30))
            years = (published.year - 1, published.year)
        paragraph = " ".join(_sentence(rnd, years) for _ in range(rnd.randint(3, 6)))
        if samples and i % 5 < 2:  # two in five: a sample article with a paragraph of its own
            text = samples[i % len(samples)].read_text(encoding="utf-8") + "\n\n" + paragraph + "\n"
        else:
            title = f"Fighting flares around {rnd.choice(SLOTS['place'])} as talks stall ({i})"
            body = [" ".join(_sentence(rnd, years) for _ in range(rnd.randint(2, 4)))
                    for _ in range(rnd.randint(5, 9))]  # fmt: skip
            text = title + "\n\n" + "\n\n".join(body + [paragraph]) + "\n"
        name = f"{prefix}_{i:05d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        written.append((name, published))
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["file", "url", "published", "publisher", "title"])
        for name, published in written:
            out.writerow([name, "", published.isoformat(), "Bench Wire", ""])
    return written


def _sentence(rnd: random.Random, years: tuple[int, int] = (2012, 2019)) -> str:
    """One sentence: three in ten carry a date, like a real article (a year from ``years``)."""
    pool = SENTENCES if rnd.random() < 0.3 else PLAIN
    year = rnd.randint(*years)
    values = {k: rnd.choice(v) for k, v in SLOTS.items()}
    values.update(n=rnd.randint(2, 400), day=rnd.randint(1, 28), year=year, year2=year + rnd.randint(1, 3))
    return rnd.choice(pool).format(**values)


SEARCH_DATES_CHILD = """
import csv, datetime as dt, sys, time
from pathlib import Path
from dateparser.search import search_dates
folder = Path(sys.argv[1])
rows = list(csv.DictReader(open(folder / "metadata.csv", encoding="utf-8")))
found = 0
for row in rows:
    base = dt.datetime.fromisoformat(row["published"])
    text = (folder / row["file"]).read_text(encoding="utf-8")
    hits = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base})
    found += len(hits or [])
print(found)
"""


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    peak_kb: int  # the child's peak resident memory (getrusage ru_maxrss)
    stdout: str

    def line(self, label: str, docs: int) -> str:
        return (f"{label:15s}: {self.wall:7.2f} s wall {docs / self.wall:7.1f} docs/s | {self.cpu:7.2f} s cpu "
                f"{docs / self.cpu:7.1f} docs/s | peak {self.peak_kb / 1024:5.0f} MB")  # fmt: skip


def timed_child(command: list[str]) -> Run:
    """Run a child process to completion and measure it (wait4 gives that child's own rusage)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{errors[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, text)


def stage_modules() -> str:
    """Which stage modules the build child will run: compiled by ``make compile``, or the pure-Python ones."""
    probe = "from pipeline import native; print(native.in_use())"
    used = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    if used.stdout.strip() == "True":
        return "stage modules compiled with mypyc (make compile)"
    return "pure-Python stage modules (no fresh make compile: expect a slower build)"


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    args.add_argument("--articles", type=int, default=1000, help="articles in the composed corpus (default 1000)")
    args.add_argument("--keep", type=Path, default=None, help="compose the corpus into this folder and keep it")
    args.add_argument("--runs", type=int, default=3, help="builds timed, the median reported (default 3)")
    args.add_argument("--check", action="store_true", help=f"exit 1 when the build is not {TARGET_RATIO:.0f}x faster")
    opts = args.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsline-bench-") as tmp:
        corpus = opts.keep or Path(tmp) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        written = compose_corpus(corpus, opts.articles)
        docs = len(written)
        size = sum((corpus / name).stat().st_size for name, _ in written)
        print(f"corpus: {docs} articles, {size / 1e6:.1f} MB in {corpus}")
        # Other work on the machine shows in the wall times (the build uses every core): say how busy it was.
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the runs")
        print(f"pipeline: {stage_modules()}")
        # The build is short, so a moment of other work on the machine weighs on it: the median of a few runs
        # (each into a new folder: a full build), as the dashboard's bench does; search_dates runs long enough.
        builds = [timed_child([sys.executable, "-m", "pipeline", "build", str(corpus), "--out", f"{tmp}/out{k}",
                               "--no-progress"]) for k in range(opts.runs)]  # fmt: skip
        build = sorted(builds, key=lambda run: run.wall)[len(builds) // 2]
        print(build.line("pipeline build", docs) + f" | median of {len(builds)} runs: "
              + " ".join(f"{run.wall:.2f}" for run in builds) + " s")  # fmt: skip
        search = timed_child([sys.executable, "-c", SEARCH_DATES_CHILD, str(corpus)])
        print(search.line("search_dates", docs) + f" | {search.stdout.strip()} dates found")
        wall_ratio, cpu_ratio = search.wall / build.wall, search.cpu / build.cpu
        print(f"machine: load average {os.getloadavg()[0]:.1f} after the runs")
        print(f"ratio: the whole build is {wall_ratio:.1f}x (wall) / {cpu_ratio:.1f}x (cpu) faster than search_dates "
              f"alone; target {TARGET_RATIO:.0f}x")  # fmt: skip
    return 1 if opts.check and min(wall_ratio, cpu_ratio) < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
