//! zave for JavaScript: the core's validate, render, diff, schemas and profiles as WebAssembly
//! exports that return plain objects. Value conversion and the error bridge only: every rule
//! lives in the core.

mod bridge;
mod options;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use zave::diff::FileDiff;
use zave::render::summary::SummaryLine;
use zave::{Diagnostic, Profile, RenderedFile};

use bridge::{Error, to_js};
use options::{RenderOptions, ValidateOptions};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** One finding about an input: what, where, and how to fix it. Lines and columns are 1-based;
 * columns count Unicode characters (code points). */
export interface Diagnostic {
  code: string;
  severity: "error" | "warning";
  /** The field, such as `spec.capabilities[1].name`; empty for the whole document. */
  path: string;
  message: string;
  line: number | null;
  column: number | null;
  end_line: number | null;
  end_column: number | null;
  help: string | null;
}

/** The environment: a built-in profile by name (`kind` when neither is given to a render),
 * or the text of a custom profile. */
export interface ProfileOptions {
  profile?: string;
  profileYaml?: string;
}

export interface ValidateOptions extends ProfileOptions {
  /** Warnings (defaults zave applied) become errors. */
  strict?: boolean;
}

export interface RenderOptions extends ValidateOptions {
  /** The image CI built; without it the bootstrap image is used (W004). */
  image?: string;
  /** The version label, `sha-` and seven hex digits. */
  version?: string;
  /** The platform bundle recorded on every object. */
  bundle?: string;
  /** The text of the tenant's `flags.json` (`feature-flags`); without it an empty set (W005). */
  flags?: string;
}

export interface ValidateResult {
  ok: boolean;
  name: string | null;
  /** `sha256:` of the contract's canonical JSON. */
  hash: string | null;
  /** Errors when not ok; otherwise the warnings and mutations. Sorted by position. */
  diagnostics: Diagnostic[];
  /** The near misses zave knows the fix of: write `replacement` over the node that
   * `diagnostics[diagnostic]` marks. */
  fixes: Fix[];
}

/** A one-click fix: the word zave's did-you-mean suggests for a diagnostic's node. */
export interface Fix {
  /** The index of the diagnostic in `diagnostics`. */
  diagnostic: number;
  replacement: string;
}

/** Where a part of an object came from (the data of `zave explain`). */
export interface Origin {
  kind: "contract" | "profile" | "mutation" | "input" | "convention";
  detail: string;
}

/** One thing a contract gets under a profile, in the platform's words. */
export interface SummaryLine {
  topic: "namespace" | "reached" | "replicas" | "autoscaling" | "disruption budget" | "resources"
    | "database" | "secret" | "capability" | "network";
  text: string;
  /** The object that carries it, as `Kind/name`. */
  object: string;
  /** The file of the render that holds the object. */
  path: string;
  origins: Origin[];
}

export interface SummaryResult extends ValidateResult {
  /** In a fixed order of topics; empty when not ok. */
  lines: SummaryLine[];
}

/** One word a contract field takes and whether it renders under the profile. */
export interface Offer {
  value: string;
  description: string;
  standing: "allowed" | "reserved" | "refused";
  /** The finding the word brings: `Z201`/`Z202` reserved, `Z301`–`Z303` refused by the
   * profile, `W003` injected by it anyway. */
  code: string | null;
}

/** One field of the contract, for completion. */
export interface Field {
  /** `spec.exposure`; `[]` is any entry of a list: `spec.capabilities[].name`. */
  path: string;
  /** The mapping the key is written in; empty at the top. */
  parent: string;
  key: string;
  shape: "mapping" | "list" | "scalar";
  required: boolean;
  description: string;
  values: Offer[];
}

/** One file of the rendered tree; the path is relative to the GitOps repository root. */
export interface RenderedFile {
  path: string;
  kind: "object" | "kustomization";
  content: string;
}

export interface RenderResult extends ValidateResult {
  /** The tenant's files in the one order; empty when not ok. */
  files: RenderedFile[];
  /** The whole tree `zave render --out` writes into an empty folder: the tenant's files, then
   * the index kustomizations that list it. What the previewer downloads; empty when not ok. */
  tree: RenderedFile[];
  /** Every object as one YAML stream, as `zave render` prints it. */
  stream: string;
}

export interface FileDiff {
  /** The path below the profiles' path prefix. */
  path: string;
  change: "added" | "removed" | "modified";
  /** A unified diff labelled `<profile>/<path>`. */
  unified: string;
}

export interface DiffResult {
  /** Whether the contract rendered under both profiles. */
  ok: boolean;
  /** The files that differ, in path order. */
  files: FileDiff[];
  fromDiagnostics: Diagnostic[];
  toDiagnostics: Diagnostic[];
}

export interface ProfileInfo {
  name: string;
  classification: "local" | "sandbox" | "production";
}

