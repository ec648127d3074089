//! A compact JSON writer for `serde::Serialize` values whose output is byte-for-byte what
//! `serde_json::to_writer` writes, but cheaper on the extraction output (many short keys and
//! strings): it writes straight into a `Vec<u8>`, writes each struct key with its quotes and
//! colon in one copy, and checks strings for characters that need escaping eight bytes at a time.
//!
//! Numbers go through `serde_json`'s own `CompactFormatter`, so integers and floats are spelled
//! exactly as `serde_json` spells them; non-finite floats become `null`, as there.

use std::fmt::{self, Display};

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::ser::{CompactFormatter, Formatter};

/// Why a value could not be written as JSON.
#[derive(Debug)]
pub struct JsonError(String);

impl Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl ser::Error for JsonError {
    fn custom<T: Display>(msg: T) -> Self {
        JsonError(msg.to_string())
    }
}

impl From<std::io::Error> for JsonError {
    fn from(e: std::io::Error) -> Self {
        JsonError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, JsonError>;

/// Appends the compact JSON of `value` to `out` (what `serde_json::to_writer(out, value)`
/// would append).
pub fn append<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    value.serialize(&mut Writer { out })
}

/// The serializer: a borrowed output buffer.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// True when some byte of `w` is a control character (< 0x20), `"` or `\`.
#[inline]
fn word_needs_escape(w: u64) -> bool {
    let ctrl = w.wrapping_sub(LO * 0x20) & !w;
    let q = w ^ (LO * u64::from(b'"'));
    let quote = q.wrapping_sub(LO) & !q;
    let b = w ^ (LO * u64::from(b'\\'));
    let backslash = b.wrapping_sub(LO) & !b;
    (ctrl | quote | backslash) & HI != 0
}

#[inline]
fn byte_needs_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// True when no byte of `bytes` needs escaping (the usual case). Checked eight bytes at a time
/// without a branch per byte; a short string is read as two overlapping halves, so that the
/// many short keys and values cost a few instructions each.
#[inline]
fn is_plain(bytes: &[u8]) -> bool {
    if let Some(last) = bytes.last_chunk::<8>() {
        let mut bad = word_needs_escape(u64::from_le_bytes(*last));
        for c in bytes.chunks_exact(8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            bad |= word_needs_escape(u64::from_le_bytes(w));
        }
        !bad
    } else if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        let w = u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
        !word_needs_escape(w)
    } else {
        !bytes.iter().any(|&b| byte_needs_escape(b))
    }
}

/// Writes the escape of one byte that needs it, as `serde_json` does.
fn write_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => {
            let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            let lo = HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
        }
    }
}

/// Writes the contents of a string that has something to escape (without quotes): runs of
/// eight bytes that need nothing are skipped a word at a time (the document text has a few
/// line breaks in a kilobyte or more).
#[cold]
#[inline(never)]
fn write_escaped_contents(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(c) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            if !word_needs_escape(w) {
                i += 8;
                continue;
            }
        }
        if byte_needs_escape(b) {
            if let Some(run) = bytes.get(start..i) {
                out.extend_from_slice(run);
            }
            write_escape(out, b);
            start = i + 1;
        }
        i += 1;
    }
    if let Some(run) = bytes.get(start..) {
        out.extend_from_slice(run);
    }
}

/// Writes a quoted, escaped JSON string.
#[inline]
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if is_plain(bytes) {
        out.extend_from_slice(bytes);
    } else {
        write_escaped_contents(out, bytes);
    }
    out.push(b'"');
}

/// Writes `"key":`.
#[inline]
fn write_key(out: &mut Vec<u8>, key: &str) {
    let bytes = key.as_bytes();
    out.reserve(bytes.len() + 3);
    out.push(b'"');
    if is_plain(bytes) {
        out.extend_from_slice(bytes);
    } else {
        write_escaped_contents(out, bytes);
    }
    out.extend_from_slice(b"\":");
}

/// A sequence, map or struct being written; `close` is what ends it.
struct Compound<'w, 'a> {
    w: &'w mut Writer<'a>,
    first: bool,
    close: &'static [u8],
}

impl<'w, 'a> Compound<'w, 'a> {
    /// Opens a sequence (`[`) or map (`{`) closed by `close`; inside `{"variant":` when it is a
    /// variant's.
    fn open(
        w: &'w mut Writer<'a>,
        variant: Option<&'static str>,
        open: u8,
        close: &'static [u8],
    ) -> Self {
        if let Some(variant) = variant {
            w.out.push(b'{');
            write_key(w.out, variant);
        }
        w.out.push(open);
        Compound {
            w,
            first: true,
            close,
        }
    }

