//! One request of the site as a session of the interleaving harness: a single step, an
//! HTTP request on loopback. While the view answers 500 "database is locked" (SQLite's
//! `SQLITE_BUSY`, given up on at once in the tests) the step is waiting, and it is sent
//! again each time the harness resumes it - a request waiting behind the lock, decided by
//! what the database answered.

use lab_kit::interleave::{Progress, SessionDriver};
use serde::Serialize;

/// What a request does: write a page view, or read today's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Write,
    Read,
}

impl Kind {
    /// The request line: `POST /events`, `GET /events/today`.
    pub fn line(self) -> &'static str {
        match self {
            Self::Write => "POST /events",
            Self::Read => "GET /events/today",
        }
    }
}

/// A request session: its name, its one step, the request and the URL of the site.
#[derive(Debug)]
pub struct RequestSession {
    name: String,
    step: String,
    kind: Kind,
    url: String,
}

impl RequestSession {
    /// The session `name` whose one step `step` sends a `kind` request to the site whose
    /// URL for a path is `url(path)`.
    pub fn new(name: &str, step: &str, kind: Kind, url: impl Fn(&str) -> String) -> Self {
        let path = kind.line().split_once(' ').map_or("/", |(_, p)| p);
        Self {
            name: name.to_owned(),
            step: step.to_owned(),
            kind,
            url: url(path),
        }
    }

    fn send(&self) -> Progress {
        let sent = lab_kit::http::block_on(async {
            let client = lab_kit::http::client();
            let request = match self.kind {
                Kind::Write => client.post(&self.url),
                Kind::Read => client.get(&self.url),
            };
            let response = request.send().await?;
            let status = response.status().as_u16();
            Ok::<_, reqwest::Error>((status, response.text().await?))
        });
        match sent {
            Ok(Ok((500, body))) if body.contains("database is locked") => {
                Progress::Waiting(format!("HTTP 500 {body}"))
            }
            Ok(Ok((status, body))) => Progress::Done(Ok(format!("HTTP {status} {body}"))),
            Ok(Err(e)) => Progress::Done(Err(e.to_string())),
            Err(e) => Progress::Done(Err(e.to_string())),
        }
    }
}

impl SessionDriver for RequestSession {
    fn name(&self) -> &str {
        &self.name
    }

    fn step_names(&self) -> Vec<String> {
        vec![self.step.clone()]
    }

    fn describe(&self, _step: &str) -> String {
        self.kind.line().to_owned()
    }

    fn start(&mut self, _step: &str) -> Progress {
        self.send()
    }

    fn resume(&mut self) -> Progress {
        self.send()
    }
}
