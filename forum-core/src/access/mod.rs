//! Who may see and do what: the one access rule.
//!
//! Every read path — pages, API, live events, search, notifications, feeds
//! — asks these functions; nothing else decides visibility. Membership is
//! closed, so there is no anonymous reader: a [`Viewer`] is a signed-in,
//! unsuspended member. A category is either open to all members or
//! restricted to groups; a restricted category is visible to members of one
//! of its groups and to admins. Within a category a thread's handling mark
//! ([`Marking`]) may narrow its readers further. Things a viewer may not see
//! are reported as "not found", never "forbidden".

pub mod marks;
pub mod scopes;
pub mod visibility;

pub use marks::MarkRecipients;

use std::sync::Arc;

use crate::domain::Role;
use crate::domain::mark::Mark;
use crate::error::ErrorCode;
use crate::store::ids::{CategoryId, GroupId, SessionId, ThreadId, UserId};
use crate::store::rows::User;

/// A signed-in member, as the access rule needs them. Every request holds
/// one, taken from a cache: its text and groups are shared, so a copy
/// allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub username: Arc<str>,
    pub display_name: Arc<str>,
    pub role: Role,
    pub session_id: SessionId,
    pub groups: Arc<[GroupId]>,
    /// The member's country (ISO 3166-1 alpha-2): what they may endorse
    /// analyses for.
    pub country: Arc<str>,
    /// What the member does (prosecutor, judge…), as registered.
    pub profession: Arc<str>,
    /// Interface language preference, if the member chose one.
    pub language: Option<Arc<str>>,
    /// The policy wants a second factor from this member and this session
    /// was not opened with one: they may read (and enrol) but not act.
    pub second_factor_missing: bool,
    /// An outside expert's time-limited account ends then: until it does,
    /// they see only categories restricted to a group they belong to (a
    /// colloquium's), never the open ones, the directory or the members.
    pub guest_until: Option<chrono::NaiveDateTime>,
    /// Which of the member's feed tokens is valid: revoking their feed
    /// links moves it on (the token is derived from it, never stored).
    pub feed_generation: i64,
}

impl Viewer {
    pub(crate) fn from_user(user: &User, session_id: SessionId, groups: Vec<GroupId>) -> Viewer {
        Viewer {
            id: user.id,
            username: user.username.as_str().into(),
            display_name: user.display_name.as_str().into(),
            role: user.role,
            session_id,
            groups: groups.into(),
            country: user.country.as_str().into(),
            profession: user.profession.as_str().into(),
            language: user.language.as_deref().map(Arc::from),
            second_factor_missing: false,
            guest_until: None,
            feed_generation: 0,
        }
    }

    /// An outside expert invited for a colloquium (see `guest_until`).
    pub fn is_guest(&self) -> bool {
        self.guest_until.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }
}

/// May `viewer` see a category restricted to `restricted_to` (empty: open
/// to all members, but not to guests)?
pub fn can_see_category(viewer: &Viewer, restricted_to: &[GroupId]) -> bool {
    (restricted_to.is_empty() && !viewer.is_guest())
        || viewer.is_admin()
        || restricted_to.iter().any(|g| viewer.groups.contains(g))
}

/// A thread's handling mark with what it needs to decide who reads: its
/// author, the recipients the author named, and the admins who opened it
/// through an audited "break glass".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Marking {
    pub mark: Mark,
    pub author: UserId,
    pub recipients: MarkRecipients,
    /// Admins who broke the glass on a `RED` thread (each audited, its
    /// author told).
    pub break_glass: Vec<UserId>,
}

