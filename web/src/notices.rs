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
    let many = format!("notification-{}-many", n.kind);
    let one = format!("notification-{}", n.kind);
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
            ("kind", &n.kind),
        ],
    )
}
