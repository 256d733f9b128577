//! Where credentials come from: static keys, or an async provider function whose answer
//! is cached until 5 minutes before it expires, with one shared refresh for all callers.
//! Credentials that have already expired are never used: the provider is asked once more,
//! then the call fails with a `CredentialsError`.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::error::Error;
use crate::js_input::{read_object, Field, Fields, Kind};
use crate::sign::Credentials;
use crate::transport::{describe, limited};

/// Provided credentials are refreshed this long before they expire.
pub const REFRESH_BEFORE_EXPIRY_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Credentials plus when they stop being usable.
#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    expires_ms: Option<f64>,
}

impl Cached {
    /// Whether they are good for a while yet (not within the refresh window).
    fn fresh(&self, now_ms: f64) -> bool {
        self.expires_ms
            .is_none_or(|e| now_ms < e - REFRESH_BEFORE_EXPIRY_MS)
    }

    /// Whether they have expired.
    fn expired(&self, now_ms: f64) -> bool {
        self.expires_ms.is_some_and(|e| now_ms >= e)
    }
}

/// The configured source of credentials.
pub enum CredentialSource {
    /// Keys given to the constructor.
    Static(Credentials),
    /// An async function, called when the cache is empty or about to expire.
    Provider(Provider),
}

/// A provider function with its cache.
pub struct Provider {
    /// The caller's function.
    function: Function,
    /// The last answer.
    cached: RefCell<Option<Cached>>,
    /// The refresh in flight, shared by every call that needs it.
    pending: RefCell<Option<Promise>>,
}

impl CredentialSource {
    /// A source backed by the caller's provider function.
    pub fn provider(function: Function) -> Self {
        CredentialSource::Provider(Provider {
            function,
            cached: RefCell::new(None),
            pending: RefCell::new(None),
        })
    }

    /// Credentials to sign with now (`clock_offset_ms` corrects the local clock, as
    /// expirations are the issuer's time), calling the provider if needed and waiting for
    /// it at most `wait_ms` (0 = no limit) and until `signal` aborts. A provider answer
    /// that has already expired is not used (nor cached): the provider is asked once more,
    /// and if that answer has expired too the call fails with `Error::Credentials`.
    pub async fn get(
        &self,
        clock_offset_ms: f64,
        wait_ms: f64,
        signal: Option<&AbortSignal>,
    ) -> Result<Credentials, Error> {
        let (function, cached, pending) = match self {
            CredentialSource::Static(credentials) => return Ok(credentials.clone()),
            CredentialSource::Provider(Provider {
                function,
                cached,
                pending,
            }) => (function, cached, pending),
        };
        let now = || js_sys::Date::now() + clock_offset_ms;
        if let Some(hit) = cached.borrow().as_ref().filter(|c| c.fresh(now())) {
            return Ok(hit.credentials.clone());
        }
        let mut asked_again = false;
        loop {
            let in_flight = pending.borrow().clone();
            let refresh = match in_flight {
                Some(refresh) => refresh,
                None => {
                    let refresh = match function.call0(&JsValue::UNDEFINED) {
                        Ok(value) => Promise::resolve(&value),
                        Err(thrown) => Promise::reject(&thrown),
                    };
                    *pending.borrow_mut() = Some(refresh.clone());
                    refresh
                }
            };
            let answer = JsFuture::from(limited(&refresh, wait_ms, signal)).await;
            let mut slot = pending.borrow_mut();
            if slot.as_ref().is_some_and(|p| Object::is(p, &refresh)) {
                *slot = None;
            }
            drop(slot);
            let value = answer.map_err(|thrown| Error::Credentials {
                message: format!("the credentials provider failed: {}", describe(&thrown)),
            })?;
            let fresh = parse_provided(&value)?;
            if fresh.expired(now()) {
                // Concurrent calls that got the same answer join one second refresh.
                if !asked_again {
                    asked_again = true;
                    continue;
                }
                return Err(Error::Credentials {
                    message: "the credentials provider returned expired credentials twice (nothing was signed)".into(),
                });
            }
            *cached.borrow_mut() = Some(fresh.clone());
            return Ok(fresh.credentials);
        }
    }

    /// The secret strings currently held, so that messages can be scrubbed of them.
    pub fn secrets(&self) -> Vec<String> {
        let owned = |c: &Credentials| c.secrets().map(str::to_owned).collect::<Vec<_>>();
        match self {
            CredentialSource::Static(c) => owned(c),
            CredentialSource::Provider(Provider { cached, .. }) => cached
                .borrow()
                .as_ref()
                .map(|c| owned(&c.credentials))
                .unwrap_or_default(),
        }
    }
}

/// Checks a provider's answer: `{ accessKeyId, secretAccessKey, sessionToken?, expiration? }`
/// with `expiration` a `Date`, a date string or epoch milliseconds.
fn parse_provided(value: &JsValue) -> Result<Cached, Error> {
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
    Ok(Cached {
        credentials,
        expires_ms,
    })
}
