//! The story every variant tells over real HTTP: the admin's migration runs on a table
//! full of orders, then a staff member pages through the whole list with its next links,
//! and through a search's results; SQLite reports what each page cost.

use std::sync::Arc;

use lab_kit::sqlite::StatementLog;

use crate::app::{App, PATH, router};
use crate::browser::{Browser, Visit};
use crate::model::{Admin, Orders, PER_PAGE, PageRequest, STORY_ORDERS, STORY_SEARCH, STORY_SEED};
use crate::probe::{Probe, Statement};

/// One page of a walk: what the browser saw and what SQLite did to serve it.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// The search typed into the box (empty: every order).
    pub(crate) search: String,
    /// The page's number in its list, from 1.
    pub(crate) number: usize,
    pub(crate) visit: Visit,
    pub(crate) statements: Vec<Statement>,
}

impl Step {
    /// Rows the page's statements scanned, together.
    pub(crate) fn rows_scanned(&self) -> u64 {
        self.statements.iter().map(Statement::rows_scanned).sum()
    }

    /// `page 2`, `search page 1`.
    pub(crate) fn label(&self) -> String {
        let list = if self.search.is_empty() {
            ""
        } else {
            "search "
        };
        format!("{list}page {}", self.number)
    }
}

/// What happened.
#[derive(Debug)]
pub(crate) struct Story {
    pub(crate) orders: Orders,
    /// The statements of the admin's migration.
    pub(crate) migration: Vec<String>,
    /// Every page opened, in order: the whole list, then the search's.
    pub(crate) steps: Vec<Step>,
}

/// Tells the story with `admin`'s migration and change list.
pub(crate) async fn tell(admin: Admin) -> lab_kit::Result<Story> {
    let mut conn = lab_kit::sqlite::memory()?;
    let orders = Orders::generate(STORY_ORDERS, STORY_SEED);
    orders.load(&conn)?;
    let log = StatementLog::attach(&mut conn)?;
    (admin.migrate)(&conn)?;
    let migration = log.take();
    let probe = Probe::attach(&mut conn)?;
    let app = App::new(conn, admin.change_list);
    let server = lab_kit::http::serve(router(Arc::clone(&app))).await?;
    let browser = Browser::new(server.base_url());
    // A walk never needs more pages than the orders fill, plus one.
    let most = orders.rows.len() / PER_PAGE + 1;
    let mut steps = Vec::new();
    for search in ["", STORY_SEARCH] {
        let mut path = Some(format!(
            "{PATH}{}",
            PageRequest::search(search).query_string()
        ));
        let mut number = 0;
        while let Some(next) = path.take().filter(|_| number < most) {
            number += 1;
            let visit = browser.open(&next).await?;
            let statements = app.with_conn(|conn| probe.take(conn))?;
            path.clone_from(&visit.next);
            steps.push(Step {
                search: search.to_owned(),
                number,
                visit,
                statements,
            });
        }
    }
    server.shutdown().await?;
    Ok(Story {
        orders,
        migration,
        steps,
    })
}
