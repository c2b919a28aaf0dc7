//! The argument vocabulary every command shares: one spelling, one meaning and one help line
//! per idea, flattened into each command that takes it.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text: each finding with its source line and a caret under the offending node, where it
    /// has a place in a file.
    Human,
    /// One JSON document (snake_case keys, as `schemas/report.schema.json` describes).
    Json,
    /// GitHub Actions workflow commands, one annotation per finding.
    Github,
}

/// `--profile NAME | --profile-file FILE`: the environment.
#[derive(Debug, Clone, Default, Args)]
pub struct ProfileArg {
    /// A built-in profile: kind, linode or aws (default kind; without a profile, validate
    /// skips the environment stage).
    #[arg(long, value_name = "NAME", conflicts_with = "profile_file")]
    pub profile: Option<String>,
    /// A profile file (`kind: Profile`) instead of a built-in profile.
    #[arg(long, value_name = "FILE")]
    pub profile_file: Option<PathBuf>,
}

/// `--to-profile NAME | --to-profile-file FILE`: the other side of a comparison.
#[derive(Debug, Clone, Default, Args)]
pub struct ToProfileArg {
    /// Compare with the render under this built-in profile: kind, linode or aws.
    #[arg(long, value_name = "NAME", conflicts_with = "to_profile_file")]
    pub to_profile: Option<String>,
    /// Compare with the render under this profile file (`kind: Profile`).
    #[arg(long, value_name = "FILE")]
    pub to_profile_file: Option<PathBuf>,
}

impl ToProfileArg {
    /// The other side as a profile choice, when one was given.
    pub fn choice(&self) -> Option<ProfileArg> {
        (self.to_profile.is_some() || self.to_profile_file.is_some()).then(|| ProfileArg {
            profile: self.to_profile.clone(),
            profile_file: self.to_profile_file.clone(),
        })
    }
}

/// `--format human|json|github`.
#[derive(Debug, Clone, Copy, Args)]
pub struct FormatArg {
    /// How findings are printed: text with carets, one JSON document, or GitHub annotations.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `--strict`.
#[derive(Debug, Clone, Copy, Args)]
pub struct StrictArg {
    /// Treat warnings (defaults zave applied, a profile file's warnings) as errors.
    #[arg(long)]
    pub strict: bool,
}

/// CI's inputs to a render: `--image`, `--version-label`, `--flags-file` (for one contract, or
/// per tenant as `NAME=VALUE`) and `--bundle`.
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// The image CI built: `REF` with one contract, or `NAME=REF` per tenant (repeatable).
    /// A tenant without one keeps the image its tree records, else the bootstrap image (W004).
    #[arg(long = "image", value_name = "[NAME=]REF")]
    pub images: Vec<String>,
    /// The version label, `sha-` and seven hex digits: `VALUE`, or `NAME=VALUE` per tenant
    /// (repeatable). `zave --version` prints zave's own version.
    #[arg(long = "version-label", value_name = "[NAME=]sha-xxxxxxx")]
    pub version_labels: Vec<String>,
    /// The flag set of a tenant with `feature-flags`, flagd's `flags.json`: `FILE`, or
    /// `NAME=FILE` per tenant. A tenant without one keeps the set its tree records, else
    /// serves an empty set (W005).
    #[arg(long = "flags-file", value_name = "[NAME=]FILE")]
    pub flags_files: Vec<String>,
    /// The platform bundle recorded on every object.
    #[arg(long, value_name = "NAME")]
    pub bundle: Option<String>,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use clap::{Arg, Command, CommandFactory};

    /// Each idea the vocabulary spells once: its flags, and the words that would make another
    /// flag a second spelling of it (`--json` for `--format json`, `--version` for the label).
    const IDEAS: &[(&[&str], &[&str])] = &[
        (
            &["profile", "profile-file"],
            &["profile", "env", "environment"],
        ),
        (
            &["to-profile", "to-profile-file"],
            &["profile", "to", "target", "against"],
        ),
        (
            &["format"],
            &["format", "json", "github", "human", "output"],
        ),
        (&["strict"], &["strict", "pedantic", "warnings"]),
        (&["image"], &["image", "images", "img", "ref"]),
        (&["version-label"], &["version", "label", "sha"]),
        (&["bundle"], &["bundle"]),
    ];

