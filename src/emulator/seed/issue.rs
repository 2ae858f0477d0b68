//! One issue at a time: people, fields, texts, attachments, comments and changelog,
//! all consistent with the issue's planned timeline.

use super::*;

/// The borrowed pieces one issue's generation needs (split so the RNG can be mutated
/// while the reference data is read).
pub(super) struct Gen<'s> {
    pub(super) rng: &'s mut Rng,
    pub(super) next_id: &'s mut u64,
    pub(super) assets: &'s Assets,
    pub(super) names: &'s HashMap<String, String>,
    pub(super) rt: &'s ProjectRt,
    pub(super) texts: &'s ProjectTexts,
}

/// Who did what on an issue, decided before texts are written.
pub(super) struct People {
    pub(super) reporter: String,
    pub(super) creator: String,
    pub(super) assignee: Option<String>,
}

/// The group some engineering comments are restricted to (see `assets/demo/company.json`).
pub(super) const SECURITY_GROUP: &str = "security-response";
pub(super) const COMMENT_COUNT_WEIGHTS: [u32; 9] = [24, 20, 17, 12, 9, 7, 5, 3, 3];
pub(super) const STORY_POINTS: [(f64, u32); 6] = [
    (1.0, 10),
    (2.0, 20),
    (3.0, 25),
    (5.0, 25),
    (8.0, 15),
    (13.0, 5),
];
pub(super) const ESTIMATES_HOURS: [i64; 7] = [1, 2, 4, 8, 16, 24, 40];
pub(super) const ROBOT_MODELS: [&str; 4] = ["AMR200", "AMR350", "PX2", "TUG1"];

impl Seeder<'_> {
    pub(super) fn issues(&mut self, count: usize) {
        let plans = self.plan(count);
        let mut counters = vec![0u32; self.projects.len()];
        let mut keys: Vec<String> = Vec::with_capacity(plans.len());
        let mut by_project: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        let mut sprint_sets: Vec<Vec<usize>> = Vec::with_capacity(plans.len());
        let mut summaries: HashSet<String> = HashSet::with_capacity(plans.len());
        for (i, plan) in plans.iter().enumerate() {
            counters[plan.project] += 1;
            keys.push(format!(
                "{}-{}",
                self.projects[plan.project].key, counters[plan.project]
            ));
            const OTHER_WINDOW: usize = 40;
            let recent = &by_project[plan.project];
            let other = recent
                .get(recent.len().saturating_sub(OTHER_WINDOW)..)
                .filter(|r| !r.is_empty())
                .map(|r| keys[*self.rng.pick(r)].clone());
            let parent_sprints = plan.parent.map(|p| sprint_sets[p].clone());
            let mut generator = Gen {
                rng: &mut self.rng,
                next_id: &mut self.next_child_id,
                assets: self.assets,
                names: &self.names,
                rt: &self.projects[plan.project],
                texts: &self.assets.projects[plan.project],
            };
            let parent_key = plan.parent.map(|p| keys[p].as_str());
            let (issue, sprints) = generator.issue(
                FIRST_ISSUE_ID + i as u64,
                &keys[i],
                plan,
                parent_key,
                other.as_deref(),
                parent_sprints,
                &mut summaries,
            );
            self.store.issues.push(issue);
            sprint_sets.push(sprints);
            by_project[plan.project].push(i);
        }
        self.links(&plans);
    }
}

