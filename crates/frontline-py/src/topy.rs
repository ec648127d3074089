//! Extractions as Python objects, built in Rust: a `serde::Serializer` whose output is the
//! dict/list/str/int/float/bool/`None` tree that `json.loads` would return for the JSON
//! contract, without writing and parsing the JSON text in between.
//!
//! It follows `serde_json`'s data model exactly: structs and maps become dicts (keys in
//! serialisation order; a repeated key keeps its first place and its last value, as
//! `json.loads` does), sequences and tuples lists, unit and `None` become `None`, unit variants
//! their name, other variants a one-key dict, non-finite floats `None`, map keys that are
//! integers or booleans their JSON spelling, and an `f32` the `float` of its shortest
//! decimal (what `json.loads` reads back from `serde_json`'s text). Struct keys, which are
//! `&'static str`, are made into Python strings once per [`Builder`] and reused.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::Serialize;
use serde::ser;

/// Why a value could not be turned into Python objects (a Python error, or a serde error
/// such as a map key that JSON cannot spell).
#[derive(Debug)]
pub struct ToPyError(PyErr);

impl Display for ToPyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Display::fmt(&self.0, f)
    }
}

impl std::error::Error for ToPyError {}

impl ser::Error for ToPyError {
    fn custom<T: Display>(msg: T) -> Self {
        ToPyError(crate::FrontlineError::new_err(format!(
            "cannot convert an extraction to Python objects: {msg}"
        )))
    }
}

impl From<PyErr> for ToPyError {
    fn from(e: PyErr) -> Self {
        ToPyError(e)
    }
}

impl From<ToPyError> for PyErr {
    fn from(e: ToPyError) -> Self {
        e.0
    }
}

type Result<T> = std::result::Result<T, ToPyError>;

/// Python strings of `&'static str` keys and variant names, by address and length.
pub type Names = HashMap<(usize, usize), Py<PyString>, BuildHasherDefault<AddressHasher>>;

/// The hasher of [`Names`]: its keys are addresses and lengths of static strings, not
/// input, so a multiply-and-rotate hash (FxHash's) is enough, and much cheaper than SipHash
/// for the one lookup per key of every dict built.
#[derive(Default)]
pub struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(K);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Builds Python objects from serializable values; reuse one (or its [`Names`]) for many
/// values so that struct keys are created once.
pub struct Builder<'py> {
    py: Python<'py>,
    names: Names,
}

impl<'py> Builder<'py> {
    /// A builder with an empty key cache.
    pub fn new(py: Python<'py>) -> Self {
        Self::with_names(py, Names::default())
    }

    /// A builder that starts from the key cache of an earlier one.
    pub fn with_names(py: Python<'py>, names: Names) -> Self {
        Builder { py, names }
    }

    /// The key cache, to hand to the next builder.
    pub fn into_names(self) -> Names {
        self.names
    }

    /// `value` as Python objects (what `json.loads(serde_json::to_string(value))` returns).
    pub fn build<T: Serialize + ?Sized>(&mut self, value: &T) -> PyResult<Bound<'py, PyAny>> {
        Ok(value.serialize(&mut *self)?)
    }

    /// The Python string of a static name, created on first use.
    fn name(&mut self, s: &'static str) -> Bound<'py, PyString> {
        let py = self.py;
        self.names
            .entry((s.as_ptr() as usize, s.len()))
            .or_insert_with(|| PyString::new(py, s).unbind())
            .bind(py)
            .clone()
    }

    /// A one-key dict `{variant: value}` (serde's externally tagged variants).
    fn tagged(
        &mut self,
        variant: &'static str,
        value: Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>> {
        let dict = PyDict::new(self.py);
        dict.set_item(self.name(variant), value)?;
        Ok(dict.into_any())
    }
}

/// A map key as JSON spells it: strings as they are, integers and booleans as their text.
fn key_of<'py>(key: Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>> {
    if key.is_instance_of::<PyString>() {
        return Ok(key);
    }
    let py = key.py();
    if let Ok(b) = key.cast::<PyBool>() {
        let text = if b.is_true() { "true" } else { "false" };
        return Ok(PyString::new(py, text).into_any());
    }
    if key.is_instance_of::<PyInt>() {
        return Ok(key.str()?.into_any());
    }
    Err(ser::Error::custom(
        "a map key must be a string, an integer or a boolean",
    ))
}

