//! What every variant shares: the schema, the blogs and entries of Django's documentation
//! example, the truth computed from the entries alone, the lookups' parameters, and the
//! one variant type.

use rusqlite::{Connection, Params};
use serde::Serialize;

/// One way of asking for the blogs that have an entry whose headline contains
/// `headline` and whose publication date falls in `year`: `broken.rs` and each fix
/// module expose one, `blogs`. Rows come back as the query returned them, in blog order.
pub type BlogSearch = fn(&Connection, &str, i32) -> rusqlite::Result<Vec<Blog>>;

/// The tables Django creates for `Blog` and `Entry` (`blog = ForeignKey(Blog)`,
/// `headline`, `pub_date = DateField()`), with the index Django adds for the foreign key.
/// A date is stored as `YYYY-MM-DD` text, as Django stores it in SQLite.
pub const SCHEMA: &str = "
CREATE TABLE app_blog (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL
);
CREATE TABLE app_entry (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    blog_id  INTEGER NOT NULL REFERENCES app_blog (id),
    headline TEXT NOT NULL,
    pub_date TEXT NOT NULL
);
CREATE INDEX app_entry_blog_id ON app_entry (blog_id);
";

/// What the search looks for, as in the documentation's example.
pub const HEADLINE: &str = "Lennon";
/// See [`HEADLINE`].
pub const YEAR: i32 = 2008;

/// A blog row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blog {
    pub id: i64,
    pub name: String,
}

/// One entry of a [`Dataset`]: its blog (an index), headline and date (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub blog: usize,
    pub headline: String,
    pub pub_date: String,
}

/// Blogs by name (ids are index + 1) and their entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dataset {
    pub blogs: Vec<String>,
    pub entries: Vec<Entry>,
}

impl Dataset {
    /// A data set of `blogs` and `(blog index, headline, date)` entries.
    ///
    /// # Panics
    /// If an entry names a blog that does not exist.
    pub fn new<'a>(
        blogs: &[&str],
        entries: impl IntoIterator<Item = (usize, &'a str, &'a str)>,
    ) -> Self {
        let entries: Vec<Entry> = entries
            .into_iter()
            .map(|(blog, headline, pub_date)| Entry {
                blog,
                headline: headline.to_owned(),
                pub_date: pub_date.to_owned(),
            })
            .collect();
        assert!(
            entries.iter().all(|e| e.blog < blogs.len()),
            "every entry names one of the blogs"
        );
        Self {
            blogs: blogs.iter().map(|b| (*b).to_owned()).collect(),
            entries,
        }
    }

    /// The documentation's example: B1 has an entry about Lennon from 2008; B2 has one
    /// about Lennon from 2005 and one about someone else from 2008.
    pub fn docs_example() -> Self {
        Self::new(
            &["B1", "B2"],
            [
                (0, "All about Lennon", "2008-03-14"),
                (1, "Lennon at 25", "2005-06-01"),
                (1, "McCartney on tour", "2008-07-20"),
            ],
        )
    }

    /// The example plus B3, which has two entries about Lennon, both from 2008.
    pub fn with_busy_blog() -> Self {
        let mut data = Self::docs_example();
        data.blogs.push("B3".to_owned());
        for (headline, pub_date) in [
            ("Lennon remembered", "2008-12-08"),
            ("Lennon's lyrics", "2008-02-10"),
        ] {
            data.entries.push(Entry {
                blog: 2,
                headline: headline.to_owned(),
                pub_date: pub_date.to_owned(),
            });
        }
        data
    }

    /// Creates the schema and inserts the blogs and entries (ids are index + 1).
    pub fn load(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(SCHEMA)?;
        let tx = conn.unchecked_transaction()?;
        {
            let mut blog = tx.prepare("INSERT INTO app_blog (id, name) VALUES (?1, ?2)")?;
            for (i, name) in self.blogs.iter().enumerate() {
                blog.execute((id_of(i), name))?;
            }
            let mut entry = tx.prepare(
                "INSERT INTO app_entry (blog_id, headline, pub_date) VALUES (?1, ?2, ?3)",
            )?;
            for e in &self.entries {
                entry.execute((id_of(e.blog), &e.headline, &e.pub_date))?;
            }
        }
        tx.commit()
    }

    /// The blogs that have an entry whose headline contains `headline` (ASCII case
    /// ignored, as SQLite's LIKE ignores it) and whose date falls in `year`, each once, in
    /// id order: computed from the entries alone, the truth every search is judged by.
    pub fn truth(&self, headline: &str, year: i32) -> Vec<Blog> {
        let wanted = headline.to_ascii_lowercase();
        let prefix = format!("{year:04}-");
        (0..self.blogs.len())
            .filter(|&b| {
                self.entries.iter().any(|e| {
                    e.blog == b
                        && e.headline.to_ascii_lowercase().contains(&wanted)
                        && e.pub_date.starts_with(&prefix)
                })
            })
            .map(|b| Blog {
                id: id_of(b),
                name: self.blogs[b].clone(),
            })
            .collect()
    }

    /// Each entry on one line, `blog | headline | date`, for reports and the twin.
    pub fn describe(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| format!("{} | {} | {}", self.blogs[e.blog], e.headline, e.pub_date))
            .collect()
    }
}

fn id_of(index: usize) -> i64 {
    i64::try_from(index + 1).expect("row counts fit in i64")
}

/// The parameter of Django's `__contains` lookup: the text with LIKE's wildcards and the
/// escape character escaped, between two `%`.
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The two parameters of Django's `__year` lookup on a `DateField`: the first and last day
/// of the year, for `BETWEEN ? AND ?`.
pub fn year_bounds(year: i32) -> [String; 2] {
    [format!("{year:04}-01-01"), format!("{year:04}-12-31")]
}

/// Runs `sql` with `params` and reads `(id, name)` rows: what every variant's `blogs`
/// does with its own SQL.
pub fn query_blogs(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> rusqlite::Result<Vec<Blog>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, |row| {
        Ok(Blog {
            id: row.get(0)?,
            name: row.get(1)?,
        })
    })?;
    rows.collect()
}
