//! The starter `flags.json` of a tenant with `feature-flags`: one flag in flagd's format, the
//! file CI gives the render (`--flags-file`). The tenant owns it from the first write.

use super::{FileRole, ScaffoldFile};
use crate::contract::CheckedContract;
use crate::contract::model::CapabilityName;

/// Where the flag set lives in the repository.
pub(crate) const FLAGS_PATH: &str = "flags.json";

/// One boolean flag, off by default and on for the team's own accounts: a default variant
/// and a targeting rule to copy.
const STARTER: &str = r#"{
  "$schema": "https://flagd.dev/schema/v0/flags.json",
  "flags": {
    "new-welcome-page": {
      "state": "ENABLED",
      "variants": {
        "on": true,
        "off": false
      },
      "defaultVariant": "off",
      "targeting": {
        "if": [{"ends_with": [{"var": "email"}, "@example.com"]}, "on", "off"]
      }
    }
  }
}
"#;

/// The starter flag set, for a contract with `feature-flags`.
pub(crate) fn starter(contract: &CheckedContract) -> Option<ScaffoldFile> {
    contract
        .capabilities
        .contains(&CapabilityName::FeatureFlags)
        .then(|| ScaffoldFile {
            path: FLAGS_PATH.to_owned(),
            content: STARTER.to_owned(),
            role: FileRole::Starter,
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_starter_is_a_valid_flag_set() {
        let set = crate::flags::parse(super::STARTER.as_bytes()).expect("valid flags");
        assert_eq!(set.keys(), ["new-welcome-page"]);
    }
}
