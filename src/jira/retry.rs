//! How jtui behaves when Jira or the network misbehaves: which requests are retried and
//! when, and the one [`Gate`] every request of a session passes through.
//!
//! The gate is what keeps a struggling site from being hammered. When any request is
//! rate limited (429) or fails in a way worth retrying (transport failure, 500/502/503/504,
//! a garbled body), the gate closes for one shared backoff: every other request waits at
//! the gate instead of trying (and failing) on its own. When the backoff ends, exactly one
//! request goes first as a probe; the rest follow only once it got an answer. While Jira
//! says the budget is nearly spent (`X-RateLimit-NearLimit: true`), request starts are
//! spaced out. And once Jira rejects the credentials (401), the gate stays shut for the
//! rest of the session: retrying a revoked token only adds failed logins to the user's
//! account.
//!
//! Only reads are retried (the worker decides what is a read, see
//! `JiraRequest::is_read`); a write is never repeated blindly.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::error::JiraError;

/// Tries of one read, the first one included (Atlassian suggests four or five).
pub const MAX_ATTEMPTS: u32 = 5;
/// The first backoff; it doubles with each consecutive failure.
pub const BASE_DELAY: Duration = Duration::from_secs(1);
/// The longest backoff jtui picks itself (a server's `Retry-After` is honoured as sent).
pub const MAX_DELAY: Duration = Duration::from_secs(30);
/// Backoffs vary by up to this fraction either way, so clients that failed together do
/// not come back together.
pub const JITTER: f64 = 0.3;
/// One HTTP exchange, from connecting to the last byte of the body.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// A whole read, waits and retries included: after this the user gets an answer, even
/// if it is an error.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(90);
/// Space between request starts while Jira reports the rate-limit budget nearly spent.
pub const NEAR_LIMIT_INTERVAL: Duration = Duration::from_millis(500);

/// Retry and pacing parameters. The defaults follow Atlassian's guidance; tests shrink
/// them so a fault plays out in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Fraction, 0.0 to 1.0.
    pub jitter: f64,
    pub attempt_timeout: Duration,
    pub deadline: Duration,
    pub near_limit_interval: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: MAX_ATTEMPTS,
            base_delay: BASE_DELAY,
            max_delay: MAX_DELAY,
            jitter: JITTER,
            attempt_timeout: ATTEMPT_TIMEOUT,
            deadline: REQUEST_DEADLINE,
            near_limit_interval: NEAR_LIMIT_INTERVAL,
        }
    }
}

impl RetryPolicy {
    /// The wait after `failures` consecutive failures (1 for the first): `base · 2^(n-1)`,
    /// capped, then spread by the jitter. `unit` is a random number in `[0, 1)`.
    pub fn backoff(&self, failures: u32, unit: f64) -> Duration {
        let doublings = failures.saturating_sub(1).min(30);
        let exp = self
            .base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay);
        let jitter = self.jitter.clamp(0.0, 1.0);
        let factor = 1.0 - jitter + 2.0 * jitter * unit.clamp(0.0, 1.0);
        exp.mul_f64(factor).min(self.max_delay)
    }
}

/// A random number in `[0, 1)` for jitter. Quality hardly matters; independence between
/// processes does, which the per-process random hasher keys give.
pub fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    // 53 bits fill an f64's mantissa exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether a failure may go away if the same read is sent again.
pub fn is_retryable(error: &JiraError) -> bool {
    error.is_retryable()
}

/// A 401 that means the credentials no longer work (revoked, expired), as opposed to a
/// scoped token missing a scope for one endpoint, which other requests may not need.
pub fn is_credential_rejection(error: &JiraError) -> bool {
    match error {
        JiraError::Unauthorized { messages } => !messages
            .iter()
            .any(|m| m.to_ascii_lowercase().contains("scope")),
        _ => false,
    }
}

/// Why requests are held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holdup {
    /// Jira answered 429.
    RateLimited,
    /// Jira or the network failed; the text says how, briefly ("HTTP 503").
    Unavailable(String),
}

