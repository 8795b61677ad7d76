//! Tests of the streaming semantics: changelog modes, unique keys, updating causes, time
//! attributes, chains of transforms and the positions of the streaming diagnostics.
//!
//! Unless a comment says otherwise, the facts were observed in Flink 1.20's planner over the
//! tables of `diff_scope` (see `tests.rs`): its changelog mode, its upsert keys (from the
//! planner's metadata), and whether a window over a column plans (a time attribute).

use super::tests::{Reported, block, diff_run, diff_scope};
use super::*;
use crate::diag::Code;

fn ok(sql: &str) -> Relation {
    diff_run(sql).unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

fn err(sql: &str) -> Vec<Reported> {
    match diff_run(sql) {
        Ok(r) => panic!("{sql}: expected an error, got {r:?}"),
        Err(e) => e,
    }
}

/// The first diagnostic: its code, file line and column, and the text under it.
fn first(sql: &str) -> (Code, usize, usize, String) {
    let e = err(sql);
    let d = &e[0];
    (d.0, d.1, d.2, d.3.clone())
}

fn key(names: &[&str]) -> Option<Vec<String>> {
    Some(names.iter().map(|s| s.to_string()).collect())
}

/// Which columns are time attributes: `R` (rowtime), `P` (proctime) or `-` per column.
fn attrs(r: &Relation) -> String {
    r.columns
        .iter()
        .map(|c| match c.time {
            Some(TimeAttr::Rowtime) => 'R',
            Some(TimeAttr::Proctime) => 'P',
            None => '-',
        })
        .collect()
}

/// Checks `queries` in order as transforms of one pipeline (each may read the ones before it
/// by name), and returns the last one's relation or diagnostics.
fn chain(queries: &[(&str, &str)]) -> Result<Relation, Vec<String>> {
    let mut done: Vec<(String, Relation)> = Vec::new();
    let mut last = None;
    for (name, sql) in queries {
        let b = block(sql);
        let text = SqlText { text: &b.sql, origin: &b.origin };
        let mut d = Diagnostics::default();
        let scope = |n: &str| done.iter().find(|(x, _)| x == n).map(|(_, r)| r.clone()).or_else(|| diff_scope(n));
        let rel = parse_query(&text, &mut d)
            .and_then(|q| check_query(&q, &text, &scope, &[], &format!("transform `{name}`"), &mut d));
        match rel {
            Some(r) if d.error_count() == 0 => {
                done.push((name.to_string(), r.clone()));
                last = Some(r);
            }
            _ => return Err(d.into_vec().into_iter().map(|x| format!("{:?} {}", x.code, x.message)).collect()),
        }
    }
    last.ok_or_else(Vec::new)
}

#[test]
fn aggregations_and_their_keys() {
    // GroupAggregate updates (I,UA); its upsert key is the group keys when selected.
    let r = ok("SELECT status, COUNT(*) AS c FROM orders GROUP BY status");
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, key(&["status"])));
    assert_eq!(r.updating_cause.as_deref(), Some("the aggregation (GROUP BY status) in transform `x`"));
    // A global aggregate is one row: an empty key.
    assert_eq!(ok("SELECT COUNT(*) AS c FROM orders").unique_key, key(&[]));
    // GROUPING SETS have no key (a group key repeats across the sets).
    let r = ok("SELECT s_nn, i_nn, COUNT(*) AS c FROM t GROUP BY ROLLUP (s_nn, i_nn)");
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, None));
    // UNION, INTERSECT and EXCEPT are keyed on every column; their ALL forms are not.
    assert_eq!(ok("SELECT id FROM u UNION SELECT id FROM c").unique_key, key(&["id"]));
    assert_eq!(ok("SELECT id FROM u EXCEPT SELECT id FROM c").unique_key, key(&["id"]));
    let r = ok("SELECT id FROM u INTERSECT ALL SELECT id FROM c");
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, None));
}

