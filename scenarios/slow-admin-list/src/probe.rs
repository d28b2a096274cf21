//! What SQLite itself reports about the statements a page ran - their SQL with the values
//! bound, their query plans and how many rows they scanned - read through SQLite's
//! profile hook, its statement counters and its own program, never from the code under
//! test.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::{Connection, StatementStatus};
use serde::Serialize;

/// One statement as SQLite ran it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The SQL with its parameters written in as literals (`sqlite3_expanded_sql`).
    pub sql: String,
    /// `EXPLAIN QUERY PLAN` of the statement as it was prepared (its parameters unbound,
    /// as SQLite planned it), one line per step, indented by depth.
    pub plan: Vec<String>,
    /// Rows the statement stepped through in loops that read a table or an index from
    /// end to end (`SQLITE_STMTSTATUS_FULLSCAN_STEP`): scans, not lookups.
    pub full_scan_steps: u64,
    /// Entries visited by a `Count` instruction, SQLite's program for a bare `COUNT(*)`:
    /// it walks every entry of a B-tree without a loop the counter above sees.
    pub counted_entries: u64,
    /// Sorts the statement ran (`SQLITE_STMTSTATUS_SORT`): a temporary B-tree.
    pub sorts: u64,
    /// Bytecode instructions run (`SQLITE_STMTSTATUS_VM_STEP`): all the work of this
    /// statement's own program.
    pub vm_steps: u64,
    /// Statements SQLite ran inside this one on its behalf: a full-text index reading
    /// its own tables.
    pub inner_statements: u64,
}

impl Statement {
    /// The rows this statement read from end to end: what grows with the table.
    pub fn rows_scanned(&self) -> u64 {
        self.full_scan_steps + self.counted_entries
    }
}

/// The counters of one statement, as the profile hook saw it finish.
#[derive(Debug, Clone)]
struct Profiled {
    /// The SQL as prepared, with its `?` placeholders.
    prepared: String,
    /// The SQL with the values bound.
    sql: String,
    full_scan_steps: u64,
    sorts: u64,
    vm_steps: u64,
    inner_statements: u64,
}

/// What the hook has seen and not handed out yet.
#[derive(Debug, Default)]
struct Seen {
    finished: Vec<Profiled>,
    /// The SQL of statements SQLite ran inside another one (a full-text index reading
    /// its own tables), which the statement hook writes as `-- <sql>`.
    inner: HashSet<String>,
    /// Inner statements finished since the last outer one.
    inner_finished: u64,
}

/// Collects every statement a connection finishes, through SQLite's trace hook
/// (`sqlite3_trace_v2`: `SQLITE_TRACE_PROFILE` when a statement finishes,
/// `SQLITE_TRACE_STMT` to tell the statements SQLite runs inside another one). It
/// replaces any other trace hook of that connection (a `StatementLog`).
#[derive(Debug, Clone, Default)]
pub struct Probe {
    seen: Arc<Mutex<Seen>>,
    paused: Arc<AtomicBool>,
}

