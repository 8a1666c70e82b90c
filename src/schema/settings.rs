//! Schemas of the top-level blocks that are not resources: `azure`, `backend`, `variable`,
//! `output`, `module`, `budget`, `prices` and `review`. Resource kinds are in [`super::KINDS`];
//! `locals` has no schema (any attribute is a local value).
//!
//! None of these is sent to Azure, so every `arm_path` is empty and nothing is create-only.

use super::{AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, NestedSchema};

/// Top-level block types other than resources: name, number of labels, description.
pub static TOP_LEVEL_BLOCKS: &[(&str, usize, &str)] = &[
    (
        "azure",
        0,
        "Where resources go by default: subscription, resource group and region.",
    ),
    (
        "backend",
        1,
        "Where amlplan keeps its state; the label is the backend type (`local` or `azure_blob`).",
    ),
    (
        "variable",
        1,
        "An input variable of the manifest, read as `var.NAME`.",
    ),
    ("locals", 0, "Named local values, read as `local.NAME`."),
    (
        "output",
        1,
        "A value the manifest reports after apply, or passes to a calling module.",
    ),
    (
        "module",
        1,
        "A call of a reusable manifest directory, with its input variables as attributes.",
    ),
    (
        "budget",
        1,
        "A monthly cost limit the forecast is checked against.",
    ),
    (
        "prices",
        0,
        "A price file that overrides catalogue prices (negotiated rates).",
    ),
    (
        "review",
        0,
        "Which security-review findings fail the plan, and which are accepted.",
    ),
];

/// The `azure` block.
pub static AZURE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "subscription_id",
            AttrType::Guid,
            "",
            "The ID of the subscription resources are created in.",
        )
        .required(),
        AttrSchema::new(
            "resource_group",
            AttrType::String,
            "",
            "The resource group resources go in unless they set their own `resource_group`.",
        )
        .required(),
        AttrSchema::new(
            "location",
            AttrType::String,
            "",
            "The Azure region (`eastus`) resources go in unless they set their own `location`.",
        )
        .required(),
        AttrSchema::new(
            "tenant_id",
            AttrType::Guid,
            "",
            "The Microsoft Entra tenant to authenticate against (the credential's default if absent).",
        ),
    ],
    blocks: &[],
};

/// `backend "local"`: state in a local file (the default when there is no backend block).
pub static BACKEND_LOCAL: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "path",
        AttrType::String,
        "",
        "The state file, relative to the manifest directory.",
    )
    .default(DefaultValue::Str(".amlplan/state.json"))],
    blocks: &[],
};

/// `backend "azure_blob"`: state in an Azure Storage blob, locked with a blob lease
/// (`state/blob/`). The account key is never an attribute: it comes from
/// `AMLPLAN_STORAGE_ACCESS_KEY`, else an Entra ID token is used.
pub static BACKEND_AZURE_BLOB: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "storage_account",
            AttrType::String,
            "",
            "The name of the storage account that holds the state.",
        )
        .required(),
        AttrSchema::new(
            "container",
            AttrType::String,
            "",
            "The blob container that holds the state.",
        )
        .required(),
        AttrSchema::new(
            "key",
            AttrType::String,
            "",
            "The blob name of the state file (`fraud.json`).",
        )
        .required(),
        AttrSchema::new(
            "endpoint",
            AttrType::String,
            "",
            "The blob service URL, for Azurite (`http://127.0.0.1:10000/devstoreaccount1`) or a \
             sovereign cloud; `https://ACCOUNT.blob.core.windows.net` if absent.",
        ),
        AttrSchema::new(
            "resource_group",
            AttrType::String,
            "",
            "The storage account's resource group (the `azure` block's if absent).",
        ),
        AttrSchema::new(
            "subscription_id",
            AttrType::Guid,
            "",
            "The storage account's subscription (the `azure` block's if absent).",
        ),
    ],
    blocks: &[],
};

/// Backend types, by label.
pub static BACKENDS: &[(&str, &BlockSchema)] = &[
    ("local", &BACKEND_LOCAL),
    ("azure_blob", &BACKEND_AZURE_BLOB),
];

/// The schema of `backend "LABEL"`, if the backend type exists.
pub fn backend(label: &str) -> Option<&'static BlockSchema> {
    BACKENDS
        .iter()
        .find(|(name, _)| *name == label)
        .map(|(_, schema)| *schema)
}

static VALIDATION: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "condition",
            AttrType::Any,
            "",
            "An expression over `var.NAME` that must be true for the value to be accepted.",
        )
        .required(),
        AttrSchema::new(
            "error_message",
            AttrType::String,
            "",
            "The error reported when the condition is false.",
        )
        .required(),
    ],
    blocks: &[],
};

