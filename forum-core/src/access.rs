//! Who may see and do what: the one access rule.
//!
//! Every read path — pages, API, live events, search, notifications, feeds
//! — asks these functions; nothing else decides visibility. Membership is
//! closed, so there is no anonymous reader: a [`Viewer`] is a signed-in,
//! unsuspended member. A category is either open to all members or
//! restricted to groups; a restricted category is visible to members of one
//! of its groups and to admins. Things a viewer may not see are reported as
//! "not found", never "forbidden".

use crate::domain::Role;
use crate::models::User;

/// A signed-in member, as the access rule needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub session_id: i64,
    pub groups: Vec<i64>,
    /// Interface language preference, if the member chose one.
    pub language: Option<String>,
    /// The policy wants a second factor from this member and this session
    /// was not opened with one: they may read (and enrol) but not act.
    pub second_factor_missing: bool,
}

impl Viewer {
    pub(crate) fn from_user(user: &User, session_id: i64, groups: Vec<i64>) -> Viewer {
        Viewer {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: Role::parse(&user.role).unwrap_or(Role::Member),
            session_id,
            groups,
            language: user.language.clone(),
            second_factor_missing: false,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }
}

/// May `viewer` see a category restricted to `restricted_to` (empty: open
/// to all members)?
pub fn can_see_category(viewer: &Viewer, restricted_to: &[i64]) -> bool {
    restricted_to.is_empty()
        || viewer.is_admin()
        || restricted_to.iter().any(|g| viewer.groups.contains(g))
}

/// May `viewer` edit a post written by `author_id`? (Seeing it is checked
/// first, through the category.)
pub fn can_edit_post(viewer: &Viewer, author_id: i64) -> bool {
    viewer.id == author_id || viewer.is_staff()
}

/// May `viewer` reply in a thread? Locked threads take replies from staff
/// only.
pub fn can_reply(viewer: &Viewer, locked: bool) -> bool {
    !locked || viewer.is_staff()
}

/// May `viewer` issue invitations (and so use the admin pages)?
/// Moderators invite members; which roles an admin may grant is checked
/// where the invitation is made.
pub fn can_invite(viewer: &Viewer) -> bool {
    viewer.is_staff()
}

/// May `viewer` read the server's operational figures (live connections)?
pub fn can_see_operations(viewer: &Viewer) -> bool {
    viewer.is_admin()
}

/// Every write asks this first: a member the second-factor policy covers
/// must have signed in with it (403 `second_factor_required`).
pub fn check_second_factor(viewer: &Viewer) -> crate::Result<()> {
    if viewer.second_factor_missing {
        return Err(crate::CoreError::forbidden(
            "second_factor_required",
            "sign in with a second factor (enrol one in your settings) to do this",
        ));
    }
    Ok(())
}

/// May `viewer` manage other members' accounts (end their sessions, issue
/// password reset links)?
pub fn can_manage_users(viewer: &Viewer) -> bool {
    viewer.is_admin()
}

/// May `viewer` create categories?
pub fn can_manage_categories(viewer: &Viewer) -> bool {
    viewer.is_admin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role, groups: Vec<i64>) -> Viewer {
        Viewer {
            id: 7,
            username: "u".into(),
            display_name: "U".into(),
            role,
            session_id: 1,
            groups,
            language: None,
            second_factor_missing: false,
        }
    }

    #[test]
    fn restricted_categories_need_a_group() {
        let outsider = viewer(Role::Member, vec![]);
        let insider = viewer(Role::Member, vec![3]);
        let moderator = viewer(Role::Moderator, vec![]);
        let admin = viewer(Role::Admin, vec![]);
        assert!(can_see_category(&outsider, &[]));
        assert!(!can_see_category(&outsider, &[3]));
        assert!(can_see_category(&insider, &[2, 3]));
        assert!(!can_see_category(&moderator, &[3]));
        assert!(can_see_category(&admin, &[3]));
    }

    #[test]
    fn editing_and_replying() {
        let member = viewer(Role::Member, vec![]);
        assert!(can_edit_post(&member, 7));
        assert!(!can_edit_post(&member, 8));
        assert!(can_edit_post(&viewer(Role::Moderator, vec![]), 8));
        assert!(!can_reply(&member, true));
        assert!(can_reply(&viewer(Role::Moderator, vec![]), true));
    }
}
