//! Handling marks: the Traffic Light Protocol (FIRST TLP 2.0) as this
//! forum applies it. A thread carries one mark; who may read what a mark
//! covers is decided by the access rule (`access::can_see_marking`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{CoreError, Result};

/// A TLP 2.0 label, from the loosest to the strictest (the order of the
/// variants is the order of strictness).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Mark {
    /// May leave the forum: the only mark allowed in feeds, webhooks and
    /// public exports.
    Clear,
    /// Every member who may see the category (the default).
    #[default]
    Green,
    /// The same readers, but the content never leaves the forum: e-mails
    /// name only "a marked thread".
    Amber,
    /// Only members of the countries or groups the author names, and admins.
    AmberStrict,
    /// Only the members the author names.
    Red,
}

impl Mark {
    pub const ALL: &'static [Mark] = &[
        Mark::Clear,
        Mark::Green,
        Mark::Amber,
        Mark::AmberStrict,
        Mark::Red,
    ];

    /// The label as TLP 2.0 spells it (`AMBER+STRICT`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Clear => "CLEAR",
            Mark::Green => "GREEN",
            Mark::Amber => "AMBER",
            Mark::AmberStrict => "AMBER+STRICT",
            Mark::Red => "RED",
        }
    }

    /// A lower-case word for CSS classes and message keys (`amber-strict`).
    pub fn slug(self) -> &'static str {
        match self {
            Mark::Clear => "clear",
            Mark::Green => "green",
            Mark::Amber => "amber",
            Mark::AmberStrict => "amber-strict",
            Mark::Red => "red",
        }
    }

    /// Parses a label; case and the `TLP:` prefix are forgiven.
    pub fn parse(field: &'static str, raw: &str) -> Result<Mark> {
        let upper = raw.trim().to_ascii_uppercase();
        let bare = upper.strip_prefix("TLP:").unwrap_or(&upper);
        Mark::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == bare || m.slug().eq_ignore_ascii_case(bare))
            .ok_or_else(|| {
                CoreError::invalid(
                    field,
                    "must be one of: CLEAR, GREEN, AMBER, AMBER+STRICT, RED",
                )
            })
    }

    /// Readers are named (countries, groups or members), not the category.
    pub fn names_readers(self) -> bool {
        matches!(self, Mark::AmberStrict | Mark::Red)
    }

    /// Title and text must not leave the forum (e-mail, digests, feeds).
    pub fn stays_inside(self) -> bool {
        self >= Mark::Amber
    }
}

impl std::fmt::Display for Mark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Mark {
    type Error = CoreError;

    fn try_from(raw: String) -> Result<Mark> {
        Mark::parse("mark", &raw)
    }
}

impl Serialize for Mark {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Mark, D::Error> {
        let raw = String::deserialize(d)?;
        Mark::parse("mark", &raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_order_by_strictness() {
        for m in Mark::ALL {
            assert_eq!(Mark::parse("mark", m.as_str()).unwrap(), *m);
            assert_eq!(Mark::parse("mark", m.slug()).unwrap(), *m);
        }
        assert_eq!(
            Mark::parse("mark", "tlp:amber+strict").unwrap(),
            Mark::AmberStrict
        );
        assert!(Mark::parse("mark", "PURPLE").is_err());
        assert!(Mark::Clear < Mark::Green && Mark::Amber < Mark::AmberStrict);
        assert!(Mark::AmberStrict < Mark::Red);
        assert_eq!(Mark::default(), Mark::Green);
    }
}
