//! The Jira Cloud REST API v3 client: typed models, errors, ADF, and the worker that
//! runs requests off the UI path. No ratatui here.
