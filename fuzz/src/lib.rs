//! What the fuzz targets share: the fixed inputs, the structure-aware pipeline template, and
//! the checks run on every compilation besides "does not panic".
//!
//! The checks (an input that breaks one is a crash, like a panic):
//!
//! - `compile` never fails internally (`Err` is pipec's own failure);
//! - with an error there is no output;
//! - every diagnostic points into its file, on character boundaries, and renders in every
//!   format;
//! - every YAML file pipec writes reads back as YAML, every JSON file as JSON;
//! - compiling the same files again gives the same bytes.

use std::collections::HashMap;
use std::sync::OnceLock;

use pipec::diag::render::{Format, render};
use pipec::source::{Sources, Span, TextOrigin};
use pipec::typecheck::{self, Column, Relation, SqlText};
use pipec::{Compiled, Stop};

/// The bundled platform.
pub const PLATFORM: &[u8] = include_bytes!("../../pipelines/platform.yaml");

/// The bundled pipelines (every file of `pipelines/` but the platform).
pub const PIPELINES: &[(&str, &[u8])] = &[
    ("customers-to-analytics.yaml", include_bytes!("../../pipelines/customers-to-analytics.yaml")),
    ("orders-to-lake.yaml", include_bytes!("../../pipelines/orders-to-lake.yaml")),
    ("page-view-counts.yaml", include_bytes!("../../pipelines/page-view-counts.yaml")),
    ("payments-to-lake.yaml", include_bytes!("../../pipelines/payments-to-lake.yaml")),
    ("shipments-enriched.yaml", include_bytes!("../../pipelines/shipments-enriched.yaml")),
];

/// Compiles `files` through emit and checks the result; panics on any broken property.
///
/// The compilation is `pipec::compile_with` with the schema validator built once per process
/// (building it is most of the time of a small compilation; `pipec::compile` only adds that).
/// Output is compared with a second compilation, which finds output that depends on more than
/// the input.
pub fn compile_and_check(files: Vec<(String, Vec<u8>)>) {
    let first = compile_cached(files.clone());
    check_compiled(&first);
    if first.output.is_none() {
        return;
    }
    let second = compile_cached(files);
    let same_output = match (&first.output, &second.output) {
        (Some(a), Some(b)) => a.files == b.files,
        (None, None) => true,
        _ => false,
    };
    assert!(same_output, "a second compilation of the same files gave other output");
    let codes =
        |c: &Compiled| c.diagnostics.sorted().iter().map(|d| (d.code, d.span, d.message.clone())).collect::<Vec<_>>();
    assert_eq!(codes(&first), codes(&second), "a second compilation of the same files gave other diagnostics");
}

fn compile(files: Vec<(String, Vec<u8>)>) -> Compiled {
    match pipec::compile(files, Stop::AfterEmit) {
        Ok(c) => c,
        Err(e) => panic!("pipec failed internally: {e}"),
    }
}

/// `pipec::compile(files, Stop::AfterEmit)` with a validator built once.
fn compile_cached(files: Vec<(String, Vec<u8>)>) -> Compiled {
    use pipec::{load, schema, spec};
    thread_local! {
        static VALIDATOR: schema::Validator = match schema::Validator::new(
            &spec::schema_of(load::Kind::Platform),
            &spec::schema_of(load::Kind::Pipeline),
        ) {
            Ok(v) => v,
            Err(e) => panic!("the schemas do not compile: {e}"),
        };
    }
    VALIDATOR.with(|v| match pipec::compile_with(v, files, Stop::AfterEmit) {
        Ok(c) => c,
        Err(e) => panic!("pipec failed internally: {e}"),
    })
}

/// The properties of one compilation; see the module documentation.
pub fn check_compiled(c: &Compiled) {
    let errors = c.diagnostics.has_errors();
    assert!(!(errors && c.output.is_some()), "output despite errors");
    check_diagnostics(&c.diagnostics, &c.sources);
    if let Some(out) = &c.output {
        for (path, bytes) in &out.files {
            let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path} is not UTF-8: {e}"));
            if path.ends_with(".yaml") {
                // Each document reads back, and writing what was read gives the same text:
                // the YAML writer's quoting keeps every value.
                let body = text.split_once('\n').filter(|_| text.starts_with('#')).map_or(text, |(_, b)| b);
                for doc in body.split("\n---\n") {
                    let doc = if doc.ends_with('\n') { doc.to_string() } else { format!("{doc}\n") };
                    match pipec::load::yaml_value(&doc) {
                        Ok(v) => assert_eq!(pipec::emit::yaml::to_yaml(&v), doc, "{path} does not read back"),
                        Err(e) => panic!("{path} does not read back as YAML: {e}\n{text}"),
                    }
                }
            } else if path.ends_with(".json")
                && let Err(e) = serde_json::from_str::<serde_json::Value>(text)
            {
                panic!("{path} does not read back as JSON: {e}");
            }
        }
    }
}

