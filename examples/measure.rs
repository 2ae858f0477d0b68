//! Measures the real `jtui` binary as a user meets it: in a pseudo-terminal, against the
//! emulator (`jtui emulator --issues N [--latency D]`) on loopback. Reports, as medians
//! over several runs: exec → first frame, → first results (no cache), → cached results,
//! → an opened issue; Enter on a prefetched row → its issue on screen; key → screen; peak
//! RSS with 10,000 (and 20,000) results loaded; CPU used over 10 s idle.
//!
//! Every time is taken on the reader thread the moment the bytes that complete a
//! condition arrive from the pty, so polling never adds to a figure. Each run gets its
//! own temporary home (config, cache and state dirs), and the session comes from the
//! environment (`JIRA_BASE_URL`…), as in CI, so no keyring is involved.
//!
//! ```sh
//! scripts/measure.sh                 # builds release, runs with and without latency
//! cargo run --release --example measure -- --bin target/release/jtui --latency 150ms
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use regex::Regex;

/// The terminal size every run uses (the benchmark's frame size).
const COLS: u16 = 200;
const ROWS: u16 = 60;
const COLS_NZ: NonZeroU16 = nonzero(COLS);
const ROWS_NZ: NonZeroU16 = nonzero(ROWS);

const fn nonzero(n: u16) -> NonZeroU16 {
    match NonZeroU16::new(n) {
        Some(n) => n,
        None => panic!("a terminal has at least one row and column"),
    }
}
/// Longest wait for any one condition before the run is declared failed.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Longest wait for all 20,000 results to load (page by page, following End).
const LOAD_ALL_TIMEOUT: Duration = Duration::from_secs(600);
/// How often the main thread looks at what the reader recorded.
const POLL: Duration = Duration::from_millis(2);
/// Quiet time after which the app is taken as settled (prefetch dwell + a round trip).
const SETTLE: Duration = Duration::from_millis(600);
/// Output chunks closer than this belong to the same frame.
const FRAME_GAP: Duration = Duration::from_millis(3);
/// Key presses timed per run for key → screen.
const KEY_SAMPLES: usize = 15;
/// The idle window for CPU use.
const IDLE_WINDOW: Duration = Duration::from_secs(10);
/// How often the results count is read while every page loads (memory run).
const LOAD_POLL: Duration = Duration::from_millis(20);
/// One read from the pty.
const READ_BUFFER_BYTES: usize = 64 * 1024;
/// Clock ticks per second of `/proc/<pid>/stat` times on Linux.
const USER_HZ: f64 = 100.0;
/// Loaded results at which peak memory is read.
const RSS_AT_ROWS: usize = 10_000;
/// Shown in the issue pane once an issue's detail is in.
const ISSUE_OPENED_MARK: &str = "Description";
/// Every issue (Jira refuses a query without a restriction).
const ALL_ISSUES_JQL: &str = "project is not EMPTY ORDER BY updated DESC";

fn main() {
    let opts = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("measure: {e}");
            eprintln!(
                "usage: measure [--bin PATH] [--issues N] [--latency 150ms] [--runs N] [--no-memory]"
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&opts) {
        eprintln!("measure: {e}");
        std::process::exit(1);
    }
}

struct Options {
    bin: PathBuf,
    issues: usize,
    latency: Option<String>,
    runs: usize,
    memory: bool,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let target =
            std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| "target".into(), PathBuf::from);
        let mut opts = Options {
            bin: target.join("release").join("jtui"),
            issues: 20_000,
            latency: None,
            runs: 7,
            memory: true,
        };
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--bin" => opts.bin = PathBuf::from(value()?),
                "--issues" => {
                    opts.issues = value()?.parse().map_err(|e| format!("--issues: {e}"))?
                }
                "--latency" => opts.latency = Some(value()?),
                "--runs" => opts.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
                "--no-memory" => opts.memory = false,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        if !opts.bin.exists() {
            return Err(format!(
                "{} does not exist: build it with `cargo build --release`",
                opts.bin.display()
            ));
        }
        Ok(opts)
    }
}

