//! rustlings' rule, made executable: for every scenario, the exported exercise fails as
//! shipped, carries no answer, and passes once the lab's own fixed code is dropped in.
//! All exports share one target directory, so dependencies compile once per machine.

use std::fs;
use std::path::{Path, PathBuf};

use pitfall_lab::REGISTRY;
use pitfall_lab::homework::{self, find_answer_leaks};

fn shared_target() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/homework-check")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn every_exercise_fails_as_exported_and_passes_with_the_labs_fix() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let postgres = std::env::var_os("LAB_POSTGRES_URL").is_some();
    for scenario in REGISTRY {
        if scenario.tags.contains(&lab_kit::Tag::Postgres) && !postgres {
            // Its exercise cannot be graded without a server; CI runs this test under
            // scripts/with-postgres, so there it is never skipped.
            eprintln!(
                "skipping {}: needs PostgreSQL (scripts/with-postgres cargo test --test homework)",
                scenario.id
            );
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("exercise");
        homework::export(scenario, &out).unwrap();

        assert_eq!(find_answer_leaks(&out).unwrap(), Vec::<String>::new());
        let exported = out.join(scenario.id);
        assert!(exported.join("src/fixed.rs").is_file());
        let readme = fs::read_to_string(exported.join("README.md")).unwrap();
        assert!(!readme.contains("## The fix"), "{readme}");

        let card = homework::grade(&out, Some(&shared_target())).unwrap();
        assert!(
            !card.solved(),
            "{} is solved as exported:\n{}",
            scenario.id,
            card.render()
        );
        assert!(card.build_error.is_none(), "{}", card.render());
        assert!(card.checks.iter().any(|c| c.passed), "{}", card.render());

        // Drop the lab's answer in: the fixed sources, nothing else.
        let lab = root.join("scenarios").join(scenario.id);
        fs::copy(lab.join("src/fixed.rs"), exported.join("src/fixed.rs")).unwrap();
        if lab.join("src/fixed").is_dir() {
            fs::remove_dir_all(exported.join("src/fixed")).unwrap();
            copy_dir(&lab.join("src/fixed"), &exported.join("src/fixed"));
        }
        let card = homework::grade(&out, Some(&shared_target())).unwrap();
        assert!(
            card.solved(),
            "{} with the lab's fix:\n{}",
            scenario.id,
            card.render()
        );
    }
}

#[test]
fn the_starter_replaces_each_pitfall_comment_with_a_todo() {
    let broken = "//! The broken one.\n\nfn f() {\n    // PITFALL: the reason,\n    // over two lines.\n    g();\n}\n";
    assert_eq!(
        homework::starter_from(broken),
        "//! The fixed variant: it starts as a copy of `broken.rs`. Make it right.\n\nfn f() {\n    // TODO: the broken variant goes wrong here; fix it.\n    g();\n}\n"
    );
}

#[test]
fn libtest_output_becomes_a_scorecard() {
    let out = "running 2 tests\ntest a ... ok\ntest b ... FAILED\n\nfailures:\n\n---- b stdout ----\nminimal failing input: x = 3\n\nfailures:\n    b\n";
    let checks = homework::parse_test_output(out);
    assert_eq!(checks.len(), 2);
    assert!(checks[0].passed);
    assert!(!checks[1].passed);
    assert_eq!(checks[1].detail.trim(), "minimal failing input: x = 3");
}

#[test]
fn lab_grade_exits_non_zero_until_the_exercise_is_solved() {
    let lab = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lab"))
            .args(args)
            .env("CARGO_TARGET_DIR", shared_target())
            .output()
            .expect("the lab binary runs")
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exercise");
    let out_str = out.to_str().unwrap();
    let id = "double-counted-annotations";
    assert!(lab(&["homework", id, "--out", out_str]).status.success());

    let unsolved = lab(&["grade", out_str]);
    let card = String::from_utf8_lossy(&unsolved.stdout);
    assert_eq!(unsolved.status.code(), Some(1), "{card}");
    assert!(
        card.lines().any(
            |l| l.starts_with("fixed_distinct_does_not_show_the_pitfall") && l.ends_with("FAIL")
        ),
        "{card}"
    );
    assert!(card.contains("minimal failing input"), "{card}");
    assert!(card.trim_end().ends_with("NOT SOLVED"), "{card}");

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let fixed = root.join("scenarios").join(id).join("src/fixed");
    copy_dir(&fixed, &out.join(id).join("src/fixed"));
    let solved = lab(&["grade", out_str]);
    let card = String::from_utf8_lossy(&solved.stdout);
    assert_eq!(solved.status.code(), Some(0), "{card}");
    assert!(card.trim_end().ends_with("SOLVED"), "{card}");
}
