//! Reading the compiled form of a ruleset file (see `encode.rs`): a serde deserialiser over the
//! bytes. It keeps no path while reading; an error's JSON pointer is worked out afterwards from
//! the byte position where it happened (`pointer_at`), so the read itself stays small and fast.

use super::encode::{self, ARRAY, FALSE, FLOAT, NINT, NULL, OBJECT, STR, TRUE, UINT};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use std::fmt;

/// A read error.
#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
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
    /// The strings of the document that are kept (validated once).
    table: &'de str,
    /// The remarks after them (`note`: checked to be strings, not read).
    remarks: &'de [u8],
    data: &'de [u8],
    /// Where the values start (after the table).
    start: usize,
    pos: usize,
    /// Where the last object or array whose entries were all read ended, and how many ended
    /// there: an error at that byte (a missing field, too few items) is the last one's, not its
    /// last entry's.
    closed: (usize, usize),
}

/// Deserialise `T` from compiled bytes; an error gives (JSON pointer, message).
pub(crate) fn from_bytes<'de, T: serde::Deserialize<'de>>(data: &'de [u8]) -> Result<T, (String, String)> {
    let broken = |m: &str| (String::new(), m.to_owned());
    let mut r = Reader { table: "", remarks: &[], data, start: 0, pos: 0, closed: (usize::MAX, 0) };
    let (kept, remarks) = (r.len().map_err(|e| broken(&e.0))?, r.len().map_err(|e| broken(&e.0))?);
    let mid = kept.checked_add(r.pos).filter(|&e| e <= data.len());
    let end = mid.and_then(|m| m.checked_add(remarks)).filter(|&e| e <= data.len());
    let (Some(mid), Some(end)) = (mid, end) else { return Err(broken("compiled document ends early")) };
    r.table = std::str::from_utf8(&data[r.pos..mid]).map_err(|_| broken("bad UTF-8 in compiled document"))?;
    r.remarks = &data[mid..end];
    (r.start, r.pos) = (end, end);
    match T::deserialize(&mut r) {
        Ok(v) if r.pos == data.len() => Ok(v),
        Ok(_) => Err(broken("trailing data after the compiled document")),
        Err(e) => Err((r.pointer_at(r.pos, if r.closed.0 == r.pos { r.closed.1 } else { 0 }), e.0)),
    }
}

/// Deserialise `T` from a parsed JSON value, through its compiled form (one reader for every
/// ruleset file, embedded or given at run time).
pub(crate) fn from_value<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, (String, String)> {
    from_bytes(&encode::compile(value))
}

/// An open container while walking to a position: its entries left, and the key or index of the
/// entry being read.
enum Open<'de> {
    Object { left: usize, key: Option<&'de str> },
    Array { left: usize, index: Option<usize> },
}

impl<'de> Reader<'de> {
    /// A container was read to its end here.
    #[inline]
    fn close(&mut self) {
        self.closed = if self.closed.0 == self.pos { (self.pos, self.closed.1 + 1) } else { (self.pos, 1) };
    }

    #[cold]
    #[inline(never)]
    fn fail(&self, message: &str) -> Error {
        Error(message.to_owned())
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self.data.get(self.pos).ok_or_else(|| self.fail("compiled document ends early"))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn peek(&self) -> Result<u8, Error> {
        self.data.get(self.pos).copied().ok_or_else(|| self.fail("compiled document ends early"))
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, Error> {
        // Most lengths, offsets and small numbers are one byte.
        if let Some(&b) = self.data.get(self.pos).filter(|&&b| b < 0x80) {
            self.pos += 1;
            return Ok(u64::from(b));
        }
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

    #[inline]
    fn len(&mut self) -> Result<usize, Error> {
        usize::try_from(self.varint()?).map_err(|_| self.fail("bad length in compiled document"))
    }

    /// A string's place (`offset`, end) in the table: the kept strings, then the remarks.
    #[inline]
    fn span(&mut self) -> Result<(usize, usize), Error> {
        let (offset, len) = (self.len()?, self.len()?);
        let end = offset.checked_add(len).ok_or_else(|| self.fail("bad string in compiled document"))?;
        Ok((offset, end))
    }

    #[inline]
    fn str(&mut self) -> Result<&'de str, Error> {
        let (offset, end) = self.span()?;
        match self.table.get(offset..end) {
            Some(s) => Ok(s),
            None => self.remark_str(offset, end),
        }
    }

    /// A string of the remarks, read as text after all (validated now).
    #[cold]
    #[inline(never)]
    fn remark_str(&self, offset: usize, end: usize) -> Result<&'de str, Error> {
        let bytes = self.remark(offset, end);
        bytes.and_then(|b| std::str::from_utf8(b).ok()).ok_or_else(|| self.fail("bad string in compiled document"))
    }

    fn remark(&self, offset: usize, end: usize) -> Option<&'de [u8]> {
        let k = self.table.len();
        (offset >= k).then(|| self.remarks.get(offset - k..end - k)).flatten()
    }

