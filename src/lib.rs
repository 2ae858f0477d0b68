//! jtui: a fast, keyboard-driven terminal client for Jira Cloud.
//!
//! The library holds everything; `main.rs` only wires the command line to it, so tests
//! and benchmarks drive the whole app without a terminal.

pub mod app;
pub mod cache;
pub mod cli;
pub mod config;
pub mod crash;
pub mod drafts;
pub mod emulator;
pub mod external_editor;
pub mod jira;
pub mod jql;
pub mod sanitize;
pub mod secrets;
pub mod session;
pub mod state;
pub mod terminal;
pub mod ui;
