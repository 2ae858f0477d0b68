//! Keys to actions, per pane. The defaults live here as data, so the help overlay is
//! generated from the same table the app resolves keys with.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use strum::EnumMessage;

use crate::app::action::{Action, InputEdit};
use crate::state::Pane;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Pane(Pane),
}

/// A key plus modifiers, parsed from text like `ctrl-c`, `shift-tab`, `pagedown`, `G`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyBinding {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().map_err(|_| format!("bad key '{text}'"))?)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("unknown key '{text}'")),
                }
            }
        };
        Ok(Self { code, modifiers })
    }

    /// Normalises a key event from the terminal: shifted letters arrive as uppercase
    /// chars, sometimes with SHIFT set and sometimes not.
    pub fn from_event(key: KeyEvent) -> Self {
        let mut modifiers =
            key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if let KeyCode::Char(_) = key.code {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        Self {
            code: key.code,
            modifiers,
        }
    }

    /// How the help overlay names the key.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::Delete => out.push_str("Del"),
            KeyCode::Up => out.push('↑'),
            KeyCode::Down => out.push('↓'),
            KeyCode::Left => out.push('←'),
            KeyCode::Right => out.push('→'),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            other => out.push_str(&format!("{other:?}")),
        }
        out
    }
}

/// The default bindings: (context, keys, action).
const DEFAULTS: &[(Context, &[&str], Action)] = &[
    (Context::Global, &["q", "ctrl-c"], Action::Quit),
    (Context::Global, &["?", "f1"], Action::ToggleHelp),
    (Context::Global, &["tab", "l", "right"], Action::FocusNext),
    (
        Context::Global,
        &["shift-tab", "h", "left"],
        Action::FocusPrev,
    ),
    (Context::Global, &["k", "up"], Action::Up),
    (Context::Global, &["j", "down"], Action::Down),
    (Context::Global, &["pageup", "ctrl-b"], Action::PageUp),
    (
        Context::Global,
        &["pagedown", "ctrl-f", "space"],
        Action::PageDown,
    ),
    (Context::Global, &["home"], Action::Top),
    (Context::Global, &["G", "end"], Action::Bottom),
    (Context::Global, &["enter"], Action::Select),
    (Context::Global, &["esc"], Action::Back),
    (Context::Global, &["/"], Action::OpenJql),
    (Context::Global, &["r", "f5"], Action::Refresh),
    (
        Context::Pane(Pane::Issue),
        &["O"],
        Action::ToggleCommentOrder,
    ),
    (Context::Pane(Pane::Issue), &["m"], Action::MoreComments),
    // Saved and quick filters.
    (Context::Global, &["f"], Action::OpenFilters),
    (Context::Global, &["1"], Action::FilterMine),
    (Context::Global, &["2"], Action::FilterReported),
    (Context::Global, &["3"], Action::FilterRecent),
    (Context::Global, &["4"], Action::FilterUnassigned),
    // Results, issue detail, navigation and everyday keys (ui4b).
    (Context::Global, &["g"], Action::JumpToIssue),
    (Context::Global, &["z"], Action::ToggleZoom),
    (Context::Global, &["ctrl-o", "alt-left"], Action::NavBack),
    // Most terminals send Ctrl-I as Tab; it arrives as itself only where the keyboard
    // protocol is enhanced (see `terminal::init`), so Alt-→ is the portable key.
    (
        Context::Global,
        &["ctrl-i", "alt-right"],
        Action::NavForward,
    ),
    (Context::Pane(Pane::Results), &["s"], Action::SortNext),
    (Context::Pane(Pane::Results), &["S"], Action::SortFlip),
    (Context::Pane(Pane::Results), &["o"], Action::OpenInBrowser),
    (Context::Pane(Pane::Results), &["y"], Action::CopyKey),
    (Context::Pane(Pane::Results), &["Y"], Action::CopyUrl),
    (Context::Pane(Pane::Issue), &["backspace"], Action::NavBack),
    (Context::Pane(Pane::Issue), &["]"], Action::NextRelated),
    (Context::Pane(Pane::Issue), &["["], Action::PrevRelated),
    (Context::Pane(Pane::Issue), &["H"], Action::ToggleHistory),
    (Context::Pane(Pane::Issue), &["o"], Action::OpenInBrowser),
    (Context::Pane(Pane::Issue), &["y"], Action::CopyKey),
    (Context::Pane(Pane::Issue), &["Y"], Action::CopyUrl),
    // Editing (issue 5).
    // Only where an issue is at hand: in the projects pane letters filter.
    (Context::Pane(Pane::Results), &["e"], Action::EditField),
    (Context::Pane(Pane::Issue), &["e"], Action::EditField),
    (Context::Pane(Pane::Results), &["a"], Action::AssignToMe),
    (Context::Pane(Pane::Issue), &["a"], Action::AssignToMe),
    (Context::Pane(Pane::Results), &["u"], Action::Unassign),
    (Context::Pane(Pane::Issue), &["u"], Action::Unassign),
    (Context::Pane(Pane::Results), &["c"], Action::AddComment),
    (Context::Pane(Pane::Issue), &["c"], Action::AddComment),
    (Context::Pane(Pane::Results), &["C"], Action::ListComments),
    (Context::Pane(Pane::Issue), &["C"], Action::ListComments),
    (Context::Pane(Pane::Issue), &["D"], Action::EditDescription),
];

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Context, KeyBinding, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = Vec::new();
        for (context, keys, action) in DEFAULTS {
            for key in *keys {
                // The table above is ours; a typo in it is caught by the tests.
                if let Ok(binding) = KeyBinding::parse(key) {
                    bindings.push((*context, binding, action.clone()));
                }
            }
        }
        Self { bindings }
    }
}

