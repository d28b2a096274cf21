//! One variant's run: the seed's writes through the app's four paths against the variant's
//! table in a fresh SQLite database, every statement as SQLite's trace hook saw it, what
//! each caller got back, and every stored row judged by the validators.

use lab_kit::sqlite::StatementLog;
use lab_kit::{Chart, Report, Transcript};
use serde_json::{Value, json};

use crate::model::{self, Product, Schema, Write};
use crate::paths::{self, Outcome};

/// Runs the seed story on `schema` and reports the table beside the rules.
pub fn run(schema: Schema) -> lab_kit::Result<Report> {
    let writes = model::seed();
    let mut conn = model::connect()?;
    let log = StatementLog::attach_expanded(&mut conn)?;
    conn.execute_batch(schema)?;
    let schema_sql = log.take().concat();
    let mut t = Transcript::new();
    t.push("db", &schema_sql);
    let (mut outcomes, mut sql) = (Vec::new(), Vec::new());
    let mut refused = 0;
    for write in &writes {
        t.push("app", write.describe());
        let outcome = paths::apply(&conn, write)?;
        let statements = log.take();
        for s in &statements {
            t.push("db", s);
        }
        // The form's statements depend on Django's own checks; the other paths send
        // exactly one INSERT or UPDATE, which the Django twin compares.
        if !matches!(write, Write::Form { .. }) {
            sql.extend(statements);
        }
        let line = describe(write, &outcome);
        if matches!(outcome, Outcome::Refused(_)) {
            refused += 1;
        }
        t.push("app", &line);
        outcomes.push(line);
    }

    let rows = model::stored(&conn)?;
    let expected = model::expected(&writes);
    let invalid: Vec<Value> = rows
        .iter()
        .filter(|p| !p.errors().is_empty())
        .map(|p| json!({"sku": p.sku, "discount": p.discount, "errors": p.errors()}))
        .collect();
    t.push(
        "app",
        format!(
            "the table holds {}: {} row(s) the validators refuse",
            list(&rows),
            invalid.len()
        ),
    );
    if rows != expected {
        t.push(
            "app",
            format!("a table that kept the rules: {}", list(&expected)),
        );
    }

    // The verdict: a stored row the validators refuse, or a table other than the one a
    // database keeping the rules would hold.
    let observed = !invalid.is_empty() || rows != expected;
    let symptom = if observed {
        let bad: Vec<String> = rows
            .iter()
            .filter(|p| !p.errors().is_empty())
            .map(Product::describe)
            .collect();
        format!(
            "{} of {} products break the rules the product form enforces: {}",
            bad.len(),
            rows.len(),
            bad.join(", ")
        )
    } else {
        format!(
            "every stored product passes the validators; {refused} write(s) with an invalid value were refused, and the caller got the reason"
        )
    };
    // A handful of rows: exact in f64.
    let count = |n: usize| f64::from(u32::try_from(n).expect("a handful of rows"));
    let chart = Chart::new("rows stored, and how many break the rules", "rows")
        .bar("rows stored", count(rows.len()))
        .bar("invalid rows", count(invalid.len()))
        .bar("rows a rule-keeping table holds", count(expected.len()));
    Ok(Report::new("", observed, symptom)
        // The input, so the Django twin replays exactly these writes.
        .observe("writes", &writes)
        .observe("schema", schema_sql)
        .observe("outcomes", outcomes)
        .observe("sql", sql)
        .observe("rows", &rows)
        .observe("invalid_rows", invalid)
        .observe("expected_rows", &expected)
        .with_chart(chart)
        .with_transcript(t))
}

/// What the caller of `write` got back, in a line.
fn describe(write: &Write, outcome: &Outcome) -> String {
    match (write, outcome) {
        (Write::Update { .. }, Outcome::Stored(n)) => format!("updated {n} row(s)"),
        (_, Outcome::Stored(n)) => format!("stored {n} row(s)"),
        (_, Outcome::Refused(why)) => format!("refused: {why}"),
    }
}

fn list(rows: &[Product]) -> String {
    if rows.is_empty() {
        return "no rows".to_owned();
    }
    rows.iter()
        .map(Product::describe)
        .collect::<Vec<_>>()
        .join(", ")
}