    /// Every `(command path, argument)` of `command` and its subcommands.
    fn arguments(command: &Command, path: &str) -> Vec<(String, Arg)> {
        let mut found: Vec<(String, Arg)> = command
            .get_arguments()
            .map(|arg| (path.to_owned(), arg.clone()))
            .collect();
        for sub in command.get_subcommands() {
            found.extend(arguments(sub, &format!("{path} {}", sub.get_name())));
        }
        found
    }

    /// The ways `command` breaks the vocabulary: a flag that spells a shared idea another way,
    /// or a shared flag defined twice with different help or value names.
    fn violations(command: &Command) -> Vec<String> {
        let mut problems = Vec::new();
        let mut definitions: BTreeMap<String, (String, String, String)> = BTreeMap::new();
        for (path, arg) in arguments(command, command.get_name()) {
            let Some(long) = arg.get_long() else {
                continue;
            };
            // clap's own --help and --version (zave's version, on every command).
            if matches!(
                arg.get_action(),
                clap::ArgAction::Help | clap::ArgAction::Version
            ) {
                continue;
            }
            let words: Vec<&str> = long.split('-').collect();
            let about: Vec<&(&[&str], &[&str])> = IDEAS
                .iter()
                .filter(|(_, spellings)| words.iter().any(|w| spellings.contains(w)))
                .collect();
            let shared = IDEAS.iter().any(|(flags, _)| flags.contains(&long));
            if !about.is_empty() && !shared {
                let flags: Vec<&str> = about
                    .iter()
                    .flat_map(|(flags, _)| flags.iter())
                    .copied()
                    .collect();
                problems.push(format!(
                    "{path}: --{long} is a second spelling of --{}",
                    flags.join(" / --")
                ));
            }
            if shared {
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                let values = format!("{:?}", arg.get_value_names());
                let definition = (help, values, path.clone());
                match definitions.get(long) {
                    Some(first) if (&first.0, &first.1) != (&definition.0, &definition.1) => {
                        problems.push(format!(
                            "{path}: --{long} is defined again, unlike in {}",
                            first.2
                        ));
                    }
                    Some(_) => {}
                    None => {
                        definitions.insert(long.to_owned(), definition);
                    }
                }
            }
        }
        problems
    }

    #[test]
    fn every_command_speaks_the_one_vocabulary() {
        let problems = violations(&crate::Cli::command());
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_shared_flags_are_where_the_issue_says() {
        let cli = crate::Cli::command();
        let longs = |name: &str| -> Vec<String> {
            cli.find_subcommand(name)
                .map(|sub| {
                    sub.get_arguments()
                        .filter_map(|a| a.get_long().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        for command in [
            "validate",
            "render",
            "diff",
            "explain",
            "check-repo",
            "provision-script",
            "init",
            "platform",
            "review",
            "argocd-generate",
        ] {
            let flags = longs(command);
            assert!(
                flags.iter().any(|f| f == "profile") && flags.iter().any(|f| f == "profile-file"),
                "{command} takes --profile and --profile-file: {flags:?}"
            );
        }
        for command in ["validate", "render", "explain", "check-repo", "review"] {
            assert!(
                longs(command).iter().any(|f| f == "format"),
                "{command} takes --format"
            );
        }
        for command in ["render", "diff", "explain", "argocd-generate"] {
            let flags = longs(command);
            for flag in ["image", "version-label", "bundle", "strict"] {
                assert!(flags.iter().any(|f| f == flag), "{command} takes --{flag}");
            }
        }
    }

    #[test]
    fn a_second_spelling_or_a_redefinition_is_caught() {
        let command = Command::new("zave")
            .subcommand(Command::new("a").arg(Arg::new("json").long("json").num_args(0)))
            .subcommand(
                Command::new("b").arg(
                    Arg::new("strict")
                        .long("strict")
                        .help("one meaning")
                        .num_args(0),
                ),
            )
            .subcommand(
                Command::new("c")
                    .arg(
                        Arg::new("strict")
                            .long("strict")
                            .help("another")
                            .num_args(0),
                    )
                    .arg(Arg::new("version").long("version").num_args(1)),
            );
        let problems = violations(&command);
        assert_eq!(
            problems,
            [
                "zave a: --json is a second spelling of --format",
                "zave c: --strict is defined again, unlike in zave b",
                "zave c: --version is a second spelling of --version-label",
            ]
        );
    }
}
