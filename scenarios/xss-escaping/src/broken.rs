//! The pitfall: the page is pasted together with `format!`, every stored value as typed.

use crate::model::{Comment, PageError};

/// The comment page, built the quick way: a string per comment, the JSON for the page's
/// scripts straight from serde_json.
pub fn render_page(comments: &[Comment]) -> Result<String, PageError> {
    let mut items = String::new();
    for comment in comments {
        let (author, body) = (&comment.author, &comment.body);
        // PITFALL: author and body go into the HTML exactly as they were typed: a `<` in
        // a comment opens an element, and a space in the unquoted `data-author` value
        // starts a new attribute. The browser cannot tell the attacker's markup from ours.
        items.push_str(&format!(
            "<li class=\"comment\" data-author={author}>\n<cite>{author}</cite>\n<p class=\"body\">{body}</p>\n</li>\n"
        ));
    }
    // PITFALL: JSON is not HTML, so it goes in unchanged - but a `</script>` inside a
    // string ends the script element right there, and whatever follows is markup.
    let data = serde_json::to_string(comments)?;
    Ok(format!(
        "<!doctype html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<title>Comments</title>
</head>
<body>
<h1>Comments</h1>
<ol class=\"comments\">
{items}</ol>
<script id=\"comment-data\" type=\"application/json\">{data}</script>
</body>
</html>
"
    ))
}
