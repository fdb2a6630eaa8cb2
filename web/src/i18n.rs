//! The interface language: Fluent catalogues for English, French, Spanish
//! and Arabic (embedded at compile time), negotiation from a preference or
//! `Accept-Language`, text direction, and dates in the reader's language.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDateTime, Timelike};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Plain strings: bidi isolation marks would leak into attributes
        // and tests; user text is isolated with `dir="auto"` in templates.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fr,
    Es,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::Es, Lang::Ar];

    /// ISO 639-1 code, as used in `lang` attributes and the catalogue folders.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ar => "ar",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Es => "Español",
            Lang::Ar => "العربية",
        }
    }

    /// `rtl` for Arabic, `ltr` otherwise.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// A supported language from a tag such as `fr`, `fr-CA` or `AR`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best supported language in an `Accept-Language` header, by
    /// quality then order; `None` when none is supported.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut candidates: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::from_tag(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.first().map(|c| c.2)
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::En => langid!("en"),
            Lang::Fr => langid!("fr"),
            Lang::Es => langid!("es"),
            Lang::Ar => langid!("ar"),
        }
    }
}

/// Formatted messages of one language, by key.
type Memo<V> = std::sync::RwLock<rustc_hash::FxHashMap<Box<str>, V>>;

/// How many formatted messages each memo keeps per language.
const KEPT_MESSAGES: usize = 8192;

fn read<V>(memo: &Memo<V>) -> std::sync::RwLockReadGuard<'_, rustc_hash::FxHashMap<Box<str>, V>> {
    memo.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<V>(memo: &Memo<V>) -> std::sync::RwLockWriteGuard<'_, rustc_hash::FxHashMap<Box<str>, V>> {
    memo.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Translations for one reader.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct I18n {
    pub lang: Lang,
    id: LanguageIdentifier,
}

impl I18n {
    pub fn new(lang: Lang) -> I18n {
        I18n {
            lang,
            id: lang.langid(),
        }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn dir(&self) -> &'static str {
        self.lang.dir()
    }

    /// The message `key`, as an owned string (see [`I18n::text`]).
    pub fn t(&self, key: &str) -> String {
        self.text(key).into_owned()
    }

    /// The message `key`, borrowed: what templates print. Messages without
    /// arguments never change while the process runs: each is formatted
    /// once per language and kept for the life of the process (a page
    /// looks up a hundred keys, all ours, and borrows each instead of
    /// copying it). A key past the bound is formatted afresh each time.
    pub fn text(&self, key: &str) -> Cow<'static, str> {
        static FORMATTED: std::sync::LazyLock<[Memo<&'static str>; 4]> =
            std::sync::LazyLock::new(Default::default);
        let memo = &FORMATTED[self.lang as usize];
        if let Some(text) = read(memo).get(key) {
            return Cow::Borrowed(text);
        }
        let text = LOCALES.lookup(&self.id, key);
        let mut memo = write(memo);
        if let Some(text) = memo.get(key) {
            return Cow::Borrowed(text);
        }
        // The catalogue's keys, a few thousand at most; never unbounded.
        if memo.len() >= KEPT_MESSAGES {
            return Cow::Owned(text);
        }
        let kept: &'static str = Box::leak(text.into_boxed_str());
        memo.insert(key.into(), kept);
        Cow::Borrowed(kept)
    }

