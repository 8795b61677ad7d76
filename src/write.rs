//! The output writer: puts the files of one build into the output folder, atomically.
//!
//! [`write()`] is the only place where pipec changes the file system. It builds the complete new
//! tree in a sibling work folder, syncs it to disk and swaps it in, so that the output folder is
//! at every moment either exactly the previous build or exactly the new one. On Linux the swap is
//! one atomic exchange of the two folders (`renameat2` with `RENAME_EXCHANGE`); elsewhere, or on
//! a file system without it, it is two renames, and a crash between them is repaired by the next
//! run. Files pipec did not write are
//! carried over untouched; files that the previous `manifest.json` lists and the new build lacks
//! are pruned. A build that changes nothing leaves the folder alone, so modification times stay.
//! [`check`] tells `pipec build --check` what differs, and only reads.
//!
//! **Architecture Invariant:** every path this module changes is the output folder, a path
//! inside it made of validated components, or one of its sibling work folders
//! `.<name>.pipec-tmp-<pid>` and `.<name>.pipec-old-<pid>`. Symbolic links inside the output
//! folder are refused rather than followed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The name of the manifest at the root of the output folder.
const MANIFEST: &str = "manifest.json";

/// The prefix of every hash in the manifest.
const HASH_PREFIX: &str = "sha256:";

/// Everything one build produces: a relative path (always with `/`, no `..`, no leading `/`)
/// mapped to the bytes of the file.
///
/// `manifest.json` at the root is one of the files and is rendered by the caller. It is a JSON
/// object whose key `"files"` is an object that maps every other path of the build to
/// `"sha256:<hex>"` of its bytes (see [`sha256_hex`]). [`write()`] refuses an output whose manifest
/// does not match its files, because the next build prunes by that list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The SHA-256 of `bytes` as lower-case hex, as the manifest records it after `sha256:`.
#[expect(clippy::indexing_slicing, reason = "a nibble is below 16, the length of `DIGITS`")]
pub fn sha256_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest.iter() {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// Why the output folder could not be written or checked.
///
/// `path` is relative to the output folder: `.` is the folder itself, `..` its parent, and
/// `../.<name>.pipec-tmp-<pid>` one of the sibling work folders.
#[derive(Debug)]
pub enum WriteError {
    /// The file system refused an operation.
    Io { path: String, source: io::Error },
    /// Writing would leave the output folder's jail or destroy something pipec did not write.
    Unsafe { path: String, reason: String },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io { path, source } => {
                write!(f, "file system error on {}: {source}", Place(path))
            }
            WriteError::Unsafe { path, reason } => {
                write!(f, "refusing to write {}: {reason}", Place(path))
            }
        }
    }
}

/// A path relative to the output folder, as messages name it.
struct Place<'a>(&'a str);

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            "." => f.write_str("the output folder"),
            ".." => f.write_str("the output folder's parent"),
            path => write!(f, "`{path}` in the output folder"),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io { source, .. } => Some(source),
            WriteError::Unsafe { .. } => None,
        }
    }
}

/// What [`write()`] did, each list holding sorted paths relative to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files of the build that were new or whose bytes changed.
    pub written: Vec<String>,
    /// Files of the build whose bytes were already in place.
    pub unchanged: Vec<String>,
    /// Files the previous manifest listed that the build no longer produces.
    pub removed: Vec<String>,
}

/// One difference between the output folder and a build, as [`check`] reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Drift {
    /// The build has this file and the folder does not.
    Missing(String),
    /// The folder has this file with other bytes than the build.
    Changed(String),
    /// The previous manifest lists this file and the build lacks it, so [`write()`] would prune it.
    Stale(String),
}

impl Drift {
    /// The path the difference is about, relative to the output folder.
    pub fn path(&self) -> &str {
        match self {
            Drift::Missing(path) | Drift::Changed(path) | Drift::Stale(path) => path,
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Missing(path) => write!(f, "`{path}` is missing"),
            Drift::Changed(path) => write!(f, "`{path}` differs from what the build writes"),
            Drift::Stale(path) => write!(f, "`{path}` is no longer produced and would be removed"),
        }
    }
}

/// Writes `output` into `out_dir` atomically and returns what changed.
///
/// The parent of `out_dir` must exist; `out_dir` itself need not. Nothing is touched when a path
/// of `output` is unsafe or its manifest does not match its files. When every file is already in
/// place and nothing is to be pruned, the folder is left alone.
pub fn write(out_dir: &Path, output: &Output) -> Result<WriteReport, WriteError> {
    validate(output)?;
    let layout = Layout::new(out_dir)?;
    recover(&layout)?;
    let tree = scan(out_dir)?;
    let previous = previous_manifest(out_dir, tree.as_ref())?;
    let plan = plan(out_dir, tree.as_ref(), output, &previous)?;
    if tree.is_some() && plan.report.written.is_empty() && plan.report.removed.is_empty() {
        return Ok(plan.report);
    }
    if let Err(error) = build(&layout, tree.as_ref(), &plan) {
        // Removing the work folder is best effort: the next run removes what is left.
        let _ = remove_tree(&layout.tmp, &layout.tmp_label);
        return Err(error);
    }
    swap(&layout, tree.is_some())?;
    Ok(plan.report)
}

/// Lists what differs between `out_dir` and `output`, sorted by path; empty means up to date.
///
/// It only reads. A folder left half-swapped by a crash is not repaired here: its files are
/// reported missing until the next [`write()`].
pub fn check(out_dir: &Path, output: &Output) -> Result<Vec<Drift>, WriteError> {
    validate(output)?;
    Layout::new(out_dir)?;
    let tree = scan(out_dir)?;
    let previous = previous_manifest(out_dir, tree.as_ref())?;
    let existing = tree.as_ref().map(|tree| &tree.files);
    let mut drift = Vec::new();
    for (path, bytes) in &output.files {
        if !existing.is_some_and(|files| files.contains(path)) {
            drift.push(Drift::Missing(path.clone()));
        } else if read(out_dir, path)? != *bytes {
            drift.push(Drift::Changed(path.clone()));
        }
    }
    for path in existing.into_iter().flatten() {
        if !output.files.contains_key(path) && previous.contains(path) {
            drift.push(Drift::Stale(path.clone()));
        }
    }
    drift.sort_by(|a, b| a.path().cmp(b.path()).then_with(|| a.cmp(b)));
    Ok(drift)
}

