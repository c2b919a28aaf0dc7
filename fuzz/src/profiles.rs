//! The profiles the targets validate and render under: the built-ins and the custom profiles
//! of `fixtures/profiles/valid/`, so "any profile" covers every shape the repository ships.

use std::sync::OnceLock;

use zave::Profile;

const CUSTOM: [&[u8]; 2] = [
    include_bytes!("../../fixtures/profiles/valid/gateway.yaml"),
    include_bytes!("../../fixtures/profiles/valid/restricted.yaml"),
];

/// Every profile, built-ins first, loaded once.
pub fn all() -> &'static [Profile] {
    static ALL: OnceLock<Vec<Profile>> = OnceLock::new();
    ALL.get_or_init(|| {
        let builtins = zave::profile::builtin_names()
            .filter_map(Profile::builtin)
            .cloned();
        let custom = CUSTOM
            .iter()
            .map(|source| match Profile::from_yaml(source) {
                Ok(profile) => profile,
                Err(findings) => panic!("a fixture profile no longer loads: {findings}"),
            });
        builtins.chain(custom).collect()
    })
}
