#!/usr/bin/env python3
"""Builds forum-core/data/instruments.json: the instruments catalogue.

Article numbers and titles of UNTOC, UNCAC, the WHO FCTC, its Protocol and
the 1988 Convention come from ../shared/data/legal-texts/treaties-en.jsonl
(official texts via wetten.overheid.nl / statengeneraal/laws-markdown); the
other instruments are described here from their official texts (article
count, and the titles of the articles practitioners cite most). An operator
adds an instrument by adding an entry below and re-running the script
(docs/analyses.md).

Run from the repository root: python3 forum-core/data/build_instruments.py
"""
import json, pathlib

root = pathlib.Path(__file__).resolve().parents[2]
treaties = root.parent / "shared/data/legal-texts/treaties-en.jsonl"

# id, short name, full title, year adopted, last amendment in force (or None),
# and for instruments without a text in the shared data: article count and
# known article titles.
CATALOGUE = [
    ("untoc", "UNTOC", "United Nations Convention against Transnational Organized Crime", 2000, None, None, {}),
    ("untoc-firearms", "Firearms Protocol",
     "Protocol against the Illicit Manufacturing of and Trafficking in Firearms, Their Parts and Components and Ammunition, supplementing the United Nations Convention against Transnational Organized Crime",
     2001, None, 21, {
        1: "Relation with the United Nations Convention against Transnational Organized Crime",
        2: "Statement of purpose", 3: "Use of terms", 4: "Scope of application", 5: "Criminalization",
        6: "Confiscation, seizure and disposal", 7: "Record-keeping", 8: "Marking of firearms",
        9: "Deactivation of firearms",
        10: "General requirements for export, import and transit licensing or authorization systems",
        11: "Security and preventive measures", 12: "Information", 13: "Cooperation",
        14: "Training and technical assistance", 15: "Brokers and brokering"}),
    ("uncac", "UNCAC", "United Nations Convention against Corruption", 2003, None, None, {}),
    ("fctc", "WHO FCTC", "WHO Framework Convention on Tobacco Control", 2003, None, None, {}),
    ("fctc-protocol", "FCTC Protocol", "Protocol to Eliminate Illicit Trade in Tobacco Products", 2012, None, None, {}),
    ("trips", "TRIPS", "Agreement on Trade-Related Aspects of Intellectual Property Rights (WTO)", 1994, "2017-01-23", 73, {
        1: "Nature and scope of obligations", 2: "Intellectual property conventions", 3: "National treatment",
        4: "Most-favoured-nation treatment", 9: "Relation to the Berne Convention",
        15: "Protectable subject matter (trademarks)", 16: "Rights conferred (trademarks)",
        41: "General obligations (enforcement)", 42: "Fair and equitable procedures", 44: "Injunctions",
        45: "Damages", 46: "Other remedies", 50: "Provisional measures",
        51: "Suspension of release by customs authorities", 52: "Application", 53: "Security or equivalent assurance",
        58: "Ex officio action", 59: "Remedies", 60: "De minimis imports", 61: "Criminal procedures"}),
    ("medicrime", "MEDICRIME",
     "Council of Europe Convention on the counterfeiting of medical products and similar crimes involving threats to public health (CETS No. 211)",
     2011, None, 33, {
        1: "Purposes", 2: "Non-discrimination principle", 3: "Scope", 4: "Definitions",
        5: "Manufacturing of counterfeits", 6: "Supplying, offering to supply, and trafficking in counterfeits",
        7: "Falsification of documents", 8: "Similar crimes involving threats to public health",
        9: "Aiding or abetting and attempt", 10: "Jurisdiction", 11: "Corporate liability",
        12: "Sanctions and measures", 13: "Aggravating circumstances", 14: "Previous convictions"}),
    ("budapest", "Budapest Convention", "Council of Europe Convention on Cybercrime (ETS No. 185)", 2001, None, 48, {
        1: "Definitions", 2: "Illegal access", 3: "Illegal interception", 4: "Data interference",
        5: "System interference", 6: "Misuse of devices", 7: "Computer-related forgery",
        8: "Computer-related fraud", 9: "Offences related to child pornography",
        10: "Offences related to infringements of copyright and related rights",
        11: "Attempt and aiding or abetting", 12: "Corporate liability", 13: "Sanctions and measures",
        14: "Scope of procedural provisions", 15: "Conditions and safeguards",
        16: "Expedited preservation of stored computer data",
        17: "Expedited preservation and partial disclosure of traffic data", 18: "Production order",
        19: "Search and seizure of stored computer data", 20: "Real-time collection of traffic data",
        21: "Interception of content data", 22: "Jurisdiction",
        23: "General principles relating to international co-operation", 24: "Extradition",
        25: "General principles relating to mutual assistance", 35: "24/7 Network"}),
    ("cites", "CITES", "Convention on International Trade in Endangered Species of Wild Fauna and Flora", 1973, "1987-04-13", 25, {
        1: "Definitions", 2: "Fundamental principles",
        3: "Regulation of trade in specimens of species included in Appendix I",
        4: "Regulation of trade in specimens of species included in Appendix II",
        5: "Regulation of trade in specimens of species included in Appendix III",
        6: "Permits and certificates", 7: "Exemptions and other special provisions relating to trade",
        8: "Measures to be taken by the Parties"}),
    ("single-convention-1961", "Single Convention 1961",
     "Single Convention on Narcotic Drugs, 1961, as amended by the 1972 Protocol", 1961, "1975-08-08", 51, {
        1: "Definitions", 2: "Substances under control", 4: "General obligations",
        33: "Possession of drugs", 35: "Action against the illicit traffic", 36: "Penal provisions",
        37: "Seizure and confiscation"}),
    ("drugs-1988", "1988 Convention",
     "United Nations Convention against Illicit Traffic in Narcotic Drugs and Psychotropic Substances", 1988, None, None, {}),
    ("kyoto-revised", "Revised Kyoto Convention",
     "International Convention on the Simplification and Harmonization of Customs Procedures, as amended (Revised Kyoto Convention, WCO)",
     1999, "2006-02-03", 20, {1: "Definitions"}),
    ("nicosia", "Nicosia Convention",
     "Council of Europe Convention on Offences relating to Cultural Property (CETS No. 221)", 2017, None, 32, {
        1: "Purposes", 2: "Definitions", 3: "Theft and other forms of unlawful appropriation",
        4: "Unlawful excavation and removal", 5: "Illegal importation", 6: "Illegal exportation",
        7: "Acquisition", 8: "Placing on the market", 9: "Falsification of documents",
        10: "Destruction and damage"}),
]

texts = {}
for line in open(treaties, encoding="utf-8"):
    d = json.loads(line)
    if d["article"].isdigit():
        texts.setdefault(d["instrument"], []).append({"number": d["article"], "title": d["title"].strip()})

out = []
for ident, short, title, year, amended, count, titles in CATALOGUE:
    if count is None:
        articles = sorted(texts[ident], key=lambda a: int(a["number"]))
        source = "treaties-en.jsonl"
    else:
        articles = [{"number": str(n), "title": titles.get(n, "")} for n in range(1, count + 1)]
        source = "catalogue"
    out.append({"id": ident, "short_name": short, "title": title, "year": year,
                "amended": amended, "articles": articles, "source": source})
dest = root / "forum-core/data/instruments.json"
dest.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(out)} instruments, {sum(len(i['articles']) for i in out)} articles -> {dest}")
