//! A report's chart as an inline SVG bar chart (no script, no external resource).

use std::fmt::Write as _;

use lab_kit::Chart;

use super::escape;

/// A horizontal bar chart of `chart`'s bars; nothing when it has none.
pub fn bar_chart(chart: &Chart) -> String {
    let bars: Vec<(&str, f64)> = chart
        .bars
        .iter()
        .map(|b| (b.label.as_str(), b.value))
        .collect();
    if bars.is_empty() {
        return String::new();
    }
    let (title, unit) = (chart.title.as_str(), chart.unit.as_str());
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let (label_w, bar_w, row_h) = (150.0, 200.0, 18.0);
    #[expect(clippy::cast_precision_loss, reason = "a chart has a handful of bars")]
    let height = 24.0 + row_h * bars.len() as f64;
    let mut svg = format!(
        "<svg role=\"img\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\">\n<title>{t}</title>\n<text x=\"0\" y=\"14\">{t}</text>\n",
        w = label_w + bar_w + 80.0,
        t = escape(title)
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "a chart has a handful of bars")]
        let y = 24.0 + row_h * i as f64;
        let width = (value / max * bar_w).max(1.0);
        let _ = writeln!(
            svg,
            "<text x=\"0\" y=\"{ty}\">{l}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{width:.1}\" height=\"{h}\" fill=\"#5d7fb9\"/><text x=\"{tx:.1}\" y=\"{ty}\">{v} {u}</text>",
            ty = y + 12.0,
            l = escape(label),
            h = row_h - 4.0,
            tx = label_w + width + 4.0,
            v = value,
            u = escape(unit)
        );
    }
    svg.push_str("</svg>\n");
    svg
}
