//! Personal data caught before it is stored: detectors for e-mail
//! addresses, phone numbers (any country, validated by `phonenumber`),
//! IBANs (mod-97 checksum), payment cards (Luhn), passport and ID-card MRZ
//! lines (check digits), national identity numbers whose format and check
//! can be documented (ES DNI/NIE, FR NIR, BE national number, IT codice
//! fiscale, UK NINO, MA CIN after its name), dates of birth in context,
//! names of natural persons after titles and procedural roles, and
//! investigation file numbers — in English, French, Spanish and Arabic.
//!
//! Public case citations (ECLI, court decision numbers) are not personal
//! data and are left alone. Offsets are in characters (Unicode scalar
//! values), as a page's script or an API client counts them.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// What a span looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Email,
    Phone,
    Iban,
    Card,
    Mrz,
    NationalId,
    BirthDate,
    PersonName,
    FileNumber,
}

impl PiiKind {
    pub const ALL: [PiiKind; 9] = [
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::Iban,
        PiiKind::Card,
        PiiKind::Mrz,
        PiiKind::NationalId,
        PiiKind::BirthDate,
        PiiKind::PersonName,
        PiiKind::FileNumber,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::Iban => "iban",
            PiiKind::Card => "card",
            PiiKind::Mrz => "mrz",
            PiiKind::NationalId => "national_id",
            PiiKind::BirthDate => "birth_date",
            PiiKind::PersonName => "person_name",
            PiiKind::FileNumber => "file_number",
        }
    }

    /// The word a pseudonym starts with (`[Person A]`, `[Phone 1]`).
    fn pseudonym_word(self) -> &'static str {
        match self {
            PiiKind::Email => "E-mail",
            PiiKind::Phone => "Phone",
            PiiKind::Iban => "Account",
            PiiKind::Card => "Card",
            PiiKind::Mrz => "Document",
            PiiKind::NationalId => "ID",
            PiiKind::BirthDate => "Date of birth",
            PiiKind::PersonName => "Person",
            PiiKind::FileNumber => "File",
        }
    }
}

/// One suspected piece of personal data: characters `start..end` of the
/// text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PiiSpan {
    pub start: usize,
    pub end: usize,
    pub kind: PiiKind,
}

/// A span found in one field of a submission (what a 422 lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    /// `title`, `body`, `analysis.summary`…
    pub field: &'static str,
    pub start: usize,
    pub end: usize,
    pub kind: PiiKind,
    /// The suspected text itself (for the page's highlight).
    #[serde(skip)]
    pub text: String,
}

/// Runs the detectors over `fields`. With nothing found: `Ok` and no
/// kinds. With something found: `PersonalData` naming every span, unless
/// the author acknowledged it with a reason (3 to 500 characters), then
/// `Ok` with the kinds found (for the moderators' case).
pub fn screen(
    fields: &[(&'static str, &str)],
    acknowledged: Option<&str>,
) -> crate::error::Result<Vec<PiiKind>> {
    let mut suspects = Vec::new();
    for (field, text) in fields {
        let chars: Vec<char> = text.chars().collect();
        for span in detect(text) {
            suspects.push(Suspect {
                field,
                start: span.start,
                end: span.end,
                kind: span.kind,
                text: chars[span.start..span.end].iter().collect(),
            });
        }
    }
    if suspects.is_empty() {
        return Ok(Vec::new());
    }
    match acknowledged {
        Some(reason) => {
            crate::domain::parse_line("acknowledge_personal_data.reason", reason, 3, 500)?;
            let mut kinds: Vec<PiiKind> = suspects.iter().map(|s| s.kind).collect();
            kinds.sort();
            kinds.dedup();
            Ok(kinds)
        }
        None => Err(crate::error::CoreError::PersonalData {
            field: suspects[0].field,
            spans: suspects,
        }),
    }
}

/// A span in bytes, before conversion.
#[derive(Debug, Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    kind: PiiKind,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid detector pattern")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
});

/// Digit runs that may be phone numbers: an optional `+` or `00`, then
/// digits with spaces, dots, dashes, slashes or brackets between them.
static PHONE_CANDIDATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:\+|\b00)?\(?\d[\d \u{a0}.\-/()]{6,20}\d\b"));

/// Words that say a number nearby is a telephone number.
static PHONE_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\bte?l\b\.?|phone|mobile|cell|portable|t[ée]l[ée]phone|tel[ée]fono|m[óo]vil|celular|whats ?app|signal|هاتف|الهاتف|جوال|رقم الهاتف)",
    )
});

static IBAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[A-Z]{2}\d{2}(?:[ \u{a0}]?[A-Z0-9]){11,30}\b"));

static CARD: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:\d[ \-]?){12,18}\d\b"));

/// An MRZ line: 30 (TD1), 36 (TD2) or 44 (TD3) characters of `A-Z0-9<`
/// with a filler run.
static MRZ_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Z0-9<]{28,44}"));

static ES_DNI: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{8})-?([A-Z])\b"));
static ES_NIE: LazyLock<Regex> = LazyLock::new(|| re(r"\b([XYZ])-?(\d{7})-?([A-Z])\b"));
static FR_NIR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b([12])[ .]?(\d{2})[ .]?(0[1-9]|1[0-2]|[2-9]\d)[ .]?(\d{2}|2[AB])[ .]?(\d{3})[ .]?(\d{3})[ .]?(\d{2})\b",
    )
});
static BE_NN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{2})[.]?(\d{2})[.]?(\d{2})[\-.]?(\d{3})[.]?(\d{2})\b"));
static IT_CF: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b"));
static UK_NINO: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"));
/// A Moroccan CIN is letters and digits like many references: only after
/// its name.
static MA_CIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\bCIN\b|carte d'identit[ée] nationale|CNIE|البطاقة الوطنية)(?:\s*(?:n[°o]|no\.?|number|numéro|رقم|:))*\s*([A-Z]{1,2}\s?\d{4,7})",
    )
});

/// Months in the four languages (for dates written out).
const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|يناير|فبراير|مارس|أبريل|ابريل|ماي|مايو|يونيو|يوليو|غشت|أغسطس|شتنبر|سبتمبر|أكتوبر|نونبر|نوفمبر|دجنبر|ديسمبر|جانفي|فيفري|أفريل|جوان|جويلية|أوت";

static BIRTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let date = format!(
        r"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:de\s+)?(?:{MONTHS})\s+(?:de\s+)?\d{{4}}|(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|[٠-٩]{{1,2}}[/\-][٠-٩]{{1,2}}[/\-][٠-٩]{{4}})"
    );
    re(&format!(
        r"(?i)(?:\bborn\b(?:\s+on)?|\bdate of birth\b:?|\bD\.?O\.?B\.?:?|\bn[ée]e?\s+le|\bdate de naissance\s*:?|\bnacid[oa]\s+el|\bnacid[oa]\s+en\s+\S+\s+el|\bfecha de nacimiento\s*:?|مواليد|المزداد(?:ة)?\s+(?:في|بتاريخ)|تاريخ\s+(?:الازدياد|الميلاد)\s*:?|من مواليد)\s*({date})"
    ))
});

/// Titles and procedural roles after which a capitalised name follows.
static LATIN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    // The role in any case; the name capitalised (a statute's "the accused
    // shall" is not followed by one).
    let roles = r"(?i:\b(?:the\s+)?(?:accused|defendant|suspect|convicted person|victim|witness|complainant|applicant|appellant|detainee|informant)\b,?|\b(?:le|la|l['’])\s*(?:prévenue?|accusée?|mise? en (?:cause|examen)|suspecte?|témoin|victime|plaignante?|condamnée?|requérante?|détenue?|gérante?)\b,?|\b(?:el|la)\s+(?:acusad[oa]|imputad[oa]|investigad[oa]|procesad[oa]|sospechos[oa]|testigo|víctima|denunciante|detenid[oa]|condenad[oa]|recurrente)\b,?|\b(?:monsieur|madame|señor|señora)\b)";
    let titles = r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mme|Mlle|Me|Sr|Sra|Srta|Dña|Dª|Don|Doña)\.?|\b[MD]\.";
    re(&format!(
        r"(?:{roles}|{titles})\s+((?:\p{{Lu}}[\p{{Ll}}'’\-]+|\p{{Lu}}{{2,}})(?:\s+(?:(?:de|del|de la|van|von|ben|bin|el|al|da|di|le|la)\s+)?(?:\p{{Lu}}[\p{{Ll}}'’\-]+|\p{{Lu}}{{2,}})){{0,3}})"
    ))
});

/// Arabic roles and titles, then the next one to three words.
static ARABIC_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:المتهمة|المتهم|المشتبه فيها|المشتبه فيه|المشتبه به|الظنينة|الظنين|الضحية|الشاهدة|الشاهد|المشتكية|المشتكي|المدعى عليه|السيدة|السيد|الموقوف|المحكوم عليه)\s+((?:[\p{Arabic}]+)(?:\s+[\p{Arabic}]+){0,2})",
    )
});

