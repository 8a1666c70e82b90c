//! The language reference, generated from the schema tables and the code table, so the
//! documentation cannot drift from what the checker enforces. `docs/reference.md` is this
//! output; a test fails when it is stale (`UPDATE_DOCS=1 cargo test` rewrites it).

use std::fmt::Write;

use super::{BlockSchema, DefaultValue, KINDS, KindSchema, meta, settings};
use crate::diagnostic::Code;
use crate::lang::functions;

pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# amlplan language reference\n\n");
    out.push_str(
        "Generated from the schema tables in `src/schema/` (do not edit by hand; run \
         `UPDATE_DOCS=1 cargo test --test integration docs`). The vocabulary itself is fixed by \
         `LANGUAGE.md`; this page lists every attribute with its type, default and ARM property.\n\n",
    );
    out.push_str("Columns: **create-only** attributes force replacement when changed; **sensitive** ones never appear in output.\n\n");
    out.push_str("## Contents\n\n");
    for kind in KINDS {
        let _ = writeln!(out, "- [`{}`](#{})", kind.kind, kind.kind.replace('_', "-"));
    }
    out.push_str("- [Attributes every resource accepts](#attributes-every-resource-accepts)\n");
    out.push_str("- [Top-level settings blocks](#top-level-settings-blocks)\n");
    out.push_str("- [Functions](#functions)\n");
    out.push_str("- [Diagnostic codes](#diagnostic-codes)\n");
    out.push_str("- [Review rules](#review-rules)\n\n");
    for kind in KINDS {
        kind_section(&mut out, kind);
    }
    out.push_str("## Attributes every resource accepts\n\n");
    table(
        &mut out,
        &BlockSchema {
            attrs: meta::META_ATTRS,
            blocks: &[],
        },
        "",
    );
    let _ = writeln!(
        out,
        "- `tags` ({}): {} (only where ARM has tags)",
        meta::TAGS.ty.describe(),
        meta::TAGS.doc
    );
    let _ = writeln!(
        out,
        "- `location` ({}): {} (tracked resources only)\n",
        meta::LOCATION.ty.describe(),
        meta::LOCATION.doc
    );
    out.push_str("### `lifecycle` block\n\n");
    table(&mut out, meta::LIFECYCLE.body, "");
    out.push_str("## Top-level settings blocks\n\n");
    for (name, schema) in [
        ("azure", &settings::AZURE),
        ("backend \"local\"", &settings::BACKEND_LOCAL),
        ("backend \"azure_blob\"", &settings::BACKEND_AZURE_BLOB),
        ("variable", &settings::VARIABLE),
        ("output", &settings::OUTPUT),
        ("module", &settings::MODULE),
        ("budget", &settings::BUDGET),
        ("prices", &settings::PRICES),
        ("review", &settings::REVIEW),
    ] {
        let _ = writeln!(out, "### `{name}`\n");
        table(&mut out, schema, "");
        nested(&mut out, schema, name);
    }
    functions_section(&mut out);
    out.push_str("## Diagnostic codes\n\n");
    out.push_str("`amlplan explain CODE` prints the long explanation with an example.\n\n");
    out.push_str("| code | severity | meaning |\n|---|---|---|\n");
    for code in Code::ALL {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code.as_str(),
            code.default_severity().as_str(),
            code.title()
        );
    }
    review_rules(&mut out);
    out
}

/// The security review's rules (`src/review/rules/`); `docs/review.md` says how to use them.
fn review_rules(out: &mut String) {
    out.push_str("\n## Review rules\n\n");
    out.push_str("`amlplan explain RULE` prints a rule's rationale and fix; `docs/review.md` describes the review.\n\n");
    out.push_str("| rule | severity | title | applies to | Azure Policy built-in | Checkov |\n|---|---|---|---|---|---|\n");
    for rule in crate::review::rules::RULES {
        let kinds = rule.kinds();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            rule.id,
            rule.severity,
            rule.title,
            if kinds.is_empty() {
                "suppressions".to_string()
            } else {
                kinds
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            rule.policy.join("; "),
            rule.checkov.join(", ")
        );
    }
}

