//! The serde serializers that walk a value and write it with the layout and scalar rules.

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::EmitError;
use super::layout::{Place, entry_key, entry_prefix, item_prefix, write_inline};
use super::scalar::{
    int_text, int128_text, write_f32, write_f64, write_field_key, write_key_str, write_str_value,
};

/// The integer methods of a serializer, written in decimal through its `inline` method.
macro_rules! integer_methods {
    () => {
        fn serialize_i8(self, v: i8) -> Result<(), EmitError> {
            self.serialize_i64(i64::from(v))
        }

        fn serialize_i16(self, v: i16) -> Result<(), EmitError> {
            self.serialize_i64(i64::from(v))
        }

        fn serialize_i32(self, v: i32) -> Result<(), EmitError> {
            self.serialize_i64(i64::from(v))
        }

        fn serialize_i64(self, v: i64) -> Result<(), EmitError> {
            let mut buf = [0u8; 24];
            self.inline(int_text(&mut buf, v < 0, v.unsigned_abs()))
        }

        fn serialize_i128(self, v: i128) -> Result<(), EmitError> {
            let mut buf = [0u8; 40];
            self.inline(int128_text(&mut buf, v < 0, v.unsigned_abs()))
        }

        fn serialize_u8(self, v: u8) -> Result<(), EmitError> {
            self.serialize_u64(u64::from(v))
        }

        fn serialize_u16(self, v: u16) -> Result<(), EmitError> {
            self.serialize_u64(u64::from(v))
        }

        fn serialize_u32(self, v: u32) -> Result<(), EmitError> {
            self.serialize_u64(u64::from(v))
        }

        fn serialize_u64(self, v: u64) -> Result<(), EmitError> {
            let mut buf = [0u8; 24];
            self.inline(int_text(&mut buf, false, v))
        }

        fn serialize_u128(self, v: u128) -> Result<(), EmitError> {
            let mut buf = [0u8; 40];
            self.inline(int128_text(&mut buf, false, v))
        }
    };
}

/// Writes the value of one entry of a document's top-level mapping in place of the value serde
/// gives (the caller knows that value and writes it faster): the entry's key and the writer,
/// called with where the value goes.
pub(super) type Splice<'a> = (
    &'static str,
    &'a mut dyn FnMut(&mut String, Place) -> Result<(), EmitError>,
);

/// Serializes one value at `place`.
pub(super) struct ValueSer<'a> {
    out: &'a mut String,
    place: Place,
    /// Only for the document itself: nested values are never spliced.
    splice: Option<Splice<'a>>,
}

impl<'a> ValueSer<'a> {
    /// Serializes a whole document into `out`, with `splice` for one top-level entry.
    pub(super) fn document(out: &'a mut String, splice: Option<Splice<'a>>) -> Self {
        ValueSer {
            out,
            place: Place::Top,
            splice,
        }
    }

    /// Serializes a value at `place` (inside a document being written).
    pub(super) fn at(out: &'a mut String, place: Place) -> Self {
        ValueSer {
            out,
            place,
            splice: None,
        }
    }

    fn inline(self, text: &str) -> Result<(), EmitError> {
        write_inline(self.out, self.place, text);
        Ok(())
    }

    /// Opens the one-entry mapping of a newtype, tuple or struct variant; returns where its
    /// value goes.
    fn open_variant(&mut self, variant: &str) -> Result<Place, EmitError> {
        let col = entry_prefix(self.out, self.place, true);
        entry_key(self.out, col, |out| {
            write_key_str(out, variant);
            Ok(())
        })
    }
}