/// May `viewer`, who may see the category, read what `marking` covers?
/// `CLEAR`, `GREEN` and `AMBER` admit every reader of the category;
/// `AMBER+STRICT` its author, members of the named countries or groups, and
/// admins; `RED` its author and the named members or members of the named
/// groups only — not moderators, and admins only through the glass they
/// broke.
pub fn can_see_marking(viewer: &Viewer, marking: &Marking) -> bool {
    let r = &marking.recipients;
    viewer.id == marking.author
        || match marking.mark {
            Mark::Clear | Mark::Green | Mark::Amber => true,
            Mark::AmberStrict => {
                viewer.is_admin()
                    || r.countries.iter().any(|c| **c == *viewer.country)
                    || r.groups.iter().any(|g| viewer.groups.contains(g))
            }
            Mark::Red => {
                r.users.contains(&viewer.id)
                    || r.groups.iter().any(|g| viewer.groups.contains(g))
                    || (viewer.is_admin() && marking.break_glass.contains(&viewer.id))
            }
        }
}

/// May `viewer` give a thread marked `from` the mark `to`? Its author may
/// set any mark; staff may only tighten one.
pub fn can_change_mark(viewer: &Viewer, author: UserId, from: Mark, to: Mark) -> bool {
    viewer.id == author || (viewer.is_staff() && to >= from)
}

/// Does `viewer` find a member whose directory choice is `visibility` in
/// the expert directory, and so among the experts a question is proposed
/// to? `members`: every member; `staff`: moderators and admins; `hidden`:
/// nobody.
pub fn can_see_in_directory(
    viewer: &Viewer,
    visibility: crate::domain::DirectoryVisibility,
) -> bool {
    use crate::domain::DirectoryVisibility as V;
    match visibility {
        _ if viewer.is_guest() => false,
        V::Members => true,
        V::Staff => viewer.is_staff(),
        V::Hidden => false,
    }
}

/// Does `viewer` see the profile page of member `user` (what they
/// contributed)? Members see every member's; a guest only their own.
pub fn can_see_member_profile(viewer: &Viewer, user: UserId) -> bool {
    !viewer.is_guest() || viewer.id == user
}

/// Does `viewer` see a colloquium whose participants are `group` (its
/// record, agenda, dates, participants and published conclusions)? Every
/// member does; a guest only their own colloquia. Its discussion is a
/// category restricted to `group` ([`can_see_category`]).
pub fn can_see_colloquium(viewer: &Viewer, group: GroupId) -> bool {
    !viewer.is_guest() || viewer.groups.contains(&group)
}

/// May `viewer` organise colloquia (create them, add participants, invite
/// outside experts, write and publish the conclusions)? Staff.
pub fn can_organise_colloquia(viewer: &Viewer) -> bool {
    viewer.is_staff()
}

/// May `viewer` write in a colloquium's discussion now? Participants while
/// it is open; its organisers (staff) at any time.
pub fn can_write_in_colloquium(viewer: &Viewer, state: crate::domain::ColloquiumState) -> bool {
    viewer.is_staff() || state == crate::domain::ColloquiumState::Open
}

/// Does `viewer` read a colloquium's unpublished conclusions, and may they
/// endorse a version? Its participants (`group`); staff read them too.
pub fn is_colloquium_participant(viewer: &Viewer, group: GroupId) -> bool {
    viewer.groups.contains(&group)
}

/// Does `viewer` work in the legal office, whose group is `office`: see
/// every advice request (they are `RED` naming the group), keep private
/// notes on them, assign, advise, close and publish them?
pub fn is_legal_office(viewer: &Viewer, office: GroupId) -> bool {
    viewer.groups.contains(&office)
}

/// May `viewer` ask the legal office for advice? Every member; not guests.
pub fn can_request_advice(viewer: &Viewer) -> bool {
    !viewer.is_guest()
}

/// May `viewer` compile dialogue publications? Staff.
pub fn can_compile_dialogues(viewer: &Viewer) -> bool {
    viewer.is_staff()
}

/// Does `viewer` read dialogue publications (each chapter still through
/// the thread rule)? Members; not guests.
pub fn can_read_dialogues(viewer: &Viewer) -> bool {
    !viewer.is_guest()
}

/// May `viewer` see posts a moderator hid? Staff may; nobody else, not
/// even their authors.
pub fn can_see_hidden_posts(viewer: &Viewer) -> bool {
    viewer.is_staff()
}

