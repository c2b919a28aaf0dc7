//! zave's one YAML emitter: a serde serializer writing any value as a deterministic YAML document.
//!
//! There is exactly one output style, chosen so that the text reads back identically with YAML
//! 1.1 and YAML 1.2 readers (serde_yaml among them) and looks like what `kubectl` prints:
//!
//! - Block mappings with 2-space indentation; keys in the order serde gives them.
//! - A sequence that is the value of a mapping key sits at the key's own indentation
//!   (`key:` then `- item` in the same column); a mapping or sequence inside a sequence item
//!   starts on the `- ` line (`- name: app`, `- - a`).
//! - An empty mapping is `{}`, an empty sequence `[]`, unit and `None` are `null`.
//! - Integers in decimal. Floats in the shortest form that reads back to the same value, always
//!   with a `.` so they stay floats: `1.0`, `0.25`; outside `1e-5 <= |x| < 1e16` in exponent form
//!   with a signed exponent, `1.0e+300`, `1.5e-7` (a form YAML 1.1 also reads as a float);
//!   `.nan`, `.inf`, `-.inf`.
//! - Strings plain when that is safe, else double-quoted with escapes; a string is quoted when a
//!   YAML 1.1 or 1.2 reader could take it for null, a boolean, a number, a timestamp, a merge or
//!   value key, or when it is not a valid plain scalar (indicator first, `: `, ` #`, trailing `:`,
//!   leading or trailing space, control, non-printable or line-break characters).
//! - A string with a line break is a literal block scalar (`|` when it ends with exactly one
//!   `\n`, `|-` when it ends with none), content 2 columns deeper than its key or `- `, when that
//!   reads back exactly; otherwise (more trailing newlines, a line starting with a space or tab,
//!   a carriage return or another character that needs escaping, no non-empty line) it is
//!   double-quoted.
//! - Map keys are strings. Integer, boolean and char keys are written as their string form
//!   (so `8080` becomes the quoted key `"8080"`, as `serde_json` would write it); unit variants
//!   are their name; any other key (float, `None`, unit, sequence, map, ...) is an [`EmitError`].
//!   A key longer than 1024 bytes as written uses the explicit `? key` / `: value` form, since
//!   YAML limits implicit keys to 1024 characters.
//! - Newtype structs are transparent; unit variants are their name; newtype, tuple and struct
//!   variants are a mapping with the variant name as its one key.
//! - The document has no `---` and ends with exactly one `\n`.

use serde::Serialize;
use serde::ser::{self, Impossible};
use std::fmt::{Display, LowerExp, Write as _};

/// A value that cannot be written as YAML (a map key that is not a string, for one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write YAML: {0}")]
pub struct EmitError(pub String);

impl ser::Error for EmitError {
    fn custom<T: Display>(msg: T) -> Self {
        EmitError(msg.to_string())
    }
}

/// Writes `value` as a YAML block document (ends with exactly one "\n"; no leading "---").
pub fn to_yaml<T: Serialize + ?Sized>(value: &T) -> Result<String, EmitError> {
    let mut out = String::with_capacity(1024);
    write_yaml(value, &mut out)?;
    Ok(out)
}

/// Appends `value` as a YAML block document to `out` (same format as [`to_yaml`]); on error `out`
/// is left as it was. `out` should be empty or end with a line break.
pub fn write_yaml<T: Serialize + ?Sized>(value: &T, out: &mut String) -> Result<(), EmitError> {
    let start = out.len();
    let result = value.serialize(ValueSer {
        out: &mut *out,
        place: Place::Top,
    });
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Longest key text (quotes included) written as an implicit `key: value`; YAML allows 1024
/// characters and a byte count is never below the character count.
const MAX_IMPLICIT_KEY: usize = 1024;

/// Where the value about to be written goes.
#[derive(Clone, Copy)]
enum Place {
    /// The document root, at the start of a line.
    Top,
    /// Right after `key:` whose key starts in this column.
    Key(usize),
    /// Right after `- ` (or the `: ` of an explicit key) whose indicator is in this column.
    Dash(usize),
}

impl Place {
    /// Column of the entries of a mapping written here.
    fn inner(self) -> usize {
        match self {
            Place::Top => 0,
            Place::Key(col) | Place::Dash(col) => col + 2,
        }
    }

    /// Column of block-scalar content written here (never 0: readers want it indented).
    fn block_col(self) -> usize {
        match self {
            Place::Top => 2,
            Place::Key(col) | Place::Dash(col) => col + 2,
        }
    }

    /// Column of the `- ` of sequence items written here (kubectl style under a key).
    fn seq_col(self) -> usize {
        match self {
            Place::Top => 0,
            Place::Key(col) => col,
            Place::Dash(col) => col + 2,
        }
    }

    /// What goes between the indicator and an inline value.
    fn sep(self) -> &'static str {
        match self {
            Place::Key(_) => " ",
            Place::Top | Place::Dash(_) => "",
        }
    }
}