/// Arabic words that follow a role in statutes and are not names.
const ARABIC_NOT_NAMES: &[&str] = &[
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "أن",
    "ان",
    "بأن",
    "الذي",
    "التي",
    "الذين",
    "أو",
    "او",
    "و",
    "إذا",
    "اذا",
    "لا",
    "لم",
    "لن",
    "قد",
    "كل",
    "هو",
    "هي",
    "ما",
    "مع",
    "بعد",
    "قبل",
    "عند",
    "حق",
    "بحق",
    "يجب",
    "يمكن",
    "يتم",
    "به",
    "بها",
    "فيه",
    "فيها",
    "أمام",
    "امام",
    "الحق",
    "بالحضور",
    "حضور",
    "المحكمة",
    "النيابة",
    "القاضي",
    "للمحكمة",
    "لدى",
    "بين",
    "ضد",
    "غير",
    "وفقا",
    "طبقا",
    "حسب",
    "عليه",
    "عليها",
    "منه",
    "له",
    "لها",
    "إلا",
    "الا",
    "كما",
    "حتى",
    "أي",
    "اي",
    "ذلك",
    "هذا",
    "هذه",
    "يكون",
    "تكون",
    "كان",
    "كانت",
    "فإن",
    "فان",
    "إن",
    "ثم",
    "بريء",
    "بريئا",
    "بريئة",
    "ولم",
    "ولا",
    "وفي",
    "بسبب",
    "بدون",
    "دون",
    "نفسه",
    "نفسها",
    "شخصيا",
    "بنفسه",
    "وجوبا",
    "فورا",
    "حالا",
    "مجانا",
    "يتمتع",
    "يعتبر",
    "يحال",
    "يحاكم",
    "يعاقب",
];

/// Investigation file numbers: a procedural file named, then its number
/// (court decision numbers and ECLI are public citations and not matched).
static FILE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:procès[\- ]verbal|proces[\- ]verbal|PV|dossier d['’]instruction|dossier d['’]enquête|num[ée]ro de parquet|n[°o] de parquet|num[ée]ro parquet|parquet n[°o]|enquête n[°o]|investigation (?:file|no\.?|number)|case file|police (?:report|file)|file (?:no\.?|number)|crime reference(?: number)?|atestado|diligencias previas|diligencias|sumario|expediente policial|n[°º]? de atestado)|محضر|ملف البحث|رقم المحضر)(?:\s*(?:n[°ºo]\.?|no\.?|num[ée]ro|número|number|ref\.?|:|#|عدد|رقم))*\s*((?:[A-Z]{1,4}[\-/ ]?)?\d{1,7}(?:[/\-.]\d{1,7}){1,3}(?:[\-/][A-Z0-9]{1,6})?|\d{5,12})",
    )
});

/// Everything the detectors find in `text`, in order, overlaps merged (the
/// first kind found for a place wins).
pub fn detect(text: &str) -> Vec<PiiSpan> {
    let mut found: Vec<Found> = Vec::new();
    let mut push = |start: usize, end: usize, kind: PiiKind| {
        found.push(Found { start, end, kind });
    };
    for m in EMAIL.find_iter(text) {
        push(m.start(), m.end(), PiiKind::Email);
    }
    for m in MRZ_LINE.find_iter(text) {
        if is_mrz(m.as_str()) {
            push(m.start(), m.end(), PiiKind::Mrz);
        }
    }
    for m in IBAN.find_iter(text) {
        if iban_valid(m.as_str()) {
            push(m.start(), m.end(), PiiKind::Iban);
        }
    }
    for m in CARD.find_iter(text) {
        if card_valid(m.as_str()) {
            push(m.start(), m.end(), PiiKind::Card);
        }
    }
    national_ids(text, &mut push);
    for c in BIRTH_DATE.captures_iter(text) {
        let date = c.get(1).expect("the date group");
        push(date.start(), date.end(), PiiKind::BirthDate);
    }
    for c in FILE_NUMBER.captures_iter(text) {
        let number = c.get(1).expect("the number group");
        push(number.start(), number.end(), PiiKind::FileNumber);
    }
    phones(text, &mut push);
    for c in LATIN_NAME.captures_iter(text) {
        let name = c.get(1).expect("the name group");
        let whole = c.get(0).expect("the match");
        // `D.` and `M.` are titles only where no name precedes them
        // (`Franklin D. Roosevelt`).
        let initial = whole.as_str().starts_with("D.") || whole.as_str().starts_with("M.");
        let after_a_name = text[..whole.start()]
            .split_whitespace()
            .next_back()
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase);
        if initial && after_a_name {
            continue;
        }
        if !is_not_a_name(name.as_str()) {
            push(name.start(), name.end(), PiiKind::PersonName);
        }
    }
    for c in ARABIC_NAME.captures_iter(text) {
        let words = c.get(1).expect("the name group");
        // The name ends at the first word that is not one.
        let mut end = words.start();
        for word in words.as_str().split(' ') {
            if ARABIC_NOT_NAMES.contains(&word) || word.starts_with("ال") {
                break;
            }
            end += word.len() + if end == words.start() { 0 } else { 1 };
        }
        if end > words.start() {
            push(words.start(), end, PiiKind::PersonName);
        }
    }
    merge(text, found)
}

