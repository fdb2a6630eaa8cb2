//! Pieces several pages share: chips, thread rows, list filters, the
//! jurisdiction, instrument and crime-area pickers, analysis blocks.

use forum_core::ThreadId;
use forum_core::domain::ThreadKind;
use forum_core::views::ThreadSummary;

use crate::*;

/// A jurisdiction chip: the code, and its name in the reader's language.
#[derive(Hash, PartialEq, Eq)]
pub struct Chip {
    pub code: String,
    pub name: String,
}

fn chips(codes: &[String], i18n: &I18n) -> Vec<Chip> {
    codes
        .iter()
        .map(|code| Chip {
            code: code.clone(),
            name: i18n.country(code),
        })
        .collect()
}

/// A thread row in lists.
#[derive(Hash, PartialEq, Eq)]
pub struct ThreadRow {
    pub id: ThreadId,
    pub title: String,
    pub kind: ThreadKind,
    /// The catalogue key of the kind's label.
    pub kind_key: String,
    pub language: String,
    pub category_slug: String,
    pub category_name: String,
    pub author: String,
    pub author_username: String,
    pub jurisdictions: Vec<Chip>,
    pub replies: i64,
    pub last_post: When,
    pub locked: bool,
    pub pinned: bool,
    /// The analysis summary, for analyses.
    pub summary: Option<String>,
    /// Listed on a jurisdiction's page through a region tag only.
    pub regional: bool,
    /// Its handling mark, as TLP spells it (`AMBER+STRICT`).
    pub mark: &'static str,
    /// The mark's CSS word (`amber-strict`).
    pub mark_slug: &'static str,
    /// Who a mark naming its readers admits (codes, groups, names).
    pub mark_readers: String,
}

impl ThreadRow {
    pub fn new(t: &ThreadSummary, i18n: &I18n) -> Self {
        ThreadRow {
            id: t.id,
            title: t.title.clone(),
            kind: t.kind,
            kind_key: format!("kind-{}", t.kind),
            language: t.language.clone(),
            category_slug: t.category_slug.clone(),
            category_name: t.category_name.clone(),
            author: t.author.display_name.clone(),
            author_username: t.author.username.clone(),
            jurisdictions: chips(&t.jurisdictions, i18n),
            replies: (t.post_count - 1).max(0),
            last_post: When::of(t.last_post_at, i18n),
            locked: t.locked,
            pinned: t.pinned,
            summary: t.summary.clone(),
            regional: false,
            mark: t.mark.as_str(),
            mark_slug: t.mark.slug(),
            mark_readers: t.mark_readers.join(", "),
        }
    }
}

/// The kind, crime area and jurisdiction filters of a thread list.
#[derive(Hash, PartialEq, Eq)]
pub struct ListFilters {
    pub kinds: Vec<PickOption>,
    pub crime_areas: Vec<PickOption>,
    pub jurisdiction: String,
    /// The query string that keeps these filters across pages.
    pub query: String,
}

impl ListFilters {
    pub fn new(
        kind: Option<&str>,
        crime_area: Option<&str>,
        jurisdiction: Option<&str>,
        language: Option<&str>,
        i18n: &I18n,
    ) -> Self {
        let kinds = forum_core::domain::ThreadKind::ALL
            .iter()
            .map(|k| PickOption {
                value: k.as_str().to_owned(),
                label: i18n.t(&format!("kind-{k}")),
                selected: Some(k.as_str()) == kind,
                search: String::new(),
            })
            .collect();
        let area: Vec<String> = crime_area.map(str::to_owned).into_iter().collect();
        let query = [
            ("language", language),
            ("kind", kind),
            ("crime_area", crime_area),
            ("jurisdiction", jurisdiction),
        ]
        .iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
        .fold(String::new(), |mut q, (k, v)| {
            q.push('&');
            q.push_str(k);
            q.push('=');
            q.extend(url_encode(v));
            q
        });
        ListFilters {
            kinds,
            crime_areas: crime_area_options(&area, i18n),
            jurisdiction: jurisdiction.unwrap_or_default().to_owned(),
            query,
        }
    }
}

