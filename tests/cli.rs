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
    checked(&lab(args), args, code)
}

/// [`check`] with `COLUMNS` set, as a terminal of that width would; stdout only.
#[track_caller]
fn check_at(args: &[&str], columns: usize, code: i32) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(args)
        .env_remove("LAB_POSTGRES_URL")
        .env("COLUMNS", columns.to_string())
        .output()
        .expect("the lab binary runs");
    checked(&output, args, code).0
}

#[track_caller]
fn checked(output: &Output, args: &[&str], code: i32) -> (String, String) {
    let (out, err) = (stdout(output), stderr(output));
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

// Each full tour or `run --all` costs seconds of CPU (every scenario, for real), so each
// output below is produced once and checked for everything it must show.

#[test]
fn no_arguments_runs_the_tour_and_it_fits_100_columns() {
    let out = check_at(&[], 100, 0);
    assert!(out.contains("double-counted-annotations"), "{out}");
    assert!(out.contains("observed 1/1"), "{out}");
    assert!(out.contains("hold 2/2"), "{out}");
    fits(&out, 100, "lab");
    insta::assert_snapshot!("tour_at_100_columns", out);
}

#[test]
fn the_tour_verb_at_60_columns_wraps_and_has_a_row_per_scenario() {
    let out = check_at(&["tour"], 60, 0);
    fits(&out, 60, "lab tour");
    // Ids are cut to fit the narrow table; every scenario still has its verdict row.
    let rows = out.lines().filter(|l| l.contains("  observed ")).count();
    assert_eq!(rows, pitfall_lab::REGISTRY.len(), "{out}");
}

#[test]
fn list_shows_the_catalogue() {
    let (out, _) = check(&["list"], 0);
    assert!(out.contains("double-counted-annotations"), "{out}");
    assert!(out.contains("intermediate"), "{out}");
}

#[test]
fn show_renders_the_readme_and_raw_prints_the_markdown() {
    let (out, _) = check(&["show", "double-counted-annotations"], 0);
    assert!(out.contains("The fix\n-------"), "{out}");
    assert!(!out.contains("## The fix"), "{out}");
    let (raw, _) = check(&["show", "double-counted-annotations", "--raw"], 0);
    assert!(raw.contains("## The fix"), "{raw}");
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
        let role = if v["name"] == "broken" {
            "broken"
        } else {
            "fix"
        };
        assert_eq!(v["role"], role, "{v}");
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
        assert!(
            err.ends_with("? (`cargo run -- list` shows them all)"),
            "{err}"
        );
    }
    // An id like no scenario gets no suggestion rather than an unrelated one.
    for id in ["no-such-scenario", "nope"] {
        let (_, err) = check(&["show", id], 2);
        assert_eq!(
            err.trim(),
            format!("error: unknown scenario `{id}` (`cargo run -- list` shows them all)")
        );
    }
}

#[test]
fn bad_arguments_get_one_clear_error() {
    let (_, err) = check(&["frobnicate"], 2);
    assert!(err.contains("unrecognized subcommand"), "{err}");
    let (_, err) = check(&["run"], 2);
    assert!(err.contains("required"), "{err}");
    let (_, err) = check(
        &["bench", "double-counted-annotations", "--rows", "many"],
        2,
    );
    assert!(err.contains("invalid value"), "{err}");
    let (out, err) = check(&["bench", "double-counted-annotations", "--rows", "1"], 2);
    assert_eq!(
        err.trim(),
        "error: --rows (followers of the popular account) must be 10..=1000000"
    );
    assert!(
        out.is_empty(),
        "bad input printed a table header first: {out}"
    );
}

#[test]
fn hints_go_from_gentle_to_direct() {
    let (first, _) = check(&["hint", "double-counted-annotations"], 0);
    assert!(first.starts_with("Hint 1 of 4"), "{first}");
    assert!(
        first.contains("cargo run -- hint double-counted-annotations 2"),
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
        "Mechanism",
        "Fix",
        "Trade-off",
        "Catching it in review or CI",
    ] {
        assert!(
            out.contains(&format!("{section}\n{}", "-".repeat(section.len()))),
            "{out}"
        );
    }
}

