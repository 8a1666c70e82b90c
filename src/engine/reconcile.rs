//! State reconciliation: bringing the state in line with what the refresh found before an
//! apply writes anything.

use crate::plan::{Action, Plan};
use crate::state::{ResourceState, State};

/// Settles the journal and records what the refresh found: entries left pending by a run
/// that crashed were reconciled by this run's refresh; resources that exist exactly as
/// desired are recorded as they are now (a run killed between ARM's answer and the state
/// write, a record whose dependencies changed), moved blocks are re-addressed, and resources
/// already gone are forgotten. Recording the same thing again does not move the state's
/// serial.
pub fn reconcile(state: &mut State, plan: &Plan) {
    for entry in state.pending().iter().map(|e| e.seq).collect::<Vec<_>>() {
        state.complete(
            entry,
            crate::state::Outcome::Failed("interrupted; reconciled by the next refresh".into()),
        );
    }
    state.clear_completed_journal();
    for c in &plan.changes {
        if let Some(p) = &c.prior
            && p.address != c.address
        {
            state.remove(&p.address);
        }
        match (&c.desired, c.action) {
            (Some(d), Action::NoOp) if c.exists => {
                let salt = state.salt().to_string();
                state.record_applied(ResourceState::from_desired(
                    d,
                    crate::plan::compare::redact(&d.body, &d.sensitive),
                    &salt,
                ));
            }
            (None, Action::NoOp) if !c.exists => {
                state.remove(&c.address);
            }
            _ => {}
        }
    }
}