/// What the access rule needs to know of an attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentFacts {
    pub uploader: UserId,
    /// It is on a post, and the reader may see that post (its category,
    /// and the post itself if hidden).
    pub on_visible_post: bool,
    /// Hidden by a moderator.
    pub hidden: bool,
    /// Dropped by a later edit of its post (kept for the history).
    pub removed: bool,
}

/// May `viewer` open an attachment? Their own upload not used yet; a file
/// on a post they may see; a hidden or removed one only when staff.
pub fn can_see_attachment(viewer: &Viewer, facts: &AttachmentFacts) -> bool {
    if !facts.on_visible_post {
        return facts.uploader == viewer.id;
    }
    !(facts.hidden || facts.removed) || can_see_hidden_posts(viewer)
}

/// May `viewer` change a file itself (remove the metadata it carries)?
/// Its uploader and staff may.
pub fn can_change_attachment(viewer: &Viewer, uploader: UserId) -> bool {
    viewer.id == uploader || viewer.is_staff()
}

/// Where the thing an event of the log is about is **now**: its thread's
/// current category and groups, whether the post it shows is hidden now,
/// whether it still exists. Built by `Db::event_scopes`, never from the
/// category or thread an event was logged with: a thread moved into a
/// restricted category takes its whole history with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventScope {
    /// The thread the event is about now (a post moved by a merge or a
    /// split is in its new thread). `None`: about no thread.
    pub thread_id: Option<ThreadId>,
    /// That thread's category now, or the category the event is about.
    pub category_id: Option<CategoryId>,
    /// The groups that category is restricted to now (empty: open).
    pub restricted_to: Vec<GroupId>,
    /// The event carries the text of a post that is hidden now.
    pub shows_hidden_post: bool,
    /// That thread's handling mark now, when it names its readers
    /// (`AMBER+STRICT`, `RED`); `None` for the marks every reader of the
    /// category may read.
    pub marking: Option<Marking>,
    /// The own marking of the post it is about, when that post is
    /// stricter than its thread and names its readers.
    pub post_marking: Option<Marking>,
    /// The thread or post it is about no longer exists (merged away).
    pub gone: bool,
}

/// The one rule for every reader of the event log — live delivery and
/// replay, notifications, e-mail and digests, the search indexer, and any
/// later feed or webhook: may `viewer` receive an event whose subject is,
/// now, `scope`?
pub fn can_see_event(viewer: &Viewer, scope: &EventScope) -> bool {
    !scope.gone
        && can_see_category(viewer, &scope.restricted_to)
        && (!scope.shows_hidden_post || can_see_hidden_posts(viewer))
        && scope
            .marking
            .iter()
            .chain(&scope.post_marking)
            .all(|m| can_see_marking(viewer, m))
}

/// The one rule for what may leave the forum (webhooks, and any later
/// outside integration): an event about a thread that exists now, in an
/// open category, not showing a hidden post's text, whose thread and post
/// are marked `CLEAR` now (`mark`: the stricter of the two). Anything else
/// — `GREEN` included, which is for the community — stays inside.
pub fn may_leave_the_forum(scope: &EventScope, mark: Option<crate::domain::mark::Mark>) -> bool {
    !scope.gone
        && scope.thread_id.is_some()
        && scope.restricted_to.is_empty()
        && !scope.shows_hidden_post
        && scope.marking.is_none()
        && scope.post_marking.is_none()
        && mark == Some(crate::domain::mark::Mark::Clear)
}

/// The spaces a record naming things (an audit entry, a flag) touches,
/// as they are now: the category of every thread, post or flag it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordScope {
    /// The groups each category it touches is restricted to now.
    pub categories: Vec<Vec<GroupId>>,
    /// It names a thread or post whose place can no longer be found.
    pub unplaced: bool,
    /// The markings of the threads and posts it names that name their
    /// readers.
    pub markings: Vec<Marking>,
}

