use std::fs;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;
use sha2::{Digest, Sha256};

fn resource(address: &str, body: Value) -> ResourceState {
    ResourceState {
        address: address.to_string(),
        kind: "workspace".to_string(),
        id: format!(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/\
             Microsoft.MachineLearningServices/workspaces/{address}"
        ),
        api_version: "2025-09-01".to_string(),
        request_hash: request_hash(&body),
        applied_body: body,
        depends_on: vec![],
        status: ResourceStatus::Created,
        secret_digests: Default::default(),
        adopted: false,
        sensitive_paths: None,
    }
}

fn sample_state() -> State {
    let mut state = State::new();
    state.record_applied(resource(
        "workspace.fraud",
        json!({"location": "westeurope", "properties": {"friendlyName": "Fraud"}}),
    ));
    let mut cluster = resource(
        "compute_cluster.cpu",
        json!({"properties": {"vmSize": "Standard_D4s_v3"}}),
    );
    cluster.kind = "compute_cluster".to_string();
    cluster.depends_on = vec!["workspace.fraud".to_string()];
    state.record_applied(cluster);
    state.set_output("workspace_id", json!("/subscriptions/x"), false);
    state.set_output("key", json!("s3cret"), true);
    state
}

fn backend(dir: &Path) -> LocalBackend {
    LocalBackend::new(dir.join(".amlplan").join("state.json"))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ----- model -----

#[test]
fn new_state_is_empty_with_a_uuid_lineage() {
    let state = State::new();
    assert_eq!(state.serial(), 0);
    assert!(state.is_empty());
    assert!(uuid::Uuid::parse_str(state.lineage()).is_ok());
    assert_ne!(state.lineage(), State::new().lineage());
}

#[test]
fn document_shape() {
    let mut state = sample_state();
    let seq = state.begin("workspace.fraud", "/x", Operation::Put, Some("ab".into()));
    assert_eq!(seq, 1);
    let doc = serde_json::to_value(&state).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "format_version",
            "serial",
            "lineage",
            "resources",
            "outputs",
            "journal"
        ]
    );
    assert_eq!(doc["format_version"], 1);
    // Sorted by address.
    assert_eq!(doc["resources"][0]["address"], "compute_cluster.cpu");
    assert_eq!(doc["resources"][1]["address"], "workspace.fraud");
    assert_eq!(doc["resources"][0]["status"], "created");
    assert_eq!(
        doc["resources"][0]["depends_on"],
        json!(["workspace.fraud"])
    );
    assert_eq!(
        doc["outputs"]["key"],
        json!({"value": "s3cret", "sensitive": true})
    );
    assert_eq!(
        doc["journal"][0],
        json!({"seq": 1, "address": "workspace.fraud", "id": "/x", "operation": "put",
               "request_hash": "ab", "status": "pending", "error": null})
    );
}

#[test]
fn address_list_get_and_show() {
    let state = sample_state();
    assert_eq!(
        state.address_list(),
        ["compute_cluster.cpu", "workspace.fraud"]
    );
    assert_eq!(state.get("workspace.fraud").unwrap().kind, "workspace");
    assert!(state.get("workspace.nope").is_none());
    let shown = state.show("compute_cluster.cpu").unwrap();
    assert_eq!(
        shown["applied_body"]["properties"]["vmSize"],
        "Standard_D4s_v3"
    );
    assert_eq!(shown["request_hash"].as_str().unwrap().len(), 64);
    assert!(state.show("nope").is_none());
}

#[test]
fn from_desired_salts_the_request_hash_and_stores_the_redacted_body() {
    let desired = crate::arm::Desired {
        address: "workspace.w".into(),
        kind: "workspace".into(),
        id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w".into(),
        api_version: "2025-09-01".into(),
        body: json!({"properties": {"secret": "hunter2"}}),
        create_only: vec![],
        sensitive: vec!["properties.secret".into()],
        unknown: vec![],
        id_unknown: false,
        depends_on: vec!["b".into(), "a".into(), "a".into()],
        span: None,
        implicit: false,
        lifecycle: Default::default(),
        behavior: Default::default(),
        partial_of: None,
        origins: Vec::new(),
        upload: None,
    };
    let redacted = json!({"properties": {"secret": "(sensitive)"}});
    let mut state = State::new();
    let salt = state.salt().to_string();
    let r = ResourceState::from_desired(&desired, redacted.clone(), &salt);
    // Salted: neither the plain hash of the body sent nor that of the redacted one, and a
    // changed secret changes it.
    assert_ne!(r.request_hash, request_hash(&desired.body));
    assert_ne!(r.request_hash, request_hash(&redacted));
    let mut other = desired.clone();
    other.body = json!({"properties": {"secret": "hunter3"}});
    assert_ne!(
        r.request_hash,
        ResourceState::from_desired(&other, redacted.clone(), &salt).request_hash
    );
    state.record_applied(r);
    let stored = state.get("workspace.w").unwrap();
    assert_eq!(stored.applied_body, redacted);
    assert_eq!(stored.depends_on, ["a", "b"]);
    assert!(
        !String::from_utf8(state.to_json_bytes())
            .unwrap()
            .contains("hunter2")
    );
}

