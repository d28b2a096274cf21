//! A browser-like client over reqwest: its own cookie jar that applies the SameSite rule
//! of Chrome and Firefox, forms read with an HTML parser, and submissions sent with the
//! `Origin` and `Referer` a browser sends.

use std::net::SocketAddr;

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, COOKIE, ORIGIN, REFERER, SET_COOKIE};

use crate::form;

mod page;

pub use page::{Form, first_form};

/// A cookie's `SameSite` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    Strict,
    Lax,
    /// `SameSite=None`, or no attribute at all (see [`Browser::cookie_header`]).
    None,
}

#[derive(Debug, Clone)]
struct Cookie {
    host: String,
    name: String,
    value: String,
    same_site: SameSite,
}

/// One request as it went over the wire and what came back.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    /// The `Cookie` header the browser attached, if any.
    pub cookie: Option<String>,
    /// Cookies for this host the SameSite rule kept off the request.
    pub withheld: Vec<String>,
    /// The `Set-Cookie` headers that came back.
    pub set_cookie: Vec<String>,
    pub origin: Option<String>,
    pub referer: Option<String>,
    pub status: u16,
    pub body: String,
}

/// The victim's browser. Host names resolve to the given loopback addresses.
#[derive(Debug)]
pub struct Browser {
    client: reqwest::Client,
    jar: Vec<Cookie>,
}

impl Browser {
    /// A browser with an empty jar; each `(host, addr)` is where that name resolves.
    pub fn new(hosts: &[(&str, SocketAddr)]) -> lab_kit::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none());
        for (host, addr) in hosts {
            builder = builder.resolve(host, *addr);
        }
        Ok(Self {
            client: builder.build()?,
            jar: Vec::new(),
        })
    }

    /// A top-level GET of `url` typed into the address bar or opened from an email.
    pub async fn visit(&mut self, url: &str) -> lab_kit::Result<Exchange> {
        let url = Url::parse(url).map_err(lab_kit::Error::scenario)?;
        // A navigation the user starts (the address bar, a link opened from an email) has
        // no initiating page: the lab counts it as same-site, so every cookie goes along.
        let cookie = self.cookie_header(&url, None, "GET");
        let mut request = self.client.get(url.clone());
        if let Some(c) = &cookie {
            request = request.header(COOKIE, c);
        }
        self.finish("GET", url, cookie, None, None, request).await
    }

    /// Submits `form` as a top-level POST navigation from the page at `page`, the way a
    /// browser does: `Origin` is the page's origin, `Referer` the page (its origin only
    /// when cross-origin: `strict-origin-when-cross-origin`), cookies by the SameSite rule.
    pub async fn submit(&mut self, page: &str, form: &Form) -> lab_kit::Result<Exchange> {
        let page = Url::parse(page).map_err(lab_kit::Error::scenario)?;
        let url = form.action.clone();
        let origin = page.origin().ascii_serialization();
        let referer = if page.origin() == url.origin() {
            page.to_string()
        } else {
            format!("{origin}/")
        };
        let cookie = self.cookie_header(&url, Some(&page), &form.method);
        let mut request = self
            .client
            .post(url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ORIGIN, &origin)
            .header(REFERER, &referer)
            .body(form::encode(&form.fields));
        if let Some(c) = &cookie {
            request = request.header(COOKIE, c);
        }
        let (origin, referer) = (Some(origin), Some(referer));
        self.finish("POST", url, cookie, origin, referer, request)
            .await
    }

    /// The `Cookie` header for a top-level navigation to `url` with `method`, started by
    /// the page `from` (`None`: the address bar). The rule of RFC 6265bis as Chrome and
    /// Firefox apply it: a Strict cookie goes only on same-site requests; a Lax one also
    /// on a cross-site top-level navigation with a safe method (GET, HEAD), so not on a
    /// cross-site POST; a None cookie always. A cookie without the attribute counts as
    /// None here, as in Firefox and Safari; Chrome treats it as Lax but, for its first two
    /// minutes, still sends it on a top-level cross-site POST ("Lax+POST"), which is the
    /// same answer for a victim who has just logged in.
    pub fn cookie_header(&self, url: &Url, from: Option<&Url>, method: &str) -> Option<String> {
        let host = url.host_str()?;
        let same_site = from.is_none_or(|page| site(page) == site(url));
        let safe = matches!(method.to_ascii_uppercase().as_str(), "GET" | "HEAD");
        let pairs: Vec<String> = self
            .jar
            .iter()
            .filter(|c| c.host == host)
            .filter(|c| match c.same_site {
                SameSite::Strict => same_site,
                SameSite::Lax => same_site || safe,
                SameSite::None => true,
            })
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Stores a `Set-Cookie` value received from `url` (host-only cookies: no `Domain`).
    pub fn store(&mut self, url: &Url, set_cookie: &str) {
        let mut parts = set_cookie.split(';').map(str::trim);
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let mut same_site = SameSite::None;
        for attribute in parts {
            if let Some((key, v)) = attribute.split_once('=')
                && key.eq_ignore_ascii_case("samesite")
            {
                same_site = match v.to_ascii_lowercase().as_str() {
                    "strict" => SameSite::Strict,
                    "lax" => SameSite::Lax,
                    _ => SameSite::None,
                };
            }
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        self.jar.retain(|c| !(c.host == host && c.name == name));
        self.jar.push(Cookie {
            host,
            name: name.to_owned(),
            value: value.to_owned(),
            same_site,
        });
    }

    async fn finish(
        &mut self,
        method: &str,
        url: Url,
        cookie: Option<String>,
        origin: Option<String>,
        referer: Option<String>,
        request: reqwest::RequestBuilder,
    ) -> lab_kit::Result<Exchange> {
        let sent = cookie.as_deref().unwrap_or("");
        let withheld: Vec<String> = self
            .jar
            .iter()
            .filter(|c| Some(c.host.as_str()) == url.host_str())
            .filter(|c| {
                !sent
                    .split("; ")
                    .any(|p| p.split_once('=').is_some_and(|(n, _)| n == c.name))
            })
            .map(|c| format!("{} (SameSite={:?})", c.name, c.same_site))
            .collect();
        let response = request.send().await?;
        let status = response.status().as_u16();
        let set: Vec<String> = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for value in &set {
            self.store(&url, value);
        }
        let body = response.text().await?;
        Ok(Exchange {
            method: method.to_owned(),
            url: url.to_string(),
            cookie,
            withheld,
            set_cookie: set,
            origin,
            referer,
            status,
            body,
        })
    }
}

/// A URL's site (scheme and registrable domain; the port does not count). The lab's
/// hosts are `<name>.test`, whose registrable domain is the last two labels; a real
/// browser asks the Public Suffix List.
pub fn site(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let labels: Vec<&str> = host.rsplitn(3, '.').collect();
    let domain = match labels.as_slice() {
        [tld, name, ..] => format!("{name}.{tld}"),
        _ => host.to_owned(),
    };
    format!("{}://{domain}", url.scheme())
}
