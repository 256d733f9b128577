//! SigV4 signing of swf-edge's one request shape (`POST /`, JSON 1.0 headers), a pure
//! function of the request, the credentials, the region and the time (the caller reads the
//! clock, never this module).
//!
//! The key derivation and the signature are `aws-sigv4`'s own ([`v4::generate_signing_key`],
//! [`v4::calculate_signature`]). The canonical request is written here because every
//! request swf-edge signs has the same fixed shape: root path, no query, five known headers
//! whose values need no trimming (checked where they are made). That keeps `aws-sigv4`'s
//! general request canonicalisation, and the `http` crate it needs, out of the wasm; native
//! tests check every signature against `aws-sigv4`'s `http_request::sign` and botocore.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::sign::v4;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::error::Error;
use crate::request::HttpRequest;
use crate::swf::text::{concat, join};

/// The SigV4 service name of SWF.
pub const SERVICE: &str = "swf";
/// The last second SigV4 can express (9999-12-31T23:59:59Z): its dates have four digits.
pub const LAST_SIGNABLE_SECOND: u64 = 253_402_300_799;
/// The signing algorithm's name, as written in the string to sign and `authorization`.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Checked AWS credentials. `Debug` shows only the access key id.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    /// The last derived signing key (it depends on the day and region only), shared by
    /// clones: re-deriving it costs four HMACs per request.
    signing_key: Rc<RefCell<Option<SigningKey>>>,
}

/// A derived SigV4 signing key and what it was derived for.
struct SigningKey {
    date: String,
    region: String,
    key: [u8; 32],
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

impl Credentials {
    /// Checks and wraps credentials. Each part must be printable ASCII without spaces,
    /// so that it can never break a header; messages never quote the secret parts.
    pub fn new(
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<&str>,
    ) -> Result<Self, Error> {
        check_secretless("credentials.accessKeyId", access_key_id)?;
        check_secretless("credentials.secretAccessKey", secret_access_key)?;
        if let Some(token) = session_token {
            check_secretless("credentials.sessionToken", token)?;
        }
        Ok(Credentials {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
            session_token: session_token.map(str::to_owned),
            signing_key: Rc::default(),
        })
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret parts (secret key, session token), for redaction of text before it is shown.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.secret_access_key.as_str()).chain(self.session_token.as_deref())
    }

    /// The signing key for `date` (`YYYYMMDD`) in `region`, derived once per day and region.
    fn signing_key(&self, date: &str, time: SystemTime, region: &str) -> [u8; 32] {
        let mut cached = self.signing_key.borrow_mut();
        match &*cached {
            Some(k) if k.date == date && k.region == region => k.key,
            _ => {
                let derived =
                    v4::generate_signing_key(&self.secret_access_key, time, region, SERVICE);
                let mut key = [0; 32];
                key.copy_from_slice(derived.as_ref());
                *cached = Some(SigningKey {
                    date: date.to_owned(),
                    region: region.to_owned(),
                    key,
                });
                key
            }
        }
    }
}

/// Checks one credential part. Messages never quote the value: the secret parts must not
/// be shown, and a malformed access key id may be a secret pasted into the wrong field.
fn check_secretless(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(
            field,
            concat(&[field, " must not be empty"]),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            field,
            concat(&[field, " must be printable ASCII without spaces"]),
        ));
    }
    Ok(())
}

