//! Where each pane goes for a terminal size. Pure, so `update` uses it too (mouse clicks,
//! page sizes) and always agrees with what was drawn.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use crate::state::Pane;

/// Below this width the panes stack instead of standing side by side.
pub const NARROW_WIDTH: u16 = 100;
/// The projects column's width in the wide layout.
const PROJECTS_WIDTH: u16 = 26;
/// The projects pane's height in the narrow (stacked) layout.
const PROJECTS_HEIGHT_NARROW: u16 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub jql: Rect,
    pub projects: Rect,
    pub results: Rect,
    pub issue: Rect,
    pub status: Rect,
}

impl Areas {
    pub fn pane(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Projects => self.projects,
            Pane::Results => self.results,
            Pane::Issue => self.issue,
        }
    }

    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        Pane::ALL
            .into_iter()
            .find(|&p| self.pane(p).contains(Position { x, y }))
    }
}

/// Like [`areas`], with `zoom`'s pane (if any) filling everything between the JQL bar
/// and the status line; the other panes get no room at all.
pub fn areas_zoomed(width: u16, height: u16, zoom: Option<Pane>) -> Areas {
    let areas = areas(width, height);
    let Some(pane) = zoom else {
        return areas;
    };
    let main = Rect::new(
        0,
        areas.jql.bottom(),
        width,
        areas.status.y.saturating_sub(areas.jql.bottom()),
    );
    let room = |p: Pane| if p == pane { main } else { Rect::default() };
    Areas {
        projects: room(Pane::Projects),
        results: room(Pane::Results),
        issue: room(Pane::Issue),
        ..areas
    }
}

pub fn areas(width: u16, height: u16) -> Areas {
    let full = Rect::new(0, 0, width, height);
    let [jql, main, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(full);
    if width >= NARROW_WIDTH {
        let [projects, right] =
            Layout::horizontal([Constraint::Length(PROJECTS_WIDTH), Constraint::Min(0)])
                .areas(main);
        let [results, issue] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(right);
        Areas {
            jql,
            projects,
            results,
            issue,
            status,
        }
    } else {
        let [projects, results, issue] = Layout::vertical([
            Constraint::Length(PROJECTS_HEIGHT_NARROW),
            Constraint::Percentage(40),
            Constraint::Min(0),
        ])
        .areas(main);
        Areas {
            jql,
            projects,
            results,
            issue,
            status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_layout_puts_projects_left_and_tiles_the_screen() {
        let a = areas(160, 48);
        assert_eq!(a.jql, Rect::new(0, 0, 160, 1));
        assert_eq!(a.status, Rect::new(0, 47, 160, 1));
        assert_eq!(a.projects.x, 0);
        assert_eq!(a.results.x, PROJECTS_WIDTH);
        assert_eq!(a.results.bottom(), a.issue.y);
        assert_eq!(a.issue.bottom(), 47);
        assert_eq!(a.pane_at(5, 5), Some(Pane::Projects));
        assert_eq!(a.pane_at(100, 2), Some(Pane::Results));
        assert_eq!(a.pane_at(100, 40), Some(Pane::Issue));
        assert_eq!(a.pane_at(5, 0), None);
    }

    #[test]
    fn narrow_layout_stacks_panes() {
        let a = areas(80, 40);
        assert_eq!(a.projects.width, 80);
        assert_eq!(a.results.width, 80);
        assert!(a.projects.bottom() <= a.results.y);
        assert!(a.results.bottom() <= a.issue.y);
    }

    #[test]
    fn a_zoomed_pane_fills_the_screen_and_hides_the_others() {
        let a = areas_zoomed(120, 40, Some(Pane::Issue));
        assert_eq!(a.issue, Rect::new(0, 1, 120, 38));
        assert_eq!(a.results, Rect::default());
        assert_eq!(a.pane_at(5, 5), Some(Pane::Issue));
        assert_eq!(areas_zoomed(120, 40, None), areas(120, 40));
        for (w, h) in [(0, 0), (1, 1), (10, 2)] {
            let a = areas_zoomed(w, h, Some(Pane::Results));
            assert!(a.results.right() <= w && a.results.bottom() <= h);
        }
    }

    #[test]
    fn tiny_terminals_keep_every_area_on_screen() {
        for (w, h) in [(0, 0), (1, 1), (10, 3), (99, 5)] {
            let a = areas(w, h);
            for r in [a.jql, a.projects, a.results, a.issue, a.status] {
                assert!(r.right() <= w && r.bottom() <= h, "{r:?} outside {w}x{h}");
            }
        }
    }
}
