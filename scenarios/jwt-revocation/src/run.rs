//! A variant's world (ann in a fresh table, the API on loopback, the clock at [`START`]),
//! the story over real HTTP, and the verdict: whether a token stolen before a logout or a
//! password change still opened ann's account afterwards.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lab_kit::sqlite::StatementLog;
use lab_kit::{Report, Transcript};
use serde_json::json;

use crate::app::{self, App};
use crate::model::{ANN, Auth, MINUTE, START, USERS, password_hash, peek};

/// A fresh table with ann, and the variant's own tables.
pub fn database(auth: Auth) -> rusqlite::Result<rusqlite::Connection> {
    let conn = lab_kit::sqlite::memory()?;
    conn.execute_batch(USERS)?;
    conn.execute(
        "INSERT INTO auth_user (username, password) VALUES (?1, ?2)",
        (ANN.0, password_hash(ANN.0, ANN.1)),
    )?;
    conn.execute_batch(auth.schema)?;
    Ok(conn)
}

/// One request of the story: who sent it, what, and what came back.
#[derive(Debug, Clone)]
struct Step {
    status: u16,
    body: String,
    /// The statements the request ran.
    sql: Vec<String>,
}

/// The story's HTTP side: a client, the server's clock, the transcript.
struct Teller {
    client: reqwest::Client,
    base: String,
    clock: Arc<AtomicU64>,
    log: StatementLog,
    t: Transcript,
}

impl Teller {
    /// Sets the clock to `minute` minutes past 09:00, then sends the request.
    async fn send(
        &mut self,
        minute: u64,
        who: &str,
        what: &str,
        bearer: Option<(&str, &str)>,
        body: &str,
    ) -> Result<Step, String> {
        self.clock.store(START + minute * MINUTE, Ordering::SeqCst);
        let (method, path) = what.split_once(' ').expect("METHOD /path");
        let url = format!("{}{path}", self.base);
        let mut request = match method {
            "GET" => self.client.get(url),
            _ => self.client.post(url).body(body.to_owned()),
        };
        if let Some((_, token)) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(|e| e.to_string())?;
        let with = bearer.map_or(String::new(), |(label, _)| format!(" with {label}"));
        let shown = if body.starts_with('{') {
            "tokens"
        } else {
            body.as_str()
        };
        self.t.push(who, format!("09:{minute:02} {what}{with}"));
        let sql = self.log.take();
        for statement in &sql {
            self.t.push("db", statement);
        }
        self.t.push(who, format!("-> {status} {shown}"));
        Ok(Step { status, body, sql })
    }
}

/// The tokens in a login's or a refresh's answer.
fn tokens(step: &Step) -> Result<(String, Option<String>), String> {
    let value: serde_json::Value =
        serde_json::from_str(&step.body).map_err(|e| format!("{}: {e}", step.body))?;
    let access = value["access"]
        .as_str()
        .ok_or("no access token")?
        .to_owned();
    Ok((access, value["refresh"].as_str().map(str::to_owned)))
}

/// Whether a replayed token got in.
fn outcome(step: &Step) -> &'static str {
    if step.status == 200 {
        "accepted"
    } else {
        "rejected"
    }
}

/// Runs the story against `auth` and judges it.
pub fn run(auth: Auth) -> lab_kit::Result<Report> {
    let mut conn = database(auth)?;
    let log = StatementLog::attach(&mut conn)?;
    let clock = Arc::new(AtomicU64::new(START));
    let app = App {
        db: Arc::new(Mutex::new(conn)),
        auth,
        clock: Arc::clone(&clock),
    };
    let told = lab_kit::http::block_on(async {
        let server = lab_kit::http::serve(app::router(app)).await?;
        let mut teller = Teller {
            client: lab_kit::http::client(),
            base: server.base_url(),
            clock,
            log,
            t: Transcript::new(),
        };
        let told = tell(&mut teller).await.map(|facts| (facts, teller.t));
        server.shutdown().await?;
        told.map_err(lab_kit::Error::scenario)
    })??;
    let (facts, transcript) = told;
    let replays = &facts["replays"];
    let accepted: Vec<&str> = ["after_logout", "after_password_change"]
        .into_iter()
        .filter(|k| replays[*k] == "accepted")
        .collect();
    let observed = !accepted.is_empty();
    let symptom = if observed {
        "mallory's copy of ann's token still opened her account after ann logged out, and \
         the copy of her next one after she changed her password"
            .to_owned()
    } else {
        "after ann logged out, and after she changed her password, mallory's copies of her \
         tokens got 401; each request cost one database lookup"
            .to_owned()
    };
    let mut report = Report::new("", observed, symptom);
    if let serde_json::Value::Object(map) = facts {
        for (key, value) in map {
            report = report.observe(&key, value);
        }
    }
    Ok(report.with_transcript(transcript))
}