#[test]
fn record_remove_and_taint_report_changes() {
    let mut state = State::new();
    let r = resource("workspace.a", json!({"a": 1}));
    assert!(state.record_applied(r.clone()));
    assert!(
        !state.record_applied(r.clone()),
        "re-recording the same record is no change"
    );
    assert!(state.taint("workspace.a"));
    assert!(!state.taint("workspace.a"));
    assert_eq!(
        state.get("workspace.a").unwrap().status,
        ResourceStatus::Tainted
    );
    assert!(!state.taint("workspace.missing"));
    assert!(state.remove("workspace.a").is_some());
    assert!(state.remove("workspace.a").is_none());
}

// ----- journal -----

#[test]
fn a_deposed_object_is_kept_until_its_delete_and_survives_a_save() {
    let mut state = sample_state();
    let serial = state.serial();
    let old_id = state.get("workspace.fraud").unwrap().id.clone();
    let deposed = state.depose("workspace.fraud").expect("deposed");
    assert_eq!(deposed_base(&deposed), Some("workspace.fraud"));
    let mut new = resource("workspace.fraud", json!({"location": "westeurope"}));
    new.id.push('2');
    state.record_applied(new.clone());
    assert!(state.bump_serial_if_changed());
    assert!(state.serial() > serial);
    let reloaded = State::from_json_slice(&state.to_json_bytes()).unwrap();
    assert_eq!(reloaded, state);
    let mut state = reloaded;
    assert_eq!(state.deposed().len(), 1);
    assert_eq!(state.deposed().next().unwrap().id, old_id);
    // Deleting the new object's ID leaves the deposed one; the old ID removes it.
    assert!(!state.remove_object("workspace.fraud", "/elsewhere"));
    assert!(state.remove_object("workspace.fraud", &old_id.to_ascii_uppercase()));
    assert_eq!(state.deposed().len(), 0);
    assert_eq!(state.get("workspace.fraud"), Some(&new));
    assert!(state.remove_object("workspace.fraud", &new.id));
    assert!(!state.contains("workspace.fraud"));
    let bad = String::from_utf8(sample_state().to_json_bytes())
        .unwrap()
        .replacen(
            "\"outputs\"",
            "\"deposed\": [{\"address\": \"x\"}], \"outputs\"",
            1,
        );
    assert!(State::from_json_slice(bad.as_bytes()).is_err());
}

#[test]
fn journal_pending_complete_and_clear() {
    let mut state = State::new();
    let a = state.begin("workspace.a", "/a", Operation::Put, Some("h1".into()));
    let b = state.begin("workspace.b", "/b", Operation::Delete, None);
    let c = state.begin("endpoint.c", "/c", Operation::Patch, Some("h3".into()));
    assert_eq!((a, b, c), (1, 2, 3));
    assert_eq!(state.pending().len(), 3);

    assert!(state.complete(a, Outcome::Done));
    assert!(!state.complete(a, Outcome::Done), "already completed");
    assert!(!state.complete(99, Outcome::Done), "unknown entry");
    assert!(state.complete(b, Outcome::Failed("Conflict: busy".into())));
    let pending: Vec<u64> = state.pending().iter().map(|e| e.seq).collect();
    assert_eq!(pending, [c]);
    assert_eq!(state.journal()[1].status, JournalStatus::Failed);
    assert_eq!(state.journal()[1].error.as_deref(), Some("Conflict: busy"));

    assert_eq!(state.clear_completed_journal(), 2);
    assert_eq!(state.journal().len(), 1);
    assert_eq!(state.pending()[0].address, "endpoint.c");
    // Sequence numbers keep increasing past the kept entries.
    assert_eq!(state.begin("x", "/x", Operation::Action, None), 4);
}

#[test]
fn journal_survives_a_crash_between_begin_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let mut state = State::new();
    let seq = state.begin("workspace.a", "/a", Operation::Put, Some("h".into()));
    backend.save(&mut state).unwrap();
    // The process dies here, before the request's outcome is recorded.
    drop(state);
    let reloaded = LocalBackend::new(backend.path()).load().unwrap().unwrap();
    let pending = reloaded.pending();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].seq, seq);
    assert_eq!(pending[0].operation, Operation::Put);
    assert_eq!(pending[0].request_hash.as_deref(), Some("h"));
}

// ----- serial -----