/** What every function throws instead of returning: an `Error` named `ZaveError`. A contract
 * with errors is not thrown; it comes back with `ok: false`. */
export interface ZaveError extends Error {
  name: "ZaveError";
  /** `options`: bad options or unknown profile name; `profile`: invalid `profileYaml` (its
   * findings in `diagnostics`); `flags`: invalid `flags` (its findings in `diagnostics`);
   * `panic`: a bug in zave (the module recovers by itself); `internal`: zave could not write
   * what it built, also a bug. */
  kind: "options" | "profile" | "flags" | "panic" | "internal";
  diagnostics: Diagnostic[];
}
"#;

// Every argument is taken as a `JsValue` and read inside the call: the generated glue copies a
// `&str` argument into the instance's memory before it checks whether the instance must be
// replaced after a panic, so after one a string argument would land in the discarded instance.

/// Installs the panic bridge; runs by itself each time an instance starts, so it is left out
/// of the TypeScript declarations.
#[wasm_bindgen(start, skip_typescript)]
fn start() {
    bridge::install_panic_hook();
}

#[derive(Serialize)]
struct ValidateResult<'a> {
    ok: bool,
    name: Option<&'a str>,
    hash: Option<String>,
    diagnostics: &'a [Diagnostic],
    fixes: Vec<Fix<'a>>,
}

#[derive(Serialize)]
struct Fix<'a> {
    diagnostic: usize,
    replacement: &'a str,
}

/// The quick fixes of `diagnostics`: each suggestion the core makes, by diagnostic index.
fn fixes(diagnostics: &[Diagnostic]) -> Vec<Fix<'_>> {
    diagnostics
        .iter()
        .enumerate()
        .filter_map(|(diagnostic, d)| {
            d.suggestion().map(|replacement| Fix {
                diagnostic,
                replacement,
            })
        })
        .collect()
}

#[derive(Serialize)]
struct RenderResult<'a> {
    ok: bool,
    name: Option<&'a str>,
    hash: Option<String>,
    diagnostics: &'a [Diagnostic],
    fixes: Vec<Fix<'a>>,
    files: &'a [RenderedFile],
    tree: &'a [RenderedFile],
    stream: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiffResult<'a> {
    ok: bool,
    files: &'a [FileDiff],
    from_diagnostics: &'a [Diagnostic],
    to_diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct ProfileInfo<'a> {
    name: &'a str,
    classification: zave::profile::model::Classification,
}

/// Validates a contract's text: stages 1 and 2, and stage 3 when a profile is given.
#[wasm_bindgen(unchecked_return_type = "ValidateResult")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let text = options::source(&text, "the contract")?;
    let options: ValidateOptions = options::read(&options, "validate options")?;
    let profile = options.profile()?;
    let outcome = zave::validate(
        &text,
        zave::ValidateOptions {
            strict: options.strict.unwrap_or(false),
            profile: profile.as_deref(),
        },
    );
    match outcome {
        Ok(checked) => to_js(&ValidateResult {
            ok: true,
            name: Some(&checked.name),
            hash: Some(checked.hash.to_string()),
            diagnostics: &checked.findings,
            fixes: fixes(&checked.findings),
        }),
        Err(diagnostics) => to_js(&ValidateResult {
            ok: false,
            name: None,
            hash: None,
            diagnostics: &diagnostics.0,
            fixes: fixes(&diagnostics.0),
        }),
    }
}

/// Renders a contract's text under a profile: the tenant's files and the whole tree they make
/// in an empty folder, or the errors.
#[wasm_bindgen(unchecked_return_type = "RenderResult")]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RenderOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let text = options::source(&text, "the contract")?;
    let options: RenderOptions = options::read(&options, "render options")?;
    let profile = options.profile()?;
    let flags = options.flag_set()?;
    match zave::render(&text, &profile, options.inputs(flags.as_ref())) {
        Ok(rendered) => {
            let tree = zave::tree::fresh_tree(std::slice::from_ref(&rendered), &profile)
                .map_err(|error| Error::Internal(error.to_string()))?;
            to_js(&RenderResult {
                ok: true,
                name: Some(&rendered.name),
                hash: Some(rendered.hash.to_string()),
                diagnostics: &rendered.findings,
                fixes: fixes(&rendered.findings),
                files: &rendered.files,
                tree: &tree,
                stream: zave::to_stream(&rendered.files),
            })
        }
        Err(diagnostics) => to_js(&RenderResult {
            ok: false,
            name: None,
            hash: None,
            diagnostics: &diagnostics.0,
            fixes: fixes(&diagnostics.0),
            files: &[],
            tree: &[],
            stream: String::new(),
        }),
    }
}

