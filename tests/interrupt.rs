//! A build killed at any moment (SIGKILL: no clean-up runs) leaves the output folder exactly as it
//! was or exactly as the finished build leaves it, files pipec did not write included; the next
//! build completes and removes what the killed one left beside the folder.
//!
//! The kills fall at evenly spread moments of a build, from its start to past its end; the
//! build is large enough (hundreds of files, each synced to disk) that most land while it
//! writes. `cargo test --test interrupt -- --nocapture` prints what each kill found.
#![allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Every file (with its bytes) and directory (`None`) under `dir`; `None` if it does not exist.
type Tree = BTreeMap<String, Option<Vec<u8>>>;

fn tree(dir: &Path) -> Option<Tree> {
    fn walk(dir: &Path, rel: &str, into: &mut Tree) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).expect("readable").flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            let kind = e.file_type().expect("file type");
            assert!(!kind.is_symlink(), "{path} is a link");
            if kind.is_dir() {
                into.insert(path.clone(), None);
                walk(&e.path(), &path, into);
            } else {
                into.insert(path, Some(std::fs::read(e.path()).expect("readable")));
            }
        }
    }
    if !dir.exists() {
        return None;
    }
    let mut t = Tree::new();
    walk(dir, "", &mut t);
    Some(t)
}

/// An input folder of `n` pipelines; `version` changes every pipeline's SQL, so that a build of
/// the other version rewrites most files.
fn input(root: &Path, version: &str, n: usize) -> PathBuf {
    let dir = root.join(format!("input-{version}"));
    std::fs::create_dir_all(&dir).expect("input dir");
    std::fs::copy(common::root().join("pipelines/platform.yaml"), dir.join("platform.yaml")).expect("platform");
    for i in 0..n {
        let text = format!(
            "apiVersion: pipec/v1alpha1\nkind: Pipeline\nmetadata: {{ name: p{i:03} }}\nspec:\n  sources:\n    - name: customers\n      \
             postgresCdc: {{ cluster: fabric-postgres, database: shop, table: public.customers }}\n      columns:\n        \
             - {{ name: id, type: BIGINT NOT NULL }}\n        - {{ name: country, type: STRING }}\n      primaryKey: [id]\n  \
             transforms:\n    - name: t\n      sql: SELECT id, UPPER(country) AS country FROM customers -- version {version}\n  \
             sinks:\n    - name: out\n      from: t\n      kafka: {{ cluster: main, topic: crm.countries-{i:03}, format: json, \
             manage: {{ partitions: 1, replicas: 1 }} }}\n      primaryKey: [id]\n"
        );
        std::fs::write(dir.join(format!("p{i:03}.yaml")), text).expect("pipeline");
    }
    dir
}

fn build(input: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_pipec"))
        .args(["build", input.to_str().expect("utf-8"), "-o", out.to_str().expect("utf-8")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pipec starts")
}

/// Entries beside the output folder other than the inputs and reference folders.
fn leftovers(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root)
        .expect("readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect();
    v.sort();
    v
}

/// The files a user keeps in the output folder; pipec never removes them.
fn add_user_files(out: &Path) {
    std::fs::write(out.join("NOTES.md"), "kept\n").expect("user file");
    std::fs::write(out.join("p000").join("mine.txt"), "kept too\n").expect("user file");
}

#[test]
fn a_killed_build_leaves_the_folder_as_before_or_as_after() {
    let root = std::env::temp_dir().join(format!("pipec-interrupt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("temp dir");
    let pipelines = 40;
    let inputs = [input(&root, "a", pipelines), input(&root, "b", pipelines)];

    // What each version's finished build leaves, user files included.
    let mut expected = Vec::new();
    for (k, dir) in inputs.iter().enumerate() {
        let reference = root.join(format!("reference-{k}"));
        assert!(build(dir, &reference).wait().expect("pipec runs").success());
        add_user_files(&reference);
        expected.push(tree(&reference).expect("reference tree"));
    }
    assert_ne!(expected[0], expected[1]);

    // The output folder starts as version a; a timed build of b gives the span to kill in.
    let out = root.join("out");
    assert!(build(&inputs[0], &out).wait().expect("pipec runs").success());
    add_user_files(&out);
    assert_eq!(tree(&out).as_ref(), Some(&expected[0]));
    let started = Instant::now();
    assert!(build(&inputs[1], &out).wait().expect("pipec runs").success());
    let span = started.elapsed();
    assert_eq!(tree(&out).as_ref(), Some(&expected[1]));

    let kills = 30;
    let mut current = 1;
    let (mut before, mut after, mut mid_write) = (0, 0, 0);
    for k in 0..kills {
        let target = 1 - current;
        // Evenly from the start of the build to a fifth past its usual end.
        let delay = span.mul_f64(1.2 * (f64::from(k) + 0.5) / f64::from(kills));
        let mut child = build(&inputs[target], &out);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; it may have finished already
        let status = child.wait().expect("pipec ends");
        let left = leftovers(&root);
        let now = tree(&out);
        let outcome = if now.as_ref() == Some(&expected[current]) {
            before += 1;
            "as before"
        } else if now.as_ref() == Some(&expected[target]) {
            after += 1;
            current = target;
            "as after"
        } else {
            let diff: Vec<&String> = match &now {
                Some(t) => t.keys().filter(|p| expected[current].get(*p) != t.get(*p)).take(5).collect(),
                None => vec![],
            };
            panic!(
                "kill {k} after {delay:?} ({status}): the output folder is neither the previous nor the new build \
                 (exists: {}, first differences: {diff:?}, beside it: {left:?})",
                now.is_some()
            );
        };
        if !left.is_empty() {
            mid_write += 1;
        }
        println!("kill {k:2} after {:5} ms: {outcome}, {status}, beside the folder: {left:?}", delay.as_millis());
    }
    println!(
        "{kills} kills over a build of {} ms: {before} as before, {after} as after, {mid_write} mid-write",
        span.as_millis()
    );
    assert_eq!(before + after, kills);
    assert!(mid_write > 0, "no kill landed while the build was writing; the test proves nothing");

    // The next build finishes the job and removes the killed builds' work folders.
    let target = 1 - current;
    assert!(build(&inputs[target], &out).wait().expect("pipec runs").success());
    assert_eq!(tree(&out).as_ref(), Some(&expected[target]));
    assert_eq!(leftovers(&root), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&root);
}
