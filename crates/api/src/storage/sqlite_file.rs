//! The SQLite database file the server opened, watched so that a file deleted or replaced under
//! the running server is noticed. The open connection would otherwise keep writing into the
//! deleted file, and everything written since would be lost at the next start.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use super::StorageError;

/// Device and inode number of a file. They stay the same while the file is renamed or written,
/// and differ for a new file put in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    #[cfg(unix)]
    fn of(path: &Path) -> std::io::Result<Self> {
        use std::os::unix::fs::MetadataExt;

        let metadata = std::fs::metadata(path)?;
        Ok(Self {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }

    // NOTE: without device and inode numbers only a deleted file is noticed, not a replaced one.
    #[cfg(not(unix))]
    fn of(path: &Path) -> std::io::Result<Self> {
        std::fs::metadata(path).map(|_| Self {
            device: 0,
            inode: 0,
        })
    }
}

/// The path of the SQLite database and the identity of the file that the first connection
/// opened there.
#[derive(Debug)]
pub(super) struct SqliteFile {
    path: PathBuf,
    opened: OnceLock<FileIdentity>,
    /// Whether the current change of the file was already logged, so a probe every few
    /// seconds does not repeat the error.
    reported: AtomicBool,
}

impl SqliteFile {
    pub(super) fn new(path: &str) -> Self {
        Self {
            path: PathBuf::from(path),
            opened: OnceLock::new(),
            reported: AtomicBool::new(false),
        }
    }

    /// Records the identity of the file that a connection has just opened. Only the first
    /// connection's file counts, and later connections must find that same file.
    pub(super) fn record_opened(&self) -> Result<(), StorageError> {
        if self.opened.get().is_some() {
            return self.check();
        }
        let identity = FileIdentity::of(&self.path).map_err(|error| {
            StorageError::Unavailable(format!(
                "cannot read the SQLite database file's metadata: {error}"
            ))
        })?;
        let _ = self.opened.set(identity);
        Ok(())
    }

    /// Fails when the path no longer names the file that the first connection opened. Before
    /// the first connection there is nothing to compare.
    pub(super) fn check(&self) -> Result<(), StorageError> {
        let Some(opened) = self.opened.get() else {
            return Ok(());
        };
        let problem = match FileIdentity::of(&self.path) {
            Ok(current) if current == *opened => {
                if self.reported.load(Ordering::Relaxed) {
                    self.reported.store(false, Ordering::Relaxed);
                }
                return Ok(());
            }
            Ok(_) => "was replaced by another file since the server opened it".to_owned(),
            Err(error) if error.kind() == ErrorKind::NotFound => {
                "was deleted since the server opened it".to_owned()
            }
            Err(error) => format!("cannot be checked ({error})"),
        };
        if !self.reported.swap(true, Ordering::Relaxed) {
            tracing::error!(
                path = %self.path.display(),
                "the SQLite database file {problem}. Database requests fail with 503 until the \
                 original file is back at this path or the server is restarted, because their \
                 writes would be lost"
            );
        }
        Err(StorageError::Unavailable(format!(
            "the SQLite database file {problem}"
        )))
    }
}
