//! The serde `Report` each variant produces, and the transcript it carries.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What one variant of a scenario did: the verdict, the symptom in a user's words, the
/// evidence, and the ordered story. Deterministic by construction: no clocks, ports or
/// random ids go in unless a scenario injected or redacted them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The variant's name: `broken`, `fixed`, `fixed_distinct`, ...
    pub name: String,
    /// Whether the pitfall showed up in what the real SQL or HTTP returned.
    pub pitfall_observed: bool,
    /// One line a user would say about what they saw.
    pub symptom: String,
    /// The numbers, rows and bodies that prove the verdict, by name.
    pub observations: Map<String, Value>,
    /// The ordered story: statements, requests, responses, who waited.
    pub transcript: Vec<String>,
}

impl Report {
    /// A report with a verdict and a symptom, no evidence yet.
    pub fn new(name: &str, pitfall_observed: bool, symptom: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            pitfall_observed,
            symptom: symptom.into(),
            observations: Map::new(),
            transcript: Vec::new(),
        }
    }

    /// Adds one named piece of evidence.
    ///
    /// # Panics
    /// If `value` cannot be represented as JSON (a map with non-string keys, say): that is
    /// a bug in the scenario, not a runtime condition.
    #[must_use]
    pub fn observe(mut self, key: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("observations are plain JSON values");
        self.observations.insert(key.to_owned(), value);
        self
    }

    /// Attaches the transcript.
    #[must_use]
    pub fn with_transcript(mut self, transcript: Transcript) -> Self {
        self.transcript = transcript.into_lines();
        self
    }
}

/// An ordered list of `actor: text` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    lines: Vec<String>,
}

impl Transcript {
    /// An empty transcript.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records what `actor` (a session, the client, the server, the app) did or got.
    pub fn push(&mut self, actor: &str, text: impl AsRef<str>) {
        self.lines
            .push(format!("{actor}: {}", one_line(text.as_ref())));
    }

    /// Appends every line of `other`.
    pub fn extend(&mut self, other: Transcript) {
        self.lines.extend(other.lines);
    }

    /// The lines recorded so far.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The lines, for a `Report`.
    pub fn into_lines(self) -> Vec<String> {
        self.lines
    }
}

/// Collapses runs of whitespace (SQL is written over several lines) into single spaces so
/// every transcript entry is one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_lines_are_single_lines() {
        let mut t = Transcript::new();
        t.push("s1", "SELECT 1\n   FROM   t");
        assert_eq!(t.lines(), ["s1: SELECT 1 FROM t"]);
    }

    #[test]
    fn observations_keep_their_names() {
        let r = Report::new("broken", true, "wrong").observe("n", 3);
        assert_eq!(r.observations["n"], 3);
    }
}
