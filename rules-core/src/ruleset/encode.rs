//! The compiled form of a JSON document (shared by `build.rs`, which compiles the embedded
//! rulesets, and the library, which compiles a bundle's files the same way).
//!
//! One tag byte per value, then its payload: `0` null, `1` false, `2` true, `3` an unsigned
//! integer (LEB128), `4` a negative integer (LEB128 of its two's complement), `5` a float (8 bytes,
//! little-endian), `6` a string (LEB128 length, UTF-8 bytes), `7` an array (LEB128 count, items),
//! `8` an object (LEB128 count, then key string and value, in the order of the parsed object). Reading it needs no
//! text scanning, number parsing or unescaping, and strings are borrowed from it.

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

fn string(s: &str, out: &mut Vec<u8>) {
    varint(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}

/// Append the compiled form of `value`.
pub(crate) fn encode(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Null => out.push(NULL),
        Value::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(UINT);
                varint(u, out);
            } else if let Some(i) = n.as_i64() {
                out.push(NINT);
                varint(i as u64, out);
            } else {
                out.push(FLOAT);
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(STR);
            string(s, out);
        }
        Value::Array(items) => {
            out.push(ARRAY);
            varint(items.len() as u64, out);
            for v in items {
                encode(v, out);
            }
        }
        Value::Object(map) => {
            out.push(OBJECT);
            varint(map.len() as u64, out);
            for (k, v) in map {
                string(k, out);
                encode(v, out);
            }
        }
    }
}
