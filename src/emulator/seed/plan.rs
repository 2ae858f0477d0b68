//! Issue skeletons: which project and type each issue has, when it was created, its
//! parent, and the status timeline it went through.

use super::*;

/// Status paths (after the initial To Do) that end in each final status, with weights.
/// Every consecutive pair is a transition of [`workflow`]; the seed tests check that.
pub(super) fn paths(last: St) -> &'static [(&'static [St], u32)] {
    use St::*;
    match last {
        ToDo => &[
            (&[], 85),
            (&[InProgress, ToDo], 10),
            (&[InProgress, InReview, Done, ToDo], 5),
        ],
        InProgress => &[
            (&[InProgress], 60),
            (&[InProgress, InReview, InProgress], 20),
            (&[InProgress, Blocked, InProgress], 20),
        ],
        InReview => &[
            (&[InProgress, InReview], 80),
            (&[InProgress, InReview, InProgress, InReview], 20),
        ],
        Blocked => &[(&[InProgress, Blocked], 60), (&[Blocked], 40)],
        Done => &[
            (&[InProgress, InReview, Done], 40),
            (&[InProgress, Done], 20),
            (&[Done], 6),
            (&[InProgress, InReview, InProgress, InReview, Done], 10),
            (&[InProgress, Blocked, InProgress, InReview, Done], 8),
            (
                &[InProgress, InReview, Done, ToDo, InProgress, InReview, Done],
                4,
            ),
        ],
        WontDo => &[
            (&[WontDo], 6),
            (&[InProgress, WontDo], 3),
            (&[Blocked, WontDo], 2),
        ],
    }
}

/// Moves a random moment into office hours (06:00-18:00 UTC, Monday to Friday), when
/// people file issues. Order within a day is kept.
pub(super) fn working_hours(secs: Secs) -> Secs {
    const OFFICE_START_SECONDS: Secs = 6 * HOUR;
    let day_start = secs - secs.rem_euclid(DAY);
    let into_day = secs - day_start;
    let mut at = day_start + OFFICE_START_SECONDS + into_day / 2;
    // 1970-01-01 was a Thursday: day 2 of a week is Saturday, day 3 Sunday.
    match (day_start / DAY).rem_euclid(7) {
        2 => at -= DAY,
        3 => at -= 2 * DAY,
        _ => {}
    }
    at.min(NOW_UNIX_SECONDS - MIN_ISSUE_AGE_SECONDS)
}

/// How long an issue of a kind typically takes from creation to resolution: (min, max).
pub(super) fn work_duration(kind: Kind) -> (Secs, Secs) {
    match kind {
        Kind::Epic => (20 * DAY, 150 * DAY),
        Kind::Story => (DAY, 35 * DAY),
        Kind::Task => (HOUR, 20 * DAY),
        Kind::Bug => (2 * HOUR, 25 * DAY),
        Kind::SubTask => (30 * MINUTE, 6 * DAY),
    }
}

/// `n` strictly increasing times in `(from, to]`, the last one exactly `to`.
pub(super) fn spread(rng: &mut Rng, from: Secs, to: Secs, n: usize) -> Vec<Secs> {
    if n == 0 {
        return Vec::new();
    }
    let span = (to - from).max(n as Secs);
    let mut times: Vec<Secs> = (0..n - 1)
        .map(|_| from + 1 + (rng.unit() * (span - 1) as f64) as Secs)
        .collect();
    times.sort_unstable();
    times.push(from + span);
    for k in (0..n - 1).rev() {
        times[k] = times[k].min(times[k + 1] - 1);
    }
    times
}

pub(super) fn timeline(rng: &mut Rng, kind: Kind, created: Secs, cap: Option<Secs>) -> Timeline {
    let now = NOW_UNIX_SECONDS;
    let age_days = (now - created) as f64 / DAY as f64;
    let horizon_days = match kind {
        Kind::Epic => 160.0,
        Kind::Story => 45.0,
        Kind::Task => 25.0,
        Kind::Bug => 30.0,
        Kind::SubTask => 15.0,
    };
    let closed = cap.is_some() || rng.chance((age_days / horizon_days).min(0.92));
    let last = if closed {
        if rng.chance(0.1) {
            St::WontDo
        } else {
            St::Done
        }
    } else if kind == Kind::Epic {
        [St::ToDo, St::InProgress][rng.weighted(&[40, 60])]
    } else {
        [St::ToDo, St::InProgress, St::InReview, St::Blocked][rng.weighted(&[45, 30, 12, 13])]
    };
    let options = paths(last);
    let weights: Vec<u32> = options.iter().map(|o| o.1).collect();
    let path = options[rng.weighted(&weights)].0;
    let end = if closed {
        let limit = cap
            .unwrap_or(now - MINUTE)
            .max(created + path.len() as Secs * MINUTE);
        let (lo, hi) = work_duration(kind);
        let duration = lo + ((hi - lo) as f64 * rng.unit().powi(2)) as Secs;
        (created + duration).min(limit)
    } else if path.is_empty() {
        created
    } else {
        // Open work was touched recently more often than long ago.
        let u = rng.unit();
        created + (((now - created) as f64) * (1.0 - 0.9 * u * u)) as Secs
    };
    let times = spread(rng, created, end, path.len());
    let steps: Vec<(Secs, St)> = times.into_iter().zip(path.iter().copied()).collect();
    let (resolution, resolved_at) = match steps.last() {
        Some(&(at, St::Done)) => {
            let roll = rng.unit();
            let res = if kind == Kind::Bug && roll < 0.08 {
                CANNOT_REPRODUCE_RESOLUTION_ID
            } else if kind == Kind::Bug && roll < 0.14 {
                DUPLICATE_RESOLUTION_ID
            } else {
                DONE_RESOLUTION_ID
            };
            (Some(res), Some(at))
        }
        Some(&(at, St::WontDo)) => {
            let res = if rng.chance(0.2) {
                DUPLICATE_RESOLUTION_ID
            } else {
                WONT_DO_RESOLUTION_ID
            };
            (Some(res), Some(at))
        }
        _ => (None, None),
    };
    Timeline {
        steps,
        resolution,
        resolved_at,
    }
}

