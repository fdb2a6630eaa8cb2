//! The row ids that travel between modules, one type each, so a thread id
//! cannot be passed where a post id is wanted.
//!
//! Each is an `i64` in the database (`BigInt`) and a bare number in JSON
//! (`serde(transparent)`): stored rows, event payloads and API bodies are the
//! same as with plain integers. They live in the store because the
//! database is where ids come from; the search index and URLs speak plain
//! numbers, reached through [`get`](UserId::get) and `From<i64>`.

use diesel::backend::Backend;
use diesel::deserialize::FromSqlRow;
use diesel::deserialize::{self, FromSql};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::BigInt;
use serde::{Deserialize, Serialize};

macro_rules! row_id {
    ($($(#[$m:meta])* $name:ident;)+) => {$(
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
            Serialize, Deserialize, AsExpression, FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = BigInt)]
        pub struct $name(i64);

        impl $name {
            /// The number as stored, in URLs and in the search index.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl<DB> ToSql<BigInt, DB> for $name
        where
            DB: Backend,
            i64: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <i64 as ToSql<BigInt, DB>>::to_sql(&self.0, out)
            }
        }

        impl<DB> FromSql<BigInt, DB> for $name
        where
            DB: Backend,
            i64: FromSql<BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                i64::from_sql(bytes).map($name)
            }
        }
    )+};
}

row_id! {
    /// A member (`users.id`).
    UserId;
    /// A category (`categories.id`).
    CategoryId;
    /// A thread (`threads.id`).
    ThreadId;
    /// A post (`posts.id`).
    PostId;
    /// A flag on a post (`flags.id`).
    FlagId;
    /// A notification in a member's inbox (`notifications.id`).
    NotificationId;
    /// A member group (`groups.id`), which categories are restricted to.
    GroupId;
    /// A signed-in session (`sessions.id`).
    SessionId;
    /// A pending invitation (`invitations.id`).
    InvitationId;
    /// A file uploaded to attach to a post (`attachments.id`).
    AttachmentId;
    /// A colloquium (`colloquia.id`).
    ColloquiumId;
    /// A dialogue publication (`dialogues.id`).
    DialogueId;
    /// An endpoint events are sent to (`webhooks.id`).
    WebhookId;
}
