//! A blog in a fresh SQLite database beside the truth: the app's operations applied to
//! both, and the comment list page read back through real SQL next to what it should
//! show - every comment whose article or photo still exists, and no other.

use rusqlite::Connection;
use serde::Serialize;

use crate::model::{Blog, CONTENT_TYPES, CommentLine, Target, create_article, create_photo};

/// One thing the app does. Ids are the ones it handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    Article { title: String },
    Photo { caption: String },
    Comment { on: Target, body: String },
    DeleteArticle { article: i64 },
    DeletePhotosCaptioned { prefix: String },
}

impl Op {
    /// The operation in a few words, for transcripts and counterexamples.
    pub fn describe(&self) -> String {
        match self {
            Op::Article { title } => format!("write article {title:?}"),
            Op::Photo { caption } => format!("upload photo {caption:?}"),
            Op::Comment { on, body } => format!("comment {body:?} on {on}"),
            Op::DeleteArticle { article } => format!("delete article #{article}"),
            Op::DeletePhotosCaptioned { prefix } => {
                format!("delete the photos captioned {prefix:?}...")
            }
        }
    }
}

/// The rows that exist, as the app's users would count them.
#[derive(Debug, Clone, Default)]
struct Truth {
    articles: Vec<(i64, String)>,
    photos: Vec<(i64, String)>,
    comments: Vec<(i64, Target, String)>,
    next: [i64; 3],
}

impl Truth {
    /// What a live target is shown as, or `None` if it is gone.
    fn shown(&self, target: Target) -> Option<String> {
        let (rows, id) = match target {
            Target::Article(id) => (&self.articles, id),
            Target::Photo(id) => (&self.photos, id),
        };
        rows.iter().find(|(i, _)| *i == id).map(|(_, s)| s.clone())
    }

    /// Whether the app offers `op` now: a comment or a delete names a row that exists
    /// (the view fetched it first).
    fn allows(&self, op: &Op) -> bool {
        match op {
            Op::Comment { on, .. } => self.shown(*on).is_some(),
            Op::DeleteArticle { article } => self.shown(Target::Article(*article)).is_some(),
            _ => true,
        }
    }

    fn apply(&mut self, op: &Op) -> String {
        let mut next = |kind: usize| {
            self.next[kind] += 1;
            self.next[kind]
        };
        match op {
            Op::Article { title } => {
                let id = next(0);
                self.articles.push((id, title.clone()));
                format!("article #{id}")
            }
            Op::Photo { caption } => {
                let id = next(1);
                self.photos.push((id, caption.clone()));
                format!("photo #{id}")
            }
            Op::Comment { on, body } => {
                let id = next(2);
                self.comments.push((id, *on, body.clone()));
                format!("comment #{id}")
            }
            Op::DeleteArticle { article } => {
                self.articles.retain(|(id, _)| id != article);
                "done".to_owned()
            }
            Op::DeletePhotosCaptioned { prefix } => {
                self.photos
                    .retain(|(_, caption)| !caption.starts_with(prefix.as_str()));
                "done".to_owned()
            }
        }
    }

    /// The list page as it should be: every comment whose target exists.
    fn comments(&self) -> Vec<CommentLine> {
        self.comments
            .iter()
            .filter_map(|(id, on, body)| {
                self.shown(*on).map(|shown| CommentLine {
                    id: *id,
                    body: body.clone(),
                    on: *on,
                    shown: Some(shown),
                })
            })
            .collect()
    }
}

/// One variant's blog and the truth, advanced together.
#[derive(Debug)]
pub struct World {
    blog: Blog,
    pub conn: Connection,
    truth: Truth,
}

impl World {
    /// A fresh in-memory database (foreign keys enforced, as Django's SQLite backend has
    /// them) with the project's content types and the blog's schema.
    pub fn new(blog: Blog) -> rusqlite::Result<Self> {
        let conn = lab_kit::sqlite::memory()?;
        conn.execute_batch(CONTENT_TYPES)?;
        conn.execute_batch(blog.schema)?;
        Ok(Self {
            blog,
            conn,
            truth: Truth::default(),
        })
    }

    /// Whether the app offers `op` now.
    pub fn allows(&self, op: &Op) -> bool {
        self.truth.allows(op)
    }

    /// Applies `op` to the database through the blog's code and to the truth; what the
    /// app answered and what the truth says it should have.
    pub fn apply(&mut self, op: &Op) -> (String, String) {
        let (conn, blog) = (&self.conn, &self.blog);
        let got = match op {
            Op::Article { title } => create_article(conn, title).map(|id| format!("article #{id}")),
            Op::Photo { caption } => create_photo(conn, caption).map(|id| format!("photo #{id}")),
            Op::Comment { on, body } => {
                (blog.comment_on)(conn, *on, body).map(|id| format!("comment #{id}"))
            }
            Op::DeleteArticle { article } => {
                (blog.delete_article)(conn, *article).map(|()| "done".to_owned())
            }
            Op::DeletePhotosCaptioned { prefix } => {
                (blog.delete_photos_captioned)(conn, prefix).map(|()| "done".to_owned())
            }
        };
        let got = got.unwrap_or_else(|e| format!("refused: {e}"));
        (got, self.truth.apply(op))
    }

    /// The comment list page, read through the blog's code.
    pub fn comments(&self) -> rusqlite::Result<Vec<CommentLine>> {
        (self.blog.comments)(&self.conn)
    }

    /// The comment list page as it should be.
    pub fn truth(&self) -> Vec<CommentLine> {
        self.truth.comments()
    }

    /// The blog's tables and indexes as SQLite stores them, the content types left out.
    pub fn schema(&self) -> rusqlite::Result<Vec<String>> {
        crate::model::query(
            &self.conn,
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name LIKE 'blog_%' \
             ORDER BY rowid",
            [],
            |r| r.get(0),
        )
    }
}
