//! The story every variant tells over real HTTP: a browser reads the article, an editor
//! changes its body, the browser revalidates and a first-time visitor arrives.

use lab_kit::Transcript;

use super::RunError;
use super::narrate::{Labels, reason, record_get};
use super::world::World;
use crate::browser::{self, Browser, Exchange};
use crate::model::{Article, EDIT_AFTER_MICROS, Edit, NEW_BODY, PartialSave, time_of_day};

/// What happened, as the database and the HTTP exchanges showed it.
#[derive(Debug)]
pub(super) struct Story {
    pub(super) transcript: Transcript,
    /// The ETag labels handed out so far (`etag#1`, ...), for the observations.
    pub(super) labels: Labels,
    /// The row as created, before any request.
    pub(super) seed: Article,
    /// The browser's first visit.
    pub(super) first: Exchange,
    /// The edit the editor sent.
    pub(super) edit: Edit,
    /// The statements the edit request ran.
    pub(super) edit_sql: Vec<String>,
    /// The instance the edit endpoint returned after its save.
    pub(super) saved: Article,
    /// The row after the edit, read by the observer connection: the truth.
    pub(super) row: Article,
    /// The browser's revalidation after the edit.
    pub(super) again: Exchange,
    /// A first-time visitor after the edit.
    pub(super) fresh: Exchange,
}

/// Tells the story with `save` behind the edit endpoint.
pub(super) async fn tell(save: PartialSave) -> lab_kit::Result<Story> {
    let world = World::start(save).await?;
    let (base, path) = (world.server.base_url(), world.path());
    let mut t = Transcript::new();
    let mut labels = Labels::default();
    let seed = world.row()?;
    t.push(
        "app",
        format!("Article.objects.create(): {}", seed.describe()),
    );

    let mut browser = Browser::new(base.clone());
    let first = browser.get(&path).await?;
    record_get(&mut t, "browser", &first, world.log.take(), &mut labels);

    world.clock.advance(EDIT_AFTER_MICROS);
    t.push("clock", format!("now {}", time_of_day(world.clock.now())));
    let edit = Edit {
        after_micros: EDIT_AFTER_MICROS,
        title: None,
        body: Some(NEW_BODY.to_owned()),
    };
    t.push("editor", format!("PATCH {path} {}", edit.json()));
    let (status, body) = browser::patch(&base, &path, &edit.json()).await?;
    let edit_sql = world.log.take();
    for sql in &edit_sql {
        t.push("db", sql);
    }
    let saved: Article = serde_json::from_str(&body).map_err(|source| {
        lab_kit::Error::scenario(RunError::NotAnArticle {
            status,
            body: body.clone(),
            source,
        })
    })?;
    t.push(
        "server",
        format!(
            "{} {}, the saved instance: {}",
            status,
            reason(status),
            saved.describe()
        ),
    );
    let row = world.row()?;
    t.push("db row", row.describe());

    let again = browser.get(&path).await?;
    record_get(&mut t, "browser", &again, world.log.take(), &mut labels);
    let fresh = Browser::new(base).get(&path).await?;
    record_get(&mut t, "visitor", &fresh, world.log.take(), &mut labels);
    world.stop().await?;
    Ok(Story {
        transcript: t,
        labels,
        seed,
        first,
        edit,
        edit_sql,
        saved,
        row,
        again,
        fresh,
    })
}