/// Every span lies in its file on character boundaries; every format renders.
pub fn check_diagnostics(diags: &pipec::diag::Diagnostics, sources: &Sources) {
    let count = sources.iter().count();
    let sorted = diags.sorted();
    for d in &sorted {
        let spans = std::iter::once(&d.span).chain(d.related.iter().map(|r| &r.0));
        for s in spans {
            assert!((s.file.0 as usize) < count, "{}: span in unknown file {}", d.code.as_str(), s.file);
            let text = &sources.get(s.file).text;
            let ok = s.start <= s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end);
            assert!(
                ok,
                "{}: span {}..{} outside the text or inside a character: {}",
                d.code.as_str(),
                s.start,
                s.end,
                d.message
            );
        }
    }
    // The human format (miette's graphical report) costs more than the compilation of a
    // small input; one input in eight renders it, the others the machine formats only.
    let human = sorted.iter().fold(0u32, |h, d| h.wrapping_mul(31).wrapping_add(d.span.start as u32)) % 8 == 0;
    let formats: &[Format] =
        if human { &[Format::Human, Format::Json, Format::Github, Format::Sarif] } else { &[Format::Json, Format::Github, Format::Sarif] };
    for &format in formats {
        let _ = render(&sorted, sources, format, false);
    }
}

// ------------------------------------------------------------------------------------------
// The structure-aware template.

/// How a fuzzer piece is written into the template.
#[derive(Clone, Copy)]
enum Slot {
    /// A literal block (`|-`) when the text allows it, else a double-quoted scalar.
    Block,
    /// A double-quoted scalar with JSON escapes: any text reaches pipec unchanged.
    Quoted,
    /// A plain scalar when the text is a plain word or number, else double-quoted.
    Plain,
}

/// The slots of [`TEMPLATE`], in the order pieces of the input fill them, with the text a
/// slot has when the input gives none.
const SLOTS: &[(&str, Slot, &str)] = &[
    (
        "TRANSFORM_SQL",
        Slot::Block,
        "SELECT o.order_id, o.customer_id, o.amount, o.status, c.country,\n       o.created_at, CAST(o.created_at AS DATE) AS order_date, o.proc_time\nFROM orders AS o\nLEFT JOIN customers AS c ON o.customer_id = c.id",
    ),
    (
        "SINK_SQL",
        Slot::Block,
        "SELECT COALESCE(country, 'unknown') AS country,\n       COUNT(*) AS orders, SUM(amount) AS revenue\nFROM enriched_orders\nGROUP BY COALESCE(country, 'unknown')",
    ),
    ("TYPE", Slot::Quoted, "DECIMAL(10, 2)"),
    ("COMPUTED", Slot::Quoted, "amount * 2"),
    ("DELAY", Slot::Plain, "5s"),
    ("TOPIC", Slot::Quoted, "alerts.big-orders"),
    ("NAME", Slot::Plain, "orders-to-lake"),
    ("PARTITION", Slot::Quoted, "day(created_at)"),
    ("CONF_KEY", Slot::Quoted, "table.exec.state.ttl"),
    ("CONF_VALUE", Slot::Quoted, "1d"),
    ("PG_TABLE", Slot::Quoted, "public.revenue_by_country"),
    ("PARALLELISM", Slot::Plain, "4"),
    ("KEY", Slot::Plain, "order_id"),
    ("STARTUP", Slot::Quoted, "earliest-offset"),
    (
        "LOOKUP_SQL",
        Slot::Block,
        "SELECT b.order_id, p.product_name\nFROM big AS b\nJOIN products FOR SYSTEM_TIME AS OF b.proc_time AS p ON b.product_id = p.product_id",
    ),
    ("RETENTION", Slot::Plain, "7d"),
    ("METADATA", Slot::Quoted, "timestamp"),
];

/// A valid pipeline that uses every kind of source and sink; each `{SLOT}` takes a piece of the
/// fuzzer's input.
const TEMPLATE: &str = r#"apiVersion: pipec/v1alpha1
kind: Pipeline
metadata:
  name: {NAME}
  owner: team-sales
