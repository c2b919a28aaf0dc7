//! PgBouncer in front of a PostgreSQL server: each tenant's `[databases]` entry (its database,
//! transaction pooling, the tier's `pool_size` and `max_db_connections`) recorded in its
//! platform folder, and the set-level files the platform's PgBouncer mounts, gathered from
//! every tenant the tree holds: the `[databases]` file and the `auth_file` its ExternalSecret
//! templates from the store.
//!
//! Authentication needs no password in Git and nothing of the server: PgBouncer's `auth_file`
//! is templated in the cluster from the passwords the tenants' generators pushed to the store.
//! (An `auth_query` lookup function would have to read `pg_authid`, which only a superuser
//! may, and a managed server's admin is not one.)

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::Tenant;
use super::names::PostgresNames;
use crate::document::{self, Path, Value};
use crate::manifest::{
    FileKind, Manifest, Object, RenderedFile, Zone, is_generated, join, platform_dir,
};
use crate::profile::Profile;
use crate::render::context::Context;
use crate::render::custom::{
    CustomResource, ExternalSecretData, ExternalSecretSpec, ExternalSecretTarget, RemoteRef,
    SecretStoreRef, SecretTemplate,
};
use crate::yaml::{EmitError, write_yaml};

/// The key of a tenant's entry ConfigMap holding its `[databases]` line.
const ENTRY_KEY: &str = "databases.ini";
/// The key holding the login the pooler authenticates.
const USER_KEY: &str = "user";
/// The key holding the store key of that login's password (property `password`).
const PASSWORD_KEY: &str = "passwordKey";
/// The name of the set-level ConfigMap and of its one file.
pub const DATABASES_NAME: &str = "pgbouncer-databases";
/// The name of the set-level ExternalSecret and of the Secret holding `userlist.txt`.
pub const USERLIST_NAME: &str = "pgbouncer-userlist";

/// The files of the pooler's folder, in the order its kustomization lists them, then the
/// kustomization.
pub const FILE_NAMES: [&str; 3] = [
    "configmap-pgbouncer-databases.yaml",
    "externalsecret-pgbouncer-userlist.yaml",
    "kustomization.yaml",
];

/// One tenant's place on the pooler.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PoolerEntry {
    /// The contract's name.
    pub tenant: String,
    /// Its `[databases]` line: `db_x = host=… dbname=db_x pool_mode=transaction …`.
    pub line: String,
    /// The application role PgBouncer authenticates.
    pub user: String,
    /// The store key of that role's password.
    pub password_key: String,
}

/// The name of tenant `name`'s entry ConfigMap.
pub fn entry_name(name: &str) -> String {
    format!("{name}-pgbouncer")
}

/// The tenant's entry, when its server has a pooler.
pub fn entry(ctx: &Context<'_>, tenant: &Tenant<'_>) -> Option<PoolerEntry> {
    tenant.server.pooler.as_ref()?;
    let names = PostgresNames::of(tenant.name, tenant.server);
    let pool = tenant.tier.pool();
    let line = format!(
        "{db} = host={host} port={port} dbname={db} pool_mode=transaction pool_size={size} max_db_connections={max}",
        db = names.database,
        host = tenant.server.host,
        port = tenant.server.port,
        size = pool.size,
        max = pool.max_db_connections,
    );
    Some(PoolerEntry {
        tenant: tenant.name.to_owned(),
        line,
        user: names.app,
        password_key: ctx.secret_key("db"),
    })
}

/// The tenant's entry as a ConfigMap in the platform namespace: what the set-level files are
/// gathered from, so a render of one tenant keeps every other tenant's entry.
pub fn render(ctx: &Context<'_>, tenant: &Tenant<'_>) -> Option<Manifest> {
    let entry = entry(ctx, tenant)?;
    let namespace = ctx.profile.spec.gitops.platform_namespace.as_str();
    let data = BTreeMap::from([
        (ENTRY_KEY.to_owned(), entry.line),
        (USER_KEY.to_owned(), entry.user),
        (PASSWORD_KEY.to_owned(), entry.password_key),
    ]);
    Some(Manifest::new(
        Zone::Platform,
        Object::ConfigMap(ConfigMap {
            metadata: ctx.meta(entry_name(tenant.name), Some(namespace)),
            data: Some(data),
            ..ConfigMap::default()
        }),
    ))
}

