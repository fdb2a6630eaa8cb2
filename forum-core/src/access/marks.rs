//! The readers a handling mark names: countries and groups for
//! `AMBER+STRICT`, members and groups for `RED`.

use serde::{Deserialize, Serialize};

use crate::domain::mark::Mark;
use crate::error::{CoreError, Result};
use crate::store::ids::{GroupId, UserId};

/// Who an `AMBER+STRICT` mark (countries, groups) or a `RED` mark (members
/// by name, or a small named group such as the legal office) admits,
/// besides the author.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MarkRecipients {
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub groups: Vec<GroupId>,
    #[serde(default)]
    pub users: Vec<UserId>,
}

impl MarkRecipients {
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.groups.is_empty() && self.users.is_empty()
    }

    /// Sorted, without repeats, countries upper-case.
    pub fn normalised(mut self) -> MarkRecipients {
        for c in &mut self.countries {
            *c = c.trim().to_ascii_uppercase();
        }
        self.countries.sort();
        self.countries.dedup();
        self.groups.sort();
        self.groups.dedup();
        self.users.sort();
        self.users.dedup();
        self
    }

    /// Only what `mark` uses: countries and groups for `AMBER+STRICT`,
    /// members and groups for `RED`, nothing otherwise. Fails when the mark names
    /// nobody or names what it does not use.
    pub fn for_mark(self, mark: Mark) -> Result<MarkRecipients> {
        let r = self.normalised();
        match mark {
            Mark::AmberStrict => {
                if !r.users.is_empty() {
                    return Err(CoreError::invalid(
                        "mark_recipients",
                        "AMBER+STRICT names countries or groups; name members with RED",
                    ));
                }
                if r.countries.is_empty() && r.groups.is_empty() {
                    return Err(CoreError::invalid(
                        "mark_recipients",
                        "AMBER+STRICT needs at least one country or group",
                    ));
                }
                for code in &r.countries {
                    if !crate::domain::jurisdictions::is_country(code) {
                        return Err(CoreError::invalid(
                            "mark_recipients",
                            format!("{code} is not an ISO 3166-1 country code"),
                        ));
                    }
                }
                Ok(r)
            }
            Mark::Red => {
                if !r.countries.is_empty() {
                    return Err(CoreError::invalid(
                        "mark_recipients",
                        "RED names members or groups; name countries with AMBER+STRICT",
                    ));
                }
                Ok(r)
            }
            _ => {
                if !r.is_empty() {
                    return Err(CoreError::invalid(
                        "mark_recipients",
                        format!("{mark} names no recipients (only AMBER+STRICT and RED do)"),
                    ));
                }
                Ok(r)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_fit_their_mark() {
        let countries = MarkRecipients {
            countries: vec!["be".into(), "FR".into(), "FR".into()],
            ..Default::default()
        };
        let r = countries.clone().for_mark(Mark::AmberStrict).unwrap();
        assert_eq!(r.countries, vec!["BE", "FR"]);
        assert!(countries.clone().for_mark(Mark::Red).is_err());
        assert!(countries.for_mark(Mark::Green).is_err());
        assert!(
            MarkRecipients::default()
                .for_mark(Mark::AmberStrict)
                .is_err()
        );
        let unknown = MarkRecipients {
            countries: vec!["XX".into()],
            ..Default::default()
        };
        assert!(unknown.for_mark(Mark::AmberStrict).is_err());
    }
}
