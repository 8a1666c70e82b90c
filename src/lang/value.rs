//! Values of the manifest language.
//!
//! Besides the usual HCL values there are two that exist only at plan time: a [`Reference`]
//! to another resource (or one of its attributes), which is what `workspace.fraud` evaluates
//! to, and `Unknown`, a value that will only be known after apply (a string template that
//! interpolates `online_endpoint.fraud.scoring_uri`, say). Checks skip unknown values; the
//! planner shows them as `(known after apply)`.

use std::collections::BTreeMap;
use std::fmt;

pub use super::number::Number;

/// A reference to a resource instance, or to an attribute of one.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub struct Reference {
    /// Full address of the instance: `workspace.fraud`, `compute_cluster.gpu["a100"]`,
    /// `module.net.workspace.main`.
    pub address: String,
    /// The resource kind (`workspace`, `online_endpoint`, ...).
    pub kind: String,
    /// Attribute path after the resource, empty for the resource itself
    /// (`online_endpoint.fraud.scoring_uri` has `["scoring_uri"]`).
    pub attr: Vec<String>,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)?;
        for a in &self.attr {
            write!(f, ".{a}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, PartialOrd, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    /// Arbitrary precision, as Terraform's numbers ([`Number`]).
    Number(Number),
    String(String),
    /// Lists, tuples and sets (a set is a sorted, de-duplicated list).
    List(Vec<Value>),
    /// Maps and objects; keys sorted so output is deterministic.
    Map(BTreeMap<String, Value>),
    Ref(Reference),
    /// Known only after apply.
    Unknown,
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// The name of the value's type as shown in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Ref(_) => "reference",
            Value::Unknown => "unknown",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A whole number.
    pub fn int(i: i64) -> Value {
        Value::Number(Number::from_i64(i))
    }

    /// A float result (of a function Terraform computes in `float64`); `None` for NaN and
    /// the infinities.
    pub fn float(f: f64) -> Option<Value> {
        Number::from_f64(f).map(Value::Number)
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as the nearest `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::to_f64)
    }

    /// The number as an integer, if it is a whole number that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::to_i64)
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Option<&Reference> {
        match self {
            Value::Ref(r) => Some(r),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True if this value or anything inside it is unknown until apply. References to a whole
    /// resource are known (they name it); references to an attribute are not.
    pub fn is_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::Ref(r) => !r.attr.is_empty(),
            Value::List(l) => l.iter().any(Value::is_unknown),
            Value::Map(m) => m.values().any(Value::is_unknown),
            _ => false,
        }
    }

    /// True if the value is wholly known at plan time (no `Unknown` and no references).
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown | Value::Ref(_) => false,
            Value::List(l) => l.iter().all(Value::is_wholly_known),
            Value::Map(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// Every reference inside the value.
    pub fn references(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        match self {
            Value::Ref(r) => out.push(r),
            Value::List(l) => l.iter().for_each(|v| v.collect_references(out)),
            Value::Map(m) => m.values().for_each(|v| v.collect_references(out)),
            _ => {}
        }
    }

    /// Truthiness is not implicit in HCL; this is only for values already checked to be bool.
    pub fn truthy(&self) -> Option<bool> {
        self.as_bool()
    }

    /// Converts to JSON; references and unknowns become strings that say what they are.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n.to_json(),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(l) => serde_json::Value::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Ref(r) => serde_json::Value::String(format!("${{{r}}}")),
            Value::Unknown => serde_json::Value::String("(known after apply)".into()),
        }
    }

    /// Converts from JSON (used by `jsondecode`-like inputs and var files).
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(Number::from_json(n)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Formats a number the way Terraform prints it: whole numbers in full, fractions with the
/// fewest digits that identify them.
pub fn format_number(n: &Number) -> String {
    n.to_string()
}

/// An `f64` (a price, a sum of weights) as [`format_number`] prints the same value.
pub fn format_float(f: f64) -> String {
    Number::from_f64(f).map_or_else(|| f.to_string(), |n| n.to_string())
}

impl fmt::Display for Value {
    /// HCL-like rendering, used in messages and in the plan.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(l) => {
                f.write_str("[")?;
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            Value::Ref(r) => write!(f, "{r}"),
            Value::Unknown => f.write_str("(known after apply)"),
        }
    }
}