/// May `viewer` read the details (target, reason, details) of a record
/// whose scope is `scope`? Admins see all; anyone else only records whose
/// every space they may see. Otherwise the record is shown without them.
pub fn can_see_record_details(viewer: &Viewer, scope: &RecordScope) -> bool {
    viewer.is_admin()
        || (!scope.unplaced
            && scope
                .categories
                .iter()
                .all(|groups| can_see_category(viewer, groups))
            && scope.markings.iter().all(|m| can_see_marking(viewer, m)))
}

/// An access key of the search index: a post carries the keys that may
/// see it, a viewer searches with the keys they hold, and the index matches
/// a post only when the two share one. This is [`can_see_category`] in the
/// index's terms, and must say the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchKey {
    /// Held by every member; carried by posts of open categories.
    Members,
    /// Held by the group's members (and admins); carried by posts of the
    /// categories restricted to the group.
    Group(GroupId),
}

/// The keys a post of a category restricted to `restricted_to` carries.
pub fn document_keys(restricted_to: &[GroupId]) -> Vec<SearchKey> {
    if restricted_to.is_empty() {
        vec![SearchKey::Members]
    } else {
        restricted_to.iter().map(|&g| SearchKey::Group(g)).collect()
    }
}

/// The keys `viewer` holds, `all_groups` being every group there is
/// (admins see every category; guests no open one).
pub fn viewer_keys(viewer: &Viewer, all_groups: &[GroupId]) -> Vec<SearchKey> {
    let groups = if viewer.is_admin() {
        all_groups
    } else {
        &viewer.groups
    };
    (!viewer.is_guest())
        .then_some(SearchKey::Members)
        .into_iter()
        .chain(groups.iter().map(|&g| SearchKey::Group(g)))
        .collect()
}

/// A key of the index's second access field, for handling marks: a post
/// carries the keys its thread's [`Marking`] admits, a viewer searches with
/// [`viewer_mark_keys`], and a post matches only when the two share one
/// (besides sharing a [`SearchKey`]). This is [`can_see_marking`] in the
/// index's terms, and must say the same thing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkKey {
    /// Held by everyone; carried by posts whose mark admits every reader
    /// of the category.
    Unnamed,
    Country(String),
    Group(GroupId),
    Member(UserId),
    /// Held by admins; carried by `AMBER+STRICT` posts.
    Admins,
}

/// The mark keys a post under `marking` carries.
pub fn marking_keys(marking: &Marking) -> Vec<MarkKey> {
    let r = &marking.recipients;
    let mut keys = vec![MarkKey::Member(marking.author)];
    match marking.mark {
        Mark::Clear | Mark::Green | Mark::Amber => return vec![MarkKey::Unnamed],
        Mark::AmberStrict => {
            keys.push(MarkKey::Admins);
            keys.extend(r.countries.iter().cloned().map(MarkKey::Country));
            keys.extend(r.groups.iter().copied().map(MarkKey::Group));
        }
        Mark::Red => {
            keys.extend(r.users.iter().copied().map(MarkKey::Member));
            keys.extend(r.groups.iter().copied().map(MarkKey::Group));
            keys.extend(marking.break_glass.iter().copied().map(MarkKey::Member));
        }
    }
    keys
}

/// The mark keys `viewer` holds.
pub fn viewer_mark_keys(viewer: &Viewer) -> Vec<MarkKey> {
    let mut keys = vec![
        MarkKey::Unnamed,
        MarkKey::Member(viewer.id),
        MarkKey::Country(viewer.country.to_string()),
    ];
    keys.extend(viewer.groups.iter().copied().map(MarkKey::Group));
    if viewer.is_admin() {
        keys.push(MarkKey::Admins);
    }
    keys
}

/// May `viewer` edit a post written by `author_id`? (Seeing it is checked
/// first, through the category.)
pub fn can_edit_post(viewer: &Viewer, author_id: UserId) -> bool {
    viewer.id == author_id || viewer.is_staff()
}

