//! The environment the platform gives a workload: which variables, by name, in order. The
//! render fills them with cluster values and the scaffold's compose file with local ones, so
//! code reads the same names on a laptop and in every cluster.

use super::context::{FLAGD_PORT, GRPC_PORT, HTTP_PORT, METRICS_PORT};
use crate::contract::CheckedContract;
use crate::contract::model::{CapabilityName, Engine, Exposure};

/// One variable the platform sets in the workload's container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformVariable<'a> {
    /// `PORT`: the HTTP port (8080).
    Port,
    /// `GRPC_PORT`: the gRPC port (50051).
    GrpcPort,
    /// `METRICS_PORT`: where metrics are served (9090).
    MetricsPort,
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector traces go to.
    OtlpEndpoint,
    /// `OTEL_EXPORTER_OTLP_PROTOCOL`: always `grpc`.
    OtlpProtocol,
    /// `OTEL_SERVICE_NAME`: the workload's name.
    ServiceName,
    /// `OTEL_RESOURCE_ATTRIBUTES`: `deployment.environment=<classification>`.
    ResourceAttributes,
    /// `FLAGD_HOST`: where the OpenFeature SDK finds flagd, always `localhost` (the sidecar).
    FlagdHost,
    /// `FLAGD_PORT`: flagd's evaluation port (8013).
    FlagdPort,
    /// A key of the database connection, read from the `<name>-db` Secret in a cluster.
    Database(DatabaseKey),
    /// `<W>_HOST`: the in-cluster host of a workload this one calls (`spec.dependencies`).
    DependencyHost(&'a str),
}

/// A key of a database connection: the same names under every profile and on a laptop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DatabaseKey {
    /// `DATABASE_URL`: the whole connection (PostgreSQL, MySQL).
    Url,
    /// `DB_HOST`.
    Host,
    /// `DB_PORT`.
    Port,
    /// `DB_NAME`.
    Name,
    /// `DB_USER`.
    User,
    /// `DB_PASSWORD`.
    Password,
    /// `REDIS_URL`: the whole connection (Redis).
    RedisUrl,
}

/// Where a database is and who connects to it, with the password as it is to be written (a
/// template over the secret store in a cluster, a throwaway on a laptop).
#[derive(Debug, Clone, Copy)]
pub struct Connection<'a> {
    /// The engine.
    pub engine: Engine,
    /// The host the workload connects to.
    pub host: &'a str,
    /// The port the workload connects to.
    pub port: u16,
    /// The database (PostgreSQL, MySQL) or database number (Redis).
    pub database: &'a str,
    /// The login user.
    pub user: &'a str,
    /// The password, as written in `DB_PASSWORD`.
    pub password: &'a str,
    /// The password, as written inside a URL.
    pub url_password: &'a str,
}

impl DatabaseKey {
    /// The variable's name.
    pub fn name(self) -> &'static str {
        match self {
            DatabaseKey::Url => "DATABASE_URL",
            DatabaseKey::Host => "DB_HOST",
            DatabaseKey::Port => "DB_PORT",
            DatabaseKey::Name => "DB_NAME",
            DatabaseKey::User => "DB_USER",
            DatabaseKey::Password => "DB_PASSWORD",
            DatabaseKey::RedisUrl => "REDIS_URL",
        }
    }

    /// The variable's value for a connection.
    pub fn value(self, connection: &Connection<'_>) -> String {
        let Connection {
            engine,
            host,
            port,
            database,
            user,
            password,
            url_password,
        } = *connection;
        let scheme = match engine {
            Engine::Mysql => "mysql",
            Engine::Redis => "redis",
            _ => "postgresql",
        };
        match self {
            DatabaseKey::Url | DatabaseKey::RedisUrl => {
                format!("{scheme}://{user}:{url_password}@{host}:{port}/{database}")
            }
            DatabaseKey::Host => host.to_owned(),
            DatabaseKey::Port => port.to_string(),
            DatabaseKey::Name => database.to_owned(),
            DatabaseKey::User => user.to_owned(),
            DatabaseKey::Password => password.to_owned(),
        }
    }
}

