//! Reference data of the demo site: users, issue types, statuses, priorities,
//! resolutions, link types, custom fields, the workflow, and projects with their
//! components, versions and sprints.

use super::*;

pub(super) fn users(assets: &Assets) -> Vec<User> {
    assets
        .company
        .users
        .iter()
        .map(|u| User {
            account_id: u.account_id.clone(),
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            active: u.active,
            time_zone: u.time_zone.clone(),
            account_type: u.account_type.clone(),
        })
        .collect()
}

pub(super) fn credentials(users: &[User]) -> Result<Vec<Credential>, SeedError> {
    [
        (DEMO_EMAIL, DEMO_TOKEN, DEMO_ACCOUNT_ID, false),
        (
            DEMO_OTHER_EMAIL,
            DEMO_OTHER_TOKEN,
            DEMO_OTHER_ACCOUNT_ID,
            false,
        ),
        (DEMO_EMAIL, DEMO_SCOPED_TOKEN, DEMO_ACCOUNT_ID, true),
        (
            DEMO_VIEWER_EMAIL,
            DEMO_VIEWER_TOKEN,
            DEMO_VIEWER_ACCOUNT_ID,
            false,
        ),
    ]
    .into_iter()
    .map(|(email, token, account_id, scoped)| {
        let user = users
            .iter()
            .find(|u| u.email.as_deref() == Some(email) && u.account_id == account_id)
            .ok_or_else(|| SeedError::Invalid(format!("no user {account_id} <{email}>")))?;
        Ok(Credential {
            email: email.to_string(),
            token: token.to_string(),
            account_id: user.account_id.clone(),
            scoped,
        })
    })
    .collect()
}

pub(super) fn issue_types() -> Vec<IssueType> {
    let describe = |k: Kind| match k {
        Kind::Epic => "A big user story that needs to be broken down.",
        Kind::Story => "Functionality or a feature expressed as a user goal.",
        Kind::Task => "A small, distinct piece of work.",
        Kind::Bug => "A problem or error.",
        Kind::SubTask => "A small piece of work that's part of a larger task.",
    };
    Kind::ALL
        .into_iter()
        .map(|k| IssueType {
            id: k.type_id(),
            name: k.name().to_string(),
            description: describe(k).to_string(),
            subtask: k == Kind::SubTask,
            hierarchy_level: match k {
                Kind::Epic => 1,
                Kind::SubTask => -1,
                _ => 0,
            },
        })
        .collect()
}

pub(super) fn statuses() -> Vec<Status> {
    [
        (St::ToDo, "Work that has not been started."),
        (St::InProgress, "Someone is actively working on this."),
        (
            St::InReview,
            "The work is done and waits for a code or peer review.",
        ),
        (
            St::Blocked,
            "Work cannot continue until something outside it changes.",
        ),
        (St::Done, "The work is finished."),
        (St::WontDo, "The work was declined or is no longer needed."),
    ]
    .into_iter()
    .map(|(s, description)| Status {
        id: s.id(),
        name: s.name().to_string(),
        description: description.to_string(),
        category: s.category(),
    })
    .collect()
}

/// Jira Cloud's default priority scheme and colours.
pub(super) const PRIORITIES: [(u64, &str, &str, &str); 5] = [
    (1, "Highest", "#d04437", "This problem will block progress."),
    (
        2,
        "High",
        "#f15c75",
        "Serious problem that could block progress.",
    ),
    (
        3,
        "Medium",
        "#f79232",
        "Has the potential to affect progress.",
    ),
    (
        4,
        "Low",
        "#707070",
        "Minor problem or easily worked around.",
    ),
    (
        5,
        "Lowest",
        "#999999",
        "Trivial problem with little or no impact on progress.",
    ),
];
pub(super) const DEFAULT_PRIORITY_ID: u64 = 3;

pub(super) fn priorities() -> Vec<Priority> {
    PRIORITIES
        .iter()
        .map(|(id, name, color, description)| Priority {
            id: *id,
            name: name.to_string(),
            description: description.to_string(),
            status_color: color.to_string(),
            is_default: *id == DEFAULT_PRIORITY_ID,
        })
        .collect()
}

pub(super) fn priority_name(id: u64) -> &'static str {
    PRIORITIES
        .iter()
        .find(|p| p.0 == id)
        .map_or("Medium", |p| p.1)
}

