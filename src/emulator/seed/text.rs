//! Filling the `{slot}`s of the demo texts for one issue at one moment.

use super::*;

/// What `{slot}`s in a template resolve to for one issue at one moment.
pub(super) struct Slots<'s> {
    pub(super) rt: &'s ProjectRt,
    pub(super) texts: &'s ProjectTexts,
    pub(super) names: &'s HashMap<String, String>,
    pub(super) key: &'s str,
    pub(super) parent: Option<&'s str>,
    pub(super) other: Option<&'s str>,
    pub(super) summary: &'s str,
    pub(super) assignee: Option<&'s str>,
    pub(super) reporter: Option<&'s str>,
    /// Who is writing (so `{@peer}` is someone else).
    pub(super) author: Option<&'s str>,
    /// Project members at `at`.
    pub(super) peers: &'s [&'s str],
    pub(super) at: Secs,
}

/// Slot values may contain slots themselves (one level), e.g. an attachment name.
pub(super) const SLOT_DEPTH: usize = 2;

pub(super) fn fill(rng: &mut Rng, s: &Slots<'_>, template: &str) -> String {
    fill_depth(rng, s, template, SLOT_DEPTH)
}

pub(super) fn fill_depth(rng: &mut Rng, s: &Slots<'_>, template: &str, depth: usize) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_slot_name(&after[..close]) => {
                out.push_str(&resolve(rng, s, &after[..close], depth));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) fn mention(s: &Slots<'_>, account_id: &str) -> String {
    let name = s
        .names
        .get(account_id)
        .map_or("Unknown user", String::as_str);
    format!("@[{account_id}:{name}]")
}

pub(super) fn date_token(day: NaiveDate) -> String {
    format!("{{date:{}}}", date_node_millis(day))
}

pub(super) fn resolve(rng: &mut Rng, s: &Slots<'_>, name: &str, depth: usize) -> String {
    let lead = s.rt.lead.as_str();
    let peer = |rng: &mut Rng| -> String {
        let others: Vec<&str> = s
            .peers
            .iter()
            .copied()
            .filter(|p| Some(*p) != s.author)
            .collect();
        if others.is_empty() {
            lead.to_string()
        } else {
            rng.pick(&others).to_string()
        }
    };
    match name {
        "@assignee" => mention(s, s.assignee.unwrap_or(lead)),
        "@reporter" => mention(s, s.reporter.unwrap_or(lead)),
        "@lead" => mention(s, lead),
        "@peer" => {
            let p = peer(rng);
            mention(s, &p)
        }
        "user" => {
            let p = peer(rng);
            s.names.get(&p).cloned().unwrap_or_default()
        }
        "component" => rng.pick(&s.rt.components).1.clone(),
        "version" => {
            let released: Vec<&VersionRt> = s.rt.versions.iter().filter(|v| v.released).collect();
            if released.is_empty() {
                rng.pick(&s.rt.versions).name.clone()
            } else {
                rng.pick(&released).name.clone()
            }
        }
        "next_version" => {
            s.rt.versions
                .iter()
                .find(|v| !v.released)
                .or(s.rt.versions.last())
                .map(|v| v.name.clone())
                .unwrap_or_default()
        }
        "key" => s.key.to_string(),
        "parent" => format!("<<{}>>", browse_url(s.parent.or(s.other).unwrap_or(s.key))),
        "other" => format!("<<{}>>", browse_url(s.other.unwrap_or(s.key))),
        "summary" => s.summary.to_string(),
        "pr" => format!(
            "<<{GITHUB_ORG_URL}/{}/pull/{}>>",
            s.rt.repo,
            rng.range(120, 2400)
        ),
        "sha" => rng.hex(7),
        "build" => rng.range(1200, 9800).to_string(),
        "n" => rng.range(2, 9).to_string(),
        "nn" => rng.range(10, 99).to_string(),
        "nnn" => rng.range(100, 999).to_string(),
        "ms" => rng.range(40, 2500).to_string(),
        "pct" => rng.range(2, 98).to_string(),
        "time" => format!("{:02}:{:02}", rng.range(0, 23), rng.range(0, 59)),
        "today" => date_token(local_date(s.at)),
        "ymd" => local_date(s.at).format("%Y-%m-%d").to_string(),
        other => {
            if let Some(days) = date_offset(other) {
                return date_token(local_date(s.at + days * DAY));
            }
            match s.texts.slots.get(other) {
                Some(values) if depth > 0 => {
                    let value = rng.pick(values).clone();
                    fill_depth(rng, s, &value, depth - 1)
                }
                // Unknown slots are rejected when the assets load; keep the text visible.
                _ => format!("{{{other}}}"),
            }
        }
    }
}

pub(super) fn adf(rng: &mut Rng, markup_text: &str) -> Value {
    markup::doc(markup::blocks(markup_text, rng))
}
