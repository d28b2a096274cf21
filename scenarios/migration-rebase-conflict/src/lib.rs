//! Two branches each add a migration on the same parent; git rebases one onto the other
//! without a conflict, because the files differ, and the deploy's `migrate` then refuses:
//! the migration graph has two leaves. The story runs the real `git` (2.28 or newer, on
//! PATH) in a temporary repository.
//!
//! Run with:
//! - `cargo test -p migration-rebase-conflict`
//! - `cargo run -- run migration-rebase-conflict`

pub mod broken;
pub mod engine;
pub mod fixed;
pub mod git;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Need, Role, Scenario, Tag, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "migration-rebase-conflict",
    title: "A clean rebase that breaks migrate",
    question: "Two branches each add a migration; the second rebases without a conflict and merges. Why does the deploy's migrate fail, and how do you stop it?",
    tags: &[Tag::Git, Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[Need::Git],
            run: || run::run("broken", broken::before_merge),
        },
        Variant {
            name: "fixed_merge_migration",
            role: Role::Fix,
            needs: &[Need::Git],
            run: || {
                run::run(
                    "fixed_merge_migration",
                    fixed::merge_migration::before_merge,
                )
            },
        },
        Variant {
            name: "fixed_ci_guard",
            role: Role::Fix,
            needs: &[Need::Git],
            run: || run::run("fixed_ci_guard", fixed::ci_guard::before_merge),
        },
    ],
    bench: None,
    twin: lab_kit::Twin::Facts(&[
        "pre_merge",
        "b_merged",
        "main_leaves",
        "deploy_error",
        "deploy_applied",
        "applied_before_deploy",
        "applied_after_deploy",
        "columns_before_deploy",
        "columns_after_deploy",
    ]),
};
