//! Saved filters of the demo site: the demo user's own, a few shared ones by colleagues
//! that they favourite, and a private one of someone else's that they must not see.

use super::*;
use crate::emulator::store::Filter;

/// Filter ids start where a young Jira Cloud site's do.
const FIRST_FILTER_ID: u64 = 10_000;

/// (name, owner, description, JQL, favourited by, shared). People are named by display
/// name, as in the assets; the demo user is "Dev Patel".
type FilterSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
);

const DEV: &str = "Dev Patel";
const MARA: &str = "Mara Lindqvist";
const NINA: &str = "Nina Kowalski";

#[rustfmt::skip]
const FILTERS: &[FilterSpec] = &[
    ("My open bugs", DEV,
     "Bugs assigned to me that nobody has resolved yet.",
     "assignee = currentUser() AND type = Bug AND resolution = Unresolved ORDER BY priority DESC, updated DESC",
     &[DEV], false),
    ("NAV sprint board", MARA,
     "Everything in the open NAV sprints, by status.",
     "project = NAV AND sprint in openSprints() ORDER BY status ASC, priority DESC",
     &[MARA, DEV, "Aiko Tanaka"], true),
    ("Customer escalations", NINA,
     "Escalated or high-priority support requests that are still open.",
     "project = HELP AND (labels = escalated OR priority in (Highest, High)) AND statusCategory != Done ORDER BY priority DESC, created ASC",
     &[NINA, "Jordan Blake", DEV], true),
    ("Recently resolved", DEV,
     "Resolved in the last two weeks, across projects.",
     "resolved >= -14d ORDER BY resolved DESC",
     &[DEV], false),
    ("Reported by me", DEV,
     "",
     "reporter = currentUser() ORDER BY created DESC",
     &[], false),
    ("Waiting for review", DEV,
     "Work in review that has not moved for a week.",
     "status = \"In Review\" AND updated <= -7d ORDER BY updated ASC",
     &[DEV], true),
    ("Watched and open", DEV,
     "",
     "issue in watchedIssues() AND statusCategory != Done ORDER BY updated DESC",
     &[], false),
    ("NAV 2.8.0 release scope", MARA,
     "What still has to land for 2.8.0.",
     "project = NAV AND fixVersion = \"2.8.0\" ORDER BY status ASC, key ASC",
     &[MARA, "Liang Wei"], true),
    ("Portal bugs without an owner", "Tomás Herrera",
     "Open WEB bugs nobody has picked up.",
     "project = WEB AND type = Bug AND assignee is EMPTY AND resolution is EMPTY ORDER BY priority DESC",
     &["Tomás Herrera", "Grace Thompson"], true),
    ("Unestimated stories", MARA,
     "Stories in open sprints that still need story points.",
     "type = Story AND sprint in openSprints() AND \"Story Points\" is EMPTY",
     &[MARA], true),
    ("OPS on-call follow-ups", "Emma Schulz",
     "Follow-ups from on-call shifts that are still open.",
     "project = OPS AND labels = on-call AND resolution = Unresolved ORDER BY created DESC",
     &["Emma Schulz", "Ravi Shankar"], true),
    ("S1 bugs (triage)", NINA,
     "My private triage list.",
     "Severity = \"S1 - Critical\" AND resolution = Unresolved ORDER BY created DESC",
     &[NINA], false),
];

/// The demo filters, with owners and favourites resolved to account ids.
pub(super) fn filters(users: &[User]) -> Result<Vec<Filter>, SeedError> {
    let account = |name: &str| {
        users
            .iter()
            .find(|u| u.display_name == name)
            .map(|u| u.account_id.clone())
            .ok_or_else(|| SeedError::Invalid(format!("filter person {name} is not a user")))
    };
    (FIRST_FILTER_ID..)
        .zip(FILTERS)
        .map(
            |(id, (name, owner, description, jql, favourites, shared))| {
                Ok(Filter {
                    id,
                    name: (*name).to_owned(),
                    description: (*description).to_owned(),
                    jql: (*jql).to_owned(),
                    owner: account(owner)?,
                    favourite_of: favourites
                        .iter()
                        .map(|n| account(n))
                        .collect::<Result<_, _>>()?,
                    shared: *shared,
                })
            },
        )
        .collect()
}
