//! How expressions see names: a module instance's scope, and the restricted scopes of
//! variable defaults and validation conditions.

use super::instances::Instance;
use super::resources::Shape;
use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::lang::eval::{Resolved, Scope};
use crate::lang::value::Value;
use crate::model::InstanceKey;
use crate::source::Span;

impl Scope for Instance<'_> {
    fn variable(&self, name: &str) -> Option<Resolved> {
        self.vars.get(name).cloned()
    }

    fn local(&self, name: &str, span: Span) -> Option<Result<Resolved, Diagnostic>> {
        self.resolve_local(name, span)
    }

    fn module_output(
        &self,
        module: &str,
        output: &str,
        span: Span,
    ) -> Result<Resolved, Diagnostic> {
        match self.child(module)? {
            Some(child) => child.output(output, span),
            // The call itself is broken (reported there): its outputs are unknown.
            None => Ok(Resolved::plain(Value::Unknown)),
        }
    }

    fn resource(&self, kind: &str, label: &str, _span: Span) -> Option<Result<Value, Diagnostic>> {
        let decl = self
            .decls()
            .resources
            .get(&(kind.to_string(), label.to_string()))?;
        Some(self.shape(decl).map(|shape| {
            match shape {
                Shape::Single => self.reference(kind, label, None),
                Shape::Broken => Value::Unknown,
                Shape::Each(map) => Value::Map(
                    map.keys()
                        .map(|k| {
                            (
                                k.clone(),
                                self.reference(kind, label, Some(&InstanceKey::Key(k.clone()))),
                            )
                        })
                        .collect(),
                ),
                Shape::Count(n) => Value::List(
                    (0..n)
                        .map(|i| self.reference(kind, label, Some(&InstanceKey::Index(i))))
                        .collect(),
                ),
            }
        }))
    }

    fn is_resource_kind(&self, kind: &str) -> bool {
        crate::schema::kind(kind).is_some()
    }

    fn variable_names(&self) -> Vec<String> {
        self.vars.keys().cloned().collect()
    }

    fn local_names(&self) -> Vec<String> {
        self.decls().locals.keys().cloned().collect()
    }

    fn resource_labels(&self, kind: &str) -> Vec<String> {
        self.decls()
            .resources
            .keys()
            .filter(|(k, _)| k == kind)
            .map(|(_, l)| l.clone())
            .collect()
    }

    fn module_names(&self) -> Vec<String> {
        self.decls().modules.keys().cloned().collect()
    }

    fn known_attribute(&self, address: &str, attr: &str) -> Option<Value> {
        self.ctx.known.get(address)?.get(attr).cloned()
    }
}

/// A scope with no names: for variable defaults and var files, which must be literals.
pub(super) struct EmptyScope;

impl Scope for EmptyScope {
    fn variable(&self, _: &str) -> Option<Resolved> {
        None
    }
    fn local(&self, _: &str, _: Span) -> Option<Result<Resolved, Diagnostic>> {
        None
    }
    fn module_output(&self, module: &str, _: &str, span: Span) -> Result<Resolved, Diagnostic> {
        Err(diagnostics::references::module_not_available(module, span))
    }
    fn resource(&self, _: &str, _: &str, _: Span) -> Option<Result<Value, Diagnostic>> {
        None
    }
    fn is_resource_kind(&self, kind: &str) -> bool {
        crate::schema::kind(kind).is_some()
    }
    fn variable_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn local_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn resource_labels(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn module_names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The scope of a variable's validation condition: only the variable itself.
pub(super) struct OneVariable<'v> {
    pub(super) name: &'v str,
    pub(super) value: &'v Value,
}

impl Scope for OneVariable<'_> {
    fn variable(&self, name: &str) -> Option<Resolved> {
        (name == self.name).then(|| Resolved::plain(self.value.clone()))
    }
    fn local(&self, _: &str, _: Span) -> Option<Result<Resolved, Diagnostic>> {
        None
    }
    fn module_output(&self, module: &str, _: &str, span: Span) -> Result<Resolved, Diagnostic> {
        EmptyScope.module_output(module, "", span)
    }
    fn resource(&self, _: &str, _: &str, _: Span) -> Option<Result<Value, Diagnostic>> {
        None
    }
    fn is_resource_kind(&self, kind: &str) -> bool {
        crate::schema::kind(kind).is_some()
    }
    fn variable_names(&self) -> Vec<String> {
        vec![self.name.to_string()]
    }
    fn local_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn resource_labels(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn module_names(&self) -> Vec<String> {
        Vec::new()
    }
}
