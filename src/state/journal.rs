//! The write-ahead journal: the steps of an apply appended beside the state file, replayed
//! onto the last snapshot when the state is read. Format documented in `docs/state.md`.
//!
//! ```text
//! journal := header record*
//! header  := "AMLPJRNL" version:u32le base:[u8; 32]     (base: SHA-256 of the snapshot)
//! record  := length:u32le crc32:u32le payload[length]   (payload: a JSON array of changes)
//! ```
//!
//! One record is one step (the intent before an ARM write, or its result), so a record is
//! replayed whole or not at all. A journal whose `base` is not the snapshot's digest is stale
//! (the snapshot was written after it, so it already holds every step) and is ignored.

use serde::{Deserialize, Serialize};

use super::{JournalEntry, JournalStatus, ResourceState, ResourceStatus, State};

/// The journal format this amlplan reads and writes.
pub const JOURNAL_VERSION: u32 = 1;

const MAGIC: &[u8; 8] = b"AMLPJRNL";
/// Magic, version and the snapshot digest.
pub(crate) const HEADER_LEN: usize = 8 + 4 + 32;
/// Length and checksum before each payload.
const FRAME_LEN: usize = 8;
/// No step comes near this; a larger length is a damaged length field.
const MAX_RECORD: usize = 256 << 20;

/// One change to the state, as journalled and replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Change {
    Record {
        resource: ResourceState,
    },
    Remove {
        address: String,
    },
    Depose {
        address: String,
    },
    Status {
        address: String,
        status: ResourceStatus,
    },
    Begin {
        entry: JournalEntry,
    },
    Complete {
        seq: u64,
        status: JournalStatus,
        #[serde(default)]
        error: Option<String>,
    },
    ClearCompleted,
}

/// The journal's first bytes, for a journal applying to the snapshot with digest `base`.
pub(crate) fn header(base: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&JOURNAL_VERSION.to_le_bytes());
    out.extend_from_slice(base);
    out
}

/// One step's changes as a framed record.
pub(crate) fn frame(changes: &[Change]) -> Vec<u8> {
    let payload = serde_json::to_vec(changes).unwrap_or_default();
    let mut out = Vec::with_capacity(FRAME_LEN + payload.len());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// What reading a journal found.
#[derive(Debug)]
pub(crate) enum Read {
    /// Written against another snapshot (already compacted into this one): nothing to replay.
    Stale,
    /// Written by a newer amlplan, in this journal version.
    Newer(u32),
    /// A record before the last one is unreadable while valid records follow it: not a
    /// torn end (a crash tears only the last record) but damage on disk, and replaying around
    /// it would silently lose a step the run confirmed.
    Broken(Broken),
    /// The steps to replay, in order, and what was ignored at the end.
    Steps {
        steps: Vec<Vec<Change>>,
        damage: Option<Damage>,
    },
}

/// An unreadable end of the journal: a record torn by a crash or damaged on disk, ignored
/// with everything after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The byte offset where the unreadable part starts.
    pub offset: usize,
    /// How many bytes were ignored.
    pub ignored: usize,
    /// Why the record there is unreadable.
    pub reason: String,
}

/// A record in the middle of the journal that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The byte offset of the unreadable record.
    pub offset: usize,
    /// The offset of the first valid record after it.
    pub next_valid: usize,
    /// How many records were read before it.
    pub readable: usize,
    /// Why the record there is unreadable.
    pub reason: String,
}