/// A request that failed and will be tried again: what the status line says while the
/// worker waits ("rate limited by Jira, retrying in 12 s").
#[derive(Debug, Clone, PartialEq)]
pub struct RetryNotice {
    pub holdup: Holdup,
    /// How long the wait was when it started.
    pub delay: Duration,
    /// When the next try goes out (wall clock, so drawing can count down).
    pub retry_at: DateTime<Utc>,
    /// The try that failed (1 for the first).
    pub attempt: u32,
    pub max_attempts: u32,
}

impl RetryNotice {
    /// The status line's text, counting down to `retry_at` from `now` (or showing the
    /// whole delay when there is no clock, as in tests).
    pub fn text(&self, now: Option<DateTime<Utc>>) -> String {
        let left = match now {
            Some(now) => (self.retry_at - now).to_std().unwrap_or(Duration::ZERO),
            None => self.delay,
        };
        // Round up: "in 0 s" would read as a hang.
        let secs = left.as_millis().div_ceil(1000);
        let when = if secs == 0 {
            "retrying now…".to_owned()
        } else {
            format!("retrying in {secs} s…")
        };
        match &self.holdup {
            Holdup::RateLimited => format!("rate limited by Jira, {when}"),
            Holdup::Unavailable(why) => format!("Jira is not answering ({why}), {when}"),
        }
    }
}

/// What became of one request, as the gate needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Jira answered with this status. `retry_after` is what the response asked for
    /// (429, and some 503s); `near_limit` is `X-RateLimit-NearLimit: true`.
    Answered {
        status: u16,
        retry_after: Option<Duration>,
        near_limit: bool,
    },
    /// No usable answer: transport failure, timeout, or a body that is not what it
    /// claims (truncated or garbled). The text is for the status line.
    Failed(String),
}

#[derive(Debug)]
struct GateState {
    /// Nothing goes out before this instant (a shared backoff).
    blocked_until: Option<Instant>,
    holdup: Option<Holdup>,
    /// Consecutive failures since Jira last answered normally; 0 when healthy.
    failures: u32,
    /// Bumped each time the gate closes: an outcome of a request admitted in an older
    /// epoch is news the gate already acted on, and must not close it again.
    epoch: u64,
    /// A probe is out after a backoff; everyone else waits for its answer.
    probing: bool,
    /// Jira reported the budget nearly spent on its latest answer.
    near_limit: bool,
    /// While `near_limit`, the earliest start of the next request.
    next_paced_start: Instant,
    /// The session's credentials were rejected: Jira's messages, for the error.
    revoked: Option<Vec<String>>,
}

/// Shared by every request of one client (clones included). See the module docs.
#[derive(Debug)]
pub struct Gate {
    policy: RetryPolicy,
    state: Mutex<GateState>,
    changed: Notify,
}

/// A request's right to go out. Dropping it without [`Permit::finish`] (the request was
/// cancelled) hands the probe role on, so a cancelled probe cannot block the gate.
#[derive(Debug)]
pub struct Permit<'g> {
    gate: &'g Gate,
    epoch: u64,
    probe: bool,
}

tokio::task_local! {
    /// The deadline of the read the current task is running (set by the worker). A
    /// request that would have to wait past it at the gate fails at once instead.
    pub static DEADLINE: Instant;
}

