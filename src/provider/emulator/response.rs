//! ARM's answers: responses, error bodies and the common errors.

use serde_json::{Value, json};

use super::path::ArmPath;
use super::types::canonical_type;
use crate::provider::{ArmError, ArmRequest, ArmResponse};

pub(crate) fn respond(
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<Value>,
) -> ArmResponse {
    ArmResponse {
        status,
        headers,
        body,
    }
}

pub(crate) fn err(status: u16, code: &str, message: &str) -> ArmError {
    ArmError {
        status,
        code: code.to_string(),
        message: message.to_string(),
    }
}

/// ARM's error body: `{"error":{"code","message"}}`.
pub(crate) fn error_response(e: &ArmError) -> ArmResponse {
    respond(
        e.status,
        Vec::new(),
        Some(json!({"error": {"code": e.code, "message": e.message}})),
    )
}

pub(crate) fn fault_response(status: u16, code: &str, message: &str) -> ArmResponse {
    let mut r = error_response(&err(status, code, message));
    if status == 429 {
        r.headers.push(("retry-after".into(), "1".into()));
    }
    r
}

pub(crate) fn not_found(path: &ArmPath) -> ArmError {
    let ty = canonical_type(path);
    let rg = path
        .resource_group()
        .map(|rg| format!(" under resource group '{rg}'"))
        .unwrap_or_default();
    err(
        404,
        "ResourceNotFound",
        &format!(
            "The Resource '{ty}/{}'{rg} was not found.",
            path.names.join("/")
        ),
    )
}

pub(crate) fn method_not_allowed(req: &ArmRequest) -> ArmError {
    err(
        405,
        "MethodNotAllowed",
        &format!(
            "The method '{}' is not allowed on '{}'.",
            req.method.as_str(),
            req.path
        ),
    )
}
