//! The story every variant tells: requests that save users, each on a worker thread of
//! its own, and the provider, which answers them and delivers their mail in the order of
//! one explicit permutation; then what the database and the provider hold.

use lab_kit::interleave::WorkerSession;
use lab_kit::interleave::{
    Gates, Interleaving, ServiceSession, SessionDriver, Slot, SqliteSession,
};

use super::world::World;
use crate::model::{SignUp, Welcome, create_in_autocommit, respond, sign_up};
use crate::provider::{self, DELIVER_SQL, Received};

/// How a request saves its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `POST /sign-up`: the sign-up view, one transaction.
    SignUp,
    /// A shell, in autocommit.
    Shell,
}

/// One request of a story: the session it runs as, who it saves and how.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub session: &'static str,
    pub form: SignUp,
    pub how: How,
}

impl Request {
    /// The request's step: `<session>_sign_up` or `<session>_shell`.
    pub fn step(&self) -> String {
        let what = match self.how {
            How::SignUp => "sign_up",
            How::Shell => "shell",
        };
        format!("{}_{what}", self.session)
    }

    fn shown(&self) -> String {
        let f = self.form;
        match self.how {
            How::SignUp => format!(
                "POST /sign-up email={} name={} handle={}",
                f.email, f.name, f.handle
            ),
            How::Shell => format!(
                "shell: User.objects.create(email={:?}, name={:?})",
                f.email, f.name
            ),
        }
    }
}

/// The provider's step that answers the oldest held call.
pub const ANSWER: &str = "provider_answer";
/// The provider's step that delivers the oldest message.
pub const DELIVER: &str = "provider_deliver";

/// What one story left: the harness's record, each request's status (by email), the
/// users the database holds and the messages the provider took.
#[derive(Debug)]
pub struct Story {
    pub result: Interleaving,
    pub responses: Vec<(&'static str, Option<u16>)>,
    pub users: Vec<(i64, String)>,
    pub inbox: Vec<Received>,
}

/// Runs `requests` with `welcome` connected to `post_save` through `permutation`.
pub fn tell(
    welcome: Welcome,
    requests: &[Request],
    permutation: &[&str],
) -> lab_kit::Result<Story> {
    let world = World::new(Gates::new())?;
    let mut sessions: Vec<Box<dyn SessionDriver>> = Vec::new();
    let mut statuses = Vec::new();
    for request in requests {
        let (mut db, log) = world.app_db()?;
        let (mailer, status) = (world.mailer(), Slot::new(None::<u16>));
        let (form, how, answer) = (request.form, request.how, status.clone());
        let session = WorkerSession::new(request.session, &world.gates)
            .statements(log)
            .step(&request.step(), &request.shown(), move || {
                let result = match how {
                    How::SignUp => sign_up(&mut db, &mailer, welcome, &form),
                    How::Shell => create_in_autocommit(&mut db, &mailer, welcome, &form),
                };
                let (code, text) = respond(&result);
                answer.set(Some(code));
                Ok(text)
            });
        sessions.push(Box::new(session));
        statuses.push((form.email, status));
    }
    sessions.push(Box::new(
        ServiceSession::new("provider", &world.gates).answer(ANSWER),
    ));
    let inbox = world.inbox.clone();
    let delivery =
        SqliteSession::new("provider", world.connect()?).step(DELIVER, DELIVER_SQL, move |conn| {
            provider::deliver(conn, &inbox)
        });
    sessions.push(Box::new(delivery));
    let result = lab_kit::db::run_sessions(&mut sessions, permutation)?;
    drop(sessions);
    Ok(Story {
        result,
        responses: statuses
            .into_iter()
            .map(|(who, s)| (who, s.get()))
            .collect(),
        users: world.users()?,
        inbox: world.inbox.messages(),
    })
}
