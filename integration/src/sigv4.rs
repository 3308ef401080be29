//! Optional SigV4 verification (`--verify-sigv4 ACCESS_KEY:SECRET`): the signature is
//! recomputed with `aws-sigv4` over the headers the client said it signed, and compared.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use axum::http::HeaderMap;

use crate::error::{ApiError, ErrorCode};

/// Access key and secret the server accepts.
#[derive(Clone)]
pub struct VerifyKey {
    pub access_key: String,
    pub secret_key: String,
}

impl std::fmt::Debug for VerifyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyKey")
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

struct Authorization<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let mut scope = credential?.split('/');
    Some(Authorization {
        access_key: scope.next()?,
        date: scope.next()?,
        region: scope.next()?,
        service: scope.next()?,
        signed_headers: signed?.split(';').collect(),
        signature: signature?,
    })
}

/// Parses an `x-amz-date` value (`20240101T120000Z`).
fn parse_amz_date(s: &str) -> Option<SystemTime> {
    if s.len() != 16 || &s[8..9] != "T" || !s.ends_with('Z') {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(9..11)?, n(11..13)?, n(13..15)?);
    // Days from civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    let secs = days * 86400 + hh * 3600 + mm * 60 + ss;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

fn denied(message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidSignature, message)
}

/// Checks the request's SigV4 signature against `key`.
pub fn verify(
    key: &VerifyKey,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let auth = header("authorization").ok_or_else(|| {
        ApiError::new(
            ErrorCode::MissingAuthenticationToken,
            "Missing Authentication Token",
        )
    })?;
    let auth = parse_authorization(auth).ok_or_else(|| {
        denied("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders'")
    })?;
    if auth.access_key != key.access_key {
        return Err(ApiError::new(
            ErrorCode::UnrecognizedClient,
            "The security token included in the request is invalid.",
        ));
    }
    let date = header("x-amz-date").ok_or_else(|| denied("Missing X-Amz-Date"))?;
    let time = parse_amz_date(date).ok_or_else(|| denied("Invalid X-Amz-Date"))?;
    if !date.starts_with(auth.date) || auth.service != "rds-data" {
        return Err(denied(
            "Credential should be scoped to a valid date and the rds-data service.",
        ));
    }
    let session_token = header("x-amz-security-token").map(str::to_string);
    let identity: Identity = Credentials::new(
        &key.access_key,
        &key.secret_key,
        session_token,
        None,
        "verify",
    )
    .into();
    let mut signed: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        if *name == "x-amz-date" {
            continue; // the signer adds it from `time`
        }
        let value = header(name).ok_or_else(|| denied("A signed header is missing"))?;
        signed.push((name, value));
    }
    let host = header("host").unwrap_or("localhost");
    let uri = format!("http://{host}{path}");
    let request = SignableRequest::new("POST", uri, signed.into_iter(), SignableBody::Bytes(body))
        .map_err(|e| denied(&format!("Cannot verify the signature: {e}")))?;
    let mut settings = SigningSettings::default();
    // Sign exactly what the client signed: nothing excluded.
    settings.excluded_headers = Some(Vec::new());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(auth.region)
        .name("rds-data")
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| denied(&format!("Cannot verify the signature: {e}")))?
        .into();
    let output =
        sign(request, &params).map_err(|e| denied(&format!("Cannot verify the signature: {e}")))?;
    if output.signature() == auth.signature {
        Ok(())
    } else {
        Err(denied(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_date() {
        let t = parse_amz_date("20240229T123456Z").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1709210096);
        assert!(parse_amz_date("2024-02-29").is_none());
    }

    #[test]
    fn authorization_header() {
        let a = parse_authorization("AWS4-HMAC-SHA256 Credential=AK/20240229/us-east-1/rds-data/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc").unwrap();
        assert_eq!(
            (a.access_key, a.region, a.signature),
            ("AK", "us-east-1", "abc")
        );
        assert_eq!(a.signed_headers, ["host", "x-amz-date"]);
    }
}