/// Capitalised words after a role that are legal terms, not names.
fn is_not_a_name(name: &str) -> bool {
    const NOT_NAMES: &[&str] = &[
        "Court",
        "State",
        "Party",
        "Parties",
        "Protocol",
        "Convention",
        "Article",
        "Chamber",
        "Code",
        "Law",
        "Act",
        "Republic",
        "Government",
        "Minister",
        "Ministry",
        "Tribunal",
        "Cour",
        "Etat",
        "État",
        "Loi",
        "Tribunal",
        "Juez",
        "Juzgado",
        "Estado",
        "Ley",
        "Fiscal",
        "Ministerio",
        "Procureur",
        "Président",
        "President",
        "Presidente",
        "Secretary",
        "General",
        "The",
        "This",
        "That",
        "Le",
        "La",
        "Les",
        "El",
        "Los",
        "Las",
        "Un",
        "Une",
        "A",
        "An",
        "In",
        "On",
        "At",
        "Si",
        "If",
        "When",
        "Where",
        "Who",
        "Article",
        "Artículo",
        "WHEREOF",
        "WHEREAS",
        "Parte",
        "Partie",
    ];
    let first = name.split_whitespace().next().unwrap_or_default();
    NOT_NAMES.contains(&first)
}

fn national_ids(text: &str, push: &mut impl FnMut(usize, usize, PiiKind)) {
    const DNI_LETTERS: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    for c in ES_DNI.captures_iter(text) {
        let number: u64 = c[1].parse().unwrap_or(0);
        if DNI_LETTERS[(number % 23) as usize] == c[2].as_bytes()[0] {
            let m = c.get(0).expect("the match");
            push(m.start(), m.end(), PiiKind::NationalId);
        }
    }
    for c in ES_NIE.captures_iter(text) {
        let prefix = match &c[1] {
            "X" => 0,
            "Y" => 1,
            _ => 2,
        };
        let number: u64 = prefix * 10_000_000 + c[2].parse::<u64>().unwrap_or(0);
        if DNI_LETTERS[(number % 23) as usize] == c[3].as_bytes()[0] {
            let m = c.get(0).expect("the match");
            push(m.start(), m.end(), PiiKind::NationalId);
        }
    }
    for c in FR_NIR.captures_iter(text) {
        let department = c[4].replace("2A", "19").replace("2B", "18");
        let body = format!(
            "{}{}{}{}{}{}",
            &c[1], &c[2], &c[3], department, &c[5], &c[6]
        );
        if let (Ok(n), Ok(key)) = (body.parse::<u64>(), c[7].parse::<u64>())
            && 97 - n % 97 == key
        {
            let m = c.get(0).expect("the match");
            push(m.start(), m.end(), PiiKind::NationalId);
        }
    }
    for c in BE_NN.captures_iter(text) {
        let body = format!("{}{}{}{}", &c[1], &c[2], &c[3], &c[4]);
        let month: u32 = c[2].parse().unwrap_or(0);
        let day: u32 = c[3].parse().unwrap_or(0);
        let Ok(key) = c[5].parse::<u64>() else {
            continue;
        };
        let Ok(n) = body.parse::<u64>() else { continue };
        // Born before 2000, or after (with a 2 in front).
        let valid = 97 - n % 97 == key || 97 - (2_000_000_000 + n) % 97 == key;
        if valid && (1..=12).contains(&month) && (1..=31).contains(&day) {
            let m = c.get(0).expect("the match");
            push(m.start(), m.end(), PiiKind::NationalId);
        }
    }
    for m in IT_CF.find_iter(text) {
        push(m.start(), m.end(), PiiKind::NationalId);
    }
    for m in UK_NINO.find_iter(text) {
        push(m.start(), m.end(), PiiKind::NationalId);
    }
    for c in MA_CIN.captures_iter(text) {
        let id = c.get(1).expect("the id group");
        push(id.start(), id.end(), PiiKind::NationalId);
    }
}

