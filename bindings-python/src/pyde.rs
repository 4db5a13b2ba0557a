//! A serde deserializer that reads Python objects directly — dict, list, tuple, str, int, float,
//! bool, None, and `datetime.date` / `datetime.datetime` (as their ISO date) — so a household
//! dict becomes the input type without a JSON text round trip. Errors are serde_json's, so the
//! core classifies them (code and JSON pointer) exactly as for JSON text.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, IntoDeserializer, Visitor};
use serde_json::Error;

/// A Python object as a serde deserializer.
pub(crate) struct PyDe<'a, 'py>(pub(crate) &'a Bound<'py, PyAny>);

fn custom(message: impl std::fmt::Display) -> Error {
    de::Error::custom(message)
}

impl PyDe<'_, '_> {
    fn type_name(&self) -> String {
        self.0.get_type().name().map_or_else(|_| "object".to_owned(), |n| n.to_string())
    }

    /// A `date` or `datetime` as `YYYY-MM-DD` (a datetime's calendar date, as the JSON path does).
    fn iso_date(&self) -> Option<Result<String, Error>> {
        let o = self.0;
        let date = if o.is_instance_of::<PyDateTime>() {
            o.call_method0("date")
        } else if o.is_instance_of::<PyDate>() {
            Ok(o.clone())
        } else {
            return None;
        };
        Some(date.and_then(|d| d.call_method0("isoformat")).and_then(|s| s.extract::<String>()).map_err(custom))
    }
}

impl<'de> de::Deserializer<'de> for PyDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let o = self.0;
        if o.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(b) = o.cast::<PyBool>() {
            return visitor.visit_bool(b.is_true());
        }
        if o.is_instance_of::<PyInt>() {
            if let Ok(i) = o.extract::<i64>() {
                return visitor.visit_i64(i);
            }
            return match o.extract::<u64>() {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => Err(custom("the integer is out of range")),
            };
        }
        if let Ok(f) = o.cast::<PyFloat>() {
            let v = f.value();
            if !v.is_finite() {
                return Err(custom("expected a finite number (NaN and infinity are not amounts)"));
            }
            return visitor.visit_f64(v);
        }
        if let Ok(s) = o.cast::<PyString>() {
            return visitor.visit_str(&s.to_cow().map_err(custom)?);
        }
        if let Ok(d) = o.cast::<PyDict>() {
            return visitor.visit_map(Map { items: d.iter(), value: None });
        }
        if let Ok(l) = o.cast::<PyList>() {
            return visitor.visit_seq(Seq { items: l.iter().collect::<Vec<_>>().into_iter() });
        }
        if let Ok(t) = o.cast::<PyTuple>() {
            return visitor.visit_seq(Seq { items: t.iter().collect::<Vec<_>>().into_iter() });
        }
        if let Some(date) = self.iso_date() {
            return visitor.visit_str(&date?);
        }
        Err(custom(format!("invalid type: a {} is not JSON data", self.type_name())))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // An object of the model is a dict, never a list of its fields by position.
        match self.0.cast::<PyDict>() {
            Ok(d) => visitor.visit_map(Map { items: d.iter(), value: None }),
            Err(_) => Err(custom(format!("invalid type: {}, expected a JSON object (a dict)", self.type_name()))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0.cast::<PyString>() {
            Ok(s) => visitor.visit_enum(s.to_cow().map_err(custom)?.into_owned().into_deserializer()),
            Err(_) => Err(custom(format!("invalid type: {}, expected a string", self.type_name()))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

struct Map<'py> {
    items: pyo3::types::iter::BoundDictIterator<'py>,
    value: Option<Bound<'py, PyAny>>,
}

impl<'de> de::MapAccess<'de> for Map<'_> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((k, v)) = self.items.next() else { return Ok(None) };
        let key = k.cast::<PyString>().map_err(|_| custom("invalid type: a key that is not a string"))?;
        self.value = Some(v);
        seed.deserialize(key.to_cow().map_err(custom)?.into_owned().into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let v = self.value.take().ok_or_else(|| custom("a value without its key"))?;
        seed.deserialize(PyDe(&v))
    }
}

struct Seq<'py> {
    items: std::vec::IntoIter<Bound<'py, PyAny>>,
}

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(v) => seed.deserialize(PyDe(&v)).map(Some),
            None => Ok(None),
        }
    }
}
