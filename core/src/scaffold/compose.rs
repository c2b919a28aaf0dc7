//! `docker-compose.yml` for local work: the app, built from the Dockerfile and run as the
//! cluster runs it, with exactly the environment keys the cluster gives it (from
//! [`platform_environment`]), plus the declared engine, with `tracing` a local collector and
//! with `feature-flags` flagd serving the repository's `flags.json`.

use super::ScaffoldSettings;
use super::header::{CommentSyntax, TAKE_OVER, header};
use crate::contract::CheckedContract;
use crate::contract::model::{CapabilityName, Engine};
use crate::render::context::{FLAGD_PORT, GRPC_PORT, HTTP_PORT, METRICS_PORT};
use crate::render::environment::{Connection, DatabaseKey, PlatformVariable, platform_environment};
use crate::render::secrets::own_database;

/// Where the compose file lives.
pub(crate) const COMPOSE_PATH: &str = "docker-compose.yml";

/// The password of the local database: a throwaway for a laptop, never a cluster secret.
const LOCAL_PASSWORD: &str = "local-only";
/// Where a dependency is reached on a laptop: the host, where its own compose file publishes it.
const LOCAL_DEPENDENCY_HOST: &str = "host.docker.internal";

/// The local server of a declared engine.
#[derive(Debug, Clone, Copy)]
struct LocalEngine {
    engine: Engine,
    /// The compose service, which is also the host name the app connects to.
    service: &'static str,
    image: &'static str,
    port: u16,
}

impl LocalEngine {
    fn of(engine: Engine) -> Option<LocalEngine> {
        let (service, image, port) = match engine {
            Engine::Postgres => ("db", "docker.io/library/postgres:17-alpine", 5432),
            Engine::Mysql => ("db", "docker.io/library/mariadb:11.4", 3306),
            Engine::Redis => ("redis", "docker.io/library/redis:7.4-alpine", 6379),
            Engine::None => return None,
        };
        Some(LocalEngine {
            engine,
            service,
            image,
            port,
        })
    }
}

/// The local trace collector (OTLP over gRPC on 4317, a trace viewer on 16686).
/// flagd, the OpenFeature flag evaluator the cluster runs beside the app, for the laptop.
const FLAGD_IMAGE: &str = "ghcr.io/open-feature/flagd:v0.12.9";
const TRACING_IMAGE: &str = "docker.io/jaegertracing/all-in-one:1.62.0";

