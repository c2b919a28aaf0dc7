//! Lowercase hexadecimal text of bytes, as digests are written in annotations and names.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends two lowercase hex digits per byte of `bytes` to `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_lowercase_digits_per_byte() {
        let mut out = String::from("x:");
        super::push_hex(&mut out, &[0x00, 0x0f, 0xa5, 0xff]);
        assert_eq!(out, "x:000fa5ff");
    }
}
