//! `amlplan state list|show` and `amlplan force-unlock`.

use crate::cli::{ForceUnlockArgs, StateArgs, StateCommand};
use crate::diagnostics::engine as diag;
use crate::render::diagnostic_line;
use crate::state::{Backend, State};

use super::{EXIT_ERROR, EXIT_OK};

fn backend(args: &StateArgs) -> Result<Backend, u8> {
    super::backend::for_state_commands(&args.dir, &args.provider).map_err(|d| {
        crate::render::stderr::print(format_args!("{}", diagnostic_line::render(&d)));
        EXIT_ERROR
    })
}

fn load(args: &StateArgs) -> Result<State, u8> {
    match backend(args)?.load() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Ok(State::new()),
        Err(e) => {
            crate::render::stderr::print(format_args!(
                "{}",
                diagnostic_line::render(&diag::state(&e))
            ));
            Err(EXIT_ERROR)
        }
    }
}

pub fn run(command: &StateCommand) -> u8 {
    match command {
        StateCommand::List(args) => match load(args) {
            Ok(state) => {
                for a in state.address_list() {
                    crate::render::stdout::println(a);
                }
                for r in state.deposed() {
                    crate::render::stdout::println(&r.address);
                }
                let deposed = state.deposed().len();
                if deposed > 0 {
                    // On stderr, so scripts reading the list get addresses only.
                    crate::render::stderr::println(format_args!(
                        "{deposed} object(s) marked (deposed TAG) were replaced by a create-before-destroy \
                         replacement and still exist in Azure: their delete has not been confirmed. \
                         The next `amlplan apply` deletes them (`amlplan plan` shows it)."
                    ));
                }
                EXIT_OK
            }
            Err(code) => code,
        },
        StateCommand::Show(args) => match load(&args.state) {
            Ok(state) => match state.show(&args.address) {
                Some(v) => {
                    crate::render::stdout::println(
                        &serde_json::to_string_pretty(&v).unwrap_or_default(),
                    );
                    EXIT_OK
                }
                None => {
                    let d = diag::not_in_state(&args.address, state.address_list());
                    crate::render::stderr::print(format_args!("{}", diagnostic_line::render(&d)));
                    EXIT_ERROR
                }
            },
            Err(code) => code,
        },
    }
}

pub fn force_unlock(args: &ForceUnlockArgs) -> u8 {
    let backend = match backend(&args.state) {
        Ok(backend) => backend,
        Err(code) => return code,
    };
    match backend.force_unlock(&args.lock_id) {
        Ok(info) => {
            crate::render::stdout::println(&format!(
                "Removed the lock {} held by {} (pid {} on {}, since {}).",
                info.id, info.command, info.pid, info.host, info.time
            ));
            EXIT_OK
        }
        Err(e) => {
            crate::render::stderr::print(format_args!(
                "{}",
                diagnostic_line::render(&diag::force_unlock_failed(&e))
            ));
            EXIT_ERROR
        }
    }
}
