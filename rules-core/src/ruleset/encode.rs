//! The compiled form of a JSON document (shared by `build.rs`, which compiles the embedded
//! rulesets, and the library, which compiles a bundle's files the same way).
//!
//! A string table first: LEB128 lengths of its two parts, then every distinct string once — the
//! strings the reader keeps, as one UTF-8 text it validates once, then the `note` remarks, which
//! it checks are strings but does not read. Then one tag byte per value and its payload: `0` null, `1` false,
//! `2` true, `3` an unsigned integer (LEB128), `4` a negative integer (LEB128 of its two's
//! complement), `5` a float (8 bytes, little-endian), `6` a string (LEB128 offset and length in
//! the table), `7` an array (LEB128 count, items), `8` an object (LEB128 count, then key string
//! and value, in the order of the parsed object). Reading it needs no text scanning, number
//! parsing or unescaping, and strings are borrowed from the table.

/// Tag: null.
pub(crate) const NULL: u8 = 0;
/// Tag: false.
pub(crate) const FALSE: u8 = 1;
/// Tag: true.
pub(crate) const TRUE: u8 = 2;
/// Tag: an integer ≥ 0.
pub(crate) const UINT: u8 = 3;
/// Tag: an integer < 0.
pub(crate) const NINT: u8 = 4;
/// Tag: a float.
pub(crate) const FLOAT: u8 = 5;
/// Tag: a string.
pub(crate) const STR: u8 = 6;
/// Tag: an array.
pub(crate) const ARRAY: u8 = 7;
/// Tag: an object.
pub(crate) const OBJECT: u8 = 8;

/// Append `n` as LEB128.
pub(crate) fn varint(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The compiled form of `value`: its string table, then its values.
pub(crate) fn compile(value: &serde_json::Value) -> Vec<u8> {
    let mut notes = Vec::new();
    collect_notes(value, &mut notes);
    let mut e = Encoder { table: String::new(), at: std::collections::HashMap::new(), out: Vec::new() };
    // The kept strings first (the part the reader validates), the remarks after them.
    e.strings(value);
    let kept = e.table.len();
    for n in notes {
        e.intern(n);
    }
    e.value(value);
    let mut bytes = Vec::with_capacity(e.table.len() + e.out.len() + 8);
    varint(kept as u64, &mut bytes);
    varint((e.table.len() - kept) as u64, &mut bytes);
    bytes.extend_from_slice(e.table.as_bytes());
    bytes.extend_from_slice(&e.out);
    bytes
}

/// The `note` values of every object, in document order.
fn collect_notes<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match value {
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_notes(v, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match v {
                    serde_json::Value::String(s) if k == "note" => out.push(s),
                    _ => collect_notes(v, out),
                }
            }
        }
        _ => {}
    }
}

struct Encoder<'v> {
    table: String,
    at: std::collections::HashMap<&'v str, usize>,
    out: Vec<u8>,
}

impl<'v> Encoder<'v> {
    /// The offset of `s` in the table, adding it if new.
    fn intern(&mut self, s: &'v str) -> usize {
        match self.at.get(s) {
            Some(&o) => o,
            None => {
                let o = self.table.len();
                self.table.push_str(s);
                self.at.insert(s, o);
                o
            }
        }
    }

    /// Intern every string of `value` but the remarks.
    fn strings(&mut self, value: &'v serde_json::Value) {
        match value {
            serde_json::Value::String(s) => {
                self.intern(s);
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| self.strings(v)),
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    self.intern(k);
                    if !(k == "note" && v.is_string()) {
                        self.strings(v);
                    }
                }
            }
            _ => {}
        }
    }

    fn string(&mut self, s: &'v str) {
        let offset = self.intern(s);
        varint(offset as u64, &mut self.out);
        varint(s.len() as u64, &mut self.out);
    }

    fn value(&mut self, value: &'v serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => self.out.push(NULL),
            Value::Bool(b) => self.out.push(if *b { TRUE } else { FALSE }),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    self.out.push(UINT);
                    varint(u, &mut self.out);
                } else if let Some(i) = n.as_i64() {
                    self.out.push(NINT);
                    varint(i as u64, &mut self.out);
                } else {
                    self.out.push(FLOAT);
                    self.out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_le_bytes());
                }
            }
            Value::String(s) => {
                self.out.push(STR);
                self.string(s);
            }
            Value::Array(items) => {
                self.out.push(ARRAY);
                varint(items.len() as u64, &mut self.out);
                for v in items {
                    self.value(v);
                }
            }
            Value::Object(map) => {
                self.out.push(OBJECT);
                varint(map.len() as u64, &mut self.out);
                for (k, v) in map {
                    self.string(k);
                    self.value(v);
                }
            }
        }
    }
}
