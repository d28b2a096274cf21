//! Python's `json.dumps` defaults as a serde_json formatter: the bytes `JsonResponse`
//! sends, so the lab's body and Django's are the same.

use std::io::{self, Write};

use serde_json::ser::Formatter;

/// What `json.dumps(value, cls=DjangoJSONEncoder)` writes with its defaults
/// (`separators=(", ", ": ")`, `ensure_ascii=True`): a space after every `,` and `:`, and
/// every character outside printable ASCII as `\uXXXX` (lower-case hex, a UTF-16
/// surrogate pair above U+FFFF, DEL too). serde_json's own escapes are already Python's:
/// `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00XX`.
/// Numbers: the export writes only integers (the same digits in both languages) and
/// amounts as strings; no floats, whose shortest forms differ (Python writes `1e+16`
/// and `1e-05`, serde_json `1e16` and `0.00001`).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonDumps;

impl Formatter for JsonDumps {
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    /// A run of characters serde_json does not escape itself: printable ASCII passes as
    /// it is, anything else becomes `\uXXXX`, as `ensure_ascii=True` has it.
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        // The common case, an ASCII name or date: one copy, no per-character work.
        if bytes.iter().all(|&b| b < 0x7f) {
            return writer.write_all(bytes);
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if c < '\u{7f}' {
                continue;
            }
            writer.write_all(&bytes[start..at])?;
            let mut units = [0_u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = at + c.len_utf8();
        }
        writer.write_all(&bytes[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::super::json_dump;

    fn dumps(value: &serde_json::Value) -> String {
        let mut out = Vec::new();
        json_dump(value, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn it_writes_what_python_json_dumps_writes() {
        // Each expected string is what `json.dumps(value)` prints in Python 3.
        let value = serde_json::json!([{"a": 1, "b": [true, null, -5]}, "x"]);
        assert_eq!(dumps(&value), r#"[{"a": 1, "b": [true, null, -5]}, "x"]"#);
        let text = "Zoë 🦀 \u{2028}\u{7f}\u{1}\t\"\\/";
        assert_eq!(
            dumps(&serde_json::json!(text)),
            r#""Zo\u00eb \ud83e\udd80 \u2028\u007f\u0001\t\"\\/""#
        );
        assert_eq!(dumps(&serde_json::json!([])), "[]");
        assert_eq!(dumps(&serde_json::json!({})), "{}");
    }
}
