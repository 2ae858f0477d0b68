//! Navigation between issues: the back/forward history of opened issues (with where
//! each was scrolled to), the related-issue highlight's helpers, and the jump-to-key
//! prompt. Plain data; `app::update::nav` drives it.

use super::TextInput;
use super::issue::IssueTab;

/// Entries kept in each direction; older ones fall off.
pub const MAX_HISTORY: usize = 100;

/// An issue as it was left: enough to come back to the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    pub key: String,
    pub scroll: usize,
    pub tab: IssueTab,
}

/// Back and forward stacks, like a browser's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NavHistory {
    back: Vec<NavEntry>,
    forward: Vec<NavEntry>,
}

impl NavHistory {
    /// Records `current` before a new issue opens; the forward stack is dropped.
    pub fn visit(&mut self, current: NavEntry) {
        self.forward.clear();
        push_capped(&mut self.back, current);
    }

    /// The issue to go back to, recording `current` for forward.
    pub fn back(&mut self, current: Option<NavEntry>) -> Option<NavEntry> {
        let target = self.back.pop()?;
        if let Some(current) = current {
            push_capped(&mut self.forward, current);
        }
        Some(target)
    }

    /// The issue to go forward to, recording `current` for back.
    pub fn forward(&mut self, current: Option<NavEntry>) -> Option<NavEntry> {
        let target = self.forward.pop()?;
        if let Some(current) = current {
            push_capped(&mut self.back, current);
        }
        Some(target)
    }

    pub fn can_go_back(&self) -> bool {
        !self.back.is_empty()
    }

    pub fn can_go_forward(&self) -> bool {
        !self.forward.is_empty()
    }

    /// Keys behind and ahead, nearest last, for tests and the pane title.
    pub fn depth(&self) -> (usize, usize) {
        (self.back.len(), self.forward.len())
    }
}

fn push_capped(stack: &mut Vec<NavEntry>, entry: NavEntry) {
    if stack.last() == Some(&entry) {
        return;
    }
    stack.push(entry);
    if stack.len() > MAX_HISTORY {
        stack.remove(0);
    }
}

/// The "go to issue" prompt while it is open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JumpPrompt {
    pub input: TextInput,
    /// Why the last submitted text was refused, shown under the prompt.
    pub error: Option<String>,
}

/// An issue key typed by a user, upper-cased and checked locally: a project key (a
/// letter, then letters, digits or `_`) and a positive number, as in `PROJ-123`.
pub fn parse_issue_key(text: &str) -> Result<String, String> {
    let key = text.trim().to_ascii_uppercase();
    let invalid = || format!("\"{}\" is not an issue key: expected PROJ-123", text.trim());
    let (project, number) = key.rsplit_once('-').ok_or_else(invalid)?;
    let mut chars = project.chars();
    let project_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let number_ok = !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && !number.starts_with('0')
        && number.parse::<u64>().is_ok();
    if project_ok && number_ok {
        Ok(key)
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, scroll: usize) -> NavEntry {
        NavEntry {
            key: key.into(),
            scroll,
            tab: IssueTab::Details,
        }
    }

    #[test]
    fn back_and_forward_round_trip() {
        let mut nav = NavHistory::default();
        nav.visit(entry("A-1", 3));
        nav.visit(entry("A-2", 0));
        // Now on A-3.
        assert_eq!(nav.back(Some(entry("A-3", 7))), Some(entry("A-2", 0)));
        assert_eq!(nav.back(Some(entry("A-2", 1))), Some(entry("A-1", 3)));
        assert_eq!(nav.back(Some(entry("A-1", 3))), None);
        assert_eq!(nav.depth(), (0, 2));
        assert_eq!(nav.forward(Some(entry("A-1", 4))), Some(entry("A-2", 1)));
        assert_eq!(nav.forward(Some(entry("A-2", 1))), Some(entry("A-3", 7)));
        assert!(!nav.can_go_forward());
        // A new visit drops what was ahead.
        nav.back(Some(entry("A-3", 7)));
        nav.visit(entry("A-2", 1));
        assert!(!nav.can_go_forward());
    }

    #[test]
    fn history_is_capped() {
        let mut nav = NavHistory::default();
        for i in 0..MAX_HISTORY + 10 {
            nav.visit(entry(&format!("A-{}", i + 1), 0));
        }
        assert_eq!(nav.depth().0, MAX_HISTORY);
    }

    #[test]
    fn issue_keys_are_checked_locally() {
        assert_eq!(parse_issue_key(" nav-12 "), Ok("NAV-12".into()));
        assert_eq!(parse_issue_key("A1_B-7"), Ok("A1_B-7".into()));
        for bad in [
            "", "NAV", "NAV-", "-12", "12-12", "NAV-0", "NAV-012", "NAV-1x", "N V-1", "NÄV-1",
        ] {
            assert!(parse_issue_key(bad).is_err(), "{bad:?}");
        }
        assert!(
            parse_issue_key("nav 12")
                .unwrap_err()
                .contains("expected PROJ-123")
        );
    }
}
