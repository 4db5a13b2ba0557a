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
pub fn parse(text: &str) -> Result<Value, InputError> {
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

/// Read `value` as `T`, an error naming the JSON pointer and the code (`unknown_field`,
/// `missing_field`, `invalid_type`, `invalid_month` …) as for a household: for a service's own
/// request envelopes around one.
pub fn from_json_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, InputError> {
    serde_path_to_error::deserialize(value).map_err(|e| InputError::from_serde(e.path(), e.inner()))
}

/// Deserialise a string into `T` by its `FromStr` (borrowing the string where the input allows,
/// so no allocation), the parse error becoming the deserialiser's.
pub(crate) fn from_str_value<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    struct Parse<T>(std::marker::PhantomData<T>);
    impl<T: std::str::FromStr> Visitor<'_> for Parse<T>
    where
        T::Err: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            v.parse().map_err(E::custom)
        }
    }
    d.deserialize_str(Parse(std::marker::PhantomData))
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
}