impl Keymap {
    /// The defaults with the user's bindings on top. `overrides` maps snake_case action
    /// names to keys (`quit = ["q", "ctrl-q"]`); an action's keys replace its defaults
    /// in the contexts it had them in, and take the key from any other action there.
    /// An empty list unbinds. Unknown actions and keys are reported, never fatal: they
    /// are skipped, and an action whose keys are all invalid keeps its defaults.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        let mut overridden = Vec::new();
        for (name, keys) in overrides {
            let Ok(action) = Action::deserialize(name.as_str().into_deserializer())
                .map_err(|_: serde::de::value::Error| ())
            else {
                problems.push(format!("keymap: unknown action \"{name}\""));
                continue;
            };
            let mut bindings = Vec::new();
            for key in keys {
                match KeyBinding::parse(key) {
                    Ok(b) => bindings.push(b),
                    Err(e) => problems.push(format!("keymap: {name}: {e}")),
                }
            }
            if bindings.is_empty() && !keys.is_empty() {
                problems.push(format!(
                    "keymap: {name}: no valid key, keeping the defaults"
                ));
                continue;
            }
            keymap.rebind(&action, &bindings);
            overridden.push(action);
        }
        for action in &overridden {
            problems.extend(keymap.shadowed(action));
        }
        (keymap, problems)
    }

    fn rebind(&mut self, action: &Action, keys: &[KeyBinding]) {
        let mut contexts: Vec<Context> = Vec::new();
        for (context, _, a) in &self.bindings {
            if a == action && !contexts.contains(context) {
                contexts.push(*context);
            }
        }
        if contexts.is_empty() {
            contexts.push(Context::Global);
        }
        self.bindings.retain(|(context, binding, a)| {
            a != action && !(contexts.contains(context) && keys.contains(binding))
        });
        for context in contexts {
            for key in keys {
                self.bindings.push((context, *key, action.clone()));
            }
        }
    }

    /// Where a global binding of `action` is hidden by another action's binding in a
    /// pane (pane bindings win there), so the user learns why a key seems dead.
    fn shadowed(&self, action: &Action) -> Vec<String> {
        let mut out = Vec::new();
        for (context, binding, a) in &self.bindings {
            if *context != Context::Global || a != action {
                continue;
            }
            for pane in Pane::ALL {
                let other = self
                    .bindings
                    .iter()
                    .find(|(c, b, _)| *c == Context::Pane(pane) && b == binding);
                if let Some((_, _, other)) = other.filter(|(_, _, o)| o != action) {
                    out.push(format!(
                        "keymap: {}: {} does {} in the {} pane",
                        action_name(action),
                        binding.label(),
                        action_name(other),
                        pane.title()
                    ));
                }
            }
        }
        out
    }

    /// The action for `key` in `pane`: pane bindings first, then global ones.
    pub fn resolve(&self, pane: Pane, key: KeyEvent) -> Option<Action> {
        let key = KeyBinding::from_event(key);
        let find = |context: Context| {
            self.bindings
                .iter()
                .find(|(c, b, _)| *c == context && *b == key)
                .map(|(_, _, a)| a.clone())
        };
        find(Context::Pane(pane)).or_else(|| find(Context::Global))
    }

    /// Help rows for a context: (keys, what they do), in table order.
    pub fn help(&self, context: Context) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String, Action)> = Vec::new();
        for (c, binding, action) in &self.bindings {
            if *c != context {
                continue;
            }
            match rows.iter_mut().find(|(_, _, a)| a == action) {
                Some(row) => {
                    row.0.push_str(", ");
                    row.0.push_str(&binding.label());
                }
                None => rows.push((binding.label(), action_help(action), action.clone())),
            }
        }
        rows.into_iter()
            .map(|(keys, text, _)| (keys, text))
            .collect()
    }
}

