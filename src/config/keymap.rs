//! Keys to actions, per pane. The defaults live here as data, so the help overlay is
//! generated from the same table the app resolves keys with.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
    (Context::Global, &["g", "home"], Action::Top),
    (Context::Global, &["G", "end"], Action::Bottom),
    (Context::Global, &["enter"], Action::Select),
    (Context::Global, &["esc"], Action::Back),
    (Context::Global, &["/"], Action::OpenJql),
    (Context::Global, &["r", "f5"], Action::Refresh),
    (Context::Pane(Pane::Issue), &["backspace"], Action::Back),
    (
        Context::Pane(Pane::Issue),
        &["o"],
        Action::ToggleCommentOrder,
    ),
    (Context::Pane(Pane::Issue), &["m"], Action::MoreComments),
    // Saved and quick filters.
    (Context::Global, &["f"], Action::OpenFilters),
    (Context::Global, &["1"], Action::FilterMine),
    (Context::Global, &["2"], Action::FilterReported),
    (Context::Global, &["3"], Action::FilterRecent),
    (Context::Global, &["4"], Action::FilterUnassigned),
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
        assert_eq!(keymap.resolve(Pane::Issue, backspace), Some(Action::Back));
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
