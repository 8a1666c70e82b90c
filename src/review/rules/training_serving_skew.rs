//! AML-LIN-003: a deployment serving a model in another environment than it was trained in.

use super::prelude::*;

/// The model tag that records the environment a model was trained with, as
/// `NAME:VERSION` (or `azureml:NAME:VERSION`).
pub const TRAINING_ENVIRONMENT_TAG: &str = "training_environment";

fn serves(f: &ReviewFact) -> Option<(&'static str, &'static str)> {
    match f {
        ReviewFact::Serves { model, environment } => Some((*model, *environment)),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-LIN-003",
    area: Area::Lineage,
    severity: Severity::Medium,
    title: "Deployment environment differs from the model's training environment",
    rationale: "A model scored with other library versions than it was trained with can give \
                different predictions without any error (training/serving skew).",
    remediation: "Serve the model in the environment its `training_environment` tag names, or \
                  retrain it in the serving environment and update the tag.",
    policy: &[],
    checkov: &[],
    applies: |k| fact(k, serves).is_some(),
    check,
};

/// `NAME:VERSION` of an environment the attribute names: a block, or an ARM ID
/// `.../environments/NAME/versions/VERSION`.
fn environment_of(r: &Resource, attr: &str, ctx: &Ctx<'_>) -> Option<String> {
    let value = r.body.value(attr)?;
    match value.as_ref() {
        Some(reference) => {
            let env = ctx.resource(&reference.address)?;
            Some(format!("{}:{}", env.name, env.body.str("version")?))
        }
        None => {
            let id = value.as_str()?;
            let mut segments = id.rsplit('/');
            let version = segments.next()?;
            segments
                .next()
                .filter(|s| s.eq_ignore_ascii_case("versions"))?;
            let name = segments.next()?;
            Some(format!("{name}:{version}"))
        }
    }
}

fn check(r: &Resource, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some((model_attr, env_attr)) = fact(r.schema, serves) else {
        return;
    };
    let Some(model) = ctx.referenced(r, model_attr) else {
        return;
    };
    if ctx::is_sensitive(&model.body, "tags") || ctx::is_sensitive(&r.body, env_attr) {
        return;
    }
    let Some(trained) = model
        .body
        .value("tags")
        .and_then(|t| t.as_map())
        .and_then(|m| m.get(TRAINING_ENVIRONMENT_TAG))
        .and_then(|v| v.as_str())
    else {
        return;
    };
    let trained = trained.trim().trim_start_matches("azureml:");
    let Some(serving) = environment_of(r, env_attr, ctx) else {
        return;
    };
    if !serving.eq_ignore_ascii_case(trained) {
        out.push(Hit::attr(
            r,
            env_attr,
            format!(
                "{} {} serves model {} in environment `{serving}`, but the model was trained in `{trained}`",
                r.kind(),
                r.address,
                model.address
            ),
        ));
    }
}
