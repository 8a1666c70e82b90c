//! Diagnostics of the engine, the provider seam and the commands around them: state, lock,
//! provider, plan files, ARM operations, command-line inputs (E0406, E0902 to E0918). One
//! constructor per situation; each uses its code in exactly its documented meaning.

use crate::diagnostic::{Code, Diagnostic};
use crate::provider::ArmError;
use crate::provider::emulator::MockCloudError;
use crate::state::StateError;

/// A resource with `lifecycle.prevent_destroy` that destroy would delete. `span` is its
/// block, when known.
pub fn prevent_destroy(address: &str, span: Option<crate::source::Span>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0902,
        format!("`{address}` has prevent_destroy set; destroy would delete it"),
    )
    .with_help("remove prevent_destroy in a reviewed change if destroying it is intended");
    match span {
        Some(span) => d.at(span, "protected by lifecycle.prevent_destroy"),
        None => d,
    }
}

/// A saved plan that no longer matches the manifest, the state or the cloud.
pub fn saved_plan_stale(what: &str) -> Diagnostic {
    Diagnostic::new(Code::E0903, format!("the saved plan is stale: {what}"))
        .with_help("run `amlplan plan -out FILE` again and review the new plan")
}

/// The end of the state's journal could not be read (a record torn by a crash, or damaged on
/// disk) and was ignored: the state is the snapshot plus every step before it.
pub fn journal_damaged(
    journal: &std::path::Path,
    damage: &crate::state::journal::Damage,
) -> Diagnostic {
    Diagnostic::new(
        Code::W0103,
        format!(
            "the end of the state journal {} could not be read ({}): {} bytes from offset {} are ignored",
            journal.display(),
            damage.reason,
            damage.ignored,
            damage.offset
        ),
    )
    .with_help(
        "a step lost this way was never confirmed; the refresh finds what ARM holds and the next apply converges",
    )
}

/// The state cannot be read, written or locked.
pub fn state(e: &StateError) -> Diagnostic {
    let code = match e {
        StateError::Locked { .. } | StateError::LockInUse { .. } => Code::E0905,
        StateError::Remote { .. } => Code::E0928,
        StateError::ContainerMissing { .. } => Code::E0929,
        StateError::BlobChanged { .. } => Code::E0930,
        StateError::LeaseLost { .. } => Code::E0931,
        StateError::BackendSettings { .. } => Code::E0932,
        StateError::JournalBroken { .. } => Code::E0316,
        _ => Code::E0904,
    };
    Diagnostic::new(code, e.to_string())
}

/// `force-unlock` could not remove the lock (not held, another ID, unreadable).
pub fn force_unlock_failed(e: &StateError) -> Diagnostic {
    Diagnostic::new(Code::E0905, e.to_string())
}

/// Reading the resources of a refresh failed (each line: the ID and ARM's error).
pub fn refresh_failed(failures: &[String]) -> Diagnostic {
    Diagnostic::new(
        Code::E0906,
        format!(
            "reading the current resources failed:\n  {}",
            failures.join("\n  ")
        ),
    )
}

/// One apply operation ARM refused: `ADDRESS: CODE (STATUS): MESSAGE`; or, when what failed
/// was saving the operation's journal entry, a state error.
pub fn operation_failed(address: &str, e: &ArmError) -> Diagnostic {
    if e.code == crate::apply::state_writer::STATE_WRITE_FAILED {
        return Diagnostic::new(
            Code::E0904,
            format!("{address}: the state could not be saved: {}", e.message),
        );
    }
    if e.code == crate::apply::applier::VALUE_UNKNOWN {
        return Diagnostic::new(Code::E0918, format!("{address}: {}", e.message));
    }
    if e.code == crate::provider::client::UNRESOLVED_UNKNOWN {
        return unresolved_request(&e.message);
    }
    Diagnostic::new(
        Code::E0906,
        format!("{address}: {} ({}): {}", e.code, e.status, e.message),
    )
}

/// A plan file that cannot be read.
pub fn plan_file_unreadable(path: &std::path::Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::E0907,
        format!("cannot read plan file {}: {e}", path.display()),
    )
}

/// A file that is not a plan file amlplan wrote.
pub fn not_a_plan_file(path: &std::path::Path) -> Diagnostic {
    Diagnostic::new(
        Code::E0907,
        format!(
            "{} is not a plan file written by `amlplan plan -out`",
            path.display()
        ),
    )
}

/// A plan file of another format version.
pub fn plan_file_version(
    path: &std::path::Path,
    found: &serde_json::Value,
    supported: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0907,
        format!(
            "{} has plan format {found}; this amlplan writes {supported}",
            path.display()
        ),
    )
}

/// The mock cloud file is corrupt, of another version, or cannot be read or written.
pub fn mock_cloud_unusable(e: &MockCloudError) -> Diagnostic {
    Diagnostic::new(Code::E0908, e.to_string())
}

/// `amlplan explain X` where X is no diagnostic code.
pub fn unknown_code(given: &str) -> Diagnostic {
    Diagnostic::new(Code::E0916, format!("`{given}` is not a diagnostic code"))
}

/// `amlplan fmt` formatted a file but could not write it back.
pub fn format_write_failed(shown: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Code::E0917, format!("cannot write `{shown}`: {e}"))
}