/// Checks every path of `output` and its manifest before anything is touched.
fn validate(output: &Output) -> Result<(), WriteError> {
    // Paths that differ only in letter case collide on case-insensitive file systems, so the
    // same build would give different trees on different machines.
    let mut folded: BTreeMap<String, &str> = BTreeMap::new();
    for path in output.files.keys() {
        validate_path(path)?;
        for prefix in prefixes(path).chain(std::iter::once(path.as_str())) {
            let other = *folded.entry(prefix.to_ascii_lowercase()).or_insert(prefix);
            if other != prefix {
                return Err(unsafe_path(prefix, format!("it differs from `{other}` only in letter case")));
            }
        }
        if let Some(file) = prefixes(path).find(|prefix| output.files.contains_key(*prefix)) {
            return Err(unsafe_path(file, format!("it is a file but `{path}` needs a directory")));
        }
    }

    let manifest = output
        .files
        .get(MANIFEST)
        .ok_or_else(|| unsafe_path(MANIFEST, "the build has no manifest, so no later build could prune".into()))?;
    let listed = manifest_files(manifest)
        .map_err(|reason| unsafe_path(MANIFEST, format!("the new manifest is unusable: {reason}")))?;
    for (path, bytes) in &output.files {
        if path == MANIFEST {
            continue;
        }
        match listed.get(path) {
            None => {
                return Err(unsafe_path(path, "the new manifest does not list it".into()));
            }
            Some(Value::String(hash)) if hash.strip_prefix(HASH_PREFIX) == Some(sha256_hex(bytes).as_str()) => {}
            Some(_) => {
                return Err(unsafe_path(path, "its hash in the new manifest is wrong".into()));
            }
        }
    }
    if let Some(path) = listed.keys().find(|path| *path == MANIFEST || !output.files.contains_key(*path)) {
        return Err(unsafe_path(path, "the new manifest lists it but the build lacks it".into()));
    }
    Ok(())
}

/// Checks one path of the build: relative, `/`-separated components of `[A-Za-z0-9._-]`.
fn validate_path(path: &str) -> Result<(), WriteError> {
    for component in path.split('/') {
        let reason = if component.is_empty() {
            "it has an empty component (a leading, trailing or doubled `/`)"
        } else if component == "." || component == ".." {
            "it has a `.` or `..` component"
        } else if !component.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
            "a component has a character outside `A-Z a-z 0-9 . _ -`"
        } else {
            continue;
        };
        return Err(unsafe_path(path, reason.into()));
    }
    Ok(())
}

/// The proper ancestors of a relative path, shortest first: `a`, `a/b` for `a/b/c`.
fn prefixes(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').filter_map(move |(index, _)| path.get(..index))
}

/// Reads the `"files"` object of a manifest.
fn manifest_files(bytes: &[u8]) -> Result<serde_json::Map<String, Value>, String> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(mut top)) => match top.remove("files") {
            Some(Value::Object(files)) => Ok(files),
            Some(_) => Err("its \"files\" is not an object".into()),
            None => Err("it has no \"files\" object".into()),
        },
        Ok(_) => Err("it is not a json object".into()),
        Err(error) => Err(format!("it is not valid json ({error})")),
    }
}

/// Where the output folder and its sibling work folders are.
struct Layout {
    out_dir: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: PathBuf,
    tmp_label: String,
    old: PathBuf,
    old_label: String,
}

impl Layout {
    fn new(out_dir: &Path) -> Result<Layout, WriteError> {
        let name = match out_dir.file_name().map(|name| name.to_str()) {
            Some(Some(name)) => name.to_owned(),
            Some(None) => return Err(unsafe_path(".", "its name is not valid utf-8".into())),
            None => return Err(unsafe_path(".", "its path does not end in a name".into())),
        };
        let parent = match out_dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let pid = std::process::id();
        let tmp_name = format!(".{name}.pipec-tmp-{pid}");
        let old_name = format!(".{name}.pipec-old-{pid}");
        Ok(Layout {
            out_dir: out_dir.to_path_buf(),
            tmp: parent.join(&tmp_name),
            tmp_label: format!("../{tmp_name}"),
            old: parent.join(&old_name),
            old_label: format!("../{old_name}"),
            parent,
            name,
        })
    }
}

/// Repairs what a crashed run left next to the output folder.
///
/// Work folders of unfinished builds are removed. A previous folder that was renamed away is
/// restored when the output folder is missing (a crash between the two renames of the swap),
/// and removed when the output folder is in place (a crash before the clean-up).
fn recover(layout: &Layout) -> Result<(), WriteError> {
    let tmp_prefix = format!(".{}.pipec-tmp-", layout.name);
    let old_prefix = format!(".{}.pipec-old-", layout.name);
    let is_pid = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    let entries = fs::read_dir(&layout.parent).map_err(|source| io_error("..", source))?;
    let mut olds = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| io_error("..", source))?;
        // Names that are not UTF-8 cannot be one of ours.
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.strip_prefix(&tmp_prefix).is_some_and(is_pid) {
            remove_tree(&entry.path(), &format!("../{name}"))?;
        } else if name.strip_prefix(&old_prefix).is_some_and(is_pid) {
            olds.push(name);
        }
    }
    if olds.is_empty() {
        return Ok(());
    }
    olds.sort();
    let out_exists = match fs::symlink_metadata(&layout.out_dir) {
        Ok(_) => true,
        Err(error) if error.kind() == io::ErrorKind::NotFound => false,
        Err(source) => return Err(io_error(".", source)),
    };
    if out_exists {
        for name in &olds {
            remove_tree(&layout.parent.join(name), &format!("../{name}"))?;
        }
        return Ok(());
    }
    let [name] = olds.as_slice() else {
        return Err(unsafe_path(
            ".",
            format!(
                "it is missing and several earlier copies exist ({}); rename the one to keep to `{}`",
                olds.join(", "),
                layout.name
            ),
        ));
    };
    let label = format!("../{name}");
    let old = layout.parent.join(name);
    let meta = fs::symlink_metadata(&old).map_err(|source| io_error(&label, source))?;
    if !meta.is_dir() {
        return Err(unsafe_path(&label, "an earlier copy of the output folder is not a directory".into()));
    }
    rename("restore", &old, &layout.out_dir, &label)?;
    sync_dir(&layout.parent, "..")
}

