//! The tenant's `README.md` (the platform's conventions, for this workload) and `.gitignore`.

use super::ScaffoldSettings;
use super::header::{CommentSyntax, TAKE_OVER, header};
use crate::contract::CheckedContract;
use crate::contract::model::{CapabilityName, Engine, Exposure, Runtime};
use crate::render::environment::{DatabaseKey, PlatformVariable, platform_environment};

/// Where the README lives.
pub(crate) const README_PATH: &str = "README.md";
/// Where the ignore list lives.
pub(crate) const GITIGNORE_PATH: &str = ".gitignore";

/// What a variable is for, in one line.
fn meaning(variable: PlatformVariable) -> &'static str {
    match variable {
        PlatformVariable::Port => "the HTTP port to listen on (8080)",
        PlatformVariable::GrpcPort => "the gRPC port to listen on (50051)",
        PlatformVariable::MetricsPort => {
            "the port to serve Prometheus metrics on, at /metrics (9090)"
        }
        PlatformVariable::OtlpEndpoint => "where to send OpenTelemetry traces (OTLP over gRPC)",
        PlatformVariable::OtlpProtocol => "the OTLP protocol (`grpc`)",
        PlatformVariable::ServiceName => "the service name traces carry",
        PlatformVariable::ResourceAttributes => "resource attributes, such as the environment",
        PlatformVariable::FlagdHost => {
            "where the OpenFeature flagd provider finds flagd (`localhost`: a sidecar in the cluster)"
        }
        PlatformVariable::FlagdPort => "flagd's evaluation port (8013)",
        PlatformVariable::Database(key) => match key {
            DatabaseKey::Url => "the database connection, as one URL",
            DatabaseKey::Host => "the database host",
            DatabaseKey::Port => "the database port",
            DatabaseKey::Name => "the database name",
            DatabaseKey::User => "the database user",
            DatabaseKey::Password => "the database password (from the secret store, never in Git)",
            DatabaseKey::RedisUrl => "the Redis connection, as one URL",
        },
        PlatformVariable::DependencyHost(_) => {
            "the host of a workload this one calls (`spec.dependencies`): HTTP on port 80, gRPC on 50051"
        }
    }
}

/// The README of a contract.
pub(crate) fn readme(contract: &CheckedContract, settings: &ScaffoldSettings) -> String {
    let name = &contract.name;
    let repository = env!("CARGO_PKG_REPOSITORY");
    let mut text = header(
        CommentSyntax::Markdown,
        &format!("README of \"{name}\""),
        TAKE_OVER,
    );
    text.push_str(&format!(
        "# {name}\n\nA workload of the platform: `zave.yaml` says what it is ({runtime}, {exposure}); \
         the platform derives its image, ports, environment, replicas and hosts from it. The \
         contract is documented at <{repository}#the-contract>.\n\n## Conventions\n\n",
        runtime = contract.runtime,
        exposure = contract.exposure,
    ));
    let user = settings.run_as_user;
    let serving = match (contract.runtime, contract.exposure) {
        (Runtime::Static, _) => {
            "- The site is served on port 8080 by an unprivileged web server; the platform \
             probes `GET /`.\n"
        }
        (_, Exposure::PublicHttp | Exposure::InternalHttp) => {
            "- Listen on `$PORT` (8080) and answer `GET /healthz` with 200 once ready: the \
             platform's readiness and liveness probes ask it.\n"
        }
        (_, Exposure::Grpc) => {
            "- Serve gRPC on `$GRPC_PORT` (50051) and implement the standard gRPC health \
             service: the platform's probes call it.\n"
        }
        _ => "- A worker: no port and no Service; nothing reaches it over the network.\n",
    };
    text.push_str(serving);
    text.push_str(&format!(
        "- The container runs as the non-root user {user} with a read-only root file system; \
         write temporary files to `/tmp` only.\n\
         - Configuration comes from the environment. Your own secrets are read from the \
         platform's secret store into the environment too; never commit one.\n"
    ));
    let variables = platform_environment(contract);
    if !variables.is_empty() {
        text.push_str(
            "\nThe platform sets these variables, with the same names on your laptop \
             (`docker-compose.yml`) and in every cluster, so code never changes between them:\n\n\
             | variable | meaning |\n|---|---|\n",
        );
        for variable in variables {
            text.push_str(&format!(
                "| `{}` | {} |\n",
                variable.name(),
                meaning(variable)
            ));
        }
    }
    if matches!(contract.engine, Some(Engine::Postgres | Engine::Mysql)) {
        text.push_str(&migrations(contract));
    }
    if contract
        .capabilities
        .contains(&CapabilityName::FeatureFlags)
    {
        text.push_str(FEATURE_FLAGS);
    }
    text.push_str(&format!(
        "\n## Run it locally\n\n```sh\ndocker compose up --build\n```\n\n\
         ## Build and deploy\n\n\
         `.github/workflows/build.yaml` calls the platform's shared build workflow: it builds \
         the image from `{dockerfile}`, scans it, publishes it and tells the GitOps repository, \
         which deploys it. It is the repository's only workflow: the platform runs no custom CI \
         logic in tenant repositories.\n\n\
         ## Files zave keeps\n\n\
         `zave init {name} --dir .` regenerates the files derived from `zave.yaml` after you \
         change it; `zave check-repo .` checks the repository conforms. A file whose first line \
         is zave's header is zave's: delete that line to make the file yours (the build \
         workflow always stays zave's).\n",
        dockerfile = contract.dockerfile_path,
    ));
    text
}

