//! Strict JSON reading for inputs: exactly one document (nothing but white space after it) and no
//! key twice in an object — serde_json alone accepts trailing data when it is not asked to check,
//! and keeps one of two duplicate keys silently.

use crate::error::{ErrorCode, InputError};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A JSON value read with duplicate keys rejected.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON text has no NaN or infinity, so `from` never gives null here.
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key {key:?} (each key may appear once)")));
            }
            let Strict(v) = map.next_value()?;
            object.insert(key, v);
        }
        Ok(Value::Object(object))
    }
}

/// Parse `text` as one JSON document with no duplicate keys; errors carry the JSON pointer of
/// the place (a duplicate key: its object) and the code `invalid_json`.
pub(crate) fn parse(text: &str) -> Result<Value, InputError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let Strict(value) = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let mut err = InputError::from_serde(e.path(), e.inner());
        err.code = ErrorCode::InvalidJson;
        err
    })?;
    de.end().map_err(|e| {
        InputError::new(ErrorCode::InvalidJson, "", format!("unexpected data after the JSON document ({e})"))
    })?;
    Ok(value)
}

/// The JSON pointer of the value being read at 1-based `line` and `column` of `text` (where
/// serde_json reports an error): the keys and indices of the objects and arrays open there.
/// Gives ruleset errors their pointer without a path-tracking deserialiser.
pub(crate) fn pointer_at(text: &str, line: usize, column: usize) -> String {
    enum Open {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Open> = Vec::new();
    let (mut l, mut c) = (1, 0);
    let mut chars = text.chars().peekable();
    // In an object, whether the next string is a key.
    let mut want_key = false;
    while let Some(ch) = chars.next() {
        if ch == '\n' {
            l += 1;
            c = 0;
        } else {
            c += 1;
        }
        if (l, c) >= (line, column) {
            break;
        }
        match ch {
            '{' => {
                stack.push(Open::Object(None));
                want_key = true;
            }
            '[' => {
                stack.push(Open::Array(0));
                want_key = false;
            }
            '}' | ']' => {
                stack.pop();
                want_key = false;
            }
            ',' => match stack.last_mut() {
                Some(Open::Array(i)) => *i += 1,
                Some(Open::Object(_)) => want_key = true,
                None => {}
            },
            '"' => {
                let mut s = String::new();
                while let Some(x) = chars.next() {
                    c += 1;
                    match x {
                        '"' => break,
                        '\\' => {
                            c += 1;
                            if let Some(e) = chars.next() {
                                s.push(e);
                            }
                        }
                        '\n' => {
                            l += 1;
                            c = 0;
                        }
                        _ => s.push(x),
                    }
                }
                if want_key {
                    if let Some(Open::Object(k)) = stack.last_mut() {
                        *k = Some(s);
                    }
                    want_key = false;
                }
            }
            _ => {}
        }
    }
    stack
        .iter()
        .filter_map(|o| match o {
            Open::Object(Some(k)) => Some(format!("/{}", k.replace('~', "~0").replace('/', "~1"))),
            Open::Object(None) => None,
            Open::Array(i) => Some(format!("/{i}")),
        })
        .collect()
}

/// Deserialise `text` into `T`, an error giving the JSON pointer of where it failed.
pub(crate) fn from_str_at<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, (String, String)> {
    serde_json::from_str(text).map_err(|e| {
        let pointer = if e.line() == 0 { String::new() } else { pointer_at(text, e.line(), e.column()) };
        // serde_json appends " at line L column C"; the pointer says where instead.
        let message = e.to_string();
        let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m).to_owned();
        (pointer, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_without_duplicate_keys() {
        assert_eq!(parse(r#" {"a": [1, 2.5, "x", null, true]} "#).expect("valid")["a"][1], 2.5);
        let e = parse(r#"{"persons": []} {"persons": []}"#).expect_err("trailing document");
        assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidJson, ""));
        assert!(parse(r#"{"persons": []} x"#).is_err());
        let e = parse(r#"{"persons": [{"id": "a", "id": "b"}]}"#).expect_err("duplicate key");
        assert_eq!(e.code, ErrorCode::InvalidJson);
        assert!(e.message.contains("duplicate key \"id\""), "{e}");
        assert!(e.path.starts_with("/persons/0"), "{e}");
    }

    #[test]
    fn pointers_of_error_positions() {
        // RFC 6901 pointers of the value being read where serde_json stops.
        let text = "{\"a\": {\"b\": [1, 2, {\"c/d\": x}]}}";
        let col = text.find('x').map(|i| i + 1).unwrap_or(0);
        assert_eq!(super::pointer_at(text, 1, col), "/a/b/2/c~1d");
        let text = "{\n  \"p\": {\n    \"values\": [\n      {\"from\": \"2020-01\"},\n      {\"x\": 1}\n    ]\n  }\n}";
        assert_eq!(super::pointer_at(text, 5, 13), "/p/values/1/x");
        // A typed read names the field and drops serde_json's line and column.
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            n: u32,
        }
        let e = super::from_str_at::<Vec<T>>("[{\"n\": 1}, {\"n\": \"two\"}]").expect_err("a string is no u32");
        assert_eq!(e.0, "/1/n");
        assert!(e.1.starts_with("invalid type: string \"two\"") && !e.1.contains("line"), "{}", e.1);
    }
}