pub(super) fn resolutions() -> Vec<Resolution> {
    [
        (
            DONE_RESOLUTION_ID,
            "Done",
            "Work has been completed on this issue.",
        ),
        (
            WONT_DO_RESOLUTION_ID,
            "Won't Do",
            "This issue won't be actioned.",
        ),
        (
            DUPLICATE_RESOLUTION_ID,
            "Duplicate",
            "The problem is a duplicate of an existing issue.",
        ),
        (
            CANNOT_REPRODUCE_RESOLUTION_ID,
            "Cannot Reproduce",
            "This issue could not be reproduced at this time.",
        ),
    ]
    .into_iter()
    .map(|(id, name, description)| Resolution {
        id,
        name: name.to_string(),
        description: description.to_string(),
    })
    .collect()
}

pub(super) fn resolution_name(id: u64) -> &'static str {
    match id {
        WONT_DO_RESOLUTION_ID => "Won't Do",
        DUPLICATE_RESOLUTION_ID => "Duplicate",
        CANNOT_REPRODUCE_RESOLUTION_ID => "Cannot Reproduce",
        _ => "Done",
    }
}

pub(super) fn link_types() -> Vec<LinkType> {
    [
        (BLOCKS_LINK_TYPE_ID, "Blocks", "is blocked by", "blocks"),
        (CLONERS_LINK_TYPE_ID, "Cloners", "is cloned by", "clones"),
        (
            DUPLICATE_LINK_TYPE_ID,
            "Duplicate",
            "is duplicated by",
            "duplicates",
        ),
        (RELATES_LINK_TYPE_ID, "Relates", "relates to", "relates to"),
    ]
    .into_iter()
    .map(|(id, name, inward, outward)| LinkType {
        id,
        name: name.to_string(),
        inward: inward.to_string(),
        outward: outward.to_string(),
    })
    .collect()
}

pub(super) const TEAM_OPTION_FIRST_ID: u64 = 10100;
pub(super) const SEVERITY_OPTION_FIRST_ID: u64 = 10200;

pub(super) fn options(first_id: u64, values: &[String]) -> Vec<(u64, String)> {
    (first_id..).zip(values.iter().cloned()).collect()
}

pub(super) fn custom_fields(assets: &Assets) -> Vec<CustomField> {
    let field = |id, name: &str, kind, description: &str| CustomField {
        id,
        name: name.to_string(),
        kind,
        description: description.to_string(),
    };
    vec![
        field(
            TEAM_FIELD,
            "Team",
            CustomFieldKind::Select(options(TEAM_OPTION_FIRST_ID, &assets.company.teams)),
            "The team that owns the work.",
        ),
        field(
            START_DATE_FIELD,
            "Start date",
            CustomFieldKind::Date,
            "When work on the epic is planned to start.",
        ),
        field(
            STORY_POINTS_FIELD,
            "Story Points",
            CustomFieldKind::Number,
            "Measurement of complexity and/or size of a requirement.",
        ),
        field(
            SPRINT_FIELD,
            "Sprint",
            CustomFieldKind::Sprint,
            "Jira Software sprint field",
        ),
        field(
            ACCEPTANCE_CRITERIA_FIELD,
            "Acceptance criteria",
            CustomFieldKind::TextArea,
            "What must be true for the story to be accepted.",
        ),
        field(
            SEVERITY_FIELD,
            "Severity",
            CustomFieldKind::Select(options(
                SEVERITY_OPTION_FIRST_ID,
                &assets.company.severities,
            )),
            "Impact of a bug on customers.",
        ),
        field(
            ROOT_CAUSE_FIELD,
            "Root cause",
            CustomFieldKind::TextArea,
            "Why the bug happened, filled in when it is resolved.",
        ),
        field(
            ROBOT_SERIAL_FIELD,
            "Robot serial number",
            CustomFieldKind::Text,
            "Serial number of the customer's robot, as printed on the chassis.",
        ),
        field(
            REVIEWER_FIELD,
            "Reviewer",
            CustomFieldKind::User,
            "Who reviews the change before it ships.",
        ),
    ]
}

pub(super) fn select_value((id, value): &(u64, String)) -> Value {
    json!({ "id": id.to_string(), "value": value })
}

