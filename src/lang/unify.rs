//! The common type of two values, as HCL finds it for a conditional's results (cty's type
//! unification): primitives meet at `string` when one of them is a string, tuples of the
//! same length element by element, other sequences as a list of one element type, objects
//! with the same attributes attribute by attribute, other objects and maps as a map of one
//! element type. Values carry no declared type here, so a value's shape stands for it.

use std::collections::BTreeMap;

use crate::lang::value::{Value, format_number};

/// The structural type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `null`, unknown, or a resource reference: converts to anything.
    Dynamic,
    Bool,
    Number,
    String,
    Tuple(Vec<Shape>),
    List(Box<Shape>),
    Object(BTreeMap<String, Shape>),
    Map(Box<Shape>),
}

impl Shape {
    pub fn of(value: &Value) -> Shape {
        match value {
            Value::Null | Value::Unknown | Value::Ref(_) => Shape::Dynamic,
            Value::Bool(_) => Shape::Bool,
            Value::Number(_) => Shape::Number,
            Value::String(_) => Shape::String,
            Value::List(items) => Shape::Tuple(items.iter().map(Shape::of).collect()),
            Value::Map(map) => {
                Shape::Object(map.iter().map(|(k, v)| (k.clone(), Shape::of(v))).collect())
            }
        }
    }

    /// How the type reads in a message: `number`, `tuple [number, bool]`,
    /// `object {a, b}`.
    pub fn describe(&self) -> String {
        match self {
            Shape::Dynamic => "any".into(),
            Shape::Bool => "bool".into(),
            Shape::Number => "number".into(),
            Shape::String => "string".into(),
            Shape::Tuple(items) => format!(
                "tuple [{}]",
                items
                    .iter()
                    .map(Shape::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Shape::List(e) => format!("list of {}", e.describe()),
            Shape::Object(attrs) => format!(
                "object {{{}}}",
                attrs.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            Shape::Map(e) => format!("map of {}", e.describe()),
        }
    }

    fn elements(&self) -> Option<Vec<&Shape>> {
        match self {
            Shape::Tuple(items) => Some(items.iter().collect()),
            Shape::List(e) => Some(vec![e]),
            _ => None,
        }
    }

    fn attributes(&self) -> Option<Vec<&Shape>> {
        match self {
            Shape::Object(attrs) => Some(attrs.values().collect()),
            Shape::Map(e) => Some(vec![e]),
            _ => None,
        }
    }
}

/// The type both shapes convert to; `None` if there is none (`number` and `bool`).
pub fn unify(a: &Shape, b: &Shape) -> Option<Shape> {
    use Shape::*;
    match (a, b) {
        (Dynamic, other) | (other, Dynamic) => Some(other.clone()),
        (Bool, Bool) => Some(Bool),
        (Number, Number) => Some(Number),
        (String, String | Number | Bool) | (Number | Bool, String) => Some(String),
        (Tuple(x), Tuple(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .map(|(x, y)| unify(x, y))
            .collect::<Option<Vec<_>>>()
            .map(Tuple),
        (Object(x), Object(y)) if x.keys().eq(y.keys()) => x
            .iter()
            .zip(y.values())
            .map(|((k, x), y)| unify(x, y).map(|s| (k.clone(), s)))
            .collect::<Option<BTreeMap<_, _>>>()
            .map(Object),
        _ => {
            if let (Some(x), Some(y)) = (a.elements(), b.elements()) {
                return unify_all(x.into_iter().chain(y)).map(|e| List(Box::new(e)));
            }
            if let (Some(x), Some(y)) = (a.attributes(), b.attributes()) {
                return unify_all(x.into_iter().chain(y)).map(|e| Map(Box::new(e)));
            }
            None
        }
    }
}

fn unify_all<'a>(mut shapes: impl Iterator<Item = &'a Shape>) -> Option<Shape> {
    shapes.try_fold(Shape::Dynamic, |acc, s| unify(&acc, s))
}

/// Converts a value to a shape `unify` found for it.
pub fn convert(value: Value, to: &Shape) -> Value {
    match (value, to) {
        (Value::Number(n), Shape::String) => Value::String(format_number(&n)),
        (Value::Bool(b), Shape::String) => Value::String(b.to_string()),
        (Value::List(items), Shape::Tuple(shapes)) => Value::List(
            items
                .into_iter()
                .zip(shapes)
                .map(|(v, s)| convert(v, s))
                .collect(),
        ),
        (Value::List(items), Shape::List(e)) => {
            Value::List(items.into_iter().map(|v| convert(v, e)).collect())
        }
        (Value::Map(map), Shape::Object(attrs)) => Value::Map(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match attrs.get(&k) {
                        Some(s) => convert(v, s),
                        None => v,
                    };
                    (k, v)
                })
                .collect(),
        ),
        (Value::Map(map), Shape::Map(e)) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, convert(v, e))).collect())
        }
        (value, _) => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_meet_at_string() {
        assert_eq!(unify(&Shape::Number, &Shape::String), Some(Shape::String));
        assert_eq!(unify(&Shape::Number, &Shape::Bool), None);
        assert_eq!(unify(&Shape::Dynamic, &Shape::Bool), Some(Shape::Bool));
    }

    #[test]
    fn sequences_of_different_lengths_become_lists() {
        let a = Shape::Tuple(vec![Shape::Number, Shape::String]);
        let b = Shape::Tuple(vec![]);
        assert_eq!(unify(&a, &b), Some(Shape::List(Box::new(Shape::String))));
        let c = Shape::Tuple(vec![Shape::Number, Shape::Tuple(vec![])]);
        assert_eq!(unify(&c, &b), None);
    }

    #[test]
    fn conversion_follows_the_shape() {
        let v = Value::List(vec![Value::int(1), Value::Bool(true)]);
        let got = convert(v, &Shape::List(Box::new(Shape::String)));
        assert_eq!(
            got,
            Value::List(vec![Value::string("1"), Value::string("true")])
        );
    }
}