#[test]
fn window_aggregation_is_insert_only() {
    let r = ok(
        "SELECT window_start, window_end, status, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(created_at), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, status",
    );
    assert_eq!((r.changelog, r.unique_key, r.updating_cause), (Changelog::Insert, None, None));
    // Also over a CDC table (Flink 1.20 aggregates windows of updating inputs).
    let r = ok(
        "SELECT window_start, window_end, MAX(rate) AS m FROM TABLE(TUMBLE(TABLE rates, DESCRIPTOR(upd), INTERVAL '1' HOUR)) GROUP BY window_start, window_end",
    );
    assert_eq!(r.changelog, Changelog::Insert);
    // Without both window_start and window_end it is a regular aggregation.
    let r = ok(
        "SELECT window_start, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(created_at), INTERVAL '1' MINUTE)) GROUP BY window_start",
    );
    assert_eq!(r.changelog, Changelog::Upsert);
    // A SESSION window with PARTITION BY aggregates per window only with its keys grouped.
    let session = "FROM TABLE(SESSION(TABLE pv PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '5' MINUTE))";
    let r = ok(&format!(
        "SELECT user_id, window_start, window_end, COUNT(*) AS c {session} GROUP BY user_id, window_start, window_end"
    ));
    assert_eq!(r.changelog, Changelog::Insert);
    let r = ok(&format!(
        "SELECT page, window_start, window_end, COUNT(*) AS c {session} GROUP BY page, window_start, window_end"
    ));
    assert_eq!(r.changelog, Changelog::Upsert);
    // DISTINCT over a window's columns is a window aggregation too.
    let r = ok(
        "SELECT DISTINCT window_start, window_end, status FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(created_at), INTERVAL '1' MINUTE))",
    );
    assert_eq!(r.changelog, Changelog::Insert);
    // A legacy group window aggregates per window too, and its *_ROWTIME is a time attribute.
    let r = ok(
        "SELECT TUMBLE_START(created_at, INTERVAL '1' MINUTE) AS ws, TUMBLE_ROWTIME(created_at, INTERVAL '1' MINUTE) AS wr, COUNT(*) AS c FROM orders GROUP BY TUMBLE(created_at, INTERVAL '1' MINUTE)",
    );
    assert_eq!((r.changelog, attrs(&r)), (Changelog::Insert, "-R-".to_string()));
}

#[test]
fn window_table_functions_add_window_columns() {
    let r = ok("SELECT * FROM TABLE(TUMBLE(TABLE pv, DESCRIPTOR(ts), INTERVAL '1' MINUTE))");
    let cols: Vec<String> = r.columns.iter().skip(4).map(|c| format!("{} {}", c.name, c.ty)).collect();
    assert_eq!(
        cols,
        [
            "window_start TIMESTAMP(3) NOT NULL",
            "window_end TIMESTAMP(3) NOT NULL",
            "window_time TIMESTAMP_LTZ(3) NOT NULL"
        ]
    );
    // window_time is a time attribute of the time column's kind.
    assert_eq!(attrs(&r), "--RP--R");
    let r = ok("SELECT * FROM TABLE(TUMBLE(TABLE pv, DESCRIPTOR(proc), INTERVAL '1' MINUTE))");
    assert_eq!(attrs(&r), "--RP--P");
    // The window table function keeps its input's changelog.
    let r = ok("SELECT * FROM TABLE(TUMBLE(TABLE rates, DESCRIPTOR(upd), INTERVAL '1' MINUTE))");
    assert_eq!(r.changelog, Changelog::Upsert);
    // Named arguments.
    ok("SELECT * FROM TABLE(TUMBLE(DATA => TABLE u, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '1' MINUTE))");
}