/// One workflow for every project. Transition ids step by ten, as Jira numbers them.
pub(super) fn workflow() -> Workflow {
    use St::*;
    let t = |id, name: &str, from: &[St], to: St, screen: &[&str]| Transition {
        id,
        name: name.to_string(),
        from: from.iter().map(|s| s.id()).collect(),
        to: to.id(),
        screen_fields: screen.iter().map(|f| f.to_string()).collect(),
    };
    Workflow {
        transitions: vec![
            t(
                11,
                "Back to backlog",
                &[InProgress, InReview, Blocked],
                ToDo,
                &[],
            ),
            t(21, "Start progress", &[ToDo], InProgress, &[]),
            t(31, "Send to review", &[InProgress], InReview, &[]),
            t(41, "Request changes", &[InReview], InProgress, &["comment"]),
            t(
                51,
                "Mark blocked",
                &[ToDo, InProgress, InReview],
                Blocked,
                &["comment"],
            ),
            t(61, "Unblock", &[Blocked], InProgress, &[]),
            t(
                71,
                "Done",
                &[ToDo, InProgress, InReview],
                Done,
                // Jira's "Resolve issue" screen: the release it ships in goes with it.
                &["resolution", "fixVersions", "comment"],
            ),
            t(81, "Won't do", &[], WontDo, &["resolution", "comment"]),
            t(91, "Reopen", &[Done, WontDo], ToDo, &["comment"]),
        ],
    }
}