/// What is in the output folder now.
struct Tree {
    /// Every regular file, by relative path.
    files: BTreeSet<String>,
    /// Every directory below the root, with its permissions and whether it has no entries.
    dirs: BTreeMap<String, (fs::Permissions, bool)>,
    /// The permissions of the root.
    root: fs::Permissions,
}

/// Reads the output folder's tree; `None` when the folder does not exist.
fn scan(out_dir: &Path) -> Result<Option<Tree>, WriteError> {
    let meta = match fs::symlink_metadata(out_dir) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io_error(".", source)),
    };
    if meta.file_type().is_symlink() {
        return Err(unsafe_path(".", "it is a symbolic link".into()));
    }
    if !meta.is_dir() {
        return Err(unsafe_path(".", "it is not a directory".into()));
    }
    let mut tree = Tree { files: BTreeSet::new(), dirs: BTreeMap::new(), root: meta.permissions() };
    scan_dir(out_dir, "", &mut tree)?;
    Ok(Some(tree))
}

/// Adds the entries of one directory to `tree` and tells whether it had any.
fn scan_dir(dir: &Path, rel: &str, tree: &mut Tree) -> Result<bool, WriteError> {
    let label = if rel.is_empty() { "." } else { rel };
    let entries = fs::read_dir(dir).map_err(|source| io_error(label, source))?;
    let mut any = false;
    for entry in entries {
        any = true;
        let entry = entry.map_err(|source| io_error(label, source))?;
        let Ok(name) = entry.file_name().into_string() else {
            return Err(unsafe_path(label, "a file name in it is not valid utf-8".into()));
        };
        let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        // The file type of a directory entry does not follow symbolic links.
        let kind = entry.file_type().map_err(|source| io_error(&child, source))?;
        if kind.is_symlink() {
            return Err(unsafe_path(&child, "symbolic links inside the output folder are refused".into()));
        } else if kind.is_dir() {
            let meta = entry.metadata().map_err(|source| io_error(&child, source))?;
            let has_entries = scan_dir(&entry.path(), &child, tree)?;
            tree.dirs.insert(child, (meta.permissions(), !has_entries));
        } else if kind.is_file() {
            tree.files.insert(child);
        } else {
            return Err(unsafe_path(&child, "it is neither a regular file nor a directory".into()));
        }
    }
    Ok(any)
}

/// The paths the manifest in the output folder lists: the files pipec wrote last time.
fn previous_manifest(out_dir: &Path, tree: Option<&Tree>) -> Result<BTreeSet<String>, WriteError> {
    if !tree.is_some_and(|tree| tree.files.contains(MANIFEST)) {
        return Ok(BTreeSet::new());
    }
    let bytes = read(out_dir, MANIFEST)?;
    let files = manifest_files(&bytes).map_err(|reason| {
        unsafe_path(
            MANIFEST,
            format!(
                "the previous manifest is unusable, so pipec cannot tell which files it wrote: \
                 {reason}; repair or delete it"
            ),
        )
    })?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// Where a file of the new tree comes from.
enum Source<'a> {
    /// The file at the same path in the output folder, carried over unchanged.
    Keep,
    /// These bytes of the build.
    New(&'a [u8]),
}

/// The complete new tree and the report that describes it.
struct Plan<'a> {
    dirs: BTreeSet<String>,
    files: BTreeMap<String, Source<'a>>,
    report: WriteReport,
}

/// Decides the new tree: the build's files, plus every existing file pipec did not write.
fn plan<'a>(
    out_dir: &Path,
    tree: Option<&Tree>,
    output: &'a Output,
    previous: &BTreeSet<String>,
) -> Result<Plan<'a>, WriteError> {
    let mut files = BTreeMap::new();
    let mut report = WriteReport::default();
    for (path, bytes) in &output.files {
        if tree.is_some_and(|tree| tree.files.contains(path)) && read(out_dir, path)? == *bytes {
            files.insert(path.clone(), Source::Keep);
            report.unchanged.push(path.clone());
        } else {
            files.insert(path.clone(), Source::New(bytes));
            report.written.push(path.clone());
        }
    }
    let mut dirs = BTreeSet::new();
    if let Some(tree) = tree {
        for path in &tree.files {
            if output.files.contains_key(path) {
                continue;
            }
            if path == MANIFEST || previous.contains(path) {
                report.removed.push(path.clone());
            } else {
                files.insert(path.clone(), Source::Keep);
            }
        }
        // A directory that was empty is kept; one that pruning empties goes.
        for (dir, (_, empty)) in &tree.dirs {
            if *empty {
                dirs.insert(dir.clone());
                dirs.extend(prefixes(dir).map(str::to_owned));
            }
        }
    }
    for path in files.keys() {
        dirs.extend(prefixes(path).map(str::to_owned));
    }
    if let Some(path) = files.keys().find(|path| dirs.contains(*path)) {
        let reason = if output.files.contains_key(path) {
            "a directory holding files pipec did not write is in the way"
        } else {
            "it is a file pipec did not write, and the build needs a directory there"
        };
        return Err(unsafe_path(path, reason.into()));
    }
    Ok(Plan { dirs, files, report })
}

