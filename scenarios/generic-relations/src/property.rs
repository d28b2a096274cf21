//! The property of a blog, runnable against any [`Blog`]: after every operation of any
//! sequence of articles, photos, comments and deletes, the comment list shows exactly the
//! comments whose article or photo exists - none pointing at nothing, none lost.

use crate::model::{Blog, Target};
use crate::world::{Op, World};

/// Titles a generated article draws from.
pub const TITLES: [&str; 2] = ["Launch notes", "Roadmap"];
/// Captions a generated photo draws from: two share the prefix "Team".
pub const CAPTIONS: [&str; 3] = ["Team photo", "Trip", "Team lunch"];
/// Prefixes a generated bulk delete of photos draws from ("T" matches all three).
pub const PREFIXES: [&str; 3] = ["Team", "Trip", "T"];
/// The largest article or photo id a generated operation names.
pub const MAX_ID: i64 = 3;
/// The longest generated sequence.
pub const MAX_OPS: usize = 12;

/// A generated operation from plain numbers: kind (0 to 5), an id (1 to [`MAX_ID`]) and
/// a choice of title, caption or prefix.
pub fn op(kind: u8, id: i64, choice: usize) -> Op {
    match kind % 6 {
        0 => Op::Article {
            title: TITLES[choice % TITLES.len()].to_owned(),
        },
        1 => Op::Photo {
            caption: CAPTIONS[choice % CAPTIONS.len()].to_owned(),
        },
        2 => Op::Comment {
            on: Target::Article(id),
            body: format!("Comment {choice}"),
        },
        3 => Op::Comment {
            on: Target::Photo(id),
            body: format!("Comment {choice}"),
        },
        4 => Op::DeleteArticle { article: id },
        _ => Op::DeletePhotosCaptioned {
            prefix: PREFIXES[choice % PREFIXES.len()].to_owned(),
        },
    }
}

/// The operations of `ops` the app offers when they come: a comment or an article's
/// delete only on a row that exists (the view fetches it first).
pub fn offered(blog: Blog, ops: &[Op]) -> Result<Vec<Op>, String> {
    let mut world = World::new(blog).map_err(|e| e.to_string())?;
    let mut kept = Vec::new();
    for op in ops {
        if world.allows(op) {
            world.apply(op);
            kept.push(op.clone());
        }
    }
    Ok(kept)
}

/// The property a correct blog satisfies on `ops` (those offered): after each one, the
/// answer is the truth's and the comment list is exactly the truth's.
pub fn no_orphans(blog: Blog, ops: &[Op]) -> Result<(), String> {
    let mut world = World::new(blog).map_err(|e| e.to_string())?;
    let mut step = 0;
    for op in ops {
        if !world.allows(op) {
            continue;
        }
        step += 1;
        let at = format!("step {step} ({})", op.describe());
        let (got, want) = world.apply(op);
        if got != want {
            return Err(format!("{at}: answered {got:?}, truth {want:?}"));
        }
        let shown = world.comments().map_err(|e| format!("{at}: {e}"))?;
        let truth = world.truth();
        if shown != truth {
            let lines = |c: &[crate::model::CommentLine]| {
                c.iter().map(ToString::to_string).collect::<Vec<_>>()
            };
            return Err(format!(
                "{at}: the list showed {:?}, truth {:?}",
                lines(&shown),
                lines(&truth)
            ));
        }
    }
    Ok(())
}