/// The demo site's screens (one per issue type, shared by every project), who may be
/// assigned (a project's members), and the roles and groups comments are restricted to.
pub(super) fn schemes(assets: &Assets, projects: &[ProjectRt]) -> Schemes {
    use crate::emulator::fields::custom_field_id;
    let field = |id: &str| ScreenField::new(id, false);
    let required = |id: &str| ScreenField::new(id, true);
    let head = || vec![required("summary"), required("issuetype")];
    let people = || {
        vec![
            field("description"),
            field("priority"),
            field("labels"),
            field("components"),
            field("fixVersions"),
            field("duedate"),
            field("assignee"),
            required("reporter"),
        ]
    };
    let mut edit = BTreeMap::new();
    for kind in Kind::ALL {
        let mut screen = head();
        if kind != Kind::Epic {
            screen.push(ScreenField::new("parent", kind == Kind::SubTask));
        }
        screen.extend(people());
        if kind == Kind::Bug {
            screen.push(field("environment"));
            screen.push(field("versions"));
        }
        if kind != Kind::Epic {
            screen.push(field("timetracking"));
        }
        screen.push(field(&custom_field_id(TEAM_FIELD)));
        match kind {
            Kind::Epic => screen.push(field(&custom_field_id(START_DATE_FIELD))),
            Kind::Story => screen.extend([
                field(&custom_field_id(STORY_POINTS_FIELD)),
                field(&custom_field_id(SPRINT_FIELD)),
                field(&custom_field_id(ACCEPTANCE_CRITERIA_FIELD)),
                field(&custom_field_id(REVIEWER_FIELD)),
            ]),
            Kind::Task => screen.extend([
                field(&custom_field_id(STORY_POINTS_FIELD)),
                field(&custom_field_id(SPRINT_FIELD)),
                field(&custom_field_id(ROBOT_SERIAL_FIELD)),
            ]),
            Kind::Bug => screen.extend([
                field(&custom_field_id(STORY_POINTS_FIELD)),
                field(&custom_field_id(SPRINT_FIELD)),
                // Triage needs to know how bad it is from the start.
                required(&custom_field_id(SEVERITY_FIELD)),
                field(&custom_field_id(ROOT_CAUSE_FIELD)),
                field(&custom_field_id(ROBOT_SERIAL_FIELD)),
                field(&custom_field_id(REVIEWER_FIELD)),
            ]),
            Kind::SubTask => screen.push(field(&custom_field_id(ROBOT_SERIAL_FIELD))),
        }
        edit.insert(kind.type_id(), screen);
    }
    // The create screen is the edit screen with the project first, as in a new site.
    let create = edit
        .iter()
        .map(|(id, screen)| {
            let mut fields = vec![required("project")];
            fields.extend(screen.iter().cloned());
            (*id, fields)
        })
        .collect();
    let assignable = projects
        .iter()
        .map(|p| {
            (
                p.id,
                p.members.iter().map(|m| m.account_id.clone()).collect(),
            )
        })
        .collect();
    // Who holds the roles comments are restricted to: a project's administrators are its
    // lead and the site's Jira administrators, its developers the people working in it,
    // the service desk team a service project's agents; everyone is a user.
    let admins: Vec<&str> = assets
        .company
        .groups
        .iter()
        .filter(|g| g.name == "jira-administrators")
        .flat_map(|g| g.members.iter().map(String::as_str))
        .collect();
    let mut role_members = BTreeMap::new();
    for p in projects {
        let staff: BTreeSet<String> = p.members.iter().map(|m| m.account_id.clone()).collect();
        let mut administrators: BTreeSet<String> = admins.iter().map(|a| (*a).to_owned()).collect();
        administrators.insert(p.lead.clone());
        let desk = if p.service_desk {
            staff.clone()
        } else {
            BTreeSet::new()
        };
        role_members.insert((p.id, "Administrators".to_owned()), administrators);
        role_members.insert((p.id, "Developers".to_owned()), staff);
        role_members.insert((p.id, "Service Desk Team".to_owned()), desk);
    }
    Schemes {
        edit_screens: edit,
        create_screens: create,
        assignable,
        role_members,
        roles: ["Administrators", "Developers", "Service Desk Team", "Users"]
            .iter()
            .map(|r| (*r).to_owned())
            .collect(),
        groups: assets
            .company
            .groups
            .iter()
            .map(|g| Group {
                id: g.id.clone(),
                name: g.name.clone(),
                members: Some(g.members.iter().cloned().collect()),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Projects as the generator sees them
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
pub(super) struct Member {
    pub(super) account_id: String,
    /// Last moment the person works here (`Secs::MAX` while employed).
    pub(super) until: Secs,
}

#[derive(Debug)]
pub(super) struct VersionRt {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) release: Option<Secs>,
    pub(super) released: bool,
}

#[derive(Debug)]
pub(super) struct SprintRt {
    pub(super) id: u64,
    pub(super) name: String,
    pub(super) start: Secs,
    pub(super) end: Secs,
    pub(super) value: Value,
}

#[derive(Debug)]
pub(super) struct ProjectRt {
    pub(super) id: u64,
    pub(super) key: String,
    pub(super) lead: String,
    pub(super) repo: String,
    pub(super) software: bool,
    pub(super) service_desk: bool,
    pub(super) kinds: Vec<Kind>,
    pub(super) kind_weights: Vec<u32>,
    pub(super) components: Vec<(u64, String)>,
    pub(super) versions: Vec<VersionRt>,
    pub(super) members: Vec<Member>,
    /// Customers who raise requests (service desk projects).
    pub(super) customers: Vec<String>,
    pub(super) sprints: Vec<SprintRt>,
    pub(super) teams: Vec<Value>,
}

impl ProjectRt {
    /// Members still working here at `at`.
    pub(super) fn members_at(&self, at: Secs) -> Vec<&str> {
        self.members
            .iter()
            .filter(|m| m.until >= at)
            .map(|m| m.account_id.as_str())
            .collect()
    }

    pub(super) fn sprint_at(&self, at: Secs) -> Option<usize> {
        self.sprints
            .iter()
            .position(|s| s.start <= at && at < s.end)
    }

    pub(super) fn latest_released_before(&self, at: Secs) -> Option<&VersionRt> {
        self.versions
            .iter()
            .filter(|v| v.released && v.release.is_some_and(|r| r <= at))
            .max_by_key(|v| v.release)
    }

    /// The release that shipped work finished at `at`: the first one dated after it.
    pub(super) fn release_after(&self, at: Secs) -> Option<&VersionRt> {
        self.versions
            .iter()
            .filter(|v| v.release.is_some_and(|r| r >= at))
            .min_by_key(|v| v.release)
    }
}

pub(super) fn project(
    assets: &Assets,
    spec: &ProjectSpec,
    next_id: &mut u64,
    sprints: &mut Vec<Sprint>,
    rng: &mut Rng,
) -> Result<(Project, ProjectRt), SeedError> {
    let mut take_id = || {
        let id = *next_id;
        *next_id += 1;
        id
    };
    let components: Vec<Component> = spec
        .components
        .iter()
        .map(|c| Component {
            id: take_id(),
            name: c.name.clone(),
            description: c.description.clone(),
            lead: c.lead.clone(),
        })
        .collect();
    let versions: Vec<Version> = spec
        .versions
        .iter()
        .map(|v| Version {
            id: take_id(),
            name: v.name.clone(),
            description: v.description.clone(),
            released: v.released,
            archived: v.archived,
            release_date: v
                .release_day
                .map(|d| local_date(NOW_UNIX_SECONDS + d * DAY)),
        })
        .collect();
    if !spec.issue_types.iter().any(|(name, _)| name == "Task") {
        // A sub-task without a possible parent falls back to a task.
        return Err(SeedError::Invalid(format!(
            "{}: every project needs Task",
            spec.key
        )));
    }
    let mut kinds = Vec::new();
    let mut kind_weights = Vec::new();
    for (name, weight) in &spec.issue_types {
        let kind = Kind::from_name(name).ok_or_else(|| {
            SeedError::Invalid(format!("{}: unknown issue type {name}", spec.key))
        })?;
        kinds.push(kind);
        kind_weights.push(*weight);
    }
    let members = assets
        .company
        .users
        .iter()
        .filter(|u| u.account_type == "atlassian" && u.projects.contains(&spec.key))
        .map(|u| Member {
            account_id: u.account_id.clone(),
            until: u
                .left_days_ago
                .map_or(Secs::MAX, |d| NOW_UNIX_SECONDS - d * DAY),
        })
        .collect();
    let customers = assets
        .company
        .users
        .iter()
        .filter(|u| u.account_type == "customer" && u.projects.contains(&spec.key))
        .map(|u| u.account_id.clone())
        .collect();
    let team_options = options(TEAM_OPTION_FIRST_ID, &assets.company.teams);
    let teams = team_options
        .iter()
        .filter(|(_, name)| spec.teams.contains(name))
        .map(select_value)
        .collect();
    let sprint_rts = match &spec.sprints {
        Some(s) => project_sprints(&spec.key, s, sprints, rng),
        None => Vec::new(),
    };
    let rt = ProjectRt {
        id: spec.id,
        key: spec.key.clone(),
        lead: spec.lead.clone(),
        repo: spec.repo.clone(),
        software: spec.project_type_key == "software",
        service_desk: spec.project_type_key == "service_desk",
        kinds,
        kind_weights,
        components: components.iter().map(|c| (c.id, c.name.clone())).collect(),
        versions: versions
            .iter()
            .map(|v| VersionRt {
                id: v.id,
                name: v.name.clone(),
                release: v
                    .release_date
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .map(|d| d.and_utc().timestamp()),
                released: v.released,
            })
            .collect(),
        members,
        customers,
        sprints: sprint_rts,
        teams,
    };
    let project = Project {
        id: spec.id,
        key: spec.key.clone(),
        name: spec.name.clone(),
        project_type_key: spec.project_type_key.clone(),
        simplified: spec.style == "next-gen",
        style: spec.style.clone(),
        description: spec.description.clone(),
        lead: spec.lead.clone(),
        category: spec.category.clone(),
        components,
        versions,
        issue_type_ids: rt.kinds.iter().map(|k| k.type_id()).collect(),
    };
    Ok((project, rt))
}

/// Back-to-back sprints covering the history span: closed ones, the active one that
/// contains `now`, and two future ones.
pub(super) fn project_sprints(
    project: &str,
    spec: &assets::SprintSpec,
    all: &mut Vec<Sprint>,
    rng: &mut Rng,
) -> Vec<SprintRt> {
    const FUTURE_SPRINTS: i64 = 2;
    const START_HOUR_UTC: i64 = 8;
    let length = spec.length_days * DAY;
    let today_utc = NOW_UNIX_SECONDS - NOW_UNIX_SECONDS.rem_euclid(DAY);
    let active_start = today_utc - spec.days_into_active * DAY + START_HOUR_UTC * HOUR;
    let closed = (HISTORY_SPAN_SECONDS + length - 1) / length;
    let mut out = Vec::new();
    for (n, k) in (-closed..=FUTURE_SPRINTS).enumerate() {
        let start = active_start + k * length;
        let end = start + length;
        let state = match k {
            k if k < 0 => "closed",
            0 => "active",
            _ => "future",
        };
        let id = all.len() as u64 + 1;
        let name = format!("{} {}", spec.prefix, n + 1);
        let goal = rng.pick(&spec.goals).clone();
        let mut value = json!({
            "id": id,
            "name": name,
            "state": state,
            "boardId": spec.board_id,
            "goal": goal,
        });
        if let Some(obj) = value.as_object_mut().filter(|_| state != "future") {
            obj.insert("startDate".into(), json!(sprint_time(start)));
            obj.insert("endDate".into(), json!(sprint_time(end)));
            if state == "closed" {
                obj.insert("completeDate".into(), json!(sprint_time(end - HOUR)));
            }
        }
        all.push(Sprint {
            id,
            name: name.clone(),
            state: state.to_string(),
            board_id: spec.board_id,
            project: project.to_owned(),
            goal,
            start_date: (state != "future").then(|| ts(start)),
            end_date: (state != "future").then(|| ts(end)),
        });
        out.push(SprintRt {
            id,
            name,
            start,
            end,
            value,
        });
    }
    out
}
