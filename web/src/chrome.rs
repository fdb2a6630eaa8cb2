//! The frame around every page: header, navigation, the signed-in
//! member.

use crate::*;

/// The signed-in member shown in the header.
#[derive(Hash, PartialEq, Eq)]
pub struct NavUser {
    pub username: String,
    pub display_name: String,
    pub is_staff: bool,
    pub is_admin: bool,
    /// Unread notifications, shown beside the inbox link.
    pub unread: i64,
    /// Staff whose session lacks the second factor their role needs: a
    /// banner says so before they try to act.
    pub second_factor_missing: bool,
}

/// What every page's frame needs.
#[derive(Hash, PartialEq, Eq)]
pub struct Chrome {
    pub title: String,
    pub user: Option<NavUser>,
    pub stylesheet: &'static str,
    pub flash: Option<String>,
    pub i18n: I18n,
    /// (code, native name) of every interface language, for switchers.
    pub languages: Vec<(&'static str, &'static str)>,
    /// The current path and query, where the language switcher returns.
    pub path: String,
    /// Keeps the header's unread count live (signed-in pages).
    pub inbox_script: &'static str,
    /// The header's menu button on narrow screens.
    pub nav_script: &'static str,
    pub favicon: &'static str,
}

impl Chrome {
    pub fn new(
        title: impl Into<String>,
        user: Option<NavUser>,
        i18n: I18n,
        path: impl Into<String>,
    ) -> Chrome {
        Chrome {
            title: title.into(),
            user,
            stylesheet: assets::stylesheet_path(),
            flash: None,
            i18n,
            languages: Lang::ALL
                .iter()
                .map(|l| (l.code(), l.native_name()))
                .collect(),
            path: path.into(),
            inbox_script: assets::inbox_script_path(),
            nav_script: assets::nav_script_path(),
            favicon: assets::favicon_path(),
        }
    }
}
