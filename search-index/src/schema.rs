//! The tantivy schema and the text analyzers behind it.
//!
//! Each post's title and body are indexed twice:
//!
//! * into the language-neutral pair `title_any` / `text_any`, analysed with
//!   tantivy's `default` tokenizer (split on non-alphanumerics, lowercase),
//!   for every post whatever its language — so an exact word always matches,
//!   even when the post's language tag is wrong or unsupported;
//! * into a stemmed pair (`title_en` / `text_en`, `title_fr` / `text_fr`, …)
//!   chosen by the post's language, so "counterfeiting" finds "counterfeit".
//!
//! Titles live in their own fields so the query layer can boost them.
//!
//! Analyzers are not persisted by tantivy: [`register_analyzers`] must run
//! every time an index is opened, before any document is written or parsed.

use std::sync::LazyLock;
use tantivy::Index;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use regex::Regex;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::Result;

/// Tokens longer than this many bytes are dropped, as in tantivy's `default`
/// analyzer: they are almost always pasted hashes, URLs or base64 noise.
const MAX_TOKEN_BYTES: usize = 40;

/// Letters, combining marks and digits. Unlike [`SimpleTokenizer`], this does
/// not split a word at a combining mark, which matters for Arabic written
/// with short-vowel diacritics (tashkeel).
const WORD_WITH_MARKS: &str = r"[\p{L}\p{M}\p{N}]+";

/// Name of the post id field (also read back as a fast field on hits).
pub(crate) const POST_ID: &str = "post_id";
/// Name of the thread id field (also read back as a fast field on hits).
pub(crate) const THREAD_ID: &str = "thread_id";
/// Name of the fingerprint fast field.
pub(crate) const FINGERPRINT: &str = "fingerprint";
/// Name of the creation-time fast field (sort by date).
pub(crate) const CREATED_AT: &str = "created_at";

/// The analysis chains the index knows. Each one owns a title field and a
/// text (body) field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Analysis {
    English,
    French,
    Spanish,
    Arabic,
    /// Language-neutral: tantivy's `default` tokenizer, no stemming.
    Any,
}

impl Analysis {
    /// Every analysis chain, in field-creation order.
    pub(crate) const ALL: [Analysis; 5] = [
        Analysis::English,
        Analysis::French,
        Analysis::Spanish,
        Analysis::Arabic,
        Analysis::Any,
    ];

    /// The stemmed analysis for a language tag ("en", "fr-CA", "ES"…), or
    /// `None` when the language has no stemmer here (its posts are still
    /// indexed by [`Analysis::Any`]).
    pub(crate) fn stemmed_for(language: &str) -> Option<Analysis> {
        match primary_subtag(language).as_str() {
            "en" => Some(Analysis::English),
            "fr" => Some(Analysis::French),
            "es" => Some(Analysis::Spanish),
            "ar" => Some(Analysis::Arabic),
            _ => None,
        }
    }

    /// Suffix of this analysis' field names.
    fn suffix(self) -> &'static str {
        match self {
            Analysis::English => "en",
            Analysis::French => "fr",
            Analysis::Spanish => "es",
            Analysis::Arabic => "ar",
            Analysis::Any => "any",
        }
    }

    /// Name the analyzer is registered under in the index's tokenizer manager.
    fn tokenizer_name(self) -> &'static str {
        match self {
            Analysis::English => "comity_en",
            Analysis::French => "comity_fr",
            Analysis::Spanish => "comity_es",
            Analysis::Arabic => "comity_ar",
            // Built into every tantivy index.
            Analysis::Any => "default",
        }
    }

    /// The tokens this analysis makes of `text`, as the index stores them.
    pub(crate) fn tokens(self, text: &str) -> Vec<String> {
        let mut analyzer = match self.analyzer() {
            Ok(Some(analyzer)) => analyzer,
            // The built-in `default`, rebuilt: tantivy does not export it.
            _ => TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .build(),
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |token| out.push(token.text.clone()));
        out
    }

    /// Builds the analyzer, or `None` for tantivy's built-in `default`.
    fn analyzer(self) -> Result<Option<TextAnalyzer>> {
        let stemmed = |language| {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(Stemmer::new(language))
        };
        let analyzer = match self {
            Analysis::English => stemmed(Language::English).build(),
            // Accents are folded *after* stemming (the Snowball stemmers
            // expect accented input), so "medicaments" typed without accents
            // still meets "médicament".
            Analysis::French => stemmed(Language::French).filter(AsciiFoldingFilter).build(),
            Analysis::Spanish => stemmed(Language::Spanish)
                .filter(AsciiFoldingFilter)
                .build(),
            // The Snowball Arabic stemmer also normalises: it drops
            // diacritics and tatweel and unifies the hamza forms of alef.
            Analysis::Arabic => TextAnalyzer::builder(WordsWithMarks::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(WawAlDetacher)
                .filter(Stemmer::new(Language::Arabic))
                .build(),
            Analysis::Any => return Ok(None),
        };
        Ok(Some(analyzer))
    }
}