#[test]
fn rankings() {
    let dedup = |order: &str, table: &str, part: &str| {
        ok(&format!(
            "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY {part} ORDER BY {order}) AS rn FROM {table}) WHERE rn = 1"
        ))
    };
    // Keeping the first row by processing time is insert-only; any other deduplication
    // updates; the key is the partition keys.
    let r = dedup("proc ASC", "pv", "user_id");
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Insert, key(&["user_id"])));
    let r = dedup("proc DESC", "pv", "user_id");
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, key(&["user_id"])));
    let r = dedup("ts DESC", "u", "id");
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, key(&["id"])));
    assert_eq!(r.updating_cause.as_deref(), Some("the deduplication (ROW_NUMBER, keep the last row) in transform `x`"));
    // A deduplication keeps the time attributes (a window over its result plans).
    assert_eq!(attrs(&r), "---R-");
    // A Top-N is keyed on the partition keys and the row number.
    let r = ok(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY amount DESC) AS rn FROM u) WHERE rn <= 3",
    );
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, key(&["id", "rn"])));
    assert_eq!(r.updating_cause.as_deref(), Some("the Top-N (ROW_NUMBER) in transform `x`"));
    // A Top-N reads updating inputs; a deduplication does not.
    ok(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY country ORDER BY id DESC) AS rn FROM c) WHERE rn <= 2",
    );
    let e = err(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY currency ORDER BY upd DESC) AS rn FROM rates) WHERE rn = 1",
    );
    assert_eq!((e[0].0, e[0].3.as_str()), (Code::E0409, "ROW_NUMBER"));
    // Per window (PARTITION BY window_start, window_end) it is insert-only.
    let r = ok(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY amount DESC) AS rn FROM TABLE(TUMBLE(TABLE u, DESCRIPTOR(ts), INTERVAL '1' MINUTE))) WHERE rn <= 3",
    );
    assert_eq!(r.changelog, Changelog::Insert);
    // Without a filter on the row number it is an OVER aggregation: insert-only, on time.
    let r = ok("SELECT id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts) AS rn FROM u");
    assert_eq!(r.changelog, Changelog::Insert);
    let e = err("SELECT id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY amount) AS rn FROM u");
    assert_eq!((e[0].0, e[0].3.as_str()), (Code::E0314, "amount"));
    // ORDER BY ... LIMIT is a Top-N that keeps the input's key when it sorts on it.
    let r = ok("SELECT * FROM c ORDER BY id LIMIT 5");
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, key(&["id"])));
    assert_eq!(ok("SELECT * FROM u LIMIT 5").changelog, Changelog::Insert);
}