fn url_encode(value: &str) -> impl Iterator<Item = char> + '_ {
    value.bytes().flat_map(|b| {
        let keep = b.is_ascii_alphanumeric() || b"-_.".contains(&b);
        let text = if keep {
            (b as char).to_string()
        } else {
            format!("%{b:02X}")
        };
        text.chars().collect::<Vec<_>>()
    })
}

/// An option of a picker: value, label, selected.
#[derive(Hash, PartialEq, Eq)]
pub struct PickOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// More words the typeahead matches (a country's names in every
    /// language).
    pub search: String,
}

/// A labelled group of picker options.
pub struct PickGroup {
    pub label: String,
    pub options: Vec<PickOption>,
}

/// The jurisdiction picker: countries by name in the reader's language,
/// then regional groupings.
pub fn jurisdiction_picker(selected: &[String], i18n: &I18n) -> Vec<PickGroup> {
    let pick = |j: &forum_core::domain::jurisdictions::Jurisdiction| PickOption {
        value: j.code.clone(),
        label: format!("{} ({})", j.name(i18n.code()), j.code),
        selected: selected.contains(&j.code),
        search: [&j.name_en, &j.name_fr, &j.name_es, &j.name_ar]
            .map(String::as_str)
            .join(" "),
    };
    let mut countries: Vec<PickOption> = forum_core::domain::jurisdictions::countries()
        .map(pick)
        .collect();
    i18n.sort_by_name(&mut countries, |o| o.label.as_str());
    let regions: Vec<PickOption> = forum_core::domain::jurisdictions::regions()
        .map(pick)
        .collect();
    vec![
        PickGroup {
            label: i18n.t("jurisdictions-countries"),
            options: countries,
        },
        PickGroup {
            label: i18n.t("jurisdictions-regions"),
            options: regions,
        },
    ]
}

/// The instrument picker: one group per instrument, the whole instrument
/// first, then each article. `aliases` gives an instrument's other names
/// (in every language: "Palermo Convention", "CTO"…), which the typeahead
/// matches as well.
pub fn instrument_picker(
    selected: &[String],
    i18n: &I18n,
    aliases: impl Fn(&str) -> Vec<String>,
) -> Vec<PickGroup> {
    forum_core::domain::instruments::all()
        .iter()
        .map(|inst| {
            let whole = PickOption {
                value: inst.id.clone(),
                label: format!("{} — {}", inst.short_name, i18n.t("instrument-whole")),
                selected: selected.contains(&inst.id),
                search: std::iter::once(inst.title.clone())
                    .chain(aliases(&inst.id))
                    .collect::<Vec<_>>()
                    .join(" · "),
            };
            let articles = inst.articles.iter().map(|a| {
                let value = format!("{}:{}", inst.id, a.number);
                PickOption {
                    selected: selected.contains(&value),
                    search: String::new(),
                    label: if a.title.is_empty() {
                        format!("{} art. {}", inst.short_name, a.number)
                    } else {
                        format!("{} art. {} — {}", inst.short_name, a.number, a.title)
                    },
                    value,
                }
            });
            PickGroup {
                label: format!("{} ({})", inst.short_name, inst.year),
                options: std::iter::once(whole).chain(articles).collect(),
            }
        })
        .collect()
}

/// Crime areas as (value, label, selected).
pub fn crime_area_options(selected: &[String], i18n: &I18n) -> Vec<PickOption> {
    forum_core::domain::CrimeArea::ALL
        .iter()
        .map(|a| PickOption {
            value: a.as_str().to_owned(),
            label: i18n.t(&format!("crime-{a}")),
            selected: selected.iter().any(|s| s == a.as_str()),
            search: String::new(),
        })
        .collect()
}

/// An instrument or article an analysis cites, linked to its page.
#[derive(Hash, PartialEq, Eq)]
pub struct CitedInstrument {
    pub label: String,
    pub href: String,
    pub title: String,
}

/// A court decision, as shown.
#[derive(Hash, PartialEq, Eq)]
pub struct CaseItem {
    pub court: String,
    /// ISO 8601, for `<time datetime>`; empty when unknown.
    pub date: String,
    /// The same date in the reader's language.
    pub date_text: String,
    pub reference: String,
    pub ecli: Option<String>,
}

