//! Secrets as references: ExternalSecrets against the profile's store. The database password
//! is generated in the cluster and only ever referenced; connection values come from the profile.

use std::collections::BTreeMap;

use super::context::Context;
use super::custom::{
    CustomResource, ExternalSecretData, ExternalSecretDataFrom, ExternalSecretSpec,
    ExternalSecretTarget, RemoteRef, SecretStoreRef, SecretTemplate,
};
use super::environment::{Connection, database_keys};
use crate::contract::model::Engine;
use crate::manifest::{Manifest, Object, Zone};
use crate::profile::model::DatabaseServer;
use crate::profile::server;
use crate::render::persistence::names::{MysqlNames, PostgresNames};

/// The Secret holding the tenant's own application secrets.
pub fn app_secret_name(ctx: &Context<'_>) -> String {
    format!("{}-app", ctx.name())
}

/// The Secret holding the tenant's database connection.
pub fn database_secret_name(ctx: &Context<'_>) -> String {
    format!("{}-db", ctx.name())
}

/// The Secret holding the migrator's connection (PostgreSQL), straight to the server.
pub fn migrator_secret_name(ctx: &Context<'_>) -> String {
    format!("{}-db-migrator", ctx.name())
}

/// Where the tenant's database connection goes: database name and login user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseIdentity {
    /// The database (PostgreSQL, MySQL) or the ACL user's key prefix (Redis).
    pub database: String,
    /// The login user.
    pub user: String,
}

/// The database and user names a tenant gets on a server (`listings-ingest` →
/// `db_listings_ingest`, `listings_ingest_app`).
pub fn database_identity(
    ctx: &Context<'_>,
    engine: Engine,
    server: &DatabaseServer,
) -> DatabaseIdentity {
    match engine {
        Engine::Postgres => {
            let names = PostgresNames::of(ctx.name(), server);
            DatabaseIdentity {
                database: names.database,
                user: names.app,
            }
        }
        _ => own_database(ctx.name(), engine),
    }
}

/// The database and user of workload `name` on a server where it has a database of its own
/// (a cluster's database-per-tenant server, or a laptop's compose file).
pub fn own_database(name: &str, engine: Engine) -> DatabaseIdentity {
    match engine {
        Engine::Redis => DatabaseIdentity {
            database: "0".to_owned(),
            user: name.to_owned(),
        },
        Engine::Mysql => {
            let names = MysqlNames::of(name);
            DatabaseIdentity {
                database: names.database,
                user: names.user,
            }
        }
        _ => {
            let names = PostgresNames::own(name);
            DatabaseIdentity {
                database: names.database,
                user: names.app,
            }
        }
    }
}

/// The ExternalSecrets of the workload.
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    let store = SecretStoreRef {
        kind: "ClusterSecretStore",
        name: ctx.profile.spec.secrets.store.clone(),
    };
    let refresh = ctx.profile.spec.secrets.refresh_interval.clone();
    let app = ExternalSecretSpec {
        refresh_interval: refresh.clone(),
        secret_store_ref: store.clone(),
        target: ExternalSecretTarget {
            name: app_secret_name(ctx),
            creation_policy: "Owner",
            template: None,
        },
        data: Vec::new(),
        data_from: vec![ExternalSecretDataFrom {
            extract: RemoteRef {
                key: ctx.secret_key("app"),
                property: None,
            },
        }],
    };
    let mut manifests = vec![external_secret(ctx, app_secret_name(ctx), app)];
    let database = ctx
        .contract
        .engine
        .and_then(|engine| Some((engine, server(ctx.profile, engine)?)));
    if let Some((engine, server)) = database {
        let identity = database_identity(ctx, engine, server);
        let mut connections = vec![(
            database_secret_name(ctx),
            "db",
            identity.user.clone(),
            Route::Pooled,
        )];
        if engine == Engine::Postgres {
            // Migrations log in as the migrator: same keys, in a Secret the app does not mount,
            // straight to the server (see `persistence::migrations` for why).
            let migrator = PostgresNames::of(ctx.name(), server).migrator;
            connections.push((
                migrator_secret_name(ctx),
                "db-migrator",
                migrator,
                Route::Direct,
            ));
        }
        for (name, leaf, user, route) in connections {
            let spec = ExternalSecretSpec {
                refresh_interval: refresh.clone(),
                secret_store_ref: store.clone(),
                target: ExternalSecretTarget {
                    name: name.clone(),
                    creation_policy: "Owner",
                    template: Some(SecretTemplate {
                        engine_version: "v2",
                        data: connection_template(engine, server, route, &identity.database, &user),
                    }),
                },
                data: vec![ExternalSecretData {
                    secret_key: "password".to_owned(),
                    remote_ref: RemoteRef {
                        key: ctx.secret_key(leaf),
                        property: Some("password".to_owned()),
                    },
                }],
                data_from: Vec::new(),
            };
            manifests.push(external_secret(ctx, name, spec));
        }
    }
    manifests
}

fn external_secret(ctx: &Context<'_>, name: String, spec: ExternalSecretSpec) -> Manifest {
    Manifest::new(
        Zone::Workload,
        Object::ExternalSecret(CustomResource {
            api_version: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: ctx.tenant_meta(name),
            spec,
        }),
    )
}

/// How a connection reaches the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// Through the pooler when the profile has one: the application's connections.
    Pooled,
    /// Straight to the server: the migrator's, which needs a session of its own.
    Direct,
}

/// Each key of a connection Secret as a template over the one value read from the store, the
/// password.
fn connection_template(
    engine: Engine,
    server: &DatabaseServer,
    route: Route,
    database: &str,
    user: &str,
) -> BTreeMap<String, String> {
    let (host, port) = match (&server.pooler, route) {
        (Some(pooler), Route::Pooled) => (pooler.host.clone(), pooler.port),
        _ => (server.host.clone(), server.port),
    };
    let connection = Connection {
        engine,
        host: &host,
        port,
        database,
        user,
        password: "{{ .password }}",
        url_password: "{{ .password | urlquery }}",
    };
    database_keys(engine)
        .iter()
        .map(|key| (key.name().to_owned(), key.value(&connection)))
        .collect()
}
