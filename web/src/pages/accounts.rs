//! Signing in and registering, profiles, password resets, settings, e-mail choices and the second factor.

use super::*;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub next: String,
    pub username: String,
    pub error: Option<String>,
}

/// Values and errors of the registration form.
#[derive(Default)]
pub struct RegisterForm {
    pub token: String,
    pub email: String,
    pub username: String,
    pub display_name: String,
    pub country: String,
    pub profession: String,
    pub error: Option<String>,
    pub error_field: Option<String>,
}

impl RegisterForm {
    /// The error message when it is about the input `input`.
    pub fn error_for(&self, input: &str) -> Option<&str> {
        field_error(&self.error, &self.error_field, input)
    }

    /// The error is about no one input (shown at the top only).
    pub fn error_elsewhere(&self) -> bool {
        self.error.is_some()
            && ![
                "username",
                "display_name",
                "country",
                "profession",
                "password",
            ]
            .iter()
            .any(|i| self.error_for(i).is_some())
    }
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub chrome: Chrome,
    pub form: RegisterForm,
    /// (value, label) pairs in the reader's language.
    pub professions: Vec<(&'static str, String)>,
    /// (code, name) of every country, in the reader's language, by name.
    pub countries: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    pub chrome: Chrome,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub country: String,
    pub profession: String,
    pub joined: When,
    pub threads: Vec<ThreadRow>,
    /// Shown to admins only.
    pub admin_tools: Option<AdminTools>,
    /// Their directory entry, when the reader may find it (or it is
    /// theirs).
    pub expertise: Option<ExpertCard>,
    /// Analyses, endorsements received, answers accepted.
    pub contributions: (i64, i64, i64),
}

/// An admin's actions on a member's profile.
#[derive(Default)]
pub struct AdminTools {
    /// A reset link just issued (shown once).
    pub reset_url: Option<String>,
    pub notice: Option<String>,
}

/// Choosing a new password through a reset link.
#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetPage {
    pub chrome: Chrome,
    pub token: String,
    pub username: String,
    pub error: Option<String>,
}

/// A live session in the settings page.
pub struct SessionItem {
    pub id: i64,
    pub user_agent: String,
    /// Where it was last used from (client address), if known.
    pub last_ip: String,
    pub started: When,
    pub last_seen: When,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    pub chrome: Chrome,
    pub sessions: Vec<SessionItem>,
    pub password_error: Option<String>,
    pub totp_enabled: bool,
    pub totp_error: Option<String>,
    pub email: EmailForm,
    pub profile: ProfileForm,
    /// The member's feed links: one per category they see (name, URL),
    /// and the prefix of the others.
    pub feeds: Vec<(String, String)>,
    pub feed_base: String,
    /// The download of the member's own data.
    pub export_url: String,
}

/// The expert-profile section of the settings page.
pub struct ProfileForm {
    pub organisation: String,
    /// ISO 639-1 codes, comma-separated.
    pub languages: String,
    /// Country and region codes, comma-separated.
    pub jurisdictions: String,
    pub crime_areas: Vec<PickOption>,
    pub instruments: Vec<PickOption>,
    pub bio: String,
    /// (value, label, selected).
    pub visibility: Vec<(String, String, bool)>,
    pub routing_paused: bool,
    pub error: Option<String>,
}

/// The e-mail section of the settings page.
pub struct EmailForm {
    pub address: String,
    /// Whether the server sends e-mail at all.
    pub enabled: bool,
    /// (value, label, selected) for immediate e-mail.
    pub immediate: Vec<(String, String, bool)>,
    /// (value, label, selected) for the digest.
    pub digest: Vec<(String, String, bool)>,
}

/// The unsubscribe link's page: a confirmation button, then the outcome.
#[derive(Template)]
#[template(path = "unsubscribe.html")]
pub struct UnsubscribePage {
    pub chrome: Chrome,
    pub token: String,
    pub done: bool,
}

/// A QR code as inline SVG, drawn here from the text it encodes (no
/// external image, nothing from the user printed raw).
pub struct QrSvg(String);

impl QrSvg {
    pub fn of(text: &str) -> Option<QrSvg> {
        let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
        let svg = code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .build();
        let start = svg.find("<svg")?;
        Some(QrSvg(svg[start..].to_owned()))
    }
}

impl std::fmt::Display for QrSvg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for QrSvg {}

/// Second-factor enrolment: the secret as a QR code and as text, and the
/// form for the first code.
#[derive(Template)]
#[template(path = "totp_setup.html")]
pub struct TotpSetupPage {
    pub chrome: Chrome,
    pub secret: String,
    pub qr: Option<QrSvg>,
    pub error: Option<String>,
}

/// The recovery codes, shown once after enrolment.
#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub chrome: Chrome,
    pub codes: Vec<String>,
}

/// A member's own data, readable: `index.html` of the export
/// `GET /api/v1/me/export` gives (the JSON beside it is complete).
#[derive(Template)]
#[template(path = "own_data.html")]
pub struct OwnDataPage<'a> {
    pub data: &'a forum_core::features::accounts::own_data::OwnData,
    pub exported: String,
}
