//! Request routing: injected faults first, then the api-version, the path, operation-status
//! polls, and each method to its handler.

use super::faults::Draw;
use super::lro::operation_of;
use super::path::ArmPath;
use super::response::{err, fault_response, method_not_allowed};
use super::{Emulator, Outcome};
use crate::provider::{ArmError, ArmRequest, ArmResponse, Method};

impl Emulator {
    pub(crate) fn injected_fault(&mut self, req: &ArmRequest) -> Option<ArmResponse> {
        let path_key = req
            .path
            .split('?')
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_ascii_lowercase();
        if let Some(i) = self.options.fail_next.iter().position(|(m, sub, _, _)| {
            *m == req.method && path_key.contains(&sub.to_ascii_lowercase())
        }) {
            let (_, _, status, code) = self.options.fail_next.remove(i);
            return Some(fault_response(
                status,
                &code,
                &format!(
                    "Injected fault: {} {} answered {status}.",
                    req.method.as_str(),
                    req.path
                ),
            ));
        }
        let plan = self.options.faults.clone();
        match self.counters.request(&plan, req.method.as_str(), &path_key) {
            Draw::None => None,
            Draw::Throttle => Some(fault_response(
                429,
                "SubscriptionRequestsThrottled",
                &format!(
                    "Number of '{}' requests for the subscription exceeded. Please try again after '1' seconds.",
                    if req.method == Method::Get {
                        "read"
                    } else {
                        "write"
                    }
                ),
            )),
            Draw::ServerError => Some(fault_response(
                500,
                "InternalServerError",
                "Encountered internal server error. Please try again.",
            )),
        }
    }

    pub(crate) fn route(&mut self, req: &ArmRequest) -> Outcome {
        check_api_version(&req.api_version)?;
        let Some(path) = ArmPath::parse(&req.path) else {
            return Err(err(
                400,
                "InvalidRequestUri",
                &format!("The request URI '{}' is not valid.", req.path),
            ));
        };
        if let Some((op, location_style)) = operation_of(&path) {
            if req.method != Method::Get {
                return Err(method_not_allowed(req));
            }
            return self.poll(&op, location_style);
        }
        match req.method {
            Method::Get if path.is_collection() => self.list(&path, req),
            Method::Get => {
                self.poll_by_read(&path);
                self.get(&path)
            }
            Method::Put => self.put(req, &path, false),
            Method::Patch => self.put(req, &path, true),
            Method::Delete => self.delete(req, &path),
            Method::Post => self.post(req, &path),
        }
    }
}

pub(crate) fn check_api_version(v: &str) -> Result<(), ArmError> {
    if v.trim().is_empty() {
        return Err(err(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        ));
    }
    let b = v.as_bytes();
    let date_ok = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    let suffix_ok = matches!(&v[10.min(v.len())..], "" | "-preview" | "-beta" | "-alpha");
    if date_ok && suffix_ok {
        Ok(())
    } else {
        Err(err(
            400,
            "InvalidApiVersionParameter",
            &format!(
                "The api-version '{v}' is invalid. The supported format is YYYY-MM-DD(-preview)."
            ),
        ))
    }
}

pub(crate) fn query<'a>(req: &'a ArmRequest, name: &str) -> Option<&'a str> {
    req.query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
