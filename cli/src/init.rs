//! `zave init`: reads the answers (flags, or questions on a terminal) or the contract already
//! in the repository, and writes the files the core derives from it, replacing only zave's own.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use clap::builder::PossibleValuesParser;
use zave::scaffold::{
    self, CONTRACT_PATH, InitAnswers, OnDisk, PinOverride, Question, ScaffoldSettings, WriteAction,
};
use zave::{CheckedContract, Profile, TextStyle, ValidateOptions};

use crate::args::ProfileArg;
use crate::{EXIT_USAGE, prompt, usage};
use zave_tree::Folder as Tree;

/// The most bytes read of a file already in the repository.
pub const READ_LIMIT: u64 = zave::document::MAX_INPUT_BYTES as u64 + 1;

/// `--pipelines-commit SHA --pipelines-release TAG`: a pin of the shared workflow other than
/// the profile's.
#[derive(Debug, Clone, Args)]
pub struct PinArgs {
    /// Pin the shared build workflow to this commit (40 hex digits) instead of the profile's.
    #[arg(long, value_name = "SHA", requires = "pipelines_release")]
    pub pipelines_commit: Option<String>,
    /// The release that commit is, written beside the pin (`v1.4.2`).
    #[arg(long, value_name = "TAG", requires = "pipelines_commit")]
    pub pipelines_release: Option<String>,
}

impl PinArgs {
    /// The scaffold settings of `profile` with this pin, or a usage error.
    pub fn settings(&self, profile: &zave::Profile) -> Result<ScaffoldSettings, ExitCode> {
        let pin = PinOverride {
            commit: self.pipelines_commit.as_deref(),
            release: self.pipelines_release.as_deref(),
        };
        ScaffoldSettings::from_profile(profile, pin).map_err(|error| usage(&error.to_string()))
    }
}

/// Arguments of `zave init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The workload's name: an RFC 1123 label of 1 to 40 characters. Needed to write a new
    /// zave.yaml; with one in --dir, zave.yaml says it.
    name: Option<String>,
    /// How the workload runs [default: container].
    #[arg(long, value_parser = PossibleValuesParser::new(Question::Runtime.options()))]
    runtime: Option<String>,
    /// How it is reached [default: public-http].
    #[arg(long, value_parser = PossibleValuesParser::new(Question::Exposure.options()))]
    exposure: Option<String>,
    /// How it rolls out [default: rolling].
    #[arg(long, value_parser = PossibleValuesParser::new(Question::Delivery.options()))]
    delivery: Option<String>,
    /// The database it needs [default: none].
    #[arg(long, value_parser = PossibleValuesParser::new(Question::Persistence.options()))]
    persistence: Option<String>,
    /// A capability; repeat for several.
    #[arg(long = "capability", value_name = "NAME",
          value_parser = PossibleValuesParser::new(Question::Capability.options()))]
    capabilities: Vec<String>,
    /// Its resource tier [default: standard].
    #[arg(long, value_parser = PossibleValuesParser::new(Question::Tier.options()))]
    tier: Option<String>,
    /// A workload it calls (its `<NAME>_HOST` variable and egress rule); repeat for several.
    #[arg(long = "depends-on", value_name = "NAME")]
    depends_on: Vec<String>,
    /// The repository folder [default: ./NAME, or . without NAME].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    #[command(flatten)]
    profile: ProfileArg,
    #[command(flatten)]
    pin: PinArgs,
    /// Replace files zave did not generate, and write zave.yaml anew from the answers.
    #[arg(long)]
    force: bool,
}

impl InitArgs {
    /// Each question answered by a flag, with its values.
    fn flags(&self) -> Vec<(Question, Vec<&str>)> {
        fn one(value: &Option<String>) -> Vec<&str> {
            value.iter().map(String::as_str).collect()
        }
        [
            (Question::Runtime, one(&self.runtime)),
            (Question::Exposure, one(&self.exposure)),
            (Question::Delivery, one(&self.delivery)),
            (Question::Persistence, one(&self.persistence)),
            (
                Question::Capability,
                self.capabilities.iter().map(String::as_str).collect(),
            ),
            (Question::Tier, one(&self.tier)),
        ]
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .collect()
    }
}

/// Puts the flags' answers on top of `answers` (capabilities or dependencies given replace the
/// others).
fn apply_flags(args: &InitArgs, answers: &mut InitAnswers) -> Result<(), ExitCode> {
    if !args.depends_on.is_empty() {
        answers.dependencies = args.depends_on.clone();
    }
    for (question, values) in args.flags() {
        if question == Question::Capability {
            answers.capabilities.clear();
        }
        for value in values {
            answers.answer(question, value).map_err(|e| usage(&e))?;
        }
    }
    Ok(())
}