fn kind_section(out: &mut String, kind: &KindSchema) {
    let _ = writeln!(out, "## {}\n", kind.kind);
    let _ = writeln!(out, "{}\n", kind.doc);
    let _ = writeln!(
        out,
        "ARM type `{}`, api-version `{}`; tags: {}; location: {}.\n",
        kind.arm_type,
        kind.api_version,
        if kind.has_tags { "yes" } else { "no" },
        if kind.has_location { "yes" } else { "no" }
    );
    table(out, &kind.body, "");
    nested(out, &kind.body, kind.kind);
    let exports: Vec<String> = super::COMMON_EXPORTS
        .iter()
        .chain(kind.exports)
        .map(|e| format!("`{}` ({})", e.name, e.doc.trim_end_matches('.')))
        .collect();
    let _ = writeln!(
        out,
        "Exported attributes (`{}.NAME.ATTR`): {}.\n",
        kind.kind,
        exports.join(", ")
    );
}

fn nested(out: &mut String, body: &BlockSchema, parent: &str) {
    for block in body.blocks {
        let path = format!("{parent} › {}", block.name);
        let label = if block.labels == 1 { " \"NAME\"" } else { "" };
        let count = match (block.min, block.max) {
            (0, Some(1)) => "optional, at most once".to_string(),
            (1, Some(1)) => "required, once".to_string(),
            (0, None) => "optional, repeatable".to_string(),
            (min, Some(max)) => format!("{min} to {max} times"),
            (min, None) => format!("at least {min} times"),
        };
        let _ = writeln!(out, "### `{}{label}` block ({path})\n", block.name);
        let _ = writeln!(
            out,
            "{} ({count}{})\n",
            block.doc,
            if block.create_only {
                "; create-only"
            } else {
                ""
            }
        );
        table(out, block.body, "");
        nested(out, block.body, &path);
    }
}

fn table(out: &mut String, body: &BlockSchema, _prefix: &str) {
    if body.attrs.is_empty() {
        return;
    }
    out.push_str("| attribute | type | required | default | ARM property | notes |\n|---|---|---|---|---|---|\n");
    for a in body.attrs {
        let default = match a.default {
            Some(DefaultValue::Bool(b)) => format!("`{b}`"),
            Some(DefaultValue::Int(i)) => format!("`{i}`"),
            Some(DefaultValue::Str(s)) => format!("`\"{s}\"`"),
            None => String::new(),
        };
        let mut notes = Vec::new();
        if a.create_only {
            notes.push("create-only".to_string());
        }
        if a.sensitive {
            notes.push("sensitive".to_string());
        }
        notes.push(a.doc.replace('|', "\\|"));
        let arm = if a.arm_path.is_empty() {
            String::new()
        } else {
            format!("`{}`", a.arm_path)
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            a.name,
            a.ty.describe().replace('|', "\\|"),
            if a.required { "yes" } else { "" },
            default,
            arm,
            notes.join("; ")
        );
    }
    out.push('\n');
}

/// The built-in functions with their signatures (`[type]` is optional, `type...` repeats),
/// and the Terraform functions refused with the reason.
fn functions_section(out: &mut String) {
    out.push_str("## Functions\n\n");
    out.push_str(
        "Terraform's functions, with Terraform's names and semantics. `[type]` is an optional \
         argument, `type...` any number of further arguments.\n\n",
    );
    out.push_str("| function | signature |\n|---|---|\n");
    for name in functions::names() {
        let signature = functions::signature(name).unwrap_or_default();
        let _ = writeln!(out, "| `{name}` | `{signature}` |");
    }
    out.push_str("\nRefused (E0315), because a plan must be the same from run to run:\n\n");
    for (name, reason) in functions::REFUSED {
        let _ = writeln!(out, "- `{name}()`: {reason}");
    }
    out.push('\n');
}