impl Gen<'_> {
    pub(super) fn id(&mut self) -> u64 {
        let id = *self.next_id;
        *self.next_id += 1;
        id
    }

    pub(super) fn name(&self, account_id: &str) -> String {
        self.names.get(account_id).cloned().unwrap_or_default()
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn issue(
        &mut self,
        id: u64,
        key: &str,
        plan: &Plan,
        parent: Option<&str>,
        other: Option<&str>,
        parent_sprints: Option<Vec<usize>>,
        summaries: &mut HashSet<String>,
    ) -> (Issue, Vec<usize>) {
        let created = plan.created;
        let tl = &plan.timeline;
        let horizon = self.horizon(plan);
        let people_until = tl.resolved_at.unwrap_or(NOW_UNIX_SECONDS);
        let people = self.people(plan, people_until);
        let mut events: Vec<Event> = Vec::new();
        let assignee = self.status_events(plan, &people, people_until, &mut events);
        let summary = self.summary(plan, key, summaries);
        let peers = self.rt.members_at(created);
        let slots = Slots {
            rt: self.rt,
            texts: self.texts,
            names: self.names,
            key,
            parent,
            other,
            summary: &summary,
            assignee: assignee.as_deref(),
            reporter: Some(people.reporter.as_str()),
            author: Some(people.reporter.as_str()),
            peers: &peers,
            at: created,
        };
        let priority_id = self.priority(plan, horizon, &mut events);
        let labels = self.labels(plan, horizon, &mut events);
        let (fix_version_ids, affects_version_ids) = self.versions(plan, &mut events);
        let sprints = match parent_sprints {
            Some(s) if plan.kind == Kind::SubTask => s,
            _ => self.sprints(plan, horizon, &mut events),
        };
        let mut custom = self.custom_fields(plan, &slots);
        // Stories and bugs that went through review name a peer other than the assignee
        // as reviewer. Picked by the issue id, not the generator, so the rest of the
        // dataset is what it was before the field existed.
        if self.rt.software
            && matches!(plan.kind, Kind::Story | Kind::Bug)
            && tl.steps.iter().any(|s| s.1 == St::InReview)
        {
            let others: Vec<&str> = peers
                .iter()
                .copied()
                .filter(|p| Some(*p) != assignee.as_deref())
                .collect();
            if let Some(reviewer) = others.get(id as usize % others.len().max(1)) {
                custom.insert(REVIEWER_FIELD, json!({ "accountId": reviewer }));
            }
        }
        if !sprints.is_empty() {
            let value: Vec<Value> = sprints
                .iter()
                .map(|&s| self.rt.sprints[s].value.clone())
                .collect();
            custom.insert(SPRINT_FIELD, Value::Array(value));
        }
        let attachments = self.attachments(plan, &people, assignee.as_deref(), horizon, &slots);
        let description = self.description(plan, &slots, &attachments);
        let environment = (plan.kind == Kind::Bug && self.rng.chance(0.7)).then(|| {
            let text = self.rng.pick(&self.texts.environments).clone();
            let filled = fill(self.rng, &slots, &text);
            adf(self.rng, &filled)
        });
        let comments = self.comments(plan, &people, assignee.as_deref(), horizon, &slots);
        let changelog = self.changelog(events, created);
        let updated = std::iter::once(created)
            .chain(changelog.iter().map(|h| h.created.timestamp()))
            .chain(comments.iter().map(|c| c.updated.timestamp()))
            .chain(attachments.iter().map(|a| a.created.timestamp()))
            .max()
            .unwrap_or(created);
        let issue = Issue {
            id,
            key: key.to_string(),
            project_id: self.rt.id,
            issue_type_id: plan.kind.type_id(),
            summary,
            description,
            environment,
            status_id: tl.status().id(),
            priority_id: Some(priority_id),
            resolution_id: tl.resolution,
            resolution_date: tl.resolved_at.map(ts),
            status_category_change_date: Some(ts(category_change(tl, created))),
            watchers: self.watchers(&people, assignee.as_deref(), created),
            votes: self.votes(plan),
            assignee,
            reporter: Some(people.reporter),
            creator: Some(people.creator),
            labels,
            component_ids: self.components(plan),
            fix_version_ids,
            affects_version_ids,
            parent: parent.map(str::to_string),
            links: Vec::new(),
            created: ts(created),
            updated: ts(updated),
            due_date: self.due_date(plan),
            comments,
            changelog,
            attachments,
            time_tracking: self.time_tracking(plan),
            custom,
        };
        (issue, sprints)
    }

    /// The last moment anything (a comment, a late edit) happens on the issue.
    pub(super) fn horizon(&mut self, plan: &Plan) -> Secs {
        let created = plan.created;
        let tl = &plan.timeline;
        let now = NOW_UNIX_SECONDS;
        let h = match tl.resolved_at {
            // Some discussion continues after resolution ("verified on the fleet").
            Some(r) => r + (2.0 * DAY as f64 * self.rng.unit()) as Secs,
            None if tl.steps.is_empty() => {
                created + ((now - created) as f64 * self.rng.unit().powi(2)) as Secs
            }
            None => {
                let last = tl.last(created);
                last + ((now - last) as f64 * self.rng.unit()) as Secs
            }
        };
        h.max(created + 10 * MINUTE).min(now)
    }

    pub(super) fn people(&mut self, plan: &Plan, until: Secs) -> People {
        let rt = self.rt;
        let created = plan.created;
        let members = rt.members_at(created);
        let reporter = if rt.service_desk && !rt.customers.is_empty() && self.rng.chance(0.75) {
            self.rng.pick(&rt.customers).clone()
        } else if !rt.software && !rt.service_desk && self.rng.chance(0.06) {
            // Scheduled automation files the recurring operations chores.
            BOT_ACCOUNT_ID.to_string()
        } else if !rt.software && !rt.service_desk && self.rng.chance(0.3) {
            // Anyone in the company can ask IT for something.
            let anyone: Vec<&str> = self
                .assets
                .company
                .users
                .iter()
                .filter(|u| u.account_type == "atlassian" && u.active)
                .map(|u| u.account_id.as_str())
                .collect();
            self.rng.pick(&anyone).to_string()
        } else {
            self.rng.pick(&members).to_string()
        };
        let creator = if rt.customers.contains(&reporter) && self.rng.chance(0.15) {
            // An agent logged the request from a phone call on the customer's behalf.
            self.rng.pick(&members).to_string()
        } else {
            reporter.clone()
        };
        let pool = rt.members_at(until);
        let assigned = if plan.timeline.steps.is_empty() {
            0.5
        } else {
            0.45
        };
        let assignee = self
            .rng
            .chance(assigned)
            .then(|| self.rng.pick(&pool).to_string());
        People {
            reporter,
            creator,
            assignee,
        }
    }

    /// Turns the status timeline into changelog entries (with resolution, assignment and
    /// hand-over items alongside) and returns the final assignee.
    pub(super) fn status_events(
        &mut self,
        plan: &Plan,
        people: &People,
        until: Secs,
        events: &mut Vec<Event>,
    ) -> Option<String> {
        let pool = self.rt.members_at(until);
        let mut assignee = people.assignee.clone();
        let mut status = St::ToDo;
        let mut resolution: Option<u64> = None;
        let steps = &plan.timeline.steps;
        let handover_step = (steps.len() >= 2 && self.rng.chance(0.1)).then_some(steps.len() / 2);
        for (n, &(at, to)) in steps.iter().enumerate() {
            let mut items = Vec::new();
            if to != St::ToDo && assignee.is_none() {
                let who = self.rng.pick(&pool).to_string();
                items.push(change(
                    "assignee",
                    None,
                    Some((who.clone(), self.name(&who))),
                ));
                assignee = Some(who);
            }
            if handover_step == Some(n) {
                let current = assignee.clone();
                let others: Vec<&str> = pool
                    .iter()
                    .copied()
                    .filter(|p| Some(*p) != current.as_deref())
                    .collect();
                if !others.is_empty() {
                    let who = self.rng.pick(&others).to_string();
                    let from = current.map(|c| (c.clone(), self.name(&c)));
                    items.push(change(
                        "assignee",
                        from,
                        Some((who.clone(), self.name(&who))),
                    ));
                    assignee = Some(who);
                }
            }
            items.push(change(
                "status",
                Some((status.id().to_string(), status.name().to_string())),
                Some((to.id().to_string(), to.name().to_string())),
            ));
            if to.closed() {
                let res = if n + 1 == steps.len() {
                    plan.timeline.resolution.unwrap_or(DONE_RESOLUTION_ID)
                } else {
                    DONE_RESOLUTION_ID
                };
                items.push(change(
                    "resolution",
                    None,
                    Some((res.to_string(), resolution_name(res).to_string())),
                ));
                resolution = Some(res);
            } else if let Some(old) = resolution.take() {
                items.push(change(
                    "resolution",
                    Some((old.to_string(), resolution_name(old).to_string())),
                    None,
                ));
            }
            let author = if to == St::Done && self.rt.software && self.rng.chance(0.12) {
                // "When a pull request is merged, transition the issue to Done."
                BOT_ACCOUNT_ID.to_string()
            } else if status.closed() && to == St::ToDo {
                self.person_or_lead(&people.reporter)
            } else {
                assignee
                    .clone()
                    .unwrap_or_else(|| self.person_or_lead(&people.reporter))
            };
            events.push(Event { at, author, items });
            status = to;
        }
        assignee
    }

    /// The reporter if they work here, otherwise the project lead (customers and bots do
    /// not move issues through the workflow).
    pub(super) fn person_or_lead(&self, account_id: &str) -> String {
        if self.rt.members.iter().any(|m| m.account_id == account_id) {
            account_id.to_string()
        } else {
            self.rt.lead.clone()
        }
    }

    pub(super) fn summary(&mut self, plan: &Plan, key: &str, seen: &mut HashSet<String>) -> String {
        let pool = self
            .texts
            .summaries
            .get(plan.kind.name())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if pool.is_empty() {
            return format!("{} {key}", plan.kind.name());
        }
        let peers: Vec<&str> = Vec::new();
        let slots = Slots {
            rt: self.rt,
            texts: self.texts,
            names: self.names,
            key,
            parent: None,
            other: None,
            summary: "",
            assignee: None,
            reporter: None,
            author: None,
            peers: &peers,
            at: plan.created,
        };
        let mut text = String::new();
        for _ in 0..SUMMARY_RETRIES {
            let template = self.rng.pick(pool);
            text = fill(self.rng, &slots, template);
            if !seen.contains(&text) {
                break;
            }
        }
        seen.insert(text.clone());
        text
    }

    pub(super) fn priority(&mut self, plan: &Plan, horizon: Secs, events: &mut Vec<Event>) -> u64 {
        let weights: [u32; 5] = match (plan.kind, self.rt.service_desk) {
            (Kind::Bug, _) | (_, true) => [6, 22, 50, 16, 6],
            (Kind::Epic, _) => [2, 30, 60, 8, 0],
            _ => [2, 14, 60, 18, 6],
        };
        let initial = PRIORITIES[self.rng.weighted(&weights)].0;
        if !self.rng.chance(0.08) {
            return initial;
        }
        // Escalated (or calmed down) once after triage.
        let changed = if initial > 1 && self.rng.chance(0.7) {
            initial - 1
        } else {
            (initial % 5) + 1
        };
        let at = plan.created + ((horizon - plan.created) as f64 * self.rng.unit()) as Secs + 1;
        let author = self.rt.lead.clone();
        events.push(Event {
            at: at.min(horizon),
            author,
            items: vec![change(
                "priority",
                Some((initial.to_string(), priority_name(initial).to_string())),
                Some((changed.to_string(), priority_name(changed).to_string())),
            )],
        });
        changed
    }

    pub(super) fn labels(
        &mut self,
        plan: &Plan,
        horizon: Secs,
        events: &mut Vec<Event>,
    ) -> Vec<String> {
        let own = &self.texts.labels;
        let common = &self.assets.common.labels;
        let count = [0, 1, 1, 2, 2, 3][self.rng.below(6)];
        let mut labels: Vec<String> = Vec::new();
        for _ in 0..count {
            let pool = if self.rng.chance(0.7) { own } else { common };
            let label = self.rng.pick(pool).clone();
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        if plan.kind == Kind::Bug
            && self.rng.chance(0.15)
            && !labels.iter().any(|l| l == "regression")
        {
            labels.push("regression".into());
        }
        if self.rng.chance(0.1) {
            let before = labels.clone();
            let added = self.rng.pick(own).clone();
            if !labels.contains(&added) {
                labels.push(added);
                let at =
                    plan.created + 1 + ((horizon - plan.created) as f64 * self.rng.unit()) as Secs;
                events.push(Event {
                    at: at.min(horizon),
                    author: self.rt.lead.clone(),
                    items: vec![labels_change(&before, &labels)],
                });
            }
        }
        labels
    }

    pub(super) fn components(&mut self, plan: &Plan) -> Vec<u64> {
        let count = match plan.kind {
            Kind::Epic => self.rng.weighted(&[50, 50, 0]),
            _ => self.rng.weighted(&[10, 80, 10]),
        };
        let picks = self.rng.sample_indices(self.rt.components.len(), count);
        picks.into_iter().map(|i| self.rt.components[i].0).collect()
    }

    /// Fix versions (set when the work ships, recorded in the changelog) and affected
    /// versions of bugs.
    pub(super) fn versions(&mut self, plan: &Plan, events: &mut [Event]) -> (Vec<u64>, Vec<u64>) {
        let tl = &plan.timeline;
        let mut fix = Vec::new();
        if tl.status() == St::Done
            && plan.kind != Kind::Epic
            && !self.rt.service_desk
            && self.rng.chance(0.7)
        {
            let release = tl.resolved_at.and_then(|r| self.rt.release_after(r));
            if let Some(v) = release {
                fix.push(v.id);
                if let Some(done) = events.last_mut() {
                    done.items.push(change(
                        "Fix Version",
                        None,
                        Some((v.id.to_string(), v.name.clone())),
                    ));
                }
            }
        } else if !tl.status().closed()
            && self.rt.software
            && self.rng.chance(0.3)
            && let Some(v) = self.rt.versions.iter().find(|v| !v.released)
        {
            fix.push(v.id);
        }
        let mut affects = Vec::new();
        if plan.kind == Kind::Bug
            && self.rng.chance(0.7)
            && let Some(v) = self.rt.latest_released_before(plan.created)
        {
            affects.push(v.id);
        }
        (fix, affects)
    }

    /// Which sprints the issue was in (indices into the project's sprints), with the
    /// changelog entries that put it there.
    pub(super) fn sprints(
        &mut self,
        plan: &Plan,
        horizon: Secs,
        events: &mut Vec<Event>,
    ) -> Vec<usize> {
        let rt = self.rt;
        if !rt.software || plan.kind == Kind::Epic || rt.sprints.is_empty() {
            return Vec::new();
        }
        let tl = &plan.timeline;
        let created = plan.created;
        let started = tl.started();
        let carried = |idx: usize| -> Vec<usize> {
            let was_open_at_previous_end = idx > 0
                && created < rt.sprints[idx - 1].end
                && started.is_some_and(|s| s < rt.sprints[idx].start);
            if was_open_at_previous_end {
                vec![idx - 1, idx]
            } else {
                vec![idx]
            }
        };
        let list = match (tl.status(), tl.resolved_at) {
            (St::WontDo, _) if self.rng.chance(0.5) => Vec::new(),
            (_, Some(r)) => rt.sprint_at(r).map(carried).unwrap_or_default(),
            (St::ToDo, None) => match (
                self.rng.weighted(&[35, 20, 45]),
                rt.sprint_at(NOW_UNIX_SECONDS),
            ) {
                (0, Some(active)) => vec![active],
                (1, Some(active)) if active + 1 < rt.sprints.len() => vec![active + 1],
                _ => Vec::new(),
            },
            (_, None) => rt
                .sprint_at(NOW_UNIX_SECONDS)
                .map(carried)
                .unwrap_or_default(),
        };
        let Some(&first) = list.first() else {
            return list;
        };
        let limit = tl.resolved_at.unwrap_or(horizon).max(created + 2 * MINUTE);
        let mut added = (created + MINUTE).max(rt.sprints[first].start - DAY);
        if added >= limit {
            added = created + (limit - created) / 2;
        }
        let sprint_ref = |ids: &[usize]| {
            let id = ids
                .iter()
                .map(|&s| rt.sprints[s].id.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let name = ids
                .iter()
                .map(|&s| rt.sprints[s].name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            (id, name)
        };
        let planner = rt.lead.clone();
        events.push(Event {
            at: added,
            author: planner.clone(),
            items: vec![change("Sprint", None, Some(sprint_ref(&list[..1])))],
        });
        if list.len() > 1 {
            // Closing a sprint moves unfinished work into the next one.
            let moved = rt.sprints[first].end.max(added + MINUTE);
            events.push(Event {
                at: moved,
                author: planner,
                items: vec![change(
                    "Sprint",
                    Some(sprint_ref(&list[..1])),
                    Some(sprint_ref(&list)),
                )],
            });
        }
        list
    }

    pub(super) fn custom_fields(&mut self, plan: &Plan, slots: &Slots<'_>) -> BTreeMap<u64, Value> {
        let mut custom = BTreeMap::new();
        let rt = self.rt;
        let team_share = if rt.service_desk { 0.5 } else { 0.85 };
        if self.rng.chance(team_share) {
            custom.insert(TEAM_FIELD, self.rng.pick(&rt.teams).clone());
        }
        let estimated = match plan.kind {
            Kind::Story => {
                if plan.timeline.status() == St::ToDo {
                    0.7
                } else {
                    0.92
                }
            }
            Kind::Task => 0.35,
            Kind::Bug => 0.25,
            _ => 0.0,
        };
        if rt.software && self.rng.chance(estimated) {
            let weights: Vec<u32> = STORY_POINTS.iter().map(|p| p.1).collect();
            custom.insert(
                STORY_POINTS_FIELD,
                json!(STORY_POINTS[self.rng.weighted(&weights)].0),
            );
        }
        if plan.kind == Kind::Epic {
            let start = local_date(plan.created + self.rng.range(0, 14) * DAY);
            custom.insert(
                START_DATE_FIELD,
                json!(start.format("%Y-%m-%d").to_string()),
            );
        }
        if plan.kind == Kind::Story && self.rng.chance(0.7) {
            let text = self.rng.pick(&self.texts.acceptance).clone();
            let filled = fill(self.rng, slots, &text);
            custom.insert(ACCEPTANCE_CRITERIA_FIELD, adf(self.rng, &filled));
        }
        if plan.kind == Kind::Bug && self.rng.chance(0.9) {
            let severities = options(SEVERITY_OPTION_FIRST_ID, &self.assets.company.severities);
            let weights: Vec<u32> = (0..severities.len())
                .map(|i| [5, 25, 50, 20].get(i).copied().unwrap_or(10))
                .collect();
            custom.insert(
                SEVERITY_FIELD,
                select_value(&severities[self.rng.weighted(&weights)]),
            );
        }
        if plan.kind == Kind::Bug
            && plan.timeline.resolution == Some(DONE_RESOLUTION_ID)
            && self.rng.chance(0.6)
        {
            let text = self.rng.pick(&self.texts.root_causes).clone();
            let filled = fill(self.rng, slots, &text);
            custom.insert(ROOT_CAUSE_FIELD, adf(self.rng, &filled));
        }
        if rt.service_desk && self.rng.chance(0.7) {
            let model = self.rng.pick(&ROBOT_MODELS);
            let serial = format!("ACME-{model}-{:06}", self.rng.range(1000, 99_999));
            custom.insert(ROBOT_SERIAL_FIELD, json!(serial));
        }
        custom
    }

    pub(super) fn attachments(
        &mut self,
        plan: &Plan,
        people: &People,
        assignee: Option<&str>,
        horizon: Secs,
        slots: &Slots<'_>,
    ) -> Vec<Attachment> {
        let count = [0, 1, 2, 3, 5][self.rng.weighted(&[75, 12, 7, 4, 2])];
        let mut out = Vec::with_capacity(count);
        for n in 0..count {
            // The first files come with the report; later ones from whoever works on it.
            let (author, at) = if n < count.div_ceil(2) {
                (
                    people.reporter.clone(),
                    plan.created + self.rng.range(MINUTE, 20 * MINUTE),
                )
            } else {
                let who = assignee.map_or_else(|| self.rt.lead.clone(), str::to_string);
                (
                    who,
                    plan.created + 1 + ((horizon - plan.created) as f64 * self.rng.unit()) as Secs,
                )
            };
            let spec = self.rng.pick(&self.texts.attachments);
            let at = at.min(horizon);
            let moment = Slots {
                at,
                ..slots.clone_shallow()
            };
            let filename = fill(self.rng, &moment, &spec.name);
            let size = self
                .rng
                .range(spec.min_kb as i64, spec.max_kb.max(spec.min_kb) as i64)
                as u64
                * 1024
                + self.rng.range(0, 1023) as u64;
            out.push(Attachment {
                id: self.id(),
                filename,
                size,
                mime_type: spec.mime.clone(),
                author,
                created: ts(at),
            });
        }
        out
    }

    pub(super) fn description(
        &mut self,
        plan: &Plan,
        slots: &Slots<'_>,
        attachments: &[Attachment],
    ) -> Option<Value> {
        let missing = if plan.kind == Kind::SubTask {
            0.45
        } else {
            0.08
        };
        if self.rng.chance(missing) {
            return None;
        }
        let parts = self.texts.descriptions.get(plan.kind.name())?;
        let mut blocks = Vec::new();
        for part in parts {
            if self.rng.chance(part.p) {
                let text = self.rng.pick(&part.options).clone();
                let filled = fill(self.rng, slots, &text);
                blocks.extend(markup::blocks(&filled, self.rng));
            }
        }
        let reported: Vec<&Attachment> = attachments
            .iter()
            .filter(|a| {
                a.author == slots.reporter.unwrap_or_default()
                    && a.created.timestamp() - plan.created <= 20 * MINUTE
            })
            .collect();
        if !reported.is_empty() && self.rng.chance(0.7) {
            blocks.extend(self.media(&reported));
        }
        if blocks.is_empty() {
            return None;
        }
        Some(markup::doc(blocks))
    }

    /// Embedded files, as Jira's editor inserts them: images inline (`mediaSingle`),
    /// other files as a card group. `alt` carries the attachment's file name, which is how
    /// a client maps media back to the issue's attachments.
    pub(super) fn media(&mut self, files: &[&Attachment]) -> Vec<Value> {
        let mut blocks = Vec::new();
        let mut group = Vec::new();
        for file in files {
            let mut media = json!({
                "type": "media",
                "attrs": { "type": "file", "id": self.rng.uuid(), "collection": "", "alt": file.filename },
            });
            if file.mime_type.starts_with("image/") {
                if let Some(attrs) = media["attrs"].as_object_mut() {
                    attrs.insert("width".into(), json!(1600));
                    attrs.insert("height".into(), json!(900));
                }
                let mut content = vec![media];
                if self.rng.chance(0.4) {
                    content.push(json!({
                        "type": "caption",
                        "content": [{ "type": "text", "text": file.filename }],
                    }));
                }
                blocks.push(json!({
                    "type": "mediaSingle",
                    "attrs": { "layout": "center", "width": 80, "widthType": "percentage" },
                    "content": content,
                }));
            } else {
                group.push(media);
            }
        }
        if !group.is_empty() {
            blocks.push(json!({ "type": "mediaGroup", "content": group }));
        }
        blocks
    }

    pub(super) fn comments(
        &mut self,
        plan: &Plan,
        people: &People,
        assignee: Option<&str>,
        horizon: Secs,
        slots: &Slots<'_>,
    ) -> Vec<Comment> {
        let rt = self.rt;
        let long_thread = plan.kind != Kind::SubTask && self.rng.below(LONG_THREAD_ONE_IN) == 0;
        let mut count = if long_thread {
            self.rng
                .range(LONG_THREAD_MIN as i64, LONG_THREAD_MAX as i64) as usize
        } else {
            self.rng.weighted(&COMMENT_COUNT_WEIGHTS)
        };
        if plan.kind == Kind::Epic && !long_thread {
            count /= 2;
        }
        let times = spread(self.rng, plan.created, horizon, count);
        let closed_at = plan.timeline.resolved_at;
        let mut out = Vec::with_capacity(count);
        for (n, at) in times.into_iter().enumerate() {
            let frac = (at - plan.created) as f64 / (horizon - plan.created).max(1) as f64;
            let late = closed_at.is_some_and(|r| at >= r) || (closed_at.is_some() && frac > 0.8);
            let members = rt.members_at(at);
            let (author, visibility, template) =
                self.comment_source(rt, people, assignee, &members, frac, late, n);
            let moment = Slots {
                at,
                author: Some(author.as_str()),
                peers: &members,
                ..slots.clone_shallow()
            };
            let text = fill(self.rng, &moment, &template);
            let body = adf(self.rng, &text);
            let edited = self.rng.chance(0.12);
            let updated = if edited {
                (at + self.rng.range(5 * MINUTE, 2 * HOUR)).min(horizon.max(at))
            } else {
                at
            };
            out.push(Comment {
                id: self.id(),
                update_author: author.clone(),
                author,
                body,
                created: ts(at),
                updated: ts(updated),
                visibility,
            });
        }
        out
    }

    /// Who writes the `n`th comment, who may see it, and its template.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn comment_source(
        &mut self,
        rt: &ProjectRt,
        people: &People,
        assignee: Option<&str>,
        members: &[&str],
        frac: f64,
        late: bool,
        n: usize,
    ) -> (String, Option<(String, String)>, String) {
        let common = &self.assets.common;
        let texts = self.texts;
        if rt.software && late && self.rng.chance(0.12) || (!rt.software && self.rng.chance(0.04)) {
            return (
                BOT_ACCOUNT_ID.to_string(),
                None,
                self.rng.pick(&common.bot_comments).clone(),
            );
        }
        let reporter_is_customer = rt.customers.contains(&people.reporter);
        let roll = self.rng.unit();
        let author = if reporter_is_customer {
            // Support threads alternate between the customer and the agent.
            if n.is_multiple_of(2) {
                people.reporter.clone()
            } else {
                assignee
                    .filter(|a| members.contains(a))
                    .map_or_else(|| self.rng.pick(members).to_string(), str::to_string)
            }
        } else if roll < 0.4 && assignee.is_some_and(|a| members.contains(&a)) {
            assignee.map(str::to_string).unwrap_or_default()
        } else if roll < 0.65 && members.contains(&people.reporter.as_str()) {
            people.reporter.clone()
        } else {
            self.rng.pick(members).to_string()
        };
        if rt.service_desk && author != people.reporter && self.rng.chance(0.25) {
            let note = self.rng.pick(&common.internal_notes).clone();
            return (
                author,
                Some(("role".into(), "Service Desk Team".into())),
                note,
            );
        }
        // Restricted engineering notes: to the security group when the author is in it,
        // else to the Developers role.
        let visibility = (rt.software && self.rng.chance(0.03)).then(|| {
            let security = self
                .assets
                .company
                .groups
                .iter()
                .find(|g| g.name == SECURITY_GROUP && g.members.contains(&author));
            match security {
                Some(g) => ("group".to_string(), g.name.clone()),
                None => ("role".to_string(), "Developers".to_string()),
            }
        });
        let phases = match &texts.customer_comments {
            Some(customer) if rt.customers.contains(&author) => customer,
            // Support agents speak to customers in their own voice, not engineering chat.
            _ if rt.service_desk => &texts.comments,
            _ if self.rng.chance(0.75) => &texts.comments,
            _ => &common.comments,
        };
        let pool = if late {
            &phases.late
        } else if frac < 0.3 {
            &phases.early
        } else {
            &phases.middle
        };
        (author, visibility, self.rng.pick(pool).clone())
    }

    pub(super) fn watchers(
        &mut self,
        people: &People,
        assignee: Option<&str>,
        created: Secs,
    ) -> Vec<String> {
        let mut watchers = vec![people.reporter.clone()];
        if let Some(a) = assignee {
            watchers.push(a.to_string());
        }
        let members = self.rt.members_at(created);
        for _ in 0..self.rng.weighted(&[40, 30, 20, 10]) {
            watchers.push(self.rng.pick(&members).to_string());
        }
        let mut seen = HashSet::new();
        watchers.retain(|w| w != BOT_ACCOUNT_ID && seen.insert(w.clone()));
        watchers
    }

    pub(super) fn votes(&mut self, plan: &Plan) -> u32 {
        if plan.kind == Kind::Bug || self.rt.service_desk {
            [0, 1, 2, 3, 5, 8, 13][self.rng.weighted(&[50, 15, 12, 9, 7, 4, 3])]
        } else if self.rng.chance(0.05) {
            self.rng.range(1, 3) as u32
        } else {
            0
        }
    }

    pub(super) fn due_date(&mut self, plan: &Plan) -> Option<NaiveDate> {
        let (share, lo, hi) = match plan.kind {
            Kind::Epic => (0.5, 30, 120),
            _ if self.rt.service_desk => (0.4, 1, 10),
            _ if !self.rt.software => (0.3, 2, 30),
            Kind::Bug | Kind::Story => (0.1, 5, 30),
            _ => (0.05, 3, 20),
        };
        self.rng
            .chance(share)
            .then(|| local_date(plan.created + self.rng.range(lo, hi) * DAY))
    }

    pub(super) fn time_tracking(&mut self, plan: &Plan) -> TimeTracking {
        let tracked =
            matches!(plan.kind, Kind::Task | Kind::SubTask | Kind::Bug) && !self.rt.service_desk;
        if !tracked || !self.rng.chance(0.35) {
            return TimeTracking::default();
        }
        let original = (*self.rng.pick(&ESTIMATES_HOURS) * HOUR) as u64;
        let status = plan.timeline.status();
        let spent = if status.closed() {
            Some((original as f64 * (0.4 + 1.4 * self.rng.unit())) as u64 / 60 * 60)
        } else if plan.timeline.started().is_some() {
            Some((original as f64 * (0.1 + 0.8 * self.rng.unit())) as u64 / 60 * 60)
        } else {
            None
        };
        let remaining = match spent {
            _ if status.closed() => 0,
            Some(s) => original.saturating_sub(s),
            None => original,
        };
        TimeTracking {
            original_estimate_seconds: Some(original),
            remaining_estimate_seconds: Some(remaining),
            time_spent_seconds: spent,
        }
    }

    /// Orders the events and gives them ids; entries by one person at one moment merge,
    /// as Jira groups the items of one edit into one history.
    pub(super) fn changelog(&mut self, mut events: Vec<Event>, created: Secs) -> Vec<History> {
        events.sort_by_key(|e| e.at);
        let mut out: Vec<History> = Vec::with_capacity(events.len());
        let mut last: Option<(Secs, String)> = None;
        for event in events {
            // max then min (not clamp): never panics, even for an issue created at `now`.
            let at = event.at.max(created + 1).min(NOW_UNIX_SECONDS);
            if let (Some(prev), Some((t, who))) = (out.last_mut(), &last)
                && *t == at
                && *who == event.author
            {
                prev.items.extend(event.items);
                continue;
            }
            last = Some((at, event.author.clone()));
            out.push(History {
                id: self.id(),
                author: event.author,
                created: ts(at),
                items: event.items,
            });
        }
        out
    }
}

impl<'s> Slots<'s> {
    /// A copy to adjust per moment with struct update syntax.
    pub(super) fn clone_shallow(&self) -> Slots<'s> {
        Slots { ..*self }
    }
}

/// When the status category last changed (creation counts as entering To Do).
pub(super) fn category_change(tl: &Timeline, created: Secs) -> Secs {
    let mut at = created;
    let mut category = StatusCategory::New;
    for &(t, s) in &tl.steps {
        if s.category() != category {
            category = s.category();
            at = t;
        }
    }
    at
}
