//! The keys the wasm signs with, held here so that the secret never sits in a JavaScript
//! object: static keys from the constructor, or each answer of the caller's provider
//! function (which pkg/credentials.js calls, reads, caches by expiry and refreshes). The
//! sets replaced by a newer answer are kept while calls that may have signed with them
//! are in flight, so that their errors are redacted of them too.

use std::cell::RefCell;

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

    /// Takes a provider's answer (checked by [`Credentials::new`]), which expires at
    /// `expires_ms` (epoch ms; infinite: never, NaN: unusable): when that is after `now_ms`
    /// (the issuer's clock), it becomes the current set and the previous one is retired.
    pub fn provided(&self, credentials: Credentials, expires_ms: f64, now_ms: f64) {
        if now_ms < expires_ms {
            if let Some(old) = self.current.replace(Some(credentials)) {
                self.retired.borrow_mut().push(old);
            }
        }
    }

    /// Drops all but the newest `keep` retired sets (no call in flight can have signed
    /// with the others).
    pub fn forget(&self, keep: usize) {
        let mut retired = self.retired.borrow_mut();
        let drop = retired.len().saturating_sub(keep);
        if drop > 0 {
            // Not `drain(..drop)`, whose machinery cost the wasm ~0.4 KB.
            *retired = retired.split_off(drop);
        }
    }

    /// Every secret string held (current and retired), for redaction.
    pub fn secrets(&self) -> Vec<String> {
        // Loops, not flat_map + collect (whose adapters cost the wasm ~0.9 KB).
        let mut out = Vec::new();
        let current = self.current.borrow();
        for credentials in current.iter().chain(self.retired.borrow().iter()) {
            for secret in credentials.secrets() {
                out.push(secret.to_owned());
            }
        }
        out
    }
}
