//! Kubernetes objects: ConfigMaps, the FlinkDeployment, KafkaTopics, SeaweedFS buckets,
//! kustomizations. Core kinds are k8s-openapi types; custom resources are plain values.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, EnvVar as KEnvVar, EnvVarSource, KeyToPath, PodSpec,
    SecretKeySelector, SecretVolumeSource, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Value, json};

use crate::spec::ConfigValue;

use crate::plan::{EnvValue, EnvVar, HASH_ANNOTATION, PipelinePlan, PlatformPlan, TopicPlan};

fn to_value<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

fn meta(name: &str, namespace: Option<&str>, labels: &BTreeMap<String, String>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: namespace.map(str::to_string),
        labels: (!labels.is_empty()).then(|| labels.clone()),
        ..ObjectMeta::default()
    }
}

/// The ConfigMaps the plan mounts: each holds one of the rendered files under its own name.
pub fn config_maps(p: &PipelinePlan, files: &BTreeMap<String, Vec<u8>>) -> Vec<Value> {
    p.deployment
        .volumes
        .iter()
        .filter_map(|v| {
            let name = v.config_map.as_ref()?;
            let data = files.get(&v.key)?;
            let cm = ConfigMap {
                metadata: meta(name, Some(&p.namespace), &p.labels),
                data: Some(BTreeMap::from([(v.key.clone(), String::from_utf8_lossy(data).into_owned())])),
                ..ConfigMap::default()
            };
            Some(to_value(&cm))
        })
        .collect()
}

fn env_vars(env: &[EnvVar]) -> Vec<KEnvVar> {
    env.iter()
        .map(|e| match &e.value {
            EnvValue::Literal(v) => KEnvVar { name: e.name.clone(), value: Some(v.clone()), value_from: None },
            EnvValue::Secret { secret, key } => KEnvVar {
                name: e.name.clone(),
                value: None,
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector { name: secret.clone(), key: key.clone(), optional: None }),
                    ..EnvVarSource::default()
                }),
            },
        })
        .collect()
}

fn volume(v: &crate::plan::VolumePlan) -> Volume {
    let items = Some(vec![KeyToPath { key: v.key.clone(), path: v.key.clone(), mode: None }]);
    Volume {
        name: v.name.clone(),
        config_map: v.config_map.as_ref().map(|c| ConfigMapVolumeSource {
            name: c.clone(),
            items: items.clone(),
            ..ConfigMapVolumeSource::default()
        }),
        secret: v.secret.as_ref().map(|s| SecretVolumeSource {
            secret_name: Some(s.clone()),
            items: items.clone(),
            ..SecretVolumeSource::default()
        }),
        ..Volume::default()
    }
}

fn mount(v: &crate::plan::VolumePlan) -> VolumeMount {
    VolumeMount {
        name: v.name.clone(),
        mount_path: v.mount_path.clone(),
        read_only: Some(true),
        ..VolumeMount::default()
    }
}

fn config_value(v: &ConfigValue) -> Value {
    match v {
        ConfigValue::Bool(b) => json!(b),
        ConfigValue::Int(i) => json!(i),
        ConfigValue::Float(f) => json!(f),
        ConfigValue::String(s) => json!(s),
    }
}

