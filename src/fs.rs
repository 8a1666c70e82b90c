//! The one seam between amlplan's compiler and the files it reads.
//!
//! Manifest loading, var files, module directories, the file functions (`file()`,
//! `fileexists()`, `filebase64()`, ...), the checker's path checks and the conda files the
//! lowering sends all read through [`Fs`]. [`RealFs`] is the disk; [`MemoryFs`] holds files in
//! memory, so tests of checks (and of the cost and review engines) run without touching the
//! disk, and "checks only read the manifest" is a property of the code, not a convention.
//!
//! The compiler is single-threaded per run, so the file system in use is the calling
//! thread's: [`current`] is the disk unless a caller ran the pipeline inside [`with`], which
//! installs another for the duration of one closure. This keeps the seam out of every
//! signature between the command and the reads (loading, instantiation, checks and lowering
//! are being reshaped in parallel) while still making it one interface.
//! State, plan files, locks and the mock cloud are the engine's, not the compiler's, and do
//! not go through it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What the compiler may ask of a file system.
pub trait Fs: Send + Sync {
    /// The whole file as bytes.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// The whole file as UTF-8 text.
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        String::from_utf8(self.read(path)?).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )
        })
    }

    /// The paths of a directory's entries (files and directories), in no particular order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;

    /// A regular file (not a directory, FIFO or device).
    fn is_file(&self, path: &Path) -> bool;

    fn is_dir(&self, path: &Path) -> bool;

    /// The absolute path with `.` and `..` resolved (and, on disk, links); an error if
    /// nothing is there.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
}

/// The disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl Fs for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect()
    }

    fn is_file(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.is_file())
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        path.canonicalize()
    }
}

/// Files held in memory, by absolute path (relative paths are taken from `/`). Directories
/// exist where files are below them.
#[derive(Debug, Default, Clone)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryFs {
    pub fn new() -> Self {
        MemoryFs::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl AsRef<Path>, content: impl Into<Vec<u8>>) -> &mut Self {
        self.files.insert(normalize(path.as_ref()), content.into());
        self
    }

    /// A file system holding the given files.
    pub fn with_files<P: AsRef<Path>, C: Into<Vec<u8>>>(
        files: impl IntoIterator<Item = (P, C)>,
    ) -> Self {
        let mut fs = MemoryFs::new();
        for (p, c) in files {
            fs.insert(p, c);
        }
        fs
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{}: No such file or directory", path.display()),
    )
}

/// `path` made absolute (from `/`) with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in path.components() {
        match c {
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(part) => out.push(part),
        }
    }
    out
}

impl Fs for MemoryFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let p = normalize(path);
        match self.files.get(&p) {
            Some(content) => Ok(content.clone()),
            None if self.is_dir(path) => Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{}: Is a directory", path.display()),
            )),
            None => Err(not_found(path)),
        }
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let dir = normalize(path);
        if !self.is_dir(path) {
            return Err(not_found(path));
        }
        let mut entries: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|f| {
                let rest = f.strip_prefix(&dir).ok()?;
                let first = rest.components().next()?;
                Some(dir.join(first))
            })
            .collect();
        entries.dedup();
        Ok(entries)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&normalize(path))
    }

    fn is_dir(&self, path: &Path) -> bool {
        let dir = normalize(path);
        self.files.keys().any(|f| f != &dir && f.starts_with(&dir))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let p = normalize(path);
        if self.is_file(&p) || self.is_dir(&p) {
            Ok(p)
        } else {
            Err(not_found(path))
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<dyn Fs>>> = const { RefCell::new(None) };
}

/// A file system that remembers every answer of the one it wraps. A compilation reads
/// through one; evaluating the same manifest again (mid-apply, with values ARM has just
/// returned, possibly on another thread) reads through the same one and gets the answers the
/// first evaluation got, so the files are read once per run and a file changed on disk
/// mid-apply cannot make half an apply see other inputs. A path not asked about before goes
/// to the wrapped file system once, then is remembered too.
pub struct Remembering {
    inner: Arc<dyn Fs>,
    seen: std::sync::Mutex<Seen>,
}

/// An answer kept: an I/O error is kept as its kind and text (`io::Error` is not `Clone`).
type Kept<T> = Result<T, (io::ErrorKind, String)>;

/// What [`Remembering`] has been told, per question.
#[derive(Default)]
struct Seen {
    reads: std::collections::HashMap<PathBuf, Kept<Arc<Vec<u8>>>>,
    dirs: std::collections::HashMap<PathBuf, Kept<Vec<PathBuf>>>,
    files: std::collections::HashMap<PathBuf, bool>,
    is_dirs: std::collections::HashMap<PathBuf, bool>,
    canonical: std::collections::HashMap<PathBuf, Kept<PathBuf>>,
}

impl std::fmt::Debug for Remembering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembering")
            .field("reads", &self.seen().reads.len())
            .finish_non_exhaustive()
    }
}

