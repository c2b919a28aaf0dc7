//! What `zave init` asks, and the contract it writes from the answers.

use crate::contract::model::{CapabilityName, Delivery, Engine, Exposure, Runtime, Tier};
use crate::contract::{DEFAULT_DOCKERFILE, DEFAULT_TIER, Implemented};
use crate::suggest::did_you_mean;

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
    /// Its Dockerfile (`Dockerfile`, the contract's default; not asked, kept from a contract).
    pub dockerfile_path: String,
    /// Its migration command (not asked, kept from a contract; written while it has a
    /// database).
    pub migrations: Option<Vec<String>>,
    /// The workloads it calls (`--depends-on`, not asked), in the order given; validating the
    /// contract checks each name.
    pub dependencies: Vec<String>,
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
            dockerfile_path: DEFAULT_DOCKERFILE.to_owned(),
            migrations: None,
            dependencies: Vec::new(),
        }
    }

    /// The answers a checked contract gives (to compare flags with a contract on disk).
    pub fn from_contract(contract: &crate::contract::CheckedContract) -> InitAnswers {
        InitAnswers {
            name: contract.name.clone(),
            runtime: contract.runtime,
            exposure: contract.exposure,
            delivery: contract.delivery,
            engine: contract.engine.unwrap_or(Engine::None),
            capabilities: contract.capabilities.clone(),
            tier: contract.tier,
            dockerfile_path: contract.dockerfile_path.clone(),
            migrations: contract.migrations.clone(),
            dependencies: contract.dependencies.clone(),
        }
    }

    /// Writes out what `profile` would inject (W003): the capabilities it requires of a
    /// container, so the contract validates under `--strict` with that profile.
    pub fn require_from(&mut self, profile: &crate::Profile) {
        if self.runtime != Runtime::Container {
            return;
        }
        for required in &profile.spec.policy.required_capabilities {
            if !self.capabilities.contains(required) {
                self.capabilities.push(*required);
            }
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
        if self.dockerfile_path != DEFAULT_DOCKERFILE {
            text.push_str(&format!(
                "  build:\n    mode: dockerfile\n    dockerfilePath: {}\n",
                serde_json::to_string(&self.dockerfile_path).unwrap_or_default()
            ));
        }
        if self.engine != Engine::None {
            text.push_str(&format!("  persistence:\n    engine: {}\n", self.engine));
            if let Some(command) = &self.migrations {
                text.push_str(&format!(
                    "    migrations:\n      command: {}\n",
                    serde_json::to_string(command).unwrap_or_default()
                ));
            }
        }
        if !self.capabilities.is_empty() {
            text.push_str("  capabilities:\n");
            for capability in &self.capabilities {
                text.push_str(&format!("    - name: {capability}\n"));
            }
        }
        text.push_str(&format!("  resources:\n    tier: {}\n", self.tier));
        if !self.dependencies.is_empty() {
            text.push_str("  dependencies:\n");
            for workload in &self.dependencies {
                text.push_str(&format!("    - workload: {}\n", yaml_scalar(workload)));
            }
        }
        text
    }
}

/// One thing `zave init` asks (or takes as a flag), besides the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// `--runtime`.
    Runtime,
    /// `--exposure`.
    Exposure,
    /// `--delivery`.
    Delivery,
    /// `--persistence`.
    Persistence,
    /// `--capability` (several answers).
    Capability,
    /// `--tier`.
    Tier,
}

/// The implemented values of an enumeration, in schema order.
fn implemented<T: Implemented>() -> Vec<&'static str> {
    T::VALUES
        .iter()
        .filter(|value| value.is_implemented())
        .map(|value| value.text())
        .collect()
}

impl Question {
    /// Every question, in the order `zave init` asks them.
    pub const ALL: &'static [Question] = &[
        Question::Runtime,
        Question::Exposure,
        Question::Delivery,
        Question::Persistence,
        Question::Capability,
        Question::Tier,
    ];

    /// The flag's name, and the word a prompt shows.
    pub fn key(self) -> &'static str {
        match self {
            Question::Runtime => "runtime",
            Question::Exposure => "exposure",
            Question::Delivery => "delivery",
            Question::Persistence => "persistence",
            Question::Capability => "capability",
            Question::Tier => "tier",
        }
    }

    /// The values zave.io/v1 implements (reserved ones are not offered).
    pub fn options(self) -> Vec<&'static str> {
        match self {
            Question::Runtime => implemented::<Runtime>(),
            Question::Exposure => Exposure::ALL.iter().map(|e| e.as_str()).collect(),
            Question::Delivery => implemented::<Delivery>(),
            Question::Persistence => Engine::ALL.iter().map(|e| e.as_str()).collect(),
            Question::Capability => implemented::<CapabilityName>(),
            Question::Tier => implemented::<Tier>(),
        }
    }
}

impl InitAnswers {
    /// Records one answer; a capability is added to those already given. Refuses a value
    /// zave.io/v1 does not implement, with the closest one.
    pub fn answer(&mut self, question: Question, value: &str) -> Result<(), String> {
        let options = question.options();
        if !options.contains(&value) {
            return Err(format!(
                "{} \"{value}\" is not one zave init offers; {}",
                question.key(),
                did_you_mean(value, &options, "choose one of")
            ));
        }
        fn pick<T: Copy>(all: &[T], text: impl Fn(T) -> &'static str, value: &str) -> Option<T> {
            all.iter().copied().find(|item| text(*item) == value)
        }
        let missing = || format!("{} \"{value}\" is unknown", question.key());
        match question {
            Question::Runtime => {
                self.runtime = pick(Runtime::ALL, Runtime::as_str, value).ok_or_else(missing)?
            }
            Question::Exposure => {
                self.exposure = pick(Exposure::ALL, Exposure::as_str, value).ok_or_else(missing)?
            }
            Question::Delivery => {
                self.delivery = pick(Delivery::ALL, Delivery::as_str, value).ok_or_else(missing)?
            }
            Question::Persistence => {
                self.engine = pick(Engine::ALL, Engine::as_str, value).ok_or_else(missing)?
            }
            Question::Tier => {
                self.tier = pick(Tier::ALL, Tier::as_str, value).ok_or_else(missing)?
            }
            Question::Capability => {
                let capability =
                    pick(CapabilityName::ALL, CapabilityName::as_str, value).ok_or_else(missing)?;
                if !self.capabilities.contains(&capability) {
                    self.capabilities.push(capability);
                }
            }
        }
        Ok(())
    }

    /// The current answer to a question, as a prompt shows it (capabilities comma-separated).
    pub fn current(&self, question: Question) -> String {
        match question {
            Question::Runtime => self.runtime.to_string(),
            Question::Exposure => self.exposure.to_string(),
            Question::Delivery => self.delivery.to_string(),
            Question::Persistence => self.engine.to_string(),
            Question::Tier => self.tier.to_string(),
            Question::Capability => self
                .capabilities
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }
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
