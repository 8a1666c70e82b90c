//! A review rule: its identity and documentation, the kinds it applies to and its check.

use crate::model::Resource;
use crate::schema::KindSchema;

use super::Severity;
use super::ctx::Ctx;
use super::hit::Hit;

/// The area a rule belongs to; its ID's middle part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Network,
    Identity,
    DataProtection,
    Compute,
    Cost,
    Lineage,
    Suppression,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Network => "network",
            Area::Identity => "identity and access",
            Area::DataProtection => "data protection",
            Area::Compute => "compute",
            Area::Cost => "cost exposure",
            Area::Lineage => "lineage and reproducibility",
            Area::Suppression => "suppression",
        }
    }
}

/// One rule of the registry ([`super::rules::RULES`]); each lives in a file of its own.
pub struct Rule {
    /// `AML-NET-004`: stable, never reused for another meaning.
    pub id: &'static str,
    pub area: Area,
    pub severity: Severity,
    pub title: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// What to write instead.
    pub remediation: &'static str,
    /// The Azure Policy built-ins (display names) that audit the same thing after deployment.
    pub policy: &'static [&'static str],
    /// The Checkov checks that look at the same thing in Terraform or ARM.
    pub checkov: &'static [&'static str],
    /// Whether the rule looks at resources of a kind (read from the kind's descriptor).
    pub applies: fn(&KindSchema) -> bool,
    /// The check of one resource of such a kind.
    pub check: fn(&Resource, &Ctx<'_>, &mut Vec<Hit>),
}

impl Rule {
    /// The kinds the rule applies to, in `KINDS` order.
    pub fn kinds(&self) -> Vec<&'static str> {
        crate::schema::KINDS
            .iter()
            .filter(|k| (self.applies)(k))
            .map(|k| k.kind)
            .collect()
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// A rule that looks at no resource (its findings come from elsewhere, such as suppressions).
pub fn no_kind(_: &KindSchema) -> bool {
    false
}

/// The check of a rule that looks at no resource.
pub fn no_check(_: &Resource, _: &Ctx<'_>, _: &mut Vec<Hit>) {}
