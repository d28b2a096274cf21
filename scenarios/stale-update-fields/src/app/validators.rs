//! The validators of a page: an ETag, a Last-Modified date, and the 304 decision.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The entity tag: the id and the full-precision `updated_at`, so two edits in the same
/// second still get two tags.
pub fn etag(id: i64, updated_at: i64) -> String {
    format!("\"{id}-{updated_at}\"")
}

/// `Last-Modified`: `updated_at` truncated to the second, the resolution of an HTTP date.
pub fn last_modified(updated_at: i64) -> String {
    httpdate::fmt_http_date(to_second(updated_at))
}

fn to_second(micros: i64) -> SystemTime {
    let secs = u64::try_from(micros.div_euclid(1_000_000)).expect("the clock is after 1970");
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// Whether a conditional GET may be answered `304 Not Modified`, by RFC 9110 section
/// 13.2.2 (as Django's `condition()` decorator does): `If-None-Match` decides when it is
/// present, and `If-Modified-Since` is only looked at without it.
pub fn is_not_modified(
    if_none_match: Option<&str>,
    if_modified_since: Option<&str>,
    etag: &str,
    updated_at: i64,
) -> bool {
    if let Some(tags) = if_none_match {
        // Weak comparison, as GET uses: `W/"x"` matches `"x"`.
        return tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag);
    }
    match if_modified_since.map(httpdate::parse_http_date) {
        Some(Ok(since)) => to_second(updated_at) <= since,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Clock;

    const T: i64 = Clock::START;

    #[test]
    fn last_modified_is_an_http_date_truncated_to_the_second() {
        assert_eq!(last_modified(T), "Fri, 01 Mar 2024 09:00:00 GMT");
        assert_eq!(last_modified(T + 749_999), "Fri, 01 Mar 2024 09:00:00 GMT");
        assert_eq!(last_modified(T + 750_000), "Fri, 01 Mar 2024 09:00:01 GMT");
    }

    #[test]
    fn if_modified_since_cannot_see_an_edit_in_the_same_second() {
        let since = last_modified(T);
        assert!(is_not_modified(
            None,
            Some(&since),
            &etag(1, T),
            T + 350_000
        ));
        assert!(!is_not_modified(
            None,
            Some(&since),
            &etag(1, T),
            T + 750_000
        ));
        assert!(!is_not_modified(None, Some("not a date"), &etag(1, T), T));
    }

    #[test]
    fn if_none_match_decides_when_present_even_against_a_matching_date() {
        let since = last_modified(T);
        let old = etag(1, T);
        let new = etag(1, T + 350_000);
        assert!(!is_not_modified(
            Some(&old),
            Some(&since),
            &new,
            T + 350_000
        ));
        assert!(is_not_modified(Some(&old), None, &old, T));
        assert!(is_not_modified(
            Some(&format!("\"x\", W/{old}")),
            None,
            &old,
            T
        ));
        assert!(is_not_modified(Some("*"), None, &old, T));
    }
}