    /// A string's bytes without reading them as text (a remark).
    #[inline(never)]
    fn raw(&mut self) -> Result<&'de [u8], Error> {
        let (offset, end) = self.span()?;
        let table: &'de [u8] = self.table.as_bytes();
        let bytes = table.get(offset..end).or_else(|| self.remark(offset, end));
        bytes.ok_or_else(|| self.fail("bad string in compiled document"))
    }

    /// Skip one value (what serde ignores), without reading its strings.
    #[inline(never)]
    fn skip(&mut self) -> Result<(), Error> {
        match self.token()? {
            Token::Array(n) => (0..n).try_for_each(|_| self.skip()),
            Token::Object(n) => (0..n).try_for_each(|_| self.span().and_then(|_| self.skip())),
            _ => Ok(()),
        }
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

    /// The JSON pointer of the value being read when the reader stopped at byte `at`: the keys
    /// and indices of the containers open there (read again from the start). `closed`: how many
    /// containers had been read to their end right at `at` (the error is the outermost of them's).
    #[cold]
    #[inline(never)]
    fn pointer_at(&self, at: usize, closed: usize) -> String {
        let mut r = Reader { pos: self.start, closed: (0, 0), ..*self };
        let mut stack: Vec<Open<'de>> = Vec::new();
        while r.pos < at {
            // Enter the next entry of the innermost container (its key or index).
            match stack.last_mut() {
                Some(Open::Object { left: 0, .. }) | Some(Open::Array { left: 0, .. }) => {
                    stack.pop();
                    continue;
                }
                Some(Open::Object { left, key }) => {
                    *left -= 1;
                    *key = r.str().ok();
                    if r.pos >= at {
                        break;
                    }
                }
                Some(Open::Array { left, index }) => {
                    *left -= 1;
                    *index = Some(index.map_or(0, |i| i + 1));
                }
                None => {}
            }
            match r.token() {
                Ok(Token::Object(n)) => stack.push(Open::Object { left: n, key: None }),
                Ok(Token::Array(n)) => stack.push(Open::Array { left: n, index: None }),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        if closed > 0 {
            // The error is the container's that ended last here, not its last entry's.
            stack.truncate(stack.len().saturating_sub(closed - 1));
            match stack.last_mut() {
                Some(Open::Object { key, .. }) => *key = None,
                Some(Open::Array { index, .. }) => *index = None,
                None => {}
            }
        }
        let mut p = String::new();
        for o in &stack {
            match o {
                Open::Object { key: Some(k), .. } => {
                    p.push('/');
                    p.push_str(&k.replace('~', "~0").replace('/', "~1"));
                }
                Open::Array { index: Some(i), .. } => {
                    p.push('/');
                    p.push_str(&i.to_string());
                }
                _ => {}
            }
        }
        p
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
            Token::Array(left) => visitor.visit_seq(Items { r: self, left }),
            Token::Object(left) => visitor.visit_map(Entries { r: self, left }),
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
                visitor.visit_enum(Variant { r: self, key })
            }
            _ => self.deserialize_any(visitor),
        }
    }

    /// A string as bytes, not read as text (what a remark asks for); any other value as itself.
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.peek()? == STR {
            self.pos += 1;
            visitor.visit_borrowed_bytes(self.raw()?)
        } else {
            self.deserialize_any(visitor)
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip()?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct Items<'a, 'de> {
    r: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            self.r.close();
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.r).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct Entries<'a, 'de> {
    r: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            self.r.close();
            return Ok(None);
        }
        self.left -= 1;
        let key = self.r.str()?;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.r)
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

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        m: u8,
        inner: Inner,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
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
        // A missing field of an outer object that ends where its last inner object ends.
        let e = from_value::<Vec<Outer>>(&serde_json::json!([{"inner": {"n": 1}}])).expect_err("no m");
        assert_eq!((e.0.as_str(), e.1.as_str()), ("/0", "missing field `m`"));
        let e = from_value::<Vec<Outer>>(&serde_json::json!([{"m": 1, "inner": {}}])).expect_err("no n");
        assert_eq!((e.0.as_str(), e.1.as_str()), ("/0/inner", "missing field `n`"));
        let e = from_value::<Vec<Outer>>(&serde_json::json!([{"m": 1, "inner": {"n": -1}}])).expect_err("u8");
        assert_eq!(e.0, "/0/inner/n");
        // Broken bytes are an error, not a panic.
        for cut in 0..20 {
            let mut bytes = encode::compile(&serde_json::json!({"n": 1, "e": ["unit"], "f": 1.5, "i": -1}));
            bytes.truncate(cut);
            assert!(from_bytes::<T>(&bytes).is_err());
        }
    }
}
