//! [`MockCloud`]: the emulator as a [`Transport`], with simulated latency and persistence.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::store::{MockCloudError, write_atomically};
use super::{Emulator, EmulatorOptions};
use crate::provider::{
    ArmRequest, ArmResponse, BlobRequest, Transport, TransportError, TransportFuture,
};

/// The mock provider's transport: a shared [`Emulator`] plus, optionally, the file it is
/// persisted to. Cloning shares the emulator.
///
/// Each request sleeps the simulated latency (real time), then is handled under the lock
/// at logical time `clock + max(latency, 1)`. With a file and autosave on (the default),
/// every request that changed the cloud is saved before its response is returned, so the
/// file always holds at least what the caller has been told; concurrent saves coalesce.
#[derive(Clone)]
pub struct MockCloud {
    emulator: Arc<Mutex<Emulator>>,
    path: Option<Arc<PathBuf>>,
    /// Generation last written to the file.
    saved: Arc<Mutex<u64>>,
    autosave: bool,
}

impl std::fmt::Debug for MockCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockCloud")
            .field("path", &self.path)
            .field("autosave", &self.autosave)
            .finish_non_exhaustive()
    }
}

impl MockCloud {
    /// An empty cloud held in memory only.
    pub fn new(options: EmulatorOptions) -> MockCloud {
        MockCloud::from_emulator(Emulator::new(options), None)
    }

    pub fn from_emulator(emulator: Emulator, path: Option<PathBuf>) -> MockCloud {
        MockCloud {
            emulator: Arc::new(Mutex::new(emulator)),
            path: path.map(Arc::new),
            saved: Arc::new(Mutex::new(0)),
            autosave: true,
        }
    }

    /// The cloud persisted at `path`: loaded if the file exists, empty otherwise (the file
    /// is created by the first change). A corrupt file or one of another format version is
    /// an error, and the file is left untouched.
    pub fn open(
        path: impl Into<PathBuf>,
        options: EmulatorOptions,
    ) -> Result<MockCloud, MockCloudError> {
        let path = path.into();
        let emulator = match std::fs::read_to_string(&path) {
            Ok(text) => Emulator::from_json(&text, &path, options)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Emulator::new(options),
            Err(e) => {
                return Err(MockCloudError {
                    path,
                    message: format!("cannot be read: {e}"),
                });
            }
        };
        Ok(MockCloud::from_emulator(emulator, Some(path)))
    }

    /// `.amlplan/mock-cloud.json` in the manifest directory.
    pub fn default_path(manifest_dir: &Path) -> PathBuf {
        manifest_dir.join(".amlplan").join("mock-cloud.json")
    }

    /// Turns saving after every changing request on or off (on by default; [`save`]
    /// still works).
    ///
    /// [`save`]: MockCloud::save
    pub fn with_autosave(mut self, on: bool) -> MockCloud {
        self.autosave = on;
        self
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref().map(PathBuf::as_path)
    }

    /// Locks the emulator (for tests and tools: inspect, inject faults, settle).
    pub fn lock(&self) -> MutexGuard<'_, Emulator> {
        self.emulator.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn resource_ids(&self) -> Vec<String> {
        self.lock().resource_ids()
    }

    /// Handles a request at once (no latency, no autosave), advancing the clock by 1 ms.
    pub fn handle_now(&self, request: &ArmRequest) -> ArmResponse {
        let mut emu = self.lock();
        let now = emu.clock() + 1;
        emu.handle(request, now)
    }

    /// Writes the cloud to its file (atomically). Without a file, does nothing.
    pub fn save(&self) -> Result<(), MockCloudError> {
        match &self.path {
            Some(path) => save_to(&self.emulator, &self.saved, path, 0),
            None => Ok(()),
        }
    }
}

/// Writes the emulator's current state unless a state at least as new as `generation`
/// was already written (0: always write).
fn save_to(
    emulator: &Mutex<Emulator>,
    saved: &Mutex<u64>,
    path: &Path,
    generation: u64,
) -> Result<(), MockCloudError> {
    let mut last = saved.lock().unwrap_or_else(|e| e.into_inner());
    if generation != 0 && *last >= generation {
        return Ok(());
    }
    let (current, bytes) = {
        let emu = emulator.lock().unwrap_or_else(|e| e.into_inner());
        (emu.generation(), emu.to_json())
    };
    write_atomically(path, &bytes).map_err(|e| MockCloudError {
        path: path.to_path_buf(),
        message: format!("cannot be written: {e}"),
    })?;
    *last = (*last).max(current);
    Ok(())
}

impl MockCloud {
    /// Saves the cloud file if `changed` says the state moved on (with autosave).
    async fn autosave_after(&self, changed: Option<u64>) -> Result<(), TransportError> {
        if let (Some(generation), Some(path), true) = (changed, &self.path, self.autosave) {
            let emulator = Arc::clone(&self.emulator);
            let saved = Arc::clone(&self.saved);
            let path = Arc::clone(path);
            tokio::task::spawn_blocking(move || save_to(&emulator, &saved, &path, generation))
                .await
                .map_err(|e| TransportError {
                    message: format!("saving the mock cloud failed: {e}"),
                })?
                .map_err(|e| TransportError {
                    message: e.to_string(),
                })?;
        }
        Ok(())
    }
}

impl Transport for MockCloud {
    fn send(&self, request: ArmRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let latency = self.lock().options().latency.for_method(request.method);
            if latency > 0 {
                tokio::time::sleep(Duration::from_millis(latency)).await;
            }
            let (response, changed) = {
                let mut emu = self.lock();
                let before = emu.generation();
                let now = emu.clock() + latency.max(1);
                let response = emu.handle(&request, now);
                let after = emu.generation();
                (response, (after != before).then_some(after))
            };
            self.autosave_after(changed).await?;
            Ok(response)
        })
    }

    fn put_blob(&self, request: BlobRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let (response, changed) = {
                let mut emu = self.lock();
                let before = emu.generation();
                let response = emu.put_blob(&request);
                let after = emu.generation();
                (response, (after != before).then_some(after))
            };
            self.autosave_after(changed).await?;
            Ok(response)
        })
    }
}