/// The contract text of `answers` with what `profile` requires written out, validated
/// strictly under it: a new contract carries no default zave would have to apply. A finding
/// about a value given on the command line points at that argument.
fn new_contract(
    answers: &InitAnswers,
    profile: &Profile,
    shown: &dyn Fn(&str) -> String,
) -> Result<(CheckedContract, Option<String>), ExitCode> {
    let mut answers = answers.clone();
    answers.require_from(profile);
    let source = answers.contract_source();
    let options = ValidateOptions {
        strict: true,
        profile: Some(profile),
    };
    match zave::validate(source.as_bytes(), options) {
        Ok(checked) => Ok((checked, Some(source))),
        Err(diagnostics) => {
            let (arguments, others): (Vec<_>, Vec<_>) = diagnostics
                .0
                .into_iter()
                .partition(|d| argument_of(&d.path).is_some());
            for finding in &arguments {
                eprintln!("zave: {}", argument_finding(finding));
            }
            if !others.is_empty() {
                eprint!(
                    "{}",
                    zave::Diagnostics(others).to_text(
                        &shown(CONTRACT_PATH),
                        Some(&source),
                        TextStyle::Plain
                    )
                );
            }
            eprintln!("zave: nothing written");
            // A bad argument is a usage error; a combination the contract refuses is not.
            Err(if arguments.is_empty() {
                ExitCode::FAILURE
            } else {
                ExitCode::from(EXIT_USAGE)
            })
        }
    }
}

/// The command-line argument a contract path's value came from, for a new contract.
fn argument_of(path: &str) -> Option<&'static str> {
    if path == "metadata.name" {
        Some("NAME")
    } else if path.starts_with("spec.dependencies[") {
        Some("--depends-on")
    } else {
        None
    }
}

/// A finding about an argument, said of the argument: `NAME "Bad_Name": … (did you mean …)`.
fn argument_finding(finding: &zave::Diagnostic) -> String {
    let argument = argument_of(&finding.path).unwrap_or_default();
    let mut text = format!("{argument}: error[{}]: {}", finding.code, finding.message);
    if let Some(help) = &finding.help {
        text.push_str(&format!("\n  = help: {help}"));
    }
    text
}

/// Runs `zave init`.
pub fn run(args: &InitArgs) -> ExitCode {
    match init(args) {
        Ok(code) | Err(code) => code,
    }
}

