//! Platform rules on names and values: Kafka topics, S3 buckets, Postgres identifiers,
//! credentials and the configuration keys pipec owns.

/// Why a Kafka topic name is invalid, if it is.
pub fn topic_problem(topic: &str) -> Option<String> {
    if topic.is_empty() || topic.len() > 249 {
        return Some(format!("a topic name has 1 to 249 characters; this one has {}", topic.len()));
    }
    if topic == "." || topic == ".." {
        return Some("`.` and `..` are not topic names".to_string());
    }
    if let Some(c) = topic.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Some(format!("`{c}` is not allowed in a topic name (only letters, digits, `.`, `_` and `-`)"));
    }
    if topic.contains("--") {
        return Some(
            "`--` in a topic name would be cut off by the SQL runner, which strips `--` comments even inside literals"
                .to_string(),
        );
    }
    None
}

/// Why an S3 bucket name is invalid, if it is.
pub fn bucket_problem(b: &str) -> Option<String> {
    if b.len() < 3 || b.len() > 63 {
        return Some(format!("a bucket name has 3 to 63 characters; this one has {}", b.len()));
    }
    if let Some(c) = b.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-'))) {
        return Some(format!("`{c}` is not allowed in a bucket name (lower-case letters, digits, `.` and `-`)"));
    }
    if !b.starts_with(|c: char| c.is_ascii_alphanumeric()) || !b.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("a bucket name starts and ends with a letter or digit".to_string());
    }
    if b.contains("..") || b.starts_with("xn--") || b.ends_with("-s3alias") || b == "filemeta" {
        return Some("`..`, the `xn--` prefix, the `-s3alias` suffix and `filemeta` are reserved".to_string());
    }
    if b.split('.').count() == 4 && b.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Some("a bucket name may not look like an IP address".to_string());
    }
    None
}

/// PostgreSQL's reserved key words (SQL Key Words appendix, "reserved" in the PostgreSQL column).
const PG_RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// Why a name cannot be an unquoted Postgres identifier (the JDBC connector never quotes).
pub fn pg_name_problem(name: &str) -> Option<String> {
    let ok_chars = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok_chars {
        return Some(format!(
            "`{name}` is not a lower-case Postgres identifier; the JDBC connector writes names unquoted, so Postgres would fold them to lower case"
        ));
    }
    if name.len() > 63 {
        return Some(format!("`{name}` is longer than Postgres' 63-byte identifier limit"));
    }
    if PG_RESERVED.contains(&name) {
        return Some(format!("`{name}` is a reserved word in Postgres and the JDBC connector does not quote it"));
    }
    None
}

/// Why a duration cannot be written for Flink or Kafka, if it cannot: both read milliseconds
/// as a signed 64-bit number.
pub fn duration_problem(d: &crate::spec::Duration) -> Option<String> {
    match d.millis() {
        Some(ms) if i64::try_from(ms).is_ok() => None,
        _ => Some(format!("`{}` is longer than Flink and Kafka can read (at most {} ms)", d.0, i64::MAX)),
    }
}

/// Why a watermark delay cannot be written as a Flink interval literal, if it cannot. Flink
/// reads at most three digits before the first field of an interval literal
/// (`INTERVAL '999 23:59:59.999' DAY(3) TO SECOND(3)`).
pub fn watermark_delay_problem(d: &crate::spec::Duration) -> Option<String> {
    if let Some(why) = duration_problem(d) {
        return Some(why);
    }
    match d.millis() {
        Some(ms) if ms < 1000 * 86_400_000 => None,
        _ => Some(format!("`{}` is 1000 days or more; Flink's interval literals hold at most 999 days", d.0)),
    }
}

/// Why a column name cannot pass through the SQL runner intact, if it cannot.
pub fn column_name_problem(name: &str) -> Option<String> {
    if name.contains("--") || name.contains("/*") || name.contains("*/") {
        return Some(format!("`{name}` holds `--` or `/*`, which the SQL runner strips even inside quoted names"));
    }
    if name.chars().any(|c| c.is_control()) {
        return Some(format!("`{}` holds a control character or line break", name.escape_debug()));
    }
    if name.trim() != name {
        return Some(format!("`{name}` starts or ends with white space"));
    }
    None
}