/// Parses a journal written against the snapshot with digest `base`.
pub(crate) fn read(bytes: &[u8], base: &[u8; 32]) -> Read {
    let damaged = |offset: usize, reason: &str| Read::Steps {
        steps: Vec::new(),
        damage: Some(Damage {
            offset,
            ignored: bytes.len() - offset,
            reason: reason.to_string(),
        }),
    };
    if bytes.len() < HEADER_LEN {
        // Torn before its header was complete: no record was ever written after it.
        return if bytes.is_empty() || MAGIC.starts_with(&bytes[..bytes.len().min(8)]) {
            damaged(0, "the journal's header is incomplete")
        } else {
            damaged(0, "it is not an amlplan journal")
        };
    }
    if &bytes[..8] != MAGIC {
        return damaged(0, "it is not an amlplan journal");
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version > JOURNAL_VERSION {
        return Read::Newer(version);
    }
    if version != JOURNAL_VERSION {
        return damaged(0, "its version is not one amlplan ever wrote");
    }
    if &bytes[12..HEADER_LEN] != base {
        return Read::Stale;
    }
    let mut steps = Vec::new();
    let mut at = HEADER_LEN;
    while at < bytes.len() {
        let rest = &bytes[at..];
        if rest.len() < FRAME_LEN {
            return with_steps(steps, bytes, at, "the last record is torn");
        }
        let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
        if len > MAX_RECORD {
            return with_steps(steps, bytes, at, "a record's length is damaged");
        }
        let Some(payload) = rest.get(FRAME_LEN..FRAME_LEN + len) else {
            return with_steps(steps, bytes, at, "the last record is torn");
        };
        if crc32fast::hash(payload) != crc {
            return with_steps(steps, bytes, at, "a record's checksum does not match");
        }
        match serde_json::from_slice::<Vec<Change>>(payload) {
            Ok(changes) => steps.push(changes),
            Err(_) => return with_steps(steps, bytes, at, "a record is not a journal step"),
        }
        at += FRAME_LEN + len;
    }
    Read::Steps {
        steps,
        damage: None,
    }
}

/// The journal read up to the unreadable record at `offset`: a damaged end when no valid
/// record follows it, a broken journal when one does.
fn with_steps(steps: Vec<Vec<Change>>, bytes: &[u8], offset: usize, reason: &str) -> Read {
    if let Some(next_valid) = next_valid_record(bytes, offset + 1) {
        return Read::Broken(Broken {
            offset,
            next_valid,
            readable: steps.len(),
            reason: reason.to_string(),
        });
    }
    Read::Steps {
        steps,
        damage: Some(Damage {
            offset,
            ignored: bytes.len() - offset,
            reason: reason.to_string(),
        }),
    }
}

/// The offset of the first record at or after `from` that frames, checks and parses.
///
/// Searching every offset (not only where the damaged record's length points) also finds the
/// records after one whose length field is the damaged part. It finds nothing inside a torn
/// record: a payload is JSON, whose bytes are all at least 0x20, so four of them read as a
/// length over [`MAX_RECORD`]; and a frame's length and checksum would also have to match.
fn next_valid_record(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len().saturating_sub(FRAME_LEN)).find(|&at| is_record_at(bytes, at))
}

/// Whether a valid record starts at `at`.
fn is_record_at(bytes: &[u8], at: usize) -> bool {
    let Some(frame) = bytes.get(at..at + FRAME_LEN) else {
        return false;
    };
    let len = u32::from_le_bytes([frame[0], frame[1], frame[2], frame[3]]) as usize;
    let crc = u32::from_le_bytes([frame[4], frame[5], frame[6], frame[7]]);
    if len > MAX_RECORD {
        return false;
    }
    bytes
        .get(at + FRAME_LEN..at + FRAME_LEN + len)
        .is_some_and(|payload| {
            crc32fast::hash(payload) == crc
                && serde_json::from_slice::<Vec<Change>>(payload).is_ok()
        })
}

/// Why a journal cannot be replayed onto its snapshot: the state is then refused.
#[derive(Debug)]
pub(crate) enum Unreplayable {
    /// Written by a newer amlplan, in this journal version.
    Newer(u32),
    /// Damaged before its last record (see [`Read::Broken`]).
    Broken(Broken),
}

impl Unreplayable {
    /// Why the backend refuses to save over the state, in its own words.
    pub(crate) fn reason(&self) -> String {
        match self {
            Unreplayable::Newer(found) => {
                format!("its journal was written by a newer amlplan (journal format {found})")
            }
            Unreplayable::Broken(broken) => format!(
                "its journal is damaged at byte {} ({})",
                broken.offset, broken.reason
            ),
        }
    }
}

/// Replays the journal `bytes`, written against the snapshot with digest `base`, onto
/// `state`: what every backend's load does. Returns what was ignored at the end.
pub(crate) fn replay_onto(
    state: &mut State,
    bytes: &[u8],
    base: &[u8; 32],
) -> Result<Option<Damage>, Unreplayable> {
    match read(bytes, base) {
        Read::Stale => Ok(None),
        Read::Newer(found) => Err(Unreplayable::Newer(found)),
        Read::Broken(broken) => Err(Unreplayable::Broken(broken)),
        Read::Steps { steps, damage } => {
            for change in steps.into_iter().flatten() {
                replay(state, change);
            }
            // The replayed resources are not those of the snapshot's serial.
            state.bump_serial_if_changed();
            Ok(damage)
        }
    }
}

/// Applies one journalled change to `state` (which is not recording).
pub(crate) fn replay(state: &mut State, change: Change) {
    match change {
        Change::Record { resource } => {
            state.record_applied(resource);
        }
        Change::Remove { address } => {
            state.remove(&address);
        }
        Change::Depose { address } => {
            state.depose(&address);
        }
        Change::Status { address, status } => {
            state.set_status(&address, status);
        }
        Change::Begin { entry } => state.replay_begin(entry),
        Change::Complete { seq, status, error } => {
            let outcome = match (status, error) {
                (JournalStatus::Failed, error) => super::Outcome::Failed(error.unwrap_or_default()),
                _ => super::Outcome::Done,
            };
            state.complete(seq, outcome);
        }
        Change::ClearCompleted => {
            state.clear_completed_journal();
        }
    }
}