#[test]
fn joins() {
    // Outer interval joins emit inserts only, and keep both sides' time attributes.
    let r = ok(
        "SELECT a.id, b.id AS bid, a.ts, b.ts AS bts FROM u AS a LEFT JOIN u AS b ON a.id = b.id AND a.ts BETWEEN b.ts - INTERVAL '1' HOUR AND b.ts",
    );
    assert_eq!((r.changelog, attrs(&r)), (Changelog::Insert, "--RR".to_string()));
    // One bound only: a regular join, which updates when outer and materializes time.
    let r = ok("SELECT a.id, b.id AS bid, a.ts FROM u AS a LEFT JOIN u AS b ON a.id = b.id AND a.ts > b.ts");
    assert_eq!((r.changelog, attrs(&r)), (Changelog::Upsert, "---".to_string()));
    assert_eq!(r.updating_cause.as_deref(), Some("the LEFT JOIN in transform `x`"));
    // The bounds may stand in WHERE for an inner join.
    let r = ok(
        "SELECT a.id, a.ts FROM u AS a, u AS b WHERE a.id = b.id AND a.ts BETWEEN b.ts - INTERVAL '1' HOUR AND b.ts",
    );
    assert_eq!(attrs(&r), "-R");
    // A temporal join keeps the probe side's changelog, key and time attributes.
    let r = ok(
        "SELECT o.order_id, o.created_at, r.rate, r.upd FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.created_at AS r ON o.status = r.currency",
    );
    assert_eq!((r.changelog, attrs(&r)), (Changelog::Insert, "-R--".to_string()));
    let r = ok(
        "SELECT x.id, d.label FROM (SELECT id, PROCTIME() AS pt FROM c) AS x JOIN dim FOR SYSTEM_TIME AS OF x.pt AS d ON x.id = d.id",
    );
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, key(&["id"])));
    // A LEFT lookup join makes the lookup side nullable.
    let r = ok(
        "SELECT o.order_id, d.id FROM orders AS o LEFT JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d ON o.customer_id = d.id",
    );
    assert_eq!(r.columns[1].ty.to_string(), "BIGINT");
    // A window join is insert-only, also as an outer join.
    let w = "(SELECT * FROM TABLE(TUMBLE(TABLE u, DESCRIPTOR(ts), INTERVAL '1' MINUTE)))";
    let r = ok(&format!(
        "SELECT L.id, R.id AS rid FROM {w} L LEFT JOIN {w} R ON L.id = R.id AND L.window_start = R.window_start AND L.window_end = R.window_end"
    ));
    assert_eq!(r.changelog, Changelog::Insert);
    // A view that projects a lookup table is one too; filtered, it is not (Flink fails to plan
    // the lookup join then).
    ok(
        "WITH v AS (SELECT id, UPPER(label) AS l FROM dim) SELECT o.order_id, v.l FROM orders AS o JOIN v FOR SYSTEM_TIME AS OF o.proc_time ON o.customer_id = v.id",
    );
    let e = err(
        "WITH v AS (SELECT id, label FROM dim WHERE region = 'eu') SELECT o.order_id, v.label FROM orders AS o JOIN v FOR SYSTEM_TIME AS OF o.proc_time ON o.customer_id = v.id",
    );
    assert_eq!(e[0].0, Code::E0316);
    // A versioned table may be projected, not filtered ("Filter is not allowed for right
    // changelog input of event time temporal join"); a deduplicated view may be filtered.
    ok(
        "WITH v AS (SELECT currency, rate * 2 AS r2, upd FROM rates) SELECT o.order_id, v.r2 FROM orders AS o JOIN v FOR SYSTEM_TIME AS OF o.created_at ON o.status = v.currency",
    );
    let e = err(
        "WITH v AS (SELECT currency, rate, upd FROM rates_up WHERE rate > 0) SELECT o.order_id, v.rate FROM orders AS o JOIN v FOR SYSTEM_TIME AS OF o.created_at ON o.status = v.currency",
    );
    assert_eq!(e[0].0, Code::E0316);
    ok(
        "WITH v AS (SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn FROM pv) WHERE rn = 1 AND page <> '') SELECT p.user_id, v.page FROM pv AS p JOIN v FOR SYSTEM_TIME AS OF p.ts ON p.user_id = v.user_id",
    );
    // A USING join sees the key once.
    let r = ok("SELECT * FROM u JOIN c USING (id)");
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "amount", "ts", "country"]);
}

#[test]
fn subqueries() {
    // IN and EXISTS in WHERE are semi joins: insert-only over insert-only inputs, updating
    // with an updating subquery; they materialize the time attributes.
    let r = ok("SELECT id, ts FROM u WHERE id IN (SELECT id FROM dim)");
    assert_eq!((r.changelog, attrs(&r)), (Changelog::Insert, "--".to_string()));
    let r = ok("SELECT id FROM u WHERE id IN (SELECT id FROM c)");
    assert_eq!(r.changelog, Changelog::Upsert);
    assert_eq!(
        r.updating_cause.as_deref(),
        Some("the IN subquery in transform `x` (its input is updating: the debezium-json source `c`)")
    );
    // NOT IN, NOT EXISTS and scalar subqueries are joins that update.
    for sql in [
        "SELECT id FROM u WHERE id NOT IN (SELECT id FROM dim)",
        "SELECT id FROM u WHERE NOT EXISTS (SELECT 1 FROM dim WHERE dim.id = u.id)",
        "SELECT id, (SELECT MAX(label) FROM dim) AS m FROM u",
        "SELECT id, id IN (SELECT id FROM dim) AS f FROM u",
    ] {
        assert_eq!(ok(sql).changelog, Changelog::Upsert, "{sql}");
    }
    let r = ok("SELECT id, (SELECT COUNT(*) FROM dim WHERE dim.id = u.id) AS cnt FROM u");
    assert_eq!(r.columns[1].ty.to_string(), "BIGINT");
}

