//! Grading runs a stranger's code: hostile fix modules against the sandbox. Each one keeps
//! broken.rs's API and does something a candidate must not be able to do from `lab
//! grade`; the grade must contain it, and the scorecard must say what stopped it. They
//! build an exercise, so they are ignored in a plain `cargo test` and CI runs them; they
//! need bubblewrap (CI installs it) and say so when it is missing.

use std::fs;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use pitfall_lab::homework::{self, GradeOptions, Sandbox, Scorecard};

const ID: &str = "double-counted-annotations";

/// Says what a long test is doing, past libtest's capture.
fn progress(text: &str) {
    let _ = writeln!(std::io::stderr(), "[sandbox] {text}");
}

/// The exercise with `body` run at the start of the first fix's `follow_counts` (the
/// rest of the module is broken.rs as exported), graded; the scorecard.
fn grade_with(body: &str, extra_files: &[(&str, &str)]) -> (Scorecard, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("exercise");
    let scenario = pitfall_lab::find(ID).expect("registered");
    let manifest = homework::export(scenario, &out, 0).expect("the export succeeds");
    let fix = out.join(&manifest.yours[0]);
    let starter = fs::read_to_string(&fix).expect("a starter");
    let marker = "-> rusqlite::Result<Vec<UserCounts>> {\n";
    assert!(
        starter.contains(marker),
        "the starter changed shape:\n{starter}"
    );
    let hostile = starter.replacen(marker, &format!("{marker}    {body}\n"), 1);
    fs::write(&fix, hostile).expect("writable");
    for (rel, text) in extra_files {
        fs::write(out.join(rel), text).expect("writable");
    }
    let options = GradeOptions {
        work_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/homework-check")),
        require_sandbox: true,
        time_limit: Duration::from_secs(30),
        // The round trip's target dir (tests/homework.rs): its dependencies are built.
        target_dir: None,
    };
    let card = homework::grade(&out, &options).expect("grading runs");
    progress(&format!("scorecard:\n{}", card.render()));
    (card, dir)
}

#[test]
#[ignore = "builds an exported exercise under bubblewrap (minutes); CI runs it with --include-ignored"]
fn hostile_fixes_are_contained_and_named() {
    assert!(
        matches!(Sandbox::detect(), Sandbox::Bwrap),
        "no sandbox here: {} (Debian: apt install bubblewrap)",
        Sandbox::detect().describe()
    );

    progress("a fix that connects to a port the host opened on 127.0.0.1");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a host port");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("bound").port();
    let body = format!(
        "std::net::TcpStream::connect((\"127.0.0.1\", {port})).map_err(|e| panic!(\"no network: {{e}}\")).ok();"
    );
    let (card, _dir) = grade_with(&body, &[]);
    assert!(
        listener.accept().is_err(),
        "the fix reached the host's port"
    );
    assert!(
        !card.solved() && card.render().contains("no network: Connection refused"),
        "{}",
        card.render()
    );
    assert!(
        card.render().starts_with("Graded in a sandbox"),
        "{}",
        card.render()
    );

    progress("a fix that reads a file planted in the grader's home");
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let secret_path = home.join(format!(".lab-sandbox-secret-{}", std::process::id()));
    let secret = format!("secret-{}", std::process::id());
    fs::write(&secret_path, &secret).expect("home is writable");
    let body = format!(
        "panic!(\"read: {{:?}}\", std::fs::read_to_string({:?}));",
        secret_path.display().to_string()
    );
    let (card, _dir) = grade_with(&body, &[]);
    let _ = fs::remove_file(&secret_path);
    assert!(
        !card.render().contains(&secret),
        "the secret leaked:\n{}",
        card.render()
    );
    assert!(card.render().contains("read: Err"), "{}", card.render());

    progress("a fix that writes outside the graded copy");
    let outside = tempfile::tempdir().expect("a host dir");
    let target = outside.path().join("written-by-the-candidate");
    let body = format!(
        "let _ = std::fs::write({:?}, \"x\").map_err(|e| panic!(\"write: {{e}}\"));",
        target.display().to_string()
    );
    let (card, _dir) = grade_with(&body, &[]);
    assert!(!target.exists(), "the fix wrote {}", target.display());
    assert!(!card.solved(), "{}", card.render());

    progress("a build.rs added next to the candidate's crate");
    let marker = outside.path().join("build-script-ran");
    let build_rs = format!(
        "fn main() {{ std::fs::write({:?}, \"ran\").unwrap(); println!(\"cargo:warning=BUILD SCRIPT RAN\"); }}\n",
        marker.display().to_string()
    );
    let (card, _dir) = grade_with("", &[(&format!("{ID}/build.rs"), &build_rs)]);
    assert!(!marker.exists(), "the candidate's build.rs ran");
    assert!(
        card.ignored.iter().any(|f| f.contains("build.rs (added)")),
        "{}",
        card.render()
    );

    progress("a fix that never returns (the time limit stops it)");
    let (card, _dir) = grade_with("loop { std::hint::spin_loop(); }", &[]);
    assert!(
        card.stopped.iter().any(|s| s.contains("time limit")),
        "{}",
        card.render()
    );
    assert!(!card.solved(), "{}", card.render());
}