/// The worker threads of plan, apply or destroy could not be started.
pub fn runtime_unavailable(e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Code::E0909, format!("cannot start the async runtime: {e}"))
}

/// `AMLPLAN_MOCK_OPTIONS` is not valid emulator options.
pub fn mock_options_invalid(e: &serde_json::Error) -> Diagnostic {
    Diagnostic::new(
        Code::E0910,
        format!("AMLPLAN_MOCK_OPTIONS is not valid emulator options: {e}"),
    )
    .with_help("unset AMLPLAN_MOCK_OPTIONS or give it a JSON object of emulator options")
}

/// `plan -out FILE` could not write FILE.
pub fn plan_file_unwritable(path: &std::path::Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::E0911,
        format!("cannot write the plan file {}: {e}", path.display()),
    )
}

/// apply or destroy was not run in a terminal and not pre-approved.
pub fn confirmation_needed(verb: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0912,
        format!("{verb} needs confirmation; run it in a terminal or pass --auto-approve"),
    )
}

/// `amlplan output NAME` before any apply, for an output that refers to a resource.
pub fn output_known_after_apply(name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0913,
        format!("output `{name}` is known only after apply: nothing has been applied yet"),
    )
    .with_help("run `amlplan apply` first; `amlplan plan --format json` shows its planned value")
}

/// `amlplan output NAME` for a name the state has no output for.
pub fn no_such_output<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(Code::E0914, format!("no output named `{name}`"));
    match crate::diagnostic::did_you_mean(name, known) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// `amlplan state show ADDRESS` for an address the state does not hold.
pub fn not_in_state<'a>(address: &str, known: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(Code::E0915, format!("`{address}` is not in the state"));
    match crate::diagnostic::did_you_mean(address, known) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// A `--var` argument that is not `NAME=VALUE`.
pub fn invalid_var_argument(given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0406,
        format!("--var expects NAME=VALUE, got `{given}`"),
    )
    .with_help("give each variable as NAME=VALUE, e.g. --var region=eastus")
}

/// E0990: the lowering met what the checker guarantees cannot happen (a resource without
/// the parent reference its ARM ID needs): a bug in amlplan, reported instead of a panic.
pub fn lowering_without_parent(address: &str, attr: &str, span: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0990,
        format!("internal error: `{address}` reached the lowering without a `{attr}` reference"),
    )
    .at(span, "its ARM ID cannot be built")
}

/// E0990: a write still holding a value known only after apply reached the provider, which
/// refused to send it.
pub fn unresolved_request(what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0990,
        format!(
            "internal error: a request was about to be sent with values known only after apply ({what}); nothing was sent"
        ),
    )
}

/// `--provider azure` settings that cannot work: an `--arm-endpoint` that is no http(s) URL
/// (plain http only on loopback), `--auth none` off loopback, unreadable
/// `AMLPLAN_AZURE_OPTIONS`.
pub fn azure_settings_invalid(what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0925,
        format!("the Azure provider cannot be used: {what}"),
    )
    .with_help("see `amlplan explain E0925` for --arm-endpoint, --auth and AMLPLAN_AZURE_OPTIONS")
}

/// No credential of `--auth` produced a token; `tried` names each credential tried and why
/// it failed (never a token or secret).
pub fn no_azure_credential(tried: &[String]) -> Diagnostic {
    Diagnostic::new(
        Code::E0926,
        format!(
            "no Azure credential could get a token for ARM; tried: {}",
            tried.join("; ")
        ),
    )
    .with_help(
        "sign in with `az login`, or set the variables of the credential you mean and pass --auth",
    )
}

/// `amlplan emulator` could not start: the address cannot be listened on, or an option is
/// malformed.
pub fn emulator_cannot_start(what: &str) -> Diagnostic {
    Diagnostic::new(Code::E0927, format!("the emulator cannot start: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_failures_name_the_address_and_arm_error() {
        let d = operation_failed(
            "role_assignment.reader",
            &ArmError {
                status: 400,
                code: "PrincipalNotFound".into(),
                message: "not yet".into(),
            },
        );
        assert_eq!(d.code, Code::E0906);
        assert_eq!(
            d.message,
            "role_assignment.reader: PrincipalNotFound (400): not yet"
        );
    }

    #[test]
    fn a_failed_state_save_is_a_state_error() {
        let d = operation_failed(
            "workspace.main",
            &ArmError {
                status: 0,
                code: crate::apply::state_writer::STATE_WRITE_FAILED.into(),
                message: "disk full".into(),
            },
        );
        assert_eq!(d.code, Code::E0904);
        assert!(d.message.contains("disk full"));
    }

    #[test]
    fn an_unresolved_value_is_not_an_arm_failure() {
        let d = operation_failed(
            "role_assignment.reader",
            &ArmError {
                status: 0,
                code: crate::apply::applier::VALUE_UNKNOWN.into(),
                message: "the manifest no longer compiles".into(),
            },
        );
        assert_eq!(d.code, Code::E0918);
        assert_eq!(
            d.message,
            "role_assignment.reader: the manifest no longer compiles"
        );
    }

    #[test]
    fn runtime_failures_have_their_own_code() {
        let d = runtime_unavailable(&std::io::Error::other("no threads"));
        assert_eq!(d.code, Code::E0909);
        assert!(d.message.contains("no threads"));
    }
}
