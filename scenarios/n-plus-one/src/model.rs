//! What every variant shares: the schema, the data set and its seed, the SQL a model
//! instance runs when the template reads a relation it does not hold yet, the truth, and
//! the one variant type.

use rusqlite::Connection;
use serde::Serialize;

use crate::orm::{Article, Db};

/// How a list view asks for the first `size` articles (by id): `broken.rs` and each fix
/// module expose one, `articles`. The template then reads each article's author and
/// tags; whatever the list did not load, the instance loads on first use.
pub type ArticleList = fn(&Db, usize) -> rusqlite::Result<Vec<Article>>;

/// The tables Django creates for `Author`, `Tag` (`unique` name, `ordering = ["name"]`)
/// and `Article` (`author = ForeignKey(Author)`, `tags = ManyToManyField(Tag)`), with the
/// indexes Django adds for the foreign keys.
pub const SCHEMA: &str = "
CREATE TABLE app_author (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL
);
CREATE TABLE app_tag (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE app_article (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    title     TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES app_author (id)
);
CREATE INDEX app_article_author_id ON app_article (author_id);
CREATE TABLE app_article_tags (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES app_article (id),
    tag_id     INTEGER NOT NULL REFERENCES app_tag (id),
    UNIQUE (article_id, tag_id)
);
CREATE INDEX app_article_tags_article_id ON app_article_tags (article_id);
CREATE INDEX app_article_tags_tag_id ON app_article_tags (tag_id);
";

/// What `article.author` runs when the instance does not hold its author: Django's
/// descriptor does `Author.objects.get(pk=...)`, hence the `LIMIT 21` of `get()`.
pub const AUTHOR_OF_ARTICLE: &str =
    "SELECT app_author.id, app_author.name FROM app_author WHERE app_author.id = ? LIMIT 21";

/// What `article.tags.all` runs when the instance holds no tag list: the tags through
/// the join table, in `Tag.Meta.ordering`.
pub const TAGS_OF_ARTICLE: &str = concat!(
    "SELECT app_tag.id, app_tag.name FROM app_tag ",
    "INNER JOIN app_article_tags ON (app_tag.id = app_article_tags.tag_id) ",
    "WHERE app_article_tags.article_id = ? ORDER BY app_tag.name ASC",
);

/// The articles' columns, in the order `Article::from_row` reads them.
pub const ARTICLE_COLUMNS: &str = "app_article.id, app_article.title, app_article.author_id";

/// Authors and tags by name, and articles as (title, author index, tag indexes). Ids are
/// index + 1, as the rows are inserted in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dataset {
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub articles: Vec<ArticleData>,
}

/// One article of a [`Dataset`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleData {
    pub title: String,
    pub author: usize,
    pub tags: Vec<usize>,
}

/// How many articles the seed holds and the page shows.
pub const SEED_ARTICLES: usize = 50;

/// Titles of the seed, cycled; some need escaping, as user input does.
const TOPICS: [&str; 6] = [
    "Indexes & plans",
    "Less <code> is more",
    "The \"simple\" query",
    "Caches that don't",
    "Joins explained",
    "Reading a trace",
];

impl Dataset {
    /// A data set; tag indexes of each article are sorted and repeated ones dropped.
    ///
    /// # Panics
    /// If an article names an author or tag that does not exist.
    pub fn new(authors: Vec<String>, tags: Vec<String>, mut articles: Vec<ArticleData>) -> Self {
        for a in &mut articles {
            assert!(a.author < authors.len(), "the author exists");
            assert!(a.tags.iter().all(|&t| t < tags.len()), "the tags exist");
            a.tags.sort_unstable();
            a.tags.dedup();
        }
        Self {
            authors,
            tags,
            articles,
        }
    }

