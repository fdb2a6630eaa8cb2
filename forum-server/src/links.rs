//! Absolute links the forum hands out — invitations, password resets and
//! everything in an e-mail — built from one base URL: `public_url` when
//! the operator set it, else the address the server really listens on
//! (the bound port, never a configured `:0`).

use std::net::SocketAddr;

/// The forum's base URL and the absolute links built on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    base: String,
}

impl Links {
    /// Links under `public_url` if set, else under `http://<listening>`.
    pub fn new(public_url: Option<&str>, listening: SocketAddr) -> Links {
        let base = match public_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{listening}"),
        };
        Links { base }
    }

    /// The base URL, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Where an invitation is accepted.
    pub fn invitation(&self, token: &str) -> String {
        format!("{}/register?token={token}", self.base)
    }

    /// Where a one-time password-reset link leads.
    pub fn password_reset(&self, token: &str) -> String {
        format!("{}/reset?token={token}", self.base)
    }

    /// One-click unsubscription from e-mail.
    pub fn unsubscribe(&self, token: &str) -> String {
        format!("{}/email/unsubscribe?token={token}", self.base)
    }

    /// A notification in the inbox (`None`: the inbox itself).
    pub fn inbox(&self, notification: Option<i64>) -> String {
        match notification {
            Some(id) => format!("{}/inbox/{id}", self.base),
            None => format!("{}/inbox", self.base),
        }
    }

    /// The e-mail settings.
    pub fn email_settings(&self) -> String {
        format!("{}/settings#email", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::Links;

    #[test]
    fn the_public_url_wins_and_the_bound_port_is_the_fallback() {
        let bound = "127.0.0.1:41234".parse().unwrap();
        let public = Links::new(Some("https://comity.example/"), bound);
        assert_eq!(
            public.invitation("t"),
            "https://comity.example/register?token=t"
        );
        let local = Links::new(None, bound);
        assert_eq!(
            local.password_reset("t"),
            "http://127.0.0.1:41234/reset?token=t"
        );
        assert_eq!(Links::new(Some("  "), bound), local);
        assert_eq!(local.inbox(Some(7)), "http://127.0.0.1:41234/inbox/7");
    }
}
