//! A variant's world (the bank and the attacker's site on loopback, a SQLite file), the
//! story the victim's browser lives through, and the verdict: did the attacker's form
//! move money, as the accounts table says afterwards.

use lab_kit::sqlite::{StatementLog, TempDb};
use lab_kit::{Report, Transcript};
use serde_json::json;

mod narrate;

use narrate::{describe, fields, map, record, updates};

use crate::bank::{Bank, router};
use crate::browser::{Browser, Form, first_form};
use crate::model::{
    self, ATTACKER, BANK, Defence, FORGED_TRANSFER, OWN_TRANSFER, TOKEN_FIELD, VICTIM,
};
use crate::property;

/// Runs the story against a bank defended by `defence` and judges it on the balances.
pub fn run(name: &str, defence: Defence) -> lab_kit::Result<Report> {
    lab_kit::http::block_on(story(name, defence))?
}

async fn story(name: &str, defence: Defence) -> lab_kit::Result<Report> {
    let db = TempDb::new()?;
    let observer = db.connect()?;
    model::load(&observer)?;
    let mut conn = db.connect()?;
    let log = StatementLog::attach(&mut conn)?;
    let bank = lab_kit::http::serve(router(Bank::new(conn, model::rng(), defence))).await?;
    let attacker = lab_kit::http::serve(crate::attacker::router()).await?;
    let mut browser = Browser::new(&[
        ("bank.test", bank.addr()),
        ("attacker.test", attacker.addr()),
    ])?;
    let mut t = Transcript::new();
    let before = model::balances(&observer)?;
    t.push("observer", format!("bank_account: {}", describe(&before)));

    // The victim logs in on the bank's own login page.
    let login = form(&format!("{BANK}/login"), &[("username", VICTIM)])?;
    let x = browser.submit(&format!("{BANK}/login"), &login).await?;
    record(&mut t, "alice", &x);

    // She sends her landlord money from the bank's own form: this must keep working.
    let page_url = format!("{BANK}/transfer");
    let page = browser.visit(&page_url).await?;
    record(&mut t, "alice", &page);
    let mut own = first_form(&page_url, &page.body).ok_or_else(|| no_form(&page_url))?;
    let again = browser.visit(&page_url).await?;
    let tokens: Vec<String> = [
        &own,
        &first_form(&page_url, &again.body).ok_or_else(|| no_form(&page_url))?,
    ]
    .iter()
    .filter_map(|f| {
        f.fields
            .iter()
            .find(|(k, _)| k == TOKEN_FIELD)
            .map(|(_, v)| v.clone())
    })
    .collect();
    let shown: Vec<String> = tokens
        .iter()
        .map(|tok| format!("{}...", tok.chars().take(8).collect::<String>()))
        .collect();
    t.push(
        "alice",
        match shown.as_slice() {
            [] => format!("reloads {page_url}: neither form has a {TOKEN_FIELD} field"),
            _ => format!("reloads {page_url}: {TOKEN_FIELD} {}", shown.join(" then ")),
        },
    );
    own.fill("to", OWN_TRANSFER.0);
    own.fill("amount", &OWN_TRANSFER.1.to_string());
    log.take();
    let own_x = browser.submit(&page_url, &own).await?;
    record(&mut t, "alice", &own_x);
    updates(&mut t, &log);
    let after_own = model::balances(&observer)?;
    t.push(
        "observer",
        format!("bank_account: {}", describe(&after_own)),
    );

    // A link in an email takes her to the attacker's page, whose form submits itself.
    let lure = format!("{ATTACKER}/");
    let page = browser.visit(&lure).await?;
    record(&mut t, "alice", &page);
    let forged = first_form(&lure, &page.body).ok_or_else(|| no_form(&lure))?;
    t.push(
        "attacker.test",
        format!(
            "<body onload> submits the form: {} {} {}",
            forged.method,
            forged.action,
            fields(&forged)
        ),
    );
    log.take();
    let forged_x = browser.submit(&lure, &forged).await?;
    record(&mut t, "alice", &forged_x);
    updates(&mut t, &log);
    let after = model::balances(&observer)?;
    t.push("observer", format!("bank_account: {}", describe(&after)));
    bank.shutdown().await?;
    attacker.shutdown().await?;

    let forged_moved = after != after_own;
    let own_moved = after_own != before;
    if !own_moved {
        // A defence that also stops the bank's own form is no fix: the run fails.
        return Err(lab_kit::Error::scenario(format!(
            "alice's own transfer from the bank's form moved nothing (answer {}: {})",
            own_x.status, own_x.body
        )));
    }
    let mallory = |b: &[(String, i64)]| {
        b.iter()
            .find(|(o, _)| o == FORGED_TRANSFER.0)
            .map_or(0, |(_, v)| *v)
    };
    let symptom = if forged_moved {
        format!(
            "alice opened the attacker's page and the bank sent {} of her money to mallory ({})",
            mallory(&after) - mallory(&after_own),
            forged_x.status
        )
    } else {
        format!(
            "the attacker's form got {} and moved nothing; alice's own transfer still went through",
            forged_x.status
        )
    };
    let distinct = tokens.len() == 2 && tokens[0] != tokens[1];
    let secret: String = observer.query_row(
        "SELECT csrf_secret FROM bank_session WHERE owner = ?1",
        [VICTIM],
        |r| r.get(0),
    )?;
    let unmask_to_secret = !tokens.is_empty()
        && tokens
            .iter()
            .all(|tok| property::unmask(tok).as_deref() == Some(&*secret));
    Ok(Report::new(name, forged_moved, symptom)
        .observe(
            "own_transfer",
            json!({"status": own_x.status, "money_moved": own_moved}),
        )
        .observe(
            "forged_transfer",
            json!({
                "status": forged_x.status,
                "session_cookie_sent": forged_x.cookie.is_some(),
                "origin": forged_x.origin,
                "money_moved": forged_moved,
            }),
        )
        .observe(
            "balances",
            json!({
                "before": map(&before),
                "after_own": map(&after_own),
                "after_forged": map(&after),
            }),
        )
        .observe(
            "form_tokens",
            json!({
                "lengths": tokens.iter().map(String::len).collect::<Vec<_>>(),
                "distinct": distinct,
                "unmask_to_session_secret": unmask_to_secret,
            }),
        )
        .with_transcript(t))
}

fn form(action: &str, fields: &[(&str, &str)]) -> lab_kit::Result<Form> {
    Ok(Form {
        action: reqwest::Url::parse(action).map_err(lab_kit::Error::scenario)?,
        method: "POST".into(),
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    })
}

fn no_form(url: &str) -> lab_kit::Error {
    lab_kit::Error::scenario(format!("the page at {url} has no form"))
}
