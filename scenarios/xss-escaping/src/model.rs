//! What every variant shares: the comments table, the comments visitors post (an
//! attacker's among them), the page every variant must write, and the view's one
//! signature.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// One way of writing the comment page: every variant and every candidate fix has this
/// signature. It gets the stored comments, oldest first, and returns the page's HTML.
pub type PageFn = fn(comments: &[Comment]) -> Result<String, PageError>;

/// Why a page could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

/// The table Django creates for a `Comment` model in the `blog` app.
pub const SCHEMA: &str = "
CREATE TABLE blog_comment (
    id     INTEGER PRIMARY KEY,
    author TEXT NOT NULL,
    body   TEXT NOT NULL
);
";

/// What `Comment.objects.create(author=..., body=...)` asks SQLite.
pub const INSERT_SQL: &str = "INSERT INTO blog_comment (author, body) VALUES (?1, ?2)";

/// What `Comment.objects.order_by("id")` asks SQLite.
pub const SELECT_SQL: &str = "SELECT id, author, body FROM blog_comment ORDER BY id";

/// A stored comment: what the page shows, and what its data block carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub author: String,
    pub body: String,
}

/// What a visitor's browser posts to `POST /comments` (as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewComment {
    pub author: String,
    pub body: String,
}

/// The page's own elements: what its template writes, and all that a browser may find in
/// it. The elements it writes once, in document order, each with the names of the
/// attributes it carries: `<html lang>`, `<head>`, `<meta charset>`, `<title>`, `<body>`,
/// `<h1>`, `<ol class="comments">` and, after the list, `<script id="comment-data"
/// type="application/json">` holding every comment as JSON (`id`, `author`, `body`) for
/// the page's scripts.
pub const PAGE_ELEMENTS: [(&str, &[&str]); 8] = [
    ("html", &["lang"]),
    ("head", &[]),
    ("meta", &["charset"]),
    ("title", &[]),
    ("body", &[]),
    ("h1", &[]),
    ("ol", &["class"]),
    ("script", &["id", "type"]),
];

/// The elements the page writes for each comment: `<li class="comment" data-author>`
/// (the author, for the page's reply button), `<cite>` (the author, as text) and
/// `<p class="body">` (the body, as text).
pub const COMMENT_ELEMENTS: [(&str, &[&str]); 3] = [
    ("li", &["class", "data-author"]),
    ("cite", &[]),
    ("p", &["class"]),
];

/// Who posts a comment, and what it aims at (for the transcript).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Post {
    pub who: &'static str,
    pub author: &'static str,
    pub body: &'static str,
    pub aims_at: &'static str,
}

/// The comments posted, in order: two regular visitors, then an attacker's payloads.
pub const SEED: [Post; 6] = [
    Post {
        who: "ada",
        author: "Ada",
        body: "Great write-up, thanks!",
        aims_at: "a plain comment",
    },
    Post {
        who: "grace",
        author: "Grace O'Neil",
        body: "Works for me: 3 < 4 && \"quotes\" stay as typed",
        aims_at: "a plain comment with < & \" '",
    },
    Post {
        who: "mallory",
        author: "mallory",
        body: "<script>alert(document.cookie)</script>",
        aims_at: "a script element in the body",
    },
    Post {
        who: "mallory",
        author: "mallory",
        body: "<img src=x onerror=alert(1)>",
        aims_at: "an event handler on an injected image",
    },
    Post {
        who: "mallory",
        author: "mallory onmouseover=alert(2)",
        body: "hover over my name",
        aims_at: "an event handler out of the unquoted data-author attribute",
    },
    Post {
        who: "mallory",
        author: "mallory",
        body: "</script><script>alert(3)</script>",
        aims_at: "a script out of the JSON data block",
    },
];

impl Post {
    /// The JSON body the post sends.
    pub fn new_comment(&self) -> NewComment {
        NewComment {
            author: self.author.to_owned(),
            body: self.body.to_owned(),
        }
    }
}

/// A fresh in-memory database with the comments table.
pub fn database() -> rusqlite::Result<Connection> {
    let conn = lab_kit::sqlite::memory()?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// Stores `comment`, returning its id.
pub fn insert(conn: &Connection, comment: &NewComment) -> rusqlite::Result<i64> {
    conn.execute(INSERT_SQL, (&comment.author, &comment.body))?;
    Ok(conn.last_insert_rowid())
}

/// Every stored comment, oldest first.
pub fn comments(conn: &Connection) -> rusqlite::Result<Vec<Comment>> {
    let mut stmt = conn.prepare(SELECT_SQL)?;
    let rows = stmt.query_map([], |row| {
        Ok(Comment {
            id: row.get(0)?,
            author: row.get(1)?,
            body: row.get(2)?,
        })
    })?;
    rows.collect()
}
