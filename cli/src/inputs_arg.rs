//! Reading CI's inputs (`--image`, `--version-label`, `--flags-file`, `--bundle`) into what
//! a render is given, for one contract or per tenant as `NAME=VALUE`.

use std::path::Path;
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
        let mut given = self.given(contracts, strict).map_err(|message| {
            eprintln!("zave: {message}");
            ExitCode::from(crate::EXIT_USAGE)
        })?;
        self.read_flags(&mut given, contracts)?;
        Ok((profile, given))
    }

    /// Reads and checks every `--flags-file` into `given`: exit 2 when a file cannot be read
    /// or does not say its tenant, 1 with the file's findings when it is refused.
    pub fn read_flags(&self, given: &mut Given, contracts: usize) -> Result<(), ExitCode> {
        let usage = |message: String| {
            eprintln!("zave: {message}");
            ExitCode::from(crate::EXIT_USAGE)
        };
        for value in &self.flags_files {
            let (name, path) = match value.split_once('=') {
                Some((name, path)) if is_tenant_name(name) => (Some(name), path),
                _ => (None, value.as_str()),
            };
            let input = crate::input::read(Path::new(path)).map_err(usage)?;
            let flags = zave::flags::parse(&input.bytes).map_err(|diagnostics| {
                input.eprint_findings(&diagnostics);
                ExitCode::FAILURE
            })?;
            match name {
                Some(name) => {
                    if given.flags.insert(name.to_owned(), flags).is_some() {
                        return Err(usage(format!("--flags-file names \"{name}\" twice")));
                    }
                }
                None if contracts == 1 && given.sole_flags.is_none() => {
                    given.sole_flags = Some(flags);
                }
                None => {
                    return Err(usage(format!(
                        "--flags-file {value} does not say which tenant it is for: write \
                         --flags-file NAME={value} when rendering several contracts"
                    )));
                }
            }
        }
        Ok(())
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

/// Whether `text` can be a tenant's name, so `NAME=FILE` is told from a file name with `=`.
fn is_tenant_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