impl Gate {
    pub fn new(policy: RetryPolicy) -> Self {
        Self {
            policy,
            state: Mutex::new(GateState {
                blocked_until: None,
                holdup: None,
                failures: 0,
                epoch: 0,
                probing: false,
                near_limit: false,
                next_paced_start: Instant::now(),
                revoked: None,
            }),
            changed: Notify::new(),
        }
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        // Every critical section leaves the state consistent; a panic elsewhere does
        // not make it wrong.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until a request may go out: past any shared backoff, behind a probe, and
    /// paced while near the rate limit. Fails at once when the credentials were
    /// rejected, or when the wait would outlast the current read's [`DEADLINE`].
    pub async fn admit(&self) -> Result<Permit<'_>, JiraError> {
        let deadline = DEADLINE.try_with(|d| *d).ok();
        loop {
            let mut changed = pin!(self.changed.notified());
            // Registered before the state is read, so a change in between still wakes us.
            changed.as_mut().enable();
            let wait = {
                let mut s = self.lock();
                if let Some(messages) = &s.revoked {
                    return Err(JiraError::Unauthorized {
                        messages: messages.clone(),
                    });
                }
                let now = Instant::now();
                if let Some(until) = s.blocked_until.filter(|until| *until > now) {
                    Wait::Until(until, s.holdup.clone())
                } else if s.probing {
                    Wait::ForProbe
                } else if s.failures > 0 {
                    s.probing = true;
                    return Ok(Permit {
                        gate: self,
                        epoch: s.epoch,
                        probe: true,
                    });
                } else if s.near_limit && s.next_paced_start > now {
                    Wait::Until(s.next_paced_start, None)
                } else {
                    if s.near_limit {
                        s.next_paced_start = now + self.policy.near_limit_interval;
                    }
                    return Ok(Permit {
                        gate: self,
                        epoch: s.epoch,
                        probe: false,
                    });
                }
            };
            match wait {
                Wait::Until(until, holdup) => {
                    if let Some(deadline) = deadline
                        && until > deadline
                    {
                        return Err(gave_up(holdup, until - Instant::now()));
                    }
                    tokio::select! {
                        () = tokio::time::sleep_until(until) => {}
                        () = &mut changed => {}
                    }
                }
                // Behind a probe: its answer (or its cancellation) wakes us.
                Wait::ForProbe => match deadline {
                    Some(deadline) => {
                        tokio::select! {
                            () = tokio::time::sleep_until(deadline) => {
                                let holdup = self.lock().holdup.clone();
                                return Err(gave_up(holdup, Duration::ZERO));
                            }
                            () = &mut changed => {}
                        }
                    }
                    None => changed.await,
                },
            }
        }
    }

    /// How long until the shared backoff ends, and why there is one.
    pub fn backoff_remaining(&self) -> Option<(Duration, Holdup)> {
        let s = self.lock();
        let until = s.blocked_until?;
        let holdup = s.holdup.clone()?;
        Some((until.saturating_duration_since(Instant::now()), holdup))
    }

    /// Shuts the gate for good: the credentials were rejected. Every request from now on
    /// fails with the same 401 without reaching Jira.
    pub fn revoke(&self, messages: Vec<String>) {
        self.lock().revoked.get_or_insert(messages);
        self.changed.notify_waiters();
    }

    /// The 401 the session ended with, if it did.
    pub fn revoked(&self) -> Option<JiraError> {
        self.lock()
            .revoked
            .as_ref()
            .map(|messages| JiraError::Unauthorized {
                messages: messages.clone(),
            })
    }

    fn finish(&self, epoch: u64, probe: bool, outcome: &Outcome) {
        let mut s = self.lock();
        if probe {
            s.probing = false;
        }
        if let Outcome::Answered {
            status, near_limit, ..
        } = outcome
            && (200..300).contains(status)
        {
            s.near_limit = *near_limit;
        }
        let failure = match outcome {
            Outcome::Answered {
                status: 429,
                retry_after,
                ..
            } => Some((Holdup::RateLimited, *retry_after)),
            Outcome::Answered {
                status: status @ (500 | 502 | 503 | 504),
                retry_after,
                ..
            } => Some((Holdup::Unavailable(format!("HTTP {status}")), *retry_after)),
            Outcome::Failed(why) => Some((Holdup::Unavailable(why.clone()), None)),
            Outcome::Answered { .. } => None,
        };
        // Outcomes of requests admitted before the gate last closed tell it nothing new.
        if epoch == s.epoch {
            match failure {
                Some((holdup, asked)) => {
                    s.failures = s.failures.saturating_add(1);
                    s.epoch += 1;
                    let wait =
                        asked.unwrap_or_else(|| self.policy.backoff(s.failures, random_unit()));
                    s.blocked_until = Some(Instant::now() + wait);
                    tracing::info!(?holdup, ?wait, failures = s.failures, "requests held back");
                    s.holdup = Some(holdup);
                }
                None => {
                    if s.failures > 0 {
                        tracing::info!("Jira is answering again");
                    }
                    s.failures = 0;
                    s.blocked_until = None;
                    s.holdup = None;
                }
            }
        }
        drop(s);
        self.changed.notify_waiters();
    }
}

