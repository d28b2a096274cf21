//! Running what the grading built: the test executables cargo reports, the compiler's
//! errors, and a child process waited for under a time limit.

use std::io::Read;
use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

use super::sandbox::TEST_TARGETS;

/// The grading test executables cargo built, by target name.
pub(super) fn executables(json_lines: &str) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for line in json_lines.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(exe), Some(name)) = (msg["executable"].as_str(), msg["target"]["name"].as_str())
        else {
            continue;
        };
        if TEST_TARGETS.contains(&name) {
            found.push((name.to_owned(), PathBuf::from(exe)));
        }
    }
    found.sort();
    found
}

/// The compiler's errors, rendered, from cargo's JSON messages (or its stderr).
pub(super) fn build_errors(json_lines: &str, stderr: &[u8]) -> String {
    let mut errors = Vec::new();
    for line in json_lines.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_error = msg["reason"] == "compiler-message" && msg["message"]["level"] == "error";
        if let Some(text) = msg["message"]["rendered"].as_str().filter(|_| is_error) {
            errors.push(text.trim_end().to_owned());
        }
    }
    if errors.is_empty() {
        let stderr = String::from_utf8_lossy(stderr);
        errors.extend(
            stderr
                .lines()
                .filter(|l| l.starts_with("error"))
                .map(str::to_owned),
        );
    }
    errors.truncate(10);
    errors.join("\n")
}

/// Waits for `child` until `limit`, killing it then; its stdout, and whether it was
/// killed. The poll only notices the end sooner; it orders nothing.
pub(super) fn wait_with_limit(mut child: Child, limit: Duration) -> anyhow::Result<(String, bool)> {
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Read both pipes on threads so a chatty test cannot block on a full pipe.
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stderr.read_to_end(&mut sink);
    });
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            timed_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait()?;
    let text = out.join().unwrap_or_default();
    let _ = err.join();
    Ok((text, timed_out))
}