/// Signs `request` for SWF in `region` at `time`, adding `x-amz-date`, `authorization`
/// and (with a session token) `x-amz-security-token`. `host` is signed but not added:
/// it comes from the URL, and browsers forbid setting it.
pub fn sign(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    time: SystemTime,
) -> Result<(), Error> {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if seconds > LAST_SIGNABLE_SECOND {
        return Err(Error::Validation {
            field: None,
            message: "the request could not be signed: the clock is past the year 9999".into(),
        });
    }
    // SigV4 works in whole seconds.
    let time = UNIX_EPOCH + Duration::from_secs(seconds);
    let amz_date = amz_date(time);
    let date = &amz_date[..8];
    let token = credentials.session_token.as_deref();

    // The canonical headers, in name order (the request's own two are content-type and
    // x-amz-target); no value needs trimming.
    let (Some(content_type), Some(target)) = (
        request.header("content-type"),
        request.header("x-amz-target"),
    ) else {
        return Err(Error::Validation {
            field: None,
            message: "the request could not be signed: it lacks its JSON 1.0 headers".into(),
        });
    };
    let headers = [
        ("content-type", Some(content_type)),
        ("host", Some(host_of(&request.url))),
        ("x-amz-date", Some(amz_date.as_str())),
        ("x-amz-security-token", token),
        ("x-amz-target", Some(target)),
    ];
    let mut canonical = String::with_capacity(256 + request.url.len() + token.map_or(0, str::len));
    let mut signed_headers = String::with_capacity(72);
    canonical.push_str("POST\n/\n\n");
    for (name, value) in headers {
        let Some(value) = value else { continue };
        for part in [name, ":", value, "\n"] {
            canonical.push_str(part);
        }
        if !signed_headers.is_empty() {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
    }
    for part in [
        "\n",
        &signed_headers,
        "\n",
        &sha256_hex(request.body.as_bytes()),
    ] {
        canonical.push_str(part);
    }

    let scope = join(&[date, region, SERVICE, "aws4_request"], "/");
    let string_to_sign = join(
        &[
            ALGORITHM,
            &amz_date,
            &scope,
            &sha256_hex(canonical.as_bytes()),
        ],
        "\n",
    );
    let key = credentials.signing_key(date, time, region);
    let signature = v4::calculate_signature(key, string_to_sign.as_bytes());
    let authorization = concat(&[
        ALGORITHM,
        " Credential=",
        &credentials.access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ]);

    request.headers.push(("x-amz-date", amz_date));
    if let Some(token) = token {
        request
            .headers
            .push(("x-amz-security-token", token.to_owned()));
    }
    request.headers.push(("authorization", authorization));
    Ok(())
}

/// The `host` header of `url` (`scheme://authority/`), without the scheme's default port,
/// as `fetch` sends it.
fn host_of(url: &str) -> &str {
    let authority = crate::endpoint::split_scheme(url).map_or(url, |(_, rest)| rest);
    let authority = authority.split('/').next().unwrap_or_default();
    let default_port = if url.starts_with("https:") {
        ":443"
    } else {
        ":80"
    };
    authority.strip_suffix(default_port).unwrap_or(authority)
}

/// The lowercase hex SHA-256 of `bytes`.
fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `YYYYMMDDTHHMMSSZ` for `time` (whole seconds, at most year 9999).
fn amz_date(time: SystemTime) -> String {
    let time = OffsetDateTime::from(time);
    let mut out = String::with_capacity(16);
    let date = [
        time.year() as u32,
        u32::from(u8::from(time.month())),
        time.day().into(),
    ];
    for (value, width) in date.into_iter().zip([4, 2, 2]) {
        push_digits(&mut out, value, width);
    }
    out.push('T');
    for value in [time.hour(), time.minute(), time.second()] {
        push_digits(&mut out, value.into(), 2);
    }
    out.push('Z');
    out
}

/// Appends `value` as exactly `width` decimal digits.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for power in (0..width).rev() {
        out.push(char::from(b'0' + (value / 10u32.pow(power) % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let creds = Credentials::new("AKIDEXAMPLE", "s3cr3t/KEY", Some("T0KEN")).unwrap();
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("T0KEN"),
            "{shown}"
        );
    }

    #[test]
    fn bad_credentials_are_refused_without_quoting_secrets() {
        assert!(Credentials::new("", "s", None).is_err());
        assert!(Credentials::new("AKID", "", None).is_err());
        let err = Credentials::new("AKID", "bad secret\n", None).unwrap_err();
        assert!(!err.to_string().contains("bad secret"), "{err}");
        let err = Credentials::new("AKID", "s", Some("tok en")).unwrap_err();
        assert!(!err.to_string().contains("tok en"), "{err}");
        assert!(Credentials::new("AKID", "s", Some("")).is_err());
    }

    /// A cancel request for the us-east-1 endpoint, signed at `secs` after the epoch.
    fn sign_cancel_at(creds: &Credentials, region: &str, secs: u64) -> Result<HttpRequest, Error> {
        use crate::endpoint::Endpoint;
        use crate::model::RespondActivityTaskCanceledInput;
        use std::time::Duration;
        let endpoint = Endpoint {
            url: "https://swf.us-east-1.amazonaws.com/".into(),
            region: "us-east-1".into(),
        };
        let input = RespondActivityTaskCanceledInput {
            task_token: "t".into(),
            details: None,
        };
        let mut request = crate::request::build(&endpoint, &input)?;
        sign(
            &mut request,
            creds,
            region,
            UNIX_EPOCH + Duration::from_secs(secs),
        )?;
        Ok(request)
    }

    #[test]
    fn times_past_year_9999_are_refused_not_panicked_on() {
        let creds = Credentials::new("AKID", "secret", None).unwrap();
        assert!(sign_cancel_at(&creds, "us-east-1", LAST_SIGNABLE_SECOND).is_ok());
        assert!(sign_cancel_at(&creds, "us-east-1", LAST_SIGNABLE_SECOND + 1).is_err());
    }

    #[test]
    fn the_cached_signing_key_follows_the_day_and_the_region() {
        let signed = |creds: &Credentials, region: &str, secs: u64| {
            let request = sign_cancel_at(creds, region, secs).unwrap();
            request.header("authorization").unwrap().to_owned()
        };
        let shared = Credentials::new("AKID", "secret", None).unwrap();
        let clone = shared.clone();
        let day = 1_795_610_160; // 2026-11-25T12:36:00Z
        for (region, secs) in [
            ("us-east-1", day),
            ("us-east-1", day + 86_400), // the next day
            ("eu-west-1", day + 86_400), // another region
            ("us-east-1", day),          // back again
        ] {
            let fresh = Credentials::new("AKID", "secret", None).unwrap();
            assert_eq!(signed(&clone, region, secs), signed(&fresh, region, secs));
        }
        assert!(
            shared.signing_key.borrow().is_some(),
            "clones share the cache"
        );
    }

    #[test]
    fn amz_dates_are_iso_basic_utc() {
        use std::time::Duration;
        let at = |secs| amz_date(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "19700101T000000Z");
        assert_eq!(at(1_583_020_799), "20200229T235959Z");
        assert_eq!(at(LAST_SIGNABLE_SECOND), "99991231T235959Z");
    }

    #[test]
    fn host_omits_the_default_port_only() {
        assert_eq!(
            host_of("https://swf.us-east-1.amazonaws.com/"),
            "swf.us-east-1.amazonaws.com"
        );
        assert_eq!(host_of("https://h:443/"), "h");
        assert_eq!(host_of("http://h:80/"), "h");
        assert_eq!(host_of("http://h:443/"), "h:443");
        assert_eq!(host_of("http://[::1]:8080/"), "[::1]:8080");
    }

    #[test]
    fn secrets_lists_the_secret_parts() {
        let creds = Credentials::new("AKID", "sec", Some("tok")).unwrap();
        assert_eq!(creds.secrets().collect::<Vec<_>>(), ["sec", "tok"]);
    }
}