impl Remembering {
    pub fn over(inner: Arc<dyn Fs>) -> Self {
        Remembering {
            inner,
            seen: std::sync::Mutex::new(Seen::default()),
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        // A panic while holding the lock leaves only complete entries behind.
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn keep<T>(r: io::Result<T>) -> Kept<T> {
    r.map_err(|e| (e.kind(), e.to_string()))
}

fn give<T: Clone>(r: &Kept<T>) -> io::Result<T> {
    r.clone().map_err(|(kind, text)| io::Error::new(kind, text))
}

impl Fs for Remembering {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if let Some(r) = self.seen().reads.get(path) {
            return give(r).map(|bytes| bytes.as_ref().clone());
        }
        let r = keep(self.inner.read(path)).map(Arc::new);
        let out = give(&r).map(|bytes| bytes.as_ref().clone());
        self.seen().reads.insert(path.to_path_buf(), r);
        out
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        if let Some(r) = self.seen().dirs.get(path) {
            return give(r);
        }
        let r = keep(self.inner.read_dir(path));
        self.seen().dirs.insert(path.to_path_buf(), r.clone());
        give(&r)
    }

    fn is_file(&self, path: &Path) -> bool {
        if let Some(b) = self.seen().files.get(path) {
            return *b;
        }
        let b = self.inner.is_file(path);
        self.seen().files.insert(path.to_path_buf(), b);
        b
    }

    fn is_dir(&self, path: &Path) -> bool {
        if let Some(b) = self.seen().is_dirs.get(path) {
            return *b;
        }
        let b = self.inner.is_dir(path);
        self.seen().is_dirs.insert(path.to_path_buf(), b);
        b
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        if let Some(r) = self.seen().canonical.get(path) {
            return give(r);
        }
        let r = keep(self.inner.canonicalize(path));
        self.seen().canonical.insert(path.to_path_buf(), r.clone());
        give(&r)
    }
}

/// The file system the calling thread's compiler reads: the disk unless inside [`with`].
pub fn current() -> Arc<dyn Fs> {
    // One disk instance for the process: a read must not allocate a new one each time.
    static DISK: std::sync::LazyLock<Arc<dyn Fs>> = std::sync::LazyLock::new(|| Arc::new(RealFs));
    CURRENT
        .with(|c| c.borrow().clone())
        .unwrap_or_else(|| DISK.clone())
}

/// Runs `f` with `fs` as the calling thread's file system (restored afterwards, even if `f`
/// panics).
pub fn with<T>(fs: Arc<dyn Fs>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Arc<dyn Fs>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let previous = CURRENT.with(|c| c.borrow_mut().replace(fs));
    let _restore = Restore(previous);
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_files_and_directories() {
        let fs = MemoryFs::with_files([("/m/main.hcl", "x = 1"), ("/m/env/conda.yml", "name: a")]);
        assert!(fs.is_file(Path::new("/m/main.hcl")));
        assert!(fs.is_dir(Path::new("/m/env")));
        assert!(fs.is_dir(Path::new("/m/env/../env/.")));
        assert!(!fs.is_file(Path::new("/m/env")));
        assert!(!fs.is_dir(Path::new("/m/main.hcl")));
        assert_eq!(
            fs.read_to_string(Path::new("/m/./main.hcl")).unwrap(),
            "x = 1"
        );
        let mut entries = fs.read_dir(Path::new("/m")).unwrap();
        entries.sort();
        assert_eq!(
            entries,
            [PathBuf::from("/m/env"), PathBuf::from("/m/main.hcl")]
        );
        assert_eq!(
            fs.read(Path::new("/m/nope")).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        assert_eq!(
            fs.canonicalize(Path::new("/m/env/..")).unwrap(),
            PathBuf::from("/m")
        );
        assert!(fs.canonicalize(Path::new("/elsewhere")).is_err());
    }

    #[test]
    fn remembering_answers_as_it_first_did() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("vars.hcl");
        std::fs::write(&file, "a = 1").unwrap();
        let fs = Remembering::over(Arc::new(RealFs));
        assert_eq!(fs.read_to_string(&file).unwrap(), "a = 1");
        assert!(fs.is_file(&file));
        std::fs::write(&file, "a = 2").unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(fs.read_to_string(&file).unwrap(), "a = 1");
        assert!(fs.is_file(&file));
        let missing = dir.path().join("missing");
        assert_eq!(
            fs.read(&missing).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        std::fs::write(&missing, "now here").unwrap();
        assert_eq!(
            fs.read(&missing).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn with_installs_and_restores() {
        let only_in_memory = Path::new("/amlplan-fs-test-only/a");
        assert!(!only_in_memory.exists());
        let fs: Arc<dyn Fs> = Arc::new(MemoryFs::with_files([(only_in_memory, "1")]));
        assert!(!current().is_file(only_in_memory));
        with(fs, || assert!(current().is_file(only_in_memory)));
        assert!(
            !current().is_file(only_in_memory),
            "the disk again after `with`"
        );
    }
}
