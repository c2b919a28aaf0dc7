//! Reading CI's inputs (`--image`, `--version-label`, `--bundle`) into what a render is
//! given, for one contract or per tenant as `NAME=VALUE`.

use std::process::ExitCode;

use zave::Profile;
use zave_tree::Given;

use crate::args::{InputArgs, ProfileArg};

impl InputArgs {
    /// The profile and the inputs for a run of `contracts` contracts, or the exit status
    /// after saying why they cannot be had.
    pub fn load(
        &self,
        profile: &ProfileArg,
        contracts: usize,
        strict: bool,
    ) -> Result<(Profile, Given), ExitCode> {
        let profile = profile.load_or_report(strict)?;
        let given = self.given(contracts, strict).map_err(|message| {
            eprintln!("zave: {message}");
            ExitCode::from(crate::EXIT_USAGE)
        })?;
        Ok((profile, given))
    }

    /// The inputs for a run of `contracts` contracts; a value without `NAME=` needs exactly
    /// one contract.
    pub fn given(&self, contracts: usize, strict: bool) -> Result<Given, String> {
        let mut given = Given {
            bundle: self.bundle.clone(),
            strict,
            ..Given::default()
        };
        for (flag, values, by_name, sole) in [
            (
                "--image",
                &self.images,
                &mut given.images,
                &mut given.sole_image,
            ),
            (
                "--version-label",
                &self.version_labels,
                &mut given.versions,
                &mut given.sole_version,
            ),
        ] {
            for value in values {
                match value.split_once('=') {
                    Some((name, value)) => {
                        if by_name.insert(name.to_owned(), value.to_owned()).is_some() {
                            return Err(format!("{flag} names \"{name}\" twice"));
                        }
                    }
                    None if contracts == 1 && sole.is_none() => *sole = Some(value.clone()),
                    None => {
                        return Err(format!(
                            "{flag} {value} does not say which tenant it is for: write \
                             {flag} NAME={value} when rendering several contracts"
                        ));
                    }
                }
            }
        }
        Ok(given)
    }
}
