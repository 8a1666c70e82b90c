//! GET and LIST: what ARM returns for a stored resource (the stored body, what its family
//! computes on read, without its secrets).

use serde_json::{Value, json};

use super::path::ArmPath;
use super::response::{not_found, respond};
use super::shape::without_secrets;
use super::store::StoredResource;
use super::types::family;
use super::{Emulator, Outcome};
use crate::provider::ArmRequest;

impl Emulator {
    pub(crate) fn get(&self, path: &ArmPath) -> Outcome {
        if let Some(body) = self
            .representation(&path.key())
            .or_else(|| self.required_rule(path))
            .or_else(|| self.deleted_vault(path))
        {
            return Ok(respond(200, Vec::new(), Some(body)));
        }
        Err(not_found(path))
    }

    pub(crate) fn list(&self, path: &ArmPath, req: &ArmRequest) -> Outcome {
        if let Some(parent) = path.parent()
            && !self.state.resources.contains_key(&parent.key())
        {
            return Err(not_found(&parent));
        }
        let prefix = format!("{}/", path.key());
        let mut items: Vec<Value> = self
            .under(&prefix)
            .filter(|(k, _)| !k[prefix.len()..].contains('/'))
            .filter_map(|(k, _)| self.representation(k))
            .collect();
        if let Some(child) = ArmPath::parse(&format!("{}/x", path.path)) {
            let child_family = family(&child);
            let view = super::routing::query(req, "listViewType");
            items.retain(|item| super::families::listed_in_view(child_family, view, item));
            items.extend(self.listed_family(child_family, path));
        }
        Ok(respond(200, Vec::new(), Some(json!({ "value": items }))))
    }

    /// Stored resources at keys starting with `prefix`.
    pub(crate) fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a StoredResource)> + 'a {
        self.state
            .resources
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
    }

    /// What GET returns for a stored resource: the stored body plus what is computed on
    /// read, less the secrets ARM never returns.
    pub(crate) fn representation(&self, key: &str) -> Option<Value> {
        let stored = self.state.resources.get(key)?;
        let path = ArmPath::parse(&stored.id)?;
        let mut body = stored.body.clone();
        self.read_family(family(&path), &path, stored, &mut body);
        Some(without_secrets(&path, body))
    }
}
