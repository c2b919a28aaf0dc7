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
//!   `\n`, `|-` when it ends with none), content 2 columns deeper than its key or `- `, with the
//!   indentation indicator `|2` when its first line with text starts with a space, when that
//!   reads back exactly; otherwise (more trailing newlines, a line of spaces only or whose text
//!   starts with a tab, a carriage return or another character that needs escaping, no
//!   non-empty line, an indented first line at the document top) it is double-quoted.
//! - Map keys are strings. Integer, boolean and char keys are written as their string form
//!   (so `8080` becomes the quoted key `"8080"`, as `serde_json` would write it); unit variants
//!   are their name; any other key (float, `None`, unit, sequence, map, ...) is an [`EmitError`].
//!   A key longer than 1024 bytes as written uses the explicit `? key` / `: value` form, since
//!   YAML limits implicit keys to 1024 characters.
//! - Newtype structs are transparent; unit variants are their name; newtype, tuple and struct
//!   variants are a mapping with the variant name as its one key.
//! - The document has no `---` and ends with exactly one `\n`.

mod layout;
mod memo;
mod scalar;
mod serializer;

use serde::Serialize;
use std::fmt::Display;

pub(crate) use layout::Place;
pub(crate) use memo::Memo;
use serializer::{MapSer, ValueSer};

/// A value that cannot be written as YAML (a map key that is not a string, for one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write YAML: {0}")]
pub struct EmitError(pub String);

impl serde::ser::Error for EmitError {
    fn custom<T: Display>(msg: T) -> Self {
        EmitError(msg.to_string())
    }
}

/// A string as one YAML scalar on one line: plain when that reads back as the same string,
/// double-quoted otherwise (for a key, or a value replaced inside a line).
pub(crate) fn inline_scalar(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    scalar::write_key_str(&mut out, text);
    out
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
    let result = value.serialize(ValueSer::document(out, None));
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// [`write_yaml`], except that the value of the top-level entry `key` is written by `write`
/// (given where it goes), which must write what the emitter would write for that value.
pub(crate) fn write_yaml_spliced<T: Serialize + ?Sized>(
    value: &T,
    out: &mut String,
    key: &'static str,
    write: &mut dyn FnMut(&mut String, Place) -> Result<(), EmitError>,
) -> Result<(), EmitError> {
    let start = out.len();
    let result = value.serialize(ValueSer::document(out, Some((key, write))));
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Writes `value` at `place` of a document being written.
pub(crate) fn write_value_at<T: Serialize + ?Sized>(
    value: &T,
    out: &mut String,
    place: Place,
) -> Result<(), EmitError> {
    value.serialize(ValueSer::at(out, place))
}

/// A mapping written entry by entry at a place of a document, as the emitter writes a struct.
pub(crate) struct Mapping<'a>(MapSer<'a>);

impl<'a> Mapping<'a> {
    /// Starts a mapping at `place`.
    pub(crate) fn new(out: &'a mut String, place: Place) -> Self {
        Mapping(MapSer::new(out, place))
    }

    /// Writes the entry `key: value`.
    pub(crate) fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), EmitError> {
        self.0.field(key, value)
    }

    /// Writes the entry `key`, its value written by `write` (given where it goes).
    pub(crate) fn field_with(
        &mut self,
        key: &str,
        write: impl FnOnce(&mut String, Place) -> Result<(), EmitError>,
    ) -> Result<(), EmitError> {
        self.0.field_with(key, write)
    }

    /// Ends the mapping (`{}` when it had no entry).
    pub(crate) fn finish(self) -> Result<(), EmitError> {
        self.0.finish()
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
    fn write_yaml_appends() {
        let mut out = String::from("# head\n");
        write_yaml(&json!({"a": 1}), &mut out).expect("emits");
        write_yaml("b", &mut out).expect("emits");
        assert_eq!(out, "# head\na: 1\nb\n");
    }
}