const SPACES: &str = "                                                                ";

fn indent(out: &mut String, mut n: usize) {
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(SPACES.get(..n).unwrap_or(""));
}

/// Writes what precedes a mapping entry's key; returns the key's column.
fn entry_prefix(out: &mut String, place: Place, first: bool) -> usize {
    let col = place.inner();
    match (first, place) {
        (true, Place::Key(_)) => {
            out.push('\n');
            indent(out, col);
        }
        (true, Place::Top | Place::Dash(_)) => {}
        (false, _) => indent(out, col),
    }
    col
}

/// Writes what precedes a sequence item, `- ` included; returns the column of the `-`.
fn item_prefix(out: &mut String, place: Place, first: bool) -> usize {
    let col = place.seq_col();
    match (first, place) {
        (true, Place::Key(_)) => {
            out.push('\n');
            indent(out, col);
        }
        (true, Place::Top | Place::Dash(_)) => {}
        (false, _) => indent(out, col),
    }
    out.push_str("- ");
    col
}

/// Writes a key (via `write_key`) and its indicator; returns where the value goes.
fn entry_key(
    out: &mut String,
    col: usize,
    write_key: impl FnOnce(&mut String) -> Result<(), EmitError>,
) -> Result<Place, EmitError> {
    let start = out.len();
    write_key(out)?;
    if out.len() - start > MAX_IMPLICIT_KEY {
        out.insert_str(start, "? ");
        out.push('\n');
        indent(out, col);
        out.push_str(": ");
        Ok(Place::Dash(col))
    } else {
        out.push(':');
        Ok(Place::Key(col))
    }
}

/// Writes a one-line value (a scalar, `{}` or `[]`) and ends the line.
fn write_inline(out: &mut String, place: Place, text: &str) {
    out.push_str(place.sep());
    out.push_str(text);
    out.push('\n');
}

// ---------------------------------------------------------------------------------------------
// Scalars.

/// Bytes that need a closer look in a plain scalar: controls, `:`, `#`, DEL and non-ASCII.
#[inline]
fn needs_look(b: u8) -> bool {
    !(0x20..0x7F).contains(&b) || b == b':' || b == b'#'
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes packed in `v` [`needs_look`] (exact, eight bytes at a time).
#[inline]
fn word_needs_look(v: u64) -> bool {
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let below_space = v.wrapping_sub(ONES * 0x20) & !v & HIGHS;
    (v & HIGHS)
        | below_space
        | has_zero(v ^ (ONES * u64::from(b':')))
        | has_zero(v ^ (ONES * u64::from(b'#')))
        | has_zero(v ^ (ONES * 0x7F))
        != 0
}

/// First-byte classes for [`is_plain`].
const FIRST_OK: u8 = 0;
const FIRST_INDICATOR: u8 = 1;
const FIRST_NUMBER: u8 = 2;
const FIRST_SYMBOL: u8 = 3;
const FIRST_WORD: u8 = 4;

static FIRST: [u8; 256] = {
    let mut table = [FIRST_OK; 256];
    let indicators = b"-?:,[]{}#&*!|>'\"%@` ";
    let mut i = 0;
    while i < indicators.len() {
        table[indicators[i] as usize] = FIRST_INDICATOR;
        i += 1;
    }
    let mut d = b'0';
    while d <= b'9' {
        table[d as usize] = FIRST_NUMBER;
        d += 1;
    }
    table[b'+' as usize] = FIRST_NUMBER;
    table[b'.' as usize] = FIRST_NUMBER;
    table[b'~' as usize] = FIRST_SYMBOL;
    table[b'<' as usize] = FIRST_SYMBOL;
    table[b'=' as usize] = FIRST_SYMBOL;
    let words = b"nNtTfFyYoO";
    let mut w = 0;
    while w < words.len() {
        table[words[w] as usize] = FIRST_WORD;
        w += 1;
    }
    table
};

/// Whether `s` can be written as a plain scalar that every YAML 1.1 and 1.2 reader takes for
/// exactly this string.
fn is_plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let class = FIRST[first as usize];
    if class == FIRST_INDICATOR || last == b' ' {
        return false;
    }
    if !plain_chars(bytes) {
        return false;
    }
    match class {
        FIRST_OK => true,
        FIRST_NUMBER => !looks_numeric(s),
        FIRST_SYMBOL => !matches!(s, "~" | "<<" | "="),
        _ => !(bytes.len() <= 5 && is_null_or_bool(s)),
    }
}

