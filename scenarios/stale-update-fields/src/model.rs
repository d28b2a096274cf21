//! The model layer every variant shares: `Article`, its fields, an injected clock, the
//! full save, the seed data and the edit of the story, and the one variant type.

use std::sync::atomic::{AtomicI64, Ordering};

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};

/// One way of doing `article.save(update_fields=fields)`: `broken.rs` and `fixed.rs`
/// expose one, `save_fields`, and so must a candidate's answer to the homework.
pub type PartialSave = fn(&Connection, &Clock, &mut Article, &[Field]) -> rusqlite::Result<()>;

/// The article every run starts from.
pub const SEED_TITLE: &str = "Launch notes";
/// Its body before any edit.
pub const SEED_BODY: &str = "First draft";
/// How long after the article was created the editor saves: under a second, so the
/// edit lands in the same second as the creation (09:00:00.25 -> 09:00:00.60).
pub const EDIT_AFTER_MICROS: i64 = 350_000;
/// The body the editor saves.
pub const NEW_BODY: &str = "Second draft: ships on 4 March";

/// The table Django creates for `Article(title=CharField, body=TextField,
/// updated_at=DateTimeField(auto_now=True))`. Django stores the datetime with
/// microseconds; an integer count of microseconds since the Unix epoch keeps that
/// precision without a date library.
pub const SCHEMA: &str = "
CREATE TABLE app_article (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
";

/// A clock the scenario drives by hand: time moves only when [`Clock::advance`] says so,
/// so every timestamp in a report is the same on every run.
#[derive(Debug)]
pub struct Clock {
    micros: AtomicI64,
}

impl Clock {
    /// 2024-03-01 09:00:00.250000 UTC, in microseconds since the epoch: a quarter second
    /// into a second, so an edit a few hundred milliseconds later stays in that second.
    pub const START: i64 = 1_709_283_600_250_000;

    /// A clock that reads `micros` until it is advanced.
    pub fn starting_at(micros: i64) -> Self {
        Self {
            micros: AtomicI64::new(micros),
        }
    }

    /// The current instant, in microseconds since the epoch.
    pub fn now(&self) -> i64 {
        self.micros.load(Ordering::SeqCst)
    }

    /// Moves the clock forward by `micros`.
    pub fn advance(&self, micros: i64) {
        self.micros.fetch_add(micros, Ordering::SeqCst);
    }
}

/// The time of day of an instant, `HH:MM:SS.ffffff`, for transcripts (the date is the
/// same all through a run, and the `Last-Modified` header shows it).
pub fn time_of_day(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let day = secs.rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}.{fraction:06}",
        day / 3600,
        day / 60 % 60,
        day % 60
    )
}

/// The concrete fields of `Article`, as `update_fields` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Body,
    UpdatedAt,
}

impl Field {
    /// Every concrete field but the primary key, in declaration order.
    pub const ALL: [Self; 3] = [Self::Title, Self::Body, Self::UpdatedAt];

    /// The fields declared with `auto_now=True`: their `pre_save()` stamps the clock.
    pub const AUTO_NOW: [Self; 1] = [Self::UpdatedAt];

    /// The column name.
    pub fn column(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Body => "body",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// One article, as loaded into memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Microseconds since the epoch (`DateTimeField(auto_now=True)`).
    pub updated_at: i64,
}

impl Article {
    /// `Article.objects.create(...)`: inserts a row stamped with the clock.
    pub fn create(
        conn: &Connection,
        clock: &Clock,
        title: &str,
        body: &str,
    ) -> rusqlite::Result<Self> {
        let updated_at = clock.now();
        conn.execute(
            "INSERT INTO app_article (title, body, updated_at) VALUES (?1, ?2, ?3)",
            (title, body, updated_at),
        )?;
        Ok(Self {
            id: conn.last_insert_rowid(),
            title: title.to_owned(),
            body: body.to_owned(),
            updated_at,
        })
    }

    /// `Article.objects.filter(pk=id).first()`.
    pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<Self>> {
        conn.query_row(
            "SELECT id, title, body, updated_at FROM app_article WHERE id = ?1",
            [id],
            |row| {
                Ok(Self {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    body: row.get(2)?,
                    updated_at: row.get(3)?,
                })
            },
        )
        .optional()
    }

    /// A plain `save()`: every field's `pre_save()` runs, so `updated_at` takes the clock,
    /// and the UPDATE writes every column.
    pub fn save(&mut self, conn: &Connection, clock: &Clock) -> rusqlite::Result<()> {
        for field in Field::ALL {
            self.pre_save(field, clock);
        }
        self.update_columns(conn, &Field::ALL)
    }

    /// Django's `Field.pre_save()`: the value to store for `field`. For an `auto_now`
    /// field this is where the clock is read and written onto the instance.
    pub fn pre_save(&mut self, field: Field, clock: &Clock) {
        if Field::AUTO_NOW.contains(&field) {
            self.updated_at = clock.now();
        }
    }

    /// `UPDATE app_article SET <the listed columns> WHERE id = ?`, with the values the
    /// instance holds: what `save(update_fields=...)` sends once `pre_save()` has run.
    pub fn update_columns(&self, conn: &Connection, fields: &[Field]) -> rusqlite::Result<()> {
        let sets: Vec<String> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} = ?{}", f.column(), i + 1))
            .collect();
        let sql = format!(
            "UPDATE app_article SET {} WHERE id = ?{}",
            sets.join(", "),
            fields.len() + 1
        );
        let values = fields
            .iter()
            .map(|&f| self.value_of(f))
            .chain([Value::Integer(self.id)]);
        conn.execute(&sql, params_from_iter(values))?;
        Ok(())
    }

    fn value_of(&self, field: Field) -> Value {
        match field {
            Field::Title => Value::Text(self.title.clone()),
            Field::Body => Value::Text(self.body.clone()),
            Field::UpdatedAt => Value::Integer(self.updated_at),
        }
    }

    /// The page a reader sees: the title on the first line, the body below.
    pub fn render(&self) -> String {
        format!("{}\n{}", self.title, self.body)
    }

    /// The row as a transcript shows it.
    pub fn describe(&self) -> String {
        format!(
            "id={} title={:?} body={:?} updated_at={}",
            self.id,
            self.title,
            self.body,
            time_of_day(self.updated_at)
        )
    }
}

/// One edit sent to `PATCH /articles/{id}`: the fields it changes, after a pause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Microseconds the clock moves before the edit (at least 1).
    pub after_micros: i64,
    pub title: Option<String>,
    pub body: Option<String>,
}

impl Edit {
    /// The request body: only the fields the edit changes.
    pub fn json(&self) -> String {
        let mut fields = serde_json::Map::new();
        if let Some(title) = &self.title {
            fields.insert("title".into(), title.as_str().into());
        }
        if let Some(body) = &self.body {
            fields.insert("body".into(), body.as_str().into());
        }
        serde_json::Value::Object(fields).to_string()
    }
}
