//! The built-in Jira Cloud emulator: a real HTTP server on loopback that speaks the
//! REST API v3 shapes, backed by an in-memory store seeded with the demo dataset.
//!
//! It never reuses the client's models (`crate::jira`): a shape mistake must not hide
//! on both sides.

pub mod adf;
pub mod autocomplete;
pub mod db;
pub mod eval;
pub mod faults;
pub mod fields;
pub mod filters;
pub mod hostile;
pub mod json;
pub mod screens;
pub mod seed;
pub mod server;
pub mod store;
pub mod validate;
pub mod write;

pub use faults::{Fault, FaultRule, Faults, RateLimit};
pub use server::{RunningEmulator, ServerOptions, start};
