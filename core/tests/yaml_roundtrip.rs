//! Property tests for zave's YAML emitter: any JSON value reads back identically with serde_yaml.

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Number, Value};
use zave::yaml::to_yaml;

/// Words and fragments a careless emitter would write in a way that reads back as something else.
const HOSTILE: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "True",
    "FALSE",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "N",
    "1",
    "-1",
    "+1",
    "0",
    "0o17",
    "0x1F",
    "0b11",
    "017",
    "08",
    "1_000",
    "1:20",
    "1.5",
    ".5",
    "5.",
    "1e3",
    "1E-3",
    "+1.5e+3",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    ".NaN",
    "inf",
    "NaN",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "<<",
    "=",
    "-",
    "--",
    "---",
    "...",
    "- ",
    "?",
    "? ",
    ":",
    ": ",
    " #",
    "#",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "\\",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\0",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffe}",
    "\u{ffff}",
    "é",
    "ß",
    "日本",
    "😀",
    "\u{e000}",
    "a",
    "b",
    "key",
    "app",
    "x y",
    "a: b",
    "a #b",
    "http://x",
    "|-",
    "0.1.0",
    "-- ",
    "!!str",
    "&a",
    "*a",
];

fn hostile_string() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        4 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        2 => "[a-z0-9 .:#\\-]{1,6}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        40 => prop::collection::vec(fragment, 0..5).prop_map(|parts| parts.concat()),
        1 => "[a-z]{1030,1040}",
    ]
}

/// Multi-line text such as scripts and certificates: lines with and without indentation, blank
/// lines, tabs and comment signs, with or without a final line break.
fn multi_line_string() -> impl Strategy<Value = String> {
    let line = "( {0,3}|\t)[a-z#:\t ]{0,4}";
    (prop::collection::vec(line, 2..6), any::<bool>()).prop_map(|(lines, final_break)| {
        let mut text = lines.join("\n");
        if final_break {
            text.push('\n');
        }
        text
    })
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        (-64i32..64).prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (-4000i32..4000).prop_filter_map("finite", |n| Number::from_f64(f64::from(n) / 8.0)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        hostile_string().prop_map(Value::String),
        hostile_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((hostile_string(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Asserts that every string of `original` is a string with the same text in `back`, and that
/// every number kept its kind (integer or float) and value.
fn assert_same(original: &Value, back: &Value, path: &str) {
    match (original, back) {
        (Value::String(a), b) => {
            assert_eq!(
                Some(a.as_str()),
                b.as_str(),
                "string at {path} came back as {b:?}"
            );
        }
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), a.is_f64()) {
            (Some(x), true) => {
                let y = b.as_f64().filter(|_| b.is_f64());
                assert_eq!(y, Some(x), "float at {path}: {a} came back as {b}");
            }
            _ => assert_eq!(a, b, "integer at {path}"),
        },
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "sequence length at {path}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_same(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.len(), b.len(), "mapping size at {path}");
            for (key, x) in a {
                let y = b
                    .get(key)
                    .unwrap_or_else(|| panic!("key {key:?} lost at {path}"));
                assert_same(x, y, &format!("{path}.{key:?}"));
            }
        }
        (a, b) => assert_eq!(a, b, "value at {path}"),
    }
}

proptest! {
    #![proptest_config(Config { cases: 768, failure_persistence: None, ..Config::default() })]

    #[test]
    fn reads_back_identically(v in value()) {
        let text = to_yaml(&v).expect("a JSON value always emits");
        prop_assert!(text.ends_with('\n') && !text.ends_with("\n\n"),
            "document must end with one line break: {text:?}");
        prop_assert!(!text.starts_with("---"));
        prop_assert!(!text.contains('\r'));
        let back: Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("serde_yaml rejects the output: {e}\n{text}"));
        assert_same(&v, &back, "$");
        prop_assert_eq!(&back, &v, "text:\n{}", text);
        let again = to_yaml(&v).expect("emits again");
        prop_assert_eq!(again, text, "output is not deterministic");
    }

    #[test]
    fn multi_line_strings_read_back(s in multi_line_string()) {
        let nested = serde_json::json!({"a": {"b": [s.clone(), [s.clone()]], "c": s.clone()}});
        for v in [Value::String(s.clone()), nested] {
            let text = to_yaml(&v).expect("emits");
            let back: Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("serde_yaml rejects the output: {e}\n{text}"));
            prop_assert_eq!(back, v, "text:\n{}", text);
        }
    }

    #[test]
    fn strings_stay_strings(s in hostile_string()) {
        for v in [Value::String(s.clone()), serde_json::json!({ s.clone(): s.clone() }), serde_json::json!([s.clone()])] {
            let text = to_yaml(&v).expect("emits");
            let back: Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("serde_yaml rejects the output: {e}\n{text}"));
            assert_same(&v, &back, "$");
            prop_assert_eq!(back, v);
        }
    }
}
