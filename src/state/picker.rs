//! A filterable list of choices for field editors: one value (priority, assignee) or
//! several (components, labels), narrowed by typing. Plain data and no I/O: the owner
//! feeds it keys and, for lists Jira filters itself (users), new items per query.
//!
//! Keys:
//! - typing, `Backspace`, readline keys: edit the filter; the rows follow it at once.
//! - `↑`/`↓` (`Ctrl-P`/`Ctrl-N`), `PgUp`/`PgDn`: move the highlight.
//! - multi-select, toggling the highlighted row: `Tab` and `Ctrl-Space` always; `Space`
//!   only while the filter is empty (otherwise it is typed, since values such as
//!   "Release 2" hold spaces).
//! - `Enter`: single-select picks the highlighted row. Multi-select with text in the
//!   filter checks the highlighted row (or creates the typed value) and clears the filter,
//!   so "type, Enter, type, Enter" adds several; with an empty filter it is done and
//!   answers every checked item.
//! - `Esc`: cancelled, nothing chosen.
//!
//! With free entry (labels), a filter that names no item exactly adds a row offering to
//! create it; the entry function validates it (a label cannot hold spaces) and its
//! complaint is shown instead of creating anything.

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;

use super::input::{InputOutcome, TextInput};
use crate::app::action::InputEdit;
use crate::config::keymap::{KeyBinding, text_edit};
use crate::sanitize::sanitize_field;

/// Rows `PgUp`/`PgDn` move by: the state does not know the drawn height.
const PAGE_ROWS: usize = 10;

/// One choice: what it is called, a detail beside it (an e-mail, a description) and the
/// JSON Jira takes for it in a write.
#[derive(Debug, Clone, PartialEq)]
pub struct PickerItem {
    /// Unique within a picker: an option id, an account id, the label itself.
    pub id: String,
    /// Shown and matched; sanitised for the terminal.
    pub label: String,
    /// Shown dimmed after the label, matched after it; sanitised.
    pub detail: Option<String>,
    /// What gets written: `{"id": "3"}`, `{"accountId": ..}`, `"backend"`, `null`.
    pub value: Value,
}

impl PickerItem {
    /// An item from server data: `label` and `detail` are sanitised here, once, so every
    /// item a picker holds is safe to draw.
    pub fn new(id: impl Into<String>, label: &str, detail: Option<&str>, value: Value) -> Self {
        let detail = detail
            .map(|d| sanitize_field(d.trim()))
            .filter(|d| !d.is_empty());
        Self {
            id: id.into(),
            label: sanitize_field(label.trim()),
            detail,
            value,
        }
    }
}

/// Builds the item for text typed into a picker with free entry, or says why it cannot
/// be one (shown under the filter).
pub type FreeEntry = fn(&str) -> Result<PickerItem, String>;

/// One line of the list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PickerRow<'a> {
    Item(&'a PickerItem),
    /// Create this (the trimmed filter) as a new value.
    Create(&'a str),
}

/// What a key did, for the owner to act on.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerOutcome {
    /// Something visible changed (highlight, checks, cursor, an error); redraw.
    Changed,
    /// The filter text changed (to this); an owner whose list Jira filters queries it,
    /// debounced, and answers with [`Picker::replace_items`].
    FilterChanged(String),
    /// Done: the item picked (single), or every checked item (multi, possibly none).
    Chosen(Vec<PickerItem>),
    Cancelled,
    /// Not a picker key; the owner may handle it.
    Ignored,
}

/// A filterable single- or multi-select list.
#[derive(Debug, Clone)]
pub struct Picker {
    items: Vec<PickerItem>,
    multi: bool,
    filter: TextInput,
    /// Positions in `items` of the rows that match the filter, best match first.
    matches: Vec<usize>,
    /// Whether a "create" row follows the matches.
    offers_create: bool,
    /// Index into [`Picker::rows`].
    selected: usize,
    /// Multi-select: the checked items, in the order they were checked (the field's
    /// current values first). Kept whole, so a checked item the list no longer holds
    /// (another user query, an archived version) is still answered.
    checked: Vec<PickerItem>,
    /// Single-select: the id of the field's current value, marked in the list.
    current: Option<String>,
    free_entry: Option<FreeEntry>,
    /// Jira filters the list (users): every item given is shown, in Jira's order.
    remote_filter: bool,
    /// Kept first in the list whatever items arrive ("Unassigned").
    pinned: Option<PickerItem>,
    loading: bool,
    /// Why the typed value cannot be created.
    error: Option<String>,
    /// First visible row; drawing keeps the selection in view.
    pub offset: Cell<usize>,
}

