"""Write data/states.csv: every country as a state actor, from the countryinfo and pycountry packages.

Provenance: countryinfo (the English short name, capital, demonym and the English formal names among the
alternative spellings of each country; native spellings such as "Ísland" are left out, they are English words)
and pycountry (ISO 3166-1 names, common and official names). Both are pinned in requirements-dev.txt; the
pipeline reads only the committed CSV. ``OVERRIDES`` holds what news writes and neither package has
("DR Congo", "Burma", "UAE") and a few names each package spells differently from the news.

    .venv/bin/python scripts/make_states.py            # rewrites data/states.csv
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

import countryinfo
import pycountry

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "states.csv"

# ISO alpha-3 -> fields to set or add (name replaces; aliases, places, demonyms are added; forces are the
# names of the state's armed forces, which always stand for it).
OVERRIDES: dict[str, dict[str, list[str] | str]] = {
    "COD": {
        "name": "DR Congo",  # the news's short name; the formal ones stay aliases
        "aliases": ["DRC", "Congo-Kinshasa", "DR of Congo"], "forces": ["FARDC"],
        "places": ["Democratic Republic of the Congo", "Democratic Republic of Congo"],
    },
    "COG": {"aliases": ["Congo-Brazzaville"]},
    "CAF": {"aliases": ["CAR"]},
    "MKD": {"name": "North Macedonia"},
    "SWZ": {"name": "Eswatini", "aliases": ["Swaziland"]},
    "VAT": {"name": "Vatican City", "aliases": ["Holy See"], "places": ["Vatican"]},
    "BHS": {"name": "Bahamas"},
    "GMB": {"name": "Gambia"},
    "CZE": {"aliases": ["Czechia"]},
    "TLS": {"aliases": ["Timor-Leste"]},
    "CPV": {"aliases": ["Cabo Verde"], "demonyms": ["Cape Verdean"]},
    "MMR": {
        "aliases": ["Burma"], "forces": ["Tatmadaw"], "places": ["Naypyitaw", "Nay Pyi Taw"], "demonyms": ["Myanmar"],
    },
    "CIV": {"aliases": ["Cote d'Ivoire"]},
    "ARE": {"aliases": ["UAE"], "demonyms": ["Emirati"]},
    "GBR": {"aliases": ["UK", "Britain", "Great Britain"]},
    "USA": {"aliases": ["US", "U.S.", "USA", "America"], "places": ["Washington"]},
    "SAU": {"demonyms": ["Saudi"]},
    "PSE": {"aliases": ["Palestinian Authority", "State of Palestine"]},
    "KOR": {"aliases": ["Republic of Korea"]},
    "PRK": {"aliases": ["DPRK"]},
    "BIH": {"demonyms": ["Bosnian"]},
    "TUR": {"aliases": ["Turkiye"]},
    "ZAF": {"places": ["Pretoria"]},
    "AFG": {"demonyms": ["Afghan"]},
    "ECU": {"demonyms": ["Ecuadorean", "Ecuadorian"]},
    # A national army's own name is its state ("South Sudan|SSPDF" in the gold conventions).
    "SSD": {"demonyms": ["South Sudanese"], "forces": [
        "South Sudan People's Defence Forces", "South Sudan People's Defense Forces", "SSPDF"]},
    "ETH": {"forces": ["Ethiopian National Defense Force", "Ethiopian National Defence Force", "ENDF"]},
    "MLI": {"forces": ["FAMa", "Malian Armed Forces"]},
    "UKR": {"forces": ["Armed Forces of Ukraine", "Ukrainian Armed Forces"]},
    "PHL": {"demonyms": ["Philippine"], "forces": ["Armed Forces of the Philippines"]},
    "NGA": {"demonyms": ["Nigerian"]},
    "NER": {"demonyms": ["Nigerien"]},
}
# States neither package lists (Kosovo has no ISO 3166-1 code): added by hand, in the countryinfo record shape.
EXTRA = [
    {"name": "Kosovo", "ISO": {"alpha3": "XKX"}, "capital": "Pristina", "demonym": "Kosovar",
     "altSpellings": ["Republic of Kosovo", "Kosova"], "area": 10887},
]
# Capitals that are also common first names or English words: left out as a stand-in for their state.
AMBIGUOUS_CAPITALS = {
    "Victoria", "Stanley", "Hamilton", "Kingston", "Male", "Jamestown", "Georgetown", "Moroni", "Praia",
    "Saint John's", "Road Town", "Avarua", "Apia", "Castries", "Roseau", "Basseterre", "Majuro",
    "Palikir", "Yaren", "Funafuti", "Tarawa", "Ngerulmud", "Melekeok", "Lobamba", "Sucre", "Brades", "Adamstown",
    "Kingstown", "Saint Helier", "Saint Peter Port", "Douglas", "Gibraltar", "Monaco", "Singapore", "Luxembourg",
    "San Marino", "Vatican City", "Kuwait City", "Panama City", "Guatemala City", "Mexico City", "Djibouti",
    "Tunis", "Algiers", "Alofi", "Mata-Utu", "Flying Fish Cove", "West Island", "Papeete",
    "Nouméa", "Hagåtña", "Saipan", "Pago Pago", "Charlotte Amalie", "Cockburn Town", "George Town", "Plymouth",
    "The Valley", "Philipsburg", "Marigot", "Gustavia", "Willemstad", "Oranjestad", "Kralendijk", "Nuuk",
    "Tórshavn", "Longyearbyen", "Mariehamn", "Saint-Pierre", "Basse-Terre", "Fort-de-France", "Cayenne",
    "Saint-Denis", "Mamoudzou", "King Edward Point", "Port-aux-Français", "Diego Garcia", "Washington D.C.",
}
# Alternative names that are everyday English words ("Man" for the Isle of Man).
COMMON_WORDS = {"Man", "Mann", "Jersey", "Christmas Island"}  # "Mann" keys as "man"


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def ascii_name(text: str) -> bool:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z .'\-()]*", folded)) and len(folded) >= len(text) - 2


def countryinfo_records() -> list[dict]:
    folder = Path(countryinfo.__file__).parent / "data"
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))] + EXTRA


def rows() -> list[dict[str, str]]:
    out: list[dict] = []
    owner: dict[str, tuple[float, int]] = {}  # demonym -> (area, row)
    for record in countryinfo_records():
        iso = record.get("ISO") or {}
        code = iso.get("alpha3") if isinstance(iso, dict) else None
        if not code or not record.get("capital") and not record.get("demonym"):
            continue
        entry = pycountry.countries.get(alpha_3=code) if code != "XKX" else None
        override = OVERRIDES.get(code, {})
        name = str(override.get("name") or record["name"])
        if "," in name:  # "Palestine, State of" repeats "Palestine"; "Virgin Islands, British" is a territory
            continue
        aliases: list[str] = []
        english = [a for a in record.get("altSpellings", []) if re.search(r"\b(Republic|Kingdom|State|of)\b", a)]
        for cand in [record["name"], getattr(entry, "name", ""), getattr(entry, "common_name", ""),
                     getattr(entry, "official_name", ""), *english, *override.get("aliases", [])]:  # fmt: skip
            if not cand or "," in cand or cand == name:
                continue
            if len(cand) <= 3 and cand not in override.get("aliases", []):
                continue  # ISO codes ("SD", "SDN") are words or other things in running text
            if ascii_name(cand) or cand in override.get("aliases", []):
                aliases.append(cand)
        capital = str(record.get("capital") or "")
        places = [name, *[a for a in aliases if a.isupper() or " " not in a and not a.lower().startswith("the ")]]
        if capital and capital not in AMBIGUOUS_CAPITALS and fold(capital) not in AMBIGUOUS_CAPITALS:
            places.append(capital)
        places = [p for p in places if p not in COMMON_WORDS]
        places += list(override.get("places", []))
        aliases = [a for a in aliases if a not in places and a not in COMMON_WORDS] + list(override.get("forces", []))
        demonyms = list(dict.fromkeys(d for d in [record.get("demonym") or "", *override.get("demonyms", [])] if d))
        area = float(record.get("area") or 0)
        row = {"name": name, "type": "state", "affiliation": "", "aliases": aliases, "places": places,
               "demonyms": demonyms, "notes": f"ISO {code}"}  # fmt: skip
        for demonym in demonyms:
            if demonym in owner and owner[demonym][0] >= area:
                row["demonyms"] = [d for d in row["demonyms"] if d != demonym]
            elif demonym in owner:
                other = out[owner[demonym][1]]
                other["demonyms"] = [d for d in other["demonyms"] if d != demonym]
                owner[demonym] = (area, len(out))
            else:
                owner[demonym] = (area, len(out))
        out.append(row)
    seen: set[str] = set()
    final = []
    for row in sorted(out, key=lambda r: r["name"]):
        if row["name"] in seen:
            continue
        seen.add(row["name"])
        final.append({k: "|".join(dict.fromkeys(v)) if isinstance(v, list) else v for k, v in row.items()})
    return final


def main() -> int:
    table = rows()
    with open(OUT, "w", newline="", encoding="utf-8") as handle:
        columns = ["name", "type", "affiliation", "aliases", "places", "demonyms", "notes"]
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(table)
    print(f"{len(table)} states -> {OUT.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
