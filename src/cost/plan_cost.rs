//! What a plan does to the monthly cost: per resource of the manifest the forecast before
//! and after the plan, and the totals.
//!
//! "After" is the manifest's forecast. "Before" is the same resource with the attributes the
//! plan changes set back to the values Azure holds (the plan's before values in the
//! manifest's form), so a resize or a new `max_nodes` shows its difference; a resource the
//! plan creates costs nothing before. `usage` blocks are assumptions, not state: they count
//! the same before and after. A resource the plan deletes is no longer in the manifest, so
//! its cost before is not known and it is listed as such.

use crate::lang::value::Value;
use crate::model::{Manifest, Resource};
use crate::plan::{Action, Plan, ResourceChange};

use super::{CostCtx, Forecast, KindCost, PriceBook, Range};

/// One resource's monthly cost across the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeCost {
    pub address: String,
    pub action: Option<Action>,
    /// `None`: not known (a deleted resource).
    pub before: Option<Range>,
    /// `None`: the plan deletes it.
    pub after: Option<Range>,
}

impl ChangeCost {
    pub fn delta(&self) -> Option<Range> {
        Some(self.after.unwrap_or(Range::ZERO) - self.before?)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanCost {
    pub currency: String,
    pub changes: Vec<ChangeCost>,
    pub before: Range,
    pub after: Range,
    /// The forecast after the plan (what budgets are checked against).
    pub forecast: Forecast,
}

impl PlanCost {
    /// The changes a plan's cost section lists: those the plan acts on whose cost is not
    /// zero before and after (every renderer shows the same ones).
    pub fn shown_changes(&self) -> impl Iterator<Item = &ChangeCost> {
        self.changes
            .iter()
            .filter(|ch| !matches!(ch.action, Some(Action::NoOp) | None))
            .filter(|ch| !(ch.before == Some(Range::ZERO) && ch.after == Some(Range::ZERO)))
    }
}

fn monthly(resource: &Resource, ctx: &CostCtx<'_>) -> Range {
    let Some(hook) = resource.schema.cost else {
        return Range::ZERO;
    };
    match hook(resource, ctx) {
        KindCost::Billed(lines, _) => lines.iter().fold(Range::ZERO, |acc, l| acc + l.monthly),
        _ => Range::ZERO,
    }
}

/// The resource as Azure holds it now, as far as the plan's changes tell: each changed
/// attribute (or attribute of a single nested block) set back to its value before.
fn as_before(resource: &Resource, change: &ResourceChange) -> Resource {
    let mut before = resource.clone();
    let lines = match &change.desired {
        Some(d) => {
            crate::render::plan_names::lines(&d.origins, &d.behavior, &d.unknown, &change.changes)
        }
        None => Vec::new(),
    };
    for line in lines.iter().filter(|l| l.in_manifest) {
        let (block, attr) = match line.name.split_once('.') {
            Some((b, a)) if !b.contains('[') && !a.contains(['.', '[']) => (Some(b), a),
            None if !line.name.contains('[') => (None, line.name.as_str()),
            _ => continue,
        };
        let body = match block {
            Some(b) => match before.body.blocks.iter_mut().find(|x| x.kind == b) {
                Some(x) => &mut x.body,
                None => continue,
            },
            None => &mut before.body,
        };
        match (&line.before, body.attrs.get_mut(attr)) {
            (Some(v), Some(a)) => a.value = Value::from_json(v),
            (None, Some(_)) => {
                body.attrs.shift_remove(attr);
            }
            _ => {}
        }
    }
    before
}

/// The cost of `plan` over `manifest`.
pub fn plan_cost(manifest: &Manifest, plan: &Plan, book: &PriceBook) -> PlanCost {
    let ctx = CostCtx::new(manifest, book);
    let by_address: std::collections::HashMap<(&str, &str), &ResourceChange> = plan
        .changes
        .iter()
        .map(|c| ((c.address.as_str(), c.kind.as_str()), c))
        .collect();
    let forecast = super::forecast(manifest, book);
    let mut changes = Vec::new();
    let (mut before_total, mut after_total) = (Range::ZERO, Range::ZERO);
    for (resource, after) in manifest.resources.iter().zip(&forecast.resources) {
        let change = by_address
            .get(&(resource.address.as_str(), resource.kind()))
            .copied();
        let before = match change.map(|c| c.action) {
            Some(Action::Create) => Range::ZERO,
            Some(Action::NoOp) | None => after.monthly,
            Some(_) => change.map_or(after.monthly, |c| monthly(&as_before(resource, c), &ctx)),
        };
        before_total = before_total + before;
        after_total = after_total + after.monthly;
        changes.push(ChangeCost {
            address: resource.address.clone(),
            action: change.map(|c| c.action),
            before: Some(before),
            after: Some(after.monthly),
        });
    }
    let kinds: Vec<&str> = crate::schema::KINDS.iter().map(|k| k.kind).collect();
    for c in plan
        .changes
        .iter()
        .filter(|c| c.action == Action::Delete && kinds.contains(&c.kind.as_str()))
    {
        changes.push(ChangeCost {
            address: c.address.clone(),
            action: Some(c.action),
            before: None,
            after: None,
        });
    }
    PlanCost {
        currency: forecast.currency.clone(),
        changes,
        before: before_total,
        after: after_total,
        forecast,
    }
}
