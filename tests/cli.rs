//! The built `lab` binary, end to end: every verb, and bad input.

use std::fs;
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
        // The closest id comes first; how many others follow depends on the catalogue.
        let err = err.trim();
        assert!(
            err.starts_with(
                "error: unknown scenario `double-counted-anotations`; did you mean \
                 `double-counted-annotations`"
            ),
            "{err}"
        );
        assert!(err.ends_with("? (`lab list` shows them all)"), "{err}");
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

#[test]
fn hints_go_from_gentle_to_direct() {
    let (first, _) = check(&["hint", "double-counted-annotations"], 0);
    assert!(first.starts_with("Hint 1 of 4"), "{first}");
    assert!(
        first.contains("lab hint double-counted-annotations 2"),
        "{first}"
    );
    let (last, _) = check(&["hint", "double-counted-annotations", "4"], 0);
    assert!(last.contains("distinct=True"), "{last}");
    let (_, err) = check(&["hint", "double-counted-annotations", "9"], 2);
    assert_eq!(
        err.trim(),
        "error: double-counted-annotations has hints 1 to 4; there is no hint 9"
    );
}

#[test]
fn show_rubric_prints_what_a_strong_answer_names() {
    let (out, _) = check(&["show", "double-counted-annotations", "--rubric"], 0);
    for section in [
        "## Mechanism",
        "## Fix",
        "## Trade-off",
        "## Catching it in review or CI",
    ] {
        assert!(out.contains(section), "{out}");
    }
}

#[test]
fn homework_refuses_a_non_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let out = dir.path().to_str().unwrap();
    let (_, err) = check(&["homework", "double-counted-annotations", "--out", out], 2);
    assert!(err.contains("exists and is not empty"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn grade_refuses_a_directory_that_is_no_exercise() {
    let dir = tempfile::tempdir().unwrap();
    let (_, err) = check(&["grade", dir.path().to_str().unwrap()], 2);
    assert!(err.contains("is not an exported exercise"), "{err}");
}

#[test]
fn report_writes_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("report.html");
    let hidden = dir.path().join("exercise.html");
    check(&["report", "--out", full.to_str().unwrap()], 0);
    check(
        &["report", "--out", hidden.to_str().unwrap(), "--no-fixes"],
        0,
    );
    let page = fs::read_to_string(&full).unwrap();
    let exercise = fs::read_to_string(&hidden).unwrap();
    for html in [&page, &exercise] {
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.trim_end().ends_with("</html>"));
        for external in ["http://", "https://", "<script", "<link", "src="] {
            assert!(!html.contains(external), "the page refers to `{external}`");
        }
        for tag in ["section", "article", "svg", "pre"] {
            assert_eq!(
                html.matches(&format!("<{tag}")).count(),
                html.matches(&format!("</{tag}>")).count(),
                "unbalanced <{tag}>"
            );
        }
        assert_eq!(
            html.matches("<section class=\"scenario\"").count(),
            pitfall_lab::REGISTRY.len()
        );
        for scenario in pitfall_lab::REGISTRY {
            assert!(html.contains(&format!("id=\"{}\"", scenario.id)));
        }
    }
    // The full page has both sides and a chart; the exercise page hides every fix.
    assert!(page.contains("class=\"variant fix\""));
    assert!(page.contains("COUNT(DISTINCT"));
    assert!(page.contains("<svg"));
    assert!(!exercise.contains("class=\"variant fix\""));
    assert!(!exercise.contains("COUNT(DISTINCT"));
    assert!(exercise.contains("Fix hidden for the exercise."));
}
