//! The data property every correct partial save satisfies, runnable against any
//! [`PartialSave`]: after any sequence of partial edits over real HTTP, a browser that
//! revalidates and a first-time visitor both show what the row holds.

use crate::browser::{self, Browser};
use crate::model::{Edit, PartialSave};
use crate::run::world::World;

/// The longest edit sequence the property tests draw.
pub const MAX_EDITS: usize = 4;
/// The longest pause before an edit, in microseconds: up to three seconds, so edits land
/// both inside one second (where `Last-Modified` cannot tell them apart) and across.
pub const MAX_PAUSE_MICROS: i64 = 3_000_000;
/// What an edited title or body looks like: short lower-case text, possibly empty.
pub const TEXT: &str = "[a-z ]{0,8}";
/// How many sequences a property run draws: each starts a server and makes a dozen real
/// requests, so few.
pub const CASES: u32 = 32;

/// The property: with `save` behind the edit endpoint, after each of `edits` the
/// revalidating browser and a new visitor both show what the row holds. The error names
/// the first reader that did not, or the run's own failure.
pub fn readers_see_the_row(save: PartialSave, edits: &[Edit]) -> Result<(), String> {
    lab_kit::http::block_on(replay(save, edits))
        .map_err(|e| format!("the run failed: {e}"))?
        .map_err(|e| format!("the run failed: {}", lab_kit::error_chain(&e)))?
}

/// Replays `edits` against a fresh world. The outer error is the run's own failure; the
/// inner `Err` names the first reader that did not see the row.
async fn replay(save: PartialSave, edits: &[Edit]) -> lab_kit::Result<Result<(), String>> {
    let world = World::start(save).await?;
    let (base, path) = (world.server.base_url(), world.path());
    let mut browser = Browser::new(base.clone());
    browser.get(&path).await?;
    let mut verdict = Ok(());
    'edits: for (i, edit) in edits.iter().enumerate() {
        world.clock.advance(edit.after_micros);
        let (status, response) = browser::patch(&base, &path, &edit.json()).await?;
        if status != 200 {
            verdict = Err(format!("edit {} answered {status}: {response}", i + 1));
            break;
        }
        let stored = world.row()?.render();
        let again = browser.get(&path).await?;
        let fresh = Browser::new(base.clone()).get(&path).await?;
        for (who, x) in [("the browser", &again), ("a new visitor", &fresh)] {
            if x.displayed != stored {
                verdict = Err(format!(
                    "after edit {} of {}: {who} got {} and shows {:?}; the row holds {stored:?}",
                    i + 1,
                    edits.len(),
                    x.status,
                    x.displayed,
                ));
                break 'edits;
            }
        }
    }
    world.stop().await?;
    Ok(verdict)
}