/// Why an analysis needs review, in words (`review_by_passed`,
/// `instrument_amended:<id>`).
pub fn review_reason(reason: &str, i18n: &I18n) -> String {
    match reason.split_once(':') {
        Some((key, instrument)) => i18n.t1(
            &format!("review-{key}"),
            "instrument",
            forum_core::domain::instruments::get(instrument)
                .map_or(instrument, |i| i.short_name.as_str()),
        ),
        None => i18n.t(&format!("review-{reason}")),
    }
}

/// The structured header of an analysis.
#[derive(Hash, PartialEq, Eq)]
pub struct AnalysisBlock {
    pub summary: String,
    pub language: String,
    pub instruments: Vec<CitedInstrument>,
    pub crime_areas: Vec<String>,
    pub provisions: Vec<(Chip, String)>,
    pub cases: Vec<CaseItem>,
    pub valid_as_of: String,
    pub valid_as_of_text: String,
    pub review_by: String,
    pub review_by_text: String,
    /// Why it needs review, in words; empty when current.
    pub review_reasons: Vec<String>,
    /// "Accurate for ES: prosecutor ×2, judge ×1".
    pub endorsements: Vec<String>,
    /// The country the viewer endorsed it for.
    pub my_endorsement: Option<String>,
    /// The viewer's country, when they may endorse it for it.
    pub can_endorse_for: Option<Chip>,
}

impl AnalysisBlock {
    pub fn new(
        a: &forum_core::views::AnalysisView,
        can_endorse_for: Option<&str>,
        i18n: &I18n,
    ) -> Self {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let text = |d: Option<chrono::NaiveDate>| d.map(|d| i18n.date(d)).unwrap_or_default();
        AnalysisBlock {
            summary: a.summary.clone(),
            language: a.language.clone(),
            instruments: a
                .instruments
                .iter()
                .map(|c| CitedInstrument {
                    label: c.label.clone(),
                    href: match &c.article {
                        Some(n) => format!("/i/{}#art-{n}", c.instrument),
                        None => format!("/i/{}", c.instrument),
                    },
                    title: c.article_title.clone().unwrap_or_default(),
                })
                .collect(),
            crime_areas: a
                .crime_areas
                .iter()
                .map(|c| i18n.t(&format!("crime-{c}")))
                .collect(),
            provisions: a
                .legal_provisions
                .iter()
                .map(|p| {
                    (
                        Chip {
                            code: p.jurisdiction.clone(),
                            name: i18n.country(&p.jurisdiction),
                        },
                        p.text.clone(),
                    )
                })
                .collect(),
            cases: a
                .case_citations
                .iter()
                .map(|c| CaseItem {
                    court: c.court.clone(),
                    date: date(c.date),
                    date_text: text(c.date),
                    reference: c.reference.clone(),
                    ecli: c.ecli.clone(),
                })
                .collect(),
            valid_as_of: date(a.valid_as_of),
            valid_as_of_text: text(a.valid_as_of),
            review_by: date(a.review_by),
            review_by_text: text(a.review_by),
            review_reasons: a
                .review_reasons
                .iter()
                .map(|r| review_reason(r, i18n))
                .collect(),
            endorsements: a
                .endorsements
                .iter()
                .map(|e| {
                    let people = e
                        .professions
                        .iter()
                        .map(|(p, n)| format!("{} ×{n}", i18n.t(&format!("profession-{p}"))))
                        .collect::<Vec<_>>()
                        .join(", ");
                    i18n.t_with(
                        "endorsement-line",
                        &[
                            ("jurisdiction", &i18n.country(&e.jurisdiction)),
                            ("people", &people),
                        ],
                    )
                })
                .collect(),
            my_endorsement: a.my_endorsement.as_ref().map(|c| i18n.country(c)),
            can_endorse_for: can_endorse_for.map(|c| Chip {
                code: c.to_owned(),
                name: i18n.country(c),
            }),
        }
    }
}

pub use forum_core::views::file_url;

