//! Building blocks the kinds' cost hooks make their lines from: a priced quantity, a VM's
//! hours at a rate (pay as you go, Spot, reserved), the load balancer Azure ML bills beside
//! computes. Each states its assumption; the kind decides the quantities.

use super::{CostCtx, CostLine, HOURS_PER_MONTH, Price, Range};

/// A line of `quantity` `unit`s at `price`.
pub fn line(
    meter: impl Into<String>,
    price: Price,
    quantity: Range,
    unit: &'static str,
    assumption: impl Into<String>,
) -> CostLine {
    let monthly = price.amount.map_or(Range::ZERO, |p| quantity.scale(p));
    CostLine {
        meter: meter.into(),
        quantity,
        unit,
        unit_price: price.amount,
        monthly,
        assumption: assumption.into(),
        variable: false,
        confidence: price.confidence,
        price_source: price.source,
    }
}

/// How a VM is bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmRate {
    PayAsYouGo,
    Spot,
    Reserved1y,
    Reserved3y,
}

impl VmRate {
    fn key(self) -> &'static str {
        match self {
            VmRate::PayAsYouGo => "dedicated",
            VmRate::Spot => "spot",
            VmRate::Reserved1y => "reserved_1y",
            VmRate::Reserved3y => "reserved_3y",
        }
    }

    fn label(self) -> &'static str {
        match self {
            VmRate::PayAsYouGo => "pay as you go",
            VmRate::Spot => "spot",
            VmRate::Reserved1y => "1-year reservation",
            VmRate::Reserved3y => "3-year reservation",
        }
    }

    /// The seed's rule of thumb where no reservation price is known: about 40% off for one
    /// year, 60% for three.
    fn rule_of_thumb(self) -> Option<f64> {
        match self {
            VmRate::Reserved1y => Some(0.60),
            VmRate::Reserved3y => Some(0.40),
            _ => None,
        }
    }

    /// `usage { reservation = "1y" | "3y" }`.
    pub fn reservation(value: Option<&str>) -> Option<VmRate> {
        match value {
            Some("1y") => Some(VmRate::Reserved1y),
            Some("3y") => Some(VmRate::Reserved3y),
            _ => None,
        }
    }
}

/// `hours` of a `size` VM at `rate` (Linux). A Spot line is variable, and its high figure is
/// at the pay-as-you-go price, which caps what Spot can cost; a reservation with no known
/// price uses the rule of thumb and says so.
pub fn vm_hours(
    ctx: &CostCtx<'_>,
    region: &str,
    size: &str,
    rate: VmRate,
    hours: Range,
    assumption: impl Into<String>,
) -> CostLine {
    let mut assumption = assumption.into();
    let mut price = ctx.price("vm", size, rate.key(), region);
    let payg = ctx.price("vm", size, VmRate::PayAsYouGo.key(), region);
    if price.amount.is_none()
        && let (Some(factor), Some(full)) = (rate.rule_of_thumb(), payg.amount)
    {
        price = Price {
            amount: Some(full * factor),
            confidence: super::Confidence::Low,
            source: format!(
                "no reservation price known: pay as you go ({}) less the rule of thumb",
                payg.source
            )
            .into(),
        };
        assumption.push_str(&format!(
            "; no reservation price known, so about {:.0}% off pay as you go (rule of thumb)",
            (1.0 - factor) * 100.0
        ));
    }
    let mut line = line(
        format!("{size} (Linux, {})", rate.label()),
        price,
        hours,
        "hours",
        assumption,
    );
    if rate == VmRate::Spot && line.unit_price.is_some() {
        line.variable = true;
        if let Some(cap) = payg.amount {
            line.monthly.high = hours.high * cap;
            line.assumption
                .push_str("; Spot prices vary: high at the pay-as-you-go price, which caps them");
        }
    }
    line
}

/// Load balancers billed per day for `count` balancers (Azure ML bills one per compute
/// instance and one per 50 cluster nodes).
pub fn load_balancers(
    ctx: &CostCtx<'_>,
    region: &str,
    count: Range,
    assumption: impl Into<String>,
) -> CostLine {
    line(
        "Standard load balancer (billed by Azure ML)",
        ctx.price("load_balancer", "", "day", region),
        count.scale(HOURS_PER_MONTH / 24.0),
        "days",
        assumption,
    )
}