#[test]
fn time_attributes() {
    let windows_on = |sql: &str, col: &str| {
        diff_run(&format!(
            "WITH x AS ({sql}) SELECT window_start, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE x, DESCRIPTOR({col}), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end"
        ))
        .is_ok()
    };
    // Confirmed in Flink: a window over each of these plans (true) or fails (false).
    assert!(windows_on("SELECT id, ts AS event_time FROM u", "event_time"));
    assert!(windows_on("SELECT id, ts FROM u WHERE id > 0", "ts"));
    assert!(windows_on("SELECT * FROM u LIMIT 5", "ts"));
    assert!(windows_on(
        "SELECT id, ts, SUM(amount) OVER (PARTITION BY id ORDER BY ts ROWS 2 PRECEDING) AS s FROM u",
        "ts"
    ));
    assert!(windows_on("SELECT i, y, ts FROM t CROSS JOIN UNNEST(arr) AS z(y)", "ts"));
    assert!(windows_on(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY amount DESC) AS rn FROM u) WHERE rn <= 2",
        "ts"
    ));
    assert!(windows_on(
        "SELECT user_id, ts FROM pv UNION ALL SELECT CAST(customer_id AS BIGINT), CAST(created_at AS TIMESTAMP_LTZ(3)) FROM orders",
        "ts"
    ));
    assert!(!windows_on(
        "SELECT CAST(customer_id AS BIGINT) AS user_id, CAST(created_at AS TIMESTAMP_LTZ(3)) AS ts FROM orders UNION ALL SELECT user_id, ts FROM pv",
        "ts"
    ));
    assert!(!windows_on("SELECT DISTINCT id, ts FROM u", "ts"));
    assert!(!windows_on("SELECT a.id, a.ts FROM u AS a JOIN u AS b ON a.id = b.id", "ts"));
    assert!(!windows_on("SELECT id, ts FROM u WHERE id IN (SELECT id FROM dim)", "ts"));
    assert!(!windows_on("SELECT id, ts + INTERVAL '1' SECOND AS ts FROM u", "ts"));
    assert!(!windows_on(
        "SELECT o.order_id, r.upd FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.created_at AS r ON o.status = r.currency",
        "upd"
    ));
}

