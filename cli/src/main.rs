//! `zave`: the command-line surface of the zave core, for people and CI.

mod argocd_plugin;
mod args;
mod check_repo;
mod contract_migrate;
mod diff;
mod explain;
mod init;
mod input;
mod inputs_arg;
mod platform;
mod profile_arg;
mod prompt;
mod provision;
mod render;
mod report;
mod review;
mod run_report;
mod schema_diff;
mod tree_run;
mod validate;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// The workload compiler: validate zave.yaml contracts and render them to GitOps trees.
#[derive(Debug, Parser)]
#[command(name = "zave", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate contracts: every stage at once, so one run shows everything to fix. Exit 0
    /// when all are valid, 1 when any is not, 2 on usage errors or an unreadable file.
    Validate(validate::ValidateArgs),
    /// Render contracts under a profile, to standard output or into a GitOps tree (`--out`).
    Render(render::RenderArgs),
    /// Show what a contract becomes under two profiles, or against the tree on disk, as
    /// unified diffs. Exit 0 when nothing differs (saying so on standard error), 1 when
    /// something does, 2 on usage or I/O errors.
    Diff(diff::DiffArgs),
    /// For each rendered object, which contract field, profile setting, input, default or
    /// convention produced each part.
    Explain(explain::ExplainArgs),
    /// Scaffold a tenant repository: zave.yaml, Dockerfile, docker-compose.yml, .gitignore,
    /// README.md and the CI binding. Again later, it updates what derives from zave.yaml.
    Init(init::InitArgs),
    /// Check a tenant repository conforms: valid contract, generated files as zave generates
    /// them, no workflow but the binding. Exit 0 conforms, 1 findings, 2 usage or I/O errors.
    CheckRepo(check_repo::CheckRepoArgs),
    /// What Argo CD's Config Management Plugin runs in a tenant repository: zave.yaml of the
    /// working directory rendered to its workload objects on standard output; flags not given
    /// come from the plugin parameters (ARGOCD_ENV_ZAVE_PROFILE, _IMAGE, _VERSION_LABEL, _BUNDLE).
    ArgocdGenerate(argocd_plugin::ArgocdGenerateArgs),
    /// What a change of contracts does in the platform's terms (exposure, egress, tier and
    /// quota, capabilities, database engine), then the files it touches: Markdown or JSON.
    Review(review::ReviewArgs),
    /// Render the platform bootstrap a new cluster needs before tenants reconcile: namespaces,
    /// the Argo CD project and the Flux source and Kustomizations applying the indexes.
    Platform(platform::PlatformArgs),
    /// Print the database provisioning script a contract gets under a profile, for review.
    ProvisionScript(provision::ProvisionArgs),
    /// List or print the built-in profiles.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Print the JSON Schema of a document kind, or classify the changes between two
    /// (`schema diff OLD NEW`).
    #[command(args_conflicts_with_subcommands = true)]
    Schema {
        /// Which schema.
        #[arg(value_enum, default_value_t = SchemaKind::Contract)]
        kind: SchemaKind,
        #[command(subcommand)]
        action: Option<SchemaCommand>,
    },
    /// Work on a contract's text.
    #[command(subcommand)]
    Contract(ContractCommand),
    /// Print the contract hash (`sha256:` of its canonical JSON), as recorded on rendered
    /// objects. Exit 1 with the findings, printing no hash, when the contract is invalid.
    Hash {
        /// The contract file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ProfileCommand {
    /// The built-in profiles, one per line with their classification.
    List,
    /// A built-in profile's YAML, to copy and adapt.
    Show {
        /// The profile's name.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum SchemaCommand {
    /// Every difference between two JSON Schemas, additive or breaking; exit 1 when any
    /// breaks.
    Diff(schema_diff::SchemaDiffArgs),
}

#[derive(Debug, Subcommand)]
enum ContractCommand {
    /// Rewrite a contract to the newest apiVersion, keeping its comments and key order.
    Migrate(contract_migrate::MigrateArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The `zave.io/v1` Workload contract.
    Contract,
    /// The `zave.io/v1` Profile.
    Profile,
}

/// Exit status for a usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// A batch renders thousands of contracts in one process, each a few thousand short-lived
/// blocks: mimalloc serves them in far fewer instructions than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Init(args) => init::run(&args),
        Command::CheckRepo(args) => check_repo::run(&args),
        Command::ProvisionScript(args) => provision::run(&args),
        Command::Platform(args) => platform::run(&args),
        Command::Review(args) => review::run(&args),
        Command::ArgocdGenerate(args) => argocd_plugin::run(&args),
        Command::Profile(ProfileCommand::List) => {
            let list: String = zave::profile::builtin_names()
                .filter_map(zave::Profile::builtin)
                .map(|p| format!("{}\t{:?}\n", p.name(), p.spec.classification).to_lowercase())
                .collect();
            print(&list)
        }
        Command::Profile(ProfileCommand::Show { name }) => {
            match zave::Profile::builtin_printable(&name) {
                Some(source) => print(&source),
                None => {
                    eprintln!("zave: {}", zave::profile::UnknownProfile { name });
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Command::Schema {
            action: Some(SchemaCommand::Diff(args)),
            ..
        } => schema_diff::run(&args),
        Command::Contract(ContractCommand::Migrate(args)) => contract_migrate::run(&args),
        Command::Schema { kind, action: None } => {
            let schema = match kind {
                SchemaKind::Contract => zave::contract_schema(),
                SchemaKind::Profile => zave::profile::profile_schema(),
            };
            print(&zave::schema::to_pretty_json(schema))
        }
        Command::Hash { file } => hash(&file),
    }
}

fn hash(path: &std::path::Path) -> ExitCode {
    let input = match input::read(path) {
        Ok(input) => input,
        Err(error) => {
            eprintln!("zave: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match zave::validate(&input.bytes, zave::ValidateOptions::default()) {
        Ok(checked) => print(&format!("{}\n", checked.hash)),
        Err(diagnostics) => {
            input.eprint_findings(&diagnostics);
            ExitCode::FAILURE
        }
    }
}

/// Says `zave: MESSAGE` on standard error; the exit status of a usage or I/O error.
pub fn usage(message: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("zave: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Writes to standard output; a closed pipe is not an error worth a panic.
pub fn print(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("zave: cannot write output: {error}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
