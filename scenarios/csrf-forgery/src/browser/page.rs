//! A page's first form, read with an HTML5 parser as a browser reads it.

use reqwest::Url;
use scraper::{Html, Selector};

/// A form as the parser found it: where it posts and its fields, in document order.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: Url,
    pub method: String,
    pub fields: Vec<(String, String)>,
}

impl Form {
    /// Types `value` into the field `name` (adding it if the form has no such input).
    pub fn fill(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => value.clone_into(v),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
    }
}

/// The first form of the HTML page served at `page`, read with an HTML5 parser: its
/// action resolved against the page, its method, and every named input with its value.
pub fn first_form(page: &str, html: &str) -> Option<Form> {
    let base = Url::parse(page).ok()?;
    let doc = Html::parse_document(html);
    let form_sel = Selector::parse("form").ok()?;
    let input_sel = Selector::parse("input[name]").ok()?;
    let form = doc.select(&form_sel).next()?;
    let action = base.join(form.value().attr("action").unwrap_or("")).ok()?;
    let method = form
        .value()
        .attr("method")
        .unwrap_or("get")
        .to_ascii_uppercase();
    let fields = form
        .select(&input_sel)
        .filter_map(|i| {
            let name = i.value().attr("name")?;
            Some((
                name.to_owned(),
                i.value().attr("value").unwrap_or("").to_owned(),
            ))
        })
        .collect();
    Some(Form {
        action,
        method,
        fields,
    })
}