    /// The seed: 50 articles by five authors, each with none to four of four tags.
    pub fn seed() -> Self {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        let articles = (0..SEED_ARTICLES)
            .map(|i| ArticleData {
                title: format!("{} ({})", TOPICS[i % TOPICS.len()], i + 1),
                author: (i * 3 + i / 7) % 5,
                // A fixed pattern of tag subsets: some articles have none, a few all four.
                tags: (0..4).filter(|t| ((i * 7 + 3) >> t) & 1 == 1).collect(),
            })
            .collect();
        Self::new(
            names(&[
                "Ada Lovelace",
                "Edgar Codd",
                "Grace Hopper",
                "Barbara Liskov",
                "Donald Knuth",
            ]),
            names(&["databases", "performance", "python", "rust"]),
            articles,
        )
    }

    /// `articles` articles by `authors` authors with up to three of `tags` tags each,
    /// drawn by a fixed-seed generator (the benchmark's data).
    pub fn generated(articles: usize, authors: usize, tags: usize) -> Self {
        let mut state: u64 = 0x5eed;
        let mut next = |n: usize| {
            // Knuth's MMIX linear congruential generator: the same data every run.
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(state >> 33).expect("31 bits fit") % n
        };
        let articles = (0..articles)
            .map(|i| ArticleData {
                title: format!("Article {}", i + 1),
                author: next(authors),
                tags: (0..next(4)).map(|_| next(tags)).collect(),
            })
            .collect();
        Self::new(
            (0..authors).map(|i| format!("author {}", i + 1)).collect(),
            (0..tags).map(|i| format!("tag {:03}", i + 1)).collect(),
            articles,
        )
    }

    /// Creates the schema and inserts the data (ids are index + 1).
    pub fn load(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(SCHEMA)?;
        let tx = conn.unchecked_transaction()?;
        {
            let mut author = tx.prepare("INSERT INTO app_author (id, name) VALUES (?1, ?2)")?;
            for (i, name) in self.authors.iter().enumerate() {
                author.execute((id_of(i), name))?;
            }
            let mut tag = tx.prepare("INSERT INTO app_tag (id, name) VALUES (?1, ?2)")?;
            for (i, name) in self.tags.iter().enumerate() {
                tag.execute((id_of(i), name))?;
            }
            let mut article =
                tx.prepare("INSERT INTO app_article (id, title, author_id) VALUES (?1, ?2, ?3)")?;
            let mut link =
                tx.prepare("INSERT INTO app_article_tags (article_id, tag_id) VALUES (?1, ?2)")?;
            for (i, a) in self.articles.iter().enumerate() {
                article.execute((id_of(i), &a.title, id_of(a.author)))?;
                for &t in &a.tags {
                    link.execute((id_of(i), id_of(t)))?;
                }
            }
        }
        tx.commit()
    }

    /// The first `size` articles as the page shows them - title, author's name, tag names
    /// in name order - computed from the data alone: the truth every page is judged by.
    pub fn truth(&self, size: usize) -> Vec<serde_json::Value> {
        self.articles
            .iter()
            .take(size)
            .map(|a| {
                let mut tags: Vec<&str> = a.tags.iter().map(|&t| self.tags[t].as_str()).collect();
                tags.sort_unstable();
                let tags: Vec<serde_json::Value> = tags
                    .iter()
                    .map(|t| serde_json::json!({"name": t}))
                    .collect();
                serde_json::json!({
                    "title": a.title,
                    "author": {"name": self.authors[a.author]},
                    "tags": {"all": tags},
                })
            })
            .collect()
    }

    /// Each article on one line, `title | author | tag, tag`, for reports and the twin.
    pub fn describe(&self) -> Vec<String> {
        self.articles
            .iter()
            .map(|a| {
                let tags: Vec<&str> = a.tags.iter().map(|&t| self.tags[t].as_str()).collect();
                format!(
                    "{} | {} | {}",
                    a.title,
                    self.authors[a.author],
                    tags.join(", ")
                )
            })
            .collect()
    }
}

fn id_of(index: usize) -> i64 {
    i64::try_from(index + 1).expect("row counts fit in i64")
}