/// Builds the new tree in the work folder and syncs it to disk.
fn build(layout: &Layout, tree: Option<&Tree>, plan: &Plan<'_>) -> Result<(), WriteError> {
    create_dir(&layout.tmp, &layout.tmp_label)?;
    for dir in &plan.dirs {
        create_dir(&layout.tmp.join(dir), dir)?;
    }
    for (path, source) in &plan.files {
        let target = layout.tmp.join(path);
        match source {
            Source::Keep => link_or_copy(&layout.out_dir.join(path), &target, path)?,
            Source::New(bytes) => write_new(&target, bytes, path)?,
        }
    }
    // Children sort after their parents, so the reverse order syncs every directory after its
    // entries. Permissions are copied last, so that a read-only directory could be filled.
    for dir in plan.dirs.iter().rev() {
        let path = layout.tmp.join(dir);
        if let Some((permissions, _)) = tree.and_then(|tree| tree.dirs.get(dir)) {
            set_permissions(&path, permissions, dir)?;
        }
        sync_dir(&path, dir)?;
    }
    if let Some(tree) = tree {
        set_permissions(&layout.tmp, &tree.root, &layout.tmp_label)?;
    }
    sync_dir(&layout.tmp, &layout.tmp_label)
}

/// Puts the work folder in place of the output folder.
///
/// Until the second rename succeeds the output folder is the previous one: a failure before it
/// puts everything back. After it, the output folder is the new one and a failed clean-up is
/// left to the next run.
fn swap(layout: &Layout, out_exists: bool) -> Result<(), WriteError> {
    if out_exists {
        match exchange(&layout.tmp, &layout.out_dir) {
            Ok(true) => {
                // One step: the output folder is the new tree, the work folder holds the previous
                // one, which goes (or the next run removes it with the other work folders).
                let synced = sync_dir(&layout.parent, "..");
                let _ = remove_tree(&layout.tmp, &layout.tmp_label);
                return synced;
            }
            Ok(false) => {}
            Err(source) => {
                let _ = remove_tree(&layout.tmp, &layout.tmp_label);
                return Err(io_error(".", source));
            }
        }
        if let Err(error) = rename("swap out", &layout.out_dir, &layout.old, ".") {
            let _ = remove_tree(&layout.tmp, &layout.tmp_label);
            return Err(error);
        }
    }
    if let Err(error) = rename("swap in", &layout.tmp, &layout.out_dir, &layout.tmp_label) {
        // Both steps are best effort: if they fail, the next run restores and removes.
        if out_exists {
            let _ = rename("restore", &layout.old, &layout.out_dir, &layout.old_label);
        }
        let _ = remove_tree(&layout.tmp, &layout.tmp_label);
        return Err(error);
    }
    let synced = sync_dir(&layout.parent, "..");
    if out_exists {
        // The previous folder is no longer visible; the next run removes it if this fails.
        let _ = remove_tree(&layout.old, &layout.old_label);
    }
    synced
}

/// Reads a file of the output folder.
fn read(out_dir: &Path, path: &str) -> Result<Vec<u8>, WriteError> {
    fs::read(out_dir.join(path)).map_err(|source| io_error(path, source))
}

/// Creates one directory.
fn create_dir(path: &Path, label: &str) -> Result<(), WriteError> {
    fault("create dir").and_then(|()| fs::create_dir(path)).map_err(|source| io_error(label, source))
}

/// Creates a file that must not exist yet, writes `bytes` and syncs it.
fn write_new(path: &Path, bytes: &[u8], label: &str) -> Result<(), WriteError> {
    let write = || {
        fault("write")?;
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    write().map_err(|source| io_error(label, source))
}

/// Carries a file over: a hard link keeps its bytes, permissions and modification time without
/// copying; where links are not supported, the file is copied and synced.
fn link_or_copy(from: &Path, to: &Path, label: &str) -> Result<(), WriteError> {
    let copy = || {
        fault("link")?;
        if fs::hard_link(from, to).is_ok() {
            return Ok(());
        }
        let mut source = fs::File::open(from)?;
        let permissions = source.metadata()?.permissions();
        let mut target = fs::OpenOptions::new().write(true).create_new(true).open(to)?;
        io::copy(&mut source, &mut target)?;
        target.sync_all()?;
        drop(target);
        fs::set_permissions(to, permissions)
    };
    copy().map_err(|source| io_error(label, source))
}

/// Gives a directory of the work folder the permissions of its predecessor.
fn set_permissions(path: &Path, permissions: &fs::Permissions, label: &str) -> Result<(), WriteError> {
    fault("chmod")
        .and_then(|()| fs::set_permissions(path, permissions.clone()))
        .map_err(|source| io_error(label, source))
}

/// Syncs a directory, so that the entries made in it survive a crash.
fn sync_dir(path: &Path, label: &str) -> Result<(), WriteError> {
    let sync = || {
        fault("sync dir")?;
        // Only Unix lets a directory be opened and synced; elsewhere the rename must do.
        #[cfg(unix)]
        fs::File::open(path)?.sync_all()?;
        #[cfg(not(unix))]
        let _ = path;
        Ok(())
    };
    sync().map_err(|source| io_error(label, source))
}

/// Swaps two directories in one atomic step where the system can: Linux's `renameat2` with
/// `RENAME_EXCHANGE`. `Ok(false)` where it cannot (another system, a file system without it),
/// and the caller renames twice.
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    fault("exchange")?;
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Renames a file or directory; `kind` names the step for failure injection.
fn rename(kind: &'static str, from: &Path, to: &Path, label: &str) -> Result<(), WriteError> {
    fault(kind).and_then(|()| fs::rename(from, to)).map_err(|source| io_error(label, source))
}

/// Removes a directory with everything in it, or a single file; symbolic links are not followed.
fn remove_tree(path: &Path, label: &str) -> Result<(), WriteError> {
    let remove = || {
        fault("remove")?;
        if fs::symlink_metadata(path)?.is_dir() { fs::remove_dir_all(path) } else { fs::remove_file(path) }
    };
    remove().map_err(|source| io_error(label, source))
}

/// An [`WriteError::Io`] about `path`, relative to the output folder.
fn io_error(path: &str, source: io::Error) -> WriteError {
    WriteError::Io { path: path.to_owned(), source }
}

/// An [`WriteError::Unsafe`] about `path`, relative to the output folder.
fn unsafe_path(path: &str, reason: String) -> WriteError {
    WriteError::Unsafe { path: path.to_owned(), reason }
}

/// Fails when a test asked for a failure at this file operation; a no-op otherwise.
fn fault(kind: &'static str) -> io::Result<()> {
    #[cfg(test)]
    fault::hit(kind)?;
    #[cfg(not(test))]
    let _ = kind;
    Ok(())
}

/// Failure injection for tests: every operation that changes the file system counts, and the
/// armed one fails (with `crash`, every later one fails too, as if the process had died).
#[cfg(test)]
mod fault {
    use std::cell::{Cell, RefCell};
    use std::io;

    thread_local! {
        static COUNT: Cell<usize> = const { Cell::new(0) };
        static ARMED: Cell<Option<(usize, bool)>> = const { Cell::new(None) };
        static LOG: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }

    /// Counts one operation and fails it if it is armed.
    pub(super) fn hit(kind: &'static str) -> io::Result<()> {
        let index = COUNT.get();
        COUNT.set(index + 1);
        LOG.with_borrow_mut(|log| log.push(kind));
        match ARMED.get() {
            Some((at, crash)) if index == at || (crash && index > at) => {
                Err(io::Error::other(format!("injected failure at operation {index} ({kind})")))
            }
            _ => Ok(()),
        }
    }

    /// Resets the count and arms operation `at` (or nothing) to fail.
    pub(super) fn arm(at: Option<usize>, crash: bool) {
        COUNT.set(0);
        LOG.with_borrow_mut(Vec::clear);
        ARMED.set(at.map(|at| (at, crash)));
    }

    /// The kinds of the operations counted since the last [`arm`].
    pub(super) fn log() -> Vec<&'static str> {
        LOG.with_borrow(Clone::clone)
    }
}

