//! Validates the contracts named on the command line with the zave crate and prints each
//! finding as zave's CLI would: `cargo run -p zave --example validate -- examples/zave.yaml`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut all_valid = true;
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{path}: {error}");
                return ExitCode::from(2);
            }
        };
        let source = String::from_utf8_lossy(&bytes);
        match zave::validate(&bytes, zave::ValidateOptions::default()) {
            Ok(checked) => {
                println!(
                    "{path}: {} is valid ({}, tier {})",
                    checked.name, checked.hash, checked.tier
                );
                for finding in &checked.findings {
                    print!(
                        "{}",
                        finding.to_text(&path, Some(&source), zave::TextStyle::Plain)
                    );
                }
            }
            Err(diagnostics) => {
                all_valid = false;
                print!(
                    "{}",
                    diagnostics.to_text(&path, Some(&source), zave::TextStyle::Plain)
                );
            }
        }
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
