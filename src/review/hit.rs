//! What a rule's check reports: where and what, before the engine adds the rule, the
//! suppression and the line and column.

use crate::model::{Block, Resource};
use crate::source::Span;

/// One problem a check found.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The resource (or outbound rule, `workspace.fraud.outbound_rule.pypi`) it is about.
    pub address: String,
    /// What is wrong, naming the value where that is safe (never a secret-looking value).
    pub message: String,
    /// The attribute at fault (its key and value), else the block's header.
    pub span: Span,
    /// The header of the block an inline `# amlplan:ignore` comment sits above.
    pub anchor: Span,
    /// The attribute path inside the resource (`managed_network.outbound_rule.pypi.destination`),
    /// which with the rule and address makes the finding's stable fingerprint.
    pub path: String,
}

impl Hit {
    /// About attribute `attr` of the resource (its header when the attribute is absent, as
    /// when a default is at fault).
    pub fn attr(r: &Resource, attr: &str, message: String) -> Hit {
        let span = r
            .body
            .attr(attr)
            .map_or(r.header_span(), |a| a.key_span.to(a.span));
        Hit {
            address: r.address.clone(),
            message,
            span,
            anchor: r.header_span(),
            path: attr.to_string(),
        }
    }

    /// About the whole resource.
    pub fn block(r: &Resource, message: String) -> Hit {
        Hit {
            address: r.address.clone(),
            message,
            span: r.header_span(),
            anchor: r.header_span(),
            path: String::new(),
        }
    }

    /// About attribute `attr` of a nested block of the resource whose own address is
    /// `address` (an outbound rule); `path` is the block's path inside the resource.
    pub fn nested(
        block: &Block,
        address: String,
        path: String,
        attr: &str,
        message: String,
    ) -> Hit {
        let span = block
            .body
            .attr(attr)
            .map_or(block.header_span(), |a| a.key_span.to(a.span));
        Hit {
            address,
            message,
            span,
            anchor: block.header_span(),
            path: format!("{path}.{attr}"),
        }
    }
}
