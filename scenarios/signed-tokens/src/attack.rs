//! The story over HTTP: mallory, a subscriber, reads her own links and turns them against
//! others; an old confirmation mail is clicked after its two days; the legitimate links
//! are used too. Every step is a real request to the app on loopback.

use std::sync::atomic::Ordering;

use lab_kit::Transcript;
use serde::Serialize;

use crate::app::{App, Mail};
use crate::model::{DAY, b64_decode, b64_encode};

/// What one request got back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The requests the story makes and what they got; the table is read afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// mallory's own unsubscribe link from the newsletter.
    pub mallory_link: String,
    /// What its payload decodes to: readable by anyone, signed or not.
    pub payload_readable: String,
    /// The link with ann's id written into the payload, and what it did.
    pub tampered: Answer,
    /// The "undo" (unsubscribe) link of carol's sign-up, taken to `/confirm/`.
    pub other_purpose: Answer,
    /// erin's confirmation link, clicked three days after it was mailed.
    pub expired: Answer,
    /// mallory confirming her own address with her own link, at once.
    pub own_confirm: Answer,
    /// bob leaving with the link in his newsletter, three days later.
    pub own_unsubscribe: Answer,
    pub transcript: Transcript,
}

/// Runs the story against the app at `base` (`http://127.0.0.1:<port>`).
pub async fn tell(app: &App, base: &str) -> Result<Story, reqwest::Error> {
    let client = lab_kit::http::client();
    let mut t = Transcript::new();
    let get = |path: String| {
        let request = client.get(format!("{base}{path}"));
        async move { answer(request).await }
    };
    let post = |path: &str, body: &str| {
        let request = client.post(format!("{base}{path}")).body(body.to_owned());
        async move { answer(request).await }
    };
    let inbox = |to: &str| -> Vec<Mail> {
        let outbox = app.outbox.lock().expect("outbox");
        outbox.iter().filter(|m| m.to == to).cloned().collect()
    };

    let signed_up = post("/subscribe", "mallory@example.com").await?;
    t.push(
        "mallory",
        format!(
            "POST /subscribe mallory@example.com -> {}",
            signed_up.status
        ),
    );
    let confirm = last_link(&inbox("mallory@example.com"));
    let own_confirm = get(confirm.clone()).await?;
    t.push("mallory", format!("GET {confirm} -> {own_confirm}"));
    let erin = post("/subscribe", "erin@example.com").await?;
    t.push(
        "erin",
        format!("POST /subscribe erin@example.com -> {}", erin.status),
    );
    t.push("erin", "leaves the confirmation mail unread");
    let sent = post("/newsletter", "").await?;
    t.push("app", format!("POST /newsletter -> {sent}"));

    // 1. Tampering: mallory writes ann's id into her own unsubscribe link.
    let mallory_link = last_link(&inbox("mallory@example.com"));
    let token = mallory_link.trim_start_matches("/unsubscribe/");
    let (payload, rest) = token.split_once(':').unwrap_or((token, ""));
    let payload_readable = b64_decode(payload)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_else(|e| e.to_string());
    t.push("mallory", format!("her unsubscribe link: {mallory_link}"));
    t.push(
        "mallory",
        format!("base64-decodes {payload:?} to {payload_readable}"),
    );
    let forged = b64_encode(payload_readable.replace("\"id\":3", "\"id\":1").as_bytes());
    let tampered_link = if rest.is_empty() {
        format!("/unsubscribe/{forged}")
    } else {
        format!("/unsubscribe/{forged}:{rest}")
    };
    let tampered = get(tampered_link.clone()).await?;
    t.push(
        "mallory",
        format!("writes ann's id 1: GET {tampered_link} -> {tampered}"),
    );

    // 2. Another purpose: the "undo" link of a sign-up she makes for carol, at /confirm/.
    let carol = post("/subscribe", "carol@example.com").await?;
    t.push(
        "mallory",
        format!("POST /subscribe carol@example.com -> {carol}"),
    );
    t.push(
        "mallory",
        "the confirmation mail goes to carol; the page shows an undo link",
    );
    let at_confirm = carol.body.replacen("/unsubscribe/", "/confirm/", 1);
    let other_purpose = get(at_confirm.clone()).await?;
    t.push(
        "mallory",
        format!("takes it to /confirm/: GET {at_confirm} -> {other_purpose}"),
    );

    // 3. Expiry: three days later, erin's two-day confirmation link is clicked.
    app.clock.fetch_add(3 * DAY, Ordering::SeqCst);
    t.push("clock", "three days later");
    let erin_link = last_link(&inbox("erin@example.com"));
    let expired = get(erin_link.clone()).await?;
    t.push(
        "erin",
        format!("clicks the 3-day-old mail: GET {erin_link} -> {expired}"),
    );
    let bob_link = last_link(&inbox("bob@example.com"));
    let own_unsubscribe = get(bob_link.clone()).await?;
    t.push(
        "bob",
        format!("leaves: GET {bob_link} -> {own_unsubscribe}"),
    );

    Ok(Story {
        mallory_link,
        payload_readable,
        tampered,
        other_purpose,
        expired,
        own_confirm,
        own_unsubscribe,
        transcript: t,
    })
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.body)
    }
}

async fn answer(request: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok(Answer {
        status,
        body: response.text().await?,
    })
}

/// The link in the newest of `mails` (the story always has one there).
fn last_link(mails: &[Mail]) -> String {
    mails.last().map(|m| m.link.clone()).unwrap_or_default()
}