    /// The message `key` with one named argument. Most arguments on a page
    /// are the same for every request (a placeholder for the page's script,
    /// a thread's mark): the formatted message is kept by key, name and
    /// value, up to a bound, after which the memo starts again. Long
    /// values (a list of readers, say) are formatted each time, so that
    /// the memo's size stays small whatever members write.
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        /// The longest value whose message is kept.
        const KEPT_VALUE_BYTES: usize = 64;
        static FORMATTED: std::sync::LazyLock<[Memo<String>; 4]> =
            std::sync::LazyLock::new(Default::default);
        let args = || HashMap::from([(Cow::Borrowed(name), FluentValue::from(value.to_owned()))]);
        if value.len() > KEPT_VALUE_BYTES {
            return LOCALES.lookup_with_args(&self.id, key, &args());
        }
        let memo = &FORMATTED[self.lang as usize];
        let mut memo_key = String::with_capacity(key.len() + name.len() + value.len() + 2);
        for part in [key, "\0", name, "\0", value] {
            memo_key.push_str(part);
        }
        if let Some(text) = read(memo).get(memo_key.as_str()) {
            return text.clone();
        }
        let text = LOCALES.lookup_with_args(&self.id, key, &args());
        let mut memo = write(memo);
        if memo.len() >= KEPT_MESSAGES {
            memo.clear();
        }
        memo.insert(memo_key.into_boxed_str(), text.clone());
        text
    }

    /// The message `key` with a count (`$count`), for plural rules.
    pub fn tn(&self, key: &str, count: impl std::borrow::Borrow<i64>) -> String {
        let args = HashMap::from([(Cow::Borrowed("count"), FluentValue::from(*count.borrow()))]);
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// The message `key` if the catalogues have it (placeables without a
    /// value render as their name).
    pub fn try_t(&self, key: &str) -> Option<String> {
        has_message(key).then(|| self.t(key))
    }

    /// The message `key` with named string arguments.
    pub fn t_with(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.to_string())))
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// A calendar date in the reader's language, e.g. "12 Mar 2019" /
    /// "12 mars 2019".
    pub fn date(&self, day: chrono::NaiveDate) -> String {
        format!(
            "{} {} {}",
            day.day(),
            self.t(&format!("month-{}", day.month())),
            day.year()
        )
    }

    /// A UTC date and time in the reader's language, e.g.
    /// "29 Nov 2026, 07:14 UTC" / "29 nov. 2026, 07:14 UTC".
    pub fn datetime(&self, at: NaiveDateTime) -> String {
        let month = self.t(&format!("month-{}", at.month()));
        let comma = if self.lang == Lang::Ar { "،" } else { "," };
        format!(
            "{} {} {}{comma} {:02}:{:02} UTC",
            at.day(),
            month,
            at.year(),
            at.hour(),
            at.minute()
        )
    }

    /// Sorts `items` by `name` in the reader's alphabetical order (the
    /// Unicode collation algorithm with the language's CLDR tailoring:
    /// « Égypte » next to « Équateur », not after « Zimbabwe »).
    pub fn sort_by_name<T>(&self, items: &mut [T], name: impl Fn(&T) -> &str) {
        let collator = collator(self.lang);
        items.sort_by(|a, b| collator.compare(name(a), name(b)));
    }

    /// A jurisdiction's (country's or region's) name in the reader's
    /// language, or the code.
    pub fn country(&self, code: &str) -> String {
        forum_core::domain::jurisdictions::name(code, self.code())
            .map(str::to_owned)
            .unwrap_or_else(|| code.to_owned())
    }
}

/// Message ids of the English catalogue; a test checks every language has
/// the same.
static MESSAGE_IDS: std::sync::LazyLock<std::collections::HashSet<String>> =
    std::sync::LazyLock::new(|| message_ids(include_str!("../locales/en/main.ftl")));

/// Does the catalogue define `key`?
pub fn has_message(key: &str) -> bool {
    MESSAGE_IDS.contains(key)
}

