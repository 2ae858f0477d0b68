//! The owner of state and the event loop (Elm shape): terminal events and Jira answers
//! come in, `update` turns them into state changes and effects, the frame is drawn once
//! per batch of changes. Idle means no timer and no redraw.

pub mod action;
pub mod effect;
pub mod update;

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::{Interval, MissedTickBehavior};

use self::action::{Action, InputEdit};
use self::effect::Effect;
use crate::config::keymap::{Keymap, text_edit};
use crate::jira::client::JiraClient;
use crate::jira::worker::{JiraEvent, Worker};
use crate::state::{Pane, State};
use crate::ui::{self, Theme};

/// How often the spinner advances while something loads.
const SPINNER_INTERVAL: Duration = Duration::from_millis(100);

#[derive(Debug)]
pub struct App {
    pub state: State,
    pub keymap: Keymap,
    pub theme: Theme,
    worker: Worker,
    jira_events: mpsc::UnboundedReceiver<JiraEvent>,
    quit: bool,
}

impl App {
    pub fn new(client: JiraClient, site: impl Into<String>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut state = State::new(site);
        state.read_only = client.is_read_only();
        Self {
            state,
            keymap: Keymap::default(),
            theme: Theme::from_env(),
            worker: Worker::new(client, tx),
            jira_events: rx,
            quit: false,
        }
    }

    /// Sends the first requests: who am I, the projects, and `jql`.
    pub fn start(&mut self, jql: &str) {
        let effects = update::init(&mut self.state, jql);
        self.run_effects(effects);
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Jira(cmd) => self.worker.send(cmd),
                Effect::Quit => self.quit = true,
            }
        }
    }

    pub fn dispatch(&mut self, action: Action) {
        let effects = update::update(&mut self.state, action);
        self.run_effects(effects);
    }

    pub fn on_jira(&mut self, event: JiraEvent) {
        let effects = update::on_jira(&mut self.state, event);
        self.run_effects(effects);
    }

    /// Translates a terminal event into an action for the current mode and focus.
    pub fn action_for(&self, event: &Event) -> Option<Action> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.action_for_key(*key),
            Event::Paste(text) => Some(Action::Paste(text.clone())),
            Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
            Event::Mouse(m) => match m.kind {
                MouseEventKind::Down(_) => Some(Action::Click(m.column, m.row)),
                MouseEventKind::ScrollUp => Some(Action::Scroll(m.column, m.row, -1)),
                MouseEventKind::ScrollDown => Some(Action::Scroll(m.column, m.row, 1)),
                _ => None,
            },
            _ => None,
        }
    }

    fn action_for_key(&self, key: KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        if self.state.jql_bar.is_some() {
            return text_edit(key).map(Action::Input);
        }
        if self.state.show_help {
            return match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::F(1) => {
                    Some(Action::Back)
                }
                _ => None,
            };
        }
        let bound = self.keymap.resolve(self.state.focus, key);
        if self.state.focus == Pane::Projects {
            // Type-to-filter: while the filter is empty, keys bound to commands stay
            // commands (j, k, q, /, ?); once it has text, every printable key types.
            let filtering = !self.state.projects.filter.is_empty();
            match key.code {
                KeyCode::Char(c)
                    if !ctrl
                        && !key.modifiers.contains(KeyModifiers::ALT)
                        && (filtering || bound.is_none()) =>
                {
                    return Some(Action::Input(InputEdit::Insert(c)));
                }
                KeyCode::Backspace if filtering => {
                    return Some(Action::Input(InputEdit::Backspace));
                }
                _ => {}
            }
        }
        bound
    }

    /// Feeds one terminal event through the app; false when it meant nothing here
    /// (a mouse move, an unbound key), so there is nothing to redraw.
    pub fn handle_event(&mut self, event: &Event) -> bool {
        match self.action_for(event) {
            Some(action) => {
                self.dispatch(action);
                true
            }
            None => false,
        }
    }

    /// Waits for the next Jira answer (tests and the loop use this).
    pub async fn next_jira_event(&mut self) -> Option<JiraEvent> {
        self.jira_events.recv().await
    }

    /// Applies Jira answers until nothing is in flight. For tests and scripts.
    pub async fn settle(&mut self) {
        while self.state.is_busy() {
            match self.jira_events.recv().await {
                Some(event) => self.on_jira(event),
                None => break,
            }
        }
    }

    /// Draws the current state.
    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        terminal.draw(|frame| ui::render(frame, &self.state, &self.theme, &self.keymap))?;
        Ok(())
    }

    /// The event loop: runs until the user quits or the terminal event stream ends.
    pub async fn run<B: Backend>(
        mut self,
        terminal: &mut Terminal<B>,
        mut events: mpsc::UnboundedReceiver<Event>,
    ) -> Result<(), B::Error> {
        let size = terminal.size()?;
        self.state.size = (size.width, size.height);
        let mut ticker: Option<Interval> = None;
        let mut dirty = true;
        loop {
            if dirty {
                self.draw(terminal)?;
                dirty = false;
            }
            if self.quit {
                break;
            }
            // The spinner's timer exists only while something loads: idle costs nothing.
            match (self.state.is_busy(), ticker.is_some()) {
                (true, false) => {
                    let mut t = tokio::time::interval(SPINNER_INTERVAL);
                    t.set_missed_tick_behavior(MissedTickBehavior::Skip);
                    ticker = Some(t);
                }
                (false, true) => ticker = None,
                _ => {}
            }
            tokio::select! {
                event = events.recv() => match event {
                    Some(event) => dirty |= self.handle_event(&event),
                    None => break,
                },
                Some(event) = self.jira_events.recv() => {
                    self.on_jira(event);
                    dirty = true;
                }
                () = tick(&mut ticker) => {
                    self.dispatch(Action::Tick);
                    dirty = true;
                }
            }
            // Drain whatever else is queued, then draw once.
            while let Ok(event) = events.try_recv() {
                dirty |= self.handle_event(&event);
            }
            while let Ok(event) = self.jira_events.try_recv() {
                self.on_jira(event);
                dirty = true;
            }
        }
        self.worker.shutdown();
        Ok(())
    }
}

async fn tick(ticker: &mut Option<Interval>) {
    match ticker {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Forwards the terminal's events to the app on a channel, from a task of its own, so
/// the loop never blocks on the terminal.
pub fn spawn_terminal_events() -> mpsc::UnboundedReceiver<Event> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut stream = crossterm::event::EventStream::new();
        while let Some(event) = stream.next().await {
            match event {
                Ok(
                    event @ (Event::Key(_) | Event::Paste(_) | Event::Mouse(_) | Event::Resize(..)),
                ) => {
                    if tx.send(event).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "terminal input failed");
                    break;
                }
            }
        }
    });
    rx
}
