//! Uploading an entry's files (a code asset's directory) before its PUT, as ARM's asset
//! upload goes: `POST {version ID}/startPendingUpload` hands out a blob reference (a blob
//! directory URI and a SAS URI for it), each file is written through the SAS URI with the
//! transport's blob PUT, and the blob URI goes into the version's body.

use serde_json::Value;

use super::ArmError;
use super::client::ArmClient;
use crate::arm::Desired;
use crate::arm::upload::Upload;

/// The error code of a `startPendingUpload` answer amlplan cannot use.
pub const BAD_UPLOAD_REFERENCE: &str = "InvalidPendingUploadResponse";

/// Uploads `upload`'s files for `entry`; returns the blob URI its body must name.
pub async fn upload(
    client: &ArmClient,
    entry: &Desired,
    upload: &Upload,
) -> Result<String, ArmError> {
    let path = format!("{}/{}", entry.id, upload.action);
    let request = upload.request_body();
    let answer = client
        .post(&path, &entry.api_version, Some(request))
        .await?
        .unwrap_or(Value::Null);
    let reference = answer.get("blobReferenceForConsumption");
    let text = |p: &str| {
        reference
            .and_then(|r| r.pointer(p))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (Some(blob_uri), Some(sas_uri)) = (text("/blobUri"), text("/credential/sasUri")) else {
        return Err(ArmError {
            status: 0,
            code: BAD_UPLOAD_REFERENCE.into(),
            message: format!(
                "{}: the answer to {} names no blob URI and SAS URI to upload to",
                entry.address, upload.action
            ),
        });
    };
    for file in &upload.files {
        client
            .put_blob(&blob_url(&sas_uri, &file.path), &file.content)
            .await?;
    }
    Ok(blob_uri)
}

/// The URL of the blob `path` under a directory SAS URI: the path goes before the query,
/// each segment percent-encoded.
pub fn blob_url(sas_uri: &str, path: &str) -> String {
    let (base, query) = sas_uri.split_once('?').unwrap_or((sas_uri, ""));
    let encoded: Vec<String> = path.split('/').map(encode_segment).collect();
    let mut url = format!("{}/{}", base.trim_end_matches('/'), encoded.join("/"));
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::blob_url;

    #[test]
    fn blob_urls_put_the_encoded_path_before_the_sas_query() {
        assert_eq!(
            blob_url(
                "https://a.blob.core.windows.net/c/LocalUpload/x?sv=1&sig=s",
                "lib/my file.py"
            ),
            "https://a.blob.core.windows.net/c/LocalUpload/x/lib/my%20file.py?sv=1&sig=s"
        );
        assert_eq!(blob_url("https://a/c/", "s.py"), "https://a/c/s.py");
    }
}
