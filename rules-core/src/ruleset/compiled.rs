//! Reading the compiled form of a ruleset file (see `encode.rs`): a serde deserialiser over the
//! bytes, which tracks where it is so that an error names its JSON pointer.

use super::encode::{self, ARRAY, FALSE, FLOAT, NINT, NULL, OBJECT, STR, TRUE, UINT};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use std::fmt;

/// A read error: the message and the JSON pointer of the value (or key) that failed.
#[derive(Debug)]
pub(crate) struct Error {
    message: String,
    pointer: Option<String>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error { message: msg.to_string(), pointer: None }
    }
}

/// One step of the path being read.
enum Step<'de> {
    Key(&'de str),
    Index(usize),
}

/// One value's tag and payload.
enum Token<'de> {
    Null,
    Bool(bool),
    Uint(u64),
    Int(i64),
    Float(f64),
    Str(&'de str),
    Array(usize),
    Object(usize),
}

struct Reader<'de> {
    data: &'de [u8],
    pos: usize,
    path: Vec<Step<'de>>,
}

/// Deserialise `T` from compiled bytes; an error gives (JSON pointer, message).
pub(crate) fn from_bytes<'de, T: serde::Deserialize<'de>>(data: &'de [u8]) -> Result<T, (String, String)> {
    let mut r = Reader { data, pos: 0, path: Vec::new() };
    match T::deserialize(&mut r) {
        Ok(v) if r.pos == data.len() => Ok(v),
        Ok(_) => Err((String::new(), "trailing data after the compiled document".into())),
        Err(e) => Err((e.pointer.unwrap_or_default(), e.message)),
    }
}

/// Deserialise `T` from a parsed JSON value, through its compiled form (one reader for every
/// ruleset file, embedded or given at run time).
pub(crate) fn from_value<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, (String, String)> {
    let mut bytes = Vec::new();
    encode::encode(value, &mut bytes);
    from_bytes(&bytes)
}

impl<'de> Reader<'de> {
    #[inline(never)]
    fn fail(&self, message: &str) -> Error {
        Error { message: message.to_owned(), pointer: None }
    }

