# Writes personal_data_corpus.jsonl: labelled sentences (en/fr/es/ar) for
# the personal-data detectors, with IBANs, cards and MRZ lines given valid
# check digits. Every name, number and address here is made up.
# Run: python3 forum-core/tests/data/make_personal_data_corpus.py
import json, random
random.seed(20261206)
out=[]
def add(lang, text, kind, value):
    assert value in text, (text, value)
    out.append({"lang": lang, "kind": kind, "text": text, "value": value})

# e-mail
emails = [
 ("en","The informant can be reached at {v} after 6 pm.","m.okafor@proton.me"),
 ("en","Please forward the seizure report to {v}.","customs.officer12@hmrc-example.gov.uk"),
 ("en","His business address was {v} according to the registry.","sales@pharma-direct-online.com"),
 ("fr","Le suspect utilisait l'adresse {v} pour ses commandes.","k.benali75@gmail.com"),
 ("fr","Contactez le témoin à {v} avant l'audience.","sophie.marchand@orange.fr"),
 ("fr","Les colis étaient réservés via {v}.","colis.rapide+fr@outlook.fr"),
 ("es","El acusado enviaba los pedidos desde {v}.","javier.ruiz.mtz@hotmail.es"),
 ("es","La víctima denunció mensajes de {v} durante meses.","farmacia.barata24@yahoo.com"),
 ("es","Correo del intermediario: {v}","l.fernandez@empresa-logistica.es"),
 ("ar","كان المتهم يستعمل البريد {v} للتواصل مع الموردين.","y.alaoui@menara.ma"),
 ("ar","أرسل الشاهد الصور إلى {v} يوم الحجز.","tunis.trade2020@gmail.com"),
 ("ar","عنوان البريد الإلكتروني للوسيط هو {v}","h.benyoussef@topnet.tn"),
 ("en","Payments were confirmed by e-mail ({v}).","noreply.orders@cheap-meds.biz"),
 ("fr","Adresse électronique relevée lors de la perquisition : {v}","d.lefebvre@laposte.net"),
 ("es","Se identificó la cuenta {v} en el teléfono incautado.","tabaco.sin.marca@gmx.com"),
 ("ar","تم تحديد الحساب {v} في الهاتف المحجوز.","omar.trabelsi@yahoo.fr"),
 ("en","Ask the liaison officer ({v}) for the chain-of-custody form.","j.walsh@garda-example.ie"),
 ("fr","Le courriel de {v} a été saisi.","contact@faux-medicaments.eu"),
 ("es","Enviar la comisión rogatoria a {v}.","cooperacion.penal@fiscal-example.es"),
 ("ar","راسلوا {v} بخصوص الإنابة القضائية.","entraide@justice-example.ma"),
]
for l,t,v in emails: add(l,t.format(v=v),"email",v)

phones = [
 ("fr","Le prévenu a été joint au {v} le 3 mars.","06 12 34 56 78"),
 ("fr","Numéro de téléphone du témoin : {v}","+33 7 81 22 45 09"),
 ("fr","Appel reçu depuis le {v}.","01 45 67 89 12"),
 ("es","El acusado utilizaba el móvil {v}.","612 345 678"),
 ("es","Teléfono de contacto del intermediario: {v}","+34 699 12 34 56"),
 ("es","Las llamadas al {v} fueron intervenidas.","+598 94 123 456"),
 ("en","The suspect's phone number was {v}.","+44 7911 123456"),
 ("en","Call the handler on {v} only.","+1 202-555-0147"),
 ("en","His mobile, {v}, was seized.","07700 900456"),
 ("en","The courier answered on {v}.","+49 151 23456789"),
 ("ar","رقم هاتف المتهم هو {v}","+212 661 23 45 67"),
 ("ar","تم الاتصال بالشاهد على الرقم {v}","+216 98 123 456"),
 ("ar","الهاتف المحجوز يحمل الرقم {v}","0661 234 567"),
 ("fr","Tél. du gérant : {v}","+32 470 12 34 56"),
 ("es","WhatsApp del vendedor: {v}","+54 9 11 2345 6789"),
 ("en","Tel: {v}","+39 347 123 4567"),
 ("fr","Le numéro {v} est attribué à la compagne du suspect.","+33 6 98 76 54 32"),
 ("ar","جوال الوسيط {v}","+213 551 23 45 67"),
 ("es","Número de teléfono: {v}","+351 912 345 678"),
 ("en","Signal contact {v} was used for the orders.","+31 6 12345678"),
]
for l,t,v in phones: add(l,t.format(v=v),"phone",v)