/// The message ids defined in a Fluent source.
pub fn message_ids<C: FromIterator<String>>(source: &str) -> C {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

/// Every catalogue's source, per language (for the completeness test).
pub fn catalogue_sources() -> Vec<(Lang, &'static str)> {
    vec![
        (Lang::En, include_str!("../locales/en/main.ftl")),
        (Lang::Fr, include_str!("../locales/fr/main.ftl")),
        (Lang::Es, include_str!("../locales/es/main.ftl")),
        (Lang::Ar, include_str!("../locales/ar/main.ftl")),
    ]
}

/// The collator of each interface language, built once from ICU4X's
/// compiled data (no data files at run time).
fn collator(lang: Lang) -> &'static icu_collator::CollatorBorrowed<'static> {
    static COLLATORS: std::sync::LazyLock<Vec<icu_collator::CollatorBorrowed<'static>>> =
        std::sync::LazyLock::new(|| {
            Lang::ALL
                .iter()
                .map(|l| {
                    let locale: icu_locale_core::Locale = l
                        .code()
                        .parse()
                        .expect("interface language codes are locales");
                    icu_collator::Collator::try_new(
                        (&locale).into(),
                        icu_collator::options::CollatorOptions::default(),
                    )
                    .expect("compiled collation data covers the interface languages")
                })
                .collect()
        });
    let index = Lang::ALL
        .iter()
        .position(|l| *l == lang)
        .expect("a listed language");
    &COLLATORS[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_messages_are_those_of_their_language_key_and_argument() {
        let (en, fr) = (I18n::new(Lang::En), I18n::new(Lang::Fr));
        // Asked twice, each time after the other language and argument.
        for _ in 0..2 {
            assert_eq!(en.t1("posts-by", "name", "Ana"), "Post by Ana");
            assert_eq!(en.t1("posts-by", "name", "Bo"), "Post by Bo");
            assert_eq!(fr.t1("posts-by", "name", "Ana"), "Message de Ana");
            // The argument's name is part of what is kept.
            assert_ne!(en.t1("posts-by", "other", "Ana"), "Post by Ana");
            let long = "x".repeat(100);
            assert_eq!(en.t1("posts-by", "name", &long), format!("Post by {long}"));
            assert_eq!(en.text("reply-heading"), en.t("reply-heading"));
            assert_ne!(en.text("reply-heading"), fr.text("reply-heading"));
        }
        // A kept message is lent, not copied.
        assert!(matches!(en.text("reply-heading"), Cow::Borrowed(_)));
    }

    #[test]
    fn accept_language_is_negotiated() {
        assert_eq!(
            Lang::from_accept_language("fr-CH, fr;q=0.9, en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, es;q=0.5, ar;q=0.7"),
            Some(Lang::Ar)
        );
        assert_eq!(Lang::from_accept_language("de, it"), None);
        assert_eq!(Lang::from_accept_language("ar;q=0, es"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn plurals_follow_each_language() {
        let en = I18n::new(Lang::En);
        assert_eq!(en.tn("thread-replies", 1), "1 reply");
        assert_eq!(en.tn("thread-replies", 3), "3 replies");
        let fr = I18n::new(Lang::Fr);
        assert_eq!(fr.tn("thread-replies", 0), "0 réponse");
        assert_eq!(fr.tn("thread-replies", 2), "2 réponses");
        let ar = I18n::new(Lang::Ar);
        assert_ne!(ar.tn("thread-replies", 2), ar.tn("thread-replies", 11));
    }

    #[test]
    fn dates_and_directions() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
            .unwrap()
            .and_hms_opt(7, 4, 0)
            .unwrap();
        assert_eq!(I18n::new(Lang::En).datetime(at), "29 Nov 2026, 07:04 UTC");
        assert_eq!(I18n::new(Lang::Es).datetime(at), "29 nov 2026, 07:04 UTC");
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert_eq!(Lang::Fr.dir(), "ltr");
        assert_eq!(I18n::new(Lang::Fr).country("MA"), "Maroc");
        assert_eq!(I18n::new(Lang::Ar).country("FR"), "فرنسا");
    }

    #[test]
    fn country_lists_follow_each_languages_alphabet() {
        let names = [
            "Zimbabwe",
            "Égypte",
            "Équateur",
            "Espagne",
            "Eswatini",
            "Éthiopie",
        ];
        let mut sorted: Vec<&str> = names.to_vec();
        I18n::new(Lang::Fr).sort_by_name(&mut sorted, |n| n);
        assert_eq!(
            sorted,
            [
                "Égypte",
                "Équateur",
                "Espagne",
                "Eswatini",
                "Éthiopie",
                "Zimbabwe"
            ]
        );
        // Code-point order puts every accented initial last: the bug this
        // replaces.
        let mut naive = names.to_vec();
        naive.sort();
        assert_ne!(naive, sorted);
        let mut es = vec!["Ñandú", "Nepal", "Omán", "Níger"];
        I18n::new(Lang::Es).sort_by_name(&mut es, |n| n);
        assert_eq!(es, ["Nepal", "Níger", "Ñandú", "Omán"]);
    }

    /// Every plural message, in every language, for the counts CLDR treats
    /// differently: a count shown as a number is the count asked for, and
    /// no two counts of a different plural category read the same.
    #[test]
    fn plurals_say_the_count_they_are_given() {
        let source = include_str!("../locales/en/main.ftl");
        let plural_keys: Vec<&str> = source
            .lines()
            .filter(|l| l.trim_end().ends_with("{ $count ->"))
            .filter_map(|l| l.split(" = ").next())
            .collect();
        assert!(plural_keys.len() >= 4, "{plural_keys:?}");
        for lang in Lang::ALL {
            let i18n = I18n::new(lang);
            for key in &plural_keys {
                let mut seen = Vec::new();
                for n in [0i64, 1, 2, 3, 11, 100] {
                    let text = i18n.tn(key, n);
                    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                    assert!(
                        digits.is_empty() || digits == n.to_string(),
                        "{lang:?} {key} for {n}: {text:?}"
                    );
                    if n >= 3 {
                        assert!(digits == n.to_string(), "{lang:?} {key} for {n}: {text:?}");
                    }
                    seen.push(text);
                }
                // 0, 1 and 2 read differently from each other where a
                // language says them differently, and never like 3.
                assert_ne!(seen[0], seen[3], "{lang:?} {key}");
                assert_ne!(seen[1], seen[3], "{lang:?} {key}");
                assert_ne!(seen[1], seen[2], "{lang:?} {key}");
            }
        }
    }
}