    #[inline]
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.w.out.push(b',');
        }
    }

    #[inline]
    fn finish(self) {
        self.w.out.extend_from_slice(self.close);
    }
}

/// The integer methods of a `serde::Serializer`: `$body` writes `$v` with `$write`, the
/// matching `serde_json::ser::Formatter` method (`write_i8` for `i8`, and so on).
macro_rules! serialize_integers {
    ($self:ident, $v:ident, $write:ident => $body:expr) => {
        serialize_integers!(@each $self, $v, $write, $body;
            serialize_i8 i8 write_i8, serialize_i16 i16 write_i16, serialize_i32 i32 write_i32,
            serialize_i64 i64 write_i64, serialize_i128 i128 write_i128,
            serialize_u8 u8 write_u8, serialize_u16 u16 write_u16, serialize_u32 u32 write_u32,
            serialize_u64 u64 write_u64, serialize_u128 u128 write_u128);
    };
    (@each $self:ident, $v:ident, $write:ident, $body:expr;
        $($method:ident $t:ident $formatter:ident),*) => {
        $(
            fn $method($self, $v: $t) -> Result<()> {
                let $write = <CompactFormatter as Formatter>::$formatter::<Vec<u8>>;
                $body
            }
        )*
    };
}

/// `serialize_unit_variant` (the variant's name as a string) and `serialize_newtype_struct`
/// (the inner value), which values and map keys write alike.
macro_rules! unit_variant_and_newtype_struct {
    () => {
        fn serialize_unit_variant(
            self,
            _name: &'static str,
            _index: u32,
            variant: &'static str,
        ) -> Result<()> {
            write_str(self.out, variant);
            Ok(())
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _name: &'static str,
            value: &T,
        ) -> Result<()> {
            value.serialize(self)
        }
    };
}

/// Tuples, tuple structs and tuple variants are written as sequences.
macro_rules! like_a_sequence {
    ($($serializer:ident::$method:ident),*) => {
        $(
            impl ser::$serializer for Compound<'_, '_> {
                type Ok = ();
                type Error = JsonError;

                fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                    ser::SerializeSeq::serialize_element(self, value)
                }

                fn end(self) -> Result<()> {
                    self.finish();
                    Ok(())
                }
            }
        )*
    };
}

impl<'w, 'a> ser::Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    serialize_integers!(self, v, write => Ok(write(&mut CompactFormatter, self.out, v)?));

    fn serialize_f32(self, v: f32) -> Result<()> {
        if v.is_finite() {
            Ok(CompactFormatter.write_f32(self.out, v)?)
        } else {
            self.out.extend_from_slice(b"null");
            Ok(())
        }
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        if v.is_finite() {
            Ok(CompactFormatter.write_f64(self.out, v)?)
        } else {
            self.out.extend_from_slice(b"null");
            Ok(())
        }
    }

    fn serialize_char(self, v: char) -> Result<()> {
        let mut buf = [0u8; 4];
        write_str(self.out, v.encode_utf8(&mut buf));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }

    unit_variant_and_newtype_struct!();

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.out.push(b'{');
        write_key(self.out, variant);
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'a>> {
        Ok(Compound::open(self, None, b'[', b"]"))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'a>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'w, 'a>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'a>> {
        Ok(Compound::open(self, Some(variant), b'[', b"]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'a>> {
        Ok(Compound::open(self, None, b'{', b"}"))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'w, 'a>> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'a>> {
        Ok(Compound::open(self, Some(variant), b'{', b"}}"))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = JsonError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.comma();
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<()> {
        self.finish();
        Ok(())
    }
}

like_a_sequence!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = JsonError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.comma();
        key.serialize(KeyWriter {
            out: &mut *self.w.out,
        })?;
        self.w.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<()> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = JsonError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.comma();
        write_key(self.w.out, key);
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<()> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = JsonError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }

    fn end(self) -> Result<()> {
        self.finish();
        Ok(())
    }
}

/// Writes a map key: strings as they are, integers, booleans and finite floats quoted, as
/// `serde_json` does; anything else is an error.
struct KeyWriter<'a> {
    out: &'a mut Vec<u8>,
}

fn key_error() -> JsonError {
    JsonError("key must be a string".into())
}