/// Phone numbers: an international number (`+` or `00`) that the
/// numbering plan of its country accepts, or a national one that one of the
/// member countries' plans accepts when it is written as phone numbers are
/// (a leading 0 and groups) or named as one.
fn phones(text: &str, push: &mut impl FnMut(usize, usize, PiiKind)) {
    use phonenumber::country::Id;
    const REGIONS: [Id; 14] = [
        Id::FR,
        Id::ES,
        Id::BE,
        Id::MA,
        Id::TN,
        Id::DZ,
        Id::GB,
        Id::DE,
        Id::IT,
        Id::PT,
        Id::NL,
        Id::US,
        Id::UY,
        Id::AR,
    ];
    for m in PHONE_CANDIDATE.find_iter(text) {
        let raw = m.as_str().trim_end_matches([')', ' ', '.', '-', '/']);
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if !(8..=15).contains(&digits.len()) {
            continue;
        }
        let before = &text[..m.start()];
        let context_start = before.char_indices().rev().nth(40).map_or(0, |(i, _)| i);
        let named = PHONE_CONTEXT.is_match(&text[context_start..m.start()]);
        let international = raw.starts_with('+') || raw.starts_with("00");
        let grouped = raw.starts_with('0')
            && raw.chars().any(|c| matches!(c, ' ' | '.' | '\u{a0}'))
            && !looks_like_a_date_or_reference(raw);
        let valid = if international {
            let normalised = format!("+{}", digits.trim_start_matches("00"));
            let normalised = if raw.starts_with('+') {
                format!("+{digits}")
            } else {
                normalised
            };
            phonenumber::parse(None, &normalised).is_ok_and(|n| phonenumber::is_valid(&n))
        } else if grouped || named {
            REGIONS.iter().any(|region| {
                phonenumber::parse(Some(*region), &digits).is_ok_and(|n| phonenumber::is_valid(&n))
            })
        } else {
            false
        };
        if valid {
            push(m.start(), m.start() + raw.len(), PiiKind::Phone);
        }
    }
}

/// `12.03.2019`, `2019-03-12` or `18-80.123`: dates and decision numbers
/// are not telephone numbers.
fn looks_like_a_date_or_reference(raw: &str) -> bool {
    let groups: Vec<&str> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() <= 3 && groups.iter().any(|g| g.len() == 4)
}

/// The mod-97 check of an IBAN (ISO 13616).
fn iban_valid(raw: &str) -> bool {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        let width = if value >= 10 { 100 } else { 10 };
        remainder = (remainder * width + value) % 97;
    }
    remainder == 1
}

/// A payment card number: a known issuer prefix, 13 to 19 digits, and
/// the Luhn check.
fn card_valid(raw: &str) -> bool {
    let digits: Vec<u32> = raw.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) || !matches!(digits[0], 2..=6) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An MRZ line: a document line (`P<`, `I<`, `ID`, `A<`, `C<`, `V<`) with
/// a `<<` between names, or a data line whose first check digit holds.
fn is_mrz(line: &str) -> bool {
    let len = line.len();
    if !(28..=44).contains(&len) {
        return false;
    }
    let starts_document = ["P<", "I<", "ID", "A<", "C<", "V<", "IR", "PP", "PN"]
        .iter()
        .any(|p| line.starts_with(p));
    if starts_document && line.contains("<<") && line.contains('<') {
        return true;
    }
    // A data line: document number (9) and its check digit.
    if line.contains('<') && len >= 28 {
        let bytes = line.as_bytes();
        return check_digit(&bytes[0..9]) == Some(bytes[9])
            || (len >= 15 && check_digit(&bytes[5..14]) == Some(bytes[14]));
    }
    false
}

/// The ICAO 9303 check digit of `field`, as an ASCII digit.
fn check_digit(field: &[u8]) -> Option<u8> {
    let weights = [7u32, 3, 1];
    let mut sum = 0;
    for (i, &c) in field.iter().enumerate() {
        let value = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += value * weights[i % 3];
    }
    Some(b'0' + (sum % 10) as u8)
}