impl<'a> ser::Serializer for ValueSer<'a> {
    type Ok = ();
    type Error = EmitError;
    type SerializeSeq = SeqSer<'a>;
    type SerializeTuple = SeqSer<'a>;
    type SerializeTupleStruct = SeqSer<'a>;
    type SerializeTupleVariant = SeqSer<'a>;
    type SerializeMap = MapSer<'a>;
    type SerializeStruct = MapSer<'a>;
    type SerializeStructVariant = MapSer<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), EmitError> {
        self.inline(if v { "true" } else { "false" })
    }

    integer_methods!();

    fn serialize_f32(self, v: f32) -> Result<(), EmitError> {
        write_f32(self.out, self.place, v);
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), EmitError> {
        write_f64(self.out, self.place, v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), EmitError> {
        let mut buf = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut buf))
    }

    fn serialize_str(self, v: &str) -> Result<(), EmitError> {
        write_str_value(self.out, self.place, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), EmitError> {
        let mut seq = SeqSer::new(self.out, self.place);
        for byte in v {
            ser::SerializeSeq::serialize_element(&mut seq, byte)?;
        }
        ser::SerializeSeq::end(seq)
    }

    fn serialize_none(self) -> Result<(), EmitError> {
        self.inline("null")
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EmitError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), EmitError> {
        self.inline("null")
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), EmitError> {
        self.inline("null")
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), EmitError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), EmitError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), EmitError> {
        let place = self.open_variant(variant)?;
        value.serialize(ValueSer::at(self.out, place))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqSer<'a>, EmitError> {
        Ok(SeqSer::new(self.out, self.place))
    }

    fn serialize_tuple(self, _len: usize) -> Result<SeqSer<'a>, EmitError> {
        Ok(SeqSer::new(self.out, self.place))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<SeqSer<'a>, EmitError> {
        Ok(SeqSer::new(self.out, self.place))
    }

    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<SeqSer<'a>, EmitError> {
        let place = self.open_variant(variant)?;
        Ok(SeqSer::new(self.out, place))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapSer<'a>, EmitError> {
        Ok(MapSer::spliced(self.out, self.place, self.splice))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapSer<'a>, EmitError> {
        Ok(MapSer::spliced(self.out, self.place, self.splice))
    }

    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<MapSer<'a>, EmitError> {
        let place = self.open_variant(variant)?;
        Ok(MapSer::new(self.out, place))
    }
}

/// Serializes the items of a sequence (also tuples and tuple variants).
pub(super) struct SeqSer<'a> {
    out: &'a mut String,
    place: Place,
    first: bool,
}

impl<'a> SeqSer<'a> {
    fn new(out: &'a mut String, place: Place) -> Self {
        SeqSer {
            out,
            place,
            first: true,
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EmitError> {
        let col = item_prefix(self.out, self.place, self.first);
        self.first = false;
        value.serialize(ValueSer::at(&mut *self.out, Place::Dash(col)))
    }

    fn finish(self) -> Result<(), EmitError> {
        if self.first {
            write_inline(self.out, self.place, "[]");
        }
        Ok(())
    }
}

/// Sequences, tuples, tuple structs and tuple variants are all written as a list.
macro_rules! list_serializer {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for SeqSer<'_> {
            type Ok = ();
            type Error = EmitError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EmitError> {
                self.item(value)
            }

            fn end(self) -> Result<(), EmitError> {
                self.finish()
            }
        }
    )*};
}

list_serializer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Serializes the entries of a mapping (also structs and struct variants).
pub(super) struct MapSer<'a> {
    out: &'a mut String,
    place: Place,
    first: bool,
    /// Where the value of the key just written goes.
    value_place: Place,
    splice: Option<Splice<'a>>,
}

impl<'a> MapSer<'a> {
    pub(super) fn new(out: &'a mut String, place: Place) -> Self {
        MapSer::spliced(out, place, None)
    }

    fn spliced(out: &'a mut String, place: Place, splice: Option<Splice<'a>>) -> Self {
        MapSer {
            out,
            place,
            first: true,
            value_place: Place::Key(place.inner()),
            splice,
        }
    }

    fn key_with(
        &mut self,
        write_key: impl FnOnce(&mut String) -> Result<(), EmitError>,
    ) -> Result<(), EmitError> {
        let col = entry_prefix(self.out, self.place, self.first);
        self.first = false;
        self.value_place = entry_key(self.out, col, write_key)?;
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EmitError> {
        value.serialize(ValueSer::at(&mut *self.out, self.value_place))
    }

    pub(super) fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), EmitError> {
        self.entry(key, |out| write_key_str(out, key), value)
    }

    /// Writes a struct field: [`MapSer::field`] with a name known for the whole run.
    fn struct_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EmitError> {
        self.entry(key, |out| write_field_key(out, key), value)
    }

