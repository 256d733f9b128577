//! The keys the wasm signs with, held here so that the secret never sits in a JavaScript
//! object: static keys from the constructor, or each answer of the caller's provider
//! function (which pkg/credentials.js calls, caches by expiry and refreshes). The sets
//! replaced by a newer answer are kept while calls that may have signed with them are in
//! flight, so that their errors are redacted of them too.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::js_input::{read_object, Field, Fields, Kind};
use crate::sign::Credentials;

/// The credentials in use and the ones they replaced.
#[derive(Default)]
pub struct Keys {
    /// What the next request is signed with (none until a provider has answered).
    current: RefCell<Option<Credentials>>,
    /// Replaced sets, oldest first, still needed for redaction.
    retired: RefCell<Vec<Credentials>>,
}

impl Keys {
    /// Keys that never change.
    pub fn fixed(credentials: Credentials) -> Self {
        Keys {
            current: RefCell::new(Some(credentials)),
            retired: RefCell::default(),
        }
    }

    /// `f` of the credentials to sign with now (borrowed, not copied), if any.
    pub fn with_current<R>(&self, f: impl FnOnce(&Credentials) -> R) -> Option<R> {
        self.current.borrow().as_ref().map(f)
    }

    /// Checks a provider's answer; when it has not expired by `now_ms` (the issuer's
    /// clock), it becomes the current set and the previous one is retired. Returns when it
    /// expires (epoch ms, infinite when it does not).
    pub fn provided(&self, value: &JsValue, now_ms: f64) -> Result<f64, Error> {
        let (credentials, expires_ms) = parse_provided(value)?;
        let expires_ms = expires_ms.unwrap_or(f64::INFINITY);
        if now_ms < expires_ms {
            if let Some(old) = self.current.replace(Some(credentials)) {
                self.retired.borrow_mut().push(old);
            }
        }
        Ok(expires_ms)
    }

    /// Drops all but the newest `keep` retired sets (no call in flight can have signed
    /// with the others).
    pub fn forget(&self, keep: usize) {
        let mut retired = self.retired.borrow_mut();
        let drop = retired.len().saturating_sub(keep);
        retired.drain(..drop);
    }

    /// Every secret string held (current and retired), for redaction.
    pub fn secrets(&self) -> Vec<String> {
        let current = self.current.borrow();
        let retired = self.retired.borrow();
        current
            .iter()
            .chain(retired.iter())
            .flat_map(Credentials::secrets)
            .map(str::to_owned)
            .collect()
    }
}

/// Checks a provider's answer: `{ accessKeyId, secretAccessKey, sessionToken?, expiration? }`
/// with `expiration` a `Date`, a date string or epoch milliseconds.
fn parse_provided(value: &JsValue) -> Result<(Credentials, Option<f64>), Error> {
    const FIELDS: &[Field] = &[
        Field("accessKeyId", Kind::Text),
        Field("secretAccessKey", Kind::Text),
        Field("sessionToken", Kind::Text),
        Field("expiration", Kind::Any),
    ];
    let bad = |e: Error| Error::Credentials {
        message: format!("the credentials provider returned unusable credentials: {e}"),
    };
    let mut f = read_object(value, "", FIELDS).map_err(bad)?;
    let expiration = f.any("expiration");
    let (key_id, secret) = (
        f.required("accessKeyId", Fields::text),
        f.required("secretAccessKey", Fields::text),
    );
    let credentials = Credentials::new(
        &key_id.map_err(bad)?,
        &secret.map_err(bad)?,
        f.text("sessionToken").as_deref(),
    )
    .map_err(bad)?;
    let expires_ms = expiration.map(|e| match e.dyn_ref::<js_sys::Date>() {
        Some(date) => date.get_time(),
        None => e
            .as_f64()
            .or_else(|| e.as_string().map(|s| js_sys::Date::parse(&s)))
            .unwrap_or(f64::NAN),
    });
    if expires_ms.is_some_and(|t| !t.is_finite()) {
        return Err(bad(Error::invalid(
            "expiration",
            "expiration must be a Date, an ISO date string or epoch milliseconds",
        )));
    }
    Ok((credentials, expires_ms))
}
