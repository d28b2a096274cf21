//! Deterministic property runs (feature `proptest`): a property's shrunk counterexample,
//! found with a fixed seed, so the same minimal input comes back on every run and can be
//! snapshotted beside the broken variant's report.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

/// Runs `property` on `cases` inputs drawn from `strategy` with a fixed seed (ChaCha, no
/// regression files written). `None` if the property held for every input; otherwise the
/// input proptest shrank the first failure to, and the property's reason.
///
/// # Panics
/// If the run aborts (the strategy rejected too many inputs): a bug in the test, not a
/// counterexample.
pub fn minimal_counterexample<S: Strategy>(
    strategy: &S,
    cases: u32,
    property: impl Fn(&S::Value) -> Result<(), String>,
) -> Option<(S::Value, String)> {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    match runner.run(strategy, |value| {
        property(&value).map_err(TestCaseError::fail)
    }) {
        Ok(()) => None,
        Err(TestError::Fail(reason, value)) => Some((value, reason.to_string())),
        Err(TestError::Abort(reason)) => panic!("the property run aborted: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_is_shrunk_to_its_smallest_input() {
        let found = minimal_counterexample(&(0..1000_u32), 256, |n| {
            if *n >= 10 {
                Err(format!("{n} is too big"))
            } else {
                Ok(())
            }
        });
        assert_eq!(found, Some((10, "10 is too big".to_owned())));
        assert_eq!(minimal_counterexample(&(0..10_u32), 64, |_| Ok(())), None);
    }
}