    /// Writes the entry `key` (written by `write_key`) and its value, or the splice's when the
    /// entry is the spliced one.
    #[inline]
    fn entry<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        write_key: impl FnOnce(&mut String),
        value: &T,
    ) -> Result<(), EmitError> {
        self.key_with(|out| {
            write_key(out);
            Ok(())
        })?;
        match &mut self.splice {
            Some((spliced, write)) if *spliced == key => write(self.out, self.value_place),
            _ => self.value(value),
        }
    }

    /// Writes an entry whose value `write` writes, given where it goes.
    pub(super) fn field_with(
        &mut self,
        key: &str,
        write: impl FnOnce(&mut String, Place) -> Result<(), EmitError>,
    ) -> Result<(), EmitError> {
        self.key_with(|out| {
            write_key_str(out, key);
            Ok(())
        })?;
        write(self.out, self.value_place)
    }

    pub(super) fn finish(self) -> Result<(), EmitError> {
        if self.first {
            write_inline(self.out, self.place, "{}");
        }
        Ok(())
    }
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = ();
    type Error = EmitError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EmitError> {
        self.key_with(|out| key.serialize(KeySer { out }))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EmitError> {
        self.value(value)
    }

    fn end(self) -> Result<(), EmitError> {
        self.finish()
    }
}

/// Structs and struct variants are both written as a mapping.
macro_rules! struct_serializer {
    ($($trait:ident),*) => {$(
        impl ser::$trait for MapSer<'_> {
            type Ok = ();
            type Error = EmitError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), EmitError> {
                self.struct_field(key, value)
            }

            fn end(self) -> Result<(), EmitError> {
                self.finish()
            }
        }
    )*};
}

struct_serializer!(SerializeStruct, SerializeStructVariant);

/// Serializes a map key: strings, and integers, booleans and chars as their string form.
struct KeySer<'a> {
    out: &'a mut String,
}

fn key_error(what: &str) -> EmitError {
    EmitError(format!("a map key must be a string, not {what}"))
}

impl KeySer<'_> {
    fn inline(self, text: &str) -> Result<(), EmitError> {
        write_key_str(self.out, text);
        Ok(())
    }
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = EmitError;
    type SerializeSeq = Impossible<(), EmitError>;
    type SerializeTuple = Impossible<(), EmitError>;
    type SerializeTupleStruct = Impossible<(), EmitError>;
    type SerializeTupleVariant = Impossible<(), EmitError>;
    type SerializeMap = Impossible<(), EmitError>;
    type SerializeStruct = Impossible<(), EmitError>;
    type SerializeStructVariant = Impossible<(), EmitError>;

    fn serialize_bool(self, v: bool) -> Result<(), EmitError> {
        write_key_str(self.out, if v { "true" } else { "false" });
        Ok(())
    }

    integer_methods!();

    fn serialize_f32(self, _v: f32) -> Result<(), EmitError> {
        Err(key_error("a float"))
    }

    fn serialize_f64(self, _v: f64) -> Result<(), EmitError> {
        Err(key_error("a float"))
    }

    fn serialize_char(self, v: char) -> Result<(), EmitError> {
        let mut buf = [0u8; 4];
        write_key_str(self.out, v.encode_utf8(&mut buf));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), EmitError> {
        write_key_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), EmitError> {
        Err(key_error("bytes"))
    }

    fn serialize_none(self) -> Result<(), EmitError> {
        Err(key_error("None"))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EmitError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), EmitError> {
        Err(key_error("unit"))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), EmitError> {
        Err(key_error(&format!("the unit struct {name}")))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), EmitError> {
        write_key_str(self.out, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), EmitError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _value: &T,
    ) -> Result<(), EmitError> {
        Err(key_error(&format!("the newtype variant {variant}")))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, EmitError> {
        Err(key_error("a sequence"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, EmitError> {
        Err(key_error("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, EmitError> {
        Err(key_error(&format!("the tuple struct {name}")))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, EmitError> {
        Err(key_error(&format!("the tuple variant {variant}")))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, EmitError> {
        Err(key_error("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, EmitError> {
        Err(key_error(&format!("the struct {name}")))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, EmitError> {
        Err(key_error(&format!("the struct variant {variant}")))
    }
}
