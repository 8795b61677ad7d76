//! `pipec graph`: the lineage of sources, transforms and sinks across pipelines, joined by the
//! topics and tables they share, as Mermaid or Graphviz dot.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::check::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

/// A node: an id safe in both formats and a label.
fn node_id(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The lineage graph of a checked model.
pub fn render(model: &Model, format: GraphFormat) -> String {
    let mut nodes: BTreeSet<(String, String, &'static str)> = BTreeSet::new();
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    for p in &model.pipelines {
        let name = &p.doc.metadata.name;
        let id = |n: &str| node_id(&format!("{name}__{n}"));
        for s in &p.doc.spec.sources {
            nodes.insert((id(&s.name), format!("{name}: {}", s.name), "source"));
            let external = if let Some(k) = &s.kafka {
                Some(format!("kafka {}/{}", k.cluster, k.topic))
            } else if let Some(c) = &s.postgres_cdc {
                Some(format!("postgres {}/{}/{}", c.cluster, c.database, c.table))
            } else {
                s.postgres.as_ref().map(|t| format!("postgres {}/{}/{}", t.cluster, t.database, t.table))
            };
            if let Some(e) = external {
                nodes.insert((node_id(&e), e.clone(), "store"));
                edges.insert((node_id(&e), id(&s.name)));
            }
        }
        for (i, t) in p.doc.spec.transforms.iter().enumerate() {
            nodes.insert((id(&t.name), format!("{name}: {}", t.name), "transform"));
            for input in p.transform_inputs.get(i).into_iter().flatten() {
                edges.insert((id(input), id(&t.name)));
            }
        }
        for (s, info) in p.doc.spec.sinks.iter().zip(&p.sinks) {
            nodes.insert((id(&s.name), format!("{name}: {}", s.name), "sink"));
            for input in &info.inputs {
                edges.insert((id(input), id(&s.name)));
            }
            let external = if let Some(k) = &s.kafka {
                Some(format!("kafka {}/{}", k.cluster, k.topic))
            } else if let Some(t) = &s.postgres {
                Some(format!("postgres {}/{}/{}", t.cluster, t.database, t.table))
            } else {
                s.iceberg.as_ref().map(|t| format!("iceberg {}/{}.{}", t.catalog, t.namespace, t.table))
            };
            if let Some(e) = external {
                nodes.insert((node_id(&e), e.clone(), "store"));
                edges.insert((id(&s.name), node_id(&e)));
            }
        }
    }
    let mut out = String::new();
    match format {
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for (id, label, kind) in &nodes {
                let label = label.replace('"', "'");
                let _ = match *kind {
                    "store" => writeln!(out, "  {id}[(\"{label}\")]"),
                    "transform" => writeln!(out, "  {id}{{{{\"{label}\"}}}}"),
                    _ => writeln!(out, "  {id}[\"{label}\"]"),
                };
            }
            for (a, b) in &edges {
                let _ = writeln!(out, "  {a} --> {b}");
            }
        }
        GraphFormat::Dot => {
            out.push_str("digraph pipec {\n  rankdir=LR;\n");
            for (id, label, kind) in &nodes {
                let shape = match *kind {
                    "store" => "cylinder",
                    "transform" => "hexagon",
                    _ => "box",
                };
                let _ = writeln!(out, "  {id} [label=\"{}\", shape={shape}];", label.replace('"', "\\\""));
            }
            for (a, b) in &edges {
                let _ = writeln!(out, "  {a} -> {b};");
            }
            out.push_str("}\n");
        }
    }
    out
}