/// What changes when a contract moves from one environment to another: both renders compared
/// file by file, as unified diffs.
#[wasm_bindgen(unchecked_return_type = "DiffResult")]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RenderOptions")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RenderOptions")] to: JsValue,
) -> Result<JsValue, JsValue> {
    let text = options::source(&text, "the contract")?;
    let from: RenderOptions = options::read(&from, "diff's from options")?;
    let to: RenderOptions = options::read(&to, "diff's to options")?;
    let (from_profile, to_profile) = (from.profile()?, to.profile()?);
    let (from_flags, to_flags) = (from.flag_set()?, to.flag_set()?);
    let before = zave::render(&text, &from_profile, from.inputs(from_flags.as_ref()));
    let after = zave::render(&text, &to_profile, to.inputs(to_flags.as_ref()));
    let findings = |outcome: &Result<zave::Rendered, zave::Diagnostics>| match outcome {
        Ok(rendered) => rendered.findings.clone(),
        Err(diagnostics) => diagnostics.0.clone(),
    };
    let files = match (&before, &after) {
        (Ok(before), Ok(after)) => {
            zave::diff::between_profiles(&before.files, &from_profile, &after.files, &to_profile)
        }
        _ => Vec::new(),
    };
    to_js(&DiffResult {
        ok: before.is_ok() && after.is_ok(),
        files: &files,
        from_diagnostics: &findings(&before),
        to_diagnostics: &findings(&after),
    })
}

#[derive(Serialize)]
struct SummaryResult<'a> {
    ok: bool,
    name: Option<&'a str>,
    hash: Option<String>,
    diagnostics: &'a [Diagnostic],
    fixes: Vec<Fix<'a>>,
    lines: &'a [SummaryLine],
}

/// What a contract gets under a profile, in the platform's words, each line pointing at the
/// file and object of the render that carries it; or the errors.
#[wasm_bindgen(unchecked_return_type = "SummaryResult")]
pub fn summary(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RenderOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let text = options::source(&text, "the contract")?;
    let options: RenderOptions = options::read(&options, "summary options")?;
    let profile = options.profile()?;
    let flags = options.flag_set()?;
    match zave::plan(&text, &profile, options.inputs(flags.as_ref())) {
        Ok(plan) => to_js(&SummaryResult {
            ok: true,
            name: Some(plan.name()),
            hash: Some(plan.hash().to_string()),
            diagnostics: plan.findings(),
            fixes: fixes(plan.findings()),
            lines: &plan.summary(),
        }),
        Err(diagnostics) => to_js(&SummaryResult {
            ok: false,
            name: None,
            hash: None,
            diagnostics: &diagnostics.0,
            fixes: fixes(&diagnostics.0),
            lines: &[],
        }),
    }
}

/// Every field of the contract and the words it takes, each with its standing under the
/// profile (reserved words without one): what an editor completes.
#[wasm_bindgen(unchecked_return_type = "Field[]")]
pub fn offers(
    #[wasm_bindgen(unchecked_param_type = "ProfileOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: ValidateOptions = options::read(&options, "offers options")?;
    let profile = options.profile()?;
    to_js(&zave::contract::offers::offers(profile.as_deref()))
}

/// The JSON Schema of a document kind: `contract` or `profile`.
#[wasm_bindgen(unchecked_return_type = "object")]
pub fn schema(
    #[wasm_bindgen(unchecked_param_type = "\"contract\" | \"profile\"")] kind: JsValue,
) -> Result<JsValue, JsValue> {
    let schema = match options::text(&kind, "the schema's kind")?.as_str() {
        "contract" => zave::contract_schema(),
        "profile" => zave::profile::profile_schema(),
        other => {
            return Err(Error::Options(format!(
                "unknown schema \"{other}\"; the schemas are: contract, profile"
            ))
            .into());
        }
    };
    to_js(schema)
}

/// The built-in profiles, in the order `zave profile list` shows them.
#[wasm_bindgen(unchecked_return_type = "ProfileInfo[]")]
pub fn profiles() -> Result<JsValue, JsValue> {
    let list: Vec<ProfileInfo<'_>> = zave::profile::builtin_names()
        .filter_map(Profile::builtin)
        .map(|profile| ProfileInfo {
            name: profile.name(),
            classification: profile.spec.classification,
        })
        .collect();
    to_js(&list)
}

/// A built-in profile's YAML, to copy and adapt into a custom profile.
#[wasm_bindgen(js_name = profileSource)]
pub fn profile_source(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<String, JsValue> {
    let name = options::text(&name, "the profile's name")?;
    options::builtin(&name)?;
    Ok(Profile::builtin_source(&name)
        .unwrap_or_default()
        .to_owned())
}

/// The version of zave, as recorded in `zave.io/generator-version`.
#[wasm_bindgen]
pub fn version() -> String {
    zave::VERSION.to_owned()
}

/// Panics on purpose: the tests use it to prove a panic reaches JavaScript as a `ZaveError`
/// and that the module recovers. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests() {
    panic!("a deliberate panic, to test the bridge");
}
