//! `datastore`: a registered connection from a workspace to storage
//! (`workspaces/datastores`): a blob container, an ADLS Gen2 filesystem or a file share.
//! Data assets and models name it in their paths (`azureml://datastores/NAME/paths/...`).
//!
//! Everything about the kind is here: its attributes, ID, naming rule, ARM semantics, its
//! lowering (the body names the account, endpoint suffix and protocol derived from the
//! storage account's ID) and the checks on the paths that name a datastore.
//!
//! Sources (2025-09-01, `Azure/bicep-types-az` generated from the REST specs,
//! `DatastoreProperties`): the discriminator `datastoreType` (`AzureBlob`,
//! `AzureDataLakeGen2`, `AzureFile`); `accountName` with `containerName`, `filesystem` or
//! `fileShareName`; `endpoint` and `protocol`; `credentials` (required) discriminated by
//! `credentialsType` (`None`, `AccountKey`, `Sas`, `ServicePrincipal`), whose `secrets` are
//! write-only; `isDefault` is read-only. `az ml datastore create` (azure-ai-ml) sends the
//! account name, the container, `endpoint: core.windows.net` and `protocol: https` and no
//! subscription or group, which is what the lowering sends; identity-based access is
//! `credentialsType: None`. A service principal's `authorityUrl` is the public cloud's Entra
//! ID authority, as azure-ai-ml defaults it.
//!
//! Not modelled: ADLS Gen1, OneLake, certificate credentials, `serviceDataAccessAuthIdentity`.

use super::descriptor::ReviewFact;
use super::semantics::{ArmSemantics, Family};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, IdTemplate, KindBehavior,
    KindSchema, LoweredAt, NestedSchema,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, body, complete, present, start};
use crate::azure::names::{NameRule, NameSpec};
use crate::check::rules::RuleCtx;
use crate::diagnostic::Diagnostics;
use crate::diagnostics::constraints;
use crate::model::Resource;

static TYPES: &[EnumValue] = &[
    EnumValue::new("azure_blob", "AzureBlob"),
    EnumValue::new("adls_gen2", "AzureDataLakeGen2"),
    EnumValue::new("azure_file", "AzureFile"),
];

static CREDENTIALS: &[EnumValue] = &[
    EnumValue::new("identity", "None"),
    EnumValue::new("account_key", "AccountKey"),
    EnumValue::new("sas", "Sas"),
    EnumValue::new("service_principal", "ServicePrincipal"),
];

/// The datastores every workspace has without declaring them.
pub const BUILT_IN: &[&str] = &[
    "workspaceblobstore",
    "workspaceartifactstore",
    "workspacefilestore",
    "workspaceworkingdirectory",
];

/// The Entra ID authority azure-ai-ml gives a service principal by default.
const AUTHORITY: &str = "https://login.microsoftonline.com/";

const SECRETS: &str = "properties.credentials.secrets";

/// Azure ML refuses hyphens in datastore names (they become part of `azureml://` URIs and of
/// the key vault secret names that hold the credentials); the container pattern of the spec
/// allows 255 characters.
static NAME: NameSpec = NameSpec {
    subject: "datastore name",
    min: 1,
    max: 255,
    extra: &['_'],
    allowed_words: "letters, digits and underscores",
    first_letter: false,
    last: None,
    description: "1 to 255 characters: letters, digits and underscores",
};