#[cfg(test)]
// Tests fail loudly on an unexpected error, which is what `unwrap` is for.
#[allow(clippy::unwrap_used, clippy::string_slice, clippy::indexing_slicing, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, SystemTime};

    /// A fresh folder under the system's temporary folder, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Scratch {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("pipec-write-{}-{test}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir(&dir).unwrap();
            Scratch(dir)
        }

        fn out(&self) -> PathBuf {
            self.0.join("generated")
        }

        /// The names in the scratch folder, so that tests see leftover work folders.
        fn siblings(&self) -> Vec<String> {
            let mut names: Vec<String> =
                fs::read_dir(&self.0).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
            names.sort();
            names
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// A build of these files, with a manifest that lists them.
    fn output(files: &[(&str, &str)]) -> Output {
        let mut listed = serde_json::Map::new();
        let mut out = Output::default();
        for (path, text) in files {
            let hash = format!("{HASH_PREFIX}{}", sha256_hex(text.as_bytes()));
            listed.insert((*path).to_owned(), Value::String(hash));
            out.files.insert((*path).to_owned(), text.as_bytes().to_vec());
        }
        let manifest = serde_json::json!({ "version": 1, "files": listed });
        out.files.insert(MANIFEST.to_owned(), serde_json::to_vec_pretty(&manifest).unwrap());
        out
    }

    /// A whole tree: every path with its bytes, or `None` for a directory.
    type Snapshot = BTreeMap<String, Option<Vec<u8>>>;

    fn snapshot(dir: &Path) -> Option<Snapshot> {
        fn walk(dir: &Path, rel: &str, into: &mut Snapshot) {
            for entry in fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
                let kind = entry.file_type().unwrap();
                if kind.is_symlink() {
                    let target = fs::read_link(entry.path()).unwrap();
                    into.insert(child, Some(format!("link to {}", target.display()).into_bytes()));
                } else if kind.is_dir() {
                    walk(&entry.path(), &child, into);
                    into.insert(child, None);
                } else {
                    into.insert(child, Some(fs::read(entry.path()).unwrap()));
                }
            }
        }
        if !dir.exists() {
            return None;
        }
        let mut snap = Snapshot::new();
        walk(dir, "", &mut snap);
        Some(snap)
    }

    /// The snapshot `write` must produce for `output` plus the given user files.
    fn expected(output: &Output, user: &[(&str, &str)], user_dirs: &[&str]) -> Snapshot {
        let mut snap = Snapshot::new();
        let files = output
            .files
            .iter()
            .map(|(path, bytes)| (path.as_str(), bytes.clone()))
            .chain(user.iter().map(|(path, text)| (*path, text.as_bytes().to_vec())));
        for (path, bytes) in files {
            for dir in prefixes(path) {
                snap.insert(dir.to_owned(), None);
            }
            snap.insert(path.to_owned(), Some(bytes));
        }
        for dir in user_dirs {
            snap.insert((*dir).to_owned(), None);
        }
        snap
    }

    fn strings(paths: &[&str]) -> Vec<String> {
        paths.iter().map(|path| (*path).to_owned()).collect()
    }

    fn mtime(path: &Path) -> SystemTime {
        fs::metadata(path).unwrap().modified().unwrap()
    }

    /// Sets a file's modification time far in the past, so that any rewrite shows.
    fn age(path: &Path) -> SystemTime {
        let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        fs::File::options().write(true).open(path).unwrap().set_modified(past).unwrap();
        past
    }

    #[test]
    fn hashes_are_lower_case_hex_sha256() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn first_write_creates_the_missing_folder() {
        let scratch = Scratch::new("first");
        let build = output(&[("orders/pipeline.sql", "select 1;\n"), ("buckets.yaml", "a: 1\n")]);
        let report = write(&scratch.out(), &build).unwrap();
        assert_eq!(
            report,
            WriteReport {
                written: strings(&["buckets.yaml", "manifest.json", "orders/pipeline.sql"]),
                unchanged: vec![],
                removed: vec![],
            }
        );
        assert_eq!(snapshot(&scratch.out()), Some(expected(&build, &[], &[])));
        assert_eq!(scratch.siblings(), strings(&["generated"]));
    }

    #[test]
    fn a_missing_parent_is_an_error() {
        let scratch = Scratch::new("parent");
        let out = scratch.0.join("absent").join("generated");
        let error = write(&out, &output(&[("a.sql", "x")])).unwrap_err();
        assert!(matches!(error, WriteError::Io { ref path, .. } if path == ".."), "{error}");
        assert_eq!(scratch.siblings(), Vec::<String>::new());
    }

    #[test]
    fn an_identical_write_touches_nothing() {
        let scratch = Scratch::new("noop");
        let out = scratch.out();
        let build = output(&[("orders/pipeline.sql", "select 1;\n"), ("buckets.yaml", "a: 1\n")]);
        write(&out, &build).unwrap();
        let mut times = BTreeMap::new();
        for path in build.files.keys() {
            times.insert(path.clone(), age(&out.join(path)));
        }
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&out).unwrap());

        let report = write(&out, &build).unwrap();
        assert_eq!(report.unchanged, strings(&["buckets.yaml", "manifest.json", "orders/pipeline.sql"]));
        assert!(report.written.is_empty() && report.removed.is_empty());
        for (path, time) in &times {
            assert_eq!(mtime(&out.join(path)), *time, "{path} was rewritten");
        }
        #[cfg(unix)]
        assert_eq!(std::os::unix::fs::MetadataExt::ino(&fs::metadata(&out).unwrap()), inode);
        assert_eq!(check(&out, &build).unwrap(), vec![]);
    }

    #[test]
    fn a_changed_file_is_rewritten_and_the_others_keep_their_times() {
        let scratch = Scratch::new("changed");
        let out = scratch.out();
        let first = output(&[("orders/pipeline.sql", "select 1;\n"), ("buckets.yaml", "a: 1\n")]);
        write(&out, &first).unwrap();
        let kept = age(&out.join("buckets.yaml"));

        let second = output(&[("orders/pipeline.sql", "select 2;\n"), ("buckets.yaml", "a: 1\n")]);
        let report = write(&out, &second).unwrap();
        assert_eq!(report.written, strings(&["manifest.json", "orders/pipeline.sql"]));
        assert_eq!(report.unchanged, strings(&["buckets.yaml"]));
        assert!(report.removed.is_empty());
        assert_eq!(snapshot(&out), Some(expected(&second, &[], &[])));
        assert_eq!(mtime(&out.join("buckets.yaml")), kept);
        assert_eq!(scratch.siblings(), strings(&["generated"]));
    }

    #[test]
    fn pruning_removes_only_files_pipec_wrote() {
        let scratch = Scratch::new("prune");
        let out = scratch.out();
        let first = output(&[
            ("orders/pipeline.sql", "select 1;\n"),
            ("payments/pipeline.sql", "select 2;\n"),
            ("payments/deep/iceberg-tables.json", "[]\n"),
            ("buckets.yaml", "a: 1\n"),
        ]);
        write(&out, &first).unwrap();
        let user = [("README.md", "# generated\n"), ("orders/NOTES.txt", "mine\n")];
        for (path, text) in user {
            fs::write(out.join(path), text).unwrap();
        }
        fs::create_dir_all(out.join("keep/empty")).unwrap();

        let second = output(&[("orders/pipeline.sql", "select 1;\n"), ("buckets.yaml", "a: 1\n")]);
        let report = write(&out, &second).unwrap();
        assert_eq!(report.removed, strings(&["payments/deep/iceberg-tables.json", "payments/pipeline.sql"]));
        assert_eq!(report.written, strings(&["manifest.json"]));
        assert_eq!(snapshot(&out), Some(expected(&second, &user, &["keep", "keep/empty"])));
        assert_eq!(scratch.siblings(), strings(&["generated"]));
    }

    #[test]
    fn a_folder_without_a_manifest_keeps_every_file() {
        let scratch = Scratch::new("nomanifest");
        let out = scratch.out();
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.yaml"), "hand-made\n").unwrap();
        let build = output(&[("new.yaml", "a: 1\n")]);
        let report = write(&out, &build).unwrap();
        assert!(report.removed.is_empty());
        assert_eq!(snapshot(&out), Some(expected(&build, &[("old.yaml", "hand-made\n")], &[])));
    }

    #[test]
    fn unsafe_paths_are_refused_before_anything_is_written() {
        let scratch = Scratch::new("unsafe");
        let out = scratch.out();
        let bad = [
            "",
            "/abs.yaml",
            "a/../b",
            "./a",
            "a/.",
            "..",
            "a//b",
            "a/",
            "a\\b",
            "a\0b",
            "a b",
            "caf\u{e9}.yaml",
            "a:b",
        ];
        for path in bad {
            let mut build = output(&[("ok.yaml", "x")]);
            build.files.insert(path.to_owned(), b"y".to_vec());
            let error = write(&out, &build).unwrap_err();
            assert!(matches!(error, WriteError::Unsafe { .. }), "{path:?}: {error}");
            assert!(matches!(check(&out, &build), Err(WriteError::Unsafe { .. })));
        }
        assert_eq!(scratch.siblings(), Vec::<String>::new());

        let first = output(&[("ok.yaml", "x")]);
        write(&out, &first).unwrap();
        let before = snapshot(&out);
        let refused = [
            // A file where another file needs a directory.
            output(&[("a", "x"), ("a/b", "y")]),
            // Names that differ only in letter case.
            output(&[("A/x", "x"), ("a/y", "y")]),
        ];
        for build in refused {
            assert!(matches!(write(&out, &build), Err(WriteError::Unsafe { .. })));
        }
        // A manifest that does not match the files.
        let mut unlisted = output(&[("ok.yaml", "x")]);
        unlisted.files.insert("extra.yaml".into(), b"z".to_vec());
        let mut wrong_hash = output(&[("ok.yaml", "x")]);
        wrong_hash.files.insert("ok.yaml".into(), b"changed".to_vec());
        let mut overlisted = output(&[("ok.yaml", "x"), ("gone.yaml", "z")]);
        overlisted.files.remove("gone.yaml");
        let mut no_manifest = output(&[("ok.yaml", "x")]);
        no_manifest.files.remove(MANIFEST);
        for build in [unlisted, wrong_hash, overlisted, no_manifest] {
            let error = write(&out, &build).unwrap_err();
            assert!(matches!(error, WriteError::Unsafe { .. }), "{error}");
        }
        assert_eq!(snapshot(&out), before);
        assert_eq!(scratch.siblings(), strings(&["generated"]));
    }

    #[test]
    fn a_user_file_in_the_way_is_refused() {
        let scratch = Scratch::new("conflict");
        let out = scratch.out();
        fs::create_dir(&out).unwrap();
        fs::write(out.join("orders"), "mine\n").unwrap();
        fs::create_dir_all(out.join("payments.sql/sub")).unwrap();
        fs::write(out.join("payments.sql/sub/x"), "mine\n").unwrap();
        let before = snapshot(&out);
        for build in [output(&[("orders/pipeline.sql", "x")]), output(&[("payments.sql", "x")])] {
            let error = write(&out, &build).unwrap_err();
            assert!(matches!(error, WriteError::Unsafe { .. }), "{error}");
        }
        assert_eq!(snapshot(&out), before);
        assert_eq!(scratch.siblings(), strings(&["generated"]));
    }

    #[test]
    fn an_unusable_previous_manifest_is_refused() {
        let scratch = Scratch::new("badmanifest");
        let out = scratch.out();
        fs::create_dir(&out).unwrap();
        fs::write(out.join(MANIFEST), "<<<<<<< HEAD\n").unwrap();
        let build = output(&[("a.yaml", "x")]);
        let error = write(&out, &build).unwrap_err();
        assert!(matches!(error, WriteError::Unsafe { ref path, .. } if path == MANIFEST), "{error}");
        assert!(error.to_string().starts_with("refusing to write `manifest.json` in the output folder"), "{error}");
        assert_eq!(snapshot(&out).map(|snap| snap.len()), Some(1));
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_refused() {
        use std::os::unix::fs::symlink;
        let scratch = Scratch::new("symlink");
        let out = scratch.out();
        let build = output(&[("orders/pipeline.sql", "select 1;\n")]);
        write(&out, &build).unwrap();
        let elsewhere = scratch.0.join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        symlink(&elsewhere, out.join("link")).unwrap();
        let before = snapshot(&out);
        let changed = output(&[("orders/pipeline.sql", "select 2;\n")]);
        let error = write(&out, &changed).unwrap_err();
        assert!(matches!(error, WriteError::Unsafe { ref path, .. } if path == "link"), "{error}");
        assert!(matches!(check(&out, &changed), Err(WriteError::Unsafe { .. })));
        assert_eq!(snapshot(&out), before);
        assert_eq!(scratch.siblings(), strings(&["elsewhere", "generated"]));

        // The output folder itself may not be a link either.
        let linked = scratch.0.join("linked");
        symlink(&elsewhere, &linked).unwrap();
        let error = write(&linked, &build).unwrap_err();
        assert!(matches!(error, WriteError::Unsafe { ref path, .. } if path == "."), "{error}");
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    }

    /// The state every failure-injection run starts from: a previous build plus user files.
    struct Scenario {
        scratch: Scratch,
        old: Snapshot,
        new: Snapshot,
        build: Output,
    }

    fn scenario(name: &str) -> Scenario {
        let scratch = Scratch::new(name);
        let out = scratch.out();
        fault::arm(None, false);
        let first = output(&[
            ("orders/pipeline.sql", "select 1;\n"),
            ("payments/pipeline.sql", "select 2;\n"),
            ("buckets.yaml", "a: 1\n"),
        ]);
        write(&out, &first).unwrap();
        let user = [("README.md", "# generated\n"), ("orders/NOTES.txt", "mine\n")];
        for (path, text) in user {
            fs::write(out.join(path), text).unwrap();
        }
        let build = output(&[
            ("orders/pipeline.sql", "select 10;\n"),
            ("buckets.yaml", "a: 1\n"),
            ("shipments/configmap.yaml", "kind: ConfigMap\n"),
        ]);
        let old = snapshot(&out).unwrap();
        let new = expected(&build, &user, &[]);
        Scenario { scratch, old, new, build }
    }

    #[test]
    fn a_failure_at_any_operation_leaves_the_old_or_the_new_tree() {
        // One clean run counts the operations and finds the rename that swaps the new tree in.
        let clean = scenario("faults-count");
        fault::arm(None, false);
        write(&clean.scratch.out(), &clean.build).unwrap();
        let log = fault::log();
        assert_eq!(snapshot(&clean.scratch.out()), Some(clean.new.clone()));
        // The step after which the output folder is the new tree: the exchange, or the second
        // of two renames where the system cannot exchange.
        let exchanged = log.iter().position(|kind| *kind == "exchange").unwrap();
        let swap_in = log.iter().position(|kind| *kind == "swap in").unwrap_or(exchanged);
        assert!(log.len() > 10, "{log:?}");

        for at in 0..=log.len() {
            for crash in [false, true] {
                let run = scenario("faults");
                let out = run.scratch.out();
                fault::arm(Some(at), crash);
                let result = write(&out, &run.build);
                fault::arm(None, false);
                let after = snapshot(&out);
                let context = format!("failure at {at} ({:?}), crash {crash}", log.get(at));
                match &result {
                    Ok(report) => {
                        assert_eq!(after.as_ref(), Some(&run.new), "{context}");
                        assert_eq!(report.removed, strings(&["payments/pipeline.sql"]), "{context}");
                    }
                    Err(_) if at <= swap_in && !crash => {
                        assert_eq!(after.as_ref(), Some(&run.old), "{context}");
                        assert_eq!(run.scratch.siblings(), strings(&["generated"]), "{context}");
                    }
                    Err(_) if !crash => {
                        assert!(after == Some(run.old.clone()) || after == Some(run.new.clone()), "{context}");
                    }
                    // Where the system exchanges the folders in one step, even a crash leaves
                    // exactly one of the trees, before any repair.
                    Err(_) if !log.contains(&"swap out") => {
                        let expected = if at <= swap_in { &run.old } else { &run.new };
                        assert_eq!(after.as_ref(), Some(expected), "{context}");
                    }
                    Err(_) => {}
                }
                // Whatever a crash left, the next run's recovery yields exactly one of the trees.
                recover(&Layout::new(&out).unwrap()).unwrap();
                let recovered = snapshot(&out);
                if at <= swap_in {
                    assert_eq!(recovered.as_ref(), Some(&run.old), "{context}");
                } else {
                    assert_eq!(recovered.as_ref(), Some(&run.new), "{context}");
                }
                assert_eq!(run.scratch.siblings(), strings(&["generated"]), "{context}");
                // And a build after it finishes the job.
                write(&out, &run.build).unwrap();
                assert_eq!(snapshot(&out).as_ref(), Some(&run.new), "{context}");
            }
        }
    }

    #[test]
    fn a_crashed_swap_is_recovered() {
        let scratch = Scratch::new("recover");
        let out = scratch.out();
        let first = output(&[("a.yaml", "1\n")]);
        write(&out, &first).unwrap();
        fs::write(out.join("README.md"), "mine\n").unwrap();
        let old = snapshot(&out).unwrap();

        // A crash between the two renames: the output folder is missing, its old copy remains,
        // and so does the half-built work folder.
        let stale_old = scratch.0.join(".generated.pipec-old-4242");
        let stale_tmp = scratch.0.join(".generated.pipec-tmp-4242");
        fs::rename(&out, &stale_old).unwrap();
        fs::create_dir(&stale_tmp).unwrap();
        fs::write(stale_tmp.join("half.yaml"), "x").unwrap();
        // Folders that merely look similar are not pipec's and stay.
        fs::create_dir(scratch.0.join(".generated.pipec-tmp-notes")).unwrap();
        fs::create_dir(scratch.0.join(".other.pipec-tmp-4242")).unwrap();

        let report = write(&out, &first).unwrap();
        assert_eq!(report.unchanged, strings(&["a.yaml", "manifest.json"]));
        assert_eq!(snapshot(&out), Some(old.clone()));
        assert_eq!(scratch.siblings(), strings(&[".generated.pipec-tmp-notes", ".other.pipec-tmp-4242", "generated"]));

        // A crash after the swap: the old copy is only removed.
        fs::create_dir(&stale_old).unwrap();
        fs::write(stale_old.join("a.yaml"), "0\n").unwrap();
        write(&out, &first).unwrap();
        assert_eq!(snapshot(&out), Some(old));
        assert!(!stale_old.exists());

        // Two old copies and no output folder: pipec does not guess which one to keep.
        fs::rename(&out, &stale_old).unwrap();
        fs::create_dir(scratch.0.join(".generated.pipec-old-4243")).unwrap();
        let error = write(&out, &first).unwrap_err();
        assert!(matches!(error, WriteError::Unsafe { .. }), "{error}");
        assert!(stale_old.exists() && !out.exists());
    }

    #[test]
    fn check_reports_drift() {
        let scratch = Scratch::new("check");
        let out = scratch.out();
        let build = output(&[
            ("orders/pipeline.sql", "select 1;\n"),
            ("payments/pipeline.sql", "select 2;\n"),
            ("buckets.yaml", "a: 1\n"),
        ]);
        let missing: Vec<Drift> = build.files.keys().map(|path| Drift::Missing(path.clone())).collect();
        assert_eq!(check(&out, &build).unwrap(), missing);

        write(&out, &build).unwrap();
        fs::write(out.join("README.md"), "mine\n").unwrap();
        assert_eq!(check(&out, &build).unwrap(), vec![]);

        fs::write(out.join("buckets.yaml"), "a: 2\n").unwrap();
        fs::remove_file(out.join("orders/pipeline.sql")).unwrap();
        assert_eq!(
            check(&out, &build).unwrap(),
            vec![Drift::Changed("buckets.yaml".into()), Drift::Missing("orders/pipeline.sql".into()),]
        );

        write(&out, &build).unwrap();
        let smaller = output(&[("orders/pipeline.sql", "select 1;\n"), ("buckets.yaml", "a: 1\n")]);
        assert_eq!(
            check(&out, &smaller).unwrap(),
            vec![Drift::Changed("manifest.json".into()), Drift::Stale("payments/pipeline.sql".into()),]
        );
        fs::remove_file(out.join(MANIFEST)).unwrap();
        assert_eq!(check(&out, &smaller).unwrap(), vec![Drift::Missing("manifest.json".into())]);
        assert_eq!(Drift::Stale("x".into()).to_string(), "`x` is no longer produced and would be removed");
    }

    #[test]
    fn errors_name_the_path_in_lower_case() {
        let error = io_error("orders/pipeline.sql", io::Error::other("disk full"));
        assert_eq!(error.to_string(), "file system error on `orders/pipeline.sql` in the output folder: disk full");
        let error = io_error("..", io::Error::other("not found"));
        assert_eq!(error.to_string(), "file system error on the output folder's parent: not found");
        let error = unsafe_path(".", "it is a symbolic link".into());
        assert_eq!(error.to_string(), "refusing to write the output folder: it is a symbolic link");
        let error = unsafe_path("a/../b", "it has a `.` or `..` component".into());
        assert_eq!(
            error.to_string(),
            "refusing to write `a/../b` in the output folder: it has a `.` or `..` component"
        );
    }
}
