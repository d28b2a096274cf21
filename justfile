# Short names for the common commands; plain cargo does the same.

# List the recipes.
default:
    @just --list

# The tour: every scenario, broken beside fixed.
tour:
    cargo run

# Every test of the lab (the README's test command).
test:
    cargo test --workspace

# Every test - PostgreSQL, the homework round trip and the grading sandbox included - on
# a throwaway PostgreSQL 15 (what CI runs).
test-all:
    scripts/with-postgres cargo test --workspace -- --include-ignored

# Any command with a throwaway PostgreSQL 15 and LAB_POSTGRES_URL set, e.g.
# `just pg cargo run -- run row-locking`.
pg +command:
    scripts/with-postgres {{command}}

# One scenario's tests, e.g. `just study double-counted-annotations`.
study id:
    cargo test -p {{id}}

# One scenario's reports, transcripts included.
run id:
    cargo run -- run {{id}}

# A scenario's benchmark, in a release build.
bench id:
    cargo run --release -- bench {{id}}

# Review pending snapshots (needs cargo-insta).
review:
    cargo insta review

# Exactly what CI runs.
ready:
    bash .ci/run

# Export a scenario as homework, e.g. `just homework double-counted-annotations /tmp/ex`.
homework id dir:
    cargo run -- homework {{id}} --out {{dir}}

# The workshop handout and its screenshot (installs Debian's chromium if missing).
handout:
    scripts/screenshot-report target/report.png

# Start a new scenario from the template, e.g. `just new lost-update`.
new id:
    cargo run -- new {{id}}

# Every scenario's Django twin against Django 5.2 (a virtualenv under target/).
twins:
    scripts/django-twin --all

# Grade an exported exercise (in a copy, in a sandbox where bubblewrap is installed).
grade dir:
    cargo run -- grade {{dir}}

# The newcomer's wait on a fresh clone: build, tests, the study loop, an exercise.
measure:
    scripts/measure-setup