static SERVICE_PRINCIPAL: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "tenant_id",
            AttrType::Guid,
            "tenantId",
            "The Microsoft Entra tenant of the service principal.",
        )
        .required(),
        AttrSchema::new(
            "client_id",
            AttrType::Guid,
            "clientId",
            "The service principal's application (client) ID.",
        )
        .required(),
        AttrSchema::new(
            "client_secret",
            AttrType::String,
            "",
            "The service principal's secret (sensitive: sent only in the request).",
        )
        .required()
        .sensitive()
        .lowered_at(&[LoweredAt::own(
            "properties.credentials.secrets.clientSecret",
        )]),
    ],
    blocks: &[],
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "datastore",
    arm_type: "Microsoft.MachineLearningServices/workspaces/datastores",
    api_version: "2025-12-01",
    name_rule: NameRule::Own(&NAME),
    has_tags: true,
    tags_path: "properties.tags",
    has_location: false,
    doc: "A datastore: a workspace's registered connection to a blob container, ADLS Gen2 filesystem or file share, by identity (no secret) unless credentials are given.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the datastore is registered in.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "type",
                AttrType::Enum(TYPES),
                "properties.datastoreType",
                "The storage behind it: `azure_blob` (a blob container), `adls_gen2` (a Data Lake Gen2 filesystem) or `azure_file` (a file share).",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "storage_account",
                AttrType::ArmId(&["Microsoft.Storage/storageAccounts"]),
                "",
                "ARM ID of the storage account; the account name, endpoint suffix and protocol are derived from it.",
            )
            .required()
            .lowered_at(&[LoweredAt::own("properties.accountName")]),
            AttrSchema::new(
                "container",
                AttrType::String,
                "",
                "The blob container, ADLS Gen2 filesystem or file share.",
            )
            .required()
            .lowered_at(&[
                LoweredAt::own("properties.containerName"),
                LoweredAt::own("properties.filesystem"),
                LoweredAt::own("properties.fileShareName"),
            ]),
            AttrSchema::new(
                "credentials",
                AttrType::Enum(CREDENTIALS),
                "properties.credentials.credentialsType",
                "How Azure ML reaches the storage: `identity` (the caller's or the compute's identity, no secret), `account_key`, `sas` or `service_principal`.",
            )
            .default(DefaultValue::Str("identity")),
            AttrSchema::new(
                "account_key",
                AttrType::String,
                "",
                "The storage account key, with `credentials = \"account_key\"` (sensitive: sent only in the request).",
            )
            .sensitive()
            .lowered_at(&[LoweredAt::own("properties.credentials.secrets.key")]),
            AttrSchema::new(
                "sas_token",
                AttrType::String,
                "",
                "A SAS token for the container, with `credentials = \"sas\"` (sensitive: sent only in the request).",
            )
            .sensitive()
            .lowered_at(&[LoweredAt::own("properties.credentials.secrets.sasToken")]),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description.",
            ),
        ],
        blocks: &[NestedSchema {
            name: "service_principal",
            labels: 0,
            min: 0,
            max: Some(1),
            body: &SERVICE_PRINCIPAL,
            arm_path: "properties.credentials",
            create_only: false,
            doc: "The service principal, with `credentials = \"service_principal\"`.",
        }],
    },
    exports: &[],
    id: IdTemplate::Child {
        parent: "workspace",
    },
    behavior: KindBehavior {
        case_insensitive_paths: &["properties.accountName"],
        // Secrets are write-only: ARM returns no `secrets` object at all.
        server_paths: &[
            "properties.credentials.secrets.secretsType",
            "properties.credentials.secrets.key",
            "properties.credentials.secrets.sasToken",
            "properties.credentials.secrets.clientSecret",
        ],
        ..KindBehavior::PLAIN
    },
    semantics: &SEMANTICS,
    // The public cloud's storage endpoint suffix and the protocol, as `az ml` sends them.
    constants: &[
        ("properties.endpoint", "core.windows.net"),
        ("properties.protocol", "https"),
    ],
    lower: Some(lower),
    children: &[],
    role_scope: false,
    checks: &[check_credentials],
    cost: Some(cost),
    review: &[ReviewFact::StoredSecret {
        attr: "credentials",
        values: &["account_key", "sas"],
    }],
};

pub(crate) static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/datastores",
    create_only: &["properties.datastoreType"],
    read_only: &["properties.isDefault"],
    secrets: &["properties.credentials.secrets"],
    family: Family::Plain,
    source: "bicep-types-az 2025-09-01 DatastoreProperties (datastoreType discriminator; credentials required, secrets WriteOnly; isDefault ReadOnly); datastores are synchronous",
    ..ArmSemantics::PLAIN
};

/// The body: the tables' part and the constants, plus the container under the type's own
/// property, the account name from the storage account's ID, and the secrets object of
/// the credentials type (only the chosen type's secret is sent).
fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);
    let container_path = match r.body.str("type") {
        Some("adls_gen2") => "properties.filesystem",
        Some("azure_file") => "properties.fileShareName",
        _ => "properties.containerName",
    };
    if let Some(container) = present(&r.body, "container") {
        body::put(&mut out, container_path, ctx.json(&container.value));
        if container.sensitive {
            d.sensitive.push(container_path.into());
        }
    }
    if let Some(account) = present(&r.body, "storage_account") {
        let id = ctx.text(&account.value);
        // The account is the ID's last segment (an unknown ID stays the unknown marker).
        let name = id.rsplit('/').next().unwrap_or(&id).to_string();
        body::put(&mut out, "properties.accountName", name.into());
        if account.sensitive {
            d.sensitive.push("properties.accountName".into());
        }
    }
    let credentials = r.body.str("credentials").unwrap_or("identity");
    let secret = match credentials {
        "account_key" => Some(("AccountKey", "key", present(&r.body, "account_key"))),
        "sas" => Some(("Sas", "sasToken", present(&r.body, "sas_token"))),
        "service_principal" => Some((
            "ServicePrincipal",
            "clientSecret",
            r.body
                .block("service_principal")
                .and_then(|b| present(&b.body, "client_secret")),
        )),
        _ => None,
    };
    if let Some((secrets_type, leaf, Some(value))) = secret {
        body::put(
            &mut out,
            &format!("{SECRETS}.secretsType"),
            secrets_type.into(),
        );
        let path = format!("{SECRETS}.{leaf}");
        body::put(&mut out, &path, ctx.json(&value.value));
        d.sensitive.push(path);
        // Redacted like the secret beside it: ARM returns no `secrets` object, and what it
        // last applied is then compared through the state's request hash, not read back.
        d.sensitive.push(format!("{SECRETS}.secretsType"));
    }
    if credentials == "service_principal" {
        body::put(
            &mut out,
            "properties.credentials.authorityUrl",
            AUTHORITY.into(),
        );
    }
    d.body = out;
    let table = body::kind_paths(r.schema, &[]);
    complete(&mut d, r, &table);
    vec![d]
}