/// Splits text into runs of letters, combining marks and digits
/// ([`WORD_WITH_MARKS`]). Unlike tantivy's `RegexTokenizer`, which clones
/// its `Regex` (and so rebuilds the matcher's cache) for every text, all
/// streams share one compiled pattern: Arabic indexing was ~13× slower than
/// the other languages before.
#[derive(Clone, Default)]
struct WordsWithMarks {
    token: Token,
}

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(WORD_WITH_MARKS).expect("a valid pattern"));

impl Tokenizer for WordsWithMarks {
    type TokenStream<'a> = WordsWithMarksStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        WordsWithMarksStream {
            words: WORD.find_iter(text),
            token: &mut self.token,
        }
    }
}

struct WordsWithMarksStream<'a> {
    words: regex::Matches<'static, 'a>,
    token: &'a mut Token,
}

impl TokenStream for WordsWithMarksStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(word) = self.words.next() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(word.as_str());
        self.token.offset_from = word.start();
        self.token.offset_to = word.end();
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Detaches the conjunction و ("and") from a word that carries the article
/// after it: "والاتجار" → "الاتجار". The Snowball stemmer removes "ال",
/// "بال", "وبال"… but not "وال", one of the commonest prefixes in legal
/// Arabic ("trafficking and …"), as light stemmers do (Larkey et al.,
/// light10).
#[derive(Clone)]
struct WawAlDetacher;

impl TokenFilter for WawAlDetacher {
    type Tokenizer<T: Tokenizer> = WawAlTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        WawAlTokenizer(tokenizer)
    }
}

#[derive(Clone)]
struct WawAlTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for WawAlTokenizer<T> {
    type TokenStream<'a> = WawAlStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WawAlStream(self.0.token_stream(text))
    }
}

struct WawAlStream<T>(T);

impl<T: TokenStream> TokenStream for WawAlStream<T> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let text = &mut self.0.token_mut().text;
        // Keep at least two letters after the article.
        if text.starts_with("وال") && text.chars().count() >= 5 {
            text.drain(.."و".len());
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// "en-GB" → "en", " FR " → "fr", "" → "".
pub(crate) fn primary_subtag(language: &str) -> String {
    language
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The title and body fields of one analysis chain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextFields {
    pub(crate) title: Field,
    pub(crate) text: Field,
    /// Names of the instruments and crime areas an analysis is filed
    /// under, in this analysis' language (opening posts only).
    pub(crate) names: Field,
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    /// u64, indexed (for upsert/delete by term), fast (read back on hits), stored.
    pub(crate) post_id: Field,
    /// u64, indexed, fast, stored.
    pub(crate) thread_id: Field,
    /// u64, indexed (the author filter).
    pub(crate) author_id: Field,
    /// u64, fast: [`crate::IndexDoc::fingerprint`].
    pub(crate) fingerprint: Field,
    /// i64 unix seconds, indexed (date ranges), fast (sort by date), stored.
    pub(crate) created_at: Field,
    /// Raw strings, one per access key ("members", "group:3").
    pub(crate) acl: Field,
    /// Facet "/3": the category id.
    pub(crate) category: Field,
    /// Facet "/2026": the year the post was written.
    pub(crate) year: Field,
    /// Facet "/question": the thread kind.
    pub(crate) kind: Field,
    /// Facet "/fr": the post's primary language subtag, lowercased.
    pub(crate) language: Field,
    /// Facets "/FR" and "/EU/FR" (see [`crate::doc::jurisdiction_facets`]).
    pub(crate) jurisdiction: Field,
    /// Facets "/untoc" and "/untoc/5".
    pub(crate) instrument: Field,
    /// Facet "/counterfeiting".
    pub(crate) crime_area: Field,
    /// One title/text pair per [`Analysis`], in [`Analysis::ALL`] order.
    pub(crate) text: [TextFields; Analysis::ALL.len()],
}

impl Fields {
    /// The title/text pair analysed by `analysis`.
    pub(crate) fn text(&self, analysis: Analysis) -> TextFields {
        // `Analysis::ALL` lists the variants in declaration order, so the
        // discriminant is the position in `self.text`.
        self.text[analysis as usize]
    }

    /// All names fields (boosted at query time).
    pub(crate) fn names(&self) -> impl Iterator<Item = Field> + '_ {
        self.text.iter().map(|pair| pair.names)
    }

    /// All title fields (boosted at query time).
    pub(crate) fn titles(&self) -> impl Iterator<Item = Field> + '_ {
        self.text.iter().map(|pair| pair.title)
    }

    /// The title/text pair a post in `language` is stemmed into, or the
    /// language-neutral pair.
    pub(crate) fn text_for(&self, language: &str) -> TextFields {
        self.text(Analysis::stemmed_for(language).unwrap_or(Analysis::Any))
    }

    /// All title, text and name fields: what free-text queries search.
    pub(crate) fn all_text(&self) -> Vec<Field> {
        self.text
            .iter()
            .flat_map(|pair| [pair.title, pair.text, pair.names])
            .collect()
    }
}