/// Which ROW field of a type cannot pass through the SQL runner intact, and why, if one cannot:
/// the names of ROW fields, at any depth, follow the rules of column names.
pub fn type_name_problem(ty: &crate::typecheck::DataType) -> Option<(String, String)> {
    use crate::typecheck::TypeKind;
    match &ty.kind {
        TypeKind::Row(fields) => fields.iter().find_map(|f| {
            column_name_problem(&f.name)
                .map(|why| (f.name.clone(), format!("the ROW field {why}")))
                .or_else(|| type_name_problem(&f.ty))
        }),
        TypeKind::Array(t) | TypeKind::Multiset(t) => type_name_problem(t),
        TypeKind::Map(k, v) => type_name_problem(k).or_else(|| type_name_problem(v)),
        _ => None,
    }
}

/// Where `${` stands in a text pipec writes into the SQL script, if it does: a SQL runner that
/// substitutes `${NAME}` from the environment would replace it with a value of the pod's
/// environment, a credential among them.
pub fn placeholder_at(text: &str) -> Option<usize> {
    text.find("${")
}

/// Why a Kubernetes label key is invalid, if it is: an optional DNS subdomain prefix and `/`,
/// then a name of at most 63 characters.
pub fn label_key_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        let ok = !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|part| {
                !part.is_empty()
                    && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            });
        if !ok {
            return Some(format!("`{}` is not a DNS subdomain prefix", p.escape_debug()));
        }
    }
    if name.is_empty() {
        return Some("a label key needs a name".to_string());
    }
    label_value_problem(name)
}

/// Why a Kubernetes label value is invalid, if it is: at most 63 characters of letters,
/// digits, `-`, `_` and `.`, starting and ending with a letter or digit (or empty).
pub fn label_value_problem(value: &str) -> Option<String> {
    if value.len() > 63 {
        return Some(format!("a label has at most 63 characters; this one has {}", value.len()));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        let shown = if c == ' ' { "a space".to_string() } else { format!("`{}`", c.escape_debug()) };
        return Some(format!("{shown} is not allowed in a label (letters, digits, `-`, `_` and `.`)"));
    }
    let edges_ok = value.is_empty()
        || (value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if !edges_ok {
        return Some("a label starts and ends with a letter or digit".to_string());
    }
    None
}

/// Words that mark a configuration key or value as a credential.
const CREDENTIAL_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "credential",
    "access-key",
    "access.key",
    "accesskey",
    "private-key",
    "private.key",
    "privatekey",
    "sasl.jaas.config",
    "secret-key",
    "secret.key",
    "secretkey",
];

/// Whether a configuration key names a credential.
pub fn is_credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    CREDENTIAL_WORDS.iter().any(|w| k.contains(w))
}

/// Whether a value holds an inline credential: a JDBC URL with a password, a URL with
/// user:password@, a JAAS login, a PEM private key, an AWS access key id.
pub fn is_credential_value(v: &str) -> bool {
    credential_in_value(v).is_some()
}