    #[inline(never)]
    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self.data.get(self.pos).ok_or_else(|| self.fail("compiled document ends early"))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline(never)]
    fn peek(&self) -> Result<u8, Error> {
        self.data.get(self.pos).copied().ok_or_else(|| self.fail("compiled document ends early"))
    }

    #[inline(never)]
    fn varint(&mut self) -> Result<u64, Error> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(self.fail("bad integer in compiled document"))
    }

    #[inline(never)]
    fn len(&mut self) -> Result<usize, Error> {
        usize::try_from(self.varint()?).map_err(|_| self.fail("bad length in compiled document"))
    }

    #[inline(never)]
    fn str(&mut self) -> Result<&'de str, Error> {
        let n = self.len()?;
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| self.fail("compiled document ends early"))?;
        let s =
            std::str::from_utf8(&self.data[self.pos..end]).map_err(|_| self.fail("bad UTF-8 in compiled document"))?;
        self.pos = end;
        Ok(s)
    }

    /// The next value's tag and payload (an array's or object's count).
    #[inline(never)]
    fn token(&mut self) -> Result<Token<'de>, Error> {
        Ok(match self.byte()? {
            NULL => Token::Null,
            FALSE => Token::Bool(false),
            TRUE => Token::Bool(true),
            UINT => Token::Uint(self.varint()?),
            NINT => Token::Int(self.varint()? as i64),
            FLOAT => {
                let end = self.pos + 8;
                let bytes = self.data.get(self.pos..end).ok_or_else(|| self.fail("compiled document ends early"))?;
                let mut b = [0u8; 8];
                b.copy_from_slice(bytes);
                self.pos = end;
                Token::Float(f64::from_le_bytes(b))
            }
            STR => Token::Str(self.str()?),
            ARRAY => Token::Array(self.len()?),
            OBJECT => Token::Object(self.len()?),
            _ => return Err(self.fail("bad tag in compiled document")),
        })
    }

    /// The pointer of the current path.
    #[inline(never)]
    fn pointer(&self) -> String {
        let mut p = String::new();
        for s in &self.path {
            p.push('/');
            match s {
                Step::Key(k) => p.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Step::Index(i) => p.push_str(&i.to_string()),
            }
        }
        p
    }

    /// Read a value at `step` of the path, an error getting the pointer of where it happened.
    fn at<T>(&mut self, step: Step<'de>, read: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<T, Error> {
        self.path.push(step);
        let out = read(self);
        self.leave(out.as_ref().err())?;
        out
    }

    /// Leave the current step of the path; an error that has no pointer yet gets this one.
    #[inline(never)]
    fn leave(&mut self, failed: Option<&Error>) -> Result<(), Error> {
        let pointer = failed.filter(|e| e.pointer.is_none()).map(|_| self.pointer());
        self.path.pop();
        match (failed, pointer) {
            (Some(e), Some(p)) => Err(Error { message: e.message.clone(), pointer: Some(p) }),
            _ => Ok(()),
        }
    }
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(b) => visitor.visit_bool(b),
            Token::Uint(u) => visitor.visit_u64(u),
            Token::Int(i) => visitor.visit_i64(i),
            Token::Float(f) => visitor.visit_f64(f),
            Token::Str(s) => visitor.visit_borrowed_str(s),
            Token::Array(left) => visitor.visit_seq(Items { r: self, left, index: 0 }),
            Token::Object(left) => visitor.visit_map(Entries { r: self, left, key: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.peek()? == NULL {
            self.pos += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.peek()? {
            STR => {
                self.pos += 1;
                visitor.visit_enum(self.str()?.into_deserializer())
            }
            OBJECT => {
                self.pos += 1;
                if self.len()? != 1 {
                    return Err(self.fail("an enum variant is an object with one key"));
                }
                let key = self.str()?;
                self.path.push(Step::Key(key));
                let out = visitor.visit_enum(Variant { r: &mut *self, key });
                let out = out.map_err(|mut e| {
                    if e.pointer.is_none() {
                        e.pointer = Some(self.pointer());
                    }
                    e
                });
                self.path.pop();
                out
            }
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Items<'a, 'de> {
    r: &'a mut Reader<'de>,
    left: usize,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let i = self.index;
        self.index += 1;
        self.r.at(Step::Index(i), |r| seed.deserialize(r)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct Entries<'a, 'de> {
    r: &'a mut Reader<'de>,
    left: usize,
    key: Option<&'de str>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.r.str()?;
        self.key = Some(key);
        self.r.at(Step::Key(key), |_| seed.deserialize(de::value::BorrowedStrDeserializer::new(key))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let key = self.key.take().ok_or_else(|| self.r.fail("a value before its key"))?;
        self.r.at(Step::Key(key), |r| seed.deserialize(r))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct Variant<'a, 'de> {
    r: &'a mut Reader<'de>,
    key: &'de str,
}

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let v = seed.deserialize(de::value::BorrowedStrDeserializer::<Error>::new(self.key))?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        serde::Deserialize::deserialize(&mut *self.r)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(&mut *self.r)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.r.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        self.r.deserialize_any(visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct T {
        n: u32,
        #[serde(default)]
        s: Option<String>,
        e: Vec<E>,
        f: f64,
        i: i64,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum E {
        Unit,
        Pair(u8, u8),
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"n": 7, "s": null, "e": ["unit", {"pair": [1, 2]}], "f": 2.5, "i": -3}"#;
        let value: serde_json::Value = serde_json::from_str(text).expect("json");
        let t: T = from_value(&value).expect("compiled");
        assert_eq!(t, serde_json::from_str::<T>(text).expect("json"));
        assert_eq!(from_value::<serde_json::Value>(&value).expect("value"), value);
    }

    #[test]
    fn errors_name_their_pointer() {
        let read = |text: &str| from_value::<Vec<T>>(&serde_json::from_str(text).expect("json")).expect_err("bad");
        let e = read(r#"[{"n": 1, "e": [], "f": 1, "i": 1}, {"n": "two", "e": [], "f": 1, "i": 1}]"#);
        assert_eq!(e.0, "/1/n");
        assert_eq!(e.1, "invalid type: string \"two\", expected u32");
        let e = read(r#"[{"n": 1, "e": ["nope"], "f": 1, "i": 1}]"#);
        assert_eq!(e.0, "/0/e/0");
        let e = read(r#"[{"n": 1, "x": 0, "e": [], "f": 1, "i": 1}]"#);
        assert_eq!(e.0, "/0/x");
        assert!(e.1.starts_with("unknown field `x`"), "{}", e.1);
        let e = read(r#"[{"e": [], "f": 1, "i": 1}]"#);
        assert_eq!((e.0.as_str(), e.1.as_str()), ("/0", "missing field `n`"));
        // Broken bytes are an error, not a panic.
        for cut in 0..20 {
            let mut bytes = Vec::new();
            encode::encode(&serde_json::json!({"n": 1, "e": ["unit"], "f": 1.5, "i": -1}), &mut bytes);
            bytes.truncate(cut);
            assert!(from_bytes::<T>(&bytes).is_err());
        }
    }
}
