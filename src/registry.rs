//! The scenario registry and how an id is looked up (with suggestions for a typo).

use std::fmt;

use lab_kit::Scenario;

/// Every scenario of the lab, in catalogue order. The tidy test checks that this list and
/// the directories under `scenarios/` agree; `lab new` adds a line here.
pub static REGISTRY: &[&Scenario] = &[
    &double_counted_annotations::SCENARIO,
    &stale_update_fields::SCENARIO,
    &migration_rebase_conflict::SCENARIO,
    &streaming_large_csv::SCENARIO,
    &row_locking::SCENARIO,
    &job_queue_skip_locked::SCENARIO,
    &csv_formula_injection::SCENARIO,
    &n_plus_one::SCENARIO,
    &slow_admin_list::SCENARIO,
    &chained_filters_multivalued::SCENARIO,
    &f_expression_race::SCENARIO,
    &signal_recursion::SCENARIO,
    &atomic_setattr::SCENARIO,
    &task_stale_instance::SCENARIO,
    &backup_consistency::SCENARIO,
    &email_on_commit::SCENARIO,
    &nightly_slowdown::SCENARIO,
    &atomic_requests::SCENARIO,
    &streaming_large_json::SCENARIO,
    &nullable_charfield::SCENARIO,
    &symmetrical_following::SCENARIO,
    &db_level_validation::SCENARIO,
    &xss_escaping::SCENARIO,
    &sql_injection::SCENARIO,
    &soft_deletion::SCENARIO,
    &debug_error_page::SCENARIO,
    &csrf_forgery::SCENARIO,
    &unique_field_backfill::SCENARIO,
    &signed_tokens::SCENARIO,
    &generic_relations::SCENARIO,
    &jwt_revocation::SCENARIO,
];

/// An id that names no scenario; the message suggests the closest ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScenario {
    pub id: String,
    pub suggestions: Vec<&'static str>,
}

impl fmt::Display for UnknownScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown scenario `{}`", self.id)?;
        if !self.suggestions.is_empty() {
            let names: Vec<String> = self.suggestions.iter().map(|s| format!("`{s}`")).collect();
            write!(f, "; did you mean {}?", names.join(" or "))?;
        }
        write!(f, " (`cargo run -- list` shows them all)")
    }
}

impl std::error::Error for UnknownScenario {}

/// The scenario called `id` in `scenarios`, or an error naming the (up to three) ids that
/// resemble it (half the characters right, or one sharing a word with it). No suggestion
/// at all beats an unrelated one.
pub fn find_in(
    scenarios: &[&'static Scenario],
    id: &str,
) -> Result<&'static Scenario, UnknownScenario> {
    if let Some(scenario) = scenarios.iter().find(|s| s.id == id) {
        return Ok(scenario);
    }
    let words: Vec<&str> = id.split('-').filter(|w| w.len() > 2).collect();
    let mut scored: Vec<(f64, &'static str)> = scenarios
        .iter()
        .map(|s| (strsim::normalized_damerau_levenshtein(id, s.id), s.id))
        .filter(|(score, sid)| {
            *score >= 0.5 || words.iter().any(|w| sid.split('-').any(|p| p == *w))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    Err(UnknownScenario {
        id: id.to_owned(),
        suggestions: scored.into_iter().take(3).map(|(_, s)| s).collect(),
    })
}

/// The scenario called `id` in the [`REGISTRY`].
pub fn find(id: &str) -> Result<&'static Scenario, UnknownScenario> {
    find_in(REGISTRY, id)
}
