//! Names pipec derives: environment variables, hosts, URLs, slots, object names.

use crate::spec::PostgresCluster;

/// The environment variable that carries `key` of `secret`: both upper-cased, every other
/// character an underscore (`fabric-postgres-app`, `password` -> `FABRIC_POSTGRES_APP_PASSWORD`).
pub fn env_name(secret: &str, key: &str) -> String {
    format!("{secret}_{key}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
        .collect()
}

/// The bucket of an `s3://bucket/prefix` URI.
pub fn bucket_of(uri: &str) -> Option<&str> {
    let rest = uri.strip_prefix("s3://")?;
    let bucket = rest.split('/').next()?;
    (!bucket.is_empty()).then_some(bucket)
}

/// The warehouse URI with exactly one trailing slash.
pub fn dir_uri(uri: &str) -> String {
    format!("{}/", uri.trim_end_matches('/'))
}

/// The primary's service host of a CloudNativePG cluster.
pub fn pg_host(c: &PostgresCluster) -> String {
    format!("{}-rw.{}.svc", c.name, c.namespace)
}

/// The JDBC URL of a database of a CloudNativePG cluster (CNPG's secrets describe only the
/// initial database, so pipec builds the URL itself).
pub fn jdbc_url(c: &PostgresCluster, database: &str) -> String {
    format!("jdbc:postgresql://{}:5432/{database}", pg_host(c))
}

/// The Secret with the sink role's credentials: the configured one or CNPG's `<name>-app`.
pub fn pg_secret(c: &PostgresCluster) -> String {
    c.credentials.as_ref().map_or_else(|| format!("{}-app", c.name), |s| s.secret.clone())
}

/// A Postgres identifier for a replication slot or publication: lower-case letters, digits and
/// underscores, at most 63 bytes; a hash suffix keeps truncated names distinct.
pub fn pg_object_name(prefix: &str, pipeline: &str, source: &str) -> String {
    let raw = format!("{prefix}_{pipeline}_{source}");
    let clean: String =
        raw.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if clean.len() <= 63 {
        return clean;
    }
    let hash = crate::write::sha256_hex(raw.as_bytes());
    // `clean` is ASCII (every other character became `_`) and longer than 63 bytes, and the
    // hash is 64 hex digits: both prefixes exist and fall on character boundaries.
    format!("{}_{}", clean.get(..54).unwrap_or(&clean), hash.get(..8).unwrap_or(&hash))
}

/// A Kubernetes object name for a Kafka topic: the topic itself when it is a valid DNS-1123
/// subdomain, else a cleaned form with a hash suffix (the topic name goes in `spec.topicName`).
pub fn topic_object_name(topic: &str) -> String {
    let valid = topic.len() <= 253
        && topic.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && topic.starts_with(|c: char| c.is_ascii_alphanumeric())
        && topic.ends_with(|c: char| c.is_ascii_alphanumeric())
        && !topic.contains("..");
    if valid {
        return topic.to_string();
    }
    let mut clean: String =
        topic.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    clean = clean.trim_matches('-').to_string();
    clean.truncate(200);
    let hash = crate::write::sha256_hex(topic.as_bytes());
    format!("{}-{}", clean.trim_end_matches('-'), hash.get(..8).unwrap_or(&hash)).trim_start_matches('-').to_string()
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
    fn derived_names() {
        assert_eq!(env_name("fabric-postgres-app", "password"), "FABRIC_POSTGRES_APP_PASSWORD");
        assert_eq!(bucket_of("s3://iceberg-warehouse/"), Some("iceberg-warehouse"));
        assert_eq!(pg_object_name("pipec", "orders-to-lake", "customers"), "pipec_orders_to_lake_customers");
        assert_eq!(topic_object_name("alerts.big-orders"), "alerts.big-orders");
        assert!(topic_object_name("shop.public.Order_Items").starts_with("shop-public-order-items-"));
    }
}
