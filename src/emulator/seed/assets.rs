//! The hand-written demo texts and organisation in `assets/demo/*.json`, parsed at seed time.
//!
//! Keeping prose in data files (not Rust string literals) lets the backlog be read and
//! edited as a whole; this module only gives it types and checks it is usable.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use super::SeedError;

const COMPANY_JSON: &str = include_str!("../../../assets/demo/company.json");
const COMMON_JSON: &str = include_str!("../../../assets/demo/common.json");
/// One texts file per project, matched to `company.json` by its `key`.
const PROJECT_JSON: &[(&str, &str)] = &[
    ("nav.json", include_str!("../../../assets/demo/nav.json")),
    ("web.json", include_str!("../../../assets/demo/web.json")),
    ("ops.json", include_str!("../../../assets/demo/ops.json")),
    ("help.json", include_str!("../../../assets/demo/help.json")),
];

/// Slots the seed fills itself, on top of each project's own `slots`.
pub(crate) const BUILTIN_SLOTS: &[&str] = &[
    "@assignee",
    "@reporter",
    "@lead",
    "@peer",
    "user",
    "component",
    "version",
    "next_version",
    "key",
    "parent",
    "other",
    "summary",
    "pr",
    "sha",
    "build",
    "n",
    "nn",
    "nnn",
    "ms",
    "pct",
    "time",
    "today",
    "ymd",
];