/// May `viewer` change a thread's title, jurisdiction tags and analysis
/// record? Its author and staff may.
pub fn can_edit_thread(viewer: &Viewer, author_id: UserId) -> bool {
    viewer.id == author_id || viewer.is_staff()
}

/// Why `viewer` may not endorse an analysis written by `author_id` and
/// tagged `tags` as accurate for `jurisdiction`, if they may not: only for
/// their own country, only where the analysis holds (directly or through a
/// region tag), and not their own analysis.
pub fn endorsement_refused(
    viewer: &Viewer,
    author_id: UserId,
    tags: &[String],
    jurisdiction: &str,
) -> Option<&'static str> {
    if viewer.id == author_id {
        Some("you cannot endorse your own analysis")
    } else if jurisdiction != &*viewer.country {
        Some("you can endorse an analysis only for your own country")
    } else if !tags
        .iter()
        .any(|t| crate::domain::jurisdictions::covers(t, jurisdiction))
    {
        Some("the analysis does not cover this jurisdiction")
    } else {
        None
    }
}

/// May `viewer` act as a moderator (hide posts, lock, pin and move
/// threads, work the flag queue, suspend members)?
pub fn can_moderate(viewer: &Viewer) -> bool {
    viewer.is_staff()
}

/// May `viewer` read the audit log?
pub fn can_read_audit(viewer: &Viewer) -> bool {
    viewer.is_staff()
}

/// May `viewer` create groups and change their members?
pub fn can_manage_groups(viewer: &Viewer) -> bool {
    viewer.is_admin()
}

/// May `viewer` suspend (or reinstate) the member `target` of role
/// `role`? Moderators suspend members; admins also moderators and other
/// admins; nobody suspends themselves.
pub fn can_suspend(viewer: &Viewer, target: UserId, role: Role) -> bool {
    viewer.id != target
        && match viewer.role {
            Role::Admin => true,
            Role::Moderator => role == Role::Member,
            Role::Member => false,
        }
}

