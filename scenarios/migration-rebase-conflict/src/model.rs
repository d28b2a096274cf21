//! What every variant shares: the app, the story's migrations, the pre-merge step's type
//! (the one variant type) and what it decides, and the shape of a generated migration.

use std::path::Path;

use lab_kit::Transcript;

use crate::engine::MigrationError;

/// The app every migration of the story belongs to (Django's app label).
pub const APP: &str = "shop";
/// Where the app's migration files live in the repository.
pub const MIGRATIONS: &str = "shop/migrations";
/// The model's table.
pub const TABLE: &str = "shop_item";

/// One migration file of the story: its name (the file name without `.sql`), its parent
/// (empty for the root) and its SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryMigration {
    pub name: &'static str,
    pub parent: &'static str,
    pub sql: &'static str,
}

/// main's first migration: the table.
pub const INITIAL: StoryMigration = StoryMigration {
    name: "0001_initial",
    parent: "",
    sql: "CREATE TABLE shop_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
};
/// main's second migration, the leaf both branches start from.
pub const PRICE: StoryMigration = StoryMigration {
    name: "0002_item_price",
    parent: "0001_initial",
    sql: "ALTER TABLE shop_item ADD COLUMN price INTEGER NOT NULL DEFAULT 0;",
};
/// Developer A's migration: a colour for every item.
pub const A: StoryMigration = StoryMigration {
    name: "0003_a_item_color",
    parent: "0002_item_price",
    sql: "ALTER TABLE shop_item ADD COLUMN color TEXT NOT NULL DEFAULT '';",
};
/// Developer B's migration, written the same day on the same parent: a stock count.
pub const B: StoryMigration = StoryMigration {
    name: "0003_b_item_stock",
    parent: "0002_item_price",
    sql: "ALTER TABLE shop_item ADD COLUMN stock INTEGER NOT NULL DEFAULT 0;",
};

/// The team's step between "B rebased cleanly" and "B merges": it gets B's migrations
/// directory (the rebased working tree, which is what main will hold after the merge),
/// may write files there (they are committed before the merge), and decides. `broken.rs`
/// and each fix module expose one, `before_merge`.
pub type BeforeMerge =
    fn(migrations: &Path, log: &mut Transcript) -> Result<Landing, MigrationError>;

/// What the pre-merge step decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// The branch merges into main.
    Merge,
    /// The branch is held back, with the reason shown to its author.
    Refuse(String),
}

/// One generated migration: its name and parents (its SQL is derived from them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub name: String,
    pub depends_on: Vec<String>,
}

/// The graph of B's rebased branch in the story, as specs: the root, `0002`, and the two
/// `0003`s on it.
pub fn story_specs() -> Vec<Spec> {
    [INITIAL, PRICE, A, B]
        .iter()
        .map(|m| Spec {
            name: m.name.to_owned(),
            depends_on: [m.parent]
                .into_iter()
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        })
        .collect()
}
