//! Parsed input: each newtype can only be built through `parse`, so a value
//! of it is valid by construction.

pub mod analysis;
pub mod instruments;
pub mod jurisdictions;
pub mod kinds;
pub mod mark;
pub mod markdown;
pub mod personal_data;
pub mod settings;

use crate::error::{CoreError, Reason, Result};
use serde::Serialize;

pub use kinds::{
    AdviceStatus, ColloquiumState, CrimeArea, DirectoryVisibility, DocumentType, Extraction,
    FlagStatus, NotificationKind, Profession, QuestionStatus, Role, ThreadKind,
};

fn check_len(field: &'static str, value: &str, min: usize, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n < min {
        let reason = if n == 0 {
            Reason::Empty
        } else {
            Reason::TooShort { min }
        };
        return Err(CoreError::invalid_because(
            field,
            reason,
            format!("must be at least {min} characters"),
        ));
    }
    if n > max {
        return Err(CoreError::invalid_because(
            field,
            Reason::TooLong { max },
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

fn has_control_chars(value: &str) -> bool {
    value.chars().any(|c| c.is_control())
}

/// A login name: 3–32 of `a-z 0-9 _ . -`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

/// Erased accounts are named `former-member-<id>`; nobody else may be.
pub const ERASED_USERNAME_PREFIX: &str = "former-member-";

impl Username {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim().to_lowercase();
        check_len("username", &value, 3, 32)?;
        if !value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
        {
            return Err(CoreError::invalid(
                "username",
                "may contain only letters a-z, digits, '_', '.' and '-'",
            ));
        }
        if value.starts_with(ERASED_USERNAME_PREFIX) {
            return Err(CoreError::invalid(
                "username",
                "names beginning with 'former-member-' are reserved for erased accounts",
            ));
        }
        Ok(Username(value))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown beside posts: 1–80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim();
        check_len("display_name", value, 1, 80)?;
        if has_control_chars(value) {
            return Err(CoreError::invalid(
                "display_name",
                "must not contain control characters",
            ));
        }
        Ok(DisplayName(value.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, lightly checked (the invitation proves it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim().to_lowercase();
        check_len("email", &value, 3, 254)?;
        let Some((local, domain)) = value.split_once('@') else {
            return Err(CoreError::invalid("email", "must be an e-mail address"));
        };
        if local.is_empty()
            || domain.is_empty()
            || domain.contains('@')
            || value.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(CoreError::invalid("email", "must be an e-mail address"));
        }
        Ok(Email(value))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 12–1024 characters.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self> {
        check_len("password", raw, 12, 1024)?;
        Ok(NewPassword(raw.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

/// A known jurisdiction: an ISO 3166-1 alpha-2 country (`FR`) or a
/// regional grouping of the taxonomy (`EU`, `M49-155`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JurisdictionCode(String);

impl JurisdictionCode {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let value = raw.trim().to_ascii_uppercase();
        if crate::domain::jurisdictions::get(&value).is_none() {
            return Err(CoreError::invalid_because(
                field,
                Reason::UnknownCode,
                format!(
                    "'{}' is not a known jurisdiction (an ISO 3166-1 alpha-2 country code or a region of GET /api/v1/jurisdictions)",
                    raw.trim().chars().take(40).collect::<String>()
                ),
            ));
        }
        Ok(JurisdictionCode(value))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 3166-1 alpha-2 country code (a member's country).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let value = raw.trim().to_ascii_uppercase();
        if !crate::domain::jurisdictions::is_country(&value) {
            return Err(CoreError::invalid_because(
                field,
                Reason::UnknownCode,
                format!(
                    "'{}' is not an ISO 3166-1 alpha-2 country code",
                    raw.trim().chars().take(40).collect::<String>()
                ),
            ));
        }
        Ok(CountryCode(value))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A thread title: 3–200 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadTitle(String);

impl ThreadTitle {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim();
        check_len("title", value, 3, 200)?;
        if has_control_chars(value) {
            return Err(CoreError::invalid("title", "must be a single line of text"));
        }
        Ok(ThreadTitle(value.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Markdown post body: 1–100,000 characters, not blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown(String);

impl Markdown {
    pub const MAX_CHARS: usize = 100_000;

    pub fn parse(raw: &str) -> Result<Self> {
        if raw.trim().is_empty() {
            return Err(CoreError::invalid_because(
                "body",
                Reason::Empty,
                "must not be empty",
            ));
        }
        check_len("body", raw, 1, Self::MAX_CHARS)?;
        if raw.contains('\0') {
            return Err(CoreError::invalid(
                "body",
                "must not contain NUL characters",
            ));
        }
        Ok(Markdown(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A category slug: 2–48 of `a-z 0-9 -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim();
        check_len("slug", value, 2, 48)?;
        if !value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(CoreError::invalid(
                "slug",
                "may contain only letters a-z, digits and '-'",
            ));
        }
        Ok(Slug(value.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short single-line text field with bounds, for names and reasons.
pub fn parse_line(field: &'static str, raw: &str, min: usize, max: usize) -> Result<String> {
    let value = raw.trim();
    check_len(field, value, min, max)?;
    if has_control_chars(value) {
        return Err(CoreError::invalid_because(
            field,
            Reason::SingleLine,
            "must be a single line of text",
        ));
    }
    Ok(value.to_owned())
}

/// A multi-line text field with bounds (descriptions).
pub fn parse_text(field: &'static str, raw: &str, max: usize) -> Result<String> {
    let value = raw.trim();
    check_len(field, value, 0, max)?;
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(CoreError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(value.to_owned())
}

/// Where a form or the sign-in page sends the browser back to (`next=`
/// and every other "go back to" parameter): a path on this site, decided
/// the way a browser will resolve it. The candidate is joined to the
/// site's base with the WHATWG URL parser (the `url` crate), so tabs, CR
/// and LF (which browsers strip), backslashes (which they read as
/// slashes) and dot segments cannot make it another origin. Anything that
/// is not the same origin becomes `/`. The value is ASCII with every
/// unsafe byte percent-encoded, so it is always a valid `Location`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPath(String);

impl ReturnPath {
    /// A stand-in origin: only the path, query and fragment are kept, so
    /// the real host never matters.
    const BASE: &'static str = "https://comity.invalid/";

    /// The return path for `candidate`, or `/` for anything off-site,
    /// malformed or missing. Never fails.
    pub fn parse(candidate: Option<&str>) -> ReturnPath {
        static BASE: std::sync::LazyLock<url::Url> = std::sync::LazyLock::new(|| {
            url::Url::parse(ReturnPath::BASE).expect("the stand-in base is a URL")
        });
        let home = || ReturnPath("/".to_owned());
        let Some(candidate) = candidate else {
            return home();
        };
        let Ok(url) = BASE.join(candidate) else {
            return home();
        };
        if url.origin() != BASE.origin() {
            return home();
        }
        let local = &url[url::Position::BeforePath..];
        // A path that starts with `//` (from `/.//host`, say) would be read
        // as another host on its own: keep one slash.
        let trimmed = local.trim_start_matches('/');
        ReturnPath(format!("/{trimmed}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            Username::parse(" Marie.Dupont ").unwrap().as_str(),
            "marie.dupont"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("a b c").is_err());
        assert!(Username::parse("<script>").is_err());
        assert!(Username::parse(&"a".repeat(33)).is_err());
        assert!(Username::parse("Former-Member-7").is_err());
    }

    #[test]
    fn jurisdiction_codes_are_known_countries_or_regions() {
        assert_eq!(JurisdictionCode::parse("j", "fr").unwrap().as_str(), "FR");
        assert_eq!(JurisdictionCode::parse("j", "eu").unwrap().as_str(), "EU");
        assert!(JurisdictionCode::parse("j", "FRA").is_err());
        assert!(JurisdictionCode::parse("j", "F1").is_err());
        assert!(
            JurisdictionCode::parse("j", "XX").is_err(),
            "not an assigned code"
        );
        assert!(
            CountryCode::parse("c", "EU").is_err(),
            "a region is no country"
        );
        assert_eq!(CountryCode::parse("c", " ma").unwrap().as_str(), "MA");
    }

    #[test]
    fn enums_round_trip() {
        for p in Profession::ALL {
            assert_eq!(Profession::parse(p.as_str()).unwrap(), *p);
        }
        let err = Profession::parse("astronaut").unwrap_err();
        assert_eq!(err.field(), Some("profession"));
    }

    #[test]
    fn bodies_and_titles_are_bounded() {
        assert!(Markdown::parse("   ").is_err());
        assert!(Markdown::parse(&"x".repeat(Markdown::MAX_CHARS + 1)).is_err());
        assert!(ThreadTitle::parse("a\nb c").is_err());
        assert!(NewPassword::parse("short").is_err());
        assert!(Email::parse("no-at-sign").is_err());
        assert!(Email::parse("a@b@c").is_err());
    }
}

/// The language of a piece of content: an ISO 639-1 code, or `und` when
/// it is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLanguage(String);

impl ContentLanguage {
    pub const UNDETERMINED: &'static str = "und";

    /// A declared language: two lower-case letters (`fr`), or `und`.
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim().to_ascii_lowercase();
        let two_letters = value.len() == 2 && value.chars().all(|c| c.is_ascii_lowercase());
        if !two_letters && value != Self::UNDETERMINED {
            return Err(CoreError::invalid(
                "language",
                "must be an ISO 639-1 code such as en, fr, es or ar",
            ));
        }
        Ok(ContentLanguage(value))
    }

    /// The declared language if there is one, else the detected one.
    pub fn declared_or_detected(declared: Option<&str>, markdown: &str) -> Result<Self> {
        match declared.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Self::parse(d),
            None => Ok(Self::detect(markdown)),
        }
    }

    /// Detects the language of a Markdown text (whatlang, on its plain
    /// text); `und` when detection is not reliable.
    pub fn detect(markdown: &str) -> Self {
        Self::detect_plain(&crate::domain::markdown::plain_text(markdown))
    }

    /// Detects the language of plain text (the text inside a document),
    /// among the languages the forum names (scoring only those is faster,
    /// and a text in any of them is not taken for a close neighbour that
    /// would only give `und`).
    pub fn detect_plain(text: &str) -> Self {
        static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
        let detector = DETECTOR.get_or_init(|| {
            whatlang::Detector::with_allowlist(vec![
                whatlang::Lang::Eng,
                whatlang::Lang::Fra,
                whatlang::Lang::Spa,
                whatlang::Lang::Ara,
                whatlang::Lang::Deu,
                whatlang::Lang::Por,
                whatlang::Lang::Ita,
                whatlang::Lang::Rus,
                whatlang::Lang::Nld,
                whatlang::Lang::Tur,
            ])
        });
        let code = detector
            .detect(text)
            .filter(|info| info.is_reliable())
            .map(|info| match info.lang() {
                whatlang::Lang::Eng => "en",
                whatlang::Lang::Fra => "fr",
                whatlang::Lang::Spa => "es",
                whatlang::Lang::Ara => "ar",
                whatlang::Lang::Deu => "de",
                whatlang::Lang::Por => "pt",
                whatlang::Lang::Ita => "it",
                whatlang::Lang::Rus => "ru",
                whatlang::Lang::Nld => "nl",
                whatlang::Lang::Tur => "tr",
                _ => Self::UNDETERMINED,
            })
            .unwrap_or(Self::UNDETERMINED);
        ContentLanguage(code.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod language_tests {

    #[test]
    fn return_paths_stay_on_the_site() {
        let path = |s: &str| ReturnPath::parse(Some(s)).into_string();
        assert_eq!(path("/t/3?x=1#post-4"), "/t/3?x=1#post-4");
        assert_eq!(path("/c/medicines"), "/c/medicines");
        assert_eq!(ReturnPath::parse(None).as_str(), "/");
        for off_site in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "https://evil.example/",
            "http://comity.invalid/",
            "javascript:alert(1)",
            "data:text/html,<script>",
            "https:evil.example",
            "/%09/evil.example",
        ] {
            let p = path(off_site);
            assert!(
                p.starts_with('/') && !p.starts_with("//"),
                "{off_site:?} gave {p:?}"
            );
            // However a browser resolves it, it stays on the site.
            let site = url::Url::parse("https://forum.example/t/1").unwrap();
            let resolved = site.join(&p).unwrap();
            assert_eq!(resolved.origin(), site.origin(), "{off_site:?} gave {p:?}");
        }
        assert_eq!(path("https://evil.example/"), "/");
        assert_eq!(path("javascript:alert(1)"), "/");
        // Dot segments that would leave `//host` as the path.
        assert_eq!(path("/.//evil.example"), "/evil.example");
        assert_eq!(path("/x/..//evil.example/"), "/evil.example/");
        // Control characters never reach a header.
        let p = path("/a\u{1}b\u{7f}c\u{85}");
        assert!(p.bytes().all(|b| b.is_ascii_graphic()), "{p:?}");
    }

    use super::*;

    #[test]
    fn languages_are_declared_or_detected() {
        assert_eq!(ContentLanguage::parse("FR").unwrap().as_str(), "fr");
        assert!(ContentLanguage::parse("french").is_err());
        let fr =
            "La contrefaçon de médicaments est punie de cinq ans d'emprisonnement et d'une amende.";
        assert_eq!(ContentLanguage::detect(fr).as_str(), "fr");
        let ar = "يعاقب على تزييف الأدوية بالسجن خمس سنوات وبغرامة مالية كبيرة.";
        assert_eq!(ContentLanguage::detect(ar).as_str(), "ar");
        let es = "La falsificación de medicamentos se castiga con prisión de cinco años y multa.";
        assert_eq!(ContentLanguage::detect(es).as_str(), "es");
        assert_eq!(ContentLanguage::detect("ok").as_str(), "und");
        assert_eq!(
            ContentLanguage::declared_or_detected(Some("en"), fr)
                .unwrap()
                .as_str(),
            "en"
        );
    }
}

/// The name an attachment is stored and offered under: the last path
/// component of what the client sent, without control characters, quotes
/// or path separators, at most 200 characters, ending in the extension of
/// the type its content showed (`judgment` of a PDF becomes
/// `judgment.pdf`; `report.pdf` holding a DOCX becomes `report.pdf.docx`).
pub fn attachment_name(raw: &str, kind: DocumentType) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | ':' | '*' | '?' | '|'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_owned();
    if name.chars().count() > 200 {
        name = name.chars().take(200).collect();
    }
    if name.is_empty() {
        name = "file".to_owned();
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let fits = extension == kind.extension()
        || (kind == DocumentType::Jpeg && extension == "jpeg")
        || (kind == DocumentType::Text && matches!(extension.as_str(), "text" | "md" | "csv"));
    if !fits {
        name = format!("{name}.{}", kind.extension());
    }
    name
}

#[cfg(test)]
mod attachment_name_tests {
    use super::*;

    #[test]
    fn names_lose_paths_and_gain_the_real_extension() {
        assert_eq!(
            attachment_name("../../etc/passwd", DocumentType::Text),
            "passwd.txt"
        );
        assert_eq!(
            attachment_name("C:\\Users\\x\\Sentencia.PDF", DocumentType::Pdf),
            "Sentencia.PDF"
        );
        assert_eq!(
            attachment_name("report.pdf", DocumentType::Docx),
            "report.pdf.docx"
        );
        assert_eq!(
            attachment_name("a\"b\r\n.jpeg", DocumentType::Jpeg),
            "ab.jpeg"
        );
        assert_eq!(attachment_name("", DocumentType::Png), "file.png");
        assert_eq!(
            attachment_name("...hidden", DocumentType::Pdf),
            "hidden.pdf"
        );
    }
}