/// The credentials type has its secret and no other type's.
fn check_credentials(r: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let credentials_attr = r.body.attr("credentials");
    let Some(credentials) = credentials_attr.map_or(Some("identity"), |a| a.value.as_str()) else {
        return;
    };
    let sp = r.body.block("service_principal");
    let given: [(&str, Option<crate::source::Span>); 3] = [
        ("account_key", r.body.attr("account_key").map(|a| a.span)),
        ("sas_token", r.body.attr("sas_token").map(|a| a.span)),
        ("service_principal", sp.map(|b| b.span)),
    ];
    let needed = match credentials {
        "account_key" => Some("account_key"),
        "sas" => Some("sas_token"),
        "service_principal" => Some("service_principal"),
        _ => None,
    };
    let at = credentials_attr.map_or(r.header_span(), |a| a.span);
    for (name, span) in given {
        match span {
            Some(span) if Some(name) != needed => diags.push(
                constraints::datastore_secret_for_other_credentials(name, credentials, span),
            ),
            None if Some(name) == needed => {
                diags.push(constraints::datastore_secret_missing(name, credentials, at))
            }
            _ => {}
        }
    }
}

/// The datastore an `azureml://datastores/NAME/...` URI names, and where `NAME` starts in it.
pub fn named_in(uri: &str) -> Option<(&str, usize)> {
    const PREFIX: &str = "azureml://datastores/";
    let head = uri.get(..PREFIX.len())?;
    if !head.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let rest = &uri[PREFIX.len()..];
    let name = rest.split('/').next().unwrap_or(rest);
    (!name.is_empty()).then_some((name, PREFIX.len()))
}

/// Is `resource` (one of a workspace's children) a datastore named `name` (datastore names
/// are case-insensitive, as ARM names are)?
fn is_datastore_named(resource: &Resource, name: &str) -> bool {
    std::ptr::eq(resource.schema, &SCHEMA) && resource.name.eq_ignore_ascii_case(name)
}

/// For an asset kind's checks: the datastore its `path` names is declared in its workspace
/// or built in; else E0726 with the closest declared names.
pub fn check_path_datastore(asset: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(path) = asset.body.attr("path") else {
        return;
    };
    let Some((name, _)) = path.value.as_str().and_then(named_in) else {
        return;
    };
    let Some(workspace) = asset.parent_address() else {
        return;
    };
    if BUILT_IN.iter().any(|b| b.eq_ignore_ascii_case(name))
        || ctx
            .children(workspace)
            .iter()
            .any(|r| is_datastore_named(r, name))
    {
        return;
    }
    // A datastore whose name or workspace is known only later may be the one: say nothing.
    if ctx.resources().any(|r| {
        std::ptr::eq(r.schema, &SCHEMA)
            && (r.parent_address().is_none() || r.body.attr("workspace").is_none())
    }) {
        return;
    }
    let declared: Vec<&str> = ctx
        .children(workspace)
        .iter()
        .filter(|r| std::ptr::eq(r.schema, &SCHEMA))
        .map(|r| r.name.as_str())
        .chain(BUILT_IN.iter().copied())
        .collect();
    let shown = (!path.sensitive).then_some(name);
    diags.push(constraints::unknown_datastore(
        shown, workspace, &declared, path.span,
    ));
}

/// For an asset kind's lowering: its entry depends on the declared datastore its `path`
/// names (registered first, deleted after).
pub fn add_path_dependency(ctx: &Ctx<'_>, asset: &Resource, entry: &mut Desired) {
    let Some((name, _)) = asset.body.str("path").and_then(named_in) else {
        return;
    };
    let Some(workspace) = asset.parent_address() else {
        return;
    };
    if let Some(store) = ctx
        .children(workspace)
        .iter()
        .find(|r| is_datastore_named(r, name))
    {
        entry.depends_on.push(store.address.clone());
    }
}

/// The generic lowering of an asset version plus its datastore dependency (data assets and
/// models).
pub fn lower_asset(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut entries = crate::arm::lower::generic(ctx, r);
    if let Some(own) = entries.first_mut() {
        add_path_dependency(ctx, r, own);
    }
    entries
}

/// The kind's cost model: registering a datastore is free.
fn cost(_: &Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free(
        "a datastore is a registration; its storage is billed on the storage account".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::named_in;

    #[test]
    fn the_datastore_of_a_uri_is_its_first_segment() {
        assert_eq!(
            named_in("azureml://datastores/lake/paths/raw/"),
            Some(("lake", 21))
        );
        assert_eq!(named_in("AzureML://Datastores/Lake"), Some(("Lake", 21)));
        assert_eq!(named_in("azureml://datastores/"), None);
        assert_eq!(named_in("https://x.blob.core.windows.net/c"), None);
        assert_eq!(named_in("azureml://jobs/abc/outputs/m"), None);
        assert_eq!(named_in("azureml://datast"), None);
    }
}
