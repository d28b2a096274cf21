//! The pitfall: the handler shows Django's debug page whenever the settings say
//! `DEBUG = True`, and production's settings do.

use crate::model::{
    ErrorLog, ErrorResponse, Failure, cleanse_setting, debug, request_log_record, server_error_page,
};
use crate::report::TechnicalReport;

/// What the app answers when a view fails: Django's `handle_uncaught_exception`.
pub fn server_error(failure: &Failure<'_>, log: &ErrorLog) -> ErrorResponse {
    log.write(request_log_record(failure));
    if debug(failure.settings) {
        // PITFALL: the debug page goes to whoever made the request, with every setting
        // and the request's META. Django's filter hides a value only when its NAME looks
        // secret, so a password inside `DATABASE_URL` or a key inside `SENTRY_DSN` is
        // printed as it is.
        let report = TechnicalReport::new(failure, &cleanse_setting);
        return ErrorResponse {
            status: 500,
            content_type: "text/html; charset=utf-8".into(),
            body: report.html(),
        };
    }
    server_error_page()
}
