//! Type constraints (`type = list(string)`) for `variable` blocks and module inputs, and the
//! conversion of values to them.
//!
//! The rules are Terraform's, so that manifests behave the way a Terraform user expects:
//! primitives convert into each other where the meaning is unambiguous (`5` is a fine
//! `string`, `"5"` a fine `number`, `"true"` a fine `bool`), lists and sets convert into
//! each other, maps become objects when the attributes fit, and `null` is a value of every
//! type. Two deliberate differences: an object type rejects attributes it does not declare
//! (Terraform silently drops them, which hides typos such as `szie = 3`), and
//! `optional(T, default)` is not supported because an attribute here records only whether
//! it is optional (put the default in the variable's `default`).
//!
//! Values that are not known at plan time (`Unknown`, references to a resource attribute)
//! pass every conversion unchanged; they are checked once known. A reference to a whole
//! resource (`workspace.fraud`) stands for that resource's ARM ID, so it is accepted where a
//! `string` (or `any`) is expected and rejected elsewhere.
//!
//! Errors know no source spans: [`parse_type`] reports the hcl-edit byte span of the
//! offending sub-expression, and [`convert`] reports the path to the offending element; the
//! caller turns either into a diagnostic.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey};

use crate::lang::value::{Number, Value, format_number};

/// A type constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// Any value; no conversion.
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    /// Like a list, but sorted and de-duplicated after conversion.
    Set(Box<Type>),
    Map(Box<Type>),
    /// A fixed-length list whose elements have the given types.
    Tuple(Vec<Type>),
    /// Named attributes; the flag says whether the attribute is `optional(...)`.
    Object(BTreeMap<String, (Type, bool)>),
}

impl Type {
    /// The element type of a list, set or map.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(t) | Type::Set(t) | Type::Map(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_primitive(&self) -> bool {
        matches!(self, Type::String | Type::Number | Type::Bool)
    }
}

impl fmt::Display for Type {
    /// The spelling used in manifests: `list(string)`,
    /// `object({name=string, size=optional(number)})`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Set(t) => write!(f, "set({t})"),
            Type::Map(t) => write!(f, "map({t})"),
            Type::Tuple(ts) => {
                f.write_str("tuple([")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str("])")
            }
            Type::Object(attrs) => {
                f.write_str("object({")?;
                for (i, (name, (t, optional))) in attrs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if is_identifier(name) {
                        f.write_str(name)?;
                    } else {
                        write!(f, "{name:?}")?;
                    }
                    if *optional {
                        write!(f, "=optional({t})")?;
                    } else {
                        write!(f, "={t}")?;
                    }
                }
                f.write_str("})")
            }
        }
    }
}

/// A malformed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub message: String,
    /// Byte span (in the parsed file) of the offending sub-expression, when hcl-edit knows it.
    pub span: Option<Range<usize>>,
}

impl TypeError {
    fn at(expr: &Expression, message: impl Into<String>) -> TypeError {
        TypeError {
            message: message.into(),
            span: expr.span(),
        }
    }
}

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TypeError {}

const PRIMITIVES: [&str; 4] = ["string", "number", "bool", "any"];
const CONSTRUCTORS: [&str; 5] = ["list", "set", "map", "tuple", "object"];

/// Parses a type expression as written in a `variable` block's `type` attribute.
pub fn parse_type(expr: &Expression) -> Result<Type, TypeError> {
    parse(expr)
}

