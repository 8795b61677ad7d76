// The codes, in order. Each line: code, severity, summary (the default label), explanation.
codes! {
    // E00xx: files and YAML.
    E0001 Error "invalid YAML" "The file is not valid YAML. pipec reports the parser's message at the position where it stopped.\n\nExample:\n  columns:\n    - { name: id, type: BIGINT\n\nFix: close the flow mapping or sequence, fix the indentation, or quote the value.";
    E0002 Error "duplicate key" "A mapping holds the same key twice. YAML readers disagree on which one wins, so pipec refuses it.\n\nExample:\n  kafka: { cluster: main, cluster: other }\n\nFix: remove one of the keys.";
    E0003 Error "merge keys are not supported" "A `<<` merge key was used. YAML readers disagree on merge keys, so pipec refuses them; anchors and aliases are fine.\n\nExample:\n  runtime:\n    <<: *defaults\n\nFix: repeat the keys, or alias a whole value (`runtime: *defaults`).";
    E0004 Error "file is not UTF-8" "A pipeline file must be UTF-8 text.\n\nFix: re-encode the file as UTF-8.";
    E0005 Error "unknown kind" "A document has `apiVersion: pipec/v1alpha1` but a `kind` pipec does not know.\n\nExample:\n  kind: Pipline\n\nFix: use `Platform` or `Pipeline`.";
    E0006 Error "no platform" "The folder holds pipelines but no `kind: Platform` document; every pipeline needs one.\n\nFix: add a platform.yaml with `kind: Platform`.";
    E0007 Error "more than one platform" "The folder holds more than one `kind: Platform` document; exactly one is allowed.\n\nFix: merge them into one file.";
    E0008 Error "unsupported apiVersion" "A document names pipec with an apiVersion this release does not read.\n\nExample:\n  apiVersion: pipec/v2\n\nFix: use `apiVersion: pipec/v1alpha1`.";
    E0009 Error "too many documents" "A file holds more than one YAML document (`---`). pipec reads one document per file so that every diagnostic names one file and one object.\n\nFix: split the file.";
    // E01xx: structure.
    E0101 Error "unknown field" "A key that the schema does not define. pipec suggests the closest known key.\n\nExample:\n  sinks:\n    - name: x\n      form: orders   # did you mean `from`?\n\nFix: correct the key's spelling or remove it.";
    E0102 Error "missing field" "A required key is missing from a mapping.\n\nExample:\n  sources:\n    - kafka: { cluster: main, topic: t, format: json }   # no `name`\n\nFix: add the key.";
    E0103 Error "wrong type" "A value has the wrong YAML type (a string where a number is expected, a list where a mapping is).\n\nExample:\n  runtime: { parallelism: four }\n\nFix: write a value of the expected type; quote strings that look like numbers, such as `version: \"1.20\"`.";
    E0104 Error "invalid value" "A value is outside the values the field accepts (an enum, a pattern, a range).\n\nExample:\n  format: jsn\n\nFix: use one of the listed values.";
    E0105 Error "invalid type string" "A column type is not a Flink SQL type pipec can read.\n\nExample:\n  - { name: amount, type: DECIMAL(10 2) }\n\nFix: write a Flink type such as `DECIMAL(10, 2)`, `STRING NOT NULL`, `TIMESTAMP_LTZ(3)`, `ARRAY<STRING>`.";
    E0107 Error "conflicting fields" "Two fields that exclude each other are both set, or a column is none of physical, metadata and computed.\n\nExample:\n  - { name: total, type: INT, computed: a + b }\n\nFix: keep one of them.";
    E0108 Error "wrong number of connectors" "A source or sink must name exactly one connector (`kafka`, `postgresCdc`, `postgres`, `iceberg`), and a sink exactly one of `from` and `sql`.\n\nFix: keep exactly one.";
    // E02xx: references and names.
    E0201 Error "unknown reference" "A name refers to something that is not declared: a cluster, catalog, source, transform or column.\n\nExample:\n  kafka: { cluster: mian, ... }   # the platform declares `main`\n\nFix: use a declared name; pipec suggests the closest one.";
    E0202 Error "duplicate name" "Two things of one kind share a name: two sources, a source and a transform, two columns of one table, two pipelines.\n\nFix: rename one of them.";
    E0203 Error "dependency cycle" "Transforms refer to each other in a cycle, so no order exists to create them.\n\nExample:\n  a: SELECT * FROM b\n  b: SELECT * FROM a\n\nFix: break the cycle.";
    E0204 Error "invalid name" "A name is not valid where it is used: a Kubernetes object name (RFC 1123 label: lower-case letters, digits and `-`, at most 63 characters), a SQL identifier, a Postgres identifier.\n\nExample:\n  metadata: { name: Orders_To_Lake }\n\nFix: use lower-case letters, digits and `-`.";
    E0205 Error "two writers" "Two sinks (in one pipeline or in two) write the same Kafka topic, Postgres table or Iceberg table. Their writes would interleave and their keys conflict.\n\nFix: write from one sink, or write to different targets.";
    W0201 Warning "topic without producer" "A pipeline reads a Kafka topic that no pipeline in the repository writes. It may be fed by Debezium or an application; pipec cannot check its schema.\n\nFix: nothing, if another system produces the topic.";
    W0202 Warning "unused source or transform" "A declared source or transform is read by no sink, directly or through transforms.\n\nFix: remove it, or use it.";
    // E03xx: SQL and types.
    E0301 Error "SQL syntax error" "The SQL of a transform or sink does not parse as Flink SQL.\n\nFix: correct the SQL at the marked token.";
    E0302 Error "unknown table" "A table name in SQL is not a source or transform of this pipeline.\n\nFix: use a declared source or transform; pipec suggests the closest one.";
    E0303 Error "unknown column" "A column in SQL is not a column of any table in scope.\n\nFix: use a column of the tables in FROM; pipec suggests the closest one.";
    E0304 Error "ambiguous column" "An unqualified column exists in more than one table of the FROM clause.\n\nFix: qualify it with the table alias (`o.id`).";
    E0305 Error "type mismatch" "An expression's operands have types that Flink does not combine (a string added to a number, a comparison of a date with a boolean).\n\nFix: CAST one side to the type of the other.";
    E0306 Error "not supported yet" "The SQL uses a construct pipec cannot type-check yet. pipec never guesses a type, so it stops here instead of emitting output that may not deploy.\n\nFix: rewrite the query with supported constructs, or report the construct so that pipec learns it.";
    E0307 Error "unknown function" "A function name that neither Flink's built-in functions nor pipec know.\n\nFix: check the spelling; pipec suggests the closest built-in.";
    E0308 Error "reserved word" "An unquoted Flink reserved word used as an identifier. Flink rejects it at this token.\n\nExample:\n  SELECT value FROM t\n\nFix: quote it with backticks: `value`.";
    E0309 Error "not a statement" "A transform or sink query must be a single SELECT (or WITH ... SELECT, or UNION ALL of SELECTs).\n\nFix: remove other statements; pipec writes the INSERT and CREATE statements itself.";
    E0310 Error "aggregate misuse" "A column is neither grouped nor aggregated, or an aggregate is nested or used in WHERE.\n\nFix: add the column to GROUP BY, or wrap it in an aggregate.";
    E0312 Error "invalid watermark" "The watermark column must be a TIMESTAMP(p) or TIMESTAMP_LTZ(p) column with p <= 3 of the same table.\n\nFix: name such a column, or declare one (for example `ts_ltz AS TO_TIMESTAMP_LTZ(ts, 3)`).";
    E0313 Error "invalid metadata column" "A metadata key that the connector does not offer, or a metadata type it cannot cast.\n\nFix: use one of the connector's metadata keys listed in the help.";
    W0301 Warning "SQL runner would mangle this" "The Flink SQL runner strips `--` and `/* */` comments even inside string literals and splits statements at lines ending in `;`. The text here would change what runs.\n\nFix: avoid `--`, `/*` and a `;` at the end of a line inside literals.";
    E0311 Error "invalid computed column" "A computed column's expression does not type-check against the table's other columns.\n\nFix: correct the expression.";
    // E04xx: changelog semantics and sink contracts.
    E0401 Error "updating input into append-only sink" "The sink's input is an updating changelog (a CDC source, a non-windowed aggregate, a regular join of updating inputs) but the sink takes inserts only. Flink rejects the job at planning: `Table sink doesn't support consuming update changes`.\n\nFix: declare a primaryKey on the sink (upsert), use a changelog format such as debezium-json, or make the input append-only (a window aggregation).";
    E0402 Error "sink contract mismatch" "The sink's query does not produce the columns of its `columns:` contract: a column is missing, extra, or of a type that Flink cannot insert.\n\nFix: change the query or the contract.";
    E0403 Error "nullable key column" "A primary key column of a sink is nullable in the query. The sink's not-null enforcer fails the job at run time on the first null.\n\nFix: make the column NOT NULL in the query (COALESCE, a WHERE ... IS NOT NULL filter with a CAST, or a NOT NULL source column).";
    E0404 Error "invalid key" "A primary key names a column the relation does not have, or the key does not fit the target (an Iceberg upsert key without a partition source column, a float key).\n\nFix: correct the key.";
    E0405 Error "type not supported by target" "A column type that the sink's target cannot store: MAP, ROW or MULTISET in Postgres, a timestamp precision over 6 in Postgres, INTERVAL or RAW in Iceberg.\n\nFix: CAST the column (for example to STRING) or drop it.";
    E0406 Error "invalid partition" "An Iceberg partition names an unknown column or a transform that does not fit the column's type (`day` of a string, `bucket` of a double).\n\nFix: partition by a column of a fitting type.";
    E0407 Error "upsert needs a key" "`upsert: true` (or a sink that can only upsert) without a primaryKey.\n\nFix: declare primaryKey.";
    E0408 Error "key not unique in input" "The sink's key does not cover the unique key of its updating input, so rows of one key would overwrite each other.\n\nFix: make the sink key the input's grouping or primary key.";
    // E05xx: platform rules.
    E0501 Error "invalid topic name" "A Kafka topic name must be 1 to 249 characters of `[a-zA-Z0-9._-]`, not `.` or `..`.\n\nFix: rename the topic.";
    E0502 Error "invalid bucket name" "An S3 bucket name must be 3 to 63 characters of lower-case letters, digits, `-` and `.`, start and end with a letter or digit.\n\nFix: rename the bucket.";
    E0503 Error "version not supported" "A `versions` entry or `flink.version` names a release pipec does not generate output for.\n\nFix: use one of the listed versions.";
    E0504 Error "credential needs runner substitution" "A connector needs a credential in its SQL options, but the platform's SQL runner does not substitute `${NAME}` placeholders (`flink.sqlRunner.substitutesEnv: false`), so the job would have no password.\n\nFix: use a runner that substitutes environment variables and set `substitutesEnv: true`.";
    E0505 Error "invalid platform setting" "A platform setting is inconsistent (a catalog database on an unknown Postgres cluster, a non-S3 warehouse).\n\nFix: correct the setting.";
    E0506 Error "buckets overlap" "Two pipelines would write checkpoints or tables under the same prefix.\n\nFix: give them different names or namespaces.";
    W0501 Warning "topic name mixes . and _" "Kafka warns when a topic name contains both `.` and `_`: they collide in metric names.\n\nFix: use one separator.";
    // E06xx: secrets and owned configuration.
    E0601 Error "literal credential" "A value that looks like a credential (a password, secret, token, access key, JAAS config) is written in the YAML. pipec never writes secret values; credentials are references to Kubernetes Secrets.\n\nFix: put it in a Secret and reference the Secret.";
    E0602 Error "key owned by pipec" "A `flinkConfiguration` key that pipec sets itself: checkpoints, savepoints, state backend, S3, high availability, `parallelism.default`, `pipeline.name`.\n\nFix: use the runtime fields (parallelism, checkpointInterval, upgradeMode) or the platform settings.";
    // E09xx: limits.
    E0901 Error "input too large" "A file, a SQL text or a nesting depth exceeds pipec's limits.\n\nFix: split the input.";
}
