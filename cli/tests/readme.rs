//! The README's command lines against the binary: every flag a `sh` block shows for a command
//! is one its `--help` lists, and every flag its `--help` lists is shown.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{text, zave};

/// The `--flags` of `line` before its comment.
fn flags(line: &str) -> impl Iterator<Item = String> + '_ {
    let code = line.split(" #").next().unwrap_or_default();
    code.match_indices("--").filter_map(move |(at, _)| {
        let name: String = code[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '-')
            .collect();
        (!name.is_empty()).then_some(name)
    })
}

/// For each subcommand a README `sh` block runs (`zave NAME …` and its indented
/// continuation lines), the flags it shows.
fn readme_commands() -> BTreeMap<String, BTreeSet<String>> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README");
    let mut commands: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for block in readme.split("```sh\n").skip(1) {
        let block = block.split("\n```").next().unwrap_or_default();
        let mut current: Option<String> = None;
        for line in block.lines() {
            if let Some(rest) = line.strip_prefix("zave ") {
                let mut words = rest.split_whitespace();
                let first = words.next().unwrap_or_default().to_owned();
                // `zave schema diff …`, `zave contract migrate …`: the subcommand's own flags.
                let name = match words.next() {
                    Some(second) if subcommands(&first).contains(second) => {
                        format!("{first} {second}")
                    }
                    _ => first,
                };
                current = Some(name.clone());
                commands.entry(name).or_default().extend(flags(rest));
            } else if line.starts_with(' ') {
                if let Some(name) = &current {
                    commands
                        .entry(name.clone())
                        .or_default()
                        .extend(flags(line));
                }
            } else {
                current = None;
            }
        }
    }
    commands
}

/// The subcommands `zave NAME --help` lists under `Commands:`, but clap's `help`.
fn subcommands(name: &str) -> BTreeSet<String> {
    let output = zave(&[name, "--help"]);
    text(&output.stdout)
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .filter(|command| command != "help")
        .collect()
}

/// The flags `zave NAME --help` lists (NAME may be `command subcommand`), but clap's own.
fn help_flags(name: &str) -> BTreeSet<String> {
    let mut args: Vec<&str> = name.split(' ').collect();
    args.push("--help");
    let output = zave(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "zave {name} --help: {}",
        text(&output.stderr)
    );
    text(&output.stdout)
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with("--") || line.starts_with('-'))
        .flat_map(|line| flags(line).collect::<Vec<_>>())
        .filter(|flag| flag != "help" && flag != "version")
        .collect()
}

#[test]
fn every_readme_command_shows_exactly_the_flags_it_takes() {
    let commands = readme_commands();
    for expected in [
        "validate",
        "render",
        "diff",
        "explain",
        "provision-script",
        "init",
        "check-repo",
    ] {
        assert!(
            commands.contains_key(expected),
            "the README shows zave {expected}"
        );
    }
    let mut problems = Vec::new();
    for (name, shown) in &commands {
        let taken = help_flags(name);
        for flag in shown.difference(&taken) {
            problems.push(format!(
                "README shows `zave {name} --{flag}`, which it does not take"
            ));
        }
        for flag in taken.difference(shown) {
            problems.push(format!("`zave {name} --{flag}` is missing from the README"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
