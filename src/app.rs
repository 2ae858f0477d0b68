//! The owner of state and the event loop (Elm shape): terminal events and Jira answers
//! come in, `update` turns them into state changes and effects, the frame is drawn once
//! per batch of changes. Idle means no timer and no redraw.

pub mod action;
pub mod desktop;
pub mod effect;
pub mod history_file;
pub mod update;

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::mem::{Discriminant, discriminant};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::Rect;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Interval, MissedTickBehavior};

use self::action::{Action, InputEdit};
use self::desktop::{Desktop, SystemDesktop};
use self::effect::Effect;
use crate::cache::{self, CachedView};
use crate::config::keymap::{KeyBinding, Keymap, jql_bar_key, picker_key, text_edit};
use crate::crash::DebugPanic;
use crate::jira::client::JiraClient;
use crate::jira::worker::{JiraEvent, JiraProgress, RequestId, Worker};
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
    /// Retries in progress, reported before the request's final answer.
    jira_progress: mpsc::UnboundedReceiver<JiraProgress>,
    /// Opens links and copies; tests swap in a recorder.
    desktop: Box<dyn Desktop>,
    /// Failures the desktop reports after the fact (an opener that gave up).
    desktop_errors: mpsc::UnboundedReceiver<String>,
    quit: bool,
    /// Timers (`Effect::Debounce`) report here with their id.
    timer_tx: mpsc::UnboundedSender<(RequestId, Action)>,
    timers: mpsc::UnboundedReceiver<(RequestId, Action)>,
    /// The pending debounce timer of each kind of action; a newer one of the same kind
    /// aborts it (typing in the JQL bar does not cancel the results' prefetch timer).
    debounce: HashMap<Discriminant<Action>, (RequestId, JoinHandle<()>)>,
    /// Where the JQL history is kept, when it is kept at all.
    history_path: Option<PathBuf>,
    /// The latest history write; each write waits for the one before, so they land in
    /// order.
    history_write: Option<JoinHandle<()>>,
    /// Where this profile's last view is kept, and the site it must belong to.
    view_cache: Option<(PathBuf, String)>,
    /// The latest view write; like history writes, each waits for the one before.
    view_write: Option<JoinHandle<()>>,
    /// The hidden crash-safety test hook (`JTUI_DEBUG_PANIC_AFTER_FRAME`); `None` for users.
    pub debug_panic: Option<DebugPanic>,
    /// Where drafts of descriptions and comments are kept, when they are kept at all.
    drafts: Option<crate::drafts::DraftStore>,
    /// The latest draft write or delete; each waits for the one before, so they land
    /// in order (a delete after a save of the same draft stays deleted).
    draft_write: Option<JoinHandle<()>>,
    /// `Effect::Timer`s that have not fired yet (`step` waits for them).
    timers_pending: usize,
    /// An `Effect::ExternalEditor` waiting for the loop to step aside: (text, suffix).
    external: Option<(String, String)>,
    /// The editor command for Ctrl-E; `None` uses `$VISUAL`, `$EDITOR`, then `vi`.
    editor_command: Option<String>,
}

/// A signal from the operating system, as the loop sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessSignal {
    /// SIGTERM, SIGHUP or SIGINT (named for the log): quit the normal way, so the terminal
    /// is given back.
    Terminate(&'static str),
    /// SIGCONT after something else stopped us: take the terminal again and redraw.
    Continued,
}

/// What the loop needs from the process around it besides a terminal to draw on: its
/// signals, and a way to step aside on Ctrl-Z. `terminal::TtyHost` is the real one.
pub trait Host {
    /// Waits for the next signal.
    fn signal(&mut self) -> impl Future<Output = ProcessSignal> + Send;
    /// Gives the terminal back, stops the process until the shell continues it, and takes
    /// the terminal again.
    fn suspend(&mut self) -> io::Result<()>;
    /// Takes the terminal again after someone else stopped and continued the process.
    fn resume(&mut self) -> io::Result<()>;
    /// Gives the terminal back, runs `f` off the async runtime (an editor the user
    /// works in), and takes the terminal again. Without a terminal it just runs `f`.
    fn outside<R: Send + 'static>(
        &mut self,
        f: impl FnOnce() -> R + Send + 'static,
    ) -> impl Future<Output = io::Result<R>> + Send {
        async move {
            tokio::task::spawn_blocking(f)
                .await
                .map_err(|e| io::Error::other(e.to_string()))
        }
    }
}

/// A `Host` with no terminal and no signals, for tests and scripts: `outside` just
/// runs the closure.
#[derive(Debug, Default)]
pub struct NoHost;

