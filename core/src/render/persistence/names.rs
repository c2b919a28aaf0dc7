//! Database identifiers derived from a contract's name, and the names that cannot map safely.

use crate::contract::model::Engine;
use crate::profile::model::{DatabaseServer, Isolation};

/// The longest MySQL user name (MySQL 5.7 and later; MariaDB allows 80). zave keeps to the
/// stricter limit so a contract moves between servers unchanged.
pub const MYSQL_USER_MAX: usize = 32;

/// The identifier-safe form of a contract name: `listings-ingest` → `listings_ingest`.
/// A valid name holds only `a-z`, `0-9` and `-`, so the result holds only `a-z`, `0-9`, `_`.
pub fn identifier(name: &str) -> String {
    name.replace('-', "_")
}

/// Why a contract name cannot become a safe identifier for `engine`, or `None` when it can.
///
/// Every name that passes the contract grammar maps to an identifier of `[a-z0-9_]` that
/// starts with a letter; two engine limits remain: PostgreSQL reserves role and schema names
/// starting with `pg_`, and MySQL user names are at most 32 characters.
pub fn unmappable(name: &str, engine: Engine) -> Option<String> {
    let id = identifier(name);
    match engine {
        Engine::Postgres if id.starts_with("pg_") => Some(format!(
            "the name maps to the PostgreSQL role \"{id}_app\", and PostgreSQL reserves names starting with \"pg_\""
        )),
        Engine::Mysql if MysqlNames::of(name).user.len() > MYSQL_USER_MAX => Some(format!(
            "the name maps to the MySQL user \"{id}_app\", longer than the {MYSQL_USER_MAX} characters MySQL allows"
        )),
        _ => None,
    }
}

/// The objects a tenant owns on a PostgreSQL server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresNames {
    /// The database the tenant connects to (its own, or the shared one).
    pub database: String,
    /// The schema holding the tenant's objects.
    pub schema: String,
    /// The NOLOGIN role owning the schema and its objects.
    pub owner: String,
    /// The login role of the application: data rights only.
    pub app: String,
    /// The login role of migrations: may change the schema.
    pub migrator: String,
}

impl PostgresNames {
    /// Names for tenant `name` on `server`: database `db_<id>` with schema `app`, or schema
    /// `tenant_<id>` in the shared database.
    pub fn of(name: &str, server: &DatabaseServer) -> PostgresNames {
        let own = PostgresNames::own(name);
        match (server.isolation, &server.shared_database) {
            (Isolation::SchemaPerTenant, Some(shared)) => PostgresNames {
                database: shared.clone(),
                schema: format!("tenant_{}", identifier(name)),
                ..own
            },
            _ => own,
        }
    }

    /// Names for tenant `name` with a database of its own (database-per-tenant, or a laptop).
    pub fn own(name: &str) -> PostgresNames {
        let id = identifier(name);
        PostgresNames {
            database: format!("db_{id}"),
            schema: "app".to_owned(),
            owner: format!("{id}_owner"),
            app: format!("{id}_app"),
            migrator: format!("{id}_migrator"),
        }
    }
}

/// The objects a tenant owns on a MySQL or MariaDB server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MysqlNames {
    /// The tenant's database.
    pub database: String,
    /// The tenant's user (at host `%`).
    pub user: String,
}

impl MysqlNames {
    /// Names for tenant `name`: database `db_<id>`, user `<id>_app`.
    pub fn of(name: &str) -> MysqlNames {
        let id = identifier(name);
        MysqlNames {
            database: format!("db_{id}"),
            user: format!("{id}_app"),
        }
    }
}

/// `"name"`: a PostgreSQL identifier, double quotes doubled.
pub fn pg_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'`: a SQL string literal, single quotes doubled (PostgreSQL standard strings).
pub fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `` `name` ``: a MySQL identifier, backquotes doubled.
pub fn mysql_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A MySQL database name as a GRANT pattern: `_` and `%` are wildcards there, so both are
/// escaped (`db_a` would otherwise also match `db0a`, another tenant's database).
pub fn mysql_grant_database(name: &str) -> String {
    mysql_ident(
        &name
            .replace('\\', "\\\\")
            .replace('_', "\\_")
            .replace('%', "\\%"),
    )
}

/// `'text'`: a MySQL string literal, backslashes and single quotes escaped.
pub fn mysql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// A POSIX shell word in single quotes.
pub fn shell_word(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every name the contract grammar accepts maps to identifiers of `[a-z0-9_]`, starting
        /// with a letter, within PostgreSQL's 63-byte limit; only the two engine limits refuse.
        #[test]
        fn every_valid_name_maps_to_a_plain_identifier(name in "[a-z]([a-z0-9-]{0,38}[a-z0-9])?") {
            let plain = regex_lite::Regex::new("^[a-z][a-z0-9_]*$").expect("regex");
            let id = identifier(&name);
            for derived in [format!("db_{id}"), format!("tenant_{id}"), format!("{id}_owner"),
                            format!("{id}_app"), format!("{id}_migrator")] {
                prop_assert!(plain.is_match(&derived), "{derived}");
                prop_assert!(derived.len() <= 63, "{derived}");
                prop_assert_eq!(pg_ident(&derived), format!("\"{derived}\""));
                prop_assert_eq!(mysql_ident(&derived), format!("`{derived}`"));
            }
            prop_assert_eq!(unmappable(&name, Engine::Postgres).is_some(), name.starts_with("pg-"));
            prop_assert_eq!(unmappable(&name, Engine::Mysql).is_some(), name.len() + 4 > MYSQL_USER_MAX);
            prop_assert!(unmappable(&name, Engine::Redis).is_none());
        }

        /// Distinct names never share an identifier: `-` is the only character mapped, to `_`,
        /// which a name cannot hold.
        #[test]
        fn distinct_names_give_distinct_identifiers(a in "[a-z][a-z0-9-]{0,8}", b in "[a-z][a-z0-9-]{0,8}") {
            prop_assert_eq!(a == b, identifier(&a) == identifier(&b));
        }
    }

    #[test]
    fn quoting_doubles_the_quote_character() {
        assert_eq!(pg_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(sql_literal("it's"), "'it''s'");
        assert_eq!(mysql_ident("a`b"), "`a``b`");
        assert_eq!(mysql_literal("a\\'b"), "'a\\\\''b'");
        assert_eq!(shell_word("a'b"), "'a'\\''b'");
    }

    #[test]
    fn grant_patterns_escape_mysql_wildcards() {
        assert_eq!(mysql_grant_database("db_shop_a"), "`db\\_shop\\_a`");
    }
}
