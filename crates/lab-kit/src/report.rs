//! The serde `Report` each variant produces, and the transcript it carries.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What one variant of a scenario did: the verdict, the symptom in a user's words, the
/// evidence, and the ordered story. Deterministic by construction: no clocks, ports or
/// random ids go in unless a scenario injected or redacted them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The variant's name: `broken`, `fixed`, `fixed_<fix>`, ...
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

    /// Adds the chart the handout and `lab run` draw, as the observation `chart`.
    #[must_use]
    pub fn with_chart(self, chart: Chart) -> Self {
        self.observe("chart", chart)
    }

    /// The report's chart, if it has one.
    pub fn chart(&self) -> Option<Chart> {
        self.observations
            .get("chart")
            .and_then(|c| serde_json::from_value(c.clone()).ok())
    }

    /// Attaches the transcript.
    #[must_use]
    pub fn with_transcript(mut self, transcript: Transcript) -> Self {
        self.transcript = transcript.into_lines();
        self
    }
}

/// A bar chart of a few numbers a variant measured: the handout draws it as SVG and
/// `lab run` as text bars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    /// The unit every bar shares (`MiB`, `rows`), or empty.
    pub unit: String,
    pub bars: Vec<Bar>,
}

/// One bar of a [`Chart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    /// Whole numbers are written as JSON integers, so snapshots read `6`, not `6.0`.
    #[serde(serialize_with = "whole_as_integer")]
    pub value: f64,
}

impl Chart {
    /// A chart with no bars yet.
    pub fn new(title: impl Into<String>, unit: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            unit: unit.into(),
            bars: Vec::new(),
        }
    }

    /// Adds a bar.
    #[must_use]
    pub fn bar(mut self, label: impl Into<String>, value: impl Into<f64>) -> Self {
        self.bars.push(Bar {
            label: label.into(),
            value: value.into(),
        });
        self
    }
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference"
)]
fn whole_as_integer<S: serde::Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    // Integers up to 2^53 are exact in f64; anything else keeps its fraction.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "checked: a whole number within f64's exact range"
    )]
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        s.serialize_i64(*value as i64)
    } else {
        s.serialize_f64(*value)
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
