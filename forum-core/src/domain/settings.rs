//! Settings an operator or admin changes while the forum runs, shared by
//! every clone of [`crate::Db`]: who must use a second factor.

use std::sync::atomic::{AtomicU8, Ordering};

/// Who must sign in with a second factor before they may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorPolicy {
    /// Nobody is required to (members and staff may enrol).
    Optional,
    /// Moderators and admins (the default).
    Staff,
    /// Every member.
    Everyone,
}

impl SecondFactorPolicy {
    pub fn parse(raw: &str) -> Option<SecondFactorPolicy> {
        match raw {
            "optional" => Some(SecondFactorPolicy::Optional),
            "staff" => Some(SecondFactorPolicy::Staff),
            "everyone" => Some(SecondFactorPolicy::Everyone),
            _ => None,
        }
    }

    fn encode(self) -> u8 {
        self as u8
    }

    fn decode(raw: u8) -> SecondFactorPolicy {
        match raw {
            0 => SecondFactorPolicy::Optional,
            2 => SecondFactorPolicy::Everyone,
            _ => SecondFactorPolicy::Staff,
        }
    }

    /// Does a member of this role need the second factor to act?
    pub fn requires(self, is_staff: bool) -> bool {
        match self {
            SecondFactorPolicy::Optional => false,
            SecondFactorPolicy::Staff => is_staff,
            SecondFactorPolicy::Everyone => true,
        }
    }
}

/// The policy cell a [`crate::Db`] carries.
#[derive(Debug, Default)]
pub struct PolicyCell(AtomicU8);

impl PolicyCell {
    pub fn new(policy: SecondFactorPolicy) -> Self {
        PolicyCell(AtomicU8::new(policy.encode()))
    }
    pub fn get(&self) -> SecondFactorPolicy {
        SecondFactorPolicy::decode(self.0.load(Ordering::Relaxed))
    }
    pub fn set(&self, policy: SecondFactorPolicy) {
        self.0.store(policy.encode(), Ordering::Relaxed);
    }
}