/// A double-quoted YAML scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The compose file of a contract.
pub(crate) fn compose(contract: &CheckedContract, settings: &ScaffoldSettings) -> String {
    let name = &contract.name;
    let user = settings.run_as_user;
    let engine = contract.engine.and_then(LocalEngine::of);
    let tracing = contract.capabilities.contains(&CapabilityName::Tracing);
    let mut text = header(
        CommentSyntax::Hash,
        &format!("local run of \"{name}\""),
        TAKE_OVER,
    );
    text.push_str(&format!(
        "# `docker compose up --build` runs the app as the cluster does: same environment keys,
# non-root user {user}, read-only root file system with a writable /tmp.
name: {name}
services:
"
    ));
    let variables = platform_environment(contract);
    let migrations = contract.migrations.as_deref().zip(engine);
    if let Some((command, local)) = migrations {
        migrate_service(&mut text, contract, user, command, local);
    }
    text.push_str(
        "  app:
",
    );
    push_container(&mut text, contract, user);
    let ports: Vec<u16> = variables
        .iter()
        .filter_map(|variable| match variable {
            PlatformVariable::Port => Some(HTTP_PORT),
            PlatformVariable::GrpcPort => Some(GRPC_PORT),
            PlatformVariable::MetricsPort => Some(METRICS_PORT),
            _ => None,
        })
        .collect();
    if !ports.is_empty() {
        text.push_str("    ports:\n");
        for port in ports {
            text.push_str(&format!("      - \"{port}:{port}\"\n"));
        }
    }
    if !variables.is_empty() {
        text.push_str("    environment:\n");
        for variable in &variables {
            let value = local_value(*variable, contract, engine);
            text.push_str(&format!("      {}: {}\n", variable.name(), quoted(&value)));
        }
    }
    if !contract.dependencies.is_empty() {
        // Docker Desktop knows the name; Linux engines need it mapped to the host gateway.
        text.push_str(&format!(
            "    extra_hosts:\n      - \"{LOCAL_DEPENDENCY_HOST}:host-gateway\"\n"
        ));
    }
    let mut needs = Vec::new();
    if let Some(local) = engine {
        needs.push((local.service, "service_healthy"));
    }
    if migrations.is_some() {
        needs.push(("migrate", "service_completed_successfully"));
    }
    if tracing {
        needs.push(("tracing", "service_started"));
    }
    if !needs.is_empty() {
        text.push_str("    depends_on:\n");
        for (service, condition) in needs {
            text.push_str(&format!(
                "      {service}:\n        condition: {condition}\n"
            ));
        }
    }
    if let Some(local) = engine {
        database_service(&mut text, name, local);
    }
    if tracing {
        text.push_str(&format!(
            "  tracing:
    image: {TRACING_IMAGE}
    ports:
      - \"16686:16686\"
"
        ));
    }
    if contract
        .capabilities
        .contains(&CapabilityName::FeatureFlags)
    {
        // In the app's network namespace, so FLAGD_HOST=localhost holds as in the cluster.
        text.push_str(&format!(
            "  flags:
    image: {FLAGD_IMAGE}
    command: [start, --uri, file:/etc/flagd/flags.json, --port, \"{FLAGD_PORT}\"]
    network_mode: \"service:app\"
    read_only: true
    user: \"{user}:{user}\"
    volumes:
      - ./flags.json:/etc/flagd/flags.json:ro
"
        ));
    }
    if engine.is_some_and(|local| local.engine != Engine::Redis) {
        text.push_str("volumes:\n  db-data:\n");
    }
    text
}

/// The image and hardening every service built from the repository shares: the cluster's
/// user, a read-only root file system with a writable /tmp, no capabilities.
fn push_container(text: &mut String, contract: &CheckedContract, user: u32) {
    text.push_str(&format!(
        "    build:
      context: .
      dockerfile: {dockerfile}
    user: \"{user}:{user}\"
    read_only: true
    tmpfs:
      - /tmp
    cap_drop:
      - ALL
    security_opt:
      - no-new-privileges:true
",
        dockerfile = quoted(&contract.dockerfile_path),
    ));
}

/// The migrations, run once before the app as the cluster's `PreSync` Job runs them: the
/// contract's command in the app's own image, with the database keys only.
fn migrate_service(
    text: &mut String,
    contract: &CheckedContract,
    user: u32,
    command: &[String],
    local: LocalEngine,
) {
    text.push_str(
        "  # spec.persistence.migrations.command, before the app, as the cluster runs it before each sync.\n  migrate:\n",
    );
    push_container(text, contract, user);
    let command: Vec<String> = command.iter().map(|argument| quoted(argument)).collect();
    text.push_str(&format!(
        "    command: [{}]\n    restart: \"no\"\n    environment:\n",
        command.join(", ")
    ));
    for key in crate::render::environment::database_keys(local.engine) {
        let value = database_value(*key, &contract.name, local);
        text.push_str(&format!("      {}: {}\n", key.name(), quoted(&value)));
    }
    text.push_str(&format!(
        "    depends_on:\n      {}:\n        condition: service_healthy\n",
        local.service
    ));
}

/// The laptop's value of a variable: same name as in the cluster, local services.
fn local_value(
    variable: PlatformVariable,
    contract: &CheckedContract,
    engine: Option<LocalEngine>,
) -> String {
    if let Some(value) = variable.fixed_value() {
        return value;
    }
    match variable {
        PlatformVariable::OtlpEndpoint => "http://tracing:4317".to_owned(),
        PlatformVariable::ServiceName => contract.name.clone(),
        PlatformVariable::ResourceAttributes => "deployment.environment=local".to_owned(),
        // Another tenant runs on the laptop in its own compose project, on the host's ports.
        PlatformVariable::DependencyHost(_) => LOCAL_DEPENDENCY_HOST.to_owned(),
        PlatformVariable::Database(key) => engine
            .map(|local| database_value(key, &contract.name, local))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn database_value(key: DatabaseKey, name: &str, local: LocalEngine) -> String {
    let identity = own_database(name, local.engine);
    key.value(&Connection {
        engine: local.engine,
        host: local.service,
        port: local.port,
        database: &identity.database,
        user: &identity.user,
        password: LOCAL_PASSWORD,
        url_password: LOCAL_PASSWORD,
    })
}

fn database_service(text: &mut String, name: &str, local: LocalEngine) {
    let LocalEngine {
        engine,
        service,
        image,
        ..
    } = local;
    let identity = own_database(name, engine);
    let (user, database) = (&identity.user, &identity.database);
    text.push_str(&format!("  {service}:\n    image: {image}\n"));
    match engine {
        Engine::Postgres => text.push_str(&format!(
            "    environment:
      POSTGRES_DB: \"{database}\"
      POSTGRES_USER: \"{user}\"
      POSTGRES_PASSWORD: \"{LOCAL_PASSWORD}\"
    healthcheck:
      test: [\"CMD-SHELL\", \"pg_isready -U {user} -d {database}\"]
      interval: 5s
      timeout: 3s
      retries: 20
    volumes:
      - db-data:/var/lib/postgresql/data
"
        )),
        Engine::Mysql => text.push_str(&format!(
            "    environment:
      MARIADB_DATABASE: \"{database}\"
      MARIADB_USER: \"{user}\"
      MARIADB_PASSWORD: \"{LOCAL_PASSWORD}\"
      MARIADB_RANDOM_ROOT_PASSWORD: \"1\"
    healthcheck:
      test: [\"CMD\", \"healthcheck.sh\", \"--connect\", \"--innodb_initialized\"]
      interval: 5s
      timeout: 3s
      retries: 20
    volumes:
      - db-data:/var/lib/mysql
"
        )),
        _ => text.push_str(&format!(
            "    # As in a cluster: an ACL user limited to the keys {user}:*.
    command: [\"redis-server\", \"--user\", \"{user}\", \"on\", \">{LOCAL_PASSWORD}\", \"~{user}:*\", \"+@all\"]
    healthcheck:
      test: [\"CMD\", \"redis-cli\", \"ping\"]
      interval: 5s
      timeout: 3s
      retries: 20
"
        )),
    }
}
