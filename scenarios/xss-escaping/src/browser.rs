//! A page as a browser sees it, judged apart from the variants: html5ever (through
//! `scraper`) builds the DOM by the HTML standard's parsing rules, then the page is
//! compared with what its template writes (`model::PAGE_ELEMENTS`, `COMMENT_ELEMENTS`).

use std::collections::BTreeMap;

use scraper::{ElementRef, Html, Selector};
use serde::Serialize;

use crate::model::{COMMENT_ELEMENTS, Comment, PAGE_ELEMENTS};

/// What a browser made of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageFacts {
    /// How many elements the DOM holds.
    pub elements: usize,
    /// Elements in the DOM that the template does not write (or writes with other
    /// attributes), in document order, as start tags with their attributes sorted.
    pub injected: Vec<String>,
    /// Where each of them is: its parent element's name.
    pub injected_in: Vec<String>,
    /// Every `on*` attribute in the DOM, as `element attribute="value"`: the template
    /// writes none, and each one runs script.
    pub event_handlers: Vec<String>,
    /// Each comment as the page shows it, oldest first.
    pub shown: Vec<Shown>,
    /// Whether the JSON data block parses to exactly the stored comments.
    pub json_block_matches: bool,
    /// The data block's text, if the page has one.
    pub json_block: Option<String>,
}

/// One comment as the page shows it: the `data-author` value, the `<cite>` text and the
/// `<p class="body">` text (all of it, text of nested elements included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub data_author: Option<String>,
    pub cite: Option<String>,
    pub body: Option<String>,
}

impl Shown {
    /// The three, quoted, for a transcript or a failure.
    pub fn describe(&self) -> String {
        let quoted =
            |v: &Option<String>| v.as_ref().map_or("<missing>".into(), |v| format!("{v:?}"));
        format!(
            "data-author {}, cite {}, body {}",
            quoted(&self.data_author),
            quoted(&self.cite),
            quoted(&self.body)
        )
    }

    /// Whether all three read back as `comment`'s author and body.
    pub fn is(&self, comment: &Comment) -> bool {
        self.data_author.as_deref() == Some(&comment.author)
            && self.cite.as_deref() == Some(&comment.author)
            && self.body.as_deref() == Some(&comment.body)
    }
}

/// Parses `html` as a browser does and compares it with the page the template writes
/// for `comments`.
pub fn inspect(html: &str, comments: &[Comment]) -> PageFacts {
    let dom = Html::parse_document(html);
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    let per_comment = COMMENT_ELEMENTS.iter().map(|e| (e, comments.len()));
    for ((tag, attributes), times) in PAGE_ELEMENTS.iter().map(|e| (e, 1)).chain(per_comment) {
        *expected.entry(shape(tag, attributes)).or_default() += times;
    }
    let (mut injected, mut injected_in) = (Vec::new(), Vec::new());
    let mut event_handlers = Vec::new();
    let mut elements = 0;
    for element in dom.root_element().descendent_elements() {
        elements += 1;
        let value = element.value();
        let mut attributes: Vec<(&str, &str)> = value.attrs().collect();
        attributes.sort_unstable();
        let names: Vec<&str> = attributes.iter().map(|(name, _)| *name).collect();
        match expected.get_mut(&shape(value.name(), &names)) {
            Some(left) if *left > 0 => *left -= 1,
            _ => {
                injected.push(start_tag(value.name(), &attributes));
                let parent = element.parent().and_then(ElementRef::wrap);
                injected_in.push(
                    parent
                        .map_or("the document", |p| p.value().name())
                        .to_owned(),
                );
            }
        }
        for (name, text) in &attributes {
            if name.starts_with("on") {
                event_handlers.push(format!("{} {name}={text:?}", value.name()));
            }
        }
    }
    let json_block = dom
        .select(&selector("script#comment-data"))
        .next()
        .map(|block| block.text().collect::<String>());
    let parsed = json_block
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok());
    PageFacts {
        elements,
        injected,
        injected_in,
        event_handlers,
        shown: shown(&dom, comments.len()),
        json_block_matches: parsed.is_some() && parsed == serde_json::to_value(comments).ok(),
        json_block,
    }
}

/// An element's shape: its name and its attributes' names.
fn shape(tag: &str, attributes: &[&str]) -> String {
    let mut names = attributes.to_vec();
    names.sort_unstable();
    format!("{tag}[{}]", names.join(","))
}

/// `<img onerror="alert(1)" src="x">`: a start tag as the DOM holds it.
fn start_tag(tag: &str, attributes: &[(&str, &str)]) -> String {
    let mut out = format!("<{tag}");
    for (name, value) in attributes {
        out.push_str(&format!(" {name}=\"{}\"", value.replace('"', "&quot;")));
    }
    out.push('>');
    out
}

/// The first `count` comments of the list, as shown.
fn shown(dom: &Html, count: usize) -> Vec<Shown> {
    let items = selector("li.comment");
    let (cite, body) = (selector("cite"), selector("p.body"));
    let text = |li: ElementRef<'_>, s: &Selector| li.select(s).next().map(|e| e.text().collect());
    let mut shown: Vec<Shown> = dom
        .select(&items)
        .take(count)
        .map(|li| Shown {
            data_author: li.attr("data-author").map(str::to_owned),
            cite: text(li, &cite),
            body: text(li, &body),
        })
        .collect();
    shown.resize(
        count,
        Shown {
            data_author: None,
            cite: None,
            body: None,
        },
    );
    shown
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}
