//! The export's last check: an exercise that names or explains its answer is refused.
//! It looks for the lab's markers, the fix modules' and variants' lab names, the words a
//! fix's `// FIX:` lines add to the broken code, and the rubric's key terms (those two in
//! the scenario's files and the task only: lab-kit's own vocabulary answers nothing).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use lab_kit::Scenario;

use super::manifest::tree;
use super::names::Names;
use crate::repo_root;

/// Words too common to count as part of an answer, even when only a fix uses them.
const COMMON: &[&str] = &[
    "match",
    "while",
    "break",
    "const",
    "where",
    "crate",
    "super",
    "return",
    "static",
    "usize",
    "string",
    "format",
    "clone",
    "unwrap",
    "expect",
    "other",
    "before",
    "because",
    "whatever",
    "another",
    "always",
    "should",
    "instead",
    "second",
    "without",
    "itself",
    "nothing",
    "therefore",
    "either",
    "rather",
    "through",
    "returns",
    "written",
    "reader",
    "writes",
    "answer",
    "happens",
    "variant",
    "customer",
];

/// Every `path:line: term` of the exercise in `dir` that gives the answer away.
pub fn find_answer_leaks(scenario: &Scenario, dir: &Path) -> anyhow::Result<Vec<String>> {
    let terms = answer_terms(scenario)?;
    let mut leaks = Vec::new();
    for rel in tree(dir)? {
        if rel == "Cargo.lock" {
            continue;
        }
        let Ok(text) = fs::read_to_string(dir.join(&rel)) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            for marker in ["PITFALL:", "FIX:"] {
                if line.contains(marker) {
                    leaks.push(format!("{rel}:{}: `{marker}`", n + 1));
                }
            }
            // The scenario's own id (`job-queue-skip-locked`) may name its theme.
            let lower = line
                .to_lowercase()
                .replace(scenario.id, "")
                .replace(&scenario.id.replace('-', "_"), "");
            let scenario_file = !rel.starts_with("lab-kit/");
            let fix_words = terms.in_the_scenario.iter().filter(|_| scenario_file);
            for term in terms.everywhere.iter().chain(fix_words) {
                if lower.contains(term.as_str()) {
                    leaks.push(format!("{rel}:{}: `{term}`", n + 1));
                }
            }
        }
    }
    Ok(leaks)
}

/// The lower-case terms an exercise of `scenario` must not contain.
pub(super) fn answer_terms(scenario: &Scenario) -> anyhow::Result<Terms> {
    let lab = repo_root().join("scenarios").join(scenario.id);
    let names = Names::of(scenario);
    let mut terms = BTreeSet::new();
    for (lab_name, neutral) in &names.variants {
        if lab_name != neutral {
            terms.insert(lab_name.to_lowercase());
        }
    }
    for (module, _) in &names.modules {
        terms.insert(module.to_lowercase());
        terms.insert(module.replace('_', " ").to_lowercase());
    }
    let mut fix_words = fix_words(&lab, scenario.question)?;
    let mut key_terms = BTreeSet::new();
    let rubric = fs::read_to_string(lab.join("RUBRIC.md")).unwrap_or_default();
    // Words the exercise's own tools name (Django's commands in a migration engine, say):
    // an author lists them after `Not secret:`, and they are not held against the export.
    let open: BTreeSet<String> = rubric
        .lines()
        .filter_map(|l| l.strip_prefix("Not secret:"))
        .flat_map(|list| list.split(','))
        .map(|t| t.trim().trim_end_matches('.').to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    for line in rubric.lines() {
        if let Some(list) = line.strip_prefix("Key terms:") {
            key_terms.extend(
                list.split(',')
                    .map(|t| t.trim().trim_end_matches('.').to_lowercase())
                    .filter(|t| !t.is_empty()),
            );
        }
    }
    // The question is handed out, so what it names is no secret.
    let question = scenario.question.to_lowercase();
    terms.retain(|t| !open.contains(t) && !question.contains(t.as_str()));
    fix_words.retain(|t| !open.contains(t) && !question.contains(t.as_str()));
    key_terms.retain(|t| !open.contains(t) && !question.contains(t.as_str()));
    fix_words.extend(key_terms);
    Ok(Terms {
        everywhere: terms,
        in_the_scenario: fix_words,
    })
}

/// What an exercise must not contain: the lab's names of its fixes anywhere, and the
/// rubric's key terms and the words a fix adds in the scenario's own files and the task
/// (lab-kit is shared plumbing with its own vocabulary: a word of it answers nothing).
pub(super) struct Terms {
    everywhere: BTreeSet<String>,
    in_the_scenario: BTreeSet<String>,
}

/// The identifiers and SQL words of the code each `// FIX:` comment marks (the line
/// after the comment) that neither the broken code, the shared model nor the question
/// uses: what a fix adds, in its own terms. (A word counts as used when a used word
/// starts with its first five letters, so `relation` is not new beside `relations`.)
fn fix_words(lab: &Path, question: &str) -> anyhow::Result<BTreeSet<String>> {
    let mut known = fs::read_to_string(lab.join("src/broken.rs"))?.to_lowercase();
    known.push_str(
        &fs::read_to_string(lab.join("src/model.rs"))
            .unwrap_or_default()
            .to_lowercase(),
    );
    known.push_str(&question.to_lowercase());
    let stem = |w: &str| w.chars().take(5).collect::<String>();
    let stems: BTreeSet<String> = known
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 5)
        .map(stem)
        .collect();
    let mut sources = Vec::new();
    if lab.join("src/fixed").is_dir() {
        for rel in tree(&lab.join("src/fixed"))? {
            sources.push(fs::read_to_string(lab.join("src/fixed").join(rel))?);
        }
    }
    if let Ok(text) = fs::read_to_string(lab.join("src/fixed.rs")) {
        sources.push(text);
    }
    let mut words = BTreeSet::new();
    for source in &sources {
        let lines: Vec<&str> = source.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("// FIX:") {
                continue;
            }
            let Some(code) = lines[i..]
                .iter()
                .find(|l| !l.trim_start().starts_with("//"))
            else {
                continue;
            };
            // Identifiers split at `_` too: `for_update` gives `update`, a plain word.
            for word in code
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_ascii_alphabetic()))
            {
                let word = word.to_lowercase();
                if !stems.contains(&stem(&word)) && !COMMON.contains(&word.as_str()) {
                    words.insert(word);
                }
            }
        }
    }
    Ok(words)
}