/// The FlinkDeployment (flink.apache.org/v1beta1), application mode.
pub fn flink_deployment(p: &PipelinePlan, content_hash: &str) -> Value {
    let d = &p.deployment;
    let main = Container {
        name: "flink-main-container".to_string(),
        env: Some(env_vars(&d.env)),
        volume_mounts: Some(d.volumes.iter().filter(|v| v.main).map(mount).collect()),
        ..Container::default()
    };
    let pod =
        PodSpec { containers: vec![main], volumes: Some(d.volumes.iter().map(volume).collect()), ..PodSpec::default() };
    let mut annotations = BTreeMap::new();
    annotations.insert(HASH_ANNOTATION.to_string(), content_hash.to_string());
    let pod_template = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"annotations": annotations, "labels": p.labels},
        "spec": to_value(&pod),
    });
    let mut job_manager = json!({
        "replicas": 1,
        "resource": {"cpu": d.job_manager.0, "memory": d.job_manager.1},
    });
    if !d.init_containers.is_empty() {
        let init: Vec<Container> = d
            .init_containers
            .iter()
            .map(|c| Container {
                name: c.name.clone(),
                image: Some(c.image.clone()),
                command: (!c.command.is_empty()).then(|| c.command.clone()),
                args: (!c.args.is_empty()).then(|| c.args.clone()),
                env: Some(env_vars(&c.env)),
                volume_mounts: Some(d.volumes.iter().filter(|v| c.volumes.contains(&v.name)).map(mount).collect()),
                ..Container::default()
            })
            .collect();
        let jm_pod = PodSpec { containers: vec![], init_containers: Some(init), ..PodSpec::default() };
        let mut spec = to_value(&jm_pod);
        if let Some(o) = spec.as_object_mut() {
            // The containers come from the top-level template; the list is merged by position.
            o.remove("containers");
        }
        if let Some(o) = job_manager.as_object_mut() {
            o.insert("podTemplate".to_string(), json!({"apiVersion": "v1", "kind": "Pod", "spec": spec}));
        }
    }
    let conf: serde_json::Map<String, Value> =
        d.flink_configuration.iter().map(|(k, v)| (k.clone(), config_value(v))).collect();
    json!({
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": to_value(&meta(&p.name, Some(&p.namespace), &p.labels)),
        "spec": {
            "image": d.image,
            "flinkVersion": d.flink_version,
            "serviceAccount": d.service_account,
            "mode": "native",
            "flinkConfiguration": conf,
            "podTemplate": pod_template,
            "jobManager": job_manager,
            "taskManager": {"resource": {"cpu": d.task_manager.0, "memory": d.task_manager.1}},
            "job": {
                "jarURI": d.jar_uri,
                "args": d.args,
                "parallelism": d.parallelism,
                "upgradeMode": d.upgrade_mode,
                "state": "running",
            },
        },
    })
}

/// A Strimzi KafkaTopic.
pub fn kafka_topic(p: &PipelinePlan, t: &TopicPlan) -> Value {
    let mut labels = p.labels.clone();
    labels.insert("strimzi.io/cluster".to_string(), t.strimzi_cluster.clone());
    let mut spec = json!({"topicName": t.topic, "partitions": t.partitions, "replicas": t.replicas});
    if let (false, Some(o)) = (t.config.is_empty(), spec.as_object_mut()) {
        o.insert("config".to_string(), to_value(&t.config));
    }
    json!({
        "apiVersion": t.api_version,
        "kind": "KafkaTopic",
        "metadata": to_value(&meta(&t.object_name, Some(&t.namespace), &labels)),
        "spec": spec,
    })
}

/// A kustomization listing the folder's objects; it sets no namespace (each object has its own).
pub fn kustomization(resources: &[String]) -> Value {
    json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": resources,
    })
}

/// SeaweedFS Bucket objects with access for Flink, and lifecycle policies that only abort
/// incomplete multipart uploads: state and table files are never expired by age.
pub fn seaweed_objects(platform: &PlatformPlan) -> Vec<Value> {
    let mut out = Vec::new();
    for b in &platform.buckets {
        let (Some(cluster), Some(ns)) = (&b.cluster, &b.namespace) else { continue };
        let labels = BTreeMap::from([("app.kubernetes.io/managed-by".to_string(), "pipec".to_string())]);
        let mut spec = json!({
            "name": b.name,
            "clusterRef": {"name": cluster, "namespace": ns},
            "reclaimPolicy": "Retain",
        });
        if let (Some(identity), Some(o)) = (&b.identity, spec.as_object_mut()) {
            o.insert("access".to_string(), json!([{"user": identity, "actions": ["Read", "Write", "List"]}]));
        }
        out.push(json!({
            "apiVersion": platform.seaweed_api_version,
            "kind": "Bucket",
            "metadata": to_value(&meta(&b.name, Some(ns), &labels)),
            "spec": spec,
        }));
        out.push(json!({
            "apiVersion": platform.seaweed_api_version,
            "kind": "BucketLifecyclePolicy",
            "metadata": to_value(&meta(&format!("{}-lifecycle", b.name), Some(ns), &labels)),
            "spec": {
                "bucketRef": {"name": b.name},
                "reclaimPolicy": "Retain",
                "rules": [{
                    "id": "abort-incomplete-multipart-uploads",
                    "status": "Enabled",
                    "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
                }],
            },
        }));
    }
    out
}