spec:
  sources:
    - name: orders
      kafka:
        cluster: main
        topic: shop.public.orders
        format: debezium-json
        startup: {STARTUP}
      columns:
        - { name: order_id, type: BIGINT NOT NULL }
        - { name: customer_id, type: BIGINT }
        - { name: product_id, type: BIGINT }
        - { name: amount, type: {TYPE} }
        - { name: status, type: STRING }
        - { name: created_at, type: TIMESTAMP(3) NOT NULL }
        - { name: ingested_at, type: TIMESTAMP_LTZ(3), metadata: {METADATA} }
        - { name: proc_time, computed: PROCTIME() }
        - { name: doubled, computed: {COMPUTED} }
      primaryKey: [order_id]
      watermark: { column: created_at, delay: {DELAY} }
    - name: customers
      postgresCdc: { cluster: fabric-postgres, database: shop, table: public.customers }
      columns:
        - { name: id, type: BIGINT NOT NULL }
        - { name: country, type: STRING }
      primaryKey: [id]
    - name: products
      postgres: { cluster: fabric-postgres, database: shop, table: public.products }
      columns:
        - { name: product_id, type: BIGINT NOT NULL }
        - { name: product_name, type: STRING }
      primaryKey: [product_id]
    - name: clicks
      kafka: { cluster: main, topic: web.clicks, format: json }
      columns:
        - { name: page, type: STRING NOT NULL }
        - { name: clicked_at, type: TIMESTAMP(3) NOT NULL }
      watermark: { column: clicked_at, delay: 1s }
  transforms:
    - name: enriched_orders
      sql: {TRANSFORM_SQL}
    - name: big
      sql: SELECT order_id, product_id, proc_time FROM orders WHERE amount > 1000
    - name: looked_up
      sql: {LOOKUP_SQL}
    - name: click_counts
      sql: |-
        SELECT window_start, window_end, page, COUNT(*) AS clicks
        FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(clicked_at), INTERVAL '1' MINUTE))
        GROUP BY window_start, window_end, page
  sinks:
    - name: lake_orders
      from: enriched_orders
      iceberg:
        catalog: lake
        namespace: sales
        table: orders
        partitionBy: [{PARTITION}]
        upsert: true
      primaryKey: [{KEY}, order_date, created_at]
    - name: revenue_by_country
      sql: {SINK_SQL}
      postgres: { cluster: fabric-postgres, database: analytics, table: {PG_TABLE} }
      primaryKey: [country]
      columns:
        - { name: country, type: STRING NOT NULL }
        - { name: orders, type: BIGINT NOT NULL }
        - { name: revenue, type: "DECIMAL(38, 2)" }
    - name: lookups
      from: looked_up
      kafka:
        cluster: main
        topic: {TOPIC}
        format: debezium-json
        manage: { partitions: 6, replicas: 3, retention: {RETENTION} }
    - name: clicks_out
      from: click_counts
      kafka: { cluster: main, topic: web.click-counts, format: csv }
  runtime:
    parallelism: {PARALLELISM}
    upgradeMode: savepoint
    checkpointInterval: 60s
    jobManager: { cpu: 1, memory: 2048m }
    taskManager: { cpu: 2, memory: 4096m, slots: 4 }
    flinkConfiguration: { {CONF_KEY}: {CONF_VALUE} }
"#;

/// The separator of pieces in a splice input (NUL cannot occur in YAML text).
pub const SEPARATOR: u8 = 0;

/// The pipeline a splice input stands for: the template with the input's pieces in its slots.
/// The first byte chooses the writing: bit 0 writes block slots double-quoted instead. An
/// empty or missing piece leaves its slot's default.
pub fn splice(data: &[u8]) -> String {
    let (flags, rest) = data.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
    let mut pieces = rest.split(|b| *b == SEPARATOR).map(String::from_utf8_lossy);
    let mut out = TEMPLATE.to_string();
    for (name, slot, default) in SLOTS {
        let text = pieces.next().filter(|p| !p.is_empty()).unwrap_or(std::borrow::Cow::Borrowed(*default));
        let written = match slot {
            Slot::Block if flags & 1 == 0 => block(&text).unwrap_or_else(|| quoted(&text)),
            Slot::Block | Slot::Quoted => quoted(&text),
            Slot::Plain => plain(&text).unwrap_or_else(|| quoted(&text)),
        };
        out = out.replace(&format!("{{{name}}}"), &written);
    }
    out
}

/// An input for [`splice`] that fills the first slots with `pieces`.
pub fn splice_input(pieces: &[&str]) -> Vec<u8> {
    let mut v = vec![0u8];
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            v.push(SEPARATOR);
        }
        v.extend_from_slice(p.as_bytes());
    }
    v
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn plain(s: &str) -> Option<String> {
    let ok = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    ok.then(|| s.to_string())
}

/// A literal block at the sinks' and transforms' indentation (8), or None when the text has
/// characters a literal block cannot carry unchanged.
fn block(s: &str) -> Option<String> {
    if s.is_empty() || s.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{feff}') {
        return None;
    }
    let body = s.strip_suffix('\n').unwrap_or(s);
    let indicator = if body.starts_with([' ', '\t', '\n']) { "2" } else { "" };
    let chomp = if s.ends_with('\n') { "" } else { "-" };
    let mut out = format!("|{indicator}{chomp}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str("        ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.pop();
    Some(out)
}

