//! Scalars: when a string may stay plain, literal blocks, double quotes, and numbers.

use std::fmt::{Display, LowerExp, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};

use super::layout::{Place, indent, write_inline};

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

/// The character check of [`is_plain`]: eight bytes at a time (the last word overlapping the
/// one before, a string shorter than a word padded with a plain byte), looking closely byte by
/// byte only when a word holds a byte that [`needs_look`].
fn plain_chars(bytes: &[u8]) -> bool {
    let word = |chunk: &[u8]| {
        let mut padded = [b'a'; 8];
        padded[..chunk.len()].copy_from_slice(chunk);
        !word_needs_look(u64::from_le_bytes(padded))
    };
    let clean = match bytes.len() {
        0..=8 => word(bytes),
        len => bytes.chunks_exact(8).all(word) && word(&bytes[len - 8..]),
    };
    clean || (0..bytes.len()).all(|at| plain_at(bytes, at))
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
pub(super) fn write_str_value(out: &mut String, place: Place, s: &str) {
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

/// Whether each struct field name seen is plain, by its address and length: field names are
/// `'static` and a few hundred, while a render writes hundreds of them. One word a slot
/// (address above bit 16, length, the answer in bit 0), so a slot read while another thread
/// writes it is either the old entry or the new one, never a mix; a slot that does not match
/// is checked afresh (and taken over).
static FIELD_KEYS: [AtomicU64; 1024] = [const { AtomicU64::new(0) }; 1024];

/// Writes a struct field's name as a key, as [`write_key_str`] does.
pub(super) fn write_field_key(out: &mut String, key: &'static str) {
    let address = key.as_ptr() as u64;
    let length = key.len() as u64;
    let tag = (address << 16) | ((length & 0x7FFF) << 1);
    // Fibonacci hashing: the top ten bits of the address times 2^64 / φ.
    let slot = &FIELD_KEYS[(address.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize];
    let seen = slot.load(Ordering::Relaxed);
    let plain = if length < 0x8000 && seen & !1 == tag {
        seen & 1 == 1
    } else {
        let plain = is_plain(key);
        slot.store(tag | u64::from(plain), Ordering::Relaxed);
        plain
    };
    if plain {
        out.push_str(key);
    } else {
        write_quoted(out, key);
    }
}

/// Writes a string key: plain or double-quoted, always on one line.
pub(super) fn write_key_str(out: &mut String, s: &str) {
    if is_plain(s) {
        out.push_str(s);
    } else {
        write_quoted(out, s);
    }
}

/// Formats an integer into `buf` (room for 20 digits and a sign), returning the text.
pub(super) fn int_text(buf: &mut [u8], negative: bool, mut n: u64) -> &str {
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
pub(super) fn int128_text(buf: &mut [u8; 40], negative: bool, mut n: u128) -> &str {
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

pub(super) fn write_f64(out: &mut String, place: Place, v: f64) {
    out.push_str(place.sep());
    match special_float(v) {
        Some(word) => out.push_str(word),
        None => write_finite(out, v, v.abs()),
    }
    out.push('\n');
}

pub(super) fn write_f32(out: &mut String, place: Place, v: f32) {
    out.push_str(place.sep());
    match special_float(f64::from(v)) {
        Some(word) => out.push_str(word),
        None => write_finite(out, v, f64::from(v.abs())),
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
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
}