impl Host for NoHost {
    async fn signal(&mut self) -> ProcessSignal {
        std::future::pending().await
    }
    fn suspend(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn resume(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl App {
    pub fn new(client: JiraClient, site: impl Into<String>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let (progress_tx, progress_rx) = mpsc::unbounded_channel();
        let (timer_tx, timers) = mpsc::unbounded_channel();
        let (desktop_tx, desktop_rx) = mpsc::unbounded_channel();
        let mut state = State::new(site);
        state.site_url = Some(client.site_url().clone());
        state.read_only = client.is_read_only();
        Self {
            state,
            keymap: Keymap::default(),
            theme: Theme::from_env(),
            worker: Worker::new(client, tx).with_progress(progress_tx),
            jira_events: rx,
            jira_progress: progress_rx,
            desktop: Box::new(SystemDesktop::new(desktop_tx)),
            desktop_errors: desktop_rx,
            quit: false,
            timer_tx,
            timers,
            debounce: HashMap::new(),
            history_path: None,
            history_write: None,
            view_cache: None,
            view_write: None,
            debug_panic: None,
            drafts: None,
            draft_write: None,
            timers_pending: 0,
            external: None,
            editor_command: None,
        }
    }

    /// Keeps drafts of descriptions, comments and create forms in `store` and loads the
    /// ones there, so their editors offer them back and the status line mentions them at
    /// start.
    pub fn with_drafts(mut self, store: crate::drafts::DraftStore) -> Self {
        for draft in store.list() {
            let slot = crate::state::edit::draft_slot(&draft);
            self.state.edit.drafts.insert(slot, draft);
        }
        self.drafts = Some(store);
        self
    }

    /// Keeps the JQL history of `profile` under `dir` (see [`history_file`]) and loads
    /// what is there. A history that cannot be read starts empty (and says why in the
    /// log); jtui works without it.
    pub fn with_history(mut self, dir: impl AsRef<Path>, profile: &str) -> Self {
        let path = history_file::path(dir.as_ref(), profile);
        match history_file::load(&path) {
            Ok(history) => self.state.history = history,
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "could not read the JQL history")
            }
        }
        self.history_path = Some(path);
        self
    }

    /// Keeps the last view of `profile` under `dir` (see [`cache`]) and shows what is
    /// there now, marked stale, for the first frame. `site` names where the data comes
    /// from; a view of another site is ignored, like a corrupt or old one (and the log
    /// says why). Call before [`App::start`], which revalidates what was restored.
    pub fn with_view_cache(mut self, dir: impl AsRef<Path>, profile: &str, site: &str) -> Self {
        let path = cache::path(dir.as_ref(), profile);
        let started = std::time::Instant::now();
        match cache::load(&path, site) {
            Ok(Some(view)) => {
                view.apply(&mut self.state);
                tracing::debug!(elapsed = ?started.elapsed(), "view cache restored");
            }
            Ok(None) => {}
            Err(e) => tracing::info!(error = %e, "view cache ignored"),
        }
        self.view_cache = Some((path, site.to_owned()));
        self
    }

    /// The query of the view restored from the cache, if one was.
    pub fn cached_jql(&self) -> Option<&str> {
        self.state
            .stale
            .results
            .then_some(self.state.search.jql.as_str())
    }

    /// The command Ctrl-E runs instead of `$VISUAL` / `$EDITOR` (config, tests).
    pub fn set_editor_command(&mut self, command: Option<String>) {
        self.editor_command = command;
    }

    /// Runs the external editor asked for, if any, through `host` (which gives the
    /// terminal up meanwhile), and hands its text back to the rich editor. True when
    /// one ran.
    pub async fn run_external_editor<H: Host>(&mut self, host: &mut H) -> bool {
        let Some((text, suffix)) = self.external.take() else {
            return false;
        };
        let command = self.editor_command.clone();
        let result = host
            .outside(move || {
                crate::external_editor::edit_externally(&text, &suffix, command.as_deref())
                    .map_err(|e| e.to_string())
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
        self.dispatch(Action::ExternalEdited(result));
        true
    }

    /// Replaces what carries out `Effect::OpenBrowser` and `Effect::Copy`.
    pub fn set_desktop(&mut self, desktop: Box<dyn Desktop>) {
        self.desktop = desktop;
    }

    /// Sends the first requests: who am I, the projects, and `jql`.
    pub fn start(&mut self, jql: &str) {
        let effects = update::init(&mut self.state, jql);
        self.run_effects(effects);
        // After `init`, which clears the message line for its search.
        if let Some(notice) = update::edit::rich::drafts_notice(&self.state) {
            self.state.info(notice);
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Jira(cmd) => {
                    if !cmd.request.is_read()
                        && let Some(prefetch) = update::prefetch::on_write(&mut self.state)
                    {
                        self.worker.cancel(prefetch);
                    }
                    self.worker.send(cmd);
                }
                Effect::Quit => self.quit = true,
                Effect::Debounce { id, delay, action } => self.debounce(id, delay, action),
                Effect::SaveHistory(entries) => self.save_history(entries),
                Effect::OpenBrowser(url) => {
                    if let Err(e) = self.desktop.open_url(&url) {
                        self.state.error(e);
                    }
                }
                Effect::Copy(text) => {
                    if let Err(e) = self.desktop.copy(&text) {
                        self.state.error(e);
                    }
                }
                Effect::CancelJira(id) => self.worker.cancel(id),
                Effect::SaveView => self.save_view(),
                Effect::Timer { delay, action } => {
                    self.timers_pending += 1;
                    let tx = self.timer_tx.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        // No debounce has id 0 (ids start at 1): `on_timer` just
                        // dispatches it.
                        let _ = tx.send((0, action));
                    });
                }
                Effect::ExternalEditor { text, suffix } => self.external = Some((text, suffix)),
                Effect::SaveDraft(mut draft) => {
                    draft.saved_at = chrono::Utc::now();
                    self.draft_io(move |store| store.save(&draft));
                }
                Effect::DeleteDraft { issue_key, target } => {
                    self.draft_io(move |store| store.delete(&issue_key, &target));
                }
            }
        }
    }