/// Builds the schema and the field handles pointing into it.
pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();

    let post_id = builder.add_u64_field(POST_ID, INDEXED | FAST | STORED);
    let thread_id = builder.add_u64_field(THREAD_ID, INDEXED | FAST | STORED);
    let author_id = builder.add_u64_field("author_id", INDEXED);
    let fingerprint = builder.add_u64_field(FINGERPRINT, FAST);
    let created_at = builder.add_i64_field(CREATED_AT, INDEXED | FAST | STORED);
    // "readers" (it was "acl" before mark keys, "access" before a post's
    // own mark keys: an older index is rebuilt).
    let acl = builder.add_text_field("readers", STRING);
    let mut facet = |name: &str| builder.add_facet_field(name, FacetOptions::default());
    let category = facet("category");
    let year = facet("year");
    let kind = facet("kind");
    let language = facet("language");
    let jurisdiction = facet("jurisdiction");
    let instrument = facet("instrument");
    let crime_area = facet("crime_area");

    let text = Analysis::ALL.map(|analysis| {
        // Positions are kept so quoted phrases work.
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis.tokenizer_name())
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let suffix = analysis.suffix();
        TextFields {
            title: builder.add_text_field(&format!("title_{suffix}"), options.clone()),
            text: builder.add_text_field(&format!("text_{suffix}"), options.clone()),
            names: builder.add_text_field(&format!("names_{suffix}"), options),
        }
    });

    let fields = Fields {
        post_id,
        thread_id,
        author_id,
        fingerprint,
        created_at,
        acl,
        category,
        year,
        kind,
        language,
        jurisdiction,
        instrument,
        crime_area,
        text,
    };
    (builder.build(), fields)
}

/// Registers this crate's analyzers on `index`. Must be called on every
/// open: tantivy stores analyzer names in the schema, not the analyzers.
pub(crate) fn register_analyzers(index: &Index) -> Result<()> {
    for analysis in Analysis::ALL {
        if let Some(analyzer) = analysis.analyzer()? {
            index
                .tokenizers()
                .register(analysis.tokenizer_name(), analyzer);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens `analysis` produces for `text`.
    fn tokens(analysis: Analysis, text: &str) -> Vec<String> {
        let mut analyzer = analysis
            .analyzer()
            .unwrap()
            .expect("stemmed analyses have their own analyzer");
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |token| out.push(token.text.clone()));
        out
    }

    #[test]
    fn language_tags_pick_a_stemmer() {
        assert_eq!(Analysis::stemmed_for("en"), Some(Analysis::English));
        assert_eq!(Analysis::stemmed_for(" fr-CA "), Some(Analysis::French));
        assert_eq!(Analysis::stemmed_for("ES"), Some(Analysis::Spanish));
        assert_eq!(Analysis::stemmed_for("ar_EG"), Some(Analysis::Arabic));
        assert_eq!(Analysis::stemmed_for("de"), None);
        assert_eq!(Analysis::stemmed_for(""), None);
    }

    #[test]
    fn analyses_are_listed_in_declaration_order() {
        for (position, analysis) in Analysis::ALL.into_iter().enumerate() {
            assert_eq!(analysis as usize, position);
        }
    }

    #[test]
    fn stemmers_conflate_inflections() {
        assert_eq!(
            tokens(Analysis::English, "Counterfeiting counterfeit"),
            tokens(Analysis::English, "counterfeit counterfeit")
        );
        assert_eq!(
            tokens(Analysis::French, "Médicaments"),
            tokens(Analysis::French, "médicament")
        );
        assert_eq!(
            tokens(Analysis::French, "medicaments"),
            tokens(Analysis::French, "médicament")
        );
        assert_eq!(
            tokens(Analysis::Spanish, "contratos"),
            tokens(Analysis::Spanish, "contrato")
        );
    }

    #[test]
    fn arabic_is_normalised_and_stemmed() {
        // "the court" with and without the article and short vowels.
        let plain = tokens(Analysis::Arabic, "محكمة");
        assert_eq!(plain.len(), 1);
        assert_eq!(tokens(Analysis::Arabic, "المحكمة"), plain);
        assert_eq!(tokens(Analysis::Arabic, "مَحْكَمَة"), plain);
        // Tatweel (letter-stretching) is removed, hamza forms of alef unified.
        assert_eq!(tokens(Analysis::Arabic, "محـــكمة"), plain);
        assert_eq!(
            tokens(Analysis::Arabic, "أحكام"),
            tokens(Analysis::Arabic, "احكام")
        );
        // "and the trafficking" meets "the trafficking"; short words keep
        // their waw.
        assert_eq!(
            tokens(Analysis::Arabic, "والاتجار"),
            tokens(Analysis::Arabic, "الاتجار")
        );
        assert_eq!(tokens(Analysis::Arabic, "والي").len(), 1);
    }

    #[test]
    fn every_text_field_uses_a_registered_analyzer() {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema.clone());
        register_analyzers(&index).unwrap();
        for field in fields.all_text() {
            let entry = schema.get_field_entry(field);
            let tantivy::schema::FieldType::Str(options) = entry.field_type() else {
                panic!("{} is not a text field", entry.name());
            };
            let name = options.get_indexing_options().unwrap().tokenizer();
            assert!(index.tokenizers().get(name).is_some(), "{name} missing");
        }
    }
}
