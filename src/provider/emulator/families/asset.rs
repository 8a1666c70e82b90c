//! Asset containers and versions (environments, data, models, codes, components): a version
//! PUT registers its container implicitly, and a registered version's content is immutable.

use serde_json::{Value, json};

use super::super::path::ArmPath;
use super::super::response::err;
use super::super::shape::{Materialise, props_mut};
use crate::provider::ArmError;

/// Properties of an asset version that may change in place (`properties` may only gain
/// keys).
const ASSET_MUTABLE: [&str; 6] = [
    "description",
    "tags",
    "stage",
    "isArchived",
    "properties",
    "provisioningState",
];

/// The parent a version PUT needs: the workspace when the container does not exist yet.
pub(super) fn parent_to_check(path: &ArmPath, container_exists: bool) -> Option<ArmPath> {
    let container = path.parent()?;
    if container_exists {
        Some(container)
    } else {
        container.parent()
    }
}

/// An environment version is `UserCreated`.
pub(super) fn materialise_environment(_: &Materialise<'_>, body: &mut Value) {
    props_mut(body).insert("environmentType".into(), json!("UserCreated"));
}

/// The error ARM gives when an existing asset version is PUT with other content.
pub(super) fn version_change(path: &ArmPath, old: &Value, new: &Value) -> Option<ArmError> {
    let content = |v: &Value| {
        let mut props = v.get("properties").cloned().unwrap_or(Value::Null);
        if let Some(o) = props.as_object_mut() {
            for k in ASSET_MUTABLE {
                o.remove(k);
            }
        }
        props
    };
    let old_props = old.pointer("/properties/properties");
    let new_props = new.pointer("/properties/properties");
    let props_ok = match (old_props.and_then(Value::as_object), new_props) {
        (Some(o), Some(n)) => o.iter().all(|(k, v)| n.get(k) == Some(v)),
        (Some(o), None) => o.is_empty(),
        (None, _) => true,
    };
    if super::super::rules::loosely_equal_exact(&content(old), &content(new)) && props_ok {
        return None;
    }
    Some(err(
        400,
        "UserError",
        &format!(
            "{} {} with version {} is already registered and cannot be changed.",
            asset_label(path),
            path.names.get(1).map_or("", String::as_str),
            path.name()
        ),
    ))
}

/// Whether a version shows in a LIST of `listViewType` `view` (archived ones only when asked).
pub(super) fn listed_in_view(view: Option<&str>, item: &Value) -> bool {
    let archived = item
        .pointer("/properties/isArchived")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match view.map(str::to_ascii_lowercase).as_deref() {
        Some("all") => true,
        Some("archivedonly") => archived,
        _ => !archived,
    }
}

/// How the service names the asset type in messages: `Environment` for `environments`.
fn asset_label(path: &ArmPath) -> String {
    let collection = path.types.get(1).map_or("asset", String::as_str);
    let singular = collection.strip_suffix('s').unwrap_or(collection);
    let mut chars = singular.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_path() -> ArmPath {
        ArmPath::parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/environments/e/versions/1").unwrap()
    }

    #[test]
    fn asset_versions() {
        let v = |image: &str, desc: &str, props: Value| json!({"properties":{"image":image,"description":desc,"properties":props}});
        let old = v("img:1", "a", json!({"k":"v"}));
        let path = env_path();
        assert!(version_change(&path, &old, &v("img:1", "b", json!({"k":"v","k2":"x"}))).is_none());
        let e = version_change(&path, &old, &v("img:2", "a", json!({"k":"v"}))).unwrap();
        assert_eq!(e.code, "UserError");
        assert_eq!(
            e.message,
            "Environment e with version 1 is already registered and cannot be changed."
        );
        assert!(version_change(&path, &old, &v("img:1", "a", json!({"k":"w"}))).is_some());
        let data = ArmPath::parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/data/d/versions/2").unwrap();
        assert!(asset_label(&data) == "Data");
    }
}