/// An action's name in the keymap file: `open_in_browser`.
pub fn action_name(action: &Action) -> String {
    let debug = format!("{action:?}");
    let variant = debug.split(['(', ' ', '{']).next().unwrap_or_default();
    let mut out = String::new();
    for (i, c) in variant.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The help text of an action: its doc line.
pub fn action_help(action: &Action) -> String {
    action
        .get_documentation()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Readline-style editing keys shared by every single-line input.
pub fn text_edit(key: KeyEvent) -> Option<InputEdit> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Char('a') if ctrl => InputEdit::Home,
        KeyCode::Char('e') if ctrl => InputEdit::End,
        KeyCode::Char('w') if ctrl => InputEdit::DeleteWordBack,
        KeyCode::Char('u') if ctrl => InputEdit::ClearToStart,
        KeyCode::Char('h') if ctrl => InputEdit::Backspace,
        KeyCode::Char('b') if ctrl => InputEdit::Left,
        KeyCode::Char('f') if ctrl => InputEdit::Right,
        KeyCode::Char('b') if alt => InputEdit::WordLeft,
        KeyCode::Char('f') if alt => InputEdit::WordRight,
        KeyCode::Backspace if alt => InputEdit::DeleteWordBack,
        KeyCode::Char(c) if !ctrl && !alt => InputEdit::Insert(c),
        KeyCode::Backspace => InputEdit::Backspace,
        KeyCode::Delete => InputEdit::Delete,
        KeyCode::Left if ctrl || alt => InputEdit::WordLeft,
        KeyCode::Right if ctrl || alt => InputEdit::WordRight,
        KeyCode::Left => InputEdit::Left,
        KeyCode::Right => InputEdit::Right,
        KeyCode::Home => InputEdit::Home,
        KeyCode::End => InputEdit::End,
        KeyCode::Enter => InputEdit::Submit,
        KeyCode::Esc => InputEdit::Cancel,
        _ => return None,
    })
}

