//! The built `lab` binary, end to end: every verb, and bad input.

use std::process::{Command, Output};

fn lab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(args)
        .env_remove("LAB_POSTGRES_URL")
        .output()
        .expect("the lab binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 output")
}

#[track_caller]
fn check(args: &[&str], code: i32) -> (String, String) {
    let output = lab(args);
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(
        output.status.code(),
        Some(code),
        "lab {args:?}\nstdout:\n{out}\nstderr:\n{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    (out, err)
}

#[test]
fn no_arguments_runs_the_tour() {
    let (out, _) = check(&[], 0);
    assert!(out.contains("double-counted-annotations"), "{out}");
    assert!(out.contains("observed (1/1)"), "{out}");
    assert!(out.contains("holds (2/2)"), "{out}");
    let (tour, _) = check(&["tour"], 0);
    assert_eq!(out, tour);
}

#[test]
fn list_shows_the_catalogue() {
    let (out, _) = check(&["list"], 0);
    assert!(out.contains("double-counted-annotations"), "{out}");
    assert!(out.contains("intermediate"), "{out}");
}

#[test]
fn show_prints_the_question_and_readme() {
    let (out, _) = check(&["show", "double-counted-annotations"], 0);
    assert!(out.contains("Question:"), "{out}");
    assert!(out.contains("## The fix"), "{out}");
}

#[test]
fn run_prints_every_variant_with_its_verdict() {
    let (out, _) = check(&["run", "double-counted-annotations"], 0);
    assert!(
        out.contains("== broken (should show the pitfall): pitfall observed"),
        "{out}"
    );
    assert!(
        out.contains("== fixed_distinct (should not show the pitfall): no pitfall"),
        "{out}"
    );
    assert!(
        out.contains("== fixed_subquery (should not show the pitfall): no pitfall"),
        "{out}"
    );
}

#[test]
fn run_json_has_the_documented_shape() {
    let (out, _) = check(&["run", "double-counted-annotations", "--json"], 0);
    let run: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(run["id"], "double-counted-annotations");
    assert!(run["title"].is_string());
    assert!(
        run["tags"]
            .as_array()
            .is_some_and(|t| t.contains(&"sqlite".into()))
    );
    assert!(run["skipped"].is_null());
    let variants = run["variants"].as_array().expect("variants");
    let names: Vec<&str> = variants
        .iter()
        .map(|v| v["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["broken", "fixed_distinct", "fixed_subquery"]);
    for v in variants {
        assert_eq!(v["pitfall_observed"], v["name"] == "broken", "{v}");
        assert!(v["symptom"].is_string());
        assert!(v["observations"]["sql"].is_array());
        assert!(v["observations"]["users"].is_array());
        assert!(v["transcript"].as_array().is_some_and(|t| !t.is_empty()));
    }
}

#[test]
fn run_all_json_is_an_array_of_runs() {
    let (out, _) = check(&["run", "--all", "--json"], 0);
    let runs: Vec<serde_json::Value> = serde_json::from_str(&out).expect("a JSON array");
    assert_eq!(runs.len(), pitfall_lab::REGISTRY.len());
}

#[test]
fn bench_prints_a_table_with_the_ratio() {
    let (out, _) = check(&["bench", "double-counted-annotations", "--rows", "200"], 0);
    assert!(out.contains("fixed_subquery"), "{out}");
    assert!(
        out.contains("fixed_distinct / fixed_subquery time:"),
        "{out}"
    );
}

#[test]
fn an_unknown_id_suggests_the_closest_and_fails() {
    for verb in ["run", "show", "bench"] {
        let (out, err) = check(&[verb, "double-counted-anotations"], 2);
        assert!(out.is_empty(), "{out}");
        // The closest id comes first; with more scenarios registered, others follow it.
        assert!(
            err.trim().starts_with(
                "error: unknown scenario `double-counted-anotations`; did you mean \
                 `double-counted-annotations`"
            ),
            "{err}"
        );
        assert!(err.trim().ends_with("(`lab list` shows them all)"), "{err}");
    }
    let (_, err) = check(&["run", "no-such-scenario"], 2);
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn bad_arguments_get_one_clear_error() {
    let (_, err) = check(&["frobnicate"], 2);
    assert!(err.contains("unrecognized subcommand"), "{err}");
    let (_, err) = check(&["run"], 2);
    assert!(err.contains("required"), "{err}");
    let (_, err) = check(&["run", "--all"], 2);
    assert!(err.contains("--json"), "{err}");
    let (_, err) = check(
        &["bench", "double-counted-annotations", "--rows", "many"],
        2,
    );
    assert!(err.contains("invalid value"), "{err}");
    let (_, err) = check(&["bench", "double-counted-annotations", "--rows", "1"], 2);
    assert_eq!(
        err.trim(),
        "error: --rows (followers of the popular account) must be 10..=1000000"
    );
}
