//! AML-LIN-001: an environment whose base image is not pinned.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-LIN-001",
    area: Area::Lineage,
    severity: Severity::Medium,
    title: "Environment image is not pinned",
    rationale: "An image referenced as `latest` (or with no tag) changes under the environment \
                version: the same version builds a different runtime next month, and what was \
                trained cannot be reproduced or audited.",
    remediation: "Reference the image by a dated tag and, better, its digest \
                  (`...:20240709.v1@sha256:...`).",
    policy: &[],
    checkov: &[],
    applies: |k| k.body.attr("image").is_some() && k.body.attr("conda_file").is_some(),
    check,
};

/// Why an image reference is not pinned, if it is not.
fn unpinned(image: &str) -> Option<&'static str> {
    if image.contains("@sha256:") {
        return None;
    }
    // The tag is after the last `:` of the last path segment (a registry port has a `/` after it).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some("has no tag (so `latest`) and no digest"),
        Some((_, "latest")) => Some("uses the tag `latest` without a digest"),
        Some(_) => None,
    }
}

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(image) = r.body.str("image") else {
        return;
    };
    if let Some(why) = unpinned(image) {
        out.push(Hit::attr(
            r,
            "image",
            format!("the image of environment {} {why}", r.address),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn tags_and_digests_pin_an_image() {
        assert!(
            unpinned("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1").is_none()
        );
        assert!(unpinned("myacr.azurecr.io:5000/img@sha256:abc").is_none());
        assert!(unpinned("mcr.microsoft.com/azureml/base").is_some());
        assert!(unpinned("myacr.azurecr.io:5000/img").is_some());
        assert!(unpinned("python:latest").is_some());
    }
}