impl Permit<'_> {
    /// Reports what became of the request, which may close or reopen the gate.
    pub fn finish(mut self, outcome: &Outcome) {
        self.gate.finish(self.epoch, self.probe, outcome);
        self.probe = false;
        // Nothing left for Drop to do.
        self.epoch = u64::MAX;
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.probe {
            self.gate.lock().probing = false;
            self.gate.changed.notify_waiters();
        }
    }
}

/// What a request waits for at the gate.
enum Wait {
    /// A shared backoff (with its reason) or the pacing interval (without).
    Until(Instant, Option<Holdup>),
    /// The probe's answer.
    ForProbe,
}

/// The error for a read that cannot wait as long as the gate is closed.
fn gave_up(holdup: Option<Holdup>, left: Duration) -> JiraError {
    match holdup {
        Some(Holdup::RateLimited) => JiraError::RateLimited {
            retry_after: Some(left),
        },
        Some(Holdup::Unavailable(why)) => JiraError::Transport(format!(
            "Jira is not answering ({why}); gave up waiting. Check your network and press r to retry"
        )),
        None => JiraError::Transport(
            "Jira did not answer in time. Check your network and press r to retry".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            ..RetryPolicy::default()
        }
    }

    fn answered(status: u16) -> Outcome {
        Outcome::Answered {
            status,
            retry_after: None,
            near_limit: false,
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            jitter: 0.0,
            ..policy()
        };
        assert_eq!(p.backoff(1, 0.5), Duration::from_millis(100));
        assert_eq!(p.backoff(2, 0.5), Duration::from_millis(200));
        assert_eq!(p.backoff(3, 0.5), Duration::from_millis(400));
        assert_eq!(p.backoff(10, 0.5), Duration::from_secs(2));
        assert_eq!(p.backoff(u32::MAX, 0.5), Duration::from_secs(2));
    }

    #[test]
    fn random_units_vary_and_stay_in_range() {
        let draws: Vec<f64> = (0..64).map(|_| random_unit()).collect();
        assert!(draws.iter().all(|u| (0.0..1.0).contains(u)));
        let first = draws[0];
        assert!(draws.iter().any(|u| *u != first));
    }

    #[test]
    fn notice_counts_down_and_rounds_up() {
        let at = DateTime::parse_from_rfc3339("2026-03-26T16:00:12Z")
            .unwrap()
            .with_timezone(&Utc);
        let notice = RetryNotice {
            holdup: Holdup::RateLimited,
            delay: Duration::from_secs(12),
            retry_at: at,
            attempt: 1,
            max_attempts: 5,
        };
        assert_eq!(notice.text(None), "rate limited by Jira, retrying in 12 s…");
        let now = at - chrono::Duration::milliseconds(3_500);
        assert_eq!(
            notice.text(Some(now)),
            "rate limited by Jira, retrying in 4 s…"
        );
        assert_eq!(
            notice.text(Some(at + chrono::Duration::seconds(1))),
            "rate limited by Jira, retrying now…"
        );
        let down = RetryNotice {
            holdup: Holdup::Unavailable("HTTP 503".into()),
            ..notice
        };
        assert_eq!(
            down.text(None),
            "Jira is not answering (HTTP 503), retrying in 12 s…"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_closes_the_gate_for_everyone_and_one_probe_reopens_it() {
        let gate = Gate::new(RetryPolicy {
            jitter: 0.0,
            ..policy()
        });
        let a = gate.admit().await.unwrap();
        let b = gate.admit().await.unwrap();
        a.finish(&answered(503));
        // B was sent before the gate closed: its failure is the same news.
        b.finish(&answered(503));
        let (left, holdup) = gate.backoff_remaining().unwrap();
        assert_eq!(left, Duration::from_millis(100), "one failure, not two");
        assert_eq!(holdup, Holdup::Unavailable("HTTP 503".into()));

        let started = Instant::now();
        let probe = gate.admit().await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_millis(100));
        assert!(probe.probe);
        // Everyone else waits for the probe's answer.
        let waiter = gate.admit();
        let mut waiter = pin!(waiter);
        tokio::select! {
            _ = &mut waiter => panic!("admitted beside the probe"),
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
        probe.finish(&answered(200));
        let next = waiter.await.unwrap();
        assert!(!next.probe);
        assert!(gate.backoff_remaining().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn consecutive_failures_back_off_longer() {
        let gate = Gate::new(RetryPolicy {
            jitter: 0.0,
            ..policy()
        });
        gate.admit()
            .await
            .unwrap()
            .finish(&Outcome::Failed("reset".into()));
        gate.admit()
            .await
            .unwrap()
            .finish(&Outcome::Failed("reset".into()));
        let (left, _) = gate.backoff_remaining().unwrap();
        assert_eq!(left, Duration::from_millis(200));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_honoured_as_sent() {
        let gate = Gate::new(policy());
        gate.admit().await.unwrap().finish(&Outcome::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(12)),
            near_limit: false,
        });
        let (left, holdup) = gate.backoff_remaining().unwrap();
        assert_eq!(left, Duration::from_secs(12));
        assert_eq!(holdup, Holdup::RateLimited);
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_deadline_fails_at_once() {
        let gate = Gate::new(policy());
        gate.admit().await.unwrap().finish(&Outcome::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(120)),
            near_limit: false,
        });
        let started = Instant::now();
        let deadline = started + Duration::from_secs(60);
        let err = DEADLINE.scope(deadline, gate.admit()).await.unwrap_err();
        assert_eq!(started.elapsed(), Duration::ZERO);
        match err {
            JiraError::RateLimited {
                retry_after: Some(d),
            } => assert_eq!(d, Duration::from_secs(120)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn near_limit_spaces_requests_out() {
        let gate = Gate::new(policy());
        gate.admit().await.unwrap().finish(&Outcome::Answered {
            status: 200,
            retry_after: None,
            near_limit: true,
        });
        let started = Instant::now();
        for _ in 0..3 {
            drop(gate.admit().await.unwrap());
        }
        assert_eq!(started.elapsed(), NEAR_LIMIT_INTERVAL * 2);
        // A normal answer lifts the pacing.
        gate.admit().await.unwrap().finish(&answered(200));
        let started = Instant::now();
        for _ in 0..3 {
            drop(gate.admit().await.unwrap());
        }
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_probe_hands_the_role_on() {
        let gate = Gate::new(policy());
        gate.admit().await.unwrap().finish(&answered(502));
        let probe = gate.admit().await.unwrap();
        assert!(probe.probe);
        drop(probe);
        let next = gate.admit().await.unwrap();
        assert!(next.probe, "the next request probes instead");
    }

    #[tokio::test(start_paused = true)]
    async fn revoked_credentials_stop_every_request() {
        let gate = Gate::new(policy());
        gate.revoke(vec!["You are not authenticated.".into()]);
        let err = gate.admit().await.unwrap_err();
        assert!(matches!(err, JiraError::Unauthorized { .. }));
        assert!(gate.revoked().is_some());
    }

    #[test]
    fn scope_401s_do_not_end_the_session() {
        let revoked = JiraError::Unauthorized {
            messages: vec!["You are not authenticated.".into()],
        };
        let scope = JiraError::Unauthorized {
            messages: vec!["Unauthorized; scope does not match".into()],
        };
        assert!(is_credential_rejection(&revoked));
        assert!(!is_credential_rejection(&scope));
        assert!(!is_credential_rejection(&JiraError::Forbidden {
            messages: vec![]
        }));
    }

    proptest! {
        #[test]
        fn backoff_stays_within_bounds(failures in 0u32..200, unit in 0.0f64..1.0, jitter in 0.0f64..1.0) {
            let p = RetryPolicy { jitter, ..policy() };
            let d = p.backoff(failures, unit);
            prop_assert!(d <= p.max_delay);
            prop_assert!(d >= p.base_delay.mul_f64(1.0 - jitter) - Duration::from_nanos(1));
        }
    }
}