#[test]
fn serial_changes_exactly_when_resources_change() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let mut state = State::new();

    // Nothing managed yet: saving does not bump.
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 0);

    state.record_applied(resource("workspace.a", json!({"a": 1})));
    assert!(state.resources_changed());
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 1);
    assert!(!state.resources_changed());

    // Journal, outputs and re-saves do not bump.
    let seq = state.begin("workspace.a", "/a", Operation::Put, None);
    backend.save(&mut state).unwrap();
    state.complete(seq, Outcome::Done);
    state.clear_completed_journal();
    state.set_output("o", json!(1), false);
    backend.save(&mut state).unwrap();
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 1);

    // A no-op apply: the same records recorded again, even with another key order.
    state.record_applied(resource("workspace.a", json!({"a": 1})));
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 1);

    // Changed, then changed back before the save: no bump.
    state.record_applied(resource("workspace.a", json!({"a": 2})));
    state.record_applied(resource("workspace.a", json!({"a": 1})));
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 1);

    // A changed request bumps once per save that carries changes.
    state.record_applied(resource("workspace.a", json!({"a": 2})));
    state.record_applied(resource("workspace.b", json!({"b": 1})));
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 2);
    state.taint("workspace.b");
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 3);
    state.remove("workspace.b");
    backend.save(&mut state).unwrap();
    assert_eq!(state.serial(), 4);

    // The serial is persisted, and a reloaded state starts unchanged.
    let mut reloaded = LocalBackend::new(backend.path()).load().unwrap().unwrap();
    assert_eq!(reloaded.serial(), 4);
    assert!(!reloaded.resources_changed());
    assert!(!reloaded.bump_serial_if_changed());
}

#[test]
fn key_order_of_bodies_does_not_change_the_record() {
    let mut state = State::new();
    let body1: Value = serde_json::from_str(r#"{"b": 1, "a": {"y": 2, "x": 1}}"#).unwrap();
    let body2: Value = serde_json::from_str(r#"{"a": {"x": 1, "y": 2}, "b": 1}"#).unwrap();
    state.record_applied(resource("w", body1));
    let first = state.to_json_bytes();
    assert!(!state.record_applied(resource("w", body2)));
    assert_eq!(state.to_json_bytes(), first);
}

// ----- files -----

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    assert!(
        backend.load().unwrap().is_none(),
        "a missing file is no state"
    );
    let mut state = sample_state();
    state.begin("workspace.fraud", "/x", Operation::Delete, None);
    backend.save(&mut state).unwrap();
    let loaded = LocalBackend::new(backend.path()).load().unwrap().unwrap();
    assert_eq!(loaded, state);
    assert_eq!(loaded.to_json_bytes(), state.to_json_bytes());
}

#[test]
fn deterministic_output() {
    let dir = tempfile::tempdir().unwrap();
    let a = backend(&dir.path().join("a"));
    let b = backend(&dir.path().join("b"));
    let mut state = sample_state();
    a.save(&mut state).unwrap();
    // The same state built in another order.
    let mut other = State::new();
    other.set_output("key", json!("s3cret"), true);
    for r in state.resources().rev() {
        other.record_applied(r.clone());
    }
    other.set_output("workspace_id", json!("/subscriptions/x"), false);
    other.lineage = state.lineage().to_string();
    b.save(&mut other).unwrap();
    let bytes_a = fs::read(a.path()).unwrap();
    let bytes_b = fs::read(b.path()).unwrap();
    assert_eq!(bytes_a, bytes_b);
    // Saving it again writes the same bytes.
    a.save(&mut state).unwrap();
    assert_eq!(fs::read(a.path()).unwrap(), bytes_a);
    assert!(bytes_a.ends_with(b"}\n"));
}

#[test]
fn atomic_save_keeps_the_previous_state_as_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".amlplan").join("state.json");

    // Run 1 creates the state: nothing to back up.
    let run1 = LocalBackend::new(&path);
    let mut state = sample_state();
    run1.save(&mut state).unwrap();
    let v1 = fs::read(&path).unwrap();
    assert!(!run1.backup_path().exists());

    // Run 2 changes it twice: the backup is the state before run 2.
    let run2 = LocalBackend::new(&path);
    let mut state = run2.load().unwrap().unwrap();
    state.record_applied(resource("workspace.new", json!({"n": 1})));
    run2.save(&mut state).unwrap();
    let v2 = fs::read(&path).unwrap();
    assert_ne!(v1, v2);
    assert_eq!(fs::read(run2.backup_path()).unwrap(), v1);
    state.remove("workspace.new");
    run2.save(&mut state).unwrap();
    assert_eq!(fs::read(run2.backup_path()).unwrap(), v1);

    // Run 3: the backup becomes run 2's final state.
    let v2_final = fs::read(&path).unwrap();
    let run3 = LocalBackend::new(&path);
    let mut state = run3.load().unwrap().unwrap();
    run3.save(&mut state).unwrap();
    assert_eq!(fs::read(run3.backup_path()).unwrap(), v2_final);

    // No temporary files are left behind.
    assert_eq!(
        files_in(path.parent().unwrap()),
        ["state.json", "state.json.backup"]
    );
}

