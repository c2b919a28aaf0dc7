//! The error bridge: results as plain JavaScript objects, refusals as `ZaveError`s, and panics
//! turned into a `ZaveError` instead of an opaque trap.

use serde::Serialize;
use wasm_bindgen::JsValue;
use zave::{Diagnostic, Diagnostics};

/// Why a call was refused: before any contract was looked at, or (`Internal`) by a bug.
#[derive(Debug)]
pub enum Error {
    /// The options were not what the function takes (unknown key, wrong type, unknown
    /// profile name).
    Options(String),
    /// The custom profile text (`profileYaml`) is not a valid profile; its findings are
    /// positioned in that text.
    Profile(Diagnostics),
    /// The flags text (`flags`) is not a valid flag set; its findings are positioned in it.
    Flags(Diagnostics),
    /// The core could not write what it built (a bug in zave, never the input's fault).
    Internal(String),
}

impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        match error {
            Error::Options(message) => zave_error("options", &message, &[]),
            Error::Profile(diagnostics) => zave_error(
                "profile",
                &format!("the custom profile is invalid: {diagnostics}"),
                &diagnostics.0,
            ),
            Error::Flags(diagnostics) => zave_error(
                "flags",
                &format!("the flags file is invalid: {diagnostics}"),
                &diagnostics.0,
            ),
            Error::Internal(message) => zave_error("internal", &message, &[]),
        }
    }
}

/// A Rust value as a plain JavaScript value (objects, arrays, strings, numbers, `null`):
/// serialised to JSON once and parsed by the engine, which is faster than building the
/// objects one property at a time across the boundary.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|error| zave_error("internal", &error.to_string(), &[]))?;
    js_sys::JSON::parse(&text)
}

/// A JavaScript `Error` named `ZaveError` with a `kind` (`options`, `profile`, `flags`,
/// `panic`, `internal`) and the `diagnostics` behind it (empty unless `kind` is `profile` or
/// `flags`).
fn zave_error(kind: &str, message: &str, diagnostics: &[Diagnostic]) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name("ZaveError");
    let diagnostics = to_js(diagnostics).unwrap_or_else(|_| js_sys::Array::new().into());
    // Setting a property on a fresh, unfrozen Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(&error, &"diagnostics".into(), &diagnostics);
    error.into()
}

/// Makes a panic reach JavaScript as a `ZaveError` of kind `panic` carrying the panic's
/// message. The WebAssembly target aborts on panic (no unwinding to catch), so the hook throws
/// the error itself, and first schedules a fresh instance for the next call, since the one
/// that panicked may hold half-updated state.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        wasm_bindgen::handler::schedule_reinit();
        let message = format!("zave panicked (a bug: please report it with its input): {info}");
        wasm_bindgen::throw_val(zave_error("panic", &message, &[]))
    }));
}
