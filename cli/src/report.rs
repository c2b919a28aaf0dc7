//! The output formats of `zave validate`: human text, JSON, and GitHub annotations.

use serde::Serialize;
use zave::{CheckedContract, Diagnostic, Diagnostics, Severity, TextStyle};

use crate::args::Format;
use crate::input::Input;

/// The outcome of validating one file. Serialized with the keys of the bindings' findings
/// (snake_case throughout), as `schemas/report.schema.json` describes.
#[derive(Debug, Serialize)]
pub struct FileResult {
    file: String,
    valid: bool,
    contract_hash: Option<String>,
    /// Why the file could not be read; it then has no findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    diagnostics: Vec<Diagnostic>,
    #[serde(skip)]
    source: String,
}

impl FileResult {
    /// Records the outcome of validating `input`.
    pub fn new(input: Input, outcome: Result<CheckedContract, Diagnostics>) -> FileResult {
        let (valid, contract_hash, diagnostics) = match outcome {
            Ok(checked) => (true, Some(checked.hash.to_string()), checked.findings),
            Err(Diagnostics(findings)) => (false, None, findings),
        };
        FileResult::from_findings(input, valid, contract_hash, diagnostics)
    }

    /// Records findings that came from another command (such as a render).
    pub fn from_findings(
        input: Input,
        valid: bool,
        contract_hash: Option<String>,
        diagnostics: Vec<Diagnostic>,
    ) -> FileResult {
        FileResult {
            file: input.name,
            valid,
            contract_hash,
            error: None,
            diagnostics,
            source: String::from_utf8_lossy(&input.bytes).into_owned(),
        }
    }

    /// Records a file that could not be read, and why.
    pub fn unreadable(path: &std::path::Path, error: String) -> FileResult {
        let file = if path.as_os_str() == "-" {
            "<stdin>".to_owned()
        } else {
            path.display().to_string()
        };
        FileResult {
            file,
            valid: false,
            contract_hash: None,
            error: Some(error),
            diagnostics: Vec::new(),
            source: String::new(),
        }
    }

    /// Whether the file could not be read.
    pub fn unread(&self) -> bool {
        self.error.is_some()
    }

    /// Adds findings about the set this file was checked in; an error makes it invalid.
    pub fn add_findings(&mut self, findings: Vec<Diagnostic>) {
        if findings.iter().any(Diagnostic::is_error) {
            self.valid = false;
            self.contract_hash = None;
        }
        self.diagnostics.extend(findings);
        zave::diagnostic::sort(&mut self.diagnostics);
    }

    /// Whether there is nothing to report.
    pub fn is_quiet(&self) -> bool {
        self.diagnostics.is_empty() && self.error.is_none()
    }

    /// Whether the file is a valid contract.
    pub fn valid(&self) -> bool {
        self.valid
    }
}

/// Renders every result in `format`.
pub fn render(results: &[FileResult], format: Format, colour: bool) -> String {
    match format {
        Format::Human => human(results, colour),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&serde_json::json!({ "files": results }))
                .unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Github => results
            .iter()
            .map(|r| render_findings(r, Format::Github, false))
            .collect(),
    }
}

/// The findings of one file in a line-oriented format (human or GitHub).
pub fn render_findings(result: &FileResult, format: Format, colour: bool) -> String {
    if let Some(error) = &result.error {
        return match format {
            Format::Github => github_annotation("error", &result.file, &[], "unreadable", error),
            _ => format!("zave: {error}\n"),
        };
    }
    match format {
        Format::Github => github(result).concat(),
        _ => {
            let style = if colour {
                TextStyle::Ansi
            } else {
                TextStyle::Plain
            };
            result
                .diagnostics
                .iter()
                .map(|d| d.to_text(&result.file, Some(&result.source), style) + "\n")
                .collect()
        }
    }
}

fn human(results: &[FileResult], colour: bool) -> String {
    // An unreadable file is said on standard error where it is met; the summary counts it.
    let mut out: String = results
        .iter()
        .filter(|r| !r.unread())
        .map(|r| render_findings(r, Format::Human, colour))
        .collect();
    let invalid = results.iter().filter(|r| !r.valid && !r.unread()).count();
    let unread = results.iter().filter(|r| r.unread()).count();
    let warnings: usize = results
        .iter()
        .map(|r| {
            r.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count()
        })
        .sum();
    let valid = results.iter().filter(|r| r.valid).count();
    let unread = if unread == 0 {
        String::new()
    } else {
        format!(", {unread} unreadable")
    };
    out.push_str(&format!(
        "{} checked: {valid} valid, {invalid} invalid{unread}, {}\n",
        counted(results.len(), "contract"),
        counted(warnings, "warning"),
    ));
    out
}

/// One `::error`/`::warning` line per finding, escaped as GitHub's workflow commands require.
fn github(result: &FileResult) -> Vec<String> {
    result
        .diagnostics
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut position = Vec::new();
            let positions = [
                ("line", d.line),
                ("col", d.column),
                ("endLine", d.end_line),
                ("endColumn", d.end_column),
            ];
            for (key, value) in positions {
                if let Some(value) = value {
                    position.push(format!("{key}={value}"));
                }
            }
            let mut message = if d.path.is_empty() {
                d.message.clone()
            } else {
                format!("{}: {}", d.path, d.message)
            };
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            github_annotation(level, &result.file, &position, d.code.as_str(), &message)
        })
        .collect()
}

/// One GitHub Actions annotation: `::error file=…,line=…,title=…::message`. `position` holds
/// `key=value` pairs such as `line=7`.
pub fn github_annotation(
    level: &str,
    file: &str,
    position: &[String],
    title: &str,
    message: &str,
) -> String {
    let mut properties = vec![format!("file={}", escape_property(file))];
    properties.extend(position.iter().cloned());
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{level} {}::{}\n",
        properties.join(","),
        escape_data(message)
    )
}

/// `1 tenant`, `2 tenants`: a count with its noun in the right number (nouns taking `s`).
pub fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