#[cfg(unix)]
#[test]
fn state_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    backend.save(&mut sample_state()).unwrap();
    let mode = fs::metadata(backend.path()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn corrupt_file_is_an_error_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let garbage = "{\"format_version\": 1, \"serial\": 3, \"resources\": [";
    write(backend.path(), garbage);

    let err = backend.load().unwrap_err();
    assert!(matches!(err, StateError::Corrupt { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("state.json is corrupt"), "{msg}");
    assert!(msg.contains("will not overwrite"), "{msg}");
    assert_eq!(err.path(), backend.path());

    let err = backend.save(&mut State::new()).unwrap_err();
    assert!(matches!(err, StateError::RefuseOverwrite { .. }), "{err:?}");
    assert!(err.to_string().contains("refusing to overwrite"), "{err}");
    assert_eq!(fs::read_to_string(backend.path()).unwrap(), garbage);

    // A backend that never loaded it checks before its first save, too.
    let fresh = LocalBackend::new(backend.path());
    assert!(matches!(
        fresh.save(&mut State::new()),
        Err(StateError::RefuseOverwrite { .. })
    ));
    assert_eq!(fs::read_to_string(backend.path()).unwrap(), garbage);

    // Forcing overwrites, keeping the corrupt file as the backup.
    let forced = LocalBackend::new(backend.path()).with_force(true);
    assert!(forced.load().is_err());
    forced.save(&mut State::new()).unwrap();
    assert!(forced.load().unwrap().is_some());
    assert_eq!(fs::read_to_string(forced.backup_path()).unwrap(), garbage);
}

#[test]
fn invalid_documents_are_corrupt_with_a_reason() {
    let lineage = random_uuid().to_string();
    let cases = [
        ("", "the file is empty"),
        (
            "{\"format_version\": 1,",
            "invalid JSON: EOF while parsing a value at line 1 column 21",
        ),
        ("[]", "not a JSON object"),
        (r#"{"serial": 1}"#, "no `format_version`"),
        (r#"{"format_version": "1"}"#, "not a number"),
        (r#"{"format_version": 0}"#, "not a version"),
        (
            r#"{"format_version": 1, "serial": 1, "lineage": "nope", "resources": []}"#,
            "not a UUID",
        ),
        (
            &format!(
                r#"{{"format_version": 1, "serial": 1, "lineage": "{lineage}", "resources": [], "extra": 1}}"#
            ),
            "unknown field `extra`",
        ),
        (
            &format!(
                r#"{{"format_version": 1, "serial": 1, "lineage": "{lineage}", "resources": [
                    {{"address": "a", "kind": "k", "id": "/i", "api_version": "v", "request_hash": "h",
                      "applied_body": {{}}, "depends_on": [], "status": "created"}},
                    {{"address": "a", "kind": "k", "id": "/i", "api_version": "v", "request_hash": "h",
                      "applied_body": {{}}, "depends_on": [], "status": "created"}}]}}"#
            ),
            "appears twice",
        ),
        (
            &format!(
                r#"{{"format_version": 1, "serial": 1, "lineage": "{lineage}", "resources": [
                    {{"address": "a", "kind": "k", "id": "/i", "api_version": "v", "request_hash": "h",
                      "applied_body": {{}}, "depends_on": [], "status": "gone"}}]}}"#
            ),
            "unknown variant `gone`",
        ),
    ];
    for (text, expected) in cases {
        match State::from_json_slice(text.as_bytes()) {
            Err(FormatError::Corrupt(reason)) => {
                assert!(reason.contains(expected), "{text}: {reason}")
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn corrupt_error_points_at_an_existing_backup() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    backend.save(&mut sample_state()).unwrap();
    LocalBackend::new(backend.path())
        .save(&mut backend.load().unwrap().unwrap())
        .unwrap();
    assert!(backend.backup_path().exists());
    fs::write(backend.path(), "not json").unwrap();
    let err = backend.load().unwrap_err();
    assert!(err.to_string().contains("state.json.backup"), "{err}");
}

#[test]
fn newer_format_is_an_error_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let text = r#"{"format_version": 2, "serial": 9, "whatever": {"new": true}}"#;
    write(backend.path(), text);
    let err = backend.load().unwrap_err();
    assert!(
        matches!(
            err,
            StateError::NewerFormat {
                found: 2,
                supported: 1,
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("was written by a newer amlplan (format 2")
            && msg.contains("upgrade amlplan")
            && msg.contains("state.json"),
        "{msg}"
    );
    assert!(backend.save(&mut State::new()).is_err());
    assert_eq!(fs::read_to_string(backend.path()).unwrap(), text);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    // A directory where the file should be cannot be read as one.
    fs::create_dir_all(backend.path()).unwrap();
    let err = backend.load().unwrap_err();
    assert!(matches!(err, StateError::Read { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("cannot read state file"),
        "{err}"
    );
    assert!(backend.save(&mut State::new()).is_err());
}

#[test]
fn another_lineage_or_an_older_serial_is_not_saved_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut state = sample_state();
    LocalBackend::new(&path).save(&mut state).unwrap();
    let saved = fs::read(&path).unwrap();

    let err = LocalBackend::new(&path)
        .save(&mut State::new())
        .unwrap_err();
    assert!(matches!(err, StateError::LineageMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("different state"), "{err}");

    let mut stale = state.clone();
    state.record_applied(resource("workspace.z", json!({})));
    LocalBackend::new(&path).save(&mut state).unwrap();
    let newer = fs::read(&path).unwrap();
    assert_ne!(newer, saved);
    let err = LocalBackend::new(&path).save(&mut stale).unwrap_err();
    assert!(
        matches!(
            err,
            StateError::SerialRegression {
                on_disk: 2,
                in_memory: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(fs::read(&path).unwrap(), newer);
}

#[test]
fn default_paths() {
    let dir = Path::new("/work/proj");
    assert_eq!(
        LocalBackend::default_path(dir),
        PathBuf::from("/work/proj/.amlplan/state.json")
    );
    let backend = LocalBackend::for_manifest_dir(dir);
    assert_eq!(
        backend.backup_path(),
        PathBuf::from("/work/proj/.amlplan/state.json.backup")
    );
    assert_eq!(
        backend.lock_path(),
        PathBuf::from("/work/proj/.amlplan/state.json.lock")
    );
}

// ----- locking -----

#[test]
fn lock_contention_reports_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let info = LockInfo::new("amlplan apply");
    assert_eq!(info.pid, std::process::id());
    let held = backend.lock(info.clone()).unwrap();
    assert_eq!(held.info(), &info);
    assert_eq!(backend.lock_holder().as_ref(), Some(&info));

    // Another open of the lock file (another process, or this one) cannot take it.
    let err = LocalBackend::new(backend.path())
        .lock(LockInfo::new("amlplan plan"))
        .unwrap_err();
    match &err {
        StateError::Locked {
            holder: Some(holder),
            ..
        } => assert_eq!(**holder, info),
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    for part in [
        "state.json is locked",
        "`amlplan apply`",
        &format!("pid {}", info.pid),
        &format!("on host {}", info.host),
        &info.time,
        &format!("amlplan force-unlock {}", info.id),
    ] {
        assert!(msg.contains(part), "{part:?} missing from: {msg}");
    }

    // Released on drop: the next one gets it.
    drop(held);
    assert!(!backend.lock_path().exists());
    let again = backend.lock(LockInfo::new("amlplan plan")).unwrap();
    again.release().unwrap();
    assert!(!backend.lock_path().exists());
}

#[test]
fn stale_lock_file_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    // A SIGKILLed process leaves its lock file; its OS lock died with it.
    let dead = LockInfo {
        pid: 999_999,
        host: "gone".into(),
        command: "amlplan apply".into(),
        ..LockInfo::new("amlplan apply")
    };
    write(&backend.lock_path(), &serde_json::to_string(&dead).unwrap());
    let ours = LockInfo::new("amlplan apply");
    let held = backend.lock(ours.clone()).unwrap();
    assert_eq!(backend.lock_holder(), Some(ours.clone()));
    // The details are overwritten, not appended.
    let text = fs::read_to_string(backend.lock_path()).unwrap();
    assert_eq!(serde_json::from_str::<LockInfo>(&text).unwrap(), ours);
    drop(held);

    // Garbage in a lock file does not block either.
    write(&backend.lock_path(), "{\"half\": ");
    backend.lock(LockInfo::new("amlplan apply")).unwrap();
}

#[test]
fn lock_held_through_another_file_handle_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let info = LockInfo::new("amlplan destroy");
    write(&backend.lock_path(), &serde_json::to_string(&info).unwrap());
    // Some other holder with its own open file description.
    let handle = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(backend.lock_path())
        .unwrap();
    handle.try_lock().unwrap();
    match backend.lock(LockInfo::new("amlplan apply")) {
        Err(StateError::Locked {
            holder: Some(h), ..
        }) => assert_eq!(*h, info),
        other => panic!("{other:?}"),
    }
    // force-unlock refuses while a live process holds it.
    let err = backend.force_unlock(&info.id.to_string()).unwrap_err();
    assert!(matches!(err, StateError::LockInUse { .. }), "{err:?}");
    assert!(err.to_string().contains("still running"), "{err}");
    assert!(backend.lock_path().exists());
    drop(handle);
    backend.lock(LockInfo::new("amlplan apply")).unwrap();
}

#[test]
fn force_unlock_with_right_and_wrong_id() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    assert!(matches!(
        backend.force_unlock("whatever"),
        Err(StateError::NotLocked { .. })
    ));

    let dead = LockInfo::new("amlplan apply");
    write(&backend.lock_path(), &serde_json::to_string(&dead).unwrap());

    let wrong = random_uuid().to_string();
    let err = backend.force_unlock(&wrong).unwrap_err();
    assert!(matches!(err, StateError::LockIdMismatch { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(&wrong) && msg.contains(&dead.id.to_string()),
        "{msg}"
    );
    assert!(matches!(
        backend.force_unlock("not-a-uuid"),
        Err(StateError::LockIdMismatch { .. })
    ));
    assert!(backend.lock_path().exists());

    // The right ID, in any case.
    let removed = backend
        .force_unlock(&dead.id.to_string().to_uppercase())
        .unwrap();
    assert_eq!(removed, dead);
    assert!(!backend.lock_path().exists());
}

#[test]
fn taking_the_lock_clears_temporary_files_of_crashed_saves() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    backend.save(&mut sample_state()).unwrap();
    let state_dir = backend.path().parent().unwrap().to_path_buf();
    fs::write(state_dir.join(".state.json.tmp.4242.0"), "partial").unwrap();
    fs::write(state_dir.join(".state.json.backup.tmp.4242.3"), "partial").unwrap();
    fs::write(state_dir.join("mock-cloud.json"), "{}").unwrap();
    let held = backend.lock(LockInfo::new("amlplan apply")).unwrap();
    assert_eq!(
        files_in(&state_dir),
        ["mock-cloud.json", "state.json", "state.json.lock"]
    );
    drop(held);
}

#[test]
fn lock_info_round_trips_as_json() {
    let info = LockInfo::new("amlplan apply");
    let text = serde_json::to_string(&info).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    for key in ["id", "pid", "host", "time", "command", "who"] {
        assert!(value.get(key).is_some(), "{key}");
    }
    assert!(
        info.time.ends_with('Z') && info.time.len() == 20,
        "{}",
        info.time
    );
    assert_eq!(serde_json::from_str::<LockInfo>(&text).unwrap(), info);
}

#[test]
fn concurrent_saves_from_threads_are_serialised() {
    let dir = tempfile::tempdir().unwrap();
    let backend = std::sync::Arc::new(backend(dir.path()));
    let state = std::sync::Arc::new(std::sync::Mutex::new(State::new()));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let backend = backend.clone();
            let state = state.clone();
            std::thread::spawn(move || {
                for j in 0..5 {
                    let mut state = state.lock().unwrap();
                    state.record_applied(resource(&format!("r{i}.{j}"), json!({"i": i})));
                    backend.save(&mut state).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let loaded = LocalBackend::new(backend.path()).load().unwrap().unwrap();
    assert_eq!(loaded.len(), 40);
    assert_eq!(loaded.serial(), 40);
    assert_eq!(files_in(backend.path().parent().unwrap()), ["state.json"]);
}

/// A real second process holds the OS lock, then is SIGKILLed: its lock file stays, its lock
/// does not. Uses util-linux `flock(1)`, which takes the same `flock(2)` lock.
#[cfg(target_os = "linux")]
#[test]
fn lock_of_a_killed_process_does_not_block() {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let holder = LockInfo {
        pid: 1,
        ..LockInfo::new("amlplan apply")
    };
    write(
        &backend.lock_path(),
        &serde_json::to_string(&holder).unwrap(),
    );
    let ready = dir.path().join("ready");
    let child = Command::new("flock")
        .arg("--exclusive")
        .arg(backend.lock_path())
        .arg("sh")
        .arg("-c")
        .arg(format!("touch '{}'; exec sleep 60", ready.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("flock(1) not available; skipped");
        return;
    };
    let started = std::time::Instant::now();
    while !ready.exists() {
        assert!(started.elapsed().as_secs() < 10, "flock(1) did not start");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    match backend.lock(LockInfo::new("amlplan apply")) {
        Err(StateError::Locked {
            holder: Some(h), ..
        }) => assert_eq!(*h, holder),
        other => panic!("{other:?}"),
    }
    // SIGKILL flock(1) and the command it runs (which inherited the locked descriptor).
    let killed = Command::new("kill")
        .args(["-KILL", "--"])
        .arg(format!("-{}", child.id()))
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait().unwrap();
    assert!(
        backend.lock_path().exists(),
        "the dead holder's file remains"
    );
    let ours = LockInfo::new("amlplan apply");
    // The kernel frees the lock when the last process holding the descriptor has exited; a
    // killed grandchild on a loaded machine may take a moment to be torn down.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let held = loop {
        match backend.lock(ours.clone()) {
            Err(StateError::Locked { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.unwrap(),
        }
    };
    assert_eq!(backend.lock_holder(), Some(ours));
    drop(held);
}

#[test]
fn a_serial_at_its_maximum_is_an_error_not_a_wrap() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let mut state = State::new();
    state.record_applied(resource("workspace.a", json!({"a": 1})));
    backend.save(&mut state).unwrap();
    let text = fs::read_to_string(backend.path()).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["serial"] = json!(u64::MAX);
    fs::write(backend.path(), serde_json::to_vec_pretty(&doc).unwrap()).unwrap();

    let backend = super::LocalBackend::new(backend.path().to_path_buf());
    let mut state = backend.load_or_new().unwrap();
    assert_eq!(state.serial(), u64::MAX);
    // Saving unchanged resources is fine.
    backend.save(&mut state).unwrap();
    state.record_applied(resource("workspace.a", json!({"a": 2})));
    let before = fs::read(backend.path()).unwrap();
    let err = backend.save(&mut state).unwrap_err();
    assert!(matches!(err, StateError::SerialExhausted { .. }), "{err}");
    assert!(err.to_string().contains("maximum"));
    assert_eq!(state.serial(), u64::MAX);
    assert_eq!(
        fs::read(backend.path()).unwrap(),
        before,
        "the file is untouched"
    );
}

// ----- journal -----

/// A saved snapshot, then steps journalled one record each: the backend, the journal path,
/// the state after each step (index 0: the snapshot) and the journal's length after each.
fn journalled_steps(dir: &Path) -> (Vec<State>, Vec<usize>, PathBuf) {
    let b = backend(dir);
    let mut state = sample_state();
    b.save(&mut state).unwrap();
    state.start_recording();
    let mut states = vec![state.clone()];
    let mut lens = vec![0];
    type Step = Box<dyn Fn(&mut State)>;
    let steps: Vec<Step> = vec![
        Box::new(|s| {
            s.begin("workspace.fraud", "/new", Operation::Put, Some("h".into()));
        }),
        Box::new(|s| {
            s.depose("workspace.fraud");
            let mut r = resource("workspace.fraud", json!({"properties": {"n": 2}}));
            r.id = "/new".into();
            s.record_applied(r);
            s.complete(1, Outcome::Done);
        }),
        Box::new(|s| {
            s.begin("compute_cluster.cpu", "/c", Operation::Delete, None);
        }),
        Box::new(|s| {
            s.remove("compute_cluster.cpu");
            s.taint("workspace.fraud");
            s.complete(2, Outcome::Failed("boom".into()));
        }),
    ];
    for step in steps {
        step(&mut state);
        let record = journal::frame(&state.take_changes());
        assert_eq!(b.append_journal(&record).unwrap(), Some(false));
        states.push(state.clone());
        lens.push(fs::metadata(b.journal_path()).unwrap().len() as usize);
    }
    (states, lens, b.journal_path())
}

/// The same records: resources, deposed objects and journal entries (not the serial).
fn same_records(a: &State, b: &State) -> bool {
    a.resources().eq(b.resources())
        && a.deposed().eq(b.deposed())
        && a.journal() == b.journal()
        && a.lineage() == b.lineage()
}

#[test]
fn the_journal_replays_onto_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let (states, _, _) = journalled_steps(dir.path());
    let snapshot_serial = states[0].serial();
    let loaded = backend(dir.path()).load().unwrap().unwrap();
    assert!(same_records(&loaded, states.last().unwrap()));
    assert_eq!(loaded.deposed().len(), 1);
    assert!(!loaded.contains("compute_cluster.cpu"));
    assert_eq!(loaded.journal().len(), 2);
    // The replayed resources are not the snapshot's: a plan bound to its serial is stale.
    assert!(loaded.serial() > snapshot_serial);
    assert_eq!(backend(dir.path()).journal_damage(), None);
}

#[test]
fn power_loss_at_every_byte_of_the_last_record_replays_a_consistent_state() {
    let dir = tempfile::tempdir().unwrap();
    let (states, lens, journal_path) = journalled_steps(dir.path());
    let full = fs::read(&journal_path).unwrap();
    let n = states.len() - 1;
    let last_len = lens[n] - lens[n - 1];
    for k in 1..=last_len {
        fs::write(&journal_path, &full[..full.len() - k]).unwrap();
        let b = backend(dir.path());
        let loaded = b.load().unwrap().unwrap();
        assert!(
            same_records(&loaded, &states[n - 1]),
            "{k} bytes removed: not the state before the last step"
        );
        let damage = b.journal_damage();
        if k == last_len {
            assert_eq!(damage, None, "a whole record removed is no damage");
        } else {
            let damage = damage.expect("a torn record is reported");
            assert_eq!(damage.offset, lens[n - 1]);
            assert_eq!(damage.ignored, last_len - k);
        }
    }
    // A journal torn inside its header replays nothing.
    for len in [0, 5, journal::HEADER_LEN - 1] {
        fs::write(&journal_path, &full[..len]).unwrap();
        let loaded = backend(dir.path()).load().unwrap().unwrap();
        assert!(same_records(&loaded, &states[0]), "header cut at {len}");
    }
}

#[test]
fn a_bit_flip_in_the_last_record_is_detected_and_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (states, lens, journal_path) = journalled_steps(dir.path());
    let full = fs::read(&journal_path).unwrap();
    let n = states.len() - 1;
    for at in lens[n - 1]..lens[n] {
        for bit in [0u8, 3, 7] {
            let mut bytes = full.clone();
            bytes[at] ^= 1 << bit;
            fs::write(&journal_path, &bytes).unwrap();
            let b = backend(dir.path());
            let loaded = b.load().unwrap().unwrap();
            assert!(
                same_records(&loaded, &states[n - 1]),
                "bit {bit} of byte {at} flipped"
            );
            assert!(b.journal_damage().is_some(), "bit {bit} of byte {at}");
        }
    }
}

/// A bit flip in any byte of any record but the last (valid records follow it) is not a torn
/// end: the state is refused with where the damage is, and never saved over.
#[test]
fn a_bit_flip_before_the_last_record_refuses_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let (states, lens, journal_path) = journalled_steps(dir.path());
    let full = fs::read(&journal_path).unwrap();
    let n = states.len() - 1;
    let mut flipped = 0;
    for record in 0..n - 1 {
        let start = lens[record].max(journal::HEADER_LEN);
        for at in start..lens[record + 1] {
            for bit in [0u8, 3, 7] {
                let mut bytes = full.clone();
                bytes[at] ^= 1 << bit;
                fs::write(&journal_path, &bytes).unwrap();
                let b = backend(dir.path());
                let err = b.load().expect_err("a damaged middle record is refused");
                let StateError::JournalBroken { broken, .. } = &err else {
                    panic!("bit {bit} of byte {at}: {err}");
                };
                assert_eq!(broken.offset, start, "bit {bit} of byte {at}");
                assert_eq!(
                    broken.next_valid,
                    lens[record + 1],
                    "bit {bit} of byte {at}"
                );
                assert_eq!(broken.readable, record, "bit {bit} of byte {at}");
                let mut state = states[0].clone();
                assert!(
                    b.save(&mut state).is_err(),
                    "saved over bit {bit} of byte {at}"
                );
                flipped += 1;
            }
        }
    }
    assert!(flipped > 3 * (n - 1) * 8, "{flipped} flips");
    let err = {
        let mut bytes = full.clone();
        bytes[lens[1] + 20] ^= 1;
        fs::write(&journal_path, &bytes).unwrap();
        backend(dir.path()).load().unwrap_err()
    };
    let message = err.to_string();
    for needle in [
        "damaged in the middle",
        &format!("byte {}", lens[1]),
        &format!("from byte {}", lens[2]),
        "amlplan state list",
    ] {
        assert!(message.contains(needle), "{needle:?} not in {message}");
    }
    // Set aside, the journal no longer stands between the snapshot and the next run.
    fs::rename(&journal_path, dir.path().join("journal.damaged")).unwrap();
    let loaded = backend(dir.path()).load().unwrap().unwrap();
    assert!(same_records(&loaded, &states[0]));
}

#[test]
fn a_journal_left_beside_a_newer_snapshot_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (states, _, journal_path) = journalled_steps(dir.path());
    let journal_bytes = fs::read(&journal_path).unwrap();
    let b = backend(dir.path());
    let mut state = b.load().unwrap().unwrap();
    state.remove("workspace.fraud");
    b.save(&mut state).unwrap();
    assert!(!journal_path.exists(), "a snapshot removes the journal");
    // A crash between the snapshot's rename and the journal's removal.
    fs::write(&journal_path, &journal_bytes).unwrap();
    let loaded = backend(dir.path()).load().unwrap().unwrap();
    assert!(same_records(&loaded, &state));
    assert!(!same_records(&loaded, states.last().unwrap()));
    // A journal of a newer format is not replayed, nor saved over.
    let mut newer = journal_bytes.clone();
    newer[8] = 9;
    fs::write(&journal_path, &newer).unwrap();
    let b = backend(dir.path());
    let mut header = journal_bytes[..journal::HEADER_LEN].to_vec();
    header[8] = 9;
    // Pointed at the current snapshot so the version is what is checked.
    let digest: [u8; 32] = Sha256::digest(fs::read(b.path()).unwrap()).into();
    header[12..].copy_from_slice(&digest);
    fs::write(&journal_path, &header).unwrap();
    assert!(matches!(b.load(), Err(StateError::NewerFormat { .. })));
    assert!(b.save(&mut state).is_err());
}