impl PlatformVariable<'_> {
    /// The variable's name.
    pub fn name(self) -> String {
        match self {
            PlatformVariable::Port => "PORT".to_owned(),
            PlatformVariable::GrpcPort => "GRPC_PORT".to_owned(),
            PlatformVariable::MetricsPort => "METRICS_PORT".to_owned(),
            PlatformVariable::OtlpEndpoint => "OTEL_EXPORTER_OTLP_ENDPOINT".to_owned(),
            PlatformVariable::OtlpProtocol => "OTEL_EXPORTER_OTLP_PROTOCOL".to_owned(),
            PlatformVariable::ServiceName => "OTEL_SERVICE_NAME".to_owned(),
            PlatformVariable::ResourceAttributes => "OTEL_RESOURCE_ATTRIBUTES".to_owned(),
            PlatformVariable::FlagdHost => "FLAGD_HOST".to_owned(),
            PlatformVariable::FlagdPort => "FLAGD_PORT".to_owned(),
            PlatformVariable::Database(key) => key.name().to_owned(),
            PlatformVariable::DependencyHost(workload) => dependency_host_variable(workload),
        }
    }

    /// The value when it is the same everywhere (ports, protocol); `None` when it depends on
    /// where the workload runs.
    pub fn fixed_value(self) -> Option<String> {
        match self {
            PlatformVariable::Port => Some(HTTP_PORT.to_string()),
            PlatformVariable::GrpcPort => Some(GRPC_PORT.to_string()),
            PlatformVariable::MetricsPort => Some(METRICS_PORT.to_string()),
            PlatformVariable::OtlpProtocol => Some("grpc".to_owned()),
            PlatformVariable::FlagdHost => Some("localhost".to_owned()),
            PlatformVariable::FlagdPort => Some(FLAGD_PORT.to_string()),
            _ => None,
        }
    }
}

/// The connection keys a workload gets for an engine: the same under every profile.
pub fn database_keys(engine: Engine) -> &'static [DatabaseKey] {
    match engine {
        Engine::Postgres | Engine::Mysql => &[
            DatabaseKey::Url,
            DatabaseKey::Host,
            DatabaseKey::Port,
            DatabaseKey::Name,
            DatabaseKey::User,
            DatabaseKey::Password,
        ],
        Engine::Redis => &[DatabaseKey::RedisUrl],
        Engine::None => &[],
    }
}

/// The variable holding the host of dependency `workload`: upper snake case plus `_HOST`
/// (`ledger-grpc` → `LEDGER_GRPC_HOST`), the same under every profile.
pub fn dependency_host_variable(workload: &str) -> String {
    let mut name: String = workload
        .chars()
        .map(|c| match c {
            '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    name.push_str("_HOST");
    name
}

/// Whether `name` is a variable the platform sets for another purpose (`DB_HOST` of a
/// database), so no dependency's `<W>_HOST` may take it.
pub fn is_platform_variable(name: &str) -> bool {
    let fixed = [
        PlatformVariable::Port,
        PlatformVariable::GrpcPort,
        PlatformVariable::MetricsPort,
        PlatformVariable::OtlpEndpoint,
        PlatformVariable::OtlpProtocol,
        PlatformVariable::ServiceName,
        PlatformVariable::ResourceAttributes,
    ];
    let mut database = [Engine::Postgres, Engine::Redis]
        .into_iter()
        .flat_map(database_keys);
    fixed.iter().any(|variable| variable.name() == name) || database.any(|key| key.name() == name)
}

/// Whether dependency `workload`'s host variable is one `feature-flags` sets (`FLAGD_HOST`):
/// refused only for a workload with the capability, so contracts valid before it stay valid.
pub fn is_flags_variable(workload: &str) -> bool {
    dependency_host_variable(workload) == PlatformVariable::FlagdHost.name()
}

/// The in-cluster host of dependency `workload`: its Service in the namespace the profile's
/// pattern gives it, `<W>.<W's namespace>.svc`.
pub fn dependency_host(workload: &str, namespace_pattern: &str) -> String {
    format!(
        "{workload}.{}.svc",
        namespace_pattern.replace("{name}", workload)
    )
}

/// Every variable a checked contract's container gets, in the order the render writes them.
/// Names depend on the contract only (the portability invariant); a profile changes them only
/// through the capabilities it injects (W003), which are part of the checked contract.
pub fn platform_environment(contract: &CheckedContract) -> Vec<PlatformVariable<'_>> {
    let mut variables = Vec::new();
    match contract.exposure {
        Exposure::PublicHttp | Exposure::InternalHttp => variables.push(PlatformVariable::Port),
        Exposure::Grpc => variables.push(PlatformVariable::GrpcPort),
        Exposure::None | Exposure::Async => {}
    }
    if contract.capabilities.contains(&CapabilityName::Metrics) {
        variables.push(PlatformVariable::MetricsPort);
    }
    if contract.capabilities.contains(&CapabilityName::Tracing) {
        variables.extend([
            PlatformVariable::OtlpEndpoint,
            PlatformVariable::OtlpProtocol,
            PlatformVariable::ServiceName,
            PlatformVariable::ResourceAttributes,
        ]);
    }
    if contract
        .capabilities
        .contains(&CapabilityName::FeatureFlags)
    {
        variables.extend([PlatformVariable::FlagdHost, PlatformVariable::FlagdPort]);
    }
    if let Some(engine) = contract.engine {
        variables.extend(
            database_keys(engine)
                .iter()
                .map(|key| PlatformVariable::Database(*key)),
        );
    }
    variables.extend(
        contract
            .dependencies
            .iter()
            .map(|workload| PlatformVariable::DependencyHost(workload)),
    );
    variables
}
