//! The unified diff: empty exactly when both texts are equal, headed by its two labels, and a
//! patch that an independent reader (diffy) applies to the old text to give the new one. The
//! input is the old text, a NUL, then the new text (a NUL never occurs in what zave diffs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let (old, new) = text.split_once('\0').unwrap_or((text, ""));
    let diff = zave::diff::unified(old, new, "kind/a.yaml", "aws/a.yaml");
    if old == new {
        assert!(diff.is_empty(), "equal texts have a diff:\n{diff}");
        return;
    }
    assert!(
        diff.starts_with("--- kind/a.yaml\n+++ aws/a.yaml\n@@ "),
        "the diff does not start with its labels and a hunk:\n{diff}"
    );
    assert_eq!(
        diff,
        zave::diff::unified(old, new, "kind/a.yaml", "aws/a.yaml"),
        "two diffs differ"
    );
    let patch = match diffy::Patch::from_str(&diff) {
        Ok(patch) => patch,
        Err(error) => panic!("not a unified diff: {error}\n{diff}"),
    };
    match diffy::apply(old, &patch) {
        Ok(applied) => assert_eq!(applied, new, "the diff does not apply back:\n{diff}"),
        Err(error) => panic!("the diff does not apply to its old text: {error}\n{diff}"),
    }
});