/// The story: ann logs in; mallory copies her token from a proxy log; ann logs out; the
/// copy is tried. Ann logs in again; mallory copies that token too; ann changes her
/// password; the copy is tried. Then ann, twelve minutes later, and her refresh token.
async fn tell(t: &mut Teller) -> Result<serde_json::Value, String> {
    let ann_login = format!("{}:{}", ANN.0, ANN.1);
    let first = t.send(0, "ann", "POST /login", None, &ann_login).await?;
    let (a1, _) = tokens(&first)?;
    let ttl = peek(&a1).map(|c| (c.exp - c.iat) / MINUTE);
    let before = t
        .send(
            1,
            "mallory",
            "GET /me",
            Some(("a copy of token 1", &a1)),
            "",
        )
        .await?;
    let queries = before.sql.len();
    t.send(2, "ann", "POST /logout", Some(("token 1", &a1)), "")
        .await?;
    let after_logout = t
        .send(
            3,
            "mallory",
            "GET /me",
            Some(("a copy of token 1", &a1)),
            "",
        )
        .await?;

    let second = t.send(4, "ann", "POST /login", None, &ann_login).await?;
    let (a2, _) = tokens(&second)?;
    t.send(
        5,
        "ann",
        "POST /password",
        Some(("token 2", &a2)),
        "battery staple",
    )
    .await?;
    let after_password = t
        .send(
            6,
            "mallory",
            "GET /me",
            Some(("a copy of token 2", &a2)),
            "",
        )
        .await?;
    let old_password = t.send(7, "ann", "POST /login", None, &ann_login).await?;

    let third = t
        .send(8, "ann", "POST /login", None, "ann:battery staple")
        .await?;
    let (a3, r3) = tokens(&third)?;
    let r3 = r3.unwrap_or_default();
    let later = t
        .send(20, "ann", "GET /me", Some(("token 3", &a3)), "")
        .await?;
    let refreshed = t.send(20, "ann", "POST /refresh", None, &r3).await?;
    let mut refresh = vec![json!({"ann_refreshes_after_12_minutes": refreshed.status})];
    if refreshed.status == 200 {
        let (a4, r4) = tokens(&refreshed)?;
        let fresh = t
            .send(20, "ann", "GET /me", Some(("token 4", &a4)), "")
            .await?;
        let reused = t.send(21, "mallory", "POST /refresh", None, &r3).await?;
        let after = t
            .send(22, "ann", "POST /refresh", None, &r4.unwrap_or_default())
            .await?;
        refresh.push(json!({"ann_with_the_new_access_token": fresh.status}));
        refresh.push(json!({"a_copy_of_the_spent_refresh_token": reused.status}));
        refresh.push(json!({"ann_refreshes_after_that": after.status}));
    }
    Ok(json!({
        "replays": {
            "before_logout": outcome(&before),
            "after_logout": outcome(&after_logout),
            "after_password_change": outcome(&after_password),
        },
        "replay_answers": [after_logout.body, after_password.body],
        "old_password_login": old_password.status,
        "queries_per_request": queries,
        "access_token_minutes": ttl,
        "token_3_after_12_minutes": later.status,
        "refresh": refresh,
    }))
}
