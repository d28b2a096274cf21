//! One variant's run: the story through real git and a real SQLite "production"
//! database, with the variant's pre-merge step between B's rebase and B's merge, and the
//! verdict judged from what git stores on main and what the deploy's migrate did.

mod deploy;
mod story;

use std::collections::BTreeMap;

use lab_kit::Report;

use crate::model::{A, B, BeforeMerge, INITIAL, Landing, PRICE, TABLE};
use story::Story;

/// Runs the story with `before_merge` between B's rebase and B's merge, and reports it.
pub fn run(name: &str, before_merge: BeforeMerge) -> lab_kit::Result<Report> {
    Ok(judge(name, story::tell(before_merge)?))
}

/// The verdict and its evidence.
fn judge(name: &str, story: Story) -> Report {
    let Story {
        transcript,
        b_files_after_rebase,
        landing,
        b_merged,
        main_files,
        main_leaves,
        deploy,
    } = story;

    // The verdict. The pitfall is "the conflict reached main": main's graph has more than
    // one leaf, so the deploy's migrate refuses. Both halves come from what really
    // happened, not from the variant's name: the leaves are computed from the files git
    // stores on main (read with `git show`, counted without the engine's `check`), and
    // the refusal is the real migrate's error against SQLite. Either one is the pitfall.
    //
    // A step that refuses B's branch before the merge keeps main at one leaf: the deploy
    // succeeds, so that is no pitfall, and what the step said is kept as evidence
    // (`pre_merge`) beside the verdict.
    let observed = main_leaves.len() > 1 || deploy.result.is_err();

    let symptom = match (&deploy.result, &landing) {
        (Err(_), _) => format!(
            "after a conflict-free rebase and merge, the deploy's migrate refuses: {} are both leaves",
            main_leaves.join(" and ")
        ),
        (Ok(_), Landing::Refuse(_)) => {
            "the pre-merge check on b's rebased branch failed and named both leaves; b was held back and main still deploys".to_owned()
        }
        (Ok(applied), Landing::Merge) if observed => format!(
            "main holds the leaves {} although the deploy applied {}",
            main_leaves.join(", "),
            applied.join(", ")
        ),
        (Ok(applied), Landing::Merge) => format!(
            "b merged with a merge migration; the deploy applied {} and {} now has the columns {}",
            applied.join(", "),
            TABLE,
            deploy.columns_after.join(", ")
        ),
    };
    let pre_merge = match &landing {
        Landing::Merge => "merge".to_owned(),
        Landing::Refuse(reason) => format!("refused: {reason}"),
    };

    Report::new(name, observed, symptom)
        .observe("migrations", story_migrations())
        .observe("b_files_after_rebase", b_files_after_rebase)
        .observe("pre_merge", pre_merge)
        .observe("b_merged", b_merged)
        .observe("main_files", main_files)
        .observe("main_leaves", main_leaves)
        .observe("deploy_error", deploy.result.as_ref().err())
        .observe("deploy_applied", deploy.result.as_ref().ok())
        .observe("deploy_statements", deploy.statements)
        .observe("applied_before_deploy", deploy.applied_before)
        .observe("applied_after_deploy", deploy.applied_after)
        .observe("columns_before_deploy", deploy.columns_before)
        .observe("columns_after_deploy", deploy.columns_after)
        .observe("table_sql_after_deploy", deploy.table_sql_after)
        .with_transcript(transcript)
}

/// The story's migrations and the branch that adds each: the input the Django twin
/// replays as migration files of its own.
fn story_migrations() -> Vec<BTreeMap<&'static str, &'static str>> {
    [("main", INITIAL), ("main", PRICE), ("a", A), ("b", B)]
        .into_iter()
        .map(|(branch, m)| {
            BTreeMap::from([
                ("branch", branch),
                ("name", m.name),
                ("parent", m.parent),
                ("sql", m.sql),
            ])
        })
        .collect()
}