#[test]
fn homework_refuses_a_non_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let out = dir.path().to_str().unwrap();
    let (_, err) = check(&["homework", "double-counted-annotations", "--out", out], 2);
    assert!(
        err.contains("is not empty; choose a new directory"),
        "{err}"
    );
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

/// The page as a browser parses it loads nothing: no script, stylesheet, image, frame or
/// media element, no `src`, no link but to an anchor of its own, no `url(` or `@import`
/// in its CSS. (A transcript that shows an attack's `<img src=x onerror=...>` holds it as
/// escaped text, which the parser keeps as text.)
fn nothing_is_loaded(html: &str) {
    let doc = scraper::Html::parse_document(html);
    let loads = [
        "script", "link", "img", "iframe", "frame", "object", "embed", "audio", "video", "source",
        "base",
    ];
    for node in doc.root_element().descendants() {
        let Some(element) = scraper::ElementRef::wrap(node) else {
            continue;
        };
        let name = element.value().name();
        assert!(!loads.contains(&name), "the page has a <{name}> element");
        for (attr, value) in element.value().attrs() {
            assert!(attr != "src", "<{name}> has src={value:?}");
            assert!(
                attr != "href" || value.starts_with('#'),
                "<{name}> links to {value:?}"
            );
            assert!(
                !attr.starts_with("on"),
                "<{name}> has an event handler {attr}"
            );
            assert!(!value.contains("url("), "<{name} {attr}> loads {value:?}");
        }
        if name == "style" {
            let css: String = element.text().collect();
            assert!(!css.contains("url(") && !css.contains("@import"), "{css}");
        }
    }
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
        nothing_is_loaded(html);
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
    // No fix is named: hidden cards say "fix 1", "fix 2", ...
    for scenario in pitfall_lab::REGISTRY {
        let named = |v: &&lab_kit::Variant| v.role == lab_kit::Role::Fix && v.name != "fixed";
        for variant in scenario.variants.iter().filter(named) {
            assert!(
                !exercise.contains(variant.name),
                "the exercise page names the fix `{}`",
                variant.name
            );
        }
    }
}

#[test]
fn homework_refuses_a_file_with_a_message_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("exercise");
    fs::write(&file, "").unwrap();
    let (_, err) = check(
        &[
            "homework",
            "double-counted-annotations",
            "--out",
            file.to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("is a file; choose a new directory"), "{err}");
}