/// `optional(...)` is handled by `parse_object`, the one place it is allowed; reaching it
/// here is an error.
fn parse(expr: &Expression) -> Result<Type, TypeError> {
    match expr {
        Expression::Parenthesis(p) => parse(p.inner()),
        Expression::Variable(ident) => match ident.as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "any" => Ok(Type::Any),
            name @ ("list" | "set" | "map") => Err(TypeError::at(
                expr,
                format!("`{name}` needs an element type, e.g. `{name}(string)`"),
            )),
            "tuple" => Err(TypeError::at(
                expr,
                "`tuple` needs its element types, e.g. `tuple([string, number])`",
            )),
            "object" => Err(TypeError::at(
                expr,
                "`object` needs its attributes, e.g. `object({ name = string })`",
            )),
            "optional" => Err(TypeError::at(
                expr,
                "`optional` needs a type, e.g. `optional(string)`",
            )),
            other => Err(TypeError::at(expr, unknown_type_message(other))),
        },
        Expression::String(s) => {
            let hint = if PRIMITIVES.contains(&s.as_str()) {
                format!("; write `{}` without quotes", s.as_str())
            } else {
                String::new()
            };
            Err(TypeError::at(
                expr,
                format!("a type is a type expression, not a string{hint}"),
            ))
        }
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            if call.name.is_namespaced() {
                return Err(TypeError::at(
                    expr,
                    format!("unknown type constructor `{name}`"),
                ));
            }
            let args: Vec<&Expression> = call.args.iter().collect();
            if call.args.expand_final() {
                return Err(TypeError::at(
                    expr,
                    "`...` cannot be used in a type expression",
                ));
            }
            let one_arg = |example: &str| -> Result<&Expression, TypeError> {
                match args.as_slice() {
                    [arg] => Ok(arg),
                    [] => Err(TypeError::at(
                        expr,
                        format!("`{name}` needs one argument, e.g. `{example}`"),
                    )),
                    [_, extra, ..] => Err(TypeError::at(
                        extra,
                        format!("`{name}` takes one argument, e.g. `{example}`"),
                    )),
                }
            };
            match name {
                "list" => Ok(Type::List(Box::new(parse(one_arg("list(string)")?)?))),
                "set" => Ok(Type::Set(Box::new(parse(one_arg("set(string)")?)?))),
                "map" => Ok(Type::Map(Box::new(parse(one_arg("map(string)")?)?))),
                "tuple" => {
                    let arg = one_arg("tuple([string, number])")?;
                    let Expression::Array(items) = arg else {
                        return Err(TypeError::at(
                            arg,
                            "the argument of `tuple` is a list of types, e.g. `tuple([string, number])`",
                        ));
                    };
                    items
                        .iter()
                        .map(parse)
                        .collect::<Result<_, _>>()
                        .map(Type::Tuple)
                }
                "object" => parse_object(one_arg("object({ name = string })")?),
                "optional" => Err(TypeError::at(
                    expr,
                    "`optional` is only allowed for an attribute of an object type, e.g. `object({ size = optional(number) })`",
                )),
                "string" | "number" | "bool" | "any" => Err(TypeError::at(
                    expr,
                    format!(
                        "`{name}` is a type, not a type constructor; write `{name}` without parentheses"
                    ),
                )),
                other => Err(TypeError::at(expr, unknown_type_message(other))),
            }
        }
        other => Err(TypeError::at(
            other,
            "expected a type: string, number, bool, any, list(...), set(...), map(...), tuple([...]) or object({...})",
        )),
    }
}

