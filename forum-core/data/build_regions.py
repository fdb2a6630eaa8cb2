#!/usr/bin/env python3
"""Builds forum-core/data/regions.json: the regional groupings of Comity's
jurisdiction taxonomy.

UN M49 regions, sub-regions and intermediate regions and their member
countries come from ../shared/data/jurisdictions/iso3166-un-m49.csv
(lukes/ISO-3166-Countries-with-Regional-Codes, CC BY-SA 4.0); the member
lists of the organisations below are written here from the organisations'
own member pages, as of 2026 (see docs/data-sources.md).

Run from the repository root: python3 forum-core/data/build_regions.py
"""
import csv, json, pathlib, sys

root = pathlib.Path(__file__).resolve().parents[2]
m49_csv = root.parent / "shared/data/jurisdictions/iso3166-un-m49.csv"

# Official UN M49 names (en, fr, es, ar).
M49_NAMES = {
    "002": ("Africa", "Afrique", "África", "أفريقيا"),
    "015": ("Northern Africa", "Afrique du Nord", "África septentrional", "شمال أفريقيا"),
    "202": ("Sub-Saharan Africa", "Afrique subsaharienne", "África subsahariana", "أفريقيا جنوب الصحراء الكبرى"),
    "011": ("Western Africa", "Afrique de l'Ouest", "África occidental", "غرب أفريقيا"),
    "014": ("Eastern Africa", "Afrique de l'Est", "África oriental", "شرق أفريقيا"),
    "017": ("Middle Africa", "Afrique centrale", "África central", "وسط أفريقيا"),
    "018": ("Southern Africa", "Afrique australe", "África meridional", "الجنوب الأفريقي"),
    "009": ("Oceania", "Océanie", "Oceanía", "أوقيانوسيا"),
    "053": ("Australia and New Zealand", "Australie et Nouvelle-Zélande", "Australia y Nueva Zelandia", "أستراليا ونيوزيلندا"),
    "054": ("Melanesia", "Mélanésie", "Melanesia", "ميلانيزيا"),
    "057": ("Micronesia", "Micronésie", "Micronesia", "ميكرونيزيا"),
    "061": ("Polynesia", "Polynésie", "Polinesia", "بولينيزيا"),
    "019": ("Americas", "Amériques", "Américas", "الأمريكتان"),
    "021": ("Northern America", "Amérique septentrionale", "América septentrional", "أمريكا الشمالية"),
    "419": ("Latin America and the Caribbean", "Amérique latine et Caraïbes", "América Latina y el Caribe", "أمريكا اللاتينية ومنطقة البحر الكاريبي"),
    "005": ("South America", "Amérique du Sud", "América del Sur", "أمريكا الجنوبية"),
    "013": ("Central America", "Amérique centrale", "Centroamérica", "أمريكا الوسطى"),
    "029": ("Caribbean", "Caraïbes", "Caribe", "منطقة البحر الكاريبي"),
    "142": ("Asia", "Asie", "Asia", "آسيا"),
    "030": ("Eastern Asia", "Asie de l'Est", "Asia oriental", "شرق آسيا"),
    "034": ("Southern Asia", "Asie du Sud", "Asia meridional", "جنوب آسيا"),
    "035": ("South-eastern Asia", "Asie du Sud-Est", "Asia sudoriental", "جنوب شرق آسيا"),
    "143": ("Central Asia", "Asie centrale", "Asia central", "آسيا الوسطى"),
    "145": ("Western Asia", "Asie occidentale", "Asia occidental", "غرب آسيا"),
    "150": ("Europe", "Europe", "Europa", "أوروبا"),
    "039": ("Southern Europe", "Europe du Sud", "Europa meridional", "جنوب أوروبا"),
    "151": ("Eastern Europe", "Europe de l'Est", "Europa oriental", "أوروبا الشرقية"),
    "154": ("Northern Europe", "Europe du Nord", "Europa septentrional", "شمال أوروبا"),
    "155": ("Western Europe", "Europe de l'Ouest", "Europa occidental", "أوروبا الغربية"),
}

