//! `zave check-repo`: the conformance gate of a tenant repository. Reads what the core needs
//! from the disk and prints the core's findings, one line each (or GitHub annotations).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use zave::scaffold::{
    self, CONTRACT_PATH, OnDisk, RepoCode, RepoFinding, ScaffoldFile, WORKFLOWS_DIR,
};
use zave::{Diagnostic, ValidateOptions};

use crate::EXIT_USAGE;
use crate::args::{Format, FormatArg, ProfileArg};
use crate::init::{PinArgs, READ_LIMIT};
use crate::report;
use zave_tree::Folder as Tree;

/// Arguments of `zave check-repo`.
#[derive(Debug, Args)]
pub struct CheckRepoArgs {
    /// The tenant repository's root.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    #[command(flatten)]
    profile: ProfileArg,
    #[command(flatten)]
    pin: PinArgs,
    #[command(flatten)]
    format: FormatArg,
}

/// Runs `zave check-repo`: exit 0 when the repository conforms, 1 with findings, 2 on usage
/// or I/O errors.
pub fn run(args: &CheckRepoArgs) -> ExitCode {
    let profile = match args.profile.load_or_report(false) {
        Ok(profile) => profile,
        Err(code) => return code,
    };
    let settings = match args.pin.settings(&profile) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    let tree = match Tree::open(&args.dir, false) {
        Ok(tree) if args.dir.is_dir() => tree,
        Ok(_) => {
            eprintln!("zave: {} is not a folder", args.dir.display());
            return ExitCode::from(EXIT_USAGE);
        }
        Err(error) => {
            eprintln!("zave: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let shown = |path: &str| {
        if args.dir.as_os_str() == "." {
            if path.is_empty() {
                ".".to_owned()
            } else {
                path.to_owned()
            }
        } else {
            args.dir.join(path).display().to_string()
        }
    };
    let read = |path: &str| tree.inspect(path, READ_LIMIT).unwrap_or(OnDisk::NotAFile);
    let mut contract_findings: Vec<Diagnostic> = Vec::new();
    let mut contract_source = String::new();
    let mut expected: Vec<ScaffoldFile> = Vec::new();
    let mut findings: Vec<RepoFinding> = Vec::new();
    match read(CONTRACT_PATH) {
        OnDisk::File(bytes) => match zave::validate(&bytes, ValidateOptions::default()) {
            Ok(checked) => match scaffold::files(&checked, &settings) {
                Ok(files) => expected = files,
                Err(error) => findings.push(RepoFinding {
                    path: CONTRACT_PATH.to_owned(),
                    code: RepoCode::Unscaffoldable,
                    message: error.to_string(),
                    help: "edit spec.build in zave.yaml".to_owned(),
                }),
            },
            Err(diagnostics) => {
                contract_source = String::from_utf8_lossy(&bytes).into_owned();
                contract_findings = diagnostics
                    .0
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect();
                findings.extend(scaffold::check_present(&read));
            }
        },
        OnDisk::Missing => {
            findings.push(RepoFinding {
                path: CONTRACT_PATH.to_owned(),
                code: RepoCode::Missing,
                message: "missing: the repository has no contract".to_owned(),
                help: format!(
                    "run `zave init {} --dir .` to write one",
                    name_for(&args.dir)
                ),
            });
            findings.extend(scaffold::check_present(&read));
        }
        OnDisk::NotAFile => findings.push(RepoFinding {
            path: CONTRACT_PATH.to_owned(),
            code: RepoCode::NotAFile,
            message: "is not a regular file (a folder or a symbolic link)".to_owned(),
            help: "make zave.yaml a file".to_owned(),
        }),
    }
    let workflows = match tree.entries(WORKFLOWS_DIR) {
        Ok(entries) => entries,
        Err(error) => {
            findings.push(RepoFinding {
                path: WORKFLOWS_DIR.to_owned(),
                code: RepoCode::NotAFile,
                message: error.to_string(),
                help: "make .github/workflows a folder holding only the CI binding".to_owned(),
            });
            Vec::new()
        }
    };
    findings.extend(scaffold::check_repository(&expected, &read, &workflows));
    findings.sort();
    let conforms = findings.is_empty() && contract_findings.is_empty();
    let output = match args.format.format {
        Format::Human => human(
            &contract_findings,
            &contract_source,
            &findings,
            &shown,
            conforms,
            expected.len(),
        ),
        Format::Github => github(&contract_findings, &findings, &shown),
        Format::Json => json(&contract_findings, &findings, &shown, conforms),
    };
    let status = crate::print(&output);
    if conforms { status } else { ExitCode::FAILURE }
}

/// A workload name for a new contract in `dir`: its folder name made valid, else `NAME`.
fn name_for(dir: &std::path::Path) -> String {
    std::path::absolute(dir)
        .ok()
        .and_then(|dir| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .and_then(|name| zave::contract::suggest_name(&name))
        .unwrap_or_else(|| "NAME".to_owned())
}

/// The contract's findings with their source line and caret, then one line per file finding.
fn human(
    contract: &[Diagnostic],
    source: &str,
    findings: &[RepoFinding],
    shown: &dyn Fn(&str) -> String,
    conforms: bool,
    generated: usize,
) -> String {
    if conforms {
        return format!(
            "{} conforms: valid contract, {generated} generated files as zave generates them, no other workflow\n",
            shown("").trim_end_matches('/')
        );
    }
    let mut text: String = contract
        .iter()
        .map(|d| d.to_text(&shown(CONTRACT_PATH), Some(source), zave::TextStyle::Plain) + "\n")
        .collect();
    for finding in findings {
        text.push_str(&format!(
            "{}: error[{}]: {} ({})\n",
            shown(&finding.path),
            finding.code,
            finding.message,
            finding.help
        ));
    }
    text
}

fn github(
    contract: &[Diagnostic],
    findings: &[RepoFinding],
    shown: &dyn Fn(&str) -> String,
) -> String {
    let mut text = String::new();
    for d in contract {
        let position: Vec<String> = [("line", d.line), ("col", d.column)]
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| format!("{key}={v}")))
            .collect();
        let message = format!("{}: {}", d.path, d.message);
        text.push_str(&report::github_annotation(
            "error",
            &shown(CONTRACT_PATH),
            &position,
            d.code.as_str(),
            &message,
        ));
    }
    for finding in findings {
        let message = format!("{}\nhelp: {}", finding.message, finding.help);
        text.push_str(&report::github_annotation(
            "error",
            &shown(&finding.path),
            &[],
            finding.code.as_str(),
            &message,
        ));
    }
    text
}

fn json(
    contract: &[Diagnostic],
    findings: &[RepoFinding],
    shown: &dyn Fn(&str) -> String,
    conforms: bool,
) -> String {
    let findings: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "file": shown(&f.path),
                "code": f.code.as_str(),
                "message": f.message,
                "help": f.help,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&serde_json::json!({
        "conforms": conforms,
        "contract": contract,
        "findings": findings,
    }))
    .unwrap_or_default();
    text.push('\n');
    text
}
