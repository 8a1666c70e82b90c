//! Values that look like secrets: keys, connection strings, SAS tokens, passwords, private
//! keys and well-known token formats. The finding names what the value looks like and the
//! key it is under, never the value.

/// What a value under `key` looks like, if it looks like a secret.
pub fn looks_like(key: &str, value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(what) = by_content(value) {
        return Some(what);
    }
    let key = key.to_ascii_lowercase();
    const NAMES: &[(&str, &str)] = &[
        ("password", "a password"),
        ("passwd", "a password"),
        ("pwd", "a password"),
        ("secret", "a secret"),
        ("token", "a token"),
        ("api_key", "an API key"),
        ("apikey", "an API key"),
        ("access_key", "an access key"),
        ("account_key", "an account key"),
        ("private_key", "a private key"),
        ("connection_string", "a connection string"),
        ("conn_str", "a connection string"),
        ("credential", "a credential"),
    ];
    let placeholder = value.starts_with("${") || value.starts_with("$(") || value.len() < 6;
    NAMES
        .iter()
        .find(|(name, _)| key.replace('-', "_").contains(name))
        .filter(|_| !placeholder)
        .map(|(_, what)| *what)
}

fn by_content(value: &str) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("accountkey=") || lower.contains("sharedaccesskey=") {
        return Some("a connection string with a key");
    }
    if lower.contains("password=") || lower.contains("pwd=") {
        return Some("a connection string with a password");
    }
    if lower.contains("sharedaccesssignature=")
        || (lower.contains("sig=") && (lower.contains("sv=") || lower.contains("se=")))
    {
        return Some("a SAS token");
    }
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    let token_prefixes = [
        "ghp_",
        "gho_",
        "github_pat_",
        "xoxb-",
        "xoxp-",
        "sk-",
        "AKIA",
    ];
    if token_prefixes
        .iter()
        .any(|p| value.starts_with(p) && value.len() >= 20 && !value.contains(' '))
    {
        return Some("an access token");
    }
    if is_jwt(value) {
        return Some("a bearer token");
    }
    // An Azure storage account key: 64 bytes in base64.
    if value.len() == 88
        && value.ends_with("==")
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return Some("a storage account key");
    }
    None
}

fn is_jwt(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 3
        && value.starts_with("eyJ")
        && parts.iter().all(|p| {
            p.len() >= 4
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'='))
        })
}

#[cfg(test)]
mod tests {
    use super::looks_like;

    #[test]
    fn secrets_are_recognised_by_name_or_content() {
        let key = format!("{}==", "A".repeat(86));
        let cases = [
            ("DB_PASSWORD", "hunter22", Some("a password")),
            (
                "STORAGE",
                "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc",
                Some("a connection string with a key"),
            ),
            (
                "URL",
                "https://a.blob.core.windows.net/c?sv=2022-11-02&sig=abc",
                Some("a SAS token"),
            ),
            ("KEY", key.as_str(), Some("a storage account key")),
            (
                "GH",
                "ghp_0123456789abcdefghijklmn",
                Some("an access token"),
            ),
            (
                "AUTH",
                "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl",
                Some("a bearer token"),
            ),
            ("LOG_LEVEL", "debug", None),
            ("API_TOKEN", "", None),
            ("API_TOKEN", "${TOKEN}", None),
            ("DEPLOYMENT_SLOT", "blue", None),
        ];
        for (k, v, want) in cases {
            assert_eq!(looks_like(k, v), want, "{k}");
        }
    }
}
