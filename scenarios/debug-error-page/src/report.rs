//! The technical 500 report, in the shape of Django's `ExceptionReporter`: the exception,
//! the request (COOKIES, META) and every setting, each value passed through a cleansing
//! function first. `html()` is the debug page, `text()` the plain report for a log.

use serde_json::Value;

use crate::model::{Failure, html_escape};

/// A cleansing function: the value to show for a setting, META variable or cookie of
/// this name.
pub type Cleanse = dyn Fn(&str, &Value) -> Value;

/// The report's sections after cleansing, each as `(name, value shown)`.
#[derive(Debug, Clone)]
pub struct TechnicalReport {
    pub title: String,
    pub method: String,
    pub path: String,
    pub message: String,
    pub cookies: Vec<(String, String)>,
    pub meta: Vec<(String, String)>,
    pub settings: Vec<(String, String)>,
}

impl TechnicalReport {
    /// The report of `failure`, every value shown as `cleanse` returns it, in Python's
    /// `repr` as Django's template shows it.
    pub fn new(failure: &Failure<'_>, cleanse: &Cleanse) -> Self {
        let shown = |pairs: &mut dyn Iterator<Item = (&String, Value)>| {
            pairs
                .map(|(k, v)| (k.clone(), py_repr(&cleanse(k, &v))))
                .collect::<Vec<_>>()
        };
        let request = failure.request;
        let mut meta = shown(
            &mut request
                .meta
                .iter()
                .map(|(k, v)| (k, Value::from(v.as_str()))),
        );
        meta.sort();
        Self {
            title: format!("{} at {}", failure.exception, request.path),
            method: request.method.clone(),
            path: request.path.clone(),
            message: failure.message.to_owned(),
            cookies: shown(
                &mut request
                    .cookies
                    .iter()
                    .map(|(k, v)| (k, Value::from(v.as_str()))),
            ),
            meta,
            settings: shown(&mut failure.settings.iter().map(|(k, v)| (k, v.clone()))),
        }
    }

    /// The debug page (`technical_500.html`, trimmed to its sections), every value
    /// HTML-escaped.
    pub fn html(&self) -> String {
        let e = |s: &str| html_escape(s);
        let table = |rows: &[(String, String)]| {
            let mut out = String::from("<table><tr><th>Variable</th><th>Value</th></tr>\n");
            for (k, v) in rows {
                out.push_str(&format!(
                    "<tr><td>{}</td><td><pre>{}</pre></td></tr>\n",
                    e(k),
                    e(v)
                ));
            }
            out + "</table>\n"
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>{title}</title></head><body>\n\
             <div id=\"summary\"><h1>{title}</h1><pre class=\"exception_value\">{message}</pre>\n\
             <p>Request Method: {method}<br>Request URL: {path}</p></div>\n\
             <div id=\"requestinfo\"><h2>Request information</h2>\n\
             <h3 id=\"cookie-info\">COOKIES</h3>\n{cookies}\
             <h3 id=\"meta-info\">META</h3>\n{meta}\
             <h3 id=\"settings-info\">Settings</h3>\n{settings}</div>\n\
             <div id=\"explanation\"><p>You're seeing this error because you have \
             <code>DEBUG = True</code> in your Django settings file.</p></div>\n\
             </body></html>\n",
            title = e(&self.title),
            message = e(&self.message),
            method = e(&self.method),
            path = e(&self.path),
            cookies = table(&self.cookies),
            meta = table(&self.meta),
            settings = table(&self.settings),
        )
    }

    /// The plain-text report (`technical_500.txt`), as a log record or an e-mail body.
    pub fn text(&self) -> String {
        let lines = |rows: &[(String, String)]| {
            rows.iter()
                .map(|(k, v)| format!("{k} = {v}\n"))
                .collect::<String>()
        };
        format!(
            "{title}\n{message}\n\nRequest Method: {method}\nRequest URL: {path}\n\n\
             COOKIES:\n{cookies}\nMETA:\n{meta}\nSettings:\n{settings}",
            title = self.title,
            message = self.message,
            method = self.method,
            path = self.path,
            cookies = lines(&self.cookies),
            meta = lines(&self.meta),
            settings = lines(&self.settings),
        )
    }
}

/// `value` as Python's `repr` writes it: `'text'`, `True`, `None`, `[...]`, `{'k': v}`.
pub fn py_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(&Value::from(k.as_str())), py_repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}
