//! `update` for rich text: the comment and description editor, the comments list, the
//! delete confirmation, and what their saves show on screen before Jira answers.
//!
//! A comment is never posted twice: Ctrl-S does nothing while a write for the same
//! target is out, a failed post reopens the editor with the text and Jira's message,
//! and only Jira's answer (or its refusal) ends the "sending…" mark in the pane.

use crossterm::event::{KeyCode, KeyModifiers};

use super::audience;
use super::{ensure_open, loaded_updated, send_write, start_save, target_key};
use crate::app::effect::Effect;
use crate::app::update::command;
use crate::config::keymap::KeyBinding;
use crate::drafts::{Draft, DraftTarget};
use crate::jira::adf::{self, Adf};
use crate::jira::markdown::{self, MentionDirectory};
use crate::jira::models::FieldMeta;
use crate::jira::worker::{JiraRequest, JiraResponse, RequestId};
use crate::jira::write::IssueUpdate;
use crate::sanitize::sanitize_line;
use crate::state::edit::{Editor, PendingSave, SaveStage};
use crate::state::issue::{CommentItem, PendingComment};
use crate::state::rich::{CommentList, ConfirmDelete, RichEditor, RichTarget};
use crate::state::textarea::TextAreaOutcome;
use crate::state::{Pane, State};

/// Characters of a comment's first line the list and the confirmation show.
const PREVIEW_CHARS: usize = 80;
/// How long after the last key the draft is written.
pub const DRAFT_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(500);

/// The draft of `editor` as it is now, for the store; remembered in the state too.
fn keep_draft(state: &mut State, editor: &mut RichEditor) -> Vec<Effect> {
    let Some(target) = editor.target.draft_target() else {
        return Vec::new();
    };
    editor.draft_revision = editor.area.revision();
    let draft = Draft {
        issue_key: editor.target.key().to_owned(),
        target,
        text: editor.area.text(),
        // `App` stamps the time it writes the draft; update reads no clock.
        saved_at: state.now.unwrap_or_default(),
        base_updated: editor.base_updated.map(|u| u.to_rfc3339()),
        form: None,
    };
    state
        .edit
        .drafts
        .insert(editor.target.draft_key(), draft.clone());
    vec![Effect::SaveDraft(draft)]
}

/// Forgets the draft of `target` (sent, or back to Jira's text).
fn drop_draft(state: &mut State, target: &RichTarget) -> Vec<Effect> {
    let Some(draft_target) = target.draft_target() else {
        return Vec::new();
    };
    if state.edit.drafts.remove(&target.draft_key()).is_none() {
        return Vec::new();
    }
    vec![Effect::DeleteDraft {
        issue_key: target.key().to_owned(),
        target: draft_target,
    }]
}

/// After a save Jira accepted: its draft is no longer needed.
pub fn forget_draft(state: &mut State, save: &PendingSave) -> Vec<Effect> {
    match save.editor.as_deref() {
        Some(Editor::Rich(editor)) => drop_draft(state, &editor.target),
        _ => Vec::new(),
    }
}

/// The draft timer fired: writes the draft if the text is still as it was then.
pub fn draft_due(state: &mut State, revision: u64) -> Vec<Effect> {
    if let Some(Editor::Create(_)) = &state.edit.editor {
        return super::create::draft_due(state, revision);
    }
    let Some(Editor::Rich(mut editor)) = state.edit.editor.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    if editor.area.revision() == revision
        && editor.draft_revision != revision
        && editor.area.is_modified()
    {
        editor.draft_due = None;
        effects = keep_draft(state, &mut editor);
    }
    state.edit.editor = Some(Editor::Rich(editor));
    effects
}

