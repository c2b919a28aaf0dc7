//! zave's YAML emitter against serde_yaml's reader: any value it writes reads back as exactly
//! that value, and is written the same way twice. The input is read twice over: as YAML text
//! that zave's loader accepts (so the repository's fixtures seed it), and as raw material for
//! an arbitrary value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_yaml::Value;
use zave_fuzz::values;

fuzz_target!(|input: &[u8]| {
    // Within zave's own bounds only: serde_yaml's parser takes time quadratic in the depth
    // of flow nesting, which zave's loader refuses beyond 64 levels.
    if zave::document::load(input).is_ok()
        && let Ok(value) = serde_yaml::from_slice::<Value>(input)
        && values::is_writable(&value)
    {
        assert_round_trip(&value);
    }
    if let Ok(value) = values::value(&mut arbitrary::Unstructured::new(input)) {
        assert_round_trip(&value);
    }
});

fn assert_round_trip(value: &Value) {
    let text = match zave::yaml::to_yaml(value) {
        Ok(text) => text,
        Err(error) => panic!("a string-keyed value was refused: {error}\n{value:?}"),
    };
    assert!(
        text.ends_with('\n') && !text.ends_with("\n\n"),
        "not one final line break: {text:?}"
    );
    assert_eq!(
        zave::yaml::to_yaml(value).as_deref(),
        Ok(text.as_str()),
        "written differently twice"
    );
    match serde_yaml::from_str::<Value>(&text) {
        Ok(read) => assert_eq!(&read, value, "read back differently from:\n{text}"),
        Err(error) => panic!("serde_yaml cannot read what zave wrote: {error}\n{text}\n{value:?}"),
    }
}