impl Picker {
    /// A single-select list with `current` (an item id) highlighted and marked.
    pub fn single(items: Vec<PickerItem>, current: Option<&str>) -> Self {
        let mut picker = Self::empty(false);
        picker.current = current.map(str::to_owned);
        picker.items = dedup(items);
        picker.refilter(current.map(str::to_owned));
        picker
    }

    /// A multi-select list with `checked` (the field's current values) checked.
    pub fn multi(items: Vec<PickerItem>, checked: Vec<PickerItem>) -> Self {
        let mut picker = Self::empty(true);
        picker.items = dedup(items);
        picker.checked = dedup(checked);
        picker.refilter(None);
        picker
    }

    fn empty(multi: bool) -> Self {
        Self {
            items: Vec::new(),
            multi,
            filter: TextInput::default(),
            matches: Vec::new(),
            offers_create: false,
            selected: 0,
            checked: Vec::new(),
            current: None,
            free_entry: None,
            remote_filter: false,
            pinned: None,
            loading: false,
            error: None,
            offset: Cell::new(0),
        }
    }

    /// Lets the user create values by typing them (labels); `entry` validates and builds.
    pub fn with_free_entry(mut self, entry: FreeEntry) -> Self {
        self.free_entry = Some(entry);
        self.refilter(self.selected_id());
        self
    }

    /// Shows items as given, unfiltered: Jira matched them to the query already.
    pub fn with_remote_filter(mut self) -> Self {
        self.remote_filter = true;
        self.refilter(self.selected_id());
        self
    }

    /// Keeps `item` first in the list through every [`Picker::set_items`] ("Unassigned",
    /// "None"). It is matched by its label like any other.
    pub fn with_pinned(mut self, item: PickerItem) -> Self {
        let keep = self.selected_id();
        self.items.retain(|i| i.id != item.id);
        self.items.insert(0, item.clone());
        self.pinned = Some(item);
        self.refilter(keep);
        self
    }

    pub fn is_multi(&self) -> bool {
        self.multi
    }

    pub fn filter(&self) -> &TextInput {
        &self.filter
    }

    /// The filter as matched and as an owner should query it: trimmed.
    pub fn query(&self) -> &str {
        self.filter.text().trim()
    }

    pub fn items(&self) -> &[PickerItem] {
        &self.items
    }

    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// The owner sent a query for this picker (shown as "loading…").
    pub fn set_loading(&mut self, loading: bool) {
        self.loading = loading;
    }

    /// Why the typed value cannot be created, while that is so (checked as it is typed).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Multi-select: the checked items, in the order they were checked.
    pub fn checked(&self) -> &[PickerItem] {
        &self.checked
    }

    pub fn is_checked(&self, id: &str) -> bool {
        self.checked.iter().any(|i| i.id == id)
    }

    /// Single-select: the id of the field's current value.
    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// Whether the free-entry row shows (the filter names no item exactly).
    pub fn offers_create(&self) -> bool {
        self.offers_create
    }