/// "2 unsent drafts: NAV-12 comment, NAV-3 description; they open with their editor";
/// a create form's draft as "a new issue in NAV (n)" or "a sub-task of NAV-7 (N)".
pub fn drafts_notice(state: &State) -> Option<String> {
    let drafts = &state.edit.drafts;
    if drafts.is_empty() {
        return None;
    }
    let names: Vec<String> = drafts
        .values()
        .map(|d| match RichTarget::of_draft(d) {
            Some(target) => target.draft_label(),
            None if d.target == DraftTarget::NewSubtask => {
                format!("a sub-task of {} (N)", sanitize_line(&d.issue_key))
            }
            None => format!("a new issue in {} (n)", sanitize_line(&d.issue_key)),
        })
        .collect();
    let count = if names.len() == 1 {
        "1 unsent draft".to_owned()
    } else {
        format!("{} unsent drafts", names.len())
    };
    Some(format!(
        "{count}: {}; they open with their editor",
        names.join(", ")
    ))
}

/// Whether a field is rich text (ADF): the description, the environment, a custom
/// multi-line text field.
pub fn is_rich(field: &str, meta: &FieldMeta) -> bool {
    let Some(schema) = meta.schema.as_ref() else {
        return false;
    };
    schema.kind == "string"
        && (matches!(field, "description" | "environment")
            || matches!(
                schema.system.as_deref(),
                Some("description" | "environment")
            )
            || schema
                .custom
                .as_deref()
                .is_some_and(|c| c.ends_with(":textarea")))
}

/// `c`: a new comment on the highlighted or open issue.
pub fn open_comment(state: &mut State) -> Vec<Effect> {
    let Some(key) = target_key(state) else {
        state.info("No issue to comment on: open one first");
        return Vec::new();
    };
    if !state.allow_write(&format!("comment on {key}")) {
        return Vec::new();
    }
    let mut effects = ensure_open(state, &key);
    effects.extend(open(state, RichTarget::NewComment { key }, None));
    effects
}

/// `D`: the open issue's description.
pub fn open_description(state: &mut State) -> Vec<Effect> {
    let Some(key) = state.issue.key.clone() else {
        state.info("No issue open: open one first");
        return Vec::new();
    };
    if !state.allow_write(&format!("edit the description of {key}")) {
        return Vec::new();
    }
    open_field(state, &key, "description", "Description")
}

/// A rich-text field from the field menu (or `D`), starting from the loaded issue.
pub fn open_field(state: &mut State, key: &str, field: &str, name: &str) -> Vec<Effect> {
    let Some(issue) = state.issue.raw.as_ref().filter(|i| i.key == key) else {
        state.info(format!("{key} is still loading; try again in a moment"));
        return Vec::new();
    };
    let original = match field {
        "description" => issue.fields.description.clone(),
        "environment" => issue.fields.environment.clone(),
        other => issue.fields.custom(other).cloned().map(Adf::from_value),
    };
    let target = RichTarget::Field {
        key: key.to_owned(),
        field: field.to_owned(),
        name: sanitize_line(name).into_owned(),
    };
    let base = loaded_updated(state, key);
    let effects = open(state, target, original);
    if let Some(Editor::Rich(editor)) = &mut state.edit.editor {
        editor.base_updated = base;
    }
    effects
}

/// `C`: the loaded comments of the open issue.
pub fn open_comments(state: &mut State) -> Vec<Effect> {
    let Some(key) = target_key(state) else {
        state.info("No issue open: open one first");
        return Vec::new();
    };
    let effects = ensure_open(state, &key);
    if state.issue.comments.is_empty() {
        state.info(format!("{key} has no comments loaded; c adds one"));
        return effects;
    }
    state.edit.editor = Some(Editor::Comments(CommentList {
        key,
        selected: 0,
        offset: Default::default(),
    }));
    effects
}

