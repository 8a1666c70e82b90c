//! Key Vaults: a deleted vault stays soft-deleted under its name (for
//! `softDeleteRetentionInDays`); with purge protection nobody can purge it, so a PUT of the
//! name is refused unless it recovers the vault (`createMode: recover`, in the vault's
//! region). The soft-deleted vault is readable at
//! `/subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}`.

use serde_json::{Value, json};

use super::super::Emulator;
use super::super::path::ArmPath;
use super::super::response::err;
use super::super::shape::{iso_time, normalise_location};
use super::super::store::StoredResource;
use crate::provider::ArmError;

fn create_mode(body: &Value) -> Option<String> {
    body.pointer("/properties/createMode")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
}

fn location(body: &Value) -> String {
    normalise_location(body.get("location").and_then(Value::as_str).unwrap_or(""))
}

/// `createMode` is a request's instruction, not a property of the vault.
pub(super) fn normalise(body: &mut Value) {
    if let Some(p) = body.get_mut("properties").and_then(Value::as_object_mut) {
        p.remove("createMode");
    }
}

/// Keeps a deleted vault (unless soft delete is off) under its name.
pub(super) fn soft_delete(emu: &mut Emulator, key: &str, mut stored: StoredResource) {
    let off = stored.body.pointer("/properties/enableSoftDelete") == Some(&json!(false));
    if !off {
        stored.deleted_ms = Some(emu.state.clock);
        emu.state.soft_deleted.insert(key.to_string(), stored);
    }
}

impl Emulator {
    /// A PUT of a soft-deleted vault's name must recover it, in its region; `recover`
    /// without a deleted vault is refused too.
    pub(super) fn check_deleted_vault(&self, path: &ArmPath, body: &Value) -> Result<(), ArmError> {
        let key = path.key();
        let recover = create_mode(body).as_deref() == Some("recover");
        let live = self.state.resources.contains_key(&key);
        match self.state.soft_deleted.get(&key) {
            Some(_) if live => Ok(()),
            Some(deleted) if recover => {
                let (was, now) = (location(&deleted.body), location(body));
                if was == now {
                    Ok(())
                } else {
                    Err(err(
                        400,
                        "BadRequest",
                        &format!(
                            "The deleted vault '{}' is in '{was}'; it can only be recovered there.",
                            path.name()
                        ),
                    ))
                }
            }
            Some(_) => Err(err(
                409,
                "ConflictError",
                &format!(
                    "A vault with the same name already exists in deleted state ('{}'). You need to either recover or purge existing key vault.",
                    path.name()
                ),
            )),
            None if recover && !live => Err(err(
                404,
                "NotFound",
                &format!("No deleted vault named '{}' to recover.", path.name()),
            )),
            None => Ok(()),
        }
    }

    /// A recovered vault is no longer soft-deleted.
    pub(super) fn after_put_vault(&mut self, key: &str) {
        self.state.soft_deleted.remove(key);
    }

    /// `…/locations/{location}/deletedVaults/{name}`: the soft-deleted vault of that name and
    /// region, as ARM's `DeletedVault`.
    pub(crate) fn deleted_vault(&self, path: &ArmPath) -> Option<Value> {
        if !path
            .resource_type()
            .eq_ignore_ascii_case("Microsoft.KeyVault/locations/deletedVaults")
        {
            return None;
        }
        let region = path.names.first()?.to_ascii_lowercase();
        let name = path.name().to_ascii_lowercase();
        let (_, stored) = self.state.soft_deleted.iter().find(|(k, v)| {
            k.contains("/providers/microsoft.keyvault/vaults/")
                && k.rsplit('/').next() == Some(name.as_str())
                && location(&v.body) == region
        })?;
        let protected =
            stored.body.pointer("/properties/enablePurgeProtection") == Some(&json!(true));
        Some(json!({
            "id": path.path,
            "name": path.name(),
            "type": "Microsoft.KeyVault/deletedVaults",
            "properties": {
                "vaultId": stored.id,
                "location": region,
                "deletionDate": iso_time(stored.deleted_ms.unwrap_or(0)),
                "purgeProtectionEnabled": protected,
            },
        }))
    }
}