/// Where a value holds an inline credential, as a byte range: the password after `password=`,
/// the `user:password` of a URL, an AWS access key id; a JAAS login or a PEM private key as a
/// whole.
pub fn credential_in_value(v: &str) -> Option<(usize, usize)> {
    // ASCII lower case keeps byte offsets.
    let l = v.to_ascii_lowercase();
    let token_end = |from: usize| {
        v.get(from..)
            .and_then(|rest| rest.find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '"' | '\'' | ',')))
            .map_or(v.len(), |e| from + e)
    };
    if l.contains("loginmodule") || l.contains("private key-----") {
        return Some((0, v.len()));
    }
    if let Some(at) = l.find("password=") {
        let start = at + "password=".len();
        return Some((at, token_end(start).max(start)));
    }
    let b = v.as_bytes();
    for (at, _) in v.match_indices("AKIA").chain(v.match_indices("ASIA")) {
        let key =
            b.get(at + 4..at + 20).is_some_and(|k| k.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        if key && !b.get(at + 20).is_some_and(|c| c.is_ascii_alphanumeric()) {
            return Some((at, at + 20));
        }
    }
    for (at, _) in v.match_indices("://") {
        let start = at + 3;
        let rest = v.get(start..).unwrap_or_default();
        let authority = rest.find(['/', '?', '#']).map_or(rest, |e| rest.get(..e).unwrap_or_default());
        if let Some(userinfo) = authority.rfind('@') {
            if authority.get(..userinfo).is_some_and(|u| u.contains(':')) {
                return Some((start, start + userinfo));
            }
        }
    }
    None
}

/// Whether a `flinkConfiguration` key is one pipec sets itself.
pub fn is_owned_flink_key(key: &str) -> bool {
    const EXACT: &[&str] =
        &["parallelism.default", "pipeline.name", "execution.checkpointing.interval", "taskmanager.numberOfTaskSlots"];
    const PREFIXES: &[&str] = &[
        "state.checkpoints.",
        "state.savepoints.",
        "state.backend",
        "state.checkpoint-storage",
        "execution.checkpointing.dir",
        "execution.checkpointing.savepoint-dir",
        "execution.checkpointing.incremental",
        "execution.checkpointing.storage",
        "high-availability",
        "s3.",
        "fs.s3a.",
        "kubernetes.operator.",
    ];
    EXACT.contains(&key) || PREFIXES.iter().any(|p| key.starts_with(p))
}

#[cfg(test)]
#[allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests {
    use super::*;

    #[test]
    fn names_and_credentials() {
        assert!(topic_problem("alerts.big-orders").is_none());
        assert!(topic_problem("orders--v2").is_some());
        assert!(topic_problem("a b").is_some());
        assert!(bucket_problem("flink-checkpoints").is_none());
        assert!(bucket_problem("Flink_Checkpoints").is_some());
        assert!(bucket_problem("192.168.1.1").is_some());
        assert!(pg_name_problem("orders").is_none());
        assert!(pg_name_problem("Orders").is_some());
        assert!(pg_name_problem("user").is_some());
        assert!(is_credential_key("properties.sasl.jaas.config"));
        assert!(is_credential_key("s3.secret-key"));
        assert!(!is_credential_key("table.exec.state.ttl"));
        assert!(is_credential_value("jdbc:postgresql://h:5432/db?user=a&password=b"));
        assert!(is_credential_value("https://bob:hunter2@registry:8081"));
        assert!(!is_credential_value("http://seaweedfs.storage.svc:8333"));
        assert!(is_credential_value("jdbc:postgresql://u:p@h/db"));
        assert!(is_credential_value("key=AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_credential_value("AKIAIOSFODNN7EXAMPLE0"));
        assert_eq!(credential_in_value("jdbc:postgresql://u:p@h/db"), Some((18, 21)));
        assert_eq!(credential_in_value("jdbc:postgresql://h/db?user=u&password=p&ssl=true"), Some((30, 40)));
        assert_eq!(credential_in_value("-Dkey=AKIAIOSFODNN7EXAMPLE"), Some((6, 26)));
        assert!(is_credential_value(
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";"
        ));
        assert!(label_value_problem("team-web").is_none());
        assert!(label_value_problem("a b").is_some());
        assert!(label_value_problem("-x").is_some());
        assert!(label_key_problem("app.kubernetes.io/part-of").is_none());
        assert!(label_key_problem("Bad_Prefix/x").is_some());
        assert!(label_key_problem("x\ny").is_some());
        assert_eq!(placeholder_at("SELECT '${X}'"), Some(8));
        assert!(is_owned_flink_key("state.backend.type"));
        assert!(!is_owned_flink_key("table.exec.state.ttl"));
    }
}
