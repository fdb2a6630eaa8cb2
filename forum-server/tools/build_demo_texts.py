#!/usr/bin/env python3
"""Builds forum-server/data/demo-texts.jsonl, the legal texts `forum-server
seed --demo` turns into analyses and discussions, from the shared legal
texts (../shared/data/legal-texts, see its SOURCES.md): French customs and
intellectual-property code articles, the FCTC Protocol and UNTOC (English),
Uruguayan laws (Spanish, first part of each) and Tunisian constitution
articles (Arabic). Run from the repository root:
    python3 forum-server/tools/build_demo_texts.py ../shared/data/legal-texts
"""
import json
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/legal-texts")
out = Path(__file__).resolve().parent.parent / "data" / "demo-texts.jsonl"


def rows(name):
    with open(src / name, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


picked = []
fr = list(rows("fr-codes-fr.jsonl"))
customs = [r for r in fr if r["code"] == "Code des douanes" and "contrebande" in r["body"]][:5]
trademark = [r for r in fr if r["code"] == "Code de la propriété intellectuelle" and "contrefaçon" in r["body"] and r["article"].startswith("L716")][:5]
for r in customs + trademark:
    picked.append({"language": "fr", "jurisdiction": "FR", "source": r["code"],
                   "article": r["article"], "body": r["body"][:2500],
                   "subject": "smuggling" if r in customs else "counterfeiting"})
treaties = list(rows("treaties-en.jsonl"))
for instrument, articles in [("fctc-protocol", ["4", "6", "7", "8", "11", "12", "14", "15"]),
                             ("untoc", ["5", "6", "10", "12"])]:
    for r in treaties:
        if r["instrument"] == instrument and r["article"] in articles:
            picked.append({"language": "en", "jurisdiction": None, "source": r["instrument_title"],
                           "instrument": instrument, "article": r["article"], "body": r["body"][:2500],
                           "subject": "illicit_tobacco" if instrument == "fctc-protocol" else "other"})
uy = [r for r in rows("uy-laws-es.jsonl") if "contrabando" in r["body"].lower() or "marcas" in r["body"].lower()][:10]
for r in uy:
    picked.append({"language": "es", "jurisdiction": "UY", "source": r["title"].title(),
                   "article": r["date"], "body": r["body"][:2500],
                   "subject": "smuggling" if "contrabando" in r["body"].lower() else "counterfeiting"})
tn = [r for r in rows("tn-law-ar.jsonl") if r["source"] == "tn-constitution-2022" and ("القضاء" in r["body"] or "قضائي" in r["body"])][:8]
for r in tn:
    picked.append({"language": "ar", "jurisdiction": "TN", "source": "دستور الجمهورية التونسية 2022",
                   "article": r["article"], "body": r["body"], "english": r.get("english", ""),
                   "subject": "other"})
with open(out, "w", encoding="utf-8") as f:
    for p in picked:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
print(f"{len(picked)} texts -> {out}")