impl Seeder<'_> {
    /// Decides every issue's project, kind, creation time, parent and status timeline,
    /// and returns them in creation order (parents always before their children).
    pub(super) fn plan(&mut self, count: usize) -> Vec<Plan> {
        let project_weights: Vec<u32> = self
            .assets
            .company
            .projects
            .iter()
            .map(|p| p.weight)
            .collect();
        let mut top: Vec<Plan> = Vec::new();
        let mut subtasks: Vec<usize> = Vec::new();
        for _ in 0..count {
            let project = self.rng.weighted(&project_weights);
            let rt = &self.projects[project];
            let kind = rt.kinds[self.rng.weighted(&rt.kind_weights)];
            if kind == Kind::SubTask {
                subtasks.push(project);
                continue;
            }
            // Epics are planned ahead, so they skew older; other work skews recent.
            let skew = if kind == Kind::Epic { 0.8 } else { 1.6 };
            let age = MIN_ISSUE_AGE_SECONDS
                + ((HISTORY_SPAN_SECONDS - MIN_ISSUE_AGE_SECONDS) as f64
                    * self.rng.unit().powf(skew)) as Secs;
            top.push(Plan {
                project,
                kind,
                created: NOW_UNIX_SECONDS - age,
                parent: None,
                timeline: Timeline::default(),
            });
        }
        for plan in &mut top {
            plan.created = working_hours(plan.created);
        }
        top.sort_by_key(|p| p.created);
        let mut epics: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        for i in 0..top.len() {
            top[i].timeline = timeline(&mut self.rng, top[i].kind, top[i].created, None);
            top[i].parent = self.pick_epic(&top, &epics[top[i].project], i);
            if top[i].kind == Kind::Epic {
                epics[top[i].project].push(i);
            }
        }
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        for (i, plan) in top.iter().enumerate() {
            if plan.kind.standard() {
                parents[plan.project].push(i);
            }
        }
        let mut all = top;
        for project in subtasks {
            let plan = self.plan_subtask(&all, &parents[project], project);
            all.push(plan);
        }
        // Stable order by creation; parents were created strictly earlier than children.
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by_key(|&i| (all[i].created, i));
        let mut position = vec![0; all.len()];
        for (pos, &i) in order.iter().enumerate() {
            position[i] = pos;
        }
        order
            .iter()
            .map(|&i| {
                let mut plan = all[i].clone();
                plan.parent = plan.parent.map(|p| position[p]);
                plan
            })
            .collect()
    }

    /// An open epic of the same project for a standard issue, if the project uses epics.
    pub(super) fn pick_epic(&mut self, plans: &[Plan], epics: &[usize], i: usize) -> Option<usize> {
        let plan = &plans[i];
        if !plan.kind.standard() {
            return None;
        }
        let rt = &self.projects[plan.project];
        let share = if rt.software {
            0.75
        } else if rt.service_desk {
            0.12
        } else {
            0.45
        };
        if !self.rng.chance(share) {
            return None;
        }
        const RECENT_EPICS: usize = 6;
        let candidates: Vec<usize> = epics
            .iter()
            .rev()
            .copied()
            .filter(|&j| {
                let e = &plans[j];
                e.created < plan.created && e.timeline.resolved_at.is_none_or(|r| r > plan.created)
            })
            .take(RECENT_EPICS)
            .collect();
        (!candidates.is_empty()).then(|| *self.rng.pick(&candidates))
    }

    /// A sub-task under a standard issue of the project, created and finished while its
    /// parent was open. Without a suitable parent it becomes a plain task.
    pub(super) fn plan_subtask(
        &mut self,
        plans: &[Plan],
        parents: &[usize],
        project: usize,
    ) -> Plan {
        const TRIES: usize = 12;
        const MIN_WINDOW_SECONDS: Secs = 30 * MINUTE;
        for _ in 0..TRIES.min(parents.len() * 2) {
            let p = *self.rng.pick(parents);
            let parent = &plans[p];
            let start = parent.created + 10 * MINUTE;
            let end = parent
                .timeline
                .resolved_at
                .unwrap_or(NOW_UNIX_SECONDS - MIN_ISSUE_AGE_SECONDS)
                - 10 * MINUTE;
            if end - start < MIN_WINDOW_SECONDS {
                continue;
            }
            // Sub-tasks are usually split off soon after the parent is picked up.
            let created = start + ((end - start) as f64 * self.rng.unit().powi(2) * 0.8) as Secs;
            let cap = parent.timeline.resolved_at.map(|r| r - MINUTE);
            return Plan {
                project,
                kind: Kind::SubTask,
                created,
                parent: Some(p),
                timeline: timeline(&mut self.rng, Kind::SubTask, created, cap),
            };
        }
        let age = MIN_ISSUE_AGE_SECONDS
            + ((HISTORY_SPAN_SECONDS - MIN_ISSUE_AGE_SECONDS) as f64 * self.rng.unit().powf(1.6))
                as Secs;
        let created = working_hours(NOW_UNIX_SECONDS - age);
        Plan {
            project,
            kind: Kind::Task,
            created,
            parent: None,
            timeline: timeline(&mut self.rng, Kind::Task, created, None),
        }
    }
}