#[test]
fn report_keeps_an_existing_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    fs::write(&file, "mine").unwrap();
    let path = file.to_str().unwrap();
    let (_, err) = check(&["report", "--out", path], 2);
    assert!(
        err.contains("exists; choose another name or pass --force"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
    check(&["report", "--out", path, "--force"], 0);
    assert!(
        fs::read_to_string(&file)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

#[test]
fn grade_refuses_a_manifest_for_another_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exercise");
    let out_str = out.to_str().unwrap();
    check(
        &["homework", "double-counted-annotations", "--out", out_str],
        0,
    );
    let manifest = out.join(".lab-homework");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace(
            "\"scenario\": \"double-counted-annotations\"",
            "\"scenario\": \"row-locking\"",
        ),
    )
    .unwrap();
    let (_, err) = check(&["grade", out_str], 2);
    assert!(
        err.contains("names the scenario row-locking, but") && err.contains("has no row-locking/"),
        "{err}"
    );
}

#[test]
fn run_all_without_json_prints_every_scenario_for_people_at_100_columns() {
    let out = check_at(&["run", "--all"], 100, 0);
    // Every scenario's run at the width the lab is read at.
    fits(&out, 100, "lab run --all");
    for scenario in pitfall_lab::REGISTRY {
        assert!(
            out.contains(&format!("{}: {}", scenario.id, scenario.title)),
            "{out}"
        );
    }
    assert!(
        !out.contains("\"pitfall_observed\""),
        "human output has no JSON: {out}"
    );
}

#[test]
fn run_shows_observations_as_key_value_lines_not_json() {
    let (out, _) = check(&["run", "double-counted-annotations"], 0);
    assert!(
        out.lines()
            .any(|l| l.starts_with("  wrong_users:") && l.trim_end().ends_with(" ada, bob")),
        "{out}"
    );
    assert!(
        out.contains("chart: ada: counts returned beside the truth"),
        "{out}"
    );
    assert!(!out.contains('{'), "a JSON dump: {out}");
}

/// Every line of `out` fits `columns`, with no colour codes (stdout is a pipe).
#[track_caller]
fn fits(out: &str, columns: usize, command: &str) {
    for line in out.lines() {
        assert!(
            line.chars().count() <= columns,
            "`{command}` at {columns} columns: {} columns:\n{line}",
            line.chars().count()
        );
        assert!(!line.contains('\u{1b}'), "colour in a pipe: {line}");
    }
}

#[test]
fn every_human_output_fits_the_terminal_and_json_is_untouched() {
    // The tour and every scenario's run are checked at 100 columns by the tests that
    // produce them (once each: they cost seconds); here the catalogue and every README,
    // and at 60 columns, where the wrapping is the same code, two runs.
    for columns in [100, 60] {
        let mut commands: Vec<Vec<&str>> = vec![vec!["list"]];
        for scenario in pitfall_lab::REGISTRY {
            if columns == 60 && ["double-counted-annotations", "row-locking"].contains(&scenario.id)
            {
                commands.push(vec!["run", scenario.id]);
            }
            commands.push(vec!["show", scenario.id]);
        }
        for args in commands {
            fits(
                &check_at(&args, columns, 0),
                columns,
                &format!("lab {}", args.join(" ")),
            );
        }
    }
    let json = check_at(&["run", "row-locking", "--json"], 60, 0);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert!(
        json.lines().any(|l| l.chars().count() > 60),
        "the JSON was wrapped"
    );
    assert_eq!(value["id"], "row-locking");
}

#[test]
fn the_catalogue_at_100_columns() {
    insta::assert_snapshot!("list_at_100_columns", check_at(&["list"], 100, 0));
}

#[test]
fn a_dead_postgresql_fails_only_its_variants_and_the_tour_goes_on() {
    let output = Command::new(env!("CARGO_BIN_EXE_lab"))
        .env("LAB_POSTGRES_URL", "postgres://x@127.0.0.1:1/lab")
        .env("COLUMNS", "100")
        .output()
        .expect("the lab binary runs");
    let out = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{out}");
    for scenario in pitfall_lab::REGISTRY {
        let needs_pg = scenario
            .variants
            .iter()
            .any(|v| v.needs.contains(&lab_kit::Need::Postgres));
        let row = out
            .lines()
            .find(|l| l.starts_with(scenario.id))
            .unwrap_or_else(|| panic!("no verdict row for {}: {out}", scenario.id));
        assert_eq!(row.contains("ERROR"), needs_pg, "{row}");
    }
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("LAB_POSTGRES_URL names a PostgreSQL server that cannot be used"),
        "{out}"
    );
    let json = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(["run", "--all", "--json"])
        .env("LAB_POSTGRES_URL", "garbage")
        .output()
        .expect("the lab binary runs");
    let runs: Vec<serde_json::Value> =
        serde_json::from_slice(&json.stdout).expect("every run, as JSON");
    assert_eq!(runs.len(), pitfall_lab::REGISTRY.len());
    let errors: Vec<&str> = runs
        .iter()
        .flat_map(|r| r["variants"].as_array().unwrap())
        .filter_map(|v| v["error"].as_str())
        .collect();
    assert!(
        !errors.is_empty() && errors.iter().all(|e| e.contains("LAB_POSTGRES_URL")),
        "{errors:?}"
    );
}