/// `jtui emulator` in the background, killed when dropped.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    fn start(opts: &Options) -> Result<Self, String> {
        let mut cmd = Command::new(&opts.bin);
        cmd.args(["emulator", "--issues", &opts.issues.to_string()]);
        if let Some(latency) = &opts.latency {
            cmd.args(["--latency", latency]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the emulator: {e}"))?;
        let stdout = child.stdout.take().ok_or("emulator has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(at) = line.find("http://") {
                        break line[at..].trim().to_owned();
                    }
                }
                _ => return Err("the emulator ended before saying where it listens".into()),
            }
        };
        // Keep reading so the pipe never fills.
        thread::spawn(move || for _ in lines {});
        Ok(Emulator { child, url })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the reader thread saw: the screen, and when each chunk arrived.
struct Seen {
    parser: vt100::Parser,
    /// Arrival time of every chunk of output.
    chunks: Vec<Instant>,
    /// Conditions being watched, and when each first held.
    watches: Vec<Watch>,
    closed: bool,
}

type Predicate = Box<dyn Fn(&str) -> bool + Send>;

struct Watch {
    name: &'static str,
    holds: Predicate,
    hit: Option<Instant>,
}

/// One `jtui` in a pty, with its own home.
struct Session {
    seen: Arc<Mutex<Seen>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    exec_at: Instant,
    pid: u32,
}

fn lock(seen: &Mutex<Seen>) -> MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|p| p.into_inner())
}

impl Session {
    fn start(
        opts: &Options,
        emulator: &Emulator,
        home: &Path,
        args: &[&str],
    ) -> Result<Self, String> {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| format!("openpty: {e}"))?;
        let mut cmd = CommandBuilder::new(&opts.bin);
        cmd.args(args);
        cmd.env_clear();
        for (var, sub) in [
            ("HOME", "home"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_DATA_HOME", "data"),
        ] {
            let dir = home.join(sub);
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            cmd.env(var, dir);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("COLORTERM", "truecolor");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("JIRA_BASE_URL", &emulator.url);
        cmd.env("JIRA_USER_EMAIL", jtui::emulator::seed::DEMO_EMAIL);
        cmd.env("JIRA_API_TOKEN", jtui::emulator::seed::DEMO_TOKEN);
        let seen = Arc::new(Mutex::new(Seen {
            parser: vt100::Parser::new(ROWS_NZ, COLS_NZ, 0),
            chunks: Vec::new(),
            watches: Vec::new(),
            closed: false,
        }));
        let mut reader = pty
            .master
            .try_clone_reader()
            .map_err(|e| format!("pty reader: {e}"))?;
        let writer = pty
            .master
            .take_writer()
            .map_err(|e| format!("pty writer: {e}"))?;
        let exec_at = Instant::now();
        let child = pty
            .slave
            .spawn_command(cmd)
            .map_err(|e| format!("spawn: {e}"))?;
        let pid = child.process_id().ok_or("no pid")?;
        let shared = Arc::clone(&seen);
        thread::spawn(move || {
            let mut buf = vec![0u8; READ_BUFFER_BYTES];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let now = Instant::now();
                let mut seen = lock(&shared);
                seen.parser.process(&buf[..n]);
                seen.chunks.push(now);
                if seen.watches.iter().any(|w| w.hit.is_none()) {
                    let text = seen.parser.screen().contents();
                    for watch in seen.watches.iter_mut().filter(|w| w.hit.is_none()) {
                        if (watch.holds)(&text) {
                            watch.hit = Some(now);
                        }
                    }
                }
            }
            lock(&shared).closed = true;
        });
        Ok(Session {
            seen,
            writer,
            child,
            _master: pty.master,
            exec_at,
            pid,
        })
    }

    /// Starts watching for `holds`; checked against every screen from now on (and the
    /// current one).
    fn watch(&self, name: &'static str, holds: impl Fn(&str) -> bool + Send + 'static) {
        let mut seen = lock(&self.seen);
        let now = Instant::now();
        let hit = holds(&seen.parser.screen().contents()).then_some(now);
        seen.watches.push(Watch {
            name,
            holds: Box::new(holds),
            hit,
        });
    }

