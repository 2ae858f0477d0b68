//! The Jira Cloud REST API v3 client: typed models, errors, ADF (and its editor text), and
//! the worker that runs requests off the UI path. No ratatui here.

pub mod access;
pub mod adf;
pub mod agile;
pub mod bounds;
pub mod client;
pub mod error;
pub mod markdown;
pub mod models;
pub mod retry;
pub mod worker;
pub mod write;

pub use adf::Adf;
pub use client::{ApiToken, CommentOrder, Credentials, JiraClient};
pub use error::JiraError;
pub use markdown::{ConvertError, EditorText, MentionDirectory, from_editor_text, to_editor_text};
pub use write::{CommentVisibility, FieldOperation, IssueCreate, IssueUpdate};
