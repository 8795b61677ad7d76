//! Pieces shared by both kinds: metadata, names, durations, secret references.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The only apiVersion this release reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApiVersion {
    #[serde(rename = "pipec/v1alpha1")]
    V1alpha1,
}

/// Who a document is and who owns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// The name: a DNS-1123 label (lower-case letters, digits, `-`) of at most 45 characters,
    /// starting with a letter. A pipeline's name becomes its FlinkDeployment's name.
    #[schemars(regex(pattern = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"), length(min = 1, max = 45))]
    pub name: String,
    /// The team or person that owns it; written into labels and the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"), length(max = 63))]
    pub owner: Option<String>,
    /// What it is for, in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Extra labels for every Kubernetes object made from it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A duration: a whole number and one of `ms`, `s`, `m`, `h`, `d` (`500ms`, `5s`, `10m`, `1h`, `7d`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Duration(#[schemars(regex(pattern = r"^[0-9]+(ms|s|m|h|d)$"))] pub String);

impl Duration {
    /// The duration in milliseconds; `None` when it does not match the pattern or overflows.
    pub fn millis(&self) -> Option<u64> {
        let s = self.0.as_str();
        let digits = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at(digits);
        let n: u64 = n.parse().ok()?;
        let factor = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return None,
        };
        n.checked_mul(factor)
    }

    /// The duration as a Flink SQL interval literal's parts: (value, unit).
    pub fn as_interval(&self) -> Option<(String, &'static str)> {
        let ms = self.millis()?;
        Some(if ms % 86_400_000 == 0 {
            ((ms / 86_400_000).to_string(), "DAY")
        } else if ms % 3_600_000 == 0 {
            ((ms / 3_600_000).to_string(), "HOUR")
        } else if ms % 60_000 == 0 {
            ((ms / 60_000).to_string(), "MINUTE")
        } else if ms % 1000 == 0 {
            ((ms / 1000).to_string(), "SECOND")
        } else {
            (format!("{}.{:03}", ms / 1000, ms % 1000), "SECOND")
        })
    }
}

/// A reference to a Kubernetes Secret in the pipeline's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretRef {
    /// The Secret's name.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"), length(max = 253))]
    pub secret: String,
}