fn init(args: &InitArgs) -> Result<ExitCode, ExitCode> {
    let profile = args.profile.load_or_report(false)?;
    let settings = args.pin.settings(&profile)?;
    let dir = args
        .dir
        .clone()
        .or_else(|| args.name.as_ref().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."));
    let shown = |path: &str| dir.join(path).display().to_string();
    let (checked, new_contract) = contract(
        args,
        &profile,
        &Tree::open(&dir, false).map_err(|e| usage(&e))?,
        &shown,
    )?;
    let files = scaffold::files(&checked, &settings).map_err(|error| {
        eprintln!("zave: {}: {error}; nothing written", shown(CONTRACT_PATH));
        ExitCode::FAILURE
    })?;
    let tree = Tree::open(&dir, true).map_err(|e| usage(&e))?;
    let mut plan = Vec::new();
    if let Some(source) = new_contract {
        let action = match read_file(&tree, CONTRACT_PATH, &shown)? {
            None => WriteAction::Create,
            Some(bytes) if bytes == source.as_bytes() => WriteAction::Unchanged,
            Some(_) => WriteAction::Replace,
        };
        plan.push((CONTRACT_PATH.to_owned(), source, action));
    }
    for file in files {
        let existing = read_file(&tree, &file.path, &shown)?;
        let action = scaffold::decide(&file, existing.as_deref(), args.force);
        plan.push((file.path, file.content, action));
    }
    let mut report = String::new();
    if plan
        .first()
        .is_none_or(|(path, _, _)| path != CONTRACT_PATH)
    {
        report.push_str(&format!(
            "{:<9} {} (the source of truth: read, never rewritten without --force)\n",
            "read",
            shown(CONTRACT_PATH)
        ));
    }
    for (path, content, action) in &plan {
        if matches!(action, WriteAction::Create | WriteAction::Replace) {
            tree.write_file(path, content).map_err(|e| usage(&e))?;
        }
        let word = match action {
            WriteAction::Create => "created",
            WriteAction::Replace => "updated",
            WriteAction::Unchanged => "unchanged",
            WriteAction::Keep => "kept",
        };
        report.push_str(&format!("{word:<9} {}", shown(path)));
        if *action == WriteAction::Keep {
            report.push_str(" (not generated by zave: kept; --force replaces it)");
        }
        report.push('\n');
    }
    report.push_str(&format!(
        "next: `docker compose up --build` in {} runs it locally; `zave check-repo {}` checks it conforms\n",
        dir.display(),
        dir.display()
    ));
    Ok(crate::print(&report))
}

/// The contract to scaffold from, and its text when zave.yaml is to be written: the one on
/// disk (the source of truth), or one from the answers when there is none.
fn contract(
    args: &InitArgs,
    profile: &Profile,
    tree: &Tree,
    shown: &dyn Fn(&str) -> String,
) -> Result<(CheckedContract, Option<String>), ExitCode> {
    match tree
        .inspect(CONTRACT_PATH, READ_LIMIT)
        .map_err(|e| usage(&e))?
    {
        OnDisk::NotAFile => Err(usage(&format!(
            "{} is not a regular file",
            shown(CONTRACT_PATH)
        ))),
        OnDisk::File(bytes) => {
            let checked = contract_on_disk(args, &bytes, shown)?;
            let conflicts = conflicts(args, &checked)?;
            if conflicts.is_empty() {
                Ok((checked, None))
            } else if args.force {
                // Written anew from what it says, with the flags on top.
                let mut answers = InitAnswers::from_contract(&checked);
                apply_flags(args, &mut answers)?;
                new_contract(&answers, profile, shown)
            } else {
                Err(usage(&format!(
                    "{} is the source of truth and disagrees with {}; edit it and run zave init again, or pass --force to write it anew with the flags",
                    shown(CONTRACT_PATH),
                    conflicts.join(", ")
                )))
            }
        }
        OnDisk::Missing => {
            let Some(name) = &args.name else {
                return Err(usage(&format!(
                    "{} does not exist: name the workload to write it (`zave init NAME`)",
                    shown(CONTRACT_PATH)
                )));
            };
            let mut answers = InitAnswers::new(name);
            apply_flags(args, &mut answers)?;
            if args.flags().is_empty()
                && args.depends_on.is_empty()
                && std::io::stdin().is_terminal()
            {
                prompt::ask(&mut answers, &mut std::io::stdin().lock())
                    .map_err(|e| usage(&format!("cannot read the answers: {e}")))?;
            }
            new_contract(&answers, profile, shown)
        }
    }
}

/// A file of the repository, when it is a regular file; a usage error when something else
/// stands there.
fn read_file(
    tree: &Tree,
    path: &str,
    shown: &dyn Fn(&str) -> String,
) -> Result<Option<Vec<u8>>, ExitCode> {
    match tree.inspect(path, READ_LIMIT).map_err(|e| usage(&e))? {
        OnDisk::Missing => Ok(None),
        OnDisk::File(bytes) => Ok(Some(bytes)),
        OnDisk::NotAFile => Err(usage(&format!(
            "{} is not a regular file; zave will not replace it",
            shown(path)
        ))),
    }
}

/// Validates the contract on disk as written (stages 1 and 2: what the profile injects is not
/// scaffolded), printing its findings when it is invalid.
fn checked_or_report(source: &[u8], shown: &str) -> Result<CheckedContract, ExitCode> {
    zave::validate(source, ValidateOptions::default()).map_err(|diagnostics| {
        let text = String::from_utf8_lossy(source);
        eprint!(
            "{}",
            diagnostics.to_text(shown, Some(&text), TextStyle::Plain)
        );
        eprintln!("zave: nothing written");
        ExitCode::FAILURE
    })
}

/// The contract already in the repository: the source of truth, validated, for this name.
fn contract_on_disk(
    args: &InitArgs,
    bytes: &[u8],
    shown: &dyn Fn(&str) -> String,
) -> Result<CheckedContract, ExitCode> {
    let checked = checked_or_report(bytes, &shown(CONTRACT_PATH))?;
    if let Some(name) = args.name.as_ref().filter(|name| **name != checked.name) {
        return Err(usage(&format!(
            "{} names the workload \"{}\", not \"{name}\"",
            shown(CONTRACT_PATH),
            checked.name,
        )));
    }
    Ok(checked)
}

/// The flags that contradict the contract: `--persistence mysql (zave.yaml says postgres)`.
/// Flags may repeat what it says.
fn conflicts(args: &InitArgs, checked: &CheckedContract) -> Result<Vec<String>, ExitCode> {
    let on_disk = InitAnswers::from_contract(checked);
    let mut wanted = on_disk.clone();
    apply_flags(args, &mut wanted)?;
    let set = |text: String| -> BTreeSet<String> {
        text.split(',')
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut found: Vec<String> = args
        .flags()
        .into_iter()
        .filter(|(question, _)| set(on_disk.current(*question)) != set(wanted.current(*question)))
        .map(|(question, _)| {
            format!(
                "--{} {} (zave.yaml says {})",
                question.key(),
                wanted.current(question),
                on_disk.current(question)
            )
        })
        .collect();
    let listed = |names: &[String]| names.join(",");
    if !args.depends_on.is_empty()
        && set(listed(&on_disk.dependencies)) != set(listed(&wanted.dependencies))
    {
        found.push(format!(
            "--depends-on {} (zave.yaml says {})",
            listed(&wanted.dependencies),
            listed(&on_disk.dependencies)
        ));
    }
    Ok(found)
}
