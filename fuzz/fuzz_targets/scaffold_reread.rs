//! `zave init` over an existing `zave.yaml`: the contract it would write anew from what the
//! file says validates without a finding and says the same; the files scaffolded from either
//! are the same, parse where they are YAML, and make a repository that conforms.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zave::scaffold::{self, BINDING_PATH, InitAnswers, OnDisk, PinOverride, ScaffoldSettings};
use zave::{CheckedContract, ValidateOptions};
use zave_fuzz::profiles;

fuzz_target!(|input: &[u8]| {
    let Ok(on_disk) = zave::validate(input, ValidateOptions::default()) else {
        return;
    };
    let answers = InitAnswers::from_contract(&on_disk);
    let rewritten = answers.contract_source();
    let reread = match zave::validate(rewritten.as_bytes(), ValidateOptions::default()) {
        Ok(reread) => reread,
        Err(refusal) => panic!("the rewritten contract is refused: {refusal}\n{rewritten}"),
    };
    assert_eq!(
        reread.findings,
        [],
        "the rewritten contract warns:\n{rewritten}"
    );
    assert_eq!(
        InitAnswers::from_contract(&reread),
        answers,
        "the rewrite says something else"
    );
    assert_eq!(
        InitAnswers::from_contract(&reread).contract_source(),
        rewritten,
        "not a fixed point"
    );
    for profile in profiles::all() {
        let Ok(settings) = ScaffoldSettings::from_profile(profile, PinOverride::default()) else {
            continue;
        };
        assert_same_scaffold(&on_disk, &reread, &settings);
    }
});

fn assert_same_scaffold(
    on_disk: &CheckedContract,
    reread: &CheckedContract,
    settings: &ScaffoldSettings,
) {
    let files = scaffold::files(on_disk, settings);
    assert_eq!(
        files,
        scaffold::files(reread, settings),
        "the rewrite scaffolds other files"
    );
    let Ok(files) = files else {
        return;
    };
    for file in &files {
        zave_fuzz::rendered::assert_clean_path(&file.path);
        let is_yaml = file.path.ends_with(".yml") || file.path.ends_with(".yaml");
        if is_yaml && let Err(error) = serde_yaml::from_str::<serde_yaml::Value>(&file.content) {
            panic!("{} is not YAML: {error}\n{}", file.path, file.content);
        }
        assert_eq!(
            scaffold::decide(file, Some(file.content.as_bytes()), false),
            scaffold::WriteAction::Unchanged
        );
    }
    let read = |path: &str| {
        files
            .iter()
            .find(|file| file.path == path)
            .map_or(OnDisk::Missing, |file| {
                OnDisk::File(file.content.clone().into_bytes())
            })
    };
    let workflows = [BINDING_PATH
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()];
    let findings = scaffold::check_repository(&files, &read, &workflows);
    assert_eq!(
        findings,
        [],
        "a freshly scaffolded repository does not conform"
    );
}