fn parse_object(arg: &Expression) -> Result<Type, TypeError> {
    let Expression::Object(object) = arg else {
        return Err(TypeError::at(
            arg,
            "the argument of `object` is a set of attributes, e.g. `object({ name = string })`",
        ));
    };
    let mut attrs = BTreeMap::new();
    for (key, value) in object.iter() {
        let name = match key {
            ObjectKey::Ident(ident) => ident.as_str().to_string(),
            ObjectKey::Expression(Expression::String(s)) => s.as_str().to_string(),
            ObjectKey::Expression(Expression::Variable(ident)) => ident.as_str().to_string(),
            ObjectKey::Expression(e) => {
                return Err(TypeError::at(
                    e,
                    "an attribute name must be a name or a string",
                ));
            }
        };
        let value = value.expr();
        let (ty, optional) = match value {
            Expression::FuncCall(call)
                if call.name.name.as_str() == "optional" && !call.name.is_namespaced() =>
            {
                let args: Vec<&Expression> = call.args.iter().collect();
                match args.as_slice() {
                    [inner] => (parse(inner)?, true),
                    [] => {
                        return Err(TypeError::at(
                            value,
                            "`optional` needs one argument, e.g. `optional(string)`",
                        ));
                    }
                    [_, default, ..] => {
                        return Err(TypeError::at(
                            default,
                            "default values in `optional(type, default)` are not supported; give the default in the variable's `default` instead",
                        ));
                    }
                }
            }
            _ => (parse(value)?, false),
        };
        if attrs.insert(name.clone(), (ty, optional)).is_some() {
            return Err(TypeError {
                message: format!("attribute `{name}` is declared twice"),
                span: key.span(),
            });
        }
    }
    Ok(Type::Object(attrs))
}

fn unknown_type_message(name: &str) -> String {
    // Names from other languages first, then near-misses.
    let foreign = match name.to_ascii_lowercase().as_str() {
        "int" | "integer" | "float" | "double" | "decimal" | "long" => Some("number"),
        "str" | "text" => Some("string"),
        "boolean" => Some("bool"),
        "array" | "vec" | "vector" => Some("list"),
        "dict" | "hash" | "hashmap" => Some("map"),
        "dynamic" => Some("any"),
        _ => None,
    };
    let suggestion = foreign
        .or_else(|| {
            PRIMITIVES
                .iter()
                .chain(CONSTRUCTORS.iter())
                .filter(|c| crate::suggest::comparable(name, c))
                .map(|c| (strsim::jaro_winkler(name, c), *c))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| c)
        })
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    format!(
        "unknown type `{name}`{suggestion} (the types are string, number, bool, any, list, set, map, tuple and object)"
    )
}

/// A value that does not fit a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    /// What is wrong, e.g. `expected number, got string "abc"`.
    pub message: String,
    /// Where inside the value: list indices and map keys/attribute names, outermost first
    /// (`["instances", "2", "name"]`). Empty when the value itself is wrong.
    pub path: Vec<String>,
}

impl ConvertError {
    /// The same error about a sensitive `value`: the message does not quote it (nor any
    /// part of it), the path names no key of it.
    pub fn hiding(self, value: &Value) -> ConvertError {
        let secrets = crate::sensitive::texts_of(value);
        ConvertError {
            message: crate::sensitive::scrub_text(&self.message, &secrets),
            path: self
                .path
                .into_iter()
                .map(|p| match secrets.contains(&p) {
                    true => crate::sensitive::SHOWN.to_string(),
                    false => p,
                })
                .collect(),
        }
    }

    fn new(message: impl Into<String>) -> ConvertError {
        ConvertError {
            message: message.into(),
            path: Vec::new(),
        }
    }

    fn within(mut self, step: impl Into<String>) -> ConvertError {
        self.path.insert(0, step.into());
        self
    }

    /// The path as an HCL-like traversal: `instances[2].name`, `tags["cost center"]`.
    /// Empty for an empty path.
    pub fn path_display(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            if !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str(&format!("[{step}]"));
            } else if is_identifier(step) {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(step);
            } else {
                out.push_str(&format!("[{step:?}]"));
            }
        }
        out
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path_display(), self.message)
        }
    }
}

impl std::error::Error for ConvertError {}