    /// Waits for the watch `name` and returns when it first held.
    fn wait(&self, name: &str, timeout: Duration) -> Result<Instant, String> {
        let until = Instant::now() + timeout;
        loop {
            {
                let seen = lock(&self.seen);
                if let Some(hit) = seen
                    .watches
                    .iter()
                    .find(|w| w.name == name)
                    .and_then(|w| w.hit)
                {
                    return Ok(hit);
                }
                if seen.closed {
                    return Err(format!(
                        "jtui exited while waiting for {name}:\n{}",
                        seen.parser.screen().contents()
                    ));
                }
                if Instant::now() > until {
                    return Err(format!(
                        "timed out waiting for {name}:\n{}",
                        seen.parser.screen().contents()
                    ));
                }
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until no output has come for `quiet`, counting from now at the earliest
    /// (the output of a key just sent may not have arrived yet).
    fn settle(&self, quiet: Duration) {
        let called = Instant::now();
        loop {
            let last = lock(&self.seen).chunks.last().copied().unwrap_or(called);
            let idle = last.max(called).elapsed();
            if idle >= quiet {
                return;
            }
            thread::sleep(quiet - idle);
        }
    }

    fn screen(&self) -> String {
        lock(&self.seen).parser.screen().contents()
    }

    fn send(&mut self, keys: &str) -> Result<Instant, String> {
        let at = Instant::now();
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|()| self.writer.flush())
            .map_err(|e| format!("write to pty: {e}"))?;
        Ok(at)
    }

    /// When the frame drawn after `after` had fully arrived: the last chunk of the first
    /// burst of output after it. One draw is written in several chunks (the terminal's
    /// buffer is small); they arrive microseconds apart, and the next frame, if any,
    /// only after a pause.
    fn frame_after(&self, after: Instant, timeout: Duration) -> Result<Instant, String> {
        let until = Instant::now() + timeout;
        loop {
            let burst_end = {
                let seen = lock(&self.seen);
                let mut burst = seen.chunks.iter().filter(|t| **t > after);
                burst.next().map(|first| {
                    let mut end = *first;
                    for t in burst {
                        if t.duration_since(end) > FRAME_GAP {
                            break;
                        }
                        end = *t;
                    }
                    end
                })
            };
            if let Some(end) = burst_end
                && end.elapsed() > FRAME_GAP
            {
                return Ok(end);
            }
            if Instant::now() > until {
                return Err("no frame after a key".into());
            }
            thread::sleep(POLL);
        }
    }

    /// Quits with `q` and waits for the process to end (writing its view cache).
    fn quit(mut self) -> Result<(), String> {
        self.send("q")?;
        let until = Instant::now() + TIMEOUT;
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Ok(());
            }
            thread::sleep(POLL);
        }
        let _ = self.child.kill();
        Err("jtui did not quit on q".into())
    }
}

/// A `[A-Z]+-123` issue key on screen outside the JQL bar: results are drawn.
fn has_results(re: &Regex) -> impl Fn(&str) -> bool + Send + 'static {
    let re = re.clone();
    move |text: &str| text.lines().skip(1).any(|l| re.is_match(l))
}

