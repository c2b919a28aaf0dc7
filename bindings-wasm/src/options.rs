//! The options objects JavaScript passes, read strictly: an unknown key or a wrong type is a
//! `ZaveError`, never ignored.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use zave::flags::FlagSet;
use zave::{Profile, RenderInputs};

use crate::bridge::Error;

/// `validate(text, options)`: which environment's policy applies, and strictness.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidateOptions {
    /// A built-in profile's name; without it (and without `profileYaml`) only stages 1 and 2
    /// run.
    pub profile: Option<String>,
    /// The text of a custom profile.
    pub profile_yaml: Option<String>,
    /// Warnings become errors.
    pub strict: Option<bool>,
}

/// `render(text, options)` and each side of `diff`: the environment and CI's inputs.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenderOptions {
    /// A built-in profile's name; `kind` when neither this nor `profileYaml` is given.
    pub profile: Option<String>,
    /// The text of a custom profile.
    pub profile_yaml: Option<String>,
    /// The image reference CI built.
    pub image: Option<String>,
    /// The version label, `sha-` and seven hex digits.
    pub version: Option<String>,
    /// The platform bundle recorded on every object.
    pub bundle: Option<String>,
    /// The text of the tenant's `flags.json` (`feature-flags`), read by the core.
    pub flags: Option<String>,
    /// Warnings become errors.
    pub strict: Option<bool>,
}

impl ValidateOptions {
    /// The profile to check against, if any.
    pub fn profile(&self) -> Result<Option<Cow<'static, Profile>>, Error> {
        choose_profile(self.profile.as_deref(), self.profile_yaml.as_deref())
    }
}

impl RenderOptions {
    /// The profile to render under (the core's default, `kind`, as in the CLI).
    pub fn profile(&self) -> Result<Cow<'static, Profile>, Error> {
        let profile = choose_profile(self.profile.as_deref(), self.profile_yaml.as_deref())?;
        match profile {
            Some(profile) => Ok(profile),
            None => builtin(zave::profile::DEFAULT_PROFILE),
        }
    }

    /// The flag set of `flags`, checked by the core; its findings are positioned in that text.
    pub fn flag_set(&self) -> Result<Option<FlagSet>, Error> {
        self.flags
            .as_deref()
            .map(|text| zave::flags::parse(text.as_bytes()))
            .transpose()
            .map_err(Error::Flags)
    }

    /// CI's inputs, borrowed from the options and their checked flag set.
    pub fn inputs<'a>(&'a self, flags: Option<&'a FlagSet>) -> RenderInputs<'a> {
        RenderInputs {
            image: self.image.as_deref(),
            version: self.version.as_deref(),
            bundle: self.bundle.as_deref(),
            flags,
            strict: self.strict.unwrap_or(false),
        }
    }
}

/// Reads an options object; `undefined` and `null` mean every default.
pub fn read<T: DeserializeOwned + Default>(value: &JsValue, what: &str) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(Error::Options(format!("{what} must be an object")));
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| Error::Options(format!("{what} cannot be read as JSON data")))?;
    serde_json::from_str(&text).map_err(|error| {
        let message = error.to_string();
        // serde_json appends the position in the JSON text it parsed, which the caller never
        // saw; the field name in the message is what helps.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(message.as_str());
        Error::Options(format!("{what}: {message}"))
    })
}

/// A document's source: a string, or its bytes as a `Uint8Array` (such as a Node `Buffer`), so
/// bytes that are not UTF-8 reach the core's own check rather than being replaced on the way.
pub fn source(value: &JsValue, what: &str) -> Result<Vec<u8>, Error> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    value
        .dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .ok_or_else(|| Error::Options(format!("{what} must be a string or a Uint8Array")))
}

/// A string argument, or an options error naming `what` when it is not a string.
pub fn text(value: &JsValue, what: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| Error::Options(format!("{what} must be a string")))
}

/// A built-in profile by name.
pub fn builtin(name: &str) -> Result<Cow<'static, Profile>, Error> {
    Profile::named(name)
        .map(Cow::Borrowed)
        .map_err(|unknown| Error::Options(unknown.to_string()))
}

fn choose_profile(
    name: Option<&str>,
    yaml: Option<&str>,
) -> Result<Option<Cow<'static, Profile>>, Error> {
    match (name, yaml) {
        (Some(_), Some(_)) => Err(Error::Options(
            "give either profile (a built-in name) or profileYaml (a custom profile), not both"
                .to_owned(),
        )),
        (Some(name), None) => builtin(name).map(Some),
        (None, Some(yaml)) => Profile::from_yaml(yaml.as_bytes())
            .map(|profile| Some(Cow::Owned(profile)))
            .map_err(Error::Profile),
        (None, None) => Ok(None),
    }
}