/// An attachment as listed under a post.
pub struct FileRow {
    pub id: forum_core::AttachmentId,
    pub url: String,
    pub name: String,
    /// "1.2 MB".
    pub size: String,
    /// The icon's word: pdf, doc, sheet, image, text.
    pub icon: &'static str,
    pub pages: Option<i64>,
    pub language: Option<String>,
    /// Shown in a sandboxed frame under the list (a PDF).
    pub preview: bool,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    /// The author a PDF's metadata names (offered for removal to whoever
    /// may edit the post).
    pub document_author: Option<String>,
}

impl FileRow {
    pub fn new(a: &forum_core::views::AttachmentView) -> FileRow {
        use forum_core::domain::DocumentType as T;
        FileRow {
            id: a.id,
            document_author: a.document_author.clone(),
            url: file_url(a.id, &a.name),
            name: a.name.clone(),
            size: human_size(a.size),
            icon: match a.media_type {
                T::Pdf => "pdf",
                T::Docx | T::Odt | T::Rtf => "doc",
                T::Xlsx | T::Ods => "sheet",
                T::Png | T::Jpeg => "image",
                T::Text => "text",
            },
            pages: a.pages,
            language: a.language.clone(),
            preview: a.media_type == T::Pdf && a.inline,
            hidden: a.hidden,
            hidden_reason: a.hidden_reason.clone(),
        }
    }
}

/// Bytes as people read them: "850 B", "12 KB", "1.4 MB".
pub fn human_size(bytes: i64) -> String {
    let b = bytes as f64;
    if bytes < 1_000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.0} KB", b / 1e3)
    } else {
        format!("{:.1} MB", b / 1e6)
    }
}

/// A text cut where suspected personal data begins and ends: each piece
/// with the label of its kind when it is suspected.
pub type MarkedText = Vec<(String, Option<String>)>;

/// Suspected personal data shown back to its writer: each field's text
/// with the suspected spans marked, and what they look like.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct PersonalDataNotice {
    /// (field label, its text cut at the spans).
    pub fields: Vec<(String, MarkedText)>,
}

impl PersonalDataNotice {
    /// From the spans of a refusal and the texts they are in (by field).
    pub fn new(
        suspects: &[forum_core::domain::personal_data::Suspect],
        texts: &[(&str, &str)],
        i18n: &I18n,
    ) -> PersonalDataNotice {
        let mut fields = Vec::new();
        for (field, text) in texts {
            let mut spans: Vec<_> = suspects.iter().filter(|s| s.field == *field).collect();
            if spans.is_empty() {
                continue;
            }
            spans.sort_by_key(|s| s.start);
            let chars: Vec<char> = text.chars().collect();
            let mut segments = Vec::new();
            let mut at = 0;
            for span in spans {
                if span.start < at || span.end > chars.len() {
                    continue;
                }
                segments.push((chars[at..span.start].iter().collect(), None));
                segments.push((
                    chars[span.start..span.end].iter().collect(),
                    Some(pii_kind_label(span.kind, i18n)),
                ));
                at = span.end;
            }
            segments.push((chars[at..].iter().collect(), None));
            let label = match *field {
                "title" => i18n.t("field-title"),
                "analysis.summary" => i18n.t("field-summary"),
                _ => i18n.t("field-body"),
            };
            fields.push((label, segments));
        }
        PersonalDataNotice { fields }
    }
}

/// What a kind of personal data is called, in the reader's language.
pub fn pii_kind_label(kind: forum_core::domain::personal_data::PiiKind, i18n: &I18n) -> String {
    use forum_core::domain::personal_data::PiiKind;
    i18n.t(match kind {
        PiiKind::Email => "pd-kind-email",
        PiiKind::Phone => "pd-kind-phone",
        PiiKind::Iban => "pd-kind-iban",
        PiiKind::Card => "pd-kind-card",
        PiiKind::Mrz => "pd-kind-mrz",
        PiiKind::NationalId => "pd-kind-national-id",
        PiiKind::BirthDate => "pd-kind-birth-date",
        PiiKind::PersonName => "pd-kind-person-name",
        PiiKind::FileNumber => "pd-kind-file-number",
    })
}