fn has_first_frame(text: &str) -> bool {
    text.contains("Projects") && text.contains("Issues")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// Results loaded, from the results pane's title (`500 of ~20000`, `20000 issues`, `50+`).
fn loaded_rows(text: &str, re: &Regex) -> Option<usize> {
    re.captures_iter(text)
        .filter_map(|c| c.get(1).or(c.get(2)).or(c.get(3)))
        .filter_map(|m| m.as_str().parse().ok())
        .max()
}

fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU time of every thread of `pid`: (utime+stime in ms at clock-tick resolution,
/// scheduler run time in ms at nanosecond resolution).
fn cpu_ms(pid: u32) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    let mut sched_ns = 0u64;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .ok()?
        .flatten()
    {
        if let Ok(s) = std::fs::read_to_string(task.path().join("schedstat")) {
            sched_ns += s
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    Some((ticks * 1000.0 / USER_HZ, sched_ns as f64 / 1e6))
}

#[derive(Default)]
struct Figures {
    first_frame: Vec<f64>,
    first_results: Vec<f64>,
    cached_results: Vec<f64>,
    cached_fresh: Vec<f64>,
    opened: Vec<f64>,
    prefetched_open: Vec<f64>,
    key: Vec<f64>,
    rss_10k_mb: Option<f64>,
    rss_all_mb: Option<(usize, f64)>,
    idle_cpu: Option<(f64, f64)>,
}

fn run(opts: &Options) -> Result<(), String> {
    let key_re = Regex::new(r"\b[A-Z][A-Z0-9]+-\d+\b").map_err(|e| e.to_string())?;
    let title_re = Regex::new(r"(\d+) of ~\d+|(\d+) issues|(\d+)\+").map_err(|e| e.to_string())?;
    eprintln!("starting the emulator with {} issues…", opts.issues);
    let emulator = Emulator::start(opts)?;
    let mut f = Figures::default();

    for run in 0..opts.runs {
        eprintln!("run {}/{}", run + 1, opts.runs);
        let home = tempfile::tempdir().map_err(|e| e.to_string())?;

        // No cache: exec → first frame → first results → (Enter at once) issue shown.
        let mut s = Session::start(opts, &emulator, home.path(), &["--no-cache"])?;
        s.watch("frame", has_first_frame);
        s.watch("results", has_results(&key_re));
        let frame = s.wait("frame", TIMEOUT)?;
        let results = s.wait("results", TIMEOUT)?;
        s.watch("opened", |t| t.contains(ISSUE_OPENED_MARK));
        s.send("\r")?;
        let opened = s.wait("opened", TIMEOUT)?;
        f.first_frame.push(ms(frame - s.exec_at));
        f.first_results.push(ms(results - s.exec_at));
        f.opened.push(ms(opened - s.exec_at));
        s.quit()?;

        // Prime the cache (results and an open issue), then start again from it.
        let mut s = Session::start(opts, &emulator, home.path(), &[])?;
        s.watch("results", has_results(&key_re));
        s.wait("results", TIMEOUT)?;
        s.watch("opened", |t| t.contains(ISSUE_OPENED_MARK));
        s.send("\r")?;
        s.wait("opened", TIMEOUT)?;
        s.settle(SETTLE);
        s.quit()?;
        let s = Session::start(opts, &emulator, home.path(), &[])?;
        s.watch("cached", has_results(&key_re));
        s.watch("fresh", |t| has_first_frame(t) && !t.contains(" stale "));
        let cached = s.wait("cached", TIMEOUT)?;
        let fresh = s.wait("fresh", TIMEOUT)?;
        f.cached_results.push(ms(cached - s.exec_at));
        f.cached_fresh.push(ms(fresh - s.exec_at));
        s.quit()?;

        // Prefetch and keys: a fresh start, back in the results, one row down, rest,
        // Enter; then key → screen, one key at a time on a quiet app.
        let mut s = Session::start(opts, &emulator, home.path(), &["--no-cache"])?;
        s.watch("results", has_results(&key_re));
        s.wait("results", TIMEOUT)?;
        s.settle(SETTLE);
        s.send("j")?;
        s.settle(SETTLE);
        s.watch("prefetched", |t| t.contains(ISSUE_OPENED_MARK));
        let enter = s.send("\r")?;
        let shown = s.wait("prefetched", TIMEOUT)?;
        f.prefetched_open.push(ms(shown - enter));
        s.send("\x1b")?; // back to the results
        s.settle(SETTLE);
        for i in 0..KEY_SAMPLES {
            let key = if i % 2 == 0 { "j" } else { "k" };
            let at = s.send(key)?;
            let out = s.frame_after(at, TIMEOUT)?;
            f.key.push(ms(out - at));
            s.settle(SETTLE);
        }
        if run == 0 {
            // Idle: no timer, no redraw; what does doing nothing cost?
            s.settle(SETTLE);
            let before = cpu_ms(s.pid);
            thread::sleep(IDLE_WINDOW);
            let after = cpu_ms(s.pid);
            if let (Some(b), Some(a)) = (before, after) {
                f.idle_cpu = Some((a.0 - b.0, a.1 - b.1));
            }
        }
        s.quit()?;
    }

    if opts.memory {
        eprintln!("loading every result (End) for peak memory…");
        let home = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut s = Session::start(
            opts,
            &emulator,
            home.path(),
            &["--no-cache", "--jql", ALL_ISSUES_JQL],
        )?;
        s.watch("results", has_results(&key_re));
        s.wait("results", TIMEOUT)?;
        s.send("G")?;
        let until = Instant::now() + LOAD_ALL_TIMEOUT;
        loop {
            let screen = s.screen();
            let loaded = loaded_rows(&screen, &title_re).unwrap_or(0);
            if loaded >= RSS_AT_ROWS && f.rss_10k_mb.is_none() {
                f.rss_10k_mb = proc_status_kb(s.pid, "VmHWM:").map(|kb| kb as f64 / 1024.0);
            }
            let done = screen.contains(&format!("{loaded} issues"));
            if done || Instant::now() > until {
                s.settle(SETTLE);
                f.rss_all_mb =
                    proc_status_kb(s.pid, "VmHWM:").map(|kb| (loaded, kb as f64 / 1024.0));
                break;
            }
            thread::sleep(LOAD_POLL);
        }
        s.quit()?;
    }

    report(opts, &f);
    Ok(())
}

fn machine() -> String {
    let cpus = thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, m)| m.trim())
        .to_owned();
    let mem_gb = proc_meminfo_kb("MemTotal:").map_or(0.0, |kb| kb as f64 / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{cpus} CPUs ({model}), {mem_gb:.0} GB RAM, Linux {}",
        kernel.trim()
    )
}

fn proc_meminfo_kb(field: &str) -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    info.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn report(opts: &Options, f: &Figures) {
    let latency = opts.latency.as_deref().unwrap_or("none");
    println!(
        "### `jtui emulator --issues {}`, latency {latency}, {} runs (medians)\n",
        opts.issues, opts.runs
    );
    println!("Machine: {}\n", machine());
    println!("| figure | median | min | max | target |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, v: &[f64], target: &str| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(0.0, f64::max);
        match median(v.to_vec()) {
            Some(m) => println!("| {name} | {m:.1} ms | {lo:.1} | {hi:.1} | {target} |"),
            None => println!("| {name} | – | | | {target} |"),
        }
    };
    row("exec → first frame", &f.first_frame, "≤ 15 ms");
    row(
        "exec → first results on screen (no cache)",
        &f.first_results,
        "≤ 60 ms",
    );
    row(
        "exec → cached results on screen",
        &f.cached_results,
        "≤ 20 ms",
    );
    row(
        "exec → cached view revalidated (stale mark gone)",
        &f.cached_fresh,
        "–",
    );
    row(
        "exec → issue opened (Enter as soon as results show)",
        &f.opened,
        "–",
    );
    row(
        "Enter on a prefetched row → issue on screen",
        &f.prefetched_open,
        "≤ 16 ms",
    );
    row("key → screen (j/k, quiet app)", &f.key, "–");
    if let Some(mb) = f.rss_10k_mb {
        println!("| peak RSS, {RSS_AT_ROWS} results loaded | {mb:.1} MB | | | ≤ 40 MB |");
    }
    if let Some((rows, mb)) = f.rss_all_mb {
        println!("| peak RSS, all {rows} results loaded | {mb:.1} MB | | | – |");
    }
    if let Some((ticks, sched)) = f.idle_cpu {
        println!(
            "| CPU over {} s idle | {sched:.2} ms (utime+stime: {ticks:.0} ms) | | | ≤ 10 ms |",
            IDLE_WINDOW.as_secs()
        );
    }
    println!();
}