    fn debounce(&mut self, id: RequestId, delay: Duration, action: Action) {
        let kind = discriminant(&action);
        if let Some((_, older)) = self.debounce.remove(&kind) {
            older.abort();
        }
        let tx = self.timer_tx.clone();
        let timer = tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            // The receiver is gone only when the app is shutting down.
            let _ = tx.send((id, action));
        });
        self.debounce.insert(kind, (id, timer));
    }

    fn on_timer(&mut self, id: RequestId, action: Action) {
        let kind = discriminant(&action);
        if id == 0 {
            self.timers_pending = self.timers_pending.saturating_sub(1);
        }
        if self
            .debounce
            .get(&kind)
            .is_some_and(|(pending, _)| *pending == id)
        {
            self.debounce.remove(&kind);
        }
        // A timer that fired just before it was replaced still arrives; `update`
        // knows it is stale.
        self.dispatch(action);
    }

    fn save_history(&mut self, entries: Vec<String>) {
        let Some(path) = self.history_path.clone() else {
            return;
        };
        let previous = self.history_write.take();
        self.history_write = Some(tokio::spawn(async move {
            if let Some(previous) = previous {
                let _ = previous.await;
            }
            let written =
                tokio::task::spawn_blocking(move || history_file::save(&path, &entries)).await;
            match written {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "could not save the JQL history"),
                Err(e) => tracing::warn!(error = %e, "the JQL history writer failed"),
            }
        }));
    }

    /// Runs a draft store operation off the UI path, after the one before.
    fn draft_io(
        &mut self,
        op: impl FnOnce(&crate::drafts::DraftStore) -> Result<(), crate::drafts::DraftError>
        + Send
        + 'static,
    ) {
        let Some(store) = self.drafts.clone() else {
            return;
        };
        let previous = self.draft_write.take();
        self.draft_write = Some(tokio::spawn(async move {
            if let Some(previous) = previous {
                let _ = previous.await;
            }
            match tokio::task::spawn_blocking(move || op(&store)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "could not keep the draft"),
                Err(e) => tracing::warn!(error = %e, "the draft writer failed"),
            }
        }));
    }

    /// Waits for the last draft write, so a draft is on disk before jtui exits.
    pub async fn flush_drafts(&mut self) {
        if let Some(write) = self.draft_write.take() {
            let _ = write.await;
        }
    }

    /// Waits for the last history write, so nothing typed is lost on the way out.
    async fn flush_history(&mut self) {
        if let Some(write) = self.history_write.take() {
            let _ = write.await;
        }
    }

    /// Writes the current view to the cache off the UI path: capturing it clones at
    /// most a page or two of rows and the open issue; encoding and the file are the
    /// blocking pool's.
    fn save_view(&mut self) {
        let Some((path, site)) = self.view_cache.clone() else {
            return;
        };
        let view = CachedView::capture(&self.state, &site);
        let previous = self.view_write.take();
        self.view_write = Some(tokio::spawn(async move {
            if let Some(previous) = previous {
                let _ = previous.await;
            }
            let written = tokio::task::spawn_blocking(move || cache::save(&path, view)).await;
            match written {
                Ok(Ok(bytes)) => tracing::debug!(bytes, "view cache written"),
                Ok(Err(e)) => tracing::info!(error = %e, "view cache not written"),
                Err(e) => tracing::warn!(error = %e, "the view cache writer failed"),
            }
        }));
    }

    /// Waits for the last view write.
    async fn flush_view(&mut self) {
        if let Some(write) = self.view_write.take() {
            let _ = write.await;
        }
    }

    /// Timers that `settle` waits for: all but the prefetch's, which only makes a later
    /// Enter faster and changes nothing on screen.
    fn visible_timers_pending(&self) -> bool {
        let prefetch = discriminant(&Action::PrefetchDue(0));
        self.debounce.keys().any(|kind| *kind != prefetch)
    }

    pub fn dispatch(&mut self, action: Action) {
        let effects = update::update(&mut self.state, action);
        self.run_effects(effects);
    }

    pub fn on_jira(&mut self, event: JiraEvent) {
        // A request reports its retries before its answer; apply them in that order.
        self.drain_progress();
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
        // An editor reads every key itself, Ctrl-C included (it cancels there, rather
        // than quitting with the user's text in it).
        if self.state.edit.is_open() {
            return Some(Action::EditorKey(KeyBinding::from_event(key)));
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        if self.state.filters.open {
            return picker_key(key);
        }
        if self.state.jql_bar.is_some() {
            return jql_bar_key(key).or_else(|| text_edit(key).map(Action::Input));
        }
        if self.state.jump.is_some() {
            return text_edit(key).map(Action::Input);
        }
        if self.state.show_help {
            return match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::F(1) => {
                    Some(Action::Back)
                }
                // The help may be taller than the screen: the moving keys scroll it.
                _ => self.keymap.resolve(self.state.focus, key).filter(|a| {
                    matches!(
                        a,
                        Action::Up
                            | Action::Down
                            | Action::PageUp
                            | Action::PageDown
                            | Action::Top
                            | Action::Bottom
                    )
                }),
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

    fn drain_progress(&mut self) -> bool {
        let mut any = false;
        while let Ok(progress) = self.jira_progress.try_recv() {
            update::network::on_progress(&mut self.state, progress);
            any = true;
        }
        any
    }

    /// Waits for the next Jira answer (tests and the loop use this).
    pub async fn next_jira_event(&mut self) -> Option<JiraEvent> {
        self.jira_events.recv().await
    }

    /// Applies the next thing that comes in: a Jira answer, a retry notice or a timer.
    /// False when nothing is in flight or pending any more. For tests that look at the
    /// screen between steps (a retry in progress, say).
    pub async fn step(&mut self) -> bool {
        if !self.state.is_busy() && !self.visible_timers_pending() && self.timers_pending == 0 {
            return false;
        }
        tokio::select! {
            Some(event) = self.jira_events.recv() => self.on_jira(event),
            Some(progress) = self.jira_progress.recv() => {
                update::network::on_progress(&mut self.state, progress);
            }
            Some((id, action)) = self.timers.recv() => self.on_timer(id, action),
            else => return false,
        }
        true
    }

    /// Applies Jira answers and timers until nothing is in flight or pending, and
    /// waits for the history and view files to be written. For tests and scripts. A
    /// prefetch is not waited for (see [`App::settle_prefetch`]).
    pub async fn settle(&mut self) {
        while self.step().await {}
        self.flush_history().await;
        self.flush_drafts().await;
        self.flush_view().await;
    }

    /// Like [`App::settle`], and also waits for the prefetch timer and the prefetch it
    /// sends. For tests.
    pub async fn settle_prefetch(&mut self) {
        loop {
            self.settle().await;
            if self.debounce.is_empty() && self.state.prefetch.request.is_none() {
                break;
            }
            tokio::select! {
                Some(event) = self.jira_events.recv() => self.on_jira(event),
                Some(progress) = self.jira_progress.recv() => {
                    update::network::on_progress(&mut self.state, progress);
                }
                Some((id, action)) = self.timers.recv() => self.on_timer(id, action),
                else => break,
            }
        }
    }

    /// Draws the current state.
    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        terminal.draw(|frame| ui::render(frame, &self.state, &self.theme, &self.keymap))?;
        Ok(())
    }

    /// The event loop: runs until the user quits, a signal ends the session, or the
    /// terminal event stream ends.
    pub async fn run<B: Backend, H: Host>(
        mut self,
        terminal: &mut Terminal<B>,
        mut events: mpsc::UnboundedReceiver<Event>,
        mut host: H,
    ) -> Result<(), B::Error> {
        let size = terminal.size()?;
        self.state.size = (size.width, size.height);
        let mut ticker: Option<Interval> = None;
        let mut dirty = true;
        loop {
            // Leave before drawing: after SIGHUP there may be no terminal to draw on.
            if self.quit {
                break;
            }
            if dirty {
                // Drawing reads no clock: relative dates are relative to this.
                self.state.now = Some(chrono::Utc::now());
                self.draw(terminal)?;
                dirty = false;
                if let Some(debug_panic) = self.debug_panic {
                    debug_panic.after_frame(&self.state);
                }
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
                    Some(event) => {
                        // A key may resolve a relative date (`+3d`): against today, not
                        // the day of the last frame.
                        self.state.now = Some(chrono::Utc::now());
                        dirty |= self.on_terminal_event(&event, terminal, &mut host)?;
                    }
                    None => break,
                },
                Some(event) = self.jira_events.recv() => {
                    self.on_jira(event);
                    dirty = true;
                }
                Some(progress) = self.jira_progress.recv() => {
                    update::network::on_progress(&mut self.state, progress);
                    dirty = true;
                }
                Some((id, action)) = self.timers.recv() => {
                    self.on_timer(id, action);
                    dirty = true;
                }
                () = tick(&mut ticker) => {
                    self.dispatch(Action::Tick);
                    dirty = true;
                }
                Some(message) = self.desktop_errors.recv() => {
                    self.state.error(message);
                    dirty = true;
                }
                signal = host.signal() => match signal {
                    ProcessSignal::Terminate(name) => {
                        tracing::info!(signal = name, "quitting on a signal");
                        // Straight out, like Effect::Quit: no question can be answered now.
                        self.quit = true;
                    }
                    ProcessSignal::Continued => {
                        if let Err(e) = host.resume() {
                            tracing::error!(error = %e, "could not take the terminal back");
                            self.quit = true;
                        }
                        self.redraw_all(terminal)?;
                        dirty = true;
                    }
                },
            }
            // Drain whatever else is queued, then draw once.
            while let Ok(event) = events.try_recv() {
                dirty |= self.on_terminal_event(&event, terminal, &mut host)?;
            }
            while let Ok(event) = self.jira_events.try_recv() {
                self.on_jira(event);
                dirty = true;
            }
            dirty |= self.drain_progress();
            if self.run_external_editor(&mut host).await {
                self.redraw_all(terminal)?;
                dirty = true;
            }
        }
        self.worker.shutdown();
        for (_, (_, timer)) in self.debounce.drain() {
            timer.abort();
        }
        // The view as the user left it, for the next start.
        self.save_view();
        self.flush_history().await;
        self.flush_view().await;
        self.flush_drafts().await;
        Ok(())
    }

    /// `handle_event`, except for Ctrl-Z, which suspends in every mode, as in any
    /// terminal program; true when there is something new to draw.
    fn on_terminal_event<B: Backend, H: Host>(
        &mut self,
        event: &Event,
        terminal: &mut Terminal<B>,
        host: &mut H,
    ) -> Result<bool, B::Error> {
        if !is_suspend_key(event) {
            return Ok(self.handle_event(event));
        }
        if let Err(e) = host.suspend() {
            tracing::error!(error = %e, "could not take the terminal back after Ctrl-Z");
            self.quit = true;
        }
        self.redraw_all(terminal)?;
        Ok(true)
    }

    /// Forgets what is on screen so the next frame is drawn whole. `Terminal::resize`
    /// clears without asking the terminal where its cursor is (`Terminal::clear` would,
    /// and wait for the answer); the size may have changed while we were away.
    fn redraw_all<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        let size = terminal.size()?;
        terminal.resize(Rect::new(0, 0, size.width, size.height))?;
        self.dispatch(Action::Resize(size.width, size.height));
        Ok(())
    }
}

fn is_suspend_key(event: &Event) -> bool {
    matches!(
        event,
        Event::Key(KeyEvent {
            code: KeyCode::Char('z'),
            modifiers,
            kind: KeyEventKind::Press | KeyEventKind::Repeat,
            ..
        }) if *modifiers == KeyModifiers::CONTROL
    )
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
