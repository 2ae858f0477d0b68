//! What the user (or the Jira worker) asks the app to do. Keys become `Action`s through
//! the keymap; the keymap file speaks the same snake_case names.

use serde::Deserialize;

use crate::config::keymap::KeyBinding;
use strum::EnumMessage;

/// One step for `update`. The unit variants can be bound to keys; each one's doc line
/// is its help text.
#[derive(Debug, Clone, PartialEq, Deserialize, EnumMessage)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit jtui
    Quit,
    /// Show or hide this help
    ToggleHelp,
    /// Focus the next pane
    FocusNext,
    /// Focus the previous pane
    FocusPrev,
    /// Move up
    Up,
    /// Move down
    Down,
    /// Page up
    PageUp,
    /// Page down
    PageDown,
    /// Go to the top
    Top,
    /// Go to the bottom
    Bottom,
    /// Open the selection
    Select,
    /// Close popup / clear filter / go back
    Back,
    /// Edit the JQL query
    OpenJql,
    /// Reload the current view
    Refresh,
    /// Show comments newest or oldest first
    ToggleCommentOrder,
    /// Load more comments
    MoreComments,
    // Results, issue detail, navigation and everyday keys (ui4b).
    /// Sort by the next visible column
    SortNext,
    /// Flip the sort direction
    SortFlip,
    /// Show the issue's details or its history
    ToggleHistory,
    /// Highlight the next related issue
    NextRelated,
    /// Highlight the previous related issue
    PrevRelated,
    /// Back to the previous issue
    NavBack,
    /// Forward to the next issue
    NavForward,
    /// Go to an issue by key
    JumpToIssue,
    /// Zoom the focused pane to full screen and back
    ToggleZoom,
    /// Open the issue in the browser
    OpenInBrowser,
    /// Copy the issue key
    CopyKey,
    /// Copy the issue's URL
    CopyUrl,
    /// Text typed into the focused input (JQL bar, project filter).
    #[serde(skip)]
    Input(InputEdit),
    /// Pasted text.
    #[serde(skip)]
    Paste(String),
    /// The terminal was resized.
    #[serde(skip)]
    Resize(u16, u16),
    /// A mouse click at (column, row).
    #[serde(skip)]
    Click(u16, u16),
    /// Mouse wheel over (column, row): negative is up.
    #[serde(skip)]
    Scroll(u16, u16, i8),
    /// The spinner advances.
    #[serde(skip)]
    Tick,
    // JQL bar completion, history and filters (one block, to keep merges easy).
    /// JQL bar: complete the word at the cursor, or pick the next suggestion
    Complete,
    /// JQL bar: pick the previous suggestion
    CompletePrev,
    /// Pick a saved filter
    OpenFilters,
    /// Quick filter: my open issues
    FilterMine,
    /// Quick filter: issues I reported
    FilterReported,
    /// Quick filter: updated in the last 7 days
    FilterRecent,
    /// Quick filter: unassigned in this project
    FilterUnassigned,
    /// The completion debounce timer with this id fired.
    #[serde(skip)]
    CompletionDue(u64),
    /// The cursor rested on a results row long enough: prefetch its issue (timer id).
    #[serde(skip)]
    PrefetchDue(u64),
    // Editing (issue 5).
    /// Edit a field of the issue
    EditField,
    /// Assign the issue to me
    AssignToMe,
    /// Unassign the issue
    Unassign,
    /// Comment on the issue
    AddComment,
    /// List the comments: edit or delete your own
    ListComments,
    /// Edit the description
    EditDescription,
    /// Transition the issue through its workflow
    Transition,
    /// Mark or unmark the row, then move down
    ToggleMark,
    /// Mark the rows from the last mark to here
    MarkRange,
    /// Clear all marks
    ClearMarks,
    /// Change marked issues (no conflict check)
    Bulk,
    /// A key while an editor is open (editors read keys themselves).
    #[serde(skip)]
    EditorKey(KeyBinding),
    /// The draft timer of the rich editor fired for this text revision.
    #[serde(skip)]
    DraftDue(u64),
    /// The external editor finished: the new text, or why there is none.
    #[serde(skip)]
    ExternalEdited(Result<String, String>),
    /// Choose the assignee from the users Jira offers
    PickAssignee,
    /// Change the priority
    EditPriority,
    /// Create an issue
    CreateIssue,
    /// Create a sub-task of the issue
    CreateSubtask,
    /// An editor's debounce timer with this id fired (a user search is due).
    #[serde(skip)]
    EditorDue(u64),
}

/// An editing step in a single-line text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEdit {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    WordLeft,
    WordRight,
    DeleteWordBack,
    ClearToStart,
    Submit,
    Cancel,
}