impl Probe {
    /// Starts collecting on `conn`. Counters add up over every run of one prepared
    /// statement, so the connection's statement cache is turned off: each statement is
    /// prepared, run once and finalized, and its counters are its own.
    pub fn attach(conn: &mut Connection) -> rusqlite::Result<Self> {
        conn.set_prepared_statement_cache_capacity(0);
        let probe = Self::default();
        let (seen, paused) = (Arc::clone(&probe.seen), Arc::clone(&probe.paused));
        let codes = TraceEventCodes::SQLITE_TRACE_PROFILE | TraceEventCodes::SQLITE_TRACE_STMT;
        conn.trace_v2(
            codes,
            Some(move |event: TraceEvent<'_>| {
                if paused.load(Ordering::SeqCst) {
                    return;
                }
                let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
                match event {
                    TraceEvent::Stmt(_, traced) => {
                        // Triggers are announced as `-- TRIGGER name`; they run inside
                        // their statement's own program and never finish on their own.
                        if let Some(sql) = traced.strip_prefix("-- ") {
                            seen.inner.insert(sql.to_owned());
                        }
                    }
                    TraceEvent::Profile(stmt, _) if seen.inner.contains(stmt.sql().as_ref()) => {
                        seen.inner_finished += 1;
                    }
                    TraceEvent::Profile(stmt, _) => {
                        let counter = |status| u64::try_from(stmt.get_status(status)).unwrap_or(0);
                        let prepared = stmt.sql().into_owned();
                        let sql = stmt.expanded_sql().unwrap_or_else(|| prepared.clone());
                        let inner_statements = std::mem::take(&mut seen.inner_finished);
                        seen.finished.push(Profiled {
                            prepared,
                            sql: lab_kit::report::one_line(&sql),
                            full_scan_steps: counter(StatementStatus::FullscanStep),
                            sorts: counter(StatementStatus::Sort),
                            vm_steps: counter(StatementStatus::VmStep),
                            inner_statements,
                        });
                    }
                    _ => {}
                }
            }),
        )?;
        Ok(probe)
    }

    /// Stops collecting on `conn` (removes its trace hook).
    pub fn detach(conn: &mut Connection) -> rusqlite::Result<()> {
        conn.trace_v2(TraceEventCodes::empty(), None::<fn(TraceEvent<'_>)>)
    }

    /// Every statement finished since the last call, with its plan and the entries a
    /// `Count` instruction visited, asked of `conn` (the probed connection itself, or
    /// another one on the same database); the probe ignores what that asking runs.
    pub fn take(&self, conn: &Connection) -> rusqlite::Result<Vec<Statement>> {
        let finished = std::mem::take(
            &mut self
                .seen
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .finished,
        );
        self.paused.store(true, Ordering::SeqCst);
        // Another connection plans with the schema it last read: running a statement
        // makes it notice that a migration changed the schema since.
        conn.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |_| Ok(()))?;
        let described = finished
            .into_iter()
            .map(|p| {
                Ok(Statement {
                    plan: plan(conn, &p.prepared)?,
                    counted_entries: counted_entries(conn, &p.prepared, &p.sql)?,
                    sql: p.sql,
                    full_scan_steps: p.full_scan_steps,
                    sorts: p.sorts,
                    vm_steps: p.vm_steps,
                    inner_statements: p.inner_statements,
                })
            })
            .collect();
        self.paused.store(false, Ordering::SeqCst);
        described
    }
}

/// `EXPLAIN QUERY PLAN sql`: each step's detail, indented two spaces per level.
pub fn plan(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    // Unbound, the parameters are NULL: the plan is the one SQLite made when it prepared
    // the statement, before any value was bound.
    let mut rows = stmt.raw_query();
    let mut steps = Vec::new();
    while let Some(row) = rows.next()? {
        steps.push((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(3)?,
        ));
    }
    let mut depths: Vec<(i64, usize)> = Vec::new();
    let mut lines = Vec::with_capacity(steps.len());
    for (id, parent, detail) in steps {
        let depth = depths
            .iter()
            .find(|(step, _)| *step == parent)
            .map_or(0, |(_, d)| d + 1);
        depths.push((id, depth));
        lines.push(format!("{}{detail}", "  ".repeat(depth)));
    }
    Ok(lines)
}

/// The entries an exact `Count` instruction in the program of `prepared` visits - the
/// value that count produces (`sql` run again, values bound), since it visits each entry
/// it counts - or 0 when the program has none.
fn counted_entries(conn: &Connection, prepared: &str, sql: &str) -> rusqlite::Result<u64> {
    let mut program = conn.prepare(&format!("EXPLAIN {prepared}"))?;
    let mut instructions = program.raw_query();
    let mut counts = Vec::new();
    while let Some(row) = instructions.next()? {
        counts.push(row.get::<_, String>(1)? == "Count" && row.get::<_, i64>(4)? == 0);
    }
    if !counts.contains(&true) {
        return Ok(0);
    }
    let entries: i64 = conn.query_row(sql, [], |row| row.get(0))?;
    Ok(entries.unsigned_abs())
}
