//! The Redis provisioning script: one ACL user limited to its own keys and channels.

use super::names::shell_word;
use super::{ProvisionScript, Tenant};

/// What the tenant's user may not run besides `@admin` and `@dangerous`: commands that reveal
/// other tenants' key or channel names (`SCAN`, `RANDOMKEY`, `DBSIZE`, `PUBSUB`), leave
/// database 0 (`SELECT`), or touch state all tenants share (functions, the script cache).
pub const DENIED_COMMANDS: &[&str] = &[
    "-select",
    "-scan",
    "-randomkey",
    "-dbsize",
    "-pubsub",
    "-function",
    "-script|flush",
    "-script|kill",
];

/// The ACL rules of the tenant's user, after `reset on` and its password.
pub fn acl_rules(name: &str) -> Vec<String> {
    let mut rules = vec![
        format!("~{name}:*"),
        format!("&{name}:*"),
        "+@all".to_owned(),
        "-@admin".to_owned(),
        "-@dangerous".to_owned(),
    ];
    rules.extend(DENIED_COMMANDS.iter().map(|c| (*c).to_owned()));
    rules
}

/// `run.sh`: one `ACL SETUSER` that resets the user and sets every rule, so a run converges
/// whatever the user had. The server gets only the password's SHA-256 (`#…`).
pub fn script(tenant: &Tenant<'_>) -> ProvisionScript {
    let rules: Vec<String> = acl_rules(tenant.name)
        .iter()
        .map(|rule| shell_word(rule))
        .collect();
    let runner = format!(
        "{preamble}hash=$(printf %s \"$ZAVE_APP_PASSWORD\" | sha256sum | cut -c1-64)
export REDISCLI_AUTH=\"$ZAVE_ADMIN_PASSWORD\"
reply=$(redis-cli --no-auth-warning -h {host} -p {port} --user \"$ZAVE_ADMIN_USER\" \\
  ACL SETUSER {user} reset on \"#$hash\" \\
  {rules})
if [ \"$reply\" != OK ]; then
  echo \"zave-provision: ACL SETUSER failed: $reply\" >&2
  exit 1
fi
# Keep the user across restarts when the server has an ACL file.
if [ -n \"$(redis-cli --no-auth-warning -h {host} -p {port} --user \"$ZAVE_ADMIN_USER\" CONFIG GET aclfile | sed -n 2p)\" ]; then
  redis-cli --no-auth-warning -h {host} -p {port} --user \"$ZAVE_ADMIN_USER\" ACL SAVE
fi
echo \"zave-provision: ACL user {name} is in place\"
",
        preamble = super::runner_preamble(&["ZAVE_APP_PASSWORD"]),
        host = shell_word(&tenant.server.host),
        port = tenant.server.port,
        user = shell_word(tenant.name),
        name = tenant.name,
        rules = rules.join(" "),
    );
    ProvisionScript::new(vec![("run.sh", runner)])
}