impl KeyWriter<'_> {
    fn quoted(self, f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Result<()> {
        self.out.push(b'"');
        f(self.out)?;
        self.out.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Impossible<(), JsonError>;
    type SerializeTuple = Impossible<(), JsonError>;
    type SerializeTupleStruct = Impossible<(), JsonError>;
    type SerializeTupleVariant = Impossible<(), JsonError>;
    type SerializeMap = Impossible<(), JsonError>;
    type SerializeStruct = Impossible<(), JsonError>;
    type SerializeStructVariant = Impossible<(), JsonError>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.quoted(|o| CompactFormatter.write_bool(o, v))
    }

    serialize_integers!(self, v, write => self.quoted(|o| write(&mut CompactFormatter, o, v)));

    fn serialize_f32(self, v: f32) -> Result<()> {
        if !v.is_finite() {
            return Err(JsonError(
                "float key must be finite (got NaN or +/-inf)".into(),
            ));
        }
        self.quoted(|o| CompactFormatter.write_f32(o, v))
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(JsonError(
                "float key must be finite (got NaN or +/-inf)".into(),
            ));
        }
        self.quoted(|o| CompactFormatter.write_f64(o, v))
    }

    fn serialize_char(self, v: char) -> Result<()> {
        let mut buf = [0u8; 4];
        write_str(self.out, v.encode_utf8(&mut buf));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(key_error())
    }

    fn serialize_none(self) -> Result<()> {
        Err(key_error())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(key_error())
    }

    fn serialize_unit(self) -> Result<()> {
        Err(key_error())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Err(key_error())
    }

    unit_variant_and_newtype_struct!();

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(key_error())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_error())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_error())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_error())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_error())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_error())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_error())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::append;

    fn same<T: Serialize>(value: &T) {
        let mut ours = Vec::new();
        append(&mut ours, value).unwrap();
        let theirs = serde_json::to_vec(value).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    #[test]
    fn strings_escape_as_serde_json() {
        for b in 0u8..128 {
            let c = char::from(b);
            for n in 0..20 {
                let mut s = "x".repeat(n);
                s.push(c);
                s.push_str("tail é ✓");
                same(&s);
                same(&c);
            }
        }
        same(&"");
        same(&"\u{7f}\u{80}\u{ffff}\u{10ffff}\"\\/");
        same(&"plain ascii text longer than sixteen bytes, no escapes at all");
        same(&"quote at the end of a long string \"");
    }

    #[test]
    fn every_length_and_escape_position() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
        for n in 0..=40 {
            let plain = &base[..n];
            same(&plain);
            let mut map = BTreeMap::new();
            map.insert(plain.to_string(), n);
            same(&map);
            for p in 0..n {
                for c in ['"', '\\', '\n', '\u{1}', '\u{1f}', 'é', '\u{7f}'] {
                    let mut s: String = base[..p].to_string();
                    s.push(c);
                    s.push_str(&base[p + 1..n]);
                    same(&s);
                }
            }
        }
    }

    #[derive(Serialize)]
    struct Inner {
        a: f64,
        b: Option<f32>,
        c: Vec<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        d: Option<i64>,
        e: (u8, i128, bool),
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        One(Inner),
        Two { x: u32 },
    }

    #[derive(Serialize)]
    struct Outer {
        id: usize,
        #[serde(flatten)]
        data: Tagged,
        map: BTreeMap<String, u64>,
        ints: BTreeMap<i32, char>,
        plain: Plain,
        unit: (),
    }

    #[derive(Serialize)]
    enum Plain {
        A,
        B(u8),
        C(u8, u8),
        D { y: String },
    }

    #[test]
    fn structures_as_serde_json() {
        let inner = || Inner {
            a: 0.1 + 0.2,
            b: Some(f32::NAN),
            c: vec![1, 2, 3],
            d: None,
            e: (7, -5, true),
        };
        for plain in [
            Plain::A,
            Plain::B(3),
            Plain::C(1, 2),
            Plain::D { y: "q\"".into() },
        ] {
            same(&Outer {
                id: 3,
                data: Tagged::One(inner()),
                map: [("k\n".to_string(), 1u64), ("z".into(), 2)].into(),
                ints: [(-1, 'a'), (2, '"')].into(),
                plain,
                unit: (),
            });
        }
        same(&Tagged::Two { x: 9 });
        same(&vec![
            f64::INFINITY,
            1e300,
            -0.0,
            33.0,
            35.329_200_744_628_906,
        ]);
        same(&vec![0.540_468_2f32, 18.384_716, 1.0]);
        same(&Vec::<u8>::new());
        same(&BTreeMap::<String, u8>::new());
        same(&(Some(1u8), None::<u8>));
        same(&serde_bytes_like(&[0, 255]));
    }

    struct Bytes<'a>(&'a [u8]);
    impl Serialize for Bytes<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    fn serde_bytes_like(b: &[u8]) -> Bytes<'_> {
        Bytes(b)
    }
}