/// Keys the JQL bar takes before readline editing: completion and history.
/// (Ctrl-Space arrives as a control-modified space, or as NUL on some terminals.)
pub fn jql_bar_key(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Tab => Action::Complete,
        KeyCode::Char(' ') if ctrl => Action::Complete,
        KeyCode::Null => Action::Complete,
        KeyCode::BackTab => Action::CompletePrev,
        KeyCode::Up => Action::Up,
        KeyCode::Char('p') if ctrl => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::Char('n') if ctrl => Action::Down,
        _ => return None,
    })
}

/// Keys of the filter picker: arrows move, typing narrows, Enter runs, Esc closes.
pub fn picker_key(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => Some(Action::Quit),
        KeyCode::Up => Some(Action::Up),
        KeyCode::Char('p') if ctrl => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::Char('n') if ctrl => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        _ => text_edit(key).map(Action::Input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn every_default_binding_parses() {
        for (_, keys, _) in DEFAULTS {
            for k in *keys {
                assert!(KeyBinding::parse(k).is_ok(), "{k}");
            }
        }
    }

    #[test]
    fn parses_modifiers_and_named_keys() {
        let b = KeyBinding::parse("ctrl-c").unwrap();
        assert_eq!(
            b,
            KeyBinding {
                code: KeyCode::Char('c'),
                modifiers: KeyModifiers::CONTROL
            }
        );
        assert_eq!(
            KeyBinding::parse("shift-tab").unwrap().code,
            KeyCode::BackTab
        );
        assert_eq!(
            KeyBinding::parse("PageDown").unwrap().code,
            KeyCode::PageDown
        );
        assert_eq!(KeyBinding::parse("f5").unwrap().code, KeyCode::F(5));
        assert_eq!(KeyBinding::parse("G").unwrap().code, KeyCode::Char('G'));
        assert!(KeyBinding::parse("ctrl-nonsense").is_err());
    }

    #[test]
    fn resolves_pane_bindings_before_global_ones() {
        let keymap = Keymap::default();
        let backspace = key(KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(
            keymap.resolve(Pane::Issue, backspace),
            Some(Action::NavBack)
        );
        assert_eq!(keymap.resolve(Pane::Results, backspace), None);
        let shifted_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            keymap.resolve(Pane::Results, shifted_g),
            Some(Action::Bottom)
        );
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keymap.resolve(Pane::Projects, ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn help_comes_from_action_docs_and_groups_keys() {
        let help = Keymap::default().help(Context::Global);
        let quit = help.iter().find(|(_, text)| text == "Quit jtui").unwrap();
        assert_eq!(quit.0, "q, Ctrl-c");
        assert!(help.iter().all(|(_, text)| !text.is_empty()));
    }

    fn overrides(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(a, keys)| {
                (
                    (*a).to_owned(),
                    keys.iter().map(|k| (*k).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn overrides_replace_an_actions_keys_and_take_them_from_others() {
        let (keymap, problems) = Keymap::with_overrides(&overrides(&[
            ("quit", &["Q", "ctrl-q"]),
            ("open_in_browser", &["b"]),
            ("top", &["g"]),
        ]));
        assert!(problems.is_empty(), "{problems:?}");
        let none = KeyModifiers::NONE;
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::Char('q'), none)),
            None,
            "the default key is gone"
        );
        assert_eq!(
            keymap.resolve(Pane::Issue, key(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Action::Quit)
        );
        assert_eq!(
            keymap.resolve(
                Pane::Projects,
                key(KeyCode::Char('q'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        // Rebound in both panes it lived in, and `o` is free there now.
        for pane in [Pane::Results, Pane::Issue] {
            assert_eq!(
                keymap.resolve(pane, key(KeyCode::Char('b'), none)),
                Some(Action::OpenInBrowser)
            );
            assert_eq!(keymap.resolve(pane, key(KeyCode::Char('o'), none)), None);
        }
        // `g` moved from jump to top: the override wins in its context.
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::Char('g'), none)),
            Some(Action::Top)
        );
        // The help follows the keymap.
        let help = keymap.help(Context::Global);
        assert!(
            help.iter()
                .any(|(k, t)| k == "Q, Ctrl-q" && t == "Quit jtui")
        );
        assert!(!help.iter().any(|(_, t)| t == "Go to an issue by key"));
    }

    #[test]
    fn bad_overrides_are_reported_not_fatal() {
        let (keymap, problems) = Keymap::with_overrides(&overrides(&[
            ("launch_rockets", &["x"]),
            ("input", &["i"]),
            ("refresh", &["ctrl-nonsense", "F6"]),
            ("toggle_help", &["hyper-h"]),
            ("copy_key", &[]),
        ]));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("unknown action \"launch_rockets\""))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("unknown action \"input\"")),
            "actions that are not keys cannot be bound: {problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("refresh: unknown key 'ctrl-nonsense'"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("toggle_help: no valid key"))
        );
        let none = KeyModifiers::NONE;
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::F(6), none)),
            Some(Action::Refresh),
            "the valid key of a partly bad list is kept"
        );
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::Char('r'), none)),
            None
        );
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::Char('?'), none)),
            Some(Action::ToggleHelp),
            "all keys invalid: the defaults stay"
        );
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::Char('y'), none)),
            None,
            "an empty list unbinds"
        );
    }

    #[test]
    fn a_global_key_hidden_by_a_pane_binding_is_reported() {
        let (keymap, problems) = Keymap::with_overrides(&overrides(&[("refresh", &["m"])]));
        assert_eq!(
            problems,
            ["keymap: refresh: m does more_comments in the Issue pane"]
        );
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::Char('m'), KeyModifiers::NONE)),
            Some(Action::Refresh)
        );
    }

    #[test]
    fn action_names_are_snake_case() {
        assert_eq!(action_name(&Action::OpenInBrowser), "open_in_browser");
        assert_eq!(action_name(&Action::Quit), "quit");
        assert_eq!(action_name(&Action::Resize(1, 2)), "resize");
    }

    #[test]
    fn jql_bar_and_picker_keys() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(jql_bar_key(key(KeyCode::Tab, none)), Some(Action::Complete));
        assert_eq!(
            jql_bar_key(key(KeyCode::Char(' '), ctrl)),
            Some(Action::Complete)
        );
        assert_eq!(
            jql_bar_key(key(KeyCode::BackTab, none)),
            Some(Action::CompletePrev)
        );
        assert_eq!(jql_bar_key(key(KeyCode::Up, none)), Some(Action::Up));
        assert_eq!(
            jql_bar_key(key(KeyCode::Char('n'), ctrl)),
            Some(Action::Down)
        );
        assert_eq!(
            jql_bar_key(key(KeyCode::Char(' '), none)),
            None,
            "a space is typed"
        );
        assert_eq!(
            picker_key(key(KeyCode::Char('j'), none)),
            Some(Action::Input(InputEdit::Insert('j'))),
            "typing narrows the picker"
        );
        assert_eq!(picker_key(key(KeyCode::Down, none)), Some(Action::Down));
        let keymap = Keymap::default();
        assert_eq!(
            keymap.resolve(Pane::Results, key(KeyCode::Char('f'), none)),
            Some(Action::OpenFilters)
        );
        assert_eq!(
            keymap.resolve(Pane::Issue, key(KeyCode::Char('4'), none)),
            Some(Action::FilterUnassigned)
        );
    }

    #[test]
    fn readline_keys_map_to_edits() {
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(
            text_edit(key(KeyCode::Char('w'), ctrl)),
            Some(InputEdit::DeleteWordBack)
        );
        assert_eq!(
            text_edit(key(KeyCode::Char('b'), KeyModifiers::ALT)),
            Some(InputEdit::WordLeft)
        );
        assert_eq!(
            text_edit(key(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(InputEdit::Insert('x'))
        );
        assert_eq!(
            text_edit(key(KeyCode::Enter, KeyModifiers::NONE)),
            Some(InputEdit::Submit)
        );
    }
}