/// The file name of tenant `name`'s entry, in its platform folder.
pub fn entry_file_name(name: &str) -> String {
    format!("configmap-{}.yaml", entry_name(name))
}

/// The path of tenant `name`'s entry file under the profile's path `prefix`.
pub fn entry_path(prefix: &str, name: &str) -> String {
    format!("{}/{}", platform_dir(prefix, name), entry_file_name(name))
}

/// Reads a tenant's entry back from its file's bytes; `None` when it is not one zave wrote
/// (no zave header, not the entry's shape, or text that could be more than one line or
/// setting of PgBouncer's files).
pub fn read_entry(tenant: &str, bytes: &[u8]) -> Option<PoolerEntry> {
    if !is_generated(bytes) {
        return None;
    }
    let document = document::load(bytes).ok()?;
    let text = |key: &str| match document
        .at(&Path::root().key("data").key(key))
        .map(|node| &node.value)
    {
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
    };
    let entry = PoolerEntry {
        tenant: tenant.to_owned(),
        line: text(ENTRY_KEY)?,
        user: text(USER_KEY)?,
        password_key: text(PASSWORD_KEY)?,
    };
    let plain = |text: &str, extra: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c) || extra.contains(c))
    };
    let safe =
        plain(&entry.line, " =:") && plain(&entry.user, "") && plain(&entry.password_key, "/");
    safe.then_some(entry)
}

/// The folder of the set-level files, under the profile's path `prefix`.
pub fn pooler_dir(prefix: &str) -> String {
    join(prefix, "platform/pooler")
}

/// The set-level files for `entries` (any order; one per tenant): the `[databases]`
/// ConfigMap, the ExternalSecret of the `auth_file`, and their kustomization. Nothing when
/// no tenant is on a pooler.
pub fn set_files(
    entries: &[PoolerEntry],
    profile: &Profile,
) -> Result<Vec<RenderedFile>, EmitError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut entries = entries.to_vec();
    entries.sort();
    entries.dedup_by(|a, b| a.tenant == b.tenant);
    let spec = &profile.spec;
    let namespace = spec.gitops.platform_namespace.clone();
    let meta = |name: &str| ObjectMeta {
        name: Some(name.to_owned()),
        namespace: Some(namespace.clone()),
        labels: Some(BTreeMap::from([
            ("app.kubernetes.io/managed-by".to_owned(), "zave".to_owned()),
            (
                "app.kubernetes.io/part-of".to_owned(),
                "pgbouncer".to_owned(),
            ),
        ])),
        annotations: Some(BTreeMap::from([
            (
                "zave.io/generator-version".to_owned(),
                crate::VERSION.to_owned(),
            ),
            ("zave.io/profile".to_owned(), profile.name().to_owned()),
        ])),
        ..ObjectMeta::default()
    };
    let mut databases = String::from(
        "; One entry per tenant: its database, transaction pooling, the tier's pool_size\n\
         ; (server connections per role) and max_db_connections (per database).\n[databases]\n",
    );
    let mut userlist = String::new();
    let mut data = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        databases.push_str(&format!("; tenant {}\n{}\n", entry.tenant, entry.line));
        let key = format!("password{index}");
        userlist.push_str(&format!("\"{}\" \"{{{{ .{key} }}}}\"\n", entry.user));
        data.push(ExternalSecretData {
            secret_key: key,
            remote_ref: RemoteRef {
                key: entry.password_key.clone(),
                property: Some("password".to_owned()),
            },
        });
    }
    let config_map = ConfigMap {
        metadata: meta(DATABASES_NAME),
        data: Some(BTreeMap::from([(
            format!("{DATABASES_NAME}.ini"),
            databases,
        )])),
        ..ConfigMap::default()
    };
    let userlist = CustomResource {
        api_version: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: meta(USERLIST_NAME),
        spec: ExternalSecretSpec {
            refresh_interval: spec.secrets.refresh_interval.clone(),
            secret_store_ref: SecretStoreRef {
                kind: "ClusterSecretStore",
                name: spec.secrets.store.clone(),
            },
            target: ExternalSecretTarget {
                name: USERLIST_NAME.to_owned(),
                creation_policy: "Owner",
                template: Some(SecretTemplate {
                    engine_version: "v2",
                    data: BTreeMap::from([("userlist.txt".to_owned(), userlist)]),
                }),
            },
            data,
            data_from: Vec::new(),
        },
    };
    let dir = pooler_dir(&spec.gitops.path_prefix);
    let header = crate::manifest::header(&format!("pooler of {} tenants", entries.len()));
    let mut files = Vec::new();
    let mut names = Vec::new();
    let [databases_file, userlist_file, _] = FILE_NAMES;
    for (file_name, object) in [
        (databases_file, Object::ConfigMap(config_map)),
        (userlist_file, Object::ExternalSecret(userlist)),
    ] {
        let mut content = header.clone();
        write_yaml(&object, &mut content)?;
        files.push(RenderedFile {
            path: format!("{dir}/{file_name}"),
            kind: FileKind::Object,
            content,
        });
        names.push(file_name.to_owned());
    }
    files.push(crate::manifest::kustomization(&dir, &names, &header)?);
    Ok(files)
}