#[test]
fn transforms_chain_like_views() {
    // A window aggregation in one transform and a Top-N per window in the next: Flink
    // inlines the view, so the Top-N is a window Top-N, insert-only.
    let counts = "SELECT window_start, window_end, status, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(created_at), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, status";
    let top = "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY c DESC) AS rn FROM counts) WHERE rn <= 3";
    let r = chain(&[("counts", counts), ("top", top)]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.changelog, Changelog::Insert);
    // A window table function in one transform, aggregated in the next.
    let windowed = "SELECT * FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(created_at), INTERVAL '1' HOUR))";
    let agg = "SELECT window_start, window_end, COUNT(*) AS c FROM windowed GROUP BY window_start, window_end";
    let r = chain(&[("windowed", windowed), ("agg", agg)]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.changelog, Changelog::Insert);
    // A ROW_NUMBER in one transform, filtered in the next: a deduplication.
    let ranked = "SELECT order_id, amount, created_at, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY created_at) AS rn FROM orders";
    let first = "SELECT order_id, amount FROM ranked WHERE rn = 1";
    let r = chain(&[("ranked", ranked), ("first", first)]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((r.changelog, r.unique_key.clone()), (Changelog::Upsert, key(&["order_id"])));
    // Read without a filter it stays an OVER aggregation.
    let r = chain(&[("ranked", ranked), ("all", "SELECT * FROM ranked")]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.changelog, Changelog::Insert);
}

/// The streaming diagnostics point at the token to fix: the SQL block starts at line 10,
/// column 8 of the file.
#[test]
fn streaming_diagnostic_positions() {
    let cases: &[(&str, Code, (usize, usize), &str)] = &[
        // A window on a column that lost its time attribute in a regular join.
        (
            "WITH j AS (SELECT o.order_id, o.created_at FROM orders AS o JOIN customers AS c ON o.customer_id = c.id)\nSELECT window_start, COUNT(*) AS c\nFROM TABLE(TUMBLE(TABLE j, DESCRIPTOR(created_at), INTERVAL '1' MINUTE))\nGROUP BY window_start, window_end",
            Code::E0314,
            (12, 35),
            "DESCRIPTOR(created_at",
        ),
        (
            "SELECT o.order_id\nFROM orders AS o\nJOIN customers FOR SYSTEM_TIME AS OF o.created_at AS c ON o.customer_id = c.id",
            Code::E0316,
            (12, 13),
            "customers",
        ),
        (
            "SELECT o.order_id\nFROM orders AS o\nJOIN rates FOR SYSTEM_TIME AS OF o.proc_time AS r ON o.status = r.currency",
            Code::E0316,
            (12, 41),
            "o.proc_time",
        ),
        (
            "SELECT a.currency\nFROM rates AS a\nJOIN rates AS b ON a.currency = b.currency AND a.upd BETWEEN b.upd - INTERVAL '1' HOUR AND b.upd",
            Code::E0409,
            (12, 55),
            "a.upd BETWEEN",
        ),
        ("SELECT id\nFROM u\nORDER BY id DESC", Code::E0315, (12, 17), "id"),
        (
            "SELECT window_start, COUNT(*) AS c\nFROM TABLE(TUMBLE(TABLE u, DESCRIPTOR(ts), INTERVAL '100' MINUTE))\nGROUP BY window_start, window_end",
            Code::E0305,
            (11, 60),
            "'100'",
        ),
        (
            "SELECT * FROM (\n  SELECT *, RANK() OVER (PARTITION BY id ORDER BY amount) AS rk FROM u)\nWHERE rk <= 3",
            Code::E0315,
            (11, 20),
            "RANK",
        ),
    ];
    for (sql, code, at, text) in cases {
        let e = err(sql);
        let d = e.iter().find(|x| x.0 == *code).unwrap_or_else(|| panic!("{sql}: no {code:?} in {e:?}"));
        assert_eq!(((d.1, d.2), d.3.starts_with(text)), (*at, true), "{sql}: {d:?}");
    }
    let _ = first("SELECT id FROM u ORDER BY id");
}

#[test]
fn flink_streaming_limits() {
    let code = |sql: &str| err(sql)[0].0;
    assert_eq!(code("SELECT order_id FROM orders OFFSET 2 ROWS"), Code::E0315);
    assert_eq!(
        code("SELECT order_id, LEAD(amount) OVER (PARTITION BY status ORDER BY created_at) AS n FROM orders"),
        Code::E0315
    );
    assert_eq!(
        code("SELECT SUM(amount) OVER (ORDER BY created_at ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s FROM orders"),
        Code::E0315
    );
    assert_eq!(
        code(
            "SELECT SUM(amount) OVER (ORDER BY created_at) AS s, COUNT(*) OVER (PARTITION BY status ORDER BY created_at) AS c FROM orders"
        ),
        Code::E0315
    );
    assert_eq!(
        code(
            "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY amount) AS rn FROM orders) WHERE rn > 5"
        ),
        Code::E0315
    );
    assert_eq!(
        code("SELECT * FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(created_at), INTERVAL '1' MONTH))"),
        Code::E0315
    );
    assert_eq!(
        code(
            "SELECT * FROM TABLE(CUMULATE(TABLE orders, DESCRIPTOR(created_at), INTERVAL '7' MINUTE, INTERVAL '1' HOUR))"
        ),
        Code::E0315
    );
    assert_eq!(
        code(
            "SELECT o.order_id FROM orders AS o RIGHT JOIN dim FOR SYSTEM_TIME AS OF o.proc_time AS d ON o.customer_id = d.id"
        ),
        Code::E0315
    );
    assert_eq!(code("SELECT id, SUM(v) OVER (PARTITION BY id ORDER BY id) AS s FROM up"), Code::E0314);
    assert_eq!(code("SELECT CURRENT_WATERMARK(proc_time) AS w FROM orders"), Code::E0314);
    // Flink: "CUME_DIST Function is not supported in stream mode."
    assert_eq!(code("SELECT CUME_DIST() OVER (ORDER BY created_at) AS x FROM orders"), Code::E0315);
    // Flink: "StreamPhysicalOverAggregate doesn't support consuming update changes which is
    // produced by node GroupAggregate".
    assert_eq!(
        code("SELECT status, SUM(COUNT(*)) OVER (ORDER BY status) AS x FROM orders GROUP BY status"),
        Code::E0409
    );
}
