//! Administration: categories, groups, invitations and the member list.

use super::*;

#[derive(Template)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub chrome: Chrome,
    pub categories: Vec<CategoryView>,
    pub invitation_url: Option<String>,
    pub error: Option<String>,
    pub can_manage_categories: bool,
    /// Shown to admins: whether every member must use a second factor.
    pub second_factor_everyone: Option<bool>,
    /// Shown to admins: groups with their members' usernames.
    pub groups: Option<Vec<(GroupId, String, Vec<String>)>>,
    /// The form `error` is about (`invite`, `category`, `group`,
    /// `group-member`, `security`), empty when none.
    pub error_at: &'static str,
    /// Admins choose an invitation's role; moderators invite members.
    pub can_choose_role: bool,
    /// Invitations not yet used: every one for admins, their own for
    /// moderators.
    pub pending: Vec<PendingRow>,
    /// What was typed into a refused form.
    pub input: AdminInput,
}

/// What was typed into the admin page's forms, kept when one is refused.
#[derive(Debug, Clone, Default)]
pub struct AdminInput {
    pub invite_email: String,
    pub invite_role: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub restricted_to: Vec<GroupId>,
    pub group_name: String,
    /// The group and the username typed into its member form.
    pub group_member: (GroupId, String),
}

/// A pending invitation on the admin page.
pub struct PendingRow {
    pub id: forum_core::InvitationId,
    pub email: String,
    pub role_label: String,
    pub created_by: String,
    pub expires: When,
}

/// One member on the staff members page, with what the reader may do.
pub struct MemberRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    /// The country's name in the reader's language.
    pub country: String,
    pub role: String,
    pub role_label: String,
    /// Every group: id, name, whether the member is in it.
    pub groups: Vec<(GroupId, String, bool)>,
    pub suspended_until: Option<When>,
    pub joined: When,
    pub can_change_role: bool,
    pub can_suspend: bool,
    /// End sessions, send a reset link.
    pub can_manage_account: bool,
    /// Erase on request (admins; not themselves, not twice).
    pub can_erase: bool,
}

impl MemberRow {
    /// The names of the groups the member is in, comma-separated.
    pub fn group_names(&self) -> String {
        self.groups
            .iter()
            .filter(|g| g.2)
            .map(|g| g.1.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Template)]
#[template(path = "members.html")]
pub struct MembersPage {
    pub chrome: Chrome,
    pub rows: Vec<MemberRow>,
    pub query: String,
    pub country: String,
    pub role: String,
    /// (code, name) sorted by name in the reader's language.
    pub countries: Vec<(String, String)>,
    pub roles: Vec<(&'static str, String)>,
    /// The filters as a query string (forms come back to the same list).
    pub back: String,
    /// After an action on a member: (member, (is an error, message)).
    pub message: Option<(UserId, (bool, String))>,
    /// A reset link just issued for a member (shown once).
    pub reset_link: Option<(UserId, String)>,
    /// The most members one list shows.
    pub limit: i64,
}

impl MembersPage {
    /// The notice for member `id`, if the last action was on them.
    pub fn message_for(&self, id: &UserId) -> Option<&(bool, String)> {
        self.message
            .as_ref()
            .filter(|(m, _)| m == id)
            .map(|(_, msg)| msg)
    }

    /// The reset link just issued for member `id`.
    pub fn reset_link_for(&self, id: &UserId) -> Option<&str> {
        self.reset_link
            .as_ref()
            .filter(|(m, _)| m == id)
            .map(|(_, link)| link.as_str())
    }
}

/// Every country as (code, name in the reader's language), in the
/// reader's alphabetical order.
pub fn country_options(i18n: &I18n) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = forum_core::domain::jurisdictions::countries()
        .map(|c| (c.code.clone(), i18n.country(&c.code)))
        .collect();
    i18n.sort_by_name(&mut list, |c| c.1.as_str());
    list
}

/// The roles as (value, label).
pub fn role_options(i18n: &I18n) -> Vec<(&'static str, String)> {
    forum_core::domain::Role::ALL
        .iter()
        .map(|r| (r.as_str(), i18n.t(&format!("role-{}", r.as_str()))))
        .collect()
}

/// Admins' webhooks: every endpoint with its state and recent deliveries,
/// the form to add one, and the secret of the one just added (shown once).
#[derive(Template)]
#[template(path = "webhooks.html")]
pub struct WebhooksPage {
    pub chrome: Chrome,
    pub hooks: Vec<WebhookRow>,
    /// The event kinds an endpoint may ask for.
    pub kinds: Vec<&'static str>,
    /// The secret of the endpoint just added.
    pub secret: Option<String>,
    /// Why the add form was refused, with what was typed.
    pub error: Option<String>,
    pub url: String,
    pub chosen: Vec<String>,
}

impl WebhooksPage {
    /// Whether the refused form had event kind `kind` ticked.
    pub fn is_chosen(&self, kind: &str) -> bool {
        self.chosen.iter().any(|c| c == kind)
    }
}

/// One endpoint on the webhooks page.
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub events: String,
    /// `active`, `retrying` or `disabled`.
    pub status: String,
    pub status_label: String,
    pub failures: i64,
    pub deliveries: Vec<DeliveryRow>,
}

/// One delivery in an endpoint's log.
pub struct DeliveryRow {
    pub seq: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    /// The answer: a status code or what went wrong.
    pub answer: String,
    pub when: When,
}
