//! The CI guard: flags every UPDATE of a table with auto-now columns that leaves them out.

use lab_kit::sqlite::{self, StatementLog};

use crate::model::{Article, Clock, Field, PartialSave, SCHEMA};

/// The tables that stamp columns on every write, and those columns.
pub const AUTO_NOW_COLUMNS: &[(&str, &[&str])] = &[("app_article", &["updated_at"])];

/// Reads statements as SQLite's trace hook logged them and returns one finding per
/// UPDATE that writes an auto-now table without its auto-now columns. It looks at what
/// reached the database, so it catches `save(update_fields=...)` and
/// `QuerySet.update(...)` alike, whichever code path sent them.
///
/// The SET list is split on commas, which is exact for the unexpanded SQL the trace hook
/// reports (`col = ?N, ...`); an expression with a comma in it would need a SQL parser.
pub fn audit(statements: &[String]) -> Vec<String> {
    statements
        .iter()
        .filter_map(|sql| {
            let (table, columns) = updated_columns(sql)?;
            let (_, auto_now) = AUTO_NOW_COLUMNS.iter().find(|(t, _)| *t == table)?;
            let missing: Vec<&str> = auto_now
                .iter()
                .copied()
                .filter(|c| !columns.contains(&c.to_ascii_lowercase()))
                .collect();
            (!missing.is_empty()).then(|| {
                format!(
                    "UPDATE of {table} writes {} without {} (auto_now): {sql}",
                    columns.join(", "),
                    missing.join(", ")
                )
            })
        })
        .collect()
}

/// The table and the columns an `UPDATE <table> SET a = ..., b = ... [WHERE ...]` writes,
/// lower case and unquoted; `None` for any other statement.
pub fn updated_columns(sql: &str) -> Option<(String, Vec<String>)> {
    let lower = sql.to_ascii_lowercase();
    let rest = lower.trim_start().strip_prefix("update ")?;
    let (table, rest) = rest.trim_start().split_once(char::is_whitespace)?;
    let sets = rest.trim_start().strip_prefix("set ")?;
    let sets = sets.split(" where ").next().unwrap_or(sets);
    let unquote = |s: &str| s.trim().trim_matches(['"', '`', '[', ']']).to_owned();
    let columns = sets
        .split(',')
        .filter_map(|assignment| assignment.split('=').next())
        .map(unquote)
        .collect();
    Some((unquote(table), columns))
}

/// Drives `save` through every non-empty subset of the editable fields on a scratch
/// database and audits what it sent: the check a project runs in its test suite.
pub fn audit_partial_save(save: PartialSave) -> lab_kit::Result<Vec<String>> {
    let editable = [Field::Title, Field::Body];
    let mut conn = sqlite::memory()?;
    conn.execute_batch(SCHEMA)?;
    let clock = Clock::starting_at(Clock::START);
    let mut article = Article::create(&conn, &clock, "title", "body")?;
    let log = StatementLog::attach(&mut conn)?;
    for mask in 1..(1_u32 << editable.len()) {
        let fields: Vec<Field> = editable
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, &f)| f)
            .collect();
        clock.advance(1);
        save(&conn, &clock, &mut article, &fields)?;
    }
    Ok(audit(&log.take()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit_one(sql: &str) -> Vec<String> {
        audit(&[sql.to_owned()])
    }

    #[test]
    fn an_update_without_the_auto_now_column_is_flagged() {
        let findings = audit_one("UPDATE app_article SET body = ?1 WHERE id = ?2");
        assert_eq!(
            findings,
            [
                "UPDATE of app_article writes body without updated_at (auto_now): \
              UPDATE app_article SET body = ?1 WHERE id = ?2"
            ]
        );
        // Quoted, as Django writes it, and without a WHERE (a bulk `update()`).
        assert_eq!(
            audit_one(r#"update "app_article" set "title" = ?1"#).len(),
            1
        );
    }

    #[test]
    fn updates_with_the_column_and_other_statements_pass() {
        assert!(
            audit_one("UPDATE app_article SET body = ?1, updated_at = ?2 WHERE id = ?3").is_empty()
        );
        assert!(audit_one("UPDATE other SET body = ?1").is_empty());
        assert!(audit_one("SELECT updated_at FROM app_article").is_empty());
        assert!(audit_one("INSERT INTO app_article (title) VALUES (?1)").is_empty());
    }
}