/// Converts a value to a type, following Terraform's conversion rules (see the module
/// documentation). Returns the converted value: numbers and bools become strings for
/// `string`, sets are sorted and de-duplicated, missing optional object attributes are added
/// as `null`.
pub fn convert(value: &Value, ty: &Type) -> Result<Value, ConvertError> {
    match value {
        Value::Null | Value::Unknown => return Ok(value.clone()),
        Value::Ref(r) if !r.attr.is_empty() => return Ok(value.clone()),
        _ => {}
    }
    match ty {
        Type::Any => Ok(value.clone()),
        Type::String => match value {
            Value::String(_) | Value::Ref(_) => Ok(value.clone()),
            Value::Number(n) => Ok(Value::String(format_number(n))),
            Value::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err(mismatch(ty, value)),
        },
        Type::Number => match value {
            Value::Number(_) => Ok(value.clone()),
            Value::String(s) => parse_number(s)
                .map(Value::Number)
                .ok_or_else(|| mismatch(ty, value)),
            _ => Err(mismatch(ty, value)),
        },
        Type::Bool => match value {
            Value::Bool(_) => Ok(value.clone()),
            Value::String(s) if s == "true" => Ok(Value::Bool(true)),
            Value::String(s) if s == "false" => Ok(Value::Bool(false)),
            _ => Err(mismatch(ty, value)),
        },
        Type::List(elem) | Type::Set(elem) => {
            let Value::List(items) = value else {
                return Err(mismatch(ty, value));
            };
            let mut out = items
                .iter()
                .enumerate()
                .map(|(i, v)| convert(v, elem).map_err(|e| e.within(i.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            // Unknown elements cannot be ordered or compared yet (two of them may or may not
            // be equal), so a set containing any keeps its order until they are known.
            if matches!(ty, Type::Set(_)) && !out.iter().any(Value::is_unknown) {
                sort_dedup(&mut out);
            }
            Ok(Value::List(out))
        }
        Type::Map(elem) => {
            let Value::Map(entries) = value else {
                return Err(mismatch(ty, value));
            };
            entries
                .iter()
                .map(|(k, v)| {
                    convert(v, elem)
                        .map(|v| (k.clone(), v))
                        .map_err(|e| e.within(k.clone()))
                })
                .collect::<Result<_, _>>()
                .map(Value::Map)
        }
        Type::Tuple(types) => {
            let Value::List(items) = value else {
                return Err(mismatch(ty, value));
            };
            if items.len() != types.len() {
                return Err(ConvertError::new(format!(
                    "expected {ty}, a list of {} element{}, got {} element{}",
                    types.len(),
                    plural(types.len()),
                    items.len(),
                    plural(items.len())
                )));
            }
            items
                .iter()
                .zip(types)
                .enumerate()
                .map(|(i, (v, t))| convert(v, t).map_err(|e| e.within(i.to_string())))
                .collect::<Result<_, _>>()
                .map(Value::List)
        }
        Type::Object(attrs) => {
            let Value::Map(entries) = value else {
                return Err(mismatch(ty, value));
            };
            let extra: Vec<&String> = entries.keys().filter(|k| !attrs.contains_key(*k)).collect();
            if !extra.is_empty() {
                return Err(ConvertError::new(extra_attributes_message(&extra, attrs)));
            }
            let mut out = BTreeMap::new();
            for (name, (attr_ty, optional)) in attrs {
                let converted = match entries.get(name) {
                    Some(v) => convert(v, attr_ty).map_err(|e| e.within(name.clone()))?,
                    None if *optional => Value::Null,
                    None => {
                        return Err(ConvertError::new(format!("attribute `{name}` is required")));
                    }
                };
                out.insert(name.clone(), converted);
            }
            Ok(Value::Map(out))
        }
    }
}

fn extra_attributes_message(extra: &[&String], attrs: &BTreeMap<String, (Type, bool)>) -> String {
    let names: Vec<String> = extra.iter().map(|k| format!("`{k}`")).collect();
    let mut message = if names.len() == 1 {
        format!("unexpected attribute {}", names[0])
    } else {
        format!("unexpected attributes {}", names.join(", "))
    };
    for k in extra {
        let best = attrs
            .keys()
            .filter(|a| crate::suggest::comparable(k, a))
            .map(|a| (strsim::jaro_winkler(k, a), a))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, a)) = best {
            message.push_str(&format!("; did you mean `{a}` instead of `{k}`?"));
        }
    }
    if attrs.is_empty() {
        message.push_str("; the object type has no attributes");
    } else {
        let expected: Vec<&str> = attrs.keys().map(String::as_str).collect();
        message.push_str(&format!(" (expected {})", expected.join(", ")));
    }
    message
}

fn mismatch(ty: &Type, value: &Value) -> ConvertError {
    ConvertError::new(format!("expected {ty}, got {}", describe(value)))
}

/// Describes a value for a message: `string "abc"`, `number 5`, `list`, `map`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            if shown.len() < s.len() {
                format!("string {:?}…", shown)
            } else {
                format!("string {s:?}")
            }
        }
        Value::Number(n) => format!("number {}", format_number(n)),
        Value::Bool(b) => format!("bool {b}"),
        Value::List(l) if l.is_empty() => "empty list".into(),
        Value::Map(m) if m.is_empty() => "empty map".into(),
        Value::Ref(r) => format!("a reference to {r}"),
        other => other.type_name().into(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Sorts and de-duplicates a list of values, making it a set.
pub(crate) fn sort_dedup(values: &mut Vec<Value>) {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values.dedup();
}

/// Parses a string as a number the way Terraform converts strings to numbers: decimal, with
/// an optional sign, fraction and exponent (`"42"`, `"-1.5"`, `"1e3"`). No surrounding
/// spaces, no hex, no `inf`/`nan`, no empty string.
pub(crate) fn parse_number(s: &str) -> Option<Number> {
    Number::parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::value::Reference;

    fn ty(src: &str) -> Result<Type, TypeError> {
        let expr = hcl_edit::parser::parse_expr(src).expect("test type expression parses");
        parse_type(&expr)
    }

    fn t(src: &str) -> Type {
        ty(src).unwrap_or_else(|e| panic!("{src}: {}", e.message))
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    fn n(v: f64) -> Value {
        Value::float(v).expect("finite")
    }

    fn list(items: Vec<Value>) -> Value {
        Value::List(items)
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
        )
    }

    fn reference(address: &str, attr: &[&str]) -> Value {
        Value::Ref(Reference {
            address: address.into(),
            kind: address.split('.').next().unwrap_or_default().into(),
            attr: attr.iter().map(|a| (*a).to_string()).collect(),
        })
    }

    #[test]
    fn parses_primitives() {
        assert_eq!(t("string"), Type::String);
        assert_eq!(t("number"), Type::Number);
        assert_eq!(t("bool"), Type::Bool);
        assert_eq!(t("any"), Type::Any);
        assert_eq!(t("(string)"), Type::String);
    }

    #[test]
    fn parses_collections() {
        assert_eq!(t("list(string)"), Type::List(Box::new(Type::String)));
        assert_eq!(t("set(number)"), Type::Set(Box::new(Type::Number)));
        assert_eq!(
            t("map(list(bool))"),
            Type::Map(Box::new(Type::List(Box::new(Type::Bool))))
        );
        assert_eq!(
            t("tuple([string, number])"),
            Type::Tuple(vec![Type::String, Type::Number])
        );
        assert_eq!(t("tuple([])"), Type::Tuple(vec![]));
    }

    #[test]
    fn parses_objects() {
        let ty = t("object({ name = string, size = optional(number) })");
        let Type::Object(attrs) = &ty else {
            panic!("not an object: {ty:?}")
        };
        assert_eq!(attrs["name"], (Type::String, false));
        assert_eq!(attrs["size"], (Type::Number, true));

        let multiline = t(
            "object({\n  name = string\n  \"tags\" = map(string)\n  nested = object({ x = list(number) })\n})",
        );
        assert_eq!(
            multiline.to_string(),
            "object({name=string, nested=object({x=list(number)}), tags=map(string)})"
        );
        assert_eq!(t("object({})"), Type::Object(BTreeMap::new()));
        assert_eq!(
            t("object({ \"cost center\" = string })").to_string(),
            "object({\"cost center\"=string})"
        );
    }

    #[test]
    fn displays_like_the_source() {
        for src in [
            "string",
            "any",
            "list(string)",
            "set(bool)",
            "map(number)",
            "tuple([string, number])",
            "object({name=string, size=optional(number)})",
            "list(object({a=map(any), b=optional(set(string))}))",
        ] {
            assert_eq!(t(src).to_string(), src);
        }
    }

    #[test]
    fn type_errors_have_messages_and_spans() {
        let err = ty("strng").unwrap_err();
        assert!(
            err.message.contains("unknown type `strng`"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("did you mean `string`?"),
            "{}",
            err.message
        );
        assert_eq!(err.span, Some(0..5));

        let err = ty("list(strin)").unwrap_err();
        assert_eq!(err.span, Some(5..10));

        let err = ty("list").unwrap_err();
        assert!(
            err.message.contains("needs an element type"),
            "{}",
            err.message
        );

        let err = ty("\"string\"").unwrap_err();
        assert!(err.message.contains("without quotes"), "{}", err.message);

        let err = ty("list(string, number)").unwrap_err();
        assert!(
            err.message.contains("takes one argument"),
            "{}",
            err.message
        );
        assert_eq!(err.span, Some(13..19));

        let err = ty("map()").unwrap_err();
        assert!(
            err.message.contains("needs one argument"),
            "{}",
            err.message
        );

        let err = ty("tuple(string)").unwrap_err();
        assert!(err.message.contains("list of types"), "{}", err.message);
        assert_eq!(err.span, Some(6..12));

        let err = ty("object(string)").unwrap_err();
        assert!(err.message.contains("set of attributes"), "{}", err.message);

        let err = ty("optional(string)").unwrap_err();
        assert!(
            err.message.contains("only allowed for an attribute"),
            "{}",
            err.message
        );

        let err = ty("list(optional(string))").unwrap_err();
        assert!(
            err.message.contains("only allowed for an attribute"),
            "{}",
            err.message
        );

        let err = ty("object({ a = optional(string, \"x\") })").unwrap_err();
        assert!(err.message.contains("default values"), "{}", err.message);
        assert_eq!(err.span, Some(30..33));

        let err = ty("object({ a = optional() })").unwrap_err();
        assert!(
            err.message.contains("needs one argument"),
            "{}",
            err.message
        );

        let err = ty("object({ a = string, \"a\" = number })").unwrap_err();
        assert!(err.message.contains("declared twice"), "{}", err.message);

        let err = ty("string()").unwrap_err();
        assert!(
            err.message.contains("without parentheses"),
            "{}",
            err.message
        );

        let err = ty("lsit(string)").unwrap_err();
        assert!(
            err.message.contains("did you mean `list`?"),
            "{}",
            err.message
        );

        let err = ty("int").unwrap_err();
        assert!(
            err.message.contains("did you mean `number`?"),
            "{}",
            err.message
        );
        let err = ty("array(string)").unwrap_err();
        assert!(
            err.message.contains("did you mean `list`?"),
            "{}",
            err.message
        );
        assert_eq!(err.span, Some(0..13));

        let err = ty("5").unwrap_err();
        assert!(err.message.contains("expected a type"), "{}", err.message);
        assert_eq!(err.span, Some(0..1));

        let err = ty("object({ a = 5 })").unwrap_err();
        assert_eq!(err.span, Some(13..14));
    }

    #[test]
    fn converts_primitives() {
        assert_eq!(convert(&n(5.0), &Type::String), Ok(s("5")));
        assert_eq!(convert(&n(1.5), &Type::String), Ok(s("1.5")));
        assert_eq!(convert(&Value::Bool(true), &Type::String), Ok(s("true")));
        assert_eq!(convert(&s("42"), &Type::Number), Ok(n(42.0)));
        assert_eq!(convert(&s("-1.5e2"), &Type::Number), Ok(n(-150.0)));
        assert_eq!(convert(&s("true"), &Type::Bool), Ok(Value::Bool(true)));
        assert_eq!(convert(&s("false"), &Type::Bool), Ok(Value::Bool(false)));
        assert_eq!(convert(&s("x"), &Type::Any), Ok(s("x")));

        let err = convert(&s("abc"), &Type::Number).unwrap_err();
        assert_eq!(err.message, "expected number, got string \"abc\"");
        assert!(err.path.is_empty());
        let err = convert(&s("yes"), &Type::Bool).unwrap_err();
        assert_eq!(err.message, "expected bool, got string \"yes\"");
        let err = convert(&n(1.0), &Type::Bool).unwrap_err();
        assert_eq!(err.message, "expected bool, got number 1");
        let err = convert(&list(vec![]), &Type::String).unwrap_err();
        assert_eq!(err.message, "expected string, got empty list");
        let err = convert(&list(vec![s("a")]), &Type::String).unwrap_err();
        assert_eq!(err.message, "expected string, got list");
    }

    #[test]
    fn null_unknown_and_attribute_refs_pass_through() {
        let attr_ref = reference("online_endpoint.fraud", &["scoring_uri"]);
        for ty in [
            t("string"),
            t("number"),
            t("list(string)"),
            t("object({a=string})"),
        ] {
            assert_eq!(convert(&Value::Null, &ty), Ok(Value::Null));
            assert_eq!(convert(&Value::Unknown, &ty), Ok(Value::Unknown));
            assert_eq!(convert(&attr_ref, &ty), Ok(attr_ref.clone()));
        }
        let v = list(vec![Value::Unknown, s("2")]);
        assert_eq!(
            convert(&v, &t("list(number)")),
            Ok(list(vec![Value::Unknown, n(2.0)]))
        );
    }

    #[test]
    fn whole_resource_refs_are_strings_only() {
        let ws = reference("workspace.fraud", &[]);
        assert_eq!(convert(&ws, &Type::String), Ok(ws.clone()));
        assert_eq!(convert(&ws, &Type::Any), Ok(ws.clone()));
        let err = convert(&ws, &Type::Number).unwrap_err();
        assert_eq!(
            err.message,
            "expected number, got a reference to workspace.fraud"
        );
    }

    #[test]
    fn converts_lists_and_sets() {
        let v = list(vec![n(1.0), s("b"), Value::Bool(false)]);
        assert_eq!(
            convert(&v, &t("list(string)")),
            Ok(list(vec![s("1"), s("b"), s("false")]))
        );
        let v = list(vec![s("b"), s("a"), s("b")]);
        assert_eq!(
            convert(&v, &t("set(string)")),
            Ok(list(vec![s("a"), s("b")]))
        );
        let v = list(vec![Value::Unknown, s("b"), Value::Unknown, s("a")]);
        assert_eq!(convert(&v, &t("set(string)")), Ok(v.clone()));
        let err = convert(&list(vec![n(1.0), s("x")]), &t("list(number)")).unwrap_err();
        assert_eq!(err.path, vec!["1"]);
        assert_eq!(err.message, "expected number, got string \"x\"");
        let err = convert(&map(&[]), &t("list(string)")).unwrap_err();
        assert_eq!(err.message, "expected list(string), got empty map");
    }

    #[test]
    fn converts_tuples() {
        let ty = t("tuple([string, number])");
        assert_eq!(
            convert(&list(vec![n(1.0), s("2")]), &ty),
            Ok(list(vec![s("1"), n(2.0)]))
        );
        let err = convert(&list(vec![s("a")]), &ty).unwrap_err();
        assert_eq!(
            err.message,
            "expected tuple([string, number]), a list of 2 elements, got 1 element"
        );
        let err = convert(&list(vec![s("a"), s("b")]), &ty).unwrap_err();
        assert_eq!(err.path, vec!["1"]);
    }

    #[test]
    fn converts_maps() {
        let v = map(&[("a", n(1.0)), ("b", s("2"))]);
        assert_eq!(
            convert(&v, &t("map(number)")),
            Ok(map(&[("a", n(1.0)), ("b", n(2.0))]))
        );
        let err = convert(&map(&[("a", s("x"))]), &t("map(number)")).unwrap_err();
        assert_eq!(err.path, vec!["a"]);
        let err = convert(&list(vec![]), &t("map(string)")).unwrap_err();
        assert_eq!(err.message, "expected map(string), got empty list");
    }

    #[test]
    fn converts_objects() {
        let ty = t("object({ name = string, size = optional(number) })");
        assert_eq!(
            convert(&map(&[("name", s("a"))]), &ty),
            Ok(map(&[("name", s("a")), ("size", Value::Null)]))
        );
        assert_eq!(
            convert(&map(&[("name", n(1.0)), ("size", s("3"))]), &ty),
            Ok(map(&[("name", s("1")), ("size", n(3.0))]))
        );

        let err = convert(&map(&[("size", n(1.0))]), &ty).unwrap_err();
        assert_eq!(err.message, "attribute `name` is required");

        let err = convert(&map(&[("name", s("a")), ("szie", n(1.0))]), &ty).unwrap_err();
        assert_eq!(
            err.message,
            "unexpected attribute `szie`; did you mean `size` instead of `szie`? (expected name, size)"
        );

        let err =
            convert(&map(&[("name", s("a")), ("x", n(1.0)), ("y", n(1.0))]), &ty).unwrap_err();
        assert!(
            err.message.starts_with("unexpected attributes `x`, `y`"),
            "{}",
            err.message
        );

        let err = convert(&s("a"), &ty).unwrap_err();
        assert_eq!(
            err.message,
            "expected object({name=string, size=optional(number)}), got string \"a\""
        );
    }

    #[test]
    fn error_paths_locate_nested_elements() {
        let ty = t("object({ instances = list(object({ name = string })) })");
        let v = map(&[(
            "instances",
            list(vec![
                map(&[("name", s("a"))]),
                map(&[("name", s("b"))]),
                map(&[("name", list(vec![]))]),
            ]),
        )]);
        let err = convert(&v, &ty).unwrap_err();
        assert_eq!(err.path, vec!["instances", "2", "name"]);
        assert_eq!(err.message, "expected string, got empty list");
        assert_eq!(err.path_display(), "instances[2].name");
        assert_eq!(
            err.to_string(),
            "instances[2].name: expected string, got empty list"
        );

        let err = ConvertError {
            message: "m".into(),
            path: vec!["tags".into(), "cost center".into()],
        };
        assert_eq!(err.path_display(), "tags[\"cost center\"]");
    }

    #[test]
    fn number_parsing_is_strict() {
        let f = |s: &str| parse_number(s).map(|n| n.to_f64());
        assert_eq!(f("42"), Some(42.0));
        assert_eq!(f("-0.5"), Some(-0.5));
        assert_eq!(f("+3"), Some(3.0));
        assert_eq!(f(".5"), Some(0.5));
        assert_eq!(f("5."), Some(5.0));
        assert_eq!(f("1E3"), Some(1000.0));
        // Beyond f64, as Terraform's numbers are.
        assert_eq!(
            parse_number("1e999").map(|n| n.to_string().len()),
            Some(1000)
        );
        for bad in [
            "", " 1", "1 ", "0x10", "inf", "NaN", "1e", "-", ".", "1_000",
        ] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn long_strings_are_shortened_in_messages() {
        let long = "x".repeat(100);
        let err = convert(&s(&long), &Type::Number).unwrap_err();
        assert!(err.message.ends_with("…"), "{}", err.message);
        assert!(err.message.len() < 80, "{}", err.message);
    }
}