/// Sorted, overlaps merged, byte offsets turned into character offsets.
fn merge(text: &str, mut found: Vec<Found>) -> Vec<PiiSpan> {
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        match kept.last_mut() {
            Some(last) if f.start < last.end => last.end = last.end.max(f.end),
            _ => kept.push(f),
        }
    }
    let to_chars = |byte: usize| text[..byte].chars().count();
    kept.into_iter()
        .map(|f| PiiSpan {
            start: to_chars(f.start),
            end: to_chars(f.end),
            kind: f.kind,
        })
        .collect()
}

/// `text` with each span replaced by a pseudonym, the same one for the
/// same text within it: `[Person A]`, `[Person B]`, `[Phone 1]`…
pub fn pseudonymise(text: &str, spans: &[PiiSpan]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut names: Vec<(PiiKind, String, String)> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        if span.start < at || span.end > chars.len() {
            continue;
        }
        out.extend(&chars[at..span.start]);
        let original: String = chars[span.start..span.end].iter().collect();
        let pseudonym = match names
            .iter()
            .find(|(k, o, _)| *k == span.kind && *o == original)
        {
            Some((_, _, p)) => p.clone(),
            None => {
                let n = names.iter().filter(|(k, _, _)| *k == span.kind).count();
                let label = if span.kind == PiiKind::PersonName {
                    letters(n)
                } else {
                    (n + 1).to_string()
                };
                let p = format!("[{} {label}]", span.kind.pseudonym_word());
                names.push((span.kind, original, p.clone()));
                p
            }
        };
        out.push_str(&pseudonym);
        at = span.end;
    }
    out.extend(&chars[at.min(chars.len())..]);
    out
}

/// A, B, …, Z, AA, AB…
fn letters(n: usize) -> String {
    let mut n = n;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PiiKind, String)> {
        let chars: Vec<char> = text.chars().collect();
        detect(text)
            .into_iter()
            .map(|s| (s.kind, chars[s.start..s.end].iter().collect()))
            .collect()
    }

    #[test]
    fn each_detector_finds_its_kind() {
        assert_eq!(
            kinds("Write to jean.dupont@example.fr today."),
            vec![(PiiKind::Email, "jean.dupont@example.fr".into())]
        );
        assert_eq!(
            kinds("Call +33 6 12 34 56 78 tonight."),
            vec![(PiiKind::Phone, "+33 6 12 34 56 78".into())]
        );
        assert_eq!(
            kinds("Paid into FR76 3000 6000 0112 3456 7890 189."),
            vec![(PiiKind::Iban, "FR76 3000 6000 0112 3456 7890 189".into())]
        );
        assert_eq!(
            kinds("Card 4111 1111 1111 1111 was used."),
            vec![(PiiKind::Card, "4111 1111 1111 1111".into())]
        );
        assert_eq!(kinds("DNI 12345678Z")[0].0, PiiKind::NationalId);
        assert_eq!(
            kinds("le prévenu Karim Benali a reconnu")[0],
            (PiiKind::PersonName, "Karim Benali".into())
        );
        assert_eq!(kinds("né le 12/03/1985 à Lyon")[0].0, PiiKind::BirthDate);
        assert_eq!(
            kinds("PV n° 2023/04512 du commissariat")[0].0,
            PiiKind::FileNumber
        );
    }

    #[test]
    fn checksums_refuse_near_misses() {
        assert!(kinds("FR76 3000 6000 0112 3456 7890 188").is_empty());
        assert!(kinds("4111 1111 1111 1112").is_empty());
        assert!(kinds("DNI 12345678A").is_empty());
    }

    #[test]
    fn public_citations_and_statute_numbers_are_not_personal_data() {
        for text in [
            "Cass. crim., 12 mars 2019, n° 18-80.123, ECLI:FR:CCASS:2019:CR00321",
            "Article L. 5421-13 du code de la santé publique",
            "Ley 19.574 de 20 de diciembre de 2017, artículo 30",
            "The accused shall be informed promptly of the charges.",
            "Le prévenu peut se faire assister d'un avocat.",
            "El acusado tendrá derecho a la última palabra.",
            "يحق للمتهم أن يستعين بمحام",
            "STS 123/2020, de 15 de marzo",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn pseudonyms_are_consistent_within_a_text() {
        let text = "Mr John Smith met Mr Paul Jones; later Mr John Smith called +44 20 7946 0958.";
        let out = pseudonymise(text, &detect(text));
        assert_eq!(
            out,
            "Mr [Person A] met Mr [Person B]; later Mr [Person A] called [Phone 1]."
        );
    }
}