    /// How many rows match the filter, not counting the free-entry row.
    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    /// The rows shown: matching items, best first, then the free-entry row if offered.
    pub fn rows(&self) -> Vec<PickerRow<'_>> {
        let mut rows: Vec<PickerRow<'_>> = self
            .matches
            .iter()
            .filter_map(|&i| self.items.get(i).map(PickerRow::Item))
            .collect();
        if self.offers_create {
            rows.push(PickerRow::Create(self.query()));
        }
        rows
    }

    fn row_count(&self) -> usize {
        self.matches.len() + usize::from(self.offers_create)
    }

    /// Index of the highlighted row in [`Picker::rows`].
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_row(&self) -> Option<PickerRow<'_>> {
        if let Some(&i) = self.matches.get(self.selected) {
            return self.items.get(i).map(PickerRow::Item);
        }
        (self.offers_create && self.selected == self.matches.len())
            .then(|| PickerRow::Create(self.query()))
    }

    fn selected_id(&self) -> Option<String> {
        match self.selected_row() {
            Some(PickerRow::Item(item)) => Some(item.id.clone()),
            _ => None,
        }
    }

    /// Replaces the items (a label list that arrived), keeping the highlighted item when
    /// it is still there. Duplicate ids keep their first item.
    pub fn set_items(&mut self, items: Vec<PickerItem>) {
        let keep = self.selected_id();
        let mut items = items;
        if let Some(pinned) = &self.pinned {
            items.retain(|i| i.id != pinned.id);
            items.insert(0, pinned.clone());
        }
        self.items = dedup(items);
        self.refilter(keep);
    }

    /// Jira's answer to the query `for_query`: taken (and loading ends) only when it is
    /// still what the filter says, so a slow answer to an older query never replaces a
    /// newer one. Returns whether it was taken.
    pub fn replace_items(&mut self, for_query: &str, items: Vec<PickerItem>) -> bool {
        if for_query.trim() != self.query() {
            return false;
        }
        self.set_items(items);
        self.loading = false;
        true
    }

    /// Pasted text goes into the filter.
    pub fn paste(&mut self, text: &str) -> PickerOutcome {
        self.filter.insert_str(text);
        self.filter_edited()
    }

    /// What `key` does; see the module docs for the keys.
    pub fn apply(&mut self, key: KeyBinding) -> PickerOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Esc => PickerOutcome::Cancelled,
            KeyCode::Enter => self.enter(),
            KeyCode::Up => self.move_by(-1),
            KeyCode::Down => self.move_by(1),
            KeyCode::Char('p') if ctrl => self.move_by(-1),
            KeyCode::Char('n') if ctrl => self.move_by(1),
            KeyCode::PageUp => self.move_by(-page()),
            KeyCode::PageDown => self.move_by(page()),
            // Ctrl-Space arrives as a control-modified space, or as NUL on some terminals.
            KeyCode::Tab | KeyCode::Null => self.toggle(),
            KeyCode::Char(' ') if ctrl => self.toggle(),
            KeyCode::Char(' ') if !alt && self.multi && self.filter.is_empty() => self.toggle(),
            code => match text_edit(KeyEvent::new(code, key.modifiers)) {
                Some(InputEdit::Submit | InputEdit::Cancel) | None => PickerOutcome::Ignored,
                Some(edit) => match self.filter.apply(edit) {
                    InputOutcome::Edited => self.filter_edited(),
                    InputOutcome::Moved => PickerOutcome::Changed,
                    InputOutcome::Submitted | InputOutcome::Cancelled => PickerOutcome::Ignored,
                },
            },
        }
    }

    fn filter_edited(&mut self) -> PickerOutcome {
        self.refilter(None);
        PickerOutcome::FilterChanged(self.query().to_owned())
    }

    fn move_by(&mut self, delta: isize) -> PickerOutcome {
        let last = self.row_count().saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        if target == self.selected {
            return PickerOutcome::Ignored;
        }
        self.selected = target;
        PickerOutcome::Changed
    }

    fn toggle(&mut self) -> PickerOutcome {
        if !self.multi {
            return PickerOutcome::Ignored;
        }
        match self.selected_row() {
            Some(PickerRow::Item(item)) => {
                let id = item.id.clone();
                if self.is_checked(&id) {
                    self.checked.retain(|i| i.id != id);
                } else {
                    let item = item.clone();
                    self.checked.push(item);
                }
                PickerOutcome::Changed
            }
            Some(PickerRow::Create(_)) => self.create_and_check(),
            None => PickerOutcome::Ignored,
        }
    }

    fn enter(&mut self) -> PickerOutcome {
        if self.multi && self.query().is_empty() {
            return PickerOutcome::Chosen(self.checked.clone());
        }
        // Jira has not answered what was typed yet: the highlighted row belongs to an
        // older list and may not match it. Picking it would choose someone the user
        // never saw; they press Enter again once the answer is in.
        if self.remote_filter && self.loading && !self.query().is_empty() {
            self.error = Some(format!(
                "still searching Jira for \"{}\": Enter picks once the answer is in",
                sanitize_field(self.query())
            ));
            return PickerOutcome::Changed;
        }
        match self.selected_row() {
            Some(PickerRow::Item(item)) if !self.multi => PickerOutcome::Chosen(vec![item.clone()]),
            Some(PickerRow::Item(item)) => {
                if !self.is_checked(&item.id) {
                    let item = item.clone();
                    self.checked.push(item);
                }
                self.clear_filter()
            }
            Some(PickerRow::Create(_)) if !self.multi => match self.created() {
                Ok(item) => PickerOutcome::Chosen(vec![item]),
                Err(outcome) => outcome,
            },
            Some(PickerRow::Create(_)) => self.create_and_check(),
            None => PickerOutcome::Ignored,
        }
    }

    /// The item for the typed text, or the outcome of refusing it (the error shown).
    fn created(&mut self) -> Result<PickerItem, PickerOutcome> {
        let Some(entry) = self.free_entry else {
            return Err(PickerOutcome::Ignored);
        };
        match entry(self.query()) {
            Ok(item) => Ok(item),
            Err(message) => {
                self.error = Some(sanitize_field(&message));
                Err(PickerOutcome::Changed)
            }
        }
    }

    fn create_and_check(&mut self) -> PickerOutcome {
        match self.created() {
            Ok(item) => {
                if !self.is_checked(&item.id) {
                    self.checked.push(item);
                }
                self.clear_filter()
            }
            Err(outcome) => outcome,
        }
    }

    fn clear_filter(&mut self) -> PickerOutcome {
        self.filter = TextInput::default();
        self.filter_edited()
    }

    /// Recomputes the matching rows; highlights `keep` (an item id) if it is still
    /// shown, else the first row.
    fn refilter(&mut self, keep: Option<String>) {
        let query = self.filter.text().trim().to_lowercase();
        self.matches = if query.is_empty() || self.remote_filter {
            (0..self.items.len()).collect()
        } else {
            let mut ranked: Vec<(u8, usize)> = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| rank(item, &query).map(|r| (r, i)))
                .collect();
            // Stable: equally good matches keep Jira's order.
            ranked.sort_by_key(|&(r, _)| r);
            ranked.into_iter().map(|(_, i)| i).collect()
        };
        self.offers_create = self.free_entry.is_some() && !query.is_empty() && {
            let named = |i: &PickerItem| i.label.to_lowercase() == query || i.id == self.query();
            !self.items.iter().any(named) && !self.checked.iter().any(named)
        };
        // Checked as the user types, so the complaint shows before Enter does nothing.
        self.error = match self.free_entry {
            Some(entry) if self.offers_create => {
                entry(self.query()).err().map(|m| sanitize_field(&m))
            }
            _ => None,
        };
        self.selected = keep
            .and_then(|id| {
                self.matches
                    .iter()
                    .position(|&i| self.items.get(i).is_some_and(|item| item.id == id))
            })
            .unwrap_or(0);
    }
}

