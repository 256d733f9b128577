//! The pure core: SWF itself, with no JavaScript in it, unit-tested natively.
//!
//! [`model`] (the actions' inputs and their limits; [`actions`], the operator actions
//! declared as tables read by [`shape`]'s one validator and writer) → [`request`] (SWF's JSON 1.0 wire
//! format; bodies written by [`json`]) → [`sign`] (SigV4 with `aws-sigv4`'s key derivation
//! and signature, the time passed in) → [`error`] (a failure as a typed error).
//! [`endpoint`] turns a region or an override into the URL; [`retry`] decides what to try
//! again and corrects for clock skew. [`text`] builds messages without `core::fmt`.

pub mod actions;
pub mod endpoint;
pub mod error;
pub mod json;
pub mod model;
pub mod request;
pub mod retry;
pub mod shape;
pub mod sign;
pub mod text;