/// The set-level files of a tree, gathered from the entry file of each tenant in `files`
/// (path and bytes, under the profile's path prefix).
pub fn gather<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    profile: &Profile,
) -> Result<Vec<RenderedFile>, EmitError> {
    let prefix = &profile.spec.gitops.path_prefix;
    let tenants = platform_dir(prefix, "");
    let entries: Vec<PoolerEntry> = files
        .into_iter()
        .filter_map(|(path, bytes)| {
            let name = path.strip_prefix(&tenants)?.split('/').next()?;
            (path == entry_path(prefix, name)).then(|| read_entry(name, bytes))?
        })
        .collect();
    set_files(&entries, profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_file(line: &str, user: &str) -> String {
        format!(
            "# Generated by zave 0.1.0 (contract \"shop\", profile \"aws\"). Do not edit: change the contract and render again.\n\
             apiVersion: v1\nkind: ConfigMap\ndata:\n  databases.ini: {line}\n  passwordKey: tenants/shop/db\n  user: {user}\n"
        )
    }

    #[test]
    fn an_entry_reads_back_only_as_one_plain_line_of_zaves() {
        let line = "db_shop = host=pg.example port=5432 dbname=db_shop pool_mode=transaction pool_size=8 max_db_connections=10";
        let read = read_entry("shop", entry_file(line, "shop_app").as_bytes());
        assert_eq!(
            read.map(|e| (e.line, e.user)),
            Some((line.to_owned(), "shop_app".to_owned()))
        );
        // Another line or setting smuggled in, a quote in the login, or no header: nothing.
        for (line, user) in [
            (
                "\"db_shop = host=x\\n[pgbouncer]\\nadmin_users = shop_app\"",
                "shop_app",
            ),
            ("db_shop = host=x ; auth_user=postgres", "shop_app"),
            ("db_shop = host=x", "\"shop_app\" \"x\""),
        ] {
            assert_eq!(
                read_entry("shop", entry_file(line, user).as_bytes()),
                None,
                "{line}"
            );
        }
        let headless = entry_file(line, "shop_app")
            .split_once('\n')
            .map(|(_, rest)| rest.to_owned());
        assert_eq!(
            read_entry("shop", headless.unwrap_or_default().as_bytes()),
            None
        );
    }

    #[test]
    fn the_set_lists_each_tenant_once_in_name_order() {
        let profile = Profile::builtin("aws").expect("built-in");
        let entry = |tenant: &str| PoolerEntry {
            tenant: tenant.to_owned(),
            line: format!("db_{tenant} = host=h port=5432 dbname=db_{tenant}"),
            user: format!("{tenant}_app"),
            password_key: format!("tenants/{tenant}/db"),
        };
        let files = set_files(&[entry("b"), entry("a"), entry("b")], profile).expect("emits");
        let databases = &files[0].content;
        assert!(
            databases.find("; tenant a").unwrap_or(usize::MAX)
                < databases.find("; tenant b").unwrap_or(0)
        );
        assert_eq!(databases.matches("; tenant ").count(), 2);
        assert!(files[1].content.contains("\"a_app\" \"{{ .password0 }}\""));
        assert!(files[1].content.contains("key: tenants/b/db"));
        assert!(set_files(&[], profile).expect("emits").is_empty());
    }
}