/// The people of the open issue `key`: assignee, reporter, creator, comment authors.
fn issue_people(state: &State, key: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(issue) = state.issue.raw.as_ref().filter(|i| i.key == key) {
        let f = &issue.fields;
        for user in [&f.assignee, &f.reporter, &f.creator].into_iter().flatten() {
            out.push((
                user.account_id.clone(),
                sanitize_line(&user.display_name).into_owned(),
            ));
        }
    }
    if state.issue.key.as_deref() == Some(key) {
        for comment in &state.issue.comments {
            out.push((comment.author_id.clone(), comment.author_name.clone()));
        }
    }
    out.retain(|(id, name)| !id.is_empty() && !name.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The project of `key`: from the loaded issue, else the key's prefix.
pub(super) fn project_of(state: &State, key: &str) -> String {
    state
        .issue
        .raw
        .as_ref()
        .filter(|i| i.key == key)
        .and_then(|i| i.fields.project.as_ref())
        .map(|p| p.key.clone())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| key.rsplit_once('-').map_or(key, |(p, _)| p).to_owned())
}

/// Opens the editor for `target` from `original`, and asks Jira who can be mentioned
/// (and, for a comment, which roles and groups it may be restricted to).
pub fn open(state: &mut State, target: RichTarget, original: Option<Adf>) -> Vec<Effect> {
    let key = target.key().to_owned();
    let mentions = MentionDirectory::new(issue_people(state, &key));
    // The text ends in a newline; the cursor belongs after the last word, not below it.
    let text = original
        .as_ref()
        .map(|doc| {
            let mut text = markdown::to_editor_text(doc, &mentions).text;
            text.truncate(text.trim_end_matches('\n').len());
            text
        })
        .unwrap_or_default();
    let mut editor = RichEditor::new(target, &text, original);
    editor.mentions = mentions;
    if let Some(draft) = state.edit.drafts.get(&editor.target.draft_key())
        && draft.text != text
    {
        editor.area.set_text(&draft.text);
        editor.draft_revision = editor.area.revision();
        editor.notice = Some(format!(
            "Restored your draft from {}; Ctrl-R starts over from Jira's text",
            draft
                .saved_at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
        ));
    }
    let mut effects = Vec::new();
    let users = command(
        state,
        JiraRequest::AssignableUsers {
            key: key.clone(),
            query: String::new(),
        },
    );
    if let Effect::Jira(cmd) = &users {
        editor.mentions_request = Some(cmd.id);
    }
    effects.push(users);
    if editor.target.is_comment() {
        let project = project_of(state, &key);
        effects.extend(audience::ask(state, &mut editor.audience, project));
    }
    state.edit.editor = Some(Editor::Rich(Box::new(editor)));
    effects
}

/// Whether `id` is something the open rich editor waits for.
pub fn owns(state: &State, id: RequestId) -> bool {
    matches!(&state.edit.editor, Some(Editor::Rich(r))
        if r.mentions_request == Some(id) || r.audience.awaits(id))
}

/// The people, roles and groups the open editor asked for.
pub fn on_response(state: &mut State, id: RequestId, response: JiraResponse) -> Vec<Effect> {
    let Some(Editor::Rich(editor)) = &mut state.edit.editor else {
        return Vec::new();
    };
    match response {
        JiraResponse::Users(users) if editor.mentions_request == Some(id) => {
            editor.mentions_request = None;
            let mut people = std::mem::take(&mut editor.mentions.users);
            people.extend(users.iter().filter(|u| !u.account_id.is_empty()).map(|u| {
                (
                    u.account_id.clone(),
                    sanitize_line(&u.display_name).into_owned(),
                )
            }));
            people.sort();
            people.dedup();
            editor.mentions = MentionDirectory::new(people);
        }
        other => {
            if let (_, Some(groups)) = audience::on_response(&mut editor.audience, id, &other) {
                state.edit.my_groups = Some(groups);
            }
        }
    }
    Vec::new()
}

/// A failed read of the open editor: it works without it (no roles: everyone only).
pub fn on_error(state: &mut State, id: RequestId) -> bool {
    let Some(Editor::Rich(editor)) = &mut state.edit.editor else {
        return false;
    };
    if editor.mentions_request == Some(id) {
        editor.mentions_request = None;
        return true;
    }
    audience::on_error(&mut editor.audience, id)
}

fn ctrl(key: &KeyBinding, c: char) -> bool {
    key.code == KeyCode::Char(c) && key.modifiers.contains(KeyModifiers::CONTROL)
}

/// Whether a write for `target` is still out.
fn sending(state: &State, target: &RichTarget) -> bool {
    state.edit.saves.values().any(|s| {
        matches!(s.editor.as_deref(), Some(Editor::Rich(r)) if r.target == *target)
            && matches!(s.stage, SaveStage::Writing(_) | SaveStage::Checking(_))
    })
}

/// A key in the rich editor.
pub fn rich_key(state: &mut State, mut editor: Box<RichEditor>, key: KeyBinding) -> Vec<Effect> {
    if editor.audience.picker.is_some() {
        if let Some(notice) = audience::picker_key(&mut editor.audience, key) {
            editor.notice = Some(notice.to_owned());
        }
        state.edit.editor = Some(Editor::Rich(editor));
        return Vec::new();
    }
    if key.code == KeyCode::Esc || ctrl(&key, 'c') {
        if !editor.area.is_modified() {
            return drop_draft(state, &editor.target);
        }
        let effects = keep_draft(state, &mut editor);
        if !effects.is_empty() {
            state.info(format!(
                "Closed {}; your text is kept as a draft (it opens again with {})",
                editor.target.title(),
                if editor.target.is_comment() { "c" } else { "D" }
            ));
        }
        return effects;
    }
    if ctrl(&key, 's') {
        if sending(state, &editor.target) {
            editor.error = None;
            editor.notice = Some("sending… (your earlier save is still on its way)".to_owned());
            state.edit.editor = Some(Editor::Rich(editor));
            return Vec::new();
        }
        // The draft is written first: a crash while the save is out loses nothing.
        let mut effects = if editor.area.is_modified() {
            keep_draft(state, &mut editor)
        } else {
            Vec::new()
        };
        effects.extend(save(state, editor));
        return effects;
    }
    if ctrl(&key, 'v') && editor.target.is_comment() {
        editor.audience.open_picker();
        state.edit.editor = Some(Editor::Rich(editor));
        return Vec::new();
    }
    if ctrl(&key, 'e') {
        let effect = Effect::ExternalEditor {
            text: editor.area.text(),
            suffix: format!("-{}.md", editor.target.key()),
        };
        state.edit.editor = Some(Editor::Rich(editor));
        return vec![effect];
    }
    if ctrl(&key, 'r') {
        let text = editor.jira_text.clone();
        editor.area.set_text(&text);
        editor.notice = Some("Started over from Jira's text".to_owned());
        editor.error = None;
        state.edit.editor = Some(Editor::Rich(editor));
        return Vec::new();
    }
    let mut effects = Vec::new();
    if editor.area.apply(key) == TextAreaOutcome::Edited {
        editor.error = None;
        effects.extend(draft_timer(&mut editor));
    }
    state.edit.editor = Some(Editor::Rich(editor));
    effects
}

/// Sets the draft timer for the text as it is now.
fn draft_timer(editor: &mut RichEditor) -> Option<Effect> {
    let revision = editor.area.revision();
    if editor.draft_due == Some(revision) || editor.draft_revision == revision {
        return None;
    }
    editor.draft_due = Some(revision);
    Some(Effect::Timer {
        delay: DRAFT_DEBOUNCE,
        action: crate::app::action::Action::DraftDue(revision),
    })
}

/// `$EDITOR` is done: its text replaces the editor's (one undo step), or its error is
/// shown with the text untouched.
pub fn external_done(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    let Some(Editor::Rich(editor)) = &mut state.edit.editor else {
        return Vec::new();
    };
    match result {
        Ok(text) => {
            editor.area.set_text(&text);
            editor.error = None;
            editor.notice = Some("Text from your editor; Ctrl-S saves it".to_owned());
            draft_timer(editor).into_iter().collect()
        }
        Err(e) => {
            editor.error = Some(format!("The external editor failed: {e}"));
            Vec::new()
        }
    }
}

/// Pasted text, lines and all.
pub fn paste(editor: &mut RichEditor, text: &str) -> Vec<Effect> {
    if let Some(picker) = &mut editor.audience.picker {
        picker.paste(text);
        return Vec::new();
    }
    if editor.area.insert_str(text) == TextAreaOutcome::Edited {
        editor.error = None;
        return draft_timer(editor).into_iter().collect();
    }
    Vec::new()
}

/// Ctrl-S: converts the text and saves it the way every save goes.
fn save(state: &mut State, mut editor: Box<RichEditor>) -> Vec<Effect> {
    let text = editor.area.text();
    let doc = match markdown::from_editor_text(&text, editor.original.as_ref(), &editor.mentions) {
        Ok(doc) => doc,
        Err(e) => {
            editor.error = Some(format!("Not saved: {e}"));
            state.edit.editor = Some(Editor::Rich(editor));
            return Vec::new();
        }
    };
    let key = editor.target.key().to_owned();
    let target = editor.target.clone();
    if target.is_comment() && doc.is_empty() {
        editor.error = Some("A comment cannot be empty".to_owned());
        state.edit.editor = Some(Editor::Rich(editor));
        return Vec::new();
    }
    editor.error = None;
    editor.notice = None;
    match target {
        RichTarget::Field { field, name, .. } => {
            show_description(state, &key, &field, Some(doc.clone()));
            let value = if doc.is_empty() {
                serde_json::Value::Null
            } else {
                doc.into_value()
            };
            let save = PendingSave::new(
                vec![key.clone()],
                format!("{name} of {key}"),
                JiraRequest::EditIssue {
                    key: key.clone(),
                    update: IssueUpdate::new().set(field.clone(), value),
                },
                vec![field],
            )
            .with_base(editor.base_updated)
            .with_editor(Editor::Rich(editor));
            start_save(state, save)
        }
        RichTarget::NewComment { .. } => {
            let save = PendingSave::new(
                vec![key.clone()],
                format!("Comment on {key}"),
                JiraRequest::AddComment {
                    key: key.clone(),
                    body: doc.clone(),
                    visibility: editor.audience.chosen.clone(),
                },
                vec!["comment".to_owned()],
            )
            .with_editor(Editor::Rich(editor.clone()));
            let effects = send_write(state, save);
            if let Some(id) = write_id(&effects) {
                let me = state.me.clone().unwrap_or_else(|| "you".to_owned());
                let item = CommentItem {
                    id: String::new(),
                    author: me.clone(),
                    author_name: me,
                    author_id: state.edit.my_account.clone().unwrap_or_default(),
                    created: "now".to_owned(),
                    edited: false,
                    body: doc,
                    visibility: editor.audience.chosen.clone(),
                    pending: Some(PendingComment {
                        request: id,
                        note: "sending…",
                        before: None,
                    }),
                };
                add_pending(state, &key, item);
            }
            effects
        }
        RichTarget::EditComment { id, .. } => {
            let save = PendingSave::new(
                vec![key.clone()],
                format!("Comment {id} on {key}"),
                JiraRequest::UpdateComment {
                    key: key.clone(),
                    id: id.clone(),
                    body: doc.clone(),
                    visibility: editor.audience.chosen.clone(),
                },
                vec!["comment".to_owned()],
            )
            .with_editor(Editor::Rich(editor.clone()));
            let effects = send_write(state, save);
            if let Some(request) = write_id(&effects) {
                mark_pending(state, &key, &id, request, "sending…", |item| {
                    item.body = doc;
                    item.visibility = editor.audience.chosen.clone();
                });
            }
            effects
        }
    }
}

/// The id of the write among `effects`.
fn write_id(effects: &[Effect]) -> Option<RequestId> {
    effects.iter().find_map(|e| match e {
        Effect::Jira(cmd) if !cmd.request.is_read() => Some(cmd.id),
        _ => None,
    })
}

/// Shows `doc` as the description of `key` at once; returns what was there.
fn show_description(state: &mut State, key: &str, field: &str, doc: Option<Adf>) -> Option<Adf> {
    if field != "description" {
        return None;
    }
    let detail = state.issue.detail.as_mut().filter(|d| d.key == key)?;
    let before = std::mem::replace(&mut detail.description, doc.filter(|d| !d.is_empty()));
    state.issue.touch();
    before
}

/// Adds a comment being posted to the pane, where the new comments show.
fn add_pending(state: &mut State, key: &str, item: CommentItem) {
    if state.issue.key.as_deref() != Some(key) {
        return;
    }
    match state.issue.comment_order {
        crate::jira::client::CommentOrder::NewestFirst => state.issue.comments.insert(0, item),
        crate::jira::client::CommentOrder::OldestFirst => state.issue.comments.push(item),
    }
    state.issue.touch();
}

/// Marks comment `id` of `key` as changing, remembering it as it was.
fn mark_pending(
    state: &mut State,
    key: &str,
    id: &str,
    request: RequestId,
    note: &'static str,
    change: impl FnOnce(&mut CommentItem),
) {
    if state.issue.key.as_deref() != Some(key) {
        return;
    }
    if let Some(item) = state.issue.comments.iter_mut().find(|c| c.id == id) {
        let mut before = item.clone();
        before.pending = None;
        change(item);
        item.pending = Some(PendingComment {
            request,
            note,
            before: Some(Box::new(before)),
        });
        state.issue.touch();
    }
}

/// A save of ours went through (`id` is its write): Jira's copy of a comment replaces
/// the one shown, a deleted one goes. True when the issue need not reload (comments
/// change no field the pane shows).
pub fn on_written(
    state: &mut State,
    id: RequestId,
    save: &PendingSave,
    response: &JiraResponse,
) -> bool {
    let pending = state
        .issue
        .comments
        .iter()
        .position(|c| c.pending.as_ref().is_some_and(|p| p.request == id));
    match (&save.write, response) {
        (
            JiraRequest::AddComment { .. } | JiraRequest::UpdateComment { .. },
            JiraResponse::Comment(c),
        ) => {
            let fresh = CommentItem::from_comment(c);
            let added = matches!(save.write, JiraRequest::AddComment { .. });
            match pending {
                Some(i) => state.issue.comments[i] = fresh,
                None if added => {
                    let key = save.keys.first().cloned().unwrap_or_default();
                    add_pending(state, &key, fresh);
                }
                None => {}
            }
            if added && state.issue.key.as_deref() == save.keys.first().map(String::as_str) {
                state.issue.comments_total += 1;
            }
            state.issue.touch();
            true
        }
        (JiraRequest::DeleteComment { .. }, _) => {
            if let Some(i) = pending {
                state.issue.comments.remove(i);
                state.issue.comments_total = state.issue.comments_total.saturating_sub(1);
                state.issue.touch();
            }
            true
        }
        _ => false,
    }
}

/// A save of ours was refused or did not arrive (`id` is the request that failed): what
/// it showed goes back as it was.
pub fn on_failed(state: &mut State, id: RequestId, save: &PendingSave) {
    if let Some(i) = state
        .issue
        .comments
        .iter()
        .position(|c| c.pending.as_ref().is_some_and(|p| p.request == id))
    {
        match state.issue.comments[i]
            .pending
            .take()
            .and_then(|p| p.before)
        {
            Some(before) => state.issue.comments[i] = *before,
            None => {
                state.issue.comments.remove(i);
            }
        }
        state.issue.touch();
    }
    take_back(state, save);
}

/// Puts back the description a refused (or conflicting) save showed.
pub fn take_back(state: &mut State, save: &PendingSave) {
    if let Some(Editor::Rich(editor)) = save.editor.as_deref()
        && let RichTarget::Field { key, field, .. } = &editor.target
    {
        show_description(state, key, field, editor.original.clone());
    }
}

/// Shows a rich field's new value again (an overwrite after a conflict); false when
/// `save` is not a rich field's.
pub fn show_again(state: &mut State, save: &PendingSave) -> bool {
    let (Some(Editor::Rich(editor)), JiraRequest::EditIssue { update, .. }) =
        (save.editor.as_deref(), &save.write)
    else {
        return false;
    };
    let RichTarget::Field { key, field, .. } = &editor.target else {
        return false;
    };
    let doc = update.fields.get(field).cloned().map(Adf::from_value);
    show_description(state, key, field, doc);
    true
}

/// Puts Jira's message (or the converter's) under the text of a reopened editor.
pub fn set_error(editor: &mut RichEditor, message: String) {
    editor.error = Some(message);
    editor.notice = None;
}

/// The first line of a comment, for lists.
pub fn preview(item: &CommentItem) -> String {
    let text = adf::plain_text(&item.body);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let first = sanitize_line(first);
    match first.char_indices().nth(PREVIEW_CHARS) {
        Some((end, _)) => format!("{}…", &first[..end]),
        None => first.into_owned(),
    }
}

/// Whether the signed-in user wrote `item`.
pub fn is_mine(state: &State, item: &CommentItem) -> bool {
    !item.author_id.is_empty() && state.edit.my_account.as_deref() == Some(item.author_id.as_str())
}

/// A key in the comments list.
pub fn list_key(state: &mut State, mut list: CommentList, key: KeyBinding) -> Vec<Effect> {
    let len = state.issue.comments.len();
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => return Vec::new(),
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => return Vec::new(),
        KeyCode::Up | KeyCode::Char('k') => list.selected = list.selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => {
            list.selected = (list.selected + 1).min(len.saturating_sub(1));
        }
        KeyCode::Enter | KeyCode::Char('e') => {
            if let Some(item) = chosen(state, &list) {
                let target = RichTarget::EditComment {
                    key: list.key.clone(),
                    id: item.id.clone(),
                };
                let (body, visibility) = (item.body.clone(), item.visibility.clone());
                let effects = open(state, target, Some(body));
                if let Some(Editor::Rich(editor)) = &mut state.edit.editor {
                    editor.audience.chosen = visibility;
                }
                return effects;
            }
        }
        KeyCode::Char('d') => {
            if let Some(item) = chosen(state, &list) {
                state.edit.editor = Some(Editor::ConfirmDelete(ConfirmDelete {
                    key: list.key.clone(),
                    id: item.id.clone(),
                    preview: format!("{} · {}", item.created, preview(&item)),
                }));
                return Vec::new();
            }
        }
        _ => {}
    }
    state.edit.editor = Some(Editor::Comments(list));
    Vec::new()
}

