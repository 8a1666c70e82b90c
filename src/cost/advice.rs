//! Advice: where a forecast shows money plainly left on the table (info-level lines in the
//! cost report, each with the monthly saving). The kinds' cost hooks give it, since only
//! they know what a cheaper equivalent of their resource is.

/// One piece of advice.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    pub address: String,
    pub message: String,
    /// What following it saves per month at the expected usage.
    pub monthly_saving: f64,
}
