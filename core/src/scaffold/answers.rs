//! What `zave init` asks, and the contract it writes from the answers.

use crate::contract::DEFAULT_TIER;
use crate::contract::model::{CapabilityName, Delivery, Engine, Exposure, Runtime, Tier};

/// Where the contract lives in a tenant repository.
pub const CONTRACT_PATH: &str = "zave.yaml";

/// The answers `zave init` needs; only the name has no default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitAnswers {
    /// The workload's name.
    pub name: String,
    /// How it runs (`container` unless told).
    pub runtime: Runtime,
    /// How it is reached (`public-http` unless told).
    pub exposure: Exposure,
    /// How it rolls out (`rolling`, the contract's default).
    pub delivery: Delivery,
    /// Its database (`none` unless told).
    pub engine: Engine,
    /// Its capabilities, in the order given.
    pub capabilities: Vec<CapabilityName>,
    /// Its tier (`standard`, the contract's default).
    pub tier: Tier,
}

impl InitAnswers {
    /// The answers for `name` with every default.
    pub fn new(name: impl Into<String>) -> InitAnswers {
        InitAnswers {
            name: name.into(),
            runtime: Runtime::Container,
            exposure: Exposure::PublicHttp,
            delivery: Delivery::Rolling,
            engine: Engine::None,
            capabilities: Vec::new(),
            tier: DEFAULT_TIER,
        }
    }

    /// The contract's text: every default written out, so it validates without a warning,
    /// with the schema comment editors read. The name is written as given; validating the
    /// text is what checks it.
    pub fn contract_source(&self) -> String {
        let mut text = format!(
            "# yaml-language-server: $schema={repository}/raw/v{version}/schemas/contract.schema.json\n\
             # Created by zave init {version}. This contract is yours: edit it, then run\n\
             # `zave init {name} --dir .` to update the files derived from it.\n\
             # Reference: {repository}#the-contract\n\
             apiVersion: zave.io/v1\n\
             kind: Workload\n\
             metadata:\n  name: {name}\n\
             spec:\n  runtime: {runtime}\n  exposure: {exposure}\n  delivery: {delivery}\n",
            repository = env!("CARGO_PKG_REPOSITORY"),
            version = crate::VERSION,
            name = yaml_scalar(&self.name),
            runtime = self.runtime,
            exposure = self.exposure,
            delivery = self.delivery,
        );
        if self.engine != Engine::None {
            text.push_str(&format!("  persistence:\n    engine: {}\n", self.engine));
        }
        if !self.capabilities.is_empty() {
            text.push_str("  capabilities:\n");
            for capability in &self.capabilities {
                text.push_str(&format!("    - name: {capability}\n"));
            }
        }
        text.push_str(&format!("  resources:\n    tier: {}\n", self.tier));
        text
    }
}

/// A name as a YAML scalar: plain when it is a valid name, quoted otherwise (so an invalid
/// name reaches validation as the string it was, and is refused there with its position).
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && text.as_bytes()[0].is_ascii_lowercase()
        && !matches!(text, "null" | "true" | "false");
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}
