//! SigV4 signing with the `aws-sigv4` crate: a pure function of the request, the
//! credentials, the region and the time (the caller reads the clock, never this module).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{self, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use crate::error::Error;
use crate::request::HttpRequest;

/// The SigV4 service name of SWF.
pub const SERVICE: &str = "swf";
/// The last second SigV4 can express (9999-12-31T23:59:59Z): its dates have four digits.
pub const LAST_SIGNABLE_SECOND: u64 = 253_402_300_799;

/// Checked AWS credentials. `Debug` shows only the access key id.
#[derive(Clone)]
pub struct Credentials {
    inner: AwsCredentials,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.inner.access_key_id())
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.inner.session_token().map(|_| "** redacted **"),
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
        check_secretless("credentials.accessKeyId", access_key_id, true)?;
        check_secretless("credentials.secretAccessKey", secret_access_key, false)?;
        if let Some(token) = session_token {
            check_secretless("credentials.sessionToken", token, false)?;
        }
        Ok(Credentials {
            inner: AwsCredentials::new(
                access_key_id,
                secret_access_key,
                session_token.map(str::to_owned),
                None,
                "swf-edge",
            ),
        })
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> &str {
        self.inner.access_key_id()
    }

    /// The secret parts (secret key, session token), for redaction of text before it is shown.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.inner.secret_access_key()).chain(self.inner.session_token())
    }
}

/// Checks one credential part; `quote` says whether the value may appear in the message.
fn check_secretless(field: &str, value: &str, quote: bool) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid(field, format!("{field} must not be empty")));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        let shown = if quote {
            format!(" {value:?}")
        } else {
            String::new()
        };
        return Err(Error::invalid(
            field,
            format!("{field}{shown} must be printable ASCII without spaces"),
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
        return Err(signing_failed("the clock is past the year 9999"));
    }
    let identity = credentials.inner.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(SERVICE)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(signing_failed)?
        .into();
    let signable = SignableRequest::new(
        "POST",
        request.url.as_str(),
        request.headers.iter().map(|(n, v)| (*n, v.as_str())),
        SignableBody::Bytes(request.body.as_bytes()),
    )
    .map_err(signing_failed)?;
    let (instructions, _signature) = http_request::sign(signable, &params)
        .map_err(signing_failed)?
        .into_parts();
    let (headers, _params) = instructions.into_parts();
    for header in headers {
        request
            .headers
            .push((header.name(), header.value().to_owned()));
    }
    Ok(())
}

/// A signing failure (only reachable with input that validation should have stopped).
fn signing_failed(e: impl fmt::Display) -> Error {
    Error::Validation {
        field: None,
        message: format!("the request could not be signed: {e}"),
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

    #[test]
    fn times_past_year_9999_are_refused_not_panicked_on() {
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
        let creds = Credentials::new("AKID", "secret", None).unwrap();
        let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);
        let mut ok = crate::request::build(&endpoint, &input).unwrap();
        assert!(sign(&mut ok, &creds, "us-east-1", at(LAST_SIGNABLE_SECOND)).is_ok());
        let mut late = crate::request::build(&endpoint, &input).unwrap();
        assert!(sign(&mut late, &creds, "us-east-1", at(LAST_SIGNABLE_SECOND + 1)).is_err());
    }

    #[test]
    fn secrets_lists_the_secret_parts() {
        let creds = Credentials::new("AKID", "sec", Some("tok")).unwrap();
        assert_eq!(creds.secrets().collect::<Vec<_>>(), ["sec", "tok"]);
    }
}