/// The character check of [`is_plain`]: eight bytes at a time, looking closely only at the
/// words that hold a byte that [`needs_look`].
fn plain_chars(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    let mut start = 0;
    for word in &mut words {
        let clean =
            <[u8; 8]>::try_from(word).is_ok_and(|word| !word_needs_look(u64::from_le_bytes(word)));
        if !clean && !(start..start + 8).all(|at| plain_at(bytes, at)) {
            return false;
        }
        start += 8;
    }
    (start..bytes.len()).all(|at| plain_at(bytes, at))
}

/// Whether the byte at `at` may stand where it is in a plain scalar.
fn plain_at(bytes: &[u8], at: usize) -> bool {
    let Some(&b) = bytes.get(at) else {
        return true;
    };
    if !needs_look(b) {
        return true;
    }
    let next = bytes.get(at + 1).copied();
    match b {
        b':' => !matches!(next, None | Some(b' ')),
        b'#' => at == 0 || bytes.get(at - 1) != Some(&b' '),
        0..0x20 | 0x7F => false,
        // U+0080..U+009F: C1 controls and NEL (a line break in YAML 1.1).
        0xC2 => !matches!(next, Some(0x80..=0x9F)),
        // U+2028, U+2029: line and paragraph separators.
        0xE2 => !matches!((next, bytes.get(at + 2)), (Some(0x80), Some(0xA8 | 0xA9))),
        // U+FEFF (byte order mark), U+FFFE, U+FFFF.
        0xEF => !matches!(
            (next, bytes.get(at + 2)),
            (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
        ),
        _ => true,
    }
}

/// Null and boolean words of YAML 1.1 and 1.2, in any case.
fn is_null_or_bool(s: &str) -> bool {
    const WORDS: [&str; 9] = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    WORDS.iter().any(|word| word.eq_ignore_ascii_case(s))
}

/// Whether a string starting with a digit, `+` or `.` could be read as a number (int, float,
/// sexagesimal, any base, with `_`), a YAML 1.1 timestamp, or `...`. Deliberately broad: it
/// accepts every string made only of the characters those forms use.
fn looks_numeric(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned.eq_ignore_ascii_case(".inf")
        || unsigned.eq_ignore_ascii_case(".nan")
        || s.starts_with("...")
    {
        return true;
    }
    match unsigned.as_bytes().first() {
        Some(b'0'..=b'9' | b'.') => {}
        _ => return false,
    }
    unsigned.bytes().all(|b| {
        matches!(
            b,
            b'0'..=b'9'
                | b'a'..=b'f'
                | b'A'..=b'F'
                | b'x'
                | b'X'
                | b'o'
                | b'O'
                | b'_'
                | b'.'
                | b':'
                | b'+'
                | b'-'
                | b't'
                | b'T'
                | b'z'
                | b'Z'
                | b' '
        )
    })
}

/// Characters a literal block scalar cannot carry and a double-quoted one must escape (besides
/// `"`, `\` and the escapes for `\t`, `\n`, `\r`).
fn is_unprintable(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20
        || (0x7F..=0x9F).contains(&code)
        || matches!(code, 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF)
}

/// The indentation indicator a literal block (`|` or `|-`) of `s`, which contains a line
/// break, needs at `place` to read back exactly: none, or `2` when the first line with text
/// starts with a space (a reader would take that space for indentation). `None` when no
/// literal block can carry `s` there: a trailing blank line, a line that holds only spaces or
/// whose text starts with a tab, an unprintable character, or an indented first line at the
/// top.
fn literal_indicator(s: &str, place: Place) -> Option<&'static str> {
    let body = s.strip_suffix('\n').unwrap_or(s);
    if body.is_empty() || body.ends_with('\n') {
        return None;
    }
    let mut indicator = None;
    for line in body.split('\n') {
        let text = line.trim_start_matches(' ');
        let only_spaces = text.is_empty() && !line.is_empty();
        if only_spaces || text.starts_with('\t') {
            return None;
        }
        if text.chars().any(|c| c != '\t' && is_unprintable(c)) {
            return None;
        }
        if indicator.is_none() && !line.is_empty() {
            indicator = Some(if text.len() < line.len() { "2" } else { "" });
        }
    }
    match (indicator, place) {
        (Some("2"), Place::Top) => None,
        (indicator, _) => Some(indicator.unwrap_or("")),
    }
}

