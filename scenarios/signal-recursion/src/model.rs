//! What every variant shares: the rows and their models, the hook graph (which model's
//! post_save receiver keeps which other model in step), the seed story, the error a save
//! can end in, and the ONE variant type (`SyncFn`).

use serde::Serialize;

use crate::orm::Orm;

/// The receiver body every variant supplies: after `saved` was saved, bring the row of
/// `target` with the same id in step with it (copy its email). `broken.rs` and each fix
/// module export one, `sync_email`; the hook graph decides which models it connects. It
/// writes with the model layer: [`Orm::get`], [`Orm::save`] (Django's `Model.save()`) or
/// [`Orm::update`] (Django's `QuerySet.update()`).
pub type SyncFn = fn(&mut Orm<'_>, &Instance, &str) -> Result<(), SaveError>;

/// How many saves may be in progress at once (each one inside a receiver of the one
/// before) before the hook runner refuses the next one and reports the path. Python would
/// raise `RecursionError` some hundred frames later; Rust would overflow its stack.
pub const GUARD_DEPTH: usize = 8;

/// The one row every model of a story has: the person's row, id 1 in every table.
pub const ROW: i64 = 1;
/// The email every row holds before the edit.
pub const OLD_EMAIL: &str = "ada@old.example";
/// The email the edit sets on the first model's row.
pub const NEW_EMAIL: &str = "ada@new.example";

/// One model instance as loaded from (or about to be written to) its table `app_<model>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instance {
    pub model: String,
    pub id: i64,
    pub email: String,
}

impl Instance {
    /// How transcripts and paths name the row: `user#1`.
    pub fn label(&self) -> String {
        label(&self.model, self.id)
    }
}

/// `user#1`: a model's row by id.
pub fn label(model: &str, id: i64) -> String {
    format!("{model}#{id}")
}

/// How a save (and the receivers it set off) can end.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The hook runner refused a save nested [`GUARD_DEPTH`] saves deep: each save's
    /// receivers saved again. `path` is the chain of saves, the refused one last.
    #[error("post_save recursion stopped {} saves deep: {}", .path.len() - 1, .path.join(" -> "))]
    Recursion { path: Vec<String> },
}

impl SaveError {
    /// The smallest cycle in a recursion's path: from the first row that came back to
    /// where it came back (`user#1 -> profile#1 -> user#1`). `None` for other errors.
    pub fn cycle(&self) -> Option<Vec<String>> {
        let Self::Recursion { path } = self else {
            return None;
        };
        path.iter().enumerate().find_map(|(end, row)| {
            let start = path[..end].iter().position(|r| r == row)?;
            Some(path[start..=end].to_vec())
        })
    }
}

/// Models and the receivers that connect them: `(a, b)` means "when a row of `models[a]`
/// is saved, a post_save receiver brings `models[b]`'s row in step". The first model is
/// the one the story edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookGraph {
    pub models: Vec<String>,
    pub hooks: Vec<(usize, usize)>,
}

impl HookGraph {
    /// A graph of `models` and `hooks`, normalised: no receiver for its own model (the
    /// question is about recursion without one) and no receiver connected twice.
    ///
    /// # Panics
    /// If a hook names a model that does not exist, or a model name is not a lower-case
    /// identifier (it becomes a table name).
    pub fn new(models: Vec<String>, hooks: impl IntoIterator<Item = (usize, usize)>) -> Self {
        assert!(
            models.iter().all(|m| {
                m.starts_with(|c: char| c.is_ascii_lowercase())
                    && m.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            }),
            "model names are lower-case identifiers: {models:?}"
        );
        let mut hooks: Vec<(usize, usize)> = hooks.into_iter().filter(|(a, b)| a != b).collect();
        assert!(
            hooks
                .iter()
                .all(|&(a, b)| a < models.len() && b < models.len()),
            "every hook names existing models"
        );
        hooks.sort_unstable();
        hooks.dedup();
        Self { models, hooks }
    }

    /// The seed story: the account page saves `user`, the newsletter page saves
    /// `profile`, and each model has a receiver that copies the email to the other, so
    /// the two never disagree. Neither receiver saves its own model.
    pub fn seed() -> Self {
        Self::new(
            vec!["user".to_owned(), "profile".to_owned()],
            [(0, 1), (1, 0)],
        )
    }

    /// The hooks as `sender -> target` lines, for reports.
    pub fn describe_hooks(&self) -> Vec<String> {
        self.hooks
            .iter()
            .map(|&(a, b)| format!("{} -> {}", self.models[a], self.models[b]))
            .collect()
    }

    /// The models whose rows a save of `models[from]` brings in step directly.
    pub fn targets_of(&self, from: usize) -> impl Iterator<Item = &str> {
        self.hooks
            .iter()
            .filter(move |(a, _)| *a == from)
            .map(|&(_, b)| self.models[b].as_str())
    }

    /// The tables (`app_<model>`, one row each holding [`OLD_EMAIL`]) and, per table, the
    /// trigger that records every UPDATE of a row in `lab_row_write`: the database's own
    /// count of how often each row was written, whoever wrote it.
    pub fn schema(&self) -> String {
        let mut sql = String::from(
            "CREATE TABLE lab_row_write (model TEXT NOT NULL, row_id INTEGER NOT NULL);\n",
        );
        for model in &self.models {
            sql.push_str(&format!(
                "CREATE TABLE app_{model} (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n\
                 INSERT INTO app_{model} (id, email) VALUES ({ROW}, '{OLD_EMAIL}');\n\
                 CREATE TRIGGER app_{model}_written AFTER UPDATE ON app_{model}\n\
                 BEGIN INSERT INTO lab_row_write (model, row_id) VALUES ('{model}', NEW.id); END;\n"
            ));
        }
        sql
    }
}