#[derive(Debug, Deserialize)]
pub(crate) struct Company {
    pub users: Vec<UserSpec>,
    /// The site's groups and their members (comment visibility, `/myself?expand=groups`).
    pub groups: Vec<GroupSpec>,
    pub projects: Vec<ProjectSpec>,
    /// Options of the Team select field.
    pub teams: Vec<String>,
    /// Options of the Severity select field, most severe first.
    pub severities: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct UserSpec {
    pub account_id: String,
    pub display_name: String,
    pub email: Option<String>,
    pub active: bool,
    pub time_zone: String,
    pub account_type: String,
    /// Keys of the projects this person works in (assignee and commenter pool).
    #[serde(default)]
    pub projects: Vec<String>,
    /// For a deactivated account: how many days before `now` the person left, so they
    /// only appear on work from before that.
    #[serde(default)]
    pub left_days_ago: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct GroupSpec {
    pub name: String,
    pub id: String,
    /// Account ids.
    pub members: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ProjectSpec {
    pub id: u64,
    pub key: String,
    pub name: String,
    pub project_type_key: String,
    pub style: String,
    pub description: String,
    pub lead: String,
    pub category: Option<String>,
    /// Issue type names with their relative frequency in this project.
    pub issue_types: Vec<(String, u32)>,
    /// Share of all issues that belong to this project.
    pub weight: u32,
    /// Team field options this project's issues use.
    pub teams: Vec<String>,
    /// Repository name on the fictional GitHub org, for pull request links.
    pub repo: String,
    pub sprints: Option<SprintSpec>,
    pub components: Vec<ComponentSpec>,
    pub versions: Vec<VersionSpec>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SprintSpec {
    pub board_id: u64,
    pub prefix: String,
    pub length_days: i64,
    /// How many days into its current sprint the team is at `now`.
    pub days_into_active: i64,
    pub goals: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ComponentSpec {
    pub name: String,
    pub description: String,
    pub lead: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct VersionSpec {
    pub name: String,
    pub description: String,
    /// Release date relative to `now` in days (negative: in the past).
    pub release_day: Option<i64>,
    pub released: bool,
    #[serde(default)]
    pub archived: bool,
}

/// A description or comment building block: one of `options` is used with probability `p`.
#[derive(Debug, Deserialize)]
pub(crate) struct Part {
    pub p: f64,
    #[serde(deserialize_with = "texts")]
    pub options: Vec<String>,
}

/// Comment texts by where in an issue's life they are written.
#[derive(Debug, Deserialize)]
pub(crate) struct Phases {
    #[serde(deserialize_with = "texts")]
    pub early: Vec<String>,
    #[serde(deserialize_with = "texts")]
    pub middle: Vec<String>,
    #[serde(deserialize_with = "texts")]
    pub late: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AttachmentSpec {
    pub name: String,
    pub mime: String,
    pub min_kb: u64,
    pub max_kb: u64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ProjectTexts {
    pub key: String,
    pub slots: BTreeMap<String, Vec<String>>,
    pub labels: Vec<String>,
    /// Summary templates by issue type name.
    pub summaries: BTreeMap<String, Vec<String>>,
    /// Description building blocks by issue type name, in document order.
    pub descriptions: BTreeMap<String, Vec<Part>>,
    /// The `environment` field of bugs.
    #[serde(deserialize_with = "texts")]
    pub environments: Vec<String>,
    /// The Acceptance criteria field of stories (and tasks in projects without stories).
    #[serde(deserialize_with = "texts")]
    pub acceptance: Vec<String>,
    /// The Root cause field of resolved bugs.
    #[serde(deserialize_with = "texts")]
    pub root_causes: Vec<String>,
    pub comments: Phases,
    /// What customers write on their own requests (service desk projects).
    #[serde(default)]
    pub customer_comments: Option<Phases>,
    pub attachments: Vec<AttachmentSpec>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Common {
    /// Short comments that fit any project.
    pub comments: Phases,
    /// Comments posted by the automation bot.
    #[serde(deserialize_with = "texts")]
    pub bot_comments: Vec<String>,
    /// Internal notes of the support team (restricted visibility).
    #[serde(deserialize_with = "texts")]
    pub internal_notes: Vec<String>,
    /// Labels every project may use.
    pub labels: Vec<String>,
}

/// All demo assets, parsed and checked.
#[derive(Debug)]
pub(crate) struct Assets {
    pub company: Company,
    pub common: Common,
    /// In the order of `company.projects`.
    pub projects: Vec<ProjectTexts>,
}

impl Assets {
    pub(crate) fn load() -> Result<Self, SeedError> {
        let company: Company = parse("company.json", COMPANY_JSON)?;
        let common: Common = parse("common.json", COMMON_JSON)?;
        let mut texts = PROJECT_JSON
            .iter()
            .map(|(name, raw)| parse::<ProjectTexts>(name, raw))
            .collect::<Result<Vec<_>, _>>()?;
        let mut projects = Vec::with_capacity(company.projects.len());
        for spec in &company.projects {
            let pos = texts
                .iter()
                .position(|t| t.key == spec.key)
                .ok_or_else(|| SeedError::Invalid(format!("no texts for project {}", spec.key)))?;
            projects.push(texts.swap_remove(pos));
        }
        let assets = Self {
            company,
            common,
            projects,
        };
        assets.check()?;
        Ok(assets)
    }

    /// Rejects what would make the generator pick from an empty pool or print a raw slot.
    fn check(&self) -> Result<(), SeedError> {
        let users: Vec<&str> = self
            .company
            .users
            .iter()
            .map(|u| u.account_id.as_str())
            .collect();
        if self.company.teams.is_empty() || self.company.severities.is_empty() {
            return Err(SeedError::Invalid(
                "teams and severities must not be empty".into(),
            ));
        }
        nonempty("common comments", &self.common.comments)?;
        for (what, pool) in [
            ("common bot comments", &self.common.bot_comments),
            ("common internal notes", &self.common.internal_notes),
            ("common labels", &self.common.labels),
        ] {
            if pool.is_empty() {
                return Err(SeedError::Invalid(format!("{what} is empty")));
            }
        }
        for (spec, texts) in self.company.projects.iter().zip(&self.projects) {
            let key = &spec.key;
            let known = |u: &str| users.contains(&u);
            if !known(&spec.lead) {
                return Err(SeedError::Invalid(format!(
                    "{key}: unknown lead {}",
                    spec.lead
                )));
            }
            if let Some(lead) = spec
                .components
                .iter()
                .filter_map(|c| c.lead.as_deref())
                .find(|l| !known(l))
            {
                return Err(SeedError::Invalid(format!(
                    "{key}: unknown component lead {lead}"
                )));
            }
            let members =
                self.company.users.iter().filter(|u| {
                    u.account_type == "atlassian" && u.active && u.projects.contains(key)
                });
            if members.count() < 2 {
                return Err(SeedError::Invalid(format!(
                    "{key}: needs two active members"
                )));
            }
            if spec.components.is_empty() || spec.versions.is_empty() || spec.teams.is_empty() {
                return Err(SeedError::Invalid(format!(
                    "{key}: components, versions and teams must not be empty"
                )));
            }
            if let Some(team) = spec.teams.iter().find(|t| !self.company.teams.contains(t)) {
                return Err(SeedError::Invalid(format!("{key}: unknown team {team}")));
            }
            if spec
                .sprints
                .as_ref()
                .is_some_and(|s| s.goals.is_empty() || s.length_days < 1)
            {
                return Err(SeedError::Invalid(format!(
                    "{key}: sprints need goals and a length"
                )));
            }
            for (type_name, _) in &spec.issue_types {
                let summaries = texts.summaries.get(type_name).map_or(0, Vec::len);
                let parts = texts.descriptions.get(type_name).map_or(0, Vec::len);
                if summaries == 0 || parts == 0 {
                    return Err(SeedError::Invalid(format!(
                        "{key}: issue type {type_name} needs summaries and description parts"
                    )));
                }
            }
            for (what, pool) in [
                ("labels", &texts.labels),
                ("environments", &texts.environments),
                ("acceptance", &texts.acceptance),
                ("root_causes", &texts.root_causes),
            ] {
                if pool.is_empty() {
                    return Err(SeedError::Invalid(format!("{key}: {what} is empty")));
                }
            }
            if texts.attachments.is_empty() || texts.slots.values().any(Vec::is_empty) {
                return Err(SeedError::Invalid(format!(
                    "{key}: empty attachments or slot"
                )));
            }
            if let Some(part) = texts
                .descriptions
                .values()
                .flatten()
                .find(|p| p.options.is_empty())
            {
                return Err(SeedError::Invalid(format!(
                    "{key}: empty description part ({})",
                    part.p
                )));
            }
            nonempty(key, &texts.comments)?;
            if let Some(customer) = &texts.customer_comments {
                nonempty(key, customer)?;
            }
            self.check_slots(texts)?;
        }
        Ok(())
    }

    /// Every `{slot}` in a project's texts (and in the shared texts) must be fillable.
    fn check_slots(&self, texts: &ProjectTexts) -> Result<(), SeedError> {
        let names: Vec<String> = texts.attachments.iter().map(|a| a.name.clone()).collect();
        let common = [
            &self.common.comments.early,
            &self.common.comments.middle,
            &self.common.comments.late,
            &self.common.bot_comments,
            &self.common.internal_notes,
        ];
        let customer = texts
            .customer_comments
            .iter()
            .flat_map(|c| [&c.early, &c.middle, &c.late]);
        let own = [
            &texts.environments,
            &texts.acceptance,
            &texts.root_causes,
            &texts.comments.early,
            &texts.comments.middle,
            &texts.comments.late,
        ];
        let summaries = texts.summaries.values();
        let parts = texts.descriptions.values().flatten().map(|p| &p.options);
        let slot_values = texts.slots.values();
        for template in common
            .into_iter()
            .chain(own)
            .chain(customer)
            .chain(summaries)
            .chain(parts)
            .chain(slot_values)
            .chain(std::iter::once(&names))
            .flatten()
        {
            for slot in slot_names(template) {
                let builtin = BUILTIN_SLOTS.contains(&slot) || date_offset(slot).is_some();
                if !builtin && !texts.slots.contains_key(slot) {
                    return Err(SeedError::Invalid(format!(
                        "{}: unknown slot {{{slot}}} in {template:?}",
                        texts.key
                    )));
                }
            }
        }
        Ok(())
    }
}

/// A text in the assets: one string, or a list of lines (easier to read for multi-line
/// markup than `\n` escapes).
#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    One(String),
    Lines(Vec<String>),
}

fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let raw: Vec<Text> = Vec::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|t| match t {
            Text::One(s) => s,
            Text::Lines(lines) => lines.join("\n"),
        })
        .collect())
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, raw: &str) -> Result<T, SeedError> {
    serde_json::from_str(raw).map_err(|source| SeedError::Asset {
        file: name.to_string(),
        source,
    })
}

fn nonempty(what: &str, phases: &Phases) -> Result<(), SeedError> {
    if phases.early.is_empty() || phases.middle.is_empty() || phases.late.is_empty() {
        return Err(SeedError::Invalid(format!(
            "{what}: every comment phase needs texts"
        )));
    }
    Ok(())
}

/// The slot names in a template: `{name}` where the name is lowercase letters, digits,
/// `_`, `@`, `+` or `-`. Markup tokens such as `{status:..}` and `{color}` are not slots.
pub(crate) fn slot_names(template: &str) -> impl Iterator<Item = &str> {
    template.split('{').skip(1).filter_map(|chunk| {
        let name = &chunk[..chunk.find('}')?];
        is_slot_name(name).then_some(name)
    })
}

pub(crate) fn is_slot_name(name: &str) -> bool {
    !name.is_empty()
        && name != "color"
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_@+-".contains(&b))
}

/// `date+7` / `date-3` -> the day offset; a date node that many days from the event.
pub(crate) fn date_offset(slot: &str) -> Option<i64> {
    let rest = slot.strip_prefix("date")?;
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    digits.parse::<i64>().ok().map(|d| sign * d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_assets_load_and_pass_checks() {
        let assets = Assets::load().unwrap();
        assert_eq!(assets.projects.len(), assets.company.projects.len());
        for (spec, texts) in assets.company.projects.iter().zip(&assets.projects) {
            assert_eq!(spec.key, texts.key);
        }
    }

    #[test]
    fn slots_are_told_apart_from_markup_tokens() {
        let names: Vec<&str> = slot_names(
            "{@assignee} saw {n} drops {status:red:FAIL} {color:#ff5630}x{color} {date+3} {Not}",
        )
        .collect();
        assert_eq!(names, ["@assignee", "n", "date+3"]);
        assert_eq!(date_offset("date+3"), Some(3));
        assert_eq!(date_offset("date-14"), Some(-14));
        assert_eq!(date_offset("date"), None);
        assert_eq!(date_offset("dates"), None);
    }

    #[test]
    fn multi_line_texts_join_with_newlines() {
        let phases: Phases = serde_json::from_str(
            r#"{"early": ["one", ["a", "b"]], "middle": ["m"], "late": ["l"]}"#,
        )
        .unwrap();
        assert_eq!(phases.early, ["one", "a\nb"]);
    }
}
