//! The closed sets of words the forum stores and sends: roles, professions,
//! crime areas, thread kinds, flag statuses and notification kinds. Each is
//! an enum written and read as its snake_case name, so a value outside the
//! set is refused at the edge and never reaches a row.

use crate::error::{CoreError, Result};
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self> {
                match raw.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(CoreError::invalid(
                        $field,
                        format!("must be one of: {}", [$($text),+].join(", ")),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// How a row read from the database becomes typed (a value the
        /// schema's check constraint should never let in is an error).
        impl TryFrom<String> for $name {
            type Error = CoreError;

            fn try_from(raw: String) -> Result<Self> {
                $name::parse(&raw)
            }
        }
    };
}

string_enum!(
    /// What a member may do beyond reading and writing.
    Role, "role" {
        Member => "member",
        Moderator => "moderator",
        Admin => "admin",
    }
);

impl Role {
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Moderator | Role::Admin)
    }
}

string_enum!(
    /// The expert's profession, as in `API.md`.
    Profession, "profession" {
        Prosecutor => "prosecutor",
        Judge => "judge",
        Police => "police",
        Customs => "customs",
        LegalAdviser => "legal_adviser",
        Academic => "academic",
        PrivateSector => "private_sector",
        Other => "other",
    }
);

string_enum!(
    /// The crime areas an analysis is filed under, as in `API.md`.
    CrimeArea, "analysis.crime_areas" {
        Counterfeiting => "counterfeiting",
        Piracy => "piracy",
        IllicitTobacco => "illicit_tobacco",
        IllicitAlcohol => "illicit_alcohol",
        FalsifiedMedicines => "falsified_medicines",
        IllicitPesticides => "illicit_pesticides",
        Wildlife => "wildlife",
        Smuggling => "smuggling",
        MoneyLaundering => "money_laundering",
        Other => "other",
    }
);

string_enum!(
    /// What a thread is for.
    ThreadKind, "kind" {
        Discussion => "discussion",
        Question => "question",
        Analysis => "analysis",
    }
);

string_enum!(
    /// Where a flag stands: waiting in the queue, or decided.
    FlagStatus, "status" {
        Open => "open",
        Resolved => "resolved",
    }
);

string_enum!(
    /// What a notification tells its member about.
    NotificationKind, "kind" {
        Reply => "reply",
        Mention => "mention",
        Quote => "quote",
        NewThread => "new_thread",
        Endorsement => "endorsement",
        FlagOutcome => "flag_outcome",
        Moderation => "moderation",
        ReviewDue => "review_due",
        RoutedQuestion => "routed_question",
        AnswerAccepted => "answer_accepted",
        ColloquiumOpened => "colloquium_opened",
        AdviceRequested => "advice_requested",
        AdviceGiven => "advice_given",
    }
);

string_enum!(
    /// Where an advice request to the legal office stands.
    AdviceStatus, "status" {
        Received => "received",
        Assigned => "assigned",
        AdviceGiven => "advice_given",
        Closed => "closed",
    }
);

string_enum!(
    /// Where a colloquium stands in time: participants write only while it
    /// is open.
    ColloquiumState, "state" {
        Upcoming => "upcoming",
        Open => "open",
        Closed => "closed",
    }
);

string_enum!(
    /// Who finds a member in the expert directory (and among the experts
    /// a routed question is proposed to).
    DirectoryVisibility, "directory_visibility" {
        Members => "members",
        Staff => "staff",
        Hidden => "hidden",
    }
);

string_enum!(
    /// Where a routed question stands.
    QuestionStatus, "status" {
        Open => "open",
        Answered => "answered",
        Accepted => "accepted",
    }
);

string_enum!(
    /// The kinds of file members may attach, by the media type their
    /// content shows (never their name).
    DocumentType, "media_type" {
        Pdf => "application/pdf",
        Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Odt => "application/vnd.oasis.opendocument.text",
        Rtf => "application/rtf",
        Text => "text/plain",
        Png => "image/png",
        Jpeg => "image/jpeg",
        Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Ods => "application/vnd.oasis.opendocument.spreadsheet",
    }
);

impl DocumentType {
    /// The extension a file of this type is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentType::Pdf => "pdf",
            DocumentType::Docx => "docx",
            DocumentType::Odt => "odt",
            DocumentType::Rtf => "rtf",
            DocumentType::Text => "txt",
            DocumentType::Png => "png",
            DocumentType::Jpeg => "jpg",
            DocumentType::Xlsx => "xlsx",
            DocumentType::Ods => "ods",
        }
    }

    /// Whether a browser may show it in the page (in a sandbox) rather
    /// than download it.
    pub fn shown_inline(self) -> bool {
        matches!(
            self,
            DocumentType::Pdf | DocumentType::Png | DocumentType::Jpeg
        )
    }

    /// Whether it is a picture (OCR reads its text).
    pub fn is_image(self) -> bool {
        matches!(self, DocumentType::Png | DocumentType::Jpeg)
    }
}

string_enum!(
    /// How far reading the text inside an attachment got.
    Extraction, "extraction" {
        Pending => "pending",
        Done => "done",
        Failed => "failed",
        NoText => "none",
    }
);
