//! Which ARM collections a refresh may read by listing: those whose list answer holds each
//! item as a GET of it returns it (Azure Machine Learning's computes, outbound rules, online
//! endpoints, deployments and asset versions; role assignments at a scope). One list replaces
//! a GET per item, which is what keeps a refresh of thousands of resources under ARM's read
//! bucket (250, refilling 25 a second).

/// Collection types (the last type segment, lower case) whose list holds full items.
const LISTED_LIKE_GET: &[&str] = &[
    "computes",
    "outboundrules",
    "onlineendpoints",
    "deployments",
    "versions",
    "roleassignments",
];

/// The collection a resource ID is an item of, with its type, when it is one a refresh may
/// list: `(collection path, query)`.
pub fn listable_collection(id: &str) -> Option<(String, Vec<(String, String)>)> {
    let id = id.trim_end_matches('/');
    let (collection, name) = id.rsplit_once('/')?;
    let (_, last_type) = collection.rsplit_once('/')?;
    if name.is_empty() || last_type.is_empty() {
        return None;
    }
    let last_type = last_type.to_ascii_lowercase();
    if !LISTED_LIKE_GET.contains(&last_type.as_str()) {
        return None;
    }
    // Role assignments: only those at the scope itself, not inherited from above it.
    let query = if last_type == "roleassignments" {
        vec![("$filter".to_string(), "atScope()".to_string())]
    } else {
        Vec::new()
    };
    Some((collection.to_string(), query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_collections_list_and_top_level_resources_do_not() {
        let ws = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";
        assert_eq!(
            listable_collection(&format!("{ws}/computes/c")),
            Some((format!("{ws}/computes"), vec![]))
        );
        assert_eq!(
            listable_collection(&format!(
                "{ws}/providers/Microsoft.Authorization/roleAssignments/1234"
            )),
            Some((
                format!("{ws}/providers/Microsoft.Authorization/roleAssignments"),
                vec![("$filter".to_string(), "atScope()".to_string())]
            ))
        );
        assert_eq!(listable_collection(ws), None);
        assert_eq!(
            listable_collection(&format!("{ws}/onlineEndpoints/e/deployments/blue")),
            Some((format!("{ws}/onlineEndpoints/e/deployments"), vec![]))
        );
        assert_eq!(listable_collection("/"), None);
    }
}
