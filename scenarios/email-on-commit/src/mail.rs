//! The app's mail backend: an HTTP API client, as Django's `send_mail()` reaches a mail
//! provider through an email backend (Anymail's, or a few lines of one's own).

use serde::{Deserialize, Serialize};

/// One message, as the provider's API takes it. `user` is metadata the provider keeps
/// with the message (the account it is about), like a tag on a real provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub user: i64,
}

/// Why a message did not go out.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the mail provider is unreachable: {0}")]
    Unreachable(String),
    #[error("the mail provider refused the message: {status} {body}")]
    Refused { status: u16, body: String },
}

/// The client for the provider at `url`: `send()` returns once the provider took the
/// message (202 Accepted), like `send_mail()` with a synchronous HTTP backend.
#[derive(Debug, Clone)]
pub struct Mailer {
    url: String,
}

impl Mailer {
    /// A client that posts messages to `url`.
    pub fn new(url: String) -> Self {
        Self { url }
    }

    /// Sends `message` and waits for the provider's answer.
    pub fn send(&self, message: &Message) -> Result<(), MailError> {
        let json = serde_json::to_string(message).expect("a message serializes");
        let (status, body) = lab_kit::http::post_json_blocking(&self.url, &json)
            .map_err(|e| MailError::Unreachable(lab_kit::error_chain(&e)))?;
        match status {
            202 => Ok(()),
            _ => Err(MailError::Refused { status, body }),
        }
    }
}