macro_rules! ints {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<Bound<'py, PyAny>> {
            let Ok(int) = v.into_pyobject(self.py);
            Ok(int.into_any())
        }
    )*};
}

impl<'a, 'py> ser::Serializer for &'a mut Builder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ToPyError;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = Seq<'a, 'py>;
    type SerializeMap = Map<'a, 'py>;
    type SerializeStruct = Map<'a, 'py>;
    type SerializeStructVariant = Map<'a, 'py>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }

    ints!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
          serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
          serialize_u64: u64, serialize_u128: u128);

    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        // serde_json writes an f32 as its shortest decimal, which json.loads reads as an f64
        // (written on the stack, not in a String).
        let wide = if v.is_finite() {
            let mut buf = [0u8; 64];
            let mut w = std::io::Cursor::new(&mut buf[..]);
            match std::io::Write::write_fmt(&mut w, format_args!("{v}")) {
                Ok(()) => {
                    let n = w.position() as usize;
                    std::str::from_utf8(&buf[..n])
                        .ok()
                        .and_then(|t| t.parse::<f64>().ok())
                        .unwrap_or(f64::from(v))
                }
                Err(_) => f64::from(v),
            }
        } else {
            f64::NAN
        };
        self.serialize_f64(wide)
    }

    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        if v.is_finite() {
            Ok(PyFloat::new(self.py, v).into_any())
        } else {
            Ok(self.py.None().into_bound(self.py))
        }
    }

    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(PyString::new(self.py, v).into_any())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        let items = v.iter().map(|b| {
            let Ok(int) = b.into_pyobject(self.py);
            int.into_any()
        });
        Ok(PyList::new(self.py, items.collect::<Vec<_>>())?.into_any())
    }

    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Self::Ok> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        Ok(self.name(variant).into_any())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let inner = value.serialize(&mut *self)?;
        self.tagged(variant, inner)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(Seq {
            b: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        let dict = PyDict::new(self.py);
        Ok(Map {
            b: self,
            dict,
            key: None,
            variant: None,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

/// A list being built (sequences, tuples, tuple variants).
pub struct Seq<'a, 'py> {
    b: &'a mut Builder<'py>,
    items: Vec<Bound<'py, PyAny>>,
    /// The variant name of a tuple variant, which wraps the list in `{variant: list}`.
    variant: Option<&'static str>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let item = value.serialize(&mut *self.b)?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let list = PyList::new(self.b.py, self.items)?.into_any();
        match self.variant {
            Some(v) => self.b.tagged(v, list),
            None => Ok(list),
        }
    }
}

macro_rules! seq_impl {
    ($trait:ident, $method:ident) => {
        impl<'py> ser::$trait for Seq<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = ToPyError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.push(value)
            }

            fn end(self) -> Result<Self::Ok> {
                self.finish()
            }
        }
    };
}

seq_impl!(SerializeSeq, serialize_element);
seq_impl!(SerializeTuple, serialize_element);
seq_impl!(SerializeTupleStruct, serialize_field);
seq_impl!(SerializeTupleVariant, serialize_field);

/// A dict being built (maps, structs, struct variants).
pub struct Map<'a, 'py> {
    b: &'a mut Builder<'py>,
    dict: Bound<'py, PyDict>,
    /// The key of a map entry whose value has not come yet.
    key: Option<Bound<'py, PyAny>>,
    /// The variant name of a struct variant, which wraps the dict in `{variant: dict}`.
    variant: Option<&'static str>,
}

impl<'py> Map<'_, 'py> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        let value = value.serialize(&mut *self.b)?;
        self.dict.set_item(self.b.name(key), value)?;
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let dict = self.dict.into_any();
        match self.variant {
            Some(v) => self.b.tagged(v, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ToPyError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key_of(key.serialize(&mut *self.b)?)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let Some(key) = self.key.take() else {
            return Err(ser::Error::custom("a map value came before its key"));
        };
        let value = value.serialize(&mut *self.b)?;
        self.dict.set_item(key, value)?;
        Ok(())
    }

    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

macro_rules! struct_impl {
    ($trait:ident) => {
        impl<'py> ser::$trait for Map<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = ToPyError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<()> {
                self.field(key, value)
            }

            fn end(self) -> Result<Self::Ok> {
                self.finish()
            }
        }
    };
}

struct_impl!(SerializeStruct);
struct_impl!(SerializeStructVariant);