/// The highlighted comment when the user may change it; otherwise says why not.
fn chosen(state: &mut State, list: &CommentList) -> Option<CommentItem> {
    let item = state.issue.comments.get(list.selected)?.clone();
    if item.pending.is_some() {
        state.info("That comment is still on its way to Jira");
        return None;
    }
    if !is_mine(state, &item) || item.id.is_empty() {
        state.info(format!(
            "{}'s comment: only its author can edit or delete it",
            item.author_name
        ));
        return None;
    }
    Some(item)
}

/// A key in the delete confirmation: `y` deletes, anything else keeps the comment.
pub fn confirm_key(state: &mut State, confirm: ConfirmDelete, key: KeyBinding) -> Vec<Effect> {
    if key.code != KeyCode::Char('y') {
        state.info("Comment kept");
        return Vec::new();
    }
    if !state.allow_write(&format!("delete a comment on {}", confirm.key)) {
        return Vec::new();
    }
    let save = PendingSave::new(
        vec![confirm.key.clone()],
        format!("Deleting comment {} on {}", confirm.id, confirm.key),
        JiraRequest::DeleteComment {
            key: confirm.key.clone(),
            id: confirm.id.clone(),
        },
        vec!["comment".to_owned()],
    );
    let effects = send_write(state, save);
    if let Some(request) = write_id(&effects) {
        mark_pending(
            state,
            &confirm.key,
            &confirm.id,
            request,
            "deleting…",
            |_| {},
        );
    }
    if state.focus == Pane::Projects {
        state.focus = Pane::Issue;
    }
    effects
}