// ------------------------------------------------------------------------------------------
// The SQL front end.

/// The relations a fuzzed query reads: the sources and transforms of `inputs/sql-scope.yaml`.
pub struct Scope {
    relations: HashMap<String, Relation>,
    names: Vec<String>,
    /// The columns of `orders`, which computed-column expressions see.
    orders: Vec<Column>,
}

/// The scope, checked once per process.
pub fn scope() -> &'static Scope {
    static SCOPE: OnceLock<Scope> = OnceLock::new();
    SCOPE.get_or_init(|| {
        let files = vec![
            ("platform.yaml".to_string(), PLATFORM.to_vec()),
            ("scope.yaml".to_string(), include_bytes!("../inputs/sql-scope.yaml").to_vec()),
        ];
        let c = compile(files);
        let Some(model) = c.model else {
            panic!(
                "the fuzz scope does not check:\n{}",
                render(&c.diagnostics.sorted(), &c.sources, Format::Human, false)
            );
        };
        let mut relations = HashMap::new();
        let mut orders = Vec::new();
        for p in &model.pipelines {
            for (s, info) in p.doc.spec.sources.iter().zip(&p.sources) {
                if s.name == "orders" {
                    orders = info.relation.columns.clone();
                }
                relations.insert(s.name.clone(), info.relation.clone());
            }
            for (t, rel) in p.doc.spec.transforms.iter().zip(&p.transforms) {
                relations.insert(t.name.clone(), rel.clone());
            }
        }
        let mut names: Vec<String> = relations.keys().cloned().collect();
        names.sort();
        Scope { relations, names, orders }
    })
}

/// Runs the SQL front end on one text: as a query (parse, table references, type check), as a
/// computed-column expression over `orders`, and as a type string; then renders what it
/// reported.
pub fn check_sql(text: &str) {
    let scope = scope();
    let mut sources = Sources::default();
    let file = sources.add("q.sql".to_string(), text.to_string());
    let origin = TextOrigin::verbatim(Span::new(file, 0, text.len()));
    let sql = SqlText { text, origin: &origin };
    let mut diags = pipec::diag::Diagnostics::default();
    if let Some(q) = typecheck::parse_query(&sql, &mut diags) {
        let _ = q.table_refs();
        let names: Vec<&str> = scope.names.iter().map(String::as_str).collect();
        let lookup = |n: &str| scope.relations.get(n).cloned();
        let _ = typecheck::check_query(&q, &sql, &lookup, &names, "transform `q`", &mut diags);
    }
    let _ = typecheck::check_expr(&sql, &scope.orders, &mut diags);
    if let Ok(ty) = typecheck::DataType::parse(text) {
        // A parsed type prints as a type string that parses back to the same type.
        let printed = ty.to_string();
        assert_eq!(typecheck::DataType::parse(&printed).as_ref(), Ok(&ty), "{printed}");
    }
    check_diagnostics(&diags, &sources);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template with its defaults is a valid pipeline, so that mutations start from one.
    #[test]
    fn the_template_compiles_cleanly() {
        let text = splice(&[]);
        let files = vec![
            ("pipeline.yaml".to_string(), text.clone().into_bytes()),
            ("platform.yaml".to_string(), PLATFORM.to_vec()),
        ];
        let c = compile(files.clone());
        let errors: Vec<String> = c
            .diagnostics
            .sorted()
            .iter()
            .filter(|d| d.severity() == pipec::diag::Severity::Error)
            .map(|d| format!("{}: {}", d.code.as_str(), d.message))
            .collect();
        assert!(errors.is_empty(), "{errors:?}\n{text}");
        assert!(c.output.is_some());
        compile_and_check(files);
    }

    #[test]
    fn pieces_fill_slots_in_order() {
        let text = splice(&splice_input(&["SELECT 1 AS x", "", "INT NOT NULL"]));
        assert!(text.contains("      sql: |-\n        SELECT 1 AS x\n"), "{text}");
        assert!(text.contains("type: \"INT NOT NULL\""), "{text}");
        assert!(text.contains("SUM(amount) AS revenue"), "an empty piece keeps the default:\n{text}");
        let quoted = splice(&[1, b'a', b'\n', b'b']);
        assert!(quoted.contains("      sql: \"a\\nb\""), "{quoted}");
    }

    #[test]
    fn the_sql_scope_checks() {
        assert!(scope().relations.contains_key("windowed"));
        check_sql("SELECT * FROM orders");
    }
}