def iban(country, bban):
    s = bban + country + "00"
    n = int("".join(str(int(c,36)) for c in s))
    check = 98 - n % 97
    raw = f"{country}{check:02d}{bban}"
    return " ".join(raw[i:i+4] for i in range(0,len(raw),4))
ibans=[]
for country, length, alpha in [("FR",23,False),("ES",20,False),("BE",12,False),("DE",18,False),("IT",23,True),("GB",18,True),("NL",14,True),("PT",21,False),("MA",24,False),("TN",20,False)]:
    for k in range(2):
        if country in ("GB","NL"):
            bban = "".join(random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + "".join(random.choice("0123456789") for _ in range(length-4))
        elif country=="IT":
            bban = random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "".join(random.choice("0123456789") for _ in range(length-1))
        else:
            bban = "".join(random.choice("0123456789") for _ in range(length))
        ibans.append(iban(country,bban))
tmpl = {
 "en":["The proceeds went to account {v}.","IBAN {v} was frozen by the court."],
 "fr":["Les fonds ont été virés sur le compte {v}.","IBAN du gérant : {v}"],
 "es":["Las transferencias llegaban a la cuenta {v}.","Cuenta bancaria: {v}"],
 "ar":["حولت الأموال إلى الحساب {v}","رقم الحساب البنكي {v}"],
}
langs=["en","fr","es","ar"]
for i,v in enumerate(ibans):
    l=langs[i%4]; add(l, tmpl[l][i%2].format(v=v), "iban", v)

def luhn_complete(prefix, length):
    digits=[int(c) for c in prefix]+[random.randint(0,9) for _ in range(length-len(prefix)-1)]
    for d in range(10):
        cand=digits+[d]
        s=0
        for i,x in enumerate(reversed(cand)):
            if i%2==1:
                x*=2
                if x>9:x-=9
            s+=x
        if s%10==0: return "".join(map(str,cand))
cards=[]
for prefix,length in [("4",16),("51",16),("55",16),("37",15),("6011",16),("2221",16),("4",16),("35",16),("4",16),("52",16)]:
    n=luhn_complete(prefix,length)
    cards.append(" ".join(n[i:i+4] for i in range(0,len(n),4)))
ctmpl={"en":"The card {v} was used to pay for the parcels.","fr":"Paiement par la carte {v}.","es":"Se pagó con la tarjeta {v}.","ar":"تم الدفع بالبطاقة {v}"}
for i,v in enumerate(cards):
    l=langs[i%4]; add(l, ctmpl[l].format(v=v), "card", v)

def cd(field):
    w=[7,3,1]; s=0
    for i,c in enumerate(field):
        v = int(c) if c.isdigit() else (0 if c=='<' else ord(c)-55)
        s+=v*w[i%3]
    return str(s%10)
def td3(country, surname, given, number, nat, birth, sex, expiry):
    l1=("P<"+country+surname+"<<"+given.replace(" ","<")).ljust(44,"<")[:44]
    num=number.ljust(9,"<")
    l2=num+cd(num)+nat+birth+cd(birth)+sex+expiry+cd(expiry)
    l2=l2.ljust(42,"<")
    l2=l2+cd("<"*14)+"0"
    return l1,l2[:44]
mrz=[]
people=[("FRA","MARTIN","PAUL","12AB34567","FRA","850312","M","300101"),("ESP","GARCIA<LOPEZ","ANA","PAB123456","ESP","900521","F","290630"),
        ("MAR","ALAOUI","YOUSSEF","AB1234567","MAR","780102","M","280915"),("TUN","TRABELSI","OMAR","Z12345678","TUN","820707","M","270404"),
        ("BEL","PEETERS","LIES","EH1234567","BEL","950228","F","310812")]
for p in people:
    l1,l2=td3(*p); mrz.append(l1); mrz.append(l2)
mtmpl={"en":"Passport page copied in the file: {v}","fr":"Bande MRZ du passeport : {v}","es":"Zona MRZ del pasaporte: {v}","ar":"المنطقة المقروءة آليا من الجواز: {v}"}
for i,v in enumerate(mrz):
    l=langs[i%4]; add(l, mtmpl[l].format(v=v), "mrz", v)

def dni(n):
    return f"{n:08d}"+"TRWAGMYFPDXBNJZSQVHLCKE"[n%23]
def nir(sex,yy,mm,dep,com,order):
    body=f"{sex}{yy:02d}{mm:02d}{dep}{com:03d}{order:03d}"
    key=97-int(body)%97
    return f"{sex} {yy:02d} {mm:02d} {dep} {com:03d} {order:03d} {key:02d}"
def benn(yy,mm,dd,seq):
    body=int(f"{yy:02d}{mm:02d}{dd:02d}{seq:03d}")
    key=97-body%97
    return f"{yy:02d}.{mm:02d}.{dd:02d}-{seq:03d}.{key:02d}"
nat=[
 ("es","El DNI del acusado es {v}.",dni(48291736)),
 ("es","Documento nacional de identidad {v}",dni(12345678)),
 ("es","NIE del detenido: {v}","X1234567L"),
 ("fr","Numéro de sécurité sociale : {v}",nir(1,85,3,"75",112,45)),
 ("fr","NIR de la victime {v}",nir(2,90,11,"13",55,201)),
 ("fr","Le numéro national belge {v} figure au dossier.",benn(85,7,14,123)),
 ("en","Belgian national number {v}",benn(92,1,30,45)),
 ("en","Codice fiscale {v} was found on the invoice.","RSSMRA85T10A562S"),
 ("en","National insurance number {v}","JG 10 37 95 A"),
 ("ar","رقم البطاقة الوطنية CIN {v}","BK 123456"),
 ("fr","CIN {v} (carte marocaine).","AB 654321"),
 ("es","DNI {v}",dni(77665544)),
]
for l,t,v in nat: add(l,t.format(v=v),"national_id",v)

births=[
 ("en","The accused, born on 12 March 1985 in Leeds, denied the charge.","12 March 1985"),
 ("en","Date of birth: 04/07/1990","04/07/1990"),
 ("en","DOB 1979-11-23","1979-11-23"),
 ("fr","Le prévenu, né le 3 janvier 1982 à Marseille, conteste.","3 janvier 1982"),
 ("fr","La victime, née le 14/02/1999, a été entendue.","14/02/1999"),
 ("fr","Date de naissance : 21.06.1975","21.06.1975"),
 ("es","El acusado, nacido el 5 de mayo de 1988 en Cádiz.","5 de mayo de 1988"),
 ("es","La testigo, nacida el 30/09/1993, declaró.","30/09/1993"),
 ("es","Fecha de nacimiento: 17-08-1970","17-08-1970"),
 ("ar","المتهم من مواليد 12/03/1985 بطنجة","12/03/1985"),
 ("ar","الشاهد المزداد في 1990-07-04 بالدار البيضاء","1990-07-04"),
 ("ar","تاريخ الازدياد: 05/11/1987","05/11/1987"),
]
for l,t,v in births: add(l,t,"birth_date",v)

names=[
 ("en","The accused John Carter admitted importing the tablets.","John Carter"),
 ("en","The defendant Maria Kowalski was acquitted on appeal.","Maria Kowalski"),
 ("en","Mr Ahmed Haddad chartered the container.","Ahmed Haddad"),
 ("en","The witness Sarah O'Neill identified the packaging.","Sarah O'Neill"),
 ("en","Mrs Elena Petrova signed the lease for the warehouse.","Elena Petrova"),
 ("en","The suspect, Daniel Brooks, fled to Rotterdam.","Daniel Brooks"),
 ("fr","Le prévenu Karim Benali a reconnu les faits.","Karim Benali"),
 ("fr","La prévenue Julie Moreau était gérante de la société.","Julie Moreau"),
 ("fr","M. Pierre Lambert a loué l'entrepôt.","Pierre Lambert"),
 ("fr","Mme Nadia Cherif a été entendue comme témoin.","Nadia Cherif"),
 ("fr","Le mis en cause Thomas Girard conteste l'expertise.","Thomas Girard"),
 ("fr","L'accusé Marc Dubois sera jugé en mars.","Marc Dubois"),
 ("es","El acusado Javier Ruiz Martínez importó los medicamentos.","Javier Ruiz Martínez"),
 ("es","La acusada Lucía Fernández gestionaba la web.","Lucía Fernández"),
 ("es","El investigado Pedro Sánchez Gil negó los hechos.","Pedro Sánchez Gil"),
 ("es","D. Antonio López firmó el contrato de transporte.","Antonio López"),
 ("es","La testigo Carmen Vidal reconoció los envases.","Carmen Vidal"),
 ("es","El imputado Miguel Torres quedó en libertad.","Miguel Torres"),
 ("ar","المتهم محمد العلوي اعترف بالاستيراد.","محمد العلوي"),
 ("ar","صرح الشاهد يوسف بن علي بأنه رأى الشحنة.","يوسف بن علي"),
 ("ar","السيد كريم التونسي استأجر المستودع.","كريم التونسي"),
 ("ar","المتهمة فاطمة الزهراء نفت التهمة.","فاطمة الزهراء"),
 ("ar","الظنين سامي الطرابلسي حاول الفرار.","سامي الطرابلسي"),
 ("en","Dr Laura Chen analysed the seized tablets.","Laura Chen"),
 ("fr","Le témoin Antoine Roux a décrit le véhicule.","Antoine Roux"),
 ("es","El detenido Raúl Castro llevaba los paquetes.","Raúl Castro"),
 ("en","The complainant, Peter Nowak, reported the fraud.","Peter Nowak"),
 ("ar","السيدة ليلى بن سالم قدمت شكاية.","ليلى بن سالم"),
]
for l,t,v in names: add(l,t,"person_name",v)

files=[
 ("fr","Voir le PV n° 2023/04512 du commissariat de Lille.","2023/04512"),
 ("fr","Procès-verbal n° 1207/2022 de la brigade des douanes.","1207/2022"),
 ("fr","Numéro de parquet 22-145-0067.","22-145-0067"),
 ("fr","Dossier d'instruction n° JI-2021/0034.","JI-2021/0034"),
 ("es","Atestado nº 4521/2023 de la Guardia Civil.","4521/2023"),
 ("es","Diligencias previas 1234/2022 del juzgado de instrucción.","1234/2022"),
 ("es","Expediente policial 2024/0789-B.","2024/0789-B"),
 ("en","Police report 2023-0456 describes the seizure.","2023-0456"),
 ("en","Crime reference number 47/12345/23 was given.","47/12345/23"),
 ("en","Investigation file no. 2022/118 is still open.","2022/118"),
 ("ar","محضر عدد 1245/2023 للشرطة القضائية","1245/2023"),
 ("ar","رقم المحضر 2022/0098","2022/0098"),
]
for l,t,v in files: add(l,t,"file_number",v)

# Sentences with no personal data, as members write them (public citations).
clean = [
 ("fr","Cass. crim., 12 mars 2019, n° 18-80.123 : la Cour a retenu l'escroquerie."),
 ("fr","L'article L. 5421-13 du code de la santé publique réprime la contrefaçon de médicaments."),
 ("es","La STS 123/2020, de 15 de marzo, confirma la condena por contrabando."),
 ("es","El artículo 361 del Código Penal castiga la fabricación de medicamentos falsificados."),
 ("en","See ECLI:EU:C:2019:1112 on the notion of counterfeit goods."),
 ("en","Article 15 of the Protocol requires Parties to criminalise the manufacture of tobacco without a licence."),
 ("en","The accused shall have the right to examine witnesses against him."),
 ("ar","ينص الفصل 12 من القانون عدد 17 لسنة 2016 على العقوبات."),
 ("ar","يحق للمتهم أن يستعين بمحام أثناء البحث."),
 ("fr","Le prévenu peut demander une expertise contradictoire."),
 ("es","El acusado podrá recurrir la sentencia en el plazo de diez días."),
 ("en","Regulation (EU) 2019/1020 applies from 16 July 2021."),
 ("fr","Décision n° 2021-930 QPC du 23 septembre 2021."),
 ("en","Directive 2011/62/EU amended Directive 2001/83/EC."),
 ("es","Ley 19.574, artículo 30, y Decreto 123/2018."),
 ("ar","القانون رقم 17.97 المتعلق بحماية الملكية الصناعية"),
]
for l,t in clean: out.append({"lang":l,"kind":None,"text":t,"value":None})

with open(__import__("os").path.join(__import__("os").path.dirname(__file__), "personal_data_corpus.jsonl"),"w") as f:
    for o in out: f.write(json.dumps(o, ensure_ascii=False)+"\n")
from collections import Counter
print(len(out), Counter(o["kind"] for o in out))
