//! The lab's own Markdown (READMEs, hints, rubrics) rendered for a terminal: headings
//! underlined, paragraphs and list items wrapped, code blocks kept, tables aligned when they
//! fit and folded into `header: cell` records when they do not. It knows only the handful
//! of constructs the lab's files use; `lab show --raw` prints the Markdown itself.

use lab_kit::Table;

use crate::term::wrap;

/// `text` as terminal lines of at most `width` columns.
pub fn render(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                out.extend(hard_wrap(&format!("    {}", lines[i]), width));
                i += 1;
            }
            i += 1;
            continue;
        }
        if trimmed.starts_with('|') {
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                rows.push(lines[i]);
                i += 1;
            }
            out.extend(table(&rows, width));
            continue;
        }
        if let Some((level, title)) = heading(trimmed) {
            let title = inline(title);
            let rule = if level == 1 { '=' } else { '-' };
            out.extend(wrap(&title, width, "", ""));
            if level <= 2 {
                let len = title.chars().count().min(width);
                out.push(rule.to_string().repeat(len));
            }
            i += 1;
            continue;
        }
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            i += 1;
            continue;
        }
        // A paragraph or a list item, with its continuation lines.
        let indent = line.len() - trimmed.len();
        let (first, rest, body) = match list_marker(trimmed) {
            Some((marker, body)) => {
                let lead = " ".repeat(indent);
                (
                    format!("{lead}{marker}"),
                    " ".repeat(indent + marker.len()),
                    body.to_owned(),
                )
            }
            None => (String::new(), String::new(), trimmed.to_owned()),
        };
        let mut text = body;
        i += 1;
        while i < lines.len() {
            let next = lines[i].trim_start();
            let starts_block = next.is_empty()
                || next.starts_with("```")
                || next.starts_with('|')
                || heading(next).is_some()
                || list_marker(next).is_some();
            if starts_block {
                break;
            }
            text.push(' ');
            text.push_str(next);
            i += 1;
        }
        out.extend(wrap(&inline(&text), width, &first, &rest));
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    (1..=6)
        .contains(&level)
        .then(|| line[level..].strip_prefix(' '))
        .flatten()
        .map(|title| (level, title))
}

fn list_marker(line: &str) -> Option<(String, &str)> {
    if let Some(body) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some(("- ".to_owned(), body));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let body = line[digits..].strip_prefix(". ")?;
    (digits > 0).then(|| (format!("{}. ", &line[..digits]), body))
}

/// Inline markup a terminal cannot show: `**bold**` loses its stars, a link keeps its
/// text (and its address when it leaves the repository). Backticks stay: they mark code.
fn inline(text: &str) -> String {
    let text = text.replace("**", "");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|e| close + e) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        let target = &rest[close + 2..end];
        if target.starts_with("http") {
            out.push_str(&format!(" ({target})"));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A Markdown table: aligned if it fits, else one `header: cell` record per row.
fn table(rows: &[&str], width: usize) -> Vec<String> {
    let cells = |row: &str| -> Vec<String> {
        row.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| inline(c.trim()))
            .collect()
    };
    let mut parsed: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| !r.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')))
        .map(|r| cells(r))
        .collect();
    if parsed.is_empty() {
        return Vec::new();
    }
    let headers = parsed.remove(0);
    let mut t = Table::new(headers.clone());
    for row in &parsed {
        t.row(row.clone());
    }
    let natural = t.to_string();
    if natural.lines().all(|l| l.chars().count() <= width) {
        return natural.lines().map(str::to_owned).collect();
    }
    let mut out = Vec::new();
    for row in parsed {
        for (i, cell) in row.iter().enumerate() {
            let header = headers.get(i).map_or("", String::as_str);
            let first = if i == 0 { "- " } else { "  " };
            out.extend(wrap(&format!("{header}: {cell}"), width, first, "      "));
        }
    }
    out
}

/// A line kept as it is (code). Too long, a trailing `# comment` moves under the command;
/// anything still too long is split at the width with an indented continuation.
fn hard_wrap(line: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = line.trim_end().chars().collect();
    if chars.len() <= width {
        return vec![chars.into_iter().collect()];
    }
    if let Some(at) = line.find("  # ") {
        let indent = line.len() - line.trim_start().len();
        let mut out = hard_wrap(line[..at].trim_end(), width);
        let lead = " ".repeat(indent + 2);
        out.extend(wrap(
            line[at..].trim_start(),
            width,
            &lead,
            &format!("{lead}  "),
        ));
        return out;
    }
    let mut out = vec![chars[..width].iter().collect::<String>()];
    for chunk in chars[width..].chunks(width.saturating_sub(6).max(1)) {
        out.push(format!("      {}", chunk.iter().collect::<String>()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_lines_that_fit() {
        let text = "# Title\n\nA paragraph that is long enough to wrap at twenty.\n\n\
                    - an item that wraps too\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\
                    ```\ncargo test\n```\n";
        let lines = render(text, 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:#?}");
        assert_eq!(lines[0..2], ["Title", "====="]);
        assert!(
            lines.contains(&"- an item that wraps".to_owned()),
            "{lines:#?}"
        );
        assert!(lines.contains(&"    cargo test".to_owned()), "{lines:#?}");
        assert!(lines.contains(&"1  2".to_owned()), "{lines:#?}");
    }

    #[test]
    fn a_wide_table_folds_into_records() {
        let text =
            "| scenario | what it asks |\n|---|---|\n| row-locking | when must a row be locked |\n";
        let lines = render(text, 24);
        assert_eq!(
            lines,
            [
                "- scenario: row-locking",
                "  what it asks: when",
                "      must a row be",
                "      locked"
            ]
        );
    }
}