/// May `viewer` see the list of analyses that need review?
pub fn can_review_analyses(viewer: &Viewer) -> bool {
    viewer.is_staff()
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

/// May `viewer` change members' roles and groups? Admins.
pub fn can_manage_roles(viewer: &Viewer) -> bool {
    viewer.is_admin()
}

/// May `viewer` list and find members (the staff members page)?
pub fn can_list_members(viewer: &Viewer) -> bool {
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
            ErrorCode::SecondFactorRequired,
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
            id: UserId::from(7),
            username: "u".into(),
            display_name: "U".into(),
            role,
            session_id: SessionId::from(1),
            groups: ids(&groups).into(),
            country: "FR".into(),
            profession: "".into(),
            language: None,
            second_factor_missing: false,
            guest_until: None,
            feed_generation: 0,
        }
    }

    fn ids(groups: &[i64]) -> Vec<GroupId> {
        groups.iter().copied().map(GroupId::from).collect()
    }

    #[test]
    fn restricted_categories_need_a_group() {
        let outsider = viewer(Role::Member, vec![]);
        let insider = viewer(Role::Member, vec![3]);
        let moderator = viewer(Role::Moderator, vec![]);
        let admin = viewer(Role::Admin, vec![]);
        assert!(can_see_category(&outsider, &[]));
        assert!(!can_see_category(&outsider, &ids(&[3])));
        assert!(can_see_category(&insider, &ids(&[2, 3])));
        assert!(!can_see_category(&moderator, &ids(&[3])));
        assert!(can_see_category(&admin, &ids(&[3])));
    }

    #[test]
    fn search_keys_say_what_the_category_rule_says() {
        let all_groups = ids(&[1, 2, 3]);
        let restrictions = [ids(&[]), ids(&[1]), ids(&[2, 3])];
        for role in [Role::Member, Role::Moderator, Role::Admin] {
            for groups in [vec![], vec![1], vec![3], vec![1, 2, 3]] {
                let v = viewer(role, groups);
                let held = viewer_keys(&v, &all_groups);
                for restricted_to in &restrictions {
                    let shared = document_keys(restricted_to)
                        .iter()
                        .any(|key| held.contains(key));
                    let expected = can_see_category(&v, restricted_to);
                    assert_eq!(
                        shared, expected,
                        "{role:?} {:?} {restricted_to:?}",
                        v.groups
                    );
                }
            }
        }
    }

    #[test]
    fn events_are_judged_by_their_scope_now() {
        let outsider = viewer(Role::Member, vec![]);
        let insider = viewer(Role::Member, vec![3]);
        let moderator = viewer(Role::Moderator, vec![]);
        let admin = viewer(Role::Admin, vec![]);
        let open = EventScope {
            thread_id: Some(ThreadId::from(1)),
            category_id: Some(CategoryId::from(1)),
            ..EventScope::default()
        };
        let moved = EventScope {
            restricted_to: ids(&[3]),
            ..open.clone()
        };
        let hidden = EventScope {
            shows_hidden_post: true,
            ..open.clone()
        };
        let gone = EventScope {
            gone: true,
            ..open.clone()
        };
        assert!(can_see_event(&outsider, &open));
        assert!(!can_see_event(&outsider, &moved));
        assert!(can_see_event(&insider, &moved));
        assert!(!can_see_event(&moderator, &moved));
        assert!(can_see_event(&admin, &moved));
        assert!(!can_see_event(&outsider, &hidden));
        assert!(can_see_event(&moderator, &hidden));
        for v in [&outsider, &moderator, &admin] {
            assert!(!can_see_event(v, &gone));
        }
    }

    fn marking(mark: Mark, author: i64, recipients: MarkRecipients) -> Marking {
        Marking {
            mark,
            author: UserId::from(author),
            recipients,
            break_glass: vec![],
        }
    }

    fn someone(id: i64, role: Role, country: &str, groups: Vec<i64>) -> Viewer {
        Viewer {
            id: UserId::from(id),
            country: country.into(),
            ..viewer(role, groups)
        }
    }

    #[test]
    fn marks_admit_whom_they_name() {
        let strict = marking(
            Mark::AmberStrict,
            1,
            MarkRecipients {
                countries: vec!["FR".into(), "BE".into()],
                groups: vec![GroupId::from(4)],
                users: vec![],
            },
        );
        let red = marking(
            Mark::Red,
            1,
            MarkRecipients {
                users: vec![UserId::from(2)],
                ..Default::default()
            },
        );
        let author = someone(1, Role::Member, "FR", vec![]);
        let belgian = someone(2, Role::Member, "BE", vec![]);
        let spaniard = someone(3, Role::Member, "ES", vec![]);
        let grouped = someone(5, Role::Member, "ES", vec![4]);
        let moderator = someone(6, Role::Moderator, "ES", vec![]);
        let admin = someone(7, Role::Admin, "ES", vec![]);
        assert!(can_see_marking(&author, &strict));
        assert!(can_see_marking(&belgian, &strict));
        assert!(!can_see_marking(&spaniard, &strict));
        assert!(can_see_marking(&grouped, &strict));
        assert!(!can_see_marking(&moderator, &strict));
        assert!(can_see_marking(&admin, &strict));
        assert!(can_see_marking(&author, &red));
        assert!(can_see_marking(&belgian, &red));
        assert!(!can_see_marking(&spaniard, &red));
        assert!(!can_see_marking(&moderator, &red));
        assert!(
            !can_see_marking(&admin, &red),
            "admins only by breaking the glass"
        );
        let broken = Marking {
            break_glass: vec![UserId::from(7)],
            ..red.clone()
        };
        assert!(can_see_marking(&admin, &broken));
        for mark in [Mark::Clear, Mark::Green, Mark::Amber] {
            assert!(can_see_marking(
                &spaniard,
                &marking(mark, 1, MarkRecipients::default())
            ));
        }
    }

    #[test]
    fn mark_keys_say_what_the_mark_rule_says() {
        let recipients = [
            MarkRecipients::default(),
            MarkRecipients {
                countries: vec!["FR".into(), "BE".into()],
                ..Default::default()
            },
            MarkRecipients {
                groups: vec![GroupId::from(4)],
                ..Default::default()
            },
            MarkRecipients {
                users: vec![UserId::from(2), UserId::from(7)],
                ..Default::default()
            },
        ];
        let viewers = [
            someone(1, Role::Member, "FR", vec![]),
            someone(2, Role::Member, "BE", vec![]),
            someone(3, Role::Member, "ES", vec![4]),
            someone(6, Role::Moderator, "FR", vec![]),
            someone(7, Role::Admin, "ES", vec![]),
            someone(8, Role::Admin, "BE", vec![4]),
        ];
        for mark in Mark::ALL {
            for r in &recipients {
                for glass in [vec![], vec![UserId::from(8)]] {
                    let m = Marking {
                        mark: *mark,
                        author: UserId::from(1),
                        recipients: r.clone(),
                        break_glass: glass,
                    };
                    let carried = marking_keys(&m);
                    for v in &viewers {
                        let shared = viewer_mark_keys(v).iter().any(|k| carried.contains(k));
                        assert_eq!(shared, can_see_marking(v, &m), "{m:?} {v:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn staff_only_tighten_marks() {
        let moderator = someone(6, Role::Moderator, "FR", vec![]);
        let author = someone(1, Role::Member, "FR", vec![]);
        let a = UserId::from(1);
        assert!(can_change_mark(&moderator, a, Mark::Green, Mark::Amber));
        assert!(!can_change_mark(&moderator, a, Mark::Amber, Mark::Green));
        assert!(can_change_mark(&author, a, Mark::Red, Mark::Clear));
        assert!(!can_change_mark(
            &someone(3, Role::Member, "FR", vec![]),
            a,
            Mark::Green,
            Mark::Red
        ));
    }

    #[test]
    fn editing_and_replying() {
        let member = viewer(Role::Member, vec![]);
        assert!(can_edit_post(&member, UserId::from(7)));
        assert!(!can_edit_post(&member, UserId::from(8)));
        assert!(can_edit_post(
            &viewer(Role::Moderator, vec![]),
            UserId::from(8)
        ));
        assert!(!can_reply(&member, true));
        assert!(can_reply(&viewer(Role::Moderator, vec![]), true));
    }

    #[test]
    fn who_moderates_and_suspends_whom() {
        let member = viewer(Role::Member, vec![]);
        let moderator = viewer(Role::Moderator, vec![]);
        let admin = viewer(Role::Admin, vec![]);
        assert!(!can_moderate(&member) && can_moderate(&moderator));
        assert!(can_suspend(&moderator, UserId::from(8), Role::Member));
        assert!(!can_suspend(&moderator, UserId::from(8), Role::Moderator));
        assert!(can_suspend(&admin, UserId::from(8), Role::Admin));
        assert!(
            !can_suspend(&admin, UserId::from(7), Role::Admin),
            "not oneself"
        );
        assert!(!can_suspend(&member, UserId::from(8), Role::Member));
        assert!(can_manage_groups(&admin) && !can_manage_groups(&moderator));
    }

    #[test]
    fn endorsing_is_for_ones_own_country_where_the_analysis_holds() {
        let member = viewer(Role::Member, vec![]); // id 7, FR
        let tags = vec!["EU".to_string(), "MA".to_string()];
        assert_eq!(
            endorsement_refused(&member, UserId::from(8), &tags, "FR"),
            None
        );
        assert!(endorsement_refused(&member, UserId::from(8), &tags, "MA").is_some());
        assert!(endorsement_refused(&member, UserId::from(7), &tags, "FR").is_some());
        assert!(endorsement_refused(&member, UserId::from(8), &["MA".to_string()], "FR").is_some());
    }
}