ORGANISATIONS = [
    ("EU", ("European Union", "Union européenne", "Unión Europea", "الاتحاد الأوروبي"),
     "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"),
    ("COE", ("Council of Europe", "Conseil de l'Europe", "Consejo de Europa", "مجلس أوروبا"),
     "AL AD AM AT AZ BE BA BG HR CY CZ DK EE FI FR GE DE GR HU IS IE IT LV LI LT LU MT MD MC ME NL MK NO PL PT RO SM RS SK SI ES SE CH TR UA GB"),
    ("AFRICAN-UNION", ("African Union", "Union africaine", "Unión Africana", "الاتحاد الأفريقي"),
     "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU MA MZ NA NE NG RW EH ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW"),
    ("ECOWAS", ("Economic Community of West African States (ECOWAS)", "Communauté économique des États de l'Afrique de l'Ouest (CEDEAO)", "Comunidad Económica de los Estados de África Occidental (CEDEAO)", "الجماعة الاقتصادية لدول غرب أفريقيا (إكواس)"),
     "BJ CV CI GM GH GN GW LR NG SN SL TG"),
    ("SADC", ("Southern African Development Community (SADC)", "Communauté de développement de l'Afrique australe (SADC)", "Comunidad de Desarrollo de África Austral (SADC)", "الجماعة الإنمائية للجنوب الأفريقي (سادك)"),
     "AO BW KM CD SZ LS MG MW MU MZ NA SC ZA TZ ZM ZW"),
    ("ASEAN", ("Association of Southeast Asian Nations (ASEAN)", "Association des nations de l'Asie du Sud-Est (ASEAN)", "Asociación de Naciones de Asia Sudoriental (ASEAN)", "رابطة دول جنوب شرق آسيا (آسيان)"),
     "BN KH ID LA MY MM PH SG TH VN TL"),
    ("GCC", ("Gulf Cooperation Council (GCC)", "Conseil de coopération du Golfe (CCG)", "Consejo de Cooperación del Golfo (CCG)", "مجلس التعاون لدول الخليج العربية"),
     "BH KW OM QA SA AE"),
    ("CARICOM", ("Caribbean Community (CARICOM)", "Communauté caribéenne (CARICOM)", "Comunidad del Caribe (CARICOM)", "الجماعة الكاريبية (كاريكوم)"),
     "AG BS BB BZ DM GD GY HT JM MS KN LC VC SR TT"),
    ("MERCOSUR", ("Southern Common Market (MERCOSUR)", "Marché commun du Sud (MERCOSUR)", "Mercado Común del Sur (MERCOSUR)", "السوق المشتركة لبلدان المخروط الجنوبي (ميركوسور)"),
     "AR BO BR PY UY"),
    ("CAN", ("Andean Community", "Communauté andine", "Comunidad Andina", "جماعة دول الأنديز"),
     "BO CO EC PE"),
    ("EAEU", ("Eurasian Economic Union", "Union économique eurasiatique", "Unión Económica Euroasiática", "الاتحاد الاقتصادي الأوراسي"),
     "AM BY KZ KG RU"),
    ("PIF", ("Pacific Islands Forum", "Forum des îles du Pacifique", "Foro de las Islas del Pacífico", "منتدى جزر المحيط الهادئ"),
     "AU CK FJ PF KI MH FM NR NC NZ NU PW PG WS SB TO TV VU"),
]

EXPECTED = {"EU": 27, "COE": 46, "AFRICAN-UNION": 55, "ECOWAS": 12, "SADC": 16,
            "ASEAN": 11, "GCC": 6, "CARICOM": 15, "MERCOSUR": 5, "CAN": 4,
            "EAEU": 5, "PIF": 18}

rows = list(csv.DictReader(open(m49_csv, encoding="utf-8")))
countries = {r["alpha-2"] for r in rows}
members, parent = {}, {}
for r in rows:
    chain = [c for c in (r["region-code"], r["sub-region-code"], r["intermediate-region-code"]) if c]
    for i, code in enumerate(chain):
        members.setdefault(code, set()).add(r["alpha-2"])
        if i > 0:
            parent[code] = chain[i - 1]

out = []
for code, names in M49_NAMES.items():
    out.append({
        "code": f"M49-{code}", "family": "un-m49",
        "name_en": names[0], "name_fr": names[1], "name_es": names[2], "name_ar": names[3],
        "parents": [f"M49-{parent[code]}"] if code in parent else [],
        "members": sorted(members[code]),
    })
for code, names, m in ORGANISATIONS:
    codes = m.split()
    assert len(codes) == len(set(codes)) == EXPECTED[code], (code, len(codes))
    unknown = set(codes) - countries
    assert not unknown, (code, unknown)
    out.append({
        "code": code, "family": "organisation",
        "name_en": names[0], "name_fr": names[1], "name_es": names[2], "name_ar": names[3],
        "parents": [], "members": sorted(codes),
    })
assert set(M49_NAMES) == set(members), set(members) ^ set(M49_NAMES)
dest = root / "forum-core/data/regions.json"
dest.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(out)} regions -> {dest}")