/// Writes `s` as a literal block with the indentation `indicator` of [`literal_indicator`].
fn write_block(out: &mut String, place: Place, s: &str, indicator: &str) {
    out.push_str(place.sep());
    out.push('|');
    out.push_str(indicator);
    let body = match s.strip_suffix('\n') {
        Some(body) => body,
        None => {
            out.push('-');
            s
        }
    };
    out.push('\n');
    let col = place.block_col();
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, col);
            out.push_str(line);
        }
        out.push('\n');
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn hex_digit(n: u32) -> char {
    char::from(HEX[(n & 0xF) as usize])
}

fn write_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, c) in s.char_indices() {
        if !(c == '"' || c == '\\' || is_unprintable(c)) {
            continue;
        }
        out.push_str(s.get(run..i).unwrap_or(""));
        run = i + c.len_utf8();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => {
                let code = u32::from(c);
                if code <= 0xFF {
                    out.push_str("\\x");
                } else {
                    out.push_str("\\u");
                    out.push(hex_digit(code >> 12));
                    out.push(hex_digit(code >> 8));
                }
                out.push(hex_digit(code >> 4));
                out.push(hex_digit(code));
            }
        }
    }
    out.push_str(s.get(run..).unwrap_or(""));
    out.push('"');
}

/// Writes a string value: plain, literal block or double-quoted.
fn write_str_value(out: &mut String, place: Place, s: &str) {
    if is_plain(s) {
        write_inline(out, place, s);
    } else if let Some(indicator) = s
        .contains('\n')
        .then(|| literal_indicator(s, place))
        .flatten()
    {
        write_block(out, place, s, indicator);
    } else {
        out.push_str(place.sep());
        write_quoted(out, s);
        out.push('\n');
    }
}

/// Writes a string key: plain or double-quoted, always on one line.
fn write_key_str(out: &mut String, s: &str) {
    if is_plain(s) {
        out.push_str(s);
    } else {
        write_quoted(out, s);
    }
}

/// Formats an integer into `buf` (room for 20 digits and a sign), returning the text.
fn int_text(buf: &mut [u8], negative: bool, mut n: u64) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