/// `PAGE_ROWS` as a signed step.
fn page() -> isize {
    isize::try_from(PAGE_ROWS).unwrap_or(isize::MAX)
}

/// Items with duplicate ids removed (the first one stays): ids must name one row.
fn dedup(items: Vec<PickerItem>) -> Vec<PickerItem> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.id.clone()))
        .collect()
}

/// How well `item` matches `query` (lowercase), best 0; `None` for no match. The label's
/// start, then a word's start, then anywhere in it, then the detail (an e-mail), then
/// the query's characters in order (`hgh` finds "High").
fn rank(item: &PickerItem, query: &str) -> Option<u8> {
    let label = item.label.to_lowercase();
    if label.starts_with(query) {
        return Some(0);
    }
    let mut found = false;
    for (at, _) in label.match_indices(query) {
        found = true;
        let before = label[..at].chars().next_back();
        if before.is_some_and(|c| !c.is_alphanumeric()) {
            return Some(1);
        }
    }
    if found {
        return Some(2);
    }
    if item
        .detail
        .as_ref()
        .is_some_and(|d| d.to_lowercase().contains(query))
    {
        return Some(3);
    }
    let mut wanted = query.chars().filter(|c| !c.is_whitespace()).peekable();
    for c in label.chars() {
        if wanted.peek() == Some(&c) {
            wanted.next();
        }
    }
    wanted.peek().is_none().then_some(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn key(text: &str) -> KeyBinding {
        KeyBinding::parse(text).unwrap()
    }

    fn item(id: &str, label: &str) -> PickerItem {
        PickerItem::new(id, label, None, json!({ "id": id }))
    }

    fn priorities() -> Vec<PickerItem> {
        ["Highest", "High", "Medium", "Low", "Lowest"]
            .iter()
            .enumerate()
            .map(|(i, name)| item(&(i + 1).to_string(), name))
            .collect()
    }

    #[test]
    fn enter_waits_for_jiras_answer_to_what_was_typed() {
        let users = vec![item("a1", "Aiko Tanaka"), item("c1", "Chidi Okonkwo")];
        let mut p = Picker::single(users, None).with_remote_filter();
        type_text(&mut p, "chi");
        p.set_loading(true);
        // "Aiko" is still highlighted from the list before the query.
        assert_eq!(p.apply(key("enter")), PickerOutcome::Changed);
        assert!(p.error().is_some_and(|e| e.contains("still searching")));
        assert!(p.replace_items("chi", vec![item("c1", "Chidi Okonkwo")]));
        assert_eq!(p.error(), None);
        assert_eq!(
            p.apply(key("enter")),
            PickerOutcome::Chosen(vec![item("c1", "Chidi Okonkwo")])
        );
    }

    fn labels(p: &Picker) -> Vec<String> {
        p.rows()
            .iter()
            .map(|r| match r {
                PickerRow::Item(i) => i.label.clone(),
                PickerRow::Create(t) => format!("+{t}"),
            })
            .collect()
    }

    fn type_text(p: &mut Picker, text: &str) -> PickerOutcome {
        let mut last = PickerOutcome::Ignored;
        for c in text.chars() {
            last = p.apply(KeyBinding {
                code: KeyCode::Char(c),
                modifiers: KeyModifiers::NONE,
            });
        }
        last
    }

    fn label_entry(text: &str) -> Result<PickerItem, String> {
        if text.contains(' ') {
            return Err("labels cannot contain spaces".into());
        }
        Ok(PickerItem::new(text, text, None, json!(text)))
    }

    #[test]
    fn single_starts_on_the_current_value_and_enter_picks() {
        let mut p = Picker::single(priorities(), Some("3"));
        assert_eq!(p.selected(), 2);
        assert_eq!(p.current(), Some("3"));
        assert_eq!(p.apply(key("down")), PickerOutcome::Changed);
        match p.apply(key("enter")) {
            PickerOutcome::Chosen(items) => assert_eq!(items, vec![item("4", "Low")]),
            other => panic!("{other:?}"),
        }
        assert_eq!(p.apply(key("esc")), PickerOutcome::Cancelled);
    }

    #[test]
    fn typing_narrows_case_insensitively_best_matches_first() {
        let mut p = Picker::single(priorities(), Some("3"));
        assert_eq!(
            type_text(&mut p, "LO"),
            PickerOutcome::FilterChanged("LO".into())
        );
        assert_eq!(labels(&p), ["Low", "Lowest"]);
        assert_eq!(p.selected(), 0, "a new filter highlights the best match");
        type_text(&mut p, "w");
        assert_eq!(labels(&p), ["Low", "Lowest"]);
        p.apply(key("backspace"));
        p.apply(key("backspace"));
        p.apply(key("backspace"));
        assert_eq!(p.rows().len(), 5);
        // Prefix before word start before substring before fuzzy.
        let mut p = Picker::single(
            vec![
                item("a", "Robot arm"),
                item("b", "Armature"),
                item("c", "Farm"),
                item("d", "A r m"),
            ],
            None,
        );
        type_text(&mut p, "arm");
        assert_eq!(labels(&p), ["Armature", "Robot arm", "Farm", "A r m"]);
        type_text(&mut p, "x");
        assert!(p.rows().is_empty());
        assert_eq!(p.apply(key("enter")), PickerOutcome::Ignored);
    }

    #[test]
    fn details_match_after_labels() {
        let mut p = Picker::single(
            vec![
                PickerItem::new("u1", "Ana Silva", Some("ana@acme.example"), json!(null)),
                PickerItem::new("u2", "Bo Acme", None, json!(null)),
            ],
            None,
        );
        type_text(&mut p, "acme");
        assert_eq!(labels(&p), ["Bo Acme", "Ana Silva"]);
    }

    #[test]
    fn multi_space_toggles_only_with_an_empty_filter() {
        let mut p = Picker::multi(priorities(), vec![item("2", "High")]);
        assert!(p.is_checked("2"));
        assert_eq!(p.apply(key("space")), PickerOutcome::Changed);
        assert!(p.is_checked("1"));
        type_text(&mut p, "me");
        assert_eq!(
            p.apply(key("space")),
            PickerOutcome::FilterChanged("me".into()),
            "a space in a filter is typed"
        );
        assert_eq!(p.filter().text(), "me ");
        assert_eq!(p.apply(key("tab")), PickerOutcome::Changed);
        assert!(p.is_checked("3"), "Tab always toggles");
        assert_eq!(p.apply(key("ctrl-space")), PickerOutcome::Changed);
        assert!(!p.is_checked("3"), "Ctrl-Space always toggles");
        // Enter with a filter checks (never unchecks) and clears it.
        assert_eq!(
            p.apply(key("enter")),
            PickerOutcome::FilterChanged(String::new())
        );
        assert!(p.is_checked("3"));
        match p.apply(key("enter")) {
            PickerOutcome::Chosen(items) => {
                let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
                assert_eq!(ids, ["2", "1", "3"], "in the order they were checked");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn multi_can_answer_nothing_to_clear_the_field() {
        let mut p = Picker::multi(priorities(), vec![item("1", "Highest")]);
        p.apply(key("space"));
        assert_eq!(p.apply(key("enter")), PickerOutcome::Chosen(Vec::new()));
    }

    #[test]
    fn single_select_space_is_typed_and_tab_is_not_a_toggle() {
        let mut p = Picker::single(priorities(), None);
        assert_eq!(p.apply(key("tab")), PickerOutcome::Ignored);
        assert_eq!(
            p.apply(key("space")),
            PickerOutcome::FilterChanged(String::new())
        );
        assert_eq!(p.filter().text(), " ");
    }

    #[test]
    fn free_entry_offers_to_create_and_validates() {
        let existing = vec![item("backend", "backend"), item("ui", "ui")];
        let mut p = Picker::multi(existing, Vec::new()).with_free_entry(label_entry);
        type_text(&mut p, "back");
        assert_eq!(labels(&p), ["backend", "+back"]);
        type_text(&mut p, "end");
        assert!(!p.offers_create(), "an exact name is not offered again");
        type_text(&mut p, "-api");
        assert_eq!(labels(&p), ["+backend-api"]);
        assert_eq!(
            p.apply(key("enter")),
            PickerOutcome::FilterChanged(String::new())
        );
        assert!(p.is_checked("backend-api"));
        type_text(&mut p, "two");
        assert_eq!(p.error(), None);
        type_text(&mut p, " words");
        assert_eq!(
            p.error(),
            Some("labels cannot contain spaces"),
            "checked as it is typed"
        );
        assert_eq!(p.apply(key("enter")), PickerOutcome::Changed);
        assert!(!p.is_checked("two words"));
        p.apply(key("ctrl-w"));
        assert_eq!(p.error(), None, "fixing the filter clears the complaint");
        // A created value counts as existing while checked.
        p.apply(key("ctrl-u"));
        type_text(&mut p, "BACKEND-API");
        assert!(!p.offers_create());
    }

    #[test]
    fn replace_items_takes_only_the_latest_query_and_keeps_the_highlight() {
        let users = |names: &[&str]| -> Vec<PickerItem> {
            names.iter().map(|n| item(&n.to_lowercase(), n)).collect()
        };
        let mut p = Picker::single(users(&["Ana", "Bo"]), None)
            .with_remote_filter()
            .with_pinned(PickerItem::new("none", "Unassigned", None, Value::Null));
        assert_eq!(labels(&p), ["Unassigned", "Ana", "Bo"]);
        type_text(&mut p, "c");
        p.set_loading(true);
        assert_eq!(
            labels(&p),
            ["Unassigned", "Ana", "Bo"],
            "Jira filters, not us"
        );
        type_text(&mut p, "a");
        assert!(!p.replace_items("c", users(&["Cy", "Carol"])), "stale");
        assert!(p.is_loading());
        assert!(p.replace_items(" ca ", users(&["Carol", "Cai"])));
        assert!(!p.is_loading());
        assert_eq!(labels(&p), ["Unassigned", "Carol", "Cai"]);
        p.apply(key("down"));
        p.apply(key("down"));
        assert!(p.replace_items("ca", users(&["Cai", "Carla"])));
        assert_eq!(
            p.selected_row(),
            Some(PickerRow::Item(&item("cai", "Cai"))),
            "the highlighted item is kept by id"
        );
    }

    #[test]
    fn checked_items_outlive_the_list() {
        let mut p =
            Picker::multi(vec![item("a", "A")], vec![item("z", "Zed")]).with_remote_filter();
        p.set_items(vec![item("b", "B")]);
        match p.apply(key("enter")) {
            PickerOutcome::Chosen(items) => assert_eq!(items, vec![item("z", "Zed")]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn items_are_sanitised_and_deduplicated() {
        let p = Picker::single(
            vec![
                PickerItem::new("1", "Evil\u{1b}[2J\u{202e}name\nx", Some(" \t "), json!(1)),
                item("1", "again"),
            ],
            None,
        );
        assert_eq!(p.items().len(), 1);
        assert_eq!(p.items()[0].label, "Evilname x");
        assert_eq!(p.items()[0].detail, None);
    }

    #[test]
    fn moves_clamp_at_the_ends() {
        let mut p = Picker::single(priorities(), None);
        assert_eq!(p.apply(key("up")), PickerOutcome::Ignored);
        assert_eq!(p.apply(key("pagedown")), PickerOutcome::Changed);
        assert_eq!(p.selected(), 4);
        assert_eq!(p.apply(key("ctrl-p")), PickerOutcome::Changed);
        assert_eq!(p.selected(), 3);
        assert_eq!(p.apply(key("f5")), PickerOutcome::Ignored);
        assert_eq!(p.apply(key("ctrl-c")), PickerOutcome::Ignored);
    }

    fn any_key() -> impl Strategy<Value = KeyBinding> {
        let named = prop::sample::select(vec![
            "enter",
            "esc",
            "tab",
            "shift-tab",
            "space",
            "ctrl-space",
            "up",
            "down",
            "pageup",
            "pagedown",
            "home",
            "end",
            "left",
            "right",
            "backspace",
            "delete",
            "ctrl-w",
            "ctrl-u",
            "ctrl-n",
            "ctrl-p",
            "alt-b",
            "alt-f",
            "ctrl-a",
            "ctrl-e",
        ])
        .prop_map(key);
        let typed = prop::sample::select(vec!['a', 'b', 'e', 'x', ' ', 'é', '日', '-', 'A'])
            .prop_map(|c| KeyBinding {
                code: KeyCode::Char(c),
                modifiers: KeyModifiers::NONE,
            });
        prop_oneof![2 => named, 3 => typed]
    }

    fn any_items() -> impl Strategy<Value = Vec<PickerItem>> {
        prop::collection::vec(
            ("[a-e]{1,2}", "\\PC{0,6}").prop_map(|(id, label)| item(&id, &label)),
            0..8,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_and_keeps_its_invariants(
            items in any_items(),
            checked in any_items(),
            multi in any::<bool>(),
            free in any::<bool>(),
            remote in any::<bool>(),
            keys in prop::collection::vec(any_key(), 0..40),
            reloads in prop::collection::vec(any_items(), 0..3),
        ) {
            let mut p = if multi {
                Picker::multi(items, checked)
            } else {
                Picker::single(items, Some("a"))
            };
            if free {
                p = p.with_free_entry(label_entry);
            }
            if remote {
                p = p.with_remote_filter();
            }
            let mut reloads = reloads.into_iter();
            for (n, k) in keys.into_iter().enumerate() {
                let outcome = p.apply(k);
                if n % 7 == 3 && let Some(items) = reloads.next() {
                    let query = p.query().to_owned();
                    prop_assert!(p.replace_items(&query, items));
                }
                let rows = p.rows().len();
                prop_assert!(p.selected() < rows.max(1));
                prop_assert_eq!(p.selected_row().is_some(), rows > 0);
                let mut ids: Vec<&str> = p.checked().iter().map(|i| i.id.as_str()).collect();
                ids.sort_unstable();
                ids.dedup();
                prop_assert_eq!(ids.len(), p.checked().len());
                if let PickerOutcome::Chosen(chosen) = outcome {
                    if multi {
                        prop_assert_eq!(&chosen, &p.checked().to_vec());
                    } else {
                        prop_assert_eq!(chosen.len(), 1);
                    }
                }
                prop_assert!(!p.filter().text().chars().any(char::is_control));
            }
        }
    }
}
