//! The lab's own checks: snapshots and verdicts of both variants, broken's shrunk
//! counterexample of the property, and the half-fixes the property still catches.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use proptest::prelude::*;
use serde_json::json;
use xss_escaping::model::{Comment, NewComment, PageError, SEED};
use xss_escaping::property::{self, CASES, TEXT, page_is_inert_and_as_typed};
use xss_escaping::{SCENARIO, broken};

#[test]
fn broken_lets_the_attackers_comments_add_elements_and_event_handlers() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let injected = report.observations["injected"].to_string();
    assert!(injected.contains("<script>"), "{injected}");
    assert!(injected.contains("onerror"), "{injected}");
    assert!(injected.contains("onmouseover"), "{injected}");
    // A legitimate name breaks out of the unquoted attribute too.
    assert!(injected.contains("o'neil"), "{injected}");
    assert_eq!(report.observations["json_block_matches"], false);
    assert_eq!(report.observations["comments_shown_as_typed"], 1);
}

#[test]
fn fixed_shows_every_payload_as_text_and_keeps_the_json_intact() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    assert_eq!(report.observations["injected"], json!([]));
    assert_eq!(report.observations["event_handlers"], json!([]));
    assert_eq!(report.observations["comments_shown_as_typed"], SEED.len());
    assert_eq!(report.observations["json_block_matches"], true);
}

/// The comments `tests/properties.rs` generates.
fn posts() -> impl Strategy<Value = Vec<NewComment>> {
    proptest::collection::vec((TEXT, TEXT), 1..5).prop_map(property::posts)
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (posts, failure) = lab_kit::property::minimal_counterexample(&posts(), CASES, |posts| {
        page_is_inert_and_as_typed(broken::render_page, posts)
    })
    .expect("the broken page must fail");
    assert_eq!(posts.len(), 1, "{posts:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"comments": posts, "failure": failure})
    );
}

/// The fixed page's template with one line changed: what each half-fix looks like.
const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Comments</title>
</head>
<body>
<h1>Comments</h1>
<ol class="comments">
{% for comment in comments %}
<li class="comment" data-author="{{ comment.author }}">
<cite>{{ comment.author }}</cite>
<p class="body">{{ comment.body }}</p>
</li>
{% endfor %}
</ol>
{{ comments|json_script("comment-data") }}
</body>
</html>
"#;

/// Renders `template` named `name` (the name decides minijinja's auto-escaping), with a
/// `json` filter (serde_json's text, not marked safe) and Django's `json_script`.
fn render(name: &str, template: &str, comments: &[Comment]) -> Result<String, PageError> {
    let mut env = Environment::new();
    env.add_template(name, template)?;
    env.add_filter("json", |v: &Value| {
        serde_json::to_string(v).unwrap_or_default()
    });
    env.add_filter("json_script", |v: &Value, id: &str| {
        let json = serde_json::to_string(v).unwrap_or_default();
        let json = json
            .replace('<', "\\u003C")
            .replace('>', "\\u003E")
            .replace('&', "\\u0026");
        Value::from_safe_string(format!(
            "<script id=\"{id}\" type=\"application/json\">{json}</script>"
        ))
    });
    Ok(env
        .get_template(name)?
        .render(context! { comments => Value::from(Serde(comments)) })?)
}

/// A half-fix: the fixed template with `from` replaced by `to`, under `name`.
macro_rules! half_fix {
    ($name:literal, $from:literal, $to:literal) => {
        |comments: &[Comment]| render($name, &PAGE.replace($from, $to), comments)
    };
}

#[test]
fn half_fixes_still_fail_the_property_on_the_seeded_payloads() {
    let posts: Vec<NewComment> = SEED.iter().map(|post| post.new_comment()).collect();
    let cases: [(&str, xss_escaping::model::PageFn); 6] = [
        ("the fixed template", half_fix!("comments.html", "", "")),
        (
            "named without .html: minijinja escapes nothing",
            half_fix!("comments", "", ""),
        ),
        (
            "the body marked |safe (to allow <b> in comments)",
            half_fix!(
                "comments.html",
                "{{ comment.body }}",
                "{{ comment.body|safe }}"
            ),
        ),
        (
            "escaped, but the attribute value unquoted",
            half_fix!(
                "comments.html",
                "\"{{ comment.author }}\"",
                "{{ comment.author }}"
            ),
        ),
        (
            "JSON HTML-escaped inside the script element",
            half_fix!(
                "comments.html",
                "{{ comments|json_script(\"comment-data\") }}",
                "<script id=\"comment-data\" type=\"application/json\">{{ comments|json }}</script>"
            ),
        ),
        (
            "JSON marked |safe inside the script element",
            half_fix!(
                "comments.html",
                "{{ comments|json_script(\"comment-data\") }}",
                "<script id=\"comment-data\" type=\"application/json\">{{ comments|json|safe }}</script>"
            ),
        ),
    ];
    let verdicts: Vec<_> = cases
        .iter()
        .map(|(what, page)| {
            let verdict = page_is_inert_and_as_typed(*page, &posts).err();
            json!({"page": what, "property": verdict.unwrap_or_else(|| "holds".into())})
        })
        .collect();
    assert_eq!(verdicts[0]["property"], "holds");
    assert!(
        verdicts[1..].iter().all(|v| v["property"] != "holds"),
        "{verdicts:#?}"
    );
    insta::assert_yaml_snapshot!("half_fixes", verdicts);
}