/// Formats a 128-bit integer into `buf`, returning the text.
fn int128_text(buf: &mut [u8; 40], negative: bool, mut n: u128) -> &str {
    if let Ok(small) = u64::try_from(n) {
        return int_text(&mut buf[..], negative, small);
    }
    let mut i = buf.len();
    while n > 0 {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

/// The YAML word for a non-finite float.
fn special_float(v: f64) -> Option<&'static str> {
    if v.is_nan() {
        Some(".nan")
    } else if v.is_infinite() {
        Some(if v > 0.0 { ".inf" } else { "-.inf" })
    } else {
        None
    }
}

/// Writes a finite float in its shortest round-trip form, always with a `.`.
fn write_finite<F: Display + LowerExp>(out: &mut String, v: F, abs: f64) {
    if abs == 0.0 || (1e-5..1e16).contains(&abs) {
        let start = out.len();
        let _ = write!(out, "{v}");
        if !out.get(start..).unwrap_or("").contains('.') {
            out.push_str(".0");
        }
    } else {
        let text = format!("{v:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        out.push_str(mantissa);
        if !mantissa.contains('.') {
            out.push_str(".0");
        }
        out.push('e');
        if !exponent.starts_with('-') {
            out.push('+');
        }
        out.push_str(exponent);
    }
}

fn write_f64(out: &mut String, place: Place, v: f64) {
    out.push_str(place.sep());
    match special_float(v) {
        Some(word) => out.push_str(word),
        None => write_finite(out, v, v.abs()),
    }
    out.push('\n');
}

fn write_f32(out: &mut String, place: Place, v: f32) {
    out.push_str(place.sep());
    match special_float(f64::from(v)) {
        Some(word) => out.push_str(word),
        None => write_finite(out, v, f64::from(v.abs())),
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------------
// The serializers.

/// Serializes one value at `place`.
struct ValueSer<'a> {
    out: &'a mut String,
    place: Place,
}

impl ValueSer<'_> {
    fn inline(self, text: &str) -> Result<(), EmitError> {
        write_inline(self.out, self.place, text);
        Ok(())
    }

    fn int(self, negative: bool, n: u64) -> Result<(), EmitError> {
        let mut buf = [0u8; 24];
        let text = int_text(&mut buf, negative, n);
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
        self.int(v < 0, v.unsigned_abs())
    }

    fn serialize_i128(self, v: i128) -> Result<(), EmitError> {
        let mut buf = [0u8; 40];
        let text = int128_text(&mut buf, v < 0, v.unsigned_abs());
        write_inline(self.out, self.place, text);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), EmitError> {
        self.int(false, u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), EmitError> {
        self.int(false, u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), EmitError> {
        self.int(false, u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), EmitError> {
        self.int(false, v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), EmitError> {
        let mut buf = [0u8; 40];
        let text = int128_text(&mut buf, false, v);
        write_inline(self.out, self.place, text);
        Ok(())
    }

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
        value.serialize(ValueSer {
            out: self.out,
            place,
        })
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
        Ok(MapSer::new(self.out, self.place))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapSer<'a>, EmitError> {
        Ok(MapSer::new(self.out, self.place))
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
struct SeqSer<'a> {
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
        value.serialize(ValueSer {
            out: &mut *self.out,
            place: Place::Dash(col),
        })
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
struct MapSer<'a> {
    out: &'a mut String,
    place: Place,
    first: bool,
    /// Where the value of the key just written goes.
    value_place: Place,
}

impl<'a> MapSer<'a> {
    fn new(out: &'a mut String, place: Place) -> Self {
        MapSer {
            out,
            place,
            first: true,
            value_place: Place::Key(place.inner()),
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
        value.serialize(ValueSer {
            out: &mut *self.out,
            place: self.value_place,
        })
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), EmitError> {
        self.key_with(|out| {
            write_key_str(out, key);
            Ok(())
        })?;
        self.value(value)
    }

    fn finish(self) -> Result<(), EmitError> {
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
                self.field(key, value)
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
    fn int(self, negative: bool, n: u64) -> Result<(), EmitError> {
        let mut buf = [0u8; 24];
        write_key_str(self.out, int_text(&mut buf, negative, n));
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
        self.int(v < 0, v.unsigned_abs())
    }

    fn serialize_i128(self, v: i128) -> Result<(), EmitError> {
        let mut buf = [0u8; 40];
        write_key_str(self.out, int128_text(&mut buf, v < 0, v.unsigned_abs()));
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), EmitError> {
        self.int(false, u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), EmitError> {
        self.int(false, u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), EmitError> {
        self.int(false, u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), EmitError> {
        self.int(false, v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), EmitError> {
        let mut buf = [0u8; 40];
        write_key_str(self.out, int128_text(&mut buf, false, v));
        Ok(())
    }

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

#[cfg(test)]
mod tests {
    use super::{EmitError, to_yaml, write_yaml};
    use serde::Serialize;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;

    fn yaml<T: Serialize + ?Sized>(value: &T) -> String {
        to_yaml(value).expect("emits")
    }

    /// Emits `value` and reads it back with serde_yaml.
    fn round_trip(value: &Value) -> String {
        let text = yaml(value);
        let back: Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("serde_yaml rejects {text:?}: {e}"));
        assert_eq!(
            &back, value,
            "read back differs from the value; text:\n{text}"
        );
        text
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Port {
        container_port: u16,
        name: &'static str,
    }

    #[derive(Serialize)]
    struct Container {
        name: &'static str,
        ports: Vec<Port>,
    }

    #[derive(Serialize)]
    struct Spec {
        containers: Vec<Container>,
        args: Vec<String>,
        labels: BTreeMap<String, String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    #[derive(Serialize)]
    struct Doc {
        spec: Spec,
    }

    #[test]
    fn kubectl_style_example() {
        let doc = Doc {
            spec: Spec {
                containers: vec![Container {
                    name: "app",
                    ports: vec![Port {
                        container_port: 8080,
                        name: "http",
                    }],
                }],
                args: vec![],
                labels: BTreeMap::new(),
                skipped: None,
            },
        };
        assert_eq!(
            yaml(&doc),
            "spec:\n  containers:\n  - name: app\n    ports:\n    - containerPort: 8080\n      name: http\n  args: []\n  labels: {}\n"
        );
    }

    #[test]
    fn deployment_like_object() {
        let value = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": "web",
                "labels": {"app.kubernetes.io/name": "web", "zave.io/tier": "1"},
                "annotations": {"zave.io/generator-version": "0.1.0"}
            },
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "spec": {
                        "containers": [{
                            "name": "web",
                            "image": "ghcr.io/zave/web:1.25",
                            "args": ["--port", "8080"],
                            "env": [{"name": "MODE", "value": "on"}, {"name": "EMPTY", "value": ""}],
                            "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}
                        }],
                        "volumes": []
                    }
                }
            }
        });
        let expected = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    zave.io/generator-version: \"0.1.0\"
  labels:
    app.kubernetes.io/name: web
    zave.io/tier: \"1\"
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    spec:
      containers:
      - args:
        - \"--port\"
        - \"8080\"
        env:
        - name: MODE
          value: \"on\"
        - name: EMPTY
          value: \"\"
        image: ghcr.io/zave/web:1.25
        name: web
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
        resources:
          limits:
            cpu: 500m
            memory: 128Mi
      volumes: []
";
        assert_eq!(round_trip(&value), expected);
    }

    #[test]
    fn top_level_shapes() {
        assert_eq!(yaml(&json!({})), "{}\n");
        assert_eq!(yaml(&json!([])), "[]\n");
        assert_eq!(yaml(&()), "null\n");
        assert_eq!(yaml(&None::<u8>), "null\n");
        assert_eq!(yaml(&Some(3)), "3\n");
        assert_eq!(yaml("word"), "word\n");
        assert_eq!(yaml(&true), "true\n");
        assert_eq!(yaml(&json!([1, "a", null])), "- 1\n- a\n- null\n");
        assert_eq!(yaml(&json!([{"a": 1, "b": [2]}])), "- a: 1\n  b:\n  - 2\n");
    }

    #[test]
    fn nested_sequences_and_empties() {
        let value = json!([["a", "b"], [], [[1], {}], {"k": [[]]}]);
        assert_eq!(
            round_trip(&value),
            "- - a\n  - b\n- []\n- - - 1\n  - {}\n- k:\n  - []\n"
        );
        let value = json!({"a": [[{"x": 1, "y": 2}, "z"]], "b": {"c": {}}});
        assert_eq!(
            round_trip(&value),
            "a:\n- - x: 1\n    \"y\": 2\n  - z\nb:\n  c: {}\n"
        );
    }

    #[test]
    fn quotes_every_risky_scalar() {
        let quoted = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nUlL",
            "true",
            "True",
            "FALSE",
            "yes",
            "Yes",
            "NO",
            "no",
            "on",
            "On",
            "OFF",
            "off",
            "y",
            "Y",
            "n",
            "N",
            "1",
            "-1",
            "+1",
            "0",
            "0o17",
            "0x1F",
            "0b101",
            "017",
            "1_000",
            "1:20",
            "190:20:30",
            "1.5",
            ".5",
            "5.",
            "1e3",
            "1E+3",
            "-1.5e-3",
            "1.2.3",
            ".",
            ".inf",
            ".Inf",
            "-.Inf",
            "+.inf",
            ".nan",
            ".NaN",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10 -5",
            "<<",
            "=",
            " lead",
            "trail ",
            " ",
            "-",
            "-a",
            "- a",
            "?",
            "?a",
            ":",
            ":a",
            ",a",
            "[a",
            "]a",
            "{a",
            "}a",
            "#a",
            "&a",
            "*a",
            "!a",
            "|a",
            ">a",
            "'a",
            "\"a",
            "%a",
            "@a",
            "`a",
            "a: b",
            "a #b",
            "a:",
            "---",
            "...",
            "...a",
            "a\tb",
            "\t",
            "a\rb",
            "a\u{0}b",
            "a\u{7f}",
            "a\u{85}b",
            "a\u{9f}",
            "a\u{2028}b",
            "\u{feff}a",
        ];
        for s in quoted {
            let text = yaml(s);
            assert!(text.starts_with('"'), "{s:?} must be quoted, got {text:?}");
            round_trip(&json!(s));
            round_trip(&json!({ s: s }));
        }
    }

    #[test]
    fn keeps_safe_scalars_plain() {
        let plain = [
            "app",
            "nginx:1.25",
            "a:b",
            "a#b",
            "a,b",
            "a[b]",
            "a{b}",
            "http://x/y?z=1&q=#f",
            "100m",
            "128Mi",
            "80%",
            "v1.2.3",
            ".gitignore",
            "~x",
            "<<x",
            "==",
            "nullish",
            "yess",
            "é",
            "日本語",
            "😀",
            "a b",
            "a - b",
            "a-b",
            "a'b\"c",
            "+",
            "+x",
            "a\\b",
        ];
        for s in plain {
            assert_eq!(yaml(s), format!("{s}\n"), "{s:?} should be plain");
            round_trip(&json!(s));
            round_trip(&json!({ s: [s] }));
        }
    }

    #[test]
    fn escapes_in_double_quotes() {
        assert_eq!(
            yaml("\"\\\n\t\r\u{0}\u{1}\u{7f}\u{85}\u{2028}\u{feff}\u{ffff}é"),
            "\"\\\"\\\\\\n\\t\\r\\0\\x01\\x7F\\x85\\u2028\\uFEFF\\uFFFFé\"\n"
        );
    }

    #[test]
    fn block_scalars() {
        let value =
            json!({"sql": "select 1;\n\nselect 2;\n", "conf": "a = 1\n# b\nc\td", "k": ["x\ny"]});
        assert_eq!(
            round_trip(&value),
            "conf: |-\n  a = 1\n  # b\n  c\td\nk:\n- |-\n  x\n  y\nsql: |\n  select 1;\n\n  select 2;\n"
        );
        assert_eq!(
            round_trip(&json!({"a": {"b": "\nx\n"}})),
            "a:\n  b: |\n\n    x\n"
        );
        assert_eq!(round_trip(&json!("top\nlevel\n")), "|\n  top\n  level\n");
        assert_eq!(round_trip(&json!([["p\nq"]])), "- - |-\n    p\n    q\n");
        // Indented lines stay literal; an indented first line takes an indentation indicator.
        assert_eq!(round_trip(&json!({"k": "a\n  b\n"})), "k: |\n  a\n    b\n");
        assert_eq!(
            round_trip(&json!({"k": "\n  a\nb", "l": [" c\n"]})),
            "k: |2-\n\n    a\n  b\nl:\n- |2\n   c\n"
        );
        assert_eq!(round_trip(&json!(" top\n")), "\" top\\n\"\n");
        // Cases a literal block cannot carry exactly fall back to double quotes.
        for s in [
            "a\n\n",
            "\n",
            "\n\n",
            "a\n  \nb",
            "a\n \tb",
            "a\n\tb",
            "a\r\nb",
            "a\nb\u{1}",
            "a\u{85}\nb",
        ] {
            let text = round_trip(&json!({ "k": s }));
            assert!(
                text.starts_with("k: \""),
                "{s:?} must be quoted, got {text:?}"
            );
        }
    }

    #[test]
    fn floats_read_back_as_floats() {
        let cases: [(f64, &str); 12] = [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.5, "0.5"),
            (1234.5, "1234.5"),
            (1e15, "1000000000000000.0"),
            (1e16, "1.0e+16"),
            (1e300, "1.0e+300"),
            (1.5e-7, "1.5e-7"),
            (0.00001, "0.00001"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "5.0e-324"),
        ];
        for (v, text) in cases {
            assert_eq!(yaml(&v), format!("{text}\n"));
            let back: f64 = serde_yaml::from_str(text).expect("reads");
            assert_eq!(back.to_bits(), v.to_bits(), "{text}");
            round_trip(&json!(v));
        }
        assert_eq!(yaml(&f64::NAN), ".nan\n");
        assert_eq!(yaml(&f64::INFINITY), ".inf\n");
        assert_eq!(yaml(&f64::NEG_INFINITY), "-.inf\n");
        assert_eq!(yaml(&0.1f32), "0.1\n");
        assert_eq!(yaml(&1f32), "1.0\n");
        assert_eq!(yaml(&i64::MIN), "-9223372036854775808\n");
        assert_eq!(yaml(&u64::MAX), "18446744073709551615\n");
        assert_eq!(
            yaml(&i128::MIN),
            "-170141183460469231731687303715884105728\n"
        );
        assert_eq!(
            yaml(&u128::MAX),
            "340282366920938463463374607431768211455\n"
        );
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Yes,
        Newtype(u8),
        Tuple(u8, &'static str),
        Struct { a: u8, b: Vec<u8> },
        EmptyStruct {},
    }

    #[test]
    fn enums_and_newtypes() {
        #[derive(Serialize)]
        struct Wrapper(&'static str);
        let value = vec![
            Shape::Unit,
            Shape::Yes,
            Shape::Newtype(1),
            Shape::Tuple(2, "x"),
            Shape::Struct { a: 3, b: vec![4] },
            Shape::EmptyStruct {},
        ];
        assert_eq!(
            yaml(&value),
            "- Unit\n- \"Yes\"\n- Newtype: 1\n- Tuple:\n  - 2\n  - x\n- Struct:\n    a: 3\n    b:\n    - 4\n- EmptyStruct: {}\n"
        );
        assert_eq!(yaml(&Shape::Newtype(7)), "Newtype: 7\n");
        assert_eq!(yaml(&Wrapper("true")), "\"true\"\n");
        let back: Value = serde_yaml::from_str(&yaml(&value)).expect("reads");
        assert_eq!(back[3], json!({"Tuple": [2, "x"]}));
    }

    #[test]
    fn map_keys() {
        let ints: BTreeMap<i32, &str> = [(-1, "a"), (8080, "b")].into_iter().collect();
        assert_eq!(yaml(&ints), "\"-1\": a\n\"8080\": b\n");
        let bools: BTreeMap<bool, u8> = [(false, 0), (true, 1)].into_iter().collect();
        assert_eq!(yaml(&bools), "\"false\": 0\n\"true\": 1\n");
        let chars: BTreeMap<char, u8> = [('a', 0), ('#', 1)].into_iter().collect();
        assert_eq!(yaml(&chars), "\"#\": 1\na: 0\n");
        let risky = json!({"": 1, "on": 2, "a: b": 3, "multi\nline": 4, "[x]": 5});
        assert_eq!(
            round_trip(&risky),
            "\"\": 1\n\"[x]\": 5\n\"a: b\": 3\n\"multi\\nline\": 4\n\"on\": 2\n"
        );

        let mut out = String::from("keep\n");
        let floats: Vec<(f64, u8)> = vec![(1.5, 1)];
        let as_map = FloatKeys(floats);
        let err = write_yaml(&as_map, &mut out).expect_err("float keys are refused");
        assert_eq!(
            err,
            EmitError("a map key must be a string, not a float".to_owned())
        );
        assert_eq!(
            err.to_string(),
            "cannot write YAML: a map key must be a string, not a float"
        );
        assert_eq!(out, "keep\n", "a failed write leaves the buffer as it was");
        let nested: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        assert!(to_yaml(&nested).is_err());
    }

    struct FloatKeys(Vec<(f64, u8)>);

    impl Serialize for FloatKeys {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (k, v) in &self.0 {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }

    #[test]
    fn long_keys_use_the_explicit_form() {
        let long = "k".repeat(1100);
        let value = json!({
            "a": {long.clone(): {"x": 1, "y": [1, 2]}},
            "b": [{long.clone(): "v", "z": []}],
            "c": {long.clone(): [[1]], "d": "p\nq"},
            long.clone(): "s\n",
        });
        let text = round_trip(&value);
        assert!(
            text.contains(&format!("  ? {long}\n  : x: 1\n    \"y\":\n    - 1\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!("- ? {long}\n  : v\n  z: []\n")),
            "{text}"
        );
        let quoted_long = "\"".repeat(600);
        round_trip(&json!({ quoted_long: {"deep": "x"} }));
        let exact = "k".repeat(1024);
        assert!(round_trip(&json!({ exact.clone(): 1 })).starts_with(&format!("{exact}: 1")));
    }

    #[test]
    fn word_scan_matches_byte_scan() {
        for at in 0..8 {
            for b in 0..=255u8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                assert_eq!(
                    super::word_needs_look(u64::from_le_bytes(word)),
                    super::needs_look(b),
                    "byte {b:#x} at {at}"
                );
            }
        }
        // Every byte the careful pass decides on, alone and followed by each other one, at
        // every place of strings shorter and longer than a word.
        let odd = [
            b':', b'#', b' ', b'\n', 0x7F, 0xC2, 0x85, 0xE2, 0x80, 0xA8, 0xEF, 0xBB,
        ];
        for len in 1..=17 {
            for at in 0..len {
                for b in odd {
                    for c in std::iter::once(b'a').chain(odd) {
                        let mut bytes = vec![b'a'; len];
                        bytes[at] = b;
                        if let Some(next) = bytes.get_mut(at + 1) {
                            *next = c;
                        }
                        assert_eq!(
                            super::plain_chars(&bytes),
                            (0..len).all(|i| super::plain_at(&bytes, i)),
                            "bytes {b:#x} {c:#x} at {at} of {len}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn write_yaml_appends() {
        let mut out = String::from("# head\n");
        write_yaml(&json!({"a": 1}), &mut out).expect("emits");
        write_yaml("b", &mut out).expect("emits");
        assert_eq!(out, "# head\na: 1\nb\n");
    }
}