/// `variable "NAME"`.
pub static VARIABLE: BlockSchema = BlockSchema {
    attrs: &[
        // A type expression (`string`, `list(number)`, `object({...})`), checked by `lang`.
        AttrSchema::new(
            "type",
            AttrType::Any,
            "",
            "The type values must have: `string`, `number`, `bool`, `list(T)`, `map(T)` or `object({...})`.",
        ),
        AttrSchema::new(
            "default",
            AttrType::Any,
            "",
            "The value used when none is given; without it the variable is required.",
        ),
        AttrSchema::new(
            "description",
            AttrType::String,
            "",
            "What the variable is for, shown in the generated reference.",
        ),
        AttrSchema::new(
            "sensitive",
            AttrType::Bool,
            "",
            "Whether the value is hidden from every output, plan and log.",
        )
        .default(DefaultValue::Bool(false)),
        AttrSchema::new(
            "nullable",
            AttrType::Bool,
            "",
            "Whether `null` is an acceptable value.",
        )
        .default(DefaultValue::Bool(true)),
    ],
    blocks: &[NestedSchema {
        name: "validation",
        labels: 0,
        min: 0,
        max: None,
        body: &VALIDATION,
        arm_path: "",
        create_only: false,
        doc: "A rule the value must satisfy, with the error reported when it does not.",
    }],
};

/// `output "NAME"`.
pub static OUTPUT: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new("value", AttrType::Any, "", "The value reported.").required(),
        AttrSchema::new(
            "description",
            AttrType::String,
            "",
            "What the output is, shown in the generated reference.",
        ),
        AttrSchema::new(
            "sensitive",
            AttrType::Bool,
            "",
            "Whether the value is hidden from every output, plan and log.",
        )
        .default(DefaultValue::Bool(false)),
        AttrSchema::new(
            "depends_on",
            AttrType::List(&AttrType::Any),
            "",
            "Extra dependencies of the output, as a list of block references.",
        ),
    ],
    blocks: &[],
};

/// `module "NAME"`. Its other attributes are the module's input variables, checked against
/// the module's own `variable` blocks.
pub static MODULE: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "source",
        AttrType::String,
        "",
        "The module's directory, relative to the manifest file that calls it.",
    )
    .required()],
    blocks: &[],
};

/// `budget "NAME"`.
pub static BUDGET: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "amount",
            AttrType::Number,
            "",
            "The monthly limit; a forecast above it blocks the plan.",
        )
        .required(),
        AttrSchema::new(
            "currency",
            AttrType::String,
            "",
            "The ISO 4217 currency code of `amount` and of the forecast.",
        )
        .default(DefaultValue::Str("USD")),
        AttrSchema::new(
            "warn_at",
            AttrType::Integer {
                min: Some(0),
                max: Some(100),
            },
            "",
            "The percentage of `amount` above which the forecast warns.",
        )
        .default(DefaultValue::Int(80)),
        AttrSchema::new(
            "start_date",
            AttrType::String,
            "",
            "With `alert` blocks: the first day the Azure budget counts (`YYYY-MM-01`); the first of the current month when absent.",
        ),
        AttrSchema::new(
            "end_date",
            AttrType::String,
            "",
            "With `alert` blocks: the last day the Azure budget counts (`YYYY-MM-DD`); ten years after the start when absent.",
        ),
        AttrSchema::new(
            "scope",
            AttrType::String,
            "",
            "With `alert` blocks: the subscription or resource group ID whose spend the Azure budget watches; the `azure` block's resource group when absent.",
        ),
    ],
    blocks: &[NestedSchema {
        name: "alert",
        labels: 1,
        min: 0,
        max: Some(super::consumption_budget::MAX_ALERTS),
        body: &super::consumption_budget::ALERT,
        arm_path: "",
        create_only: false,
        doc: "A notification of the budget in Azure (`Microsoft.Consumption/budgets`): with any, the budget is also created there, monthly, and watches spend after apply.",
    }],
};

/// `prices`.
pub static PRICES: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "file",
        AttrType::FilePath,
        "",
        "A TOML price file, relative to the manifest file, whose prices replace the catalogue's.",
    )
    .required()],
    blocks: &[],
};

/// Finding severities, lowest first.
pub static SEVERITIES: &[EnumValue] = &[
    EnumValue::new("info", "info"),
    EnumValue::new("low", "low"),
    EnumValue::new("medium", "medium"),
    EnumValue::new("high", "high"),
    EnumValue::new("critical", "critical"),
];

static IGNORE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "address",
            AttrType::String,
            "",
            "The address of the resource (or outbound rule) the finding is accepted for (`workspace.fraud.outbound_rule.pypi`).",
        )
        .required(),
        AttrSchema::new(
            "reason",
            AttrType::String,
            "",
            "Why the finding is accepted, kept for audit.",
        )
        .required(),
    ],
    blocks: &[],
};

/// `review`.
pub static REVIEW: BlockSchema = BlockSchema {
    attrs: &[AttrSchema::new(
        "fail_on",
        AttrType::Enum(SEVERITIES),
        "",
        "The lowest finding severity that fails the plan.",
    )
    .default(DefaultValue::Str("high"))],
    blocks: &[NestedSchema {
        name: "ignore",
        labels: 1,
        min: 0,
        max: None,
        body: &IGNORE,
        arm_path: "",
        create_only: false,
        doc: "Accepts one finding, named by its rule code label (`AML-NET-004`), for one address.",
    }],
};