/// How a workload with `feature-flags` reads its flags.
const FEATURE_FLAGS: &str = "\n## Feature flags\n\n\
     `flags.json` holds the workload's flags in flagd's own format \
     (<https://flagd.dev/reference/flag-definitions/>); it is yours, zave never rewrites it. CI \
     gives it to the render with the image, and the platform serves it from a flagd sidecar \
     beside the app. Read flags through the OpenFeature SDK of your language with its flagd \
     provider: the provider finds flagd at `$FLAGD_HOST`:`$FLAGD_PORT` (localhost:8013, in the \
     cluster and in `docker compose up` alike), so code asks for a flag by its key and a \
     default, and never names the environment. A changed `flags.json` rolls the pods.\n";

/// The migration convention, for a workload with a schema.
fn migrations(contract: &CheckedContract) -> String {
    let status = match &contract.migrations {
        Some(command) => format!("This workload's command is `{}`.", command.join(" ")),
        None => "This workload has none yet.".to_owned(),
    };
    format!(
        "\n## Schema migrations\n\n\
         List your migration tool under `spec.persistence.migrations.command` (for example \
         `[./migrate, up]`). Before each deployment the platform runs it once, in this \
         workload's own image, with a connection that may change the schema in the same variables \
         (`DATABASE_URL`, `DB_*`); a failed run stops the deployment. It connects to the \
         database server itself, not the connection pooler, so session features such as \
         advisory locks work; make it idempotent, since it runs on every deployment. \
         `docker compose up` runs it before the app, the same way. {status}\n"
    )
}

/// The `.gitignore` of a tenant repository.
pub(crate) fn gitignore(contract: &CheckedContract) -> String {
    let mut text = header(
        CommentSyntax::Hash,
        &format!("ignore list of \"{}\"", contract.name),
        TAKE_OVER,
    );
    text.push_str(
        "# Secrets and local settings never go into Git.\n\
         .env\n.env.*\n!.env.example\n*.pem\n*.key\n\
         # Build output and dependencies.\n\
         /out/\n/dist/\n/build/\nnode_modules/\n__pycache__/\n*.pyc\n/target/\n\
         # Editors and systems.\n\
         .DS_Store\n.idea/\n.vscode/\n*.swp\n",
    );
    text
}
