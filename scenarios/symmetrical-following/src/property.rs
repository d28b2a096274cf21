//! The data property of a way of writing follows, runnable against any [`Follows`]: after
//! any story of follows and unfollows, every user's counts equal a directed graph's.

use crate::model::{Action, Counts, Follows, Story};

/// The most users and actions the property tests draw: two users and one follow already
/// tell a directed edge from a mirrored one.
pub const MAX_USERS: usize = 4;
/// See [`MAX_USERS`].
pub const MAX_ACTIONS: usize = 8;

/// A story of `users` users (`u0`, `u1`, ...) and actions given as (follow?, follower,
/// followee) indexes: how a generated input becomes a [`Story`]. Following oneself is
/// refused by the app, so such actions are dropped.
pub fn numbered(users: usize, actions: &[(bool, usize, usize)]) -> Story {
    Story {
        users: (0..users).map(|i| format!("u{i}")).collect(),
        actions: actions
            .iter()
            .filter(|(_, a, b)| a != b)
            .map(|&(follow, a, b)| {
                if follow {
                    Action::Follow(a, b)
                } else {
                    Action::Unfollow(a, b)
                }
            })
            .collect(),
    }
}

/// The property: after `story` is played through `follows`, each user's following and
/// follower counts equal those of the directed graph the story describes. The error
/// names the first user that differs.
pub fn counts_match_truth(follows: Follows, story: &Story) -> Result<(), String> {
    let conn = lab_kit::sqlite::memory().map_err(|e| e.to_string())?;
    story.load(&conn).map_err(|e| e.to_string())?;
    story.play(&conn, follows).map_err(|e| e.to_string())?;
    let got = story.counts(&conn).map_err(|e| e.to_string())?;
    compare(&story.truth(), &got)
}

/// The first user whose counts differ from the truth.
pub fn compare(truth: &[Counts], got: &[Counts]) -> Result<(), String> {
    match truth.iter().zip(got).find(|(t, g)| t != g) {
        None if truth.len() == got.len() => Ok(()),
        None => Err(format!("{} users, {} counted", truth.len(), got.len())),
        Some((t, g)) => Err(format!(
            "{}: reported following={} followers={}, truth following={} followers={}",
            t.user, g.following, g.followers, t.following, t.followers
        )),
    }
}
