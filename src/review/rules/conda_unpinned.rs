//! AML-LIN-002: an environment's conda file with packages not pinned to one version.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-LIN-002",
    area: Area::Lineage,
    severity: Severity::Medium,
    title: "Conda file has unpinned packages",
    rationale: "A package without an exact version resolves to whatever is newest when the \
                image is built: two builds of one environment version differ, and a training \
                run cannot be reproduced.",
    remediation: "Pin every conda package with `=VERSION` and every pip package with \
                  `==VERSION` (or a lock file), and bump the environment's `version` to change one.",
    policy: &[],
    checkov: &[],
    applies: |k| k.body.attr("conda_file").is_some(),
    check,
};

fn conda_pinned(spec: &str) -> bool {
    let spec = spec.trim();
    // `numpy=1.26.4`, `numpy==1.26.4`, `numpy 1.26.4`, `conda-forge::numpy=1.26.4`.
    let version = spec
        .split_once("==")
        .or_else(|| spec.split_once('='))
        .or_else(|| spec.split_once(' '))
        .map(|(_, v)| v.trim_start_matches('='));
    version.is_some_and(|v| !v.is_empty() && !v.contains(['<', '>', '!', '~', '*', ',', '|']))
        && !spec.contains(['<', '>'])
}

fn pip_pinned(spec: &str) -> bool {
    let spec = spec.trim();
    spec.starts_with('-') || spec.contains(" @ ") || {
        spec.split_once("==")
            .is_some_and(|(_, v)| !v.trim().is_empty() && !v.contains(['*', ',', '<', '>']))
    }
}

/// The packages of a conda YAML document that are not pinned to one version.
pub fn unpinned(yaml: &str) -> Vec<String> {
    let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let deps = doc.get("dependencies").and_then(|d| d.as_sequence());
    for dep in deps.into_iter().flatten() {
        if let Some(spec) = dep.as_str() {
            if !conda_pinned(spec) {
                out.push(spec.trim().to_string());
            }
        } else if let Some(pip) = dep.get("pip").and_then(|p| p.as_sequence()) {
            for spec in pip.iter().filter_map(|p| p.as_str()) {
                if !pip_pinned(spec) {
                    out.push(spec.trim().to_string());
                }
            }
        }
    }
    out
}

fn check(r: &Resource, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    // The conda file's content, as lowering read it into the environment's body.
    let Some(desired) = ctx.desired(&r.address) else {
        return;
    };
    let Some(yaml) = desired
        .body
        .pointer("/properties/condaFile")
        .and_then(|v| v.as_str())
    else {
        return;
    };
    let hidden = desired
        .sensitive
        .iter()
        .any(|p| p == "properties.condaFile")
        || ctx::is_sensitive(&r.body, "conda_file");
    let loose = unpinned(yaml);
    if loose.is_empty() {
        return;
    }
    let shown: Vec<String> = if hidden {
        vec![crate::sensitive::SHOWN.to_string()]
    } else {
        loose.iter().take(5).map(|p| format!("`{p}`")).collect()
    };
    let more = if loose.len() > 5 && !hidden {
        format!(" and {} more", loose.len() - 5)
    } else {
        String::new()
    };
    out.push(Hit::attr(
        r,
        "conda_file",
        format!(
            "the conda file of environment {} leaves {} package(s) unpinned: {}{more}",
            r.address,
            loose.len(),
            shown.join(", ")
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn exact_versions_pin_packages() {
        let yaml = "dependencies:\n  - python=3.10.13\n  - numpy\n  - scipy>=1.0\n  - pip:\n      - mlflow==2.9.2\n      - pandas\n      - torch>=2\n";
        assert_eq!(
            unpinned(yaml),
            ["numpy", "scipy>=1.0", "pandas", "torch>=2"]
        );
        assert!(
            unpinned("dependencies:\n  - conda-forge::numpy=1.26.4\n  - pip=23.3.1\n").is_empty()
        );
    }
}
