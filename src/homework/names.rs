//! The names an export uses instead of the lab's: a fix module `src/fixed/<m>.rs` becomes
//! `src/fixed/fix_<k>.rs` and its variants `fixed_<m>...` become `fix_<k>...`, numbered in
//! the order the descriptor lists them, so no file, test or report names a technique.

use lab_kit::{Role, Scenario};

/// The lab's fix modules and variants, and their neutral names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// `(lab module, neutral module)`, e.g. `("distinct", "fix_1")`; empty when the
    /// scenario has a single `src/fixed.rs`.
    pub modules: Vec<(String, String)>,
    /// `(lab variant, neutral variant)` for every fix variant.
    pub variants: Vec<(String, String)>,
}

impl Names {
    /// The neutral names for `scenario`. A single fix module keeps the neutral `fixed`.
    pub fn of(scenario: &Scenario) -> Self {
        let mut modules: Vec<(String, String)> = Vec::new();
        let mut variants = Vec::new();
        for variant in scenario.variants.iter().filter(|v| v.role == Role::Fix) {
            let Some(rest) = variant.name.strip_prefix("fixed_") else {
                variants.push((variant.name.to_owned(), variant.name.to_owned()));
                continue;
            };
            // The module is the longest known prefix, else the part before a backend
            // suffix (`conditional_update` of `fixed_conditional_update_sqlite`).
            let module = module_of(rest);
            let neutral = match modules.iter().find(|(m, _)| *m == module) {
                Some((_, n)) => n.clone(),
                None => {
                    let n = format!("fix_{}", modules.len() + 1);
                    modules.push((module.clone(), n.clone()));
                    n
                }
            };
            let suffix = &rest[module.len()..];
            variants.push((variant.name.to_owned(), format!("{neutral}{suffix}")));
        }
        Self { modules, variants }
    }

    /// `text` with every lab fix name replaced by its neutral one (longest names first,
    /// so `fixed_distinct` is never half-replaced by a shorter name).
    pub fn apply(&self, text: &str) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (lab, neutral) in &self.variants {
            pairs.push((lab.clone(), neutral.clone()));
        }
        for (lab, neutral) in &self.modules {
            pairs.push((format!("fixed::{lab}"), format!("fixed::{neutral}")));
            pairs.push((format!("fixed_{lab}"), neutral.clone()));
            pairs.push((format!("fixed/{lab}.rs"), format!("fixed/{neutral}.rs")));
            pairs.push((format!("pub mod {lab};"), format!("pub mod {neutral};")));
            pairs.push((format!("mod {lab};"), format!("mod {neutral};")));
        }
        pairs.sort_by_key(|(lab, _)| std::cmp::Reverse(lab.len()));
        let mut out = text.to_owned();
        for (lab, neutral) in pairs {
            out = out.replace(&lab, &neutral);
        }
        // A module named inside a grouped import (`use crate::fixed::{a, b};`) or as a
        // path (`a::PURCHASE`), whole words only.
        for (lab, neutral) in &self.modules {
            out = out
                .lines()
                .map(|line| {
                    let is_use = line.trim_start().starts_with("use ")
                        || line.trim_start().starts_with("pub use ");
                    replace_word(line, lab, neutral, is_use)
                })
                .collect::<Vec<_>>()
                .join("\n");
            if text.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    /// The neutral module for a lab module.
    pub fn module(&self, lab: &str) -> Option<&str> {
        self.modules
            .iter()
            .find(|(m, _)| m == lab)
            .map(|(_, n)| n.as_str())
    }
}

/// `line` with each whole-word `word` replaced by `by` where it is followed by `::`, or
/// anywhere when `everywhere` (an import line).
fn replace_word(line: &str, word: &str, by: &str, everywhere: bool) -> String {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + word.len()..];
        let whole = !before.is_some_and(is_ident) && !after.chars().next().is_some_and(is_ident);
        out.push_str(&rest[..at]);
        if whole && (everywhere || after.starts_with("::")) {
            out.push_str(by);
        } else {
            out.push_str(word);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Backend suffixes a variant name may carry after its module.
const SUFFIXES: [&str; 2] = ["_sqlite", "_postgres"];

fn module_of(rest: &str) -> String {
    SUFFIXES
        .iter()
        .find_map(|s| rest.strip_suffix(s))
        .unwrap_or(rest)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::module_of;

    #[test]
    fn modules_are_renamed_in_paths_and_imports_only() {
        assert_eq!(
            super::replace_word("use crate::fixed::{claim, skip};", "skip", "fix_2", true),
            "use crate::fixed::{claim, fix_2};"
        );
        assert_eq!(
            super::replace_word("skip::RUN; skipper; skip it", "skip", "fix_2", false),
            "fix_2::RUN; skipper; skip it"
        );
    }

    #[test]
    fn a_backend_suffix_is_not_part_of_the_module() {
        assert_eq!(module_of("conditional_update_sqlite"), "conditional_update");
        assert_eq!(module_of("for_update"), "for_update");
    }
}
