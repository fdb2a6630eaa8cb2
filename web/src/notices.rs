//! Notifications in words: one line in the reader's language, the same in
//! the inbox and in e-mail.

use forum_core::features::notifications::NotificationView;

use crate::I18n;

/// One line saying what a notification is about, in the reader's
/// language (the inbox, and e-mail).
pub fn describe_notification(n: &NotificationView, i18n: &I18n) -> String {
    let actor = n
        .actor
        .as_ref()
        .map_or(String::new(), |a| a.display_name.clone());
    let thread = n.thread_title.clone().unwrap_or_default();
    let count = n.count.to_string();
    // A moderation notice says which action was taken.
    let specific = match (n.kind.as_str(), n.detail.as_deref()) {
        ("moderation", Some("post_hidden")) => Some("notification-moderation-hidden"),
        ("moderation", Some("post_edited")) => Some("notification-moderation-edited"),
        ("moderation", Some("warned")) => Some("notification-moderation-warned"),
        ("moderation", Some("break_glass")) => Some("notification-moderation-break-glass"),
        ("routed_question", Some("reminder")) => Some("notification-routed_question-reminder"),
        ("routed_question", Some("escalated")) => Some("notification-routed_question-escalated"),
        _ => None,
    };
    let many = format!("notification-{}-many", n.kind);
    let one = specific.map_or_else(|| format!("notification-{}", n.kind), str::to_owned);
    let key = [many, one]
        .into_iter()
        .skip(usize::from(n.count <= 1))
        .find(|k| i18n.try_t(k).is_some())
        .unwrap_or_else(|| "notification-other".to_owned());
    i18n.t_with(
        &key,
        &[
            ("actor", &actor),
            ("thread", &thread),
            ("count", &count),
            ("kind", n.kind.as_str()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn moderation(detail: Option<&str>) -> NotificationView {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        NotificationView {
            id: 1.into(),
            kind: forum_core::domain::NotificationKind::Moderation,
            detail: detail.map(str::to_owned),
            thread_id: Some(3.into()),
            thread_title: Some("Protocol art. 8".to_owned()),
            post_id: Some(7.into()),
            actor: None,
            count: 1,
            created_at: at,
            updated_at: at,
            read: false,
            restricted: false,
            marked: false,
        }
    }

    #[test]
    fn a_moderation_notice_says_which_action() {
        let en = I18n::new(Lang::En);
        assert!(
            describe_notification(&moderation(Some("post_hidden")), &en).contains("hid your post")
        );
        assert!(
            describe_notification(&moderation(Some("post_edited")), &en)
                .contains("edited your post")
        );
        assert!(describe_notification(&moderation(Some("warned")), &en).contains("warned you"));
        // Older notices, stored without the detail, keep the general line.
        assert!(describe_notification(&moderation(None), &en).contains("acted on your post"));
        let fr = I18n::new(Lang::Fr);
        assert!(describe_notification(&moderation(Some("post_hidden")), &fr).contains("masqué"));
    }
}
