//! Django 5.2's `SafeExceptionReporterFilter`, the part that cleanses settings, META and
//! cookies: by NAME only.

use regex::Regex;
use serde_json::Value;

/// What Django writes in place of a hidden value (`cleansed_substitute`).
pub const CLEANSED_SUBSTITUTE: &str = "********************";

/// Django's `SafeExceptionReporterFilter.hidden_settings`, case-insensitive.
pub const HIDDEN_SETTINGS: &str = "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE";

/// Django's default `SESSION_COOKIE_NAME`: a cookie of that name is always hidden.
pub const SESSION_COOKIE_NAME: &str = "sessionid";

/// Whether `key` is a name Django hides: the session cookie, or a match of
/// [`HIDDEN_SETTINGS`] anywhere in the name.
pub fn hidden_name(key: &str) -> bool {
    static HIDDEN: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    // ASCII case folding (`-u`): the workspace builds regex without Unicode case tables,
    // and setting names are ASCII.
    let hidden = HIDDEN.get_or_init(|| {
        Regex::new(&format!("(?i-u){HIDDEN_SETTINGS}")).expect("Django's pattern compiles")
    });
    key == SESSION_COOKIE_NAME || hidden.is_match(key)
}

/// Django 5.2's `cleanse_setting`: a hidden NAME gets the substitute; a dictionary is
/// cleansed key by key, a list item by item (with an empty name); any other value is
/// shown as it is, whatever it contains.
pub fn cleanse_setting(key: &str, value: &Value) -> Value {
    if hidden_name(key) {
        Value::from(CLEANSED_SUBSTITUTE)
    } else {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), cleanse_setting(k, v)))
                    .collect(),
            ),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| cleanse_setting("", v)).collect())
            }
            other => other.clone(),
        }
    }
}
