//! Output for people at a terminal: the width to fit (the terminal's, `COLUMNS`, or 100
//! when not a terminal; never less than 60), word wrapping with a hanging indent, and
//! colour only for a terminal without `NO_COLOR`. `--json` never passes through here.

use std::io::IsTerminal;

/// Never narrower than this, whatever the terminal says.
pub const MIN_WIDTH: usize = 60;
/// The width when stdout is not a terminal (a pipe, a file, a test).
pub const DEFAULT_WIDTH: usize = 100;

/// How many columns the output may use.
pub fn width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    let from_terminal = || {
        std::io::stdout()
            .is_terminal()
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten()
    };
    from_env
        .or_else(from_terminal)
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// Whether to colour: stdout is a terminal and `NO_COLOR` is unset (no-color.org).
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `text` in bold red (`bad`) or green, when colouring.
pub fn paint(text: &str, good: bool, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    let code = if good { "32" } else { "1;31" };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// `text` wrapped to `width` columns: the first line starts with `first`, the others with
/// `rest` (a hanging indent). Words longer than a line are broken.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let len = |line: &str| line.chars().count();
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        if !empty && len(&line) + 1 + chars.len() > width {
            lines.push(std::mem::replace(&mut line, rest.to_owned()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        let mut left = chars.as_slice();
        // A word longer than the room left is broken over as many lines as it needs.
        while left.len() > width.saturating_sub(len(&line)) {
            let take = width.saturating_sub(len(&line)).max(1);
            line.extend(&left[..take]);
            left = &left[take..];
            lines.push(std::mem::replace(&mut line, rest.to_owned()));
        }
        line.extend(left);
        // A broken word that ended exactly at a line's end leaves a fresh, empty line.
        empty = left.is_empty() && line == rest;
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_wrap_under_a_hanging_indent() {
        let lines = wrap(
            "s1: SELECT stock FROM shop_item WHERE id = 1",
            20,
            "  ",
            "      ",
        );
        assert_eq!(
            lines,
            [
                "  s1: SELECT stock",
                "      FROM shop_item",
                "      WHERE id = 1"
            ]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken() {
        let lines = wrap(&"x".repeat(25), 10, "", "");
        assert_eq!(lines, ["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    }
}
