//! Links between issues (blocks, relates, duplicates, clones), recorded on both sides.

use super::*;

impl Seeder<'_> {
    pub(super) fn links(&mut self, plans: &[Plan]) {
        const RECENT: usize = 30;
        let mut seen: HashSet<(u64, usize, usize)> = HashSet::new();
        let mut by_project: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        let mut software_bugs: Vec<usize> = Vec::new();
        for i in 0..plans.len() {
            let plan = &plans[i];
            let (software, service_desk) = {
                let rt = &self.projects[plan.project];
                (rt.software, rt.service_desk)
            };
            let earlier: Vec<usize> = {
                let list = &by_project[plan.project];
                list[list.len().saturating_sub(RECENT)..].to_vec()
            };
            if !earlier.is_empty() {
                if self.store.issues[i].resolution_id == Some(DUPLICATE_RESOLUTION_ID) {
                    let same_kind: Vec<usize> = earlier
                        .iter()
                        .copied()
                        .filter(|&j| plans[j].kind == plan.kind)
                        .collect();
                    let pool = if same_kind.is_empty() {
                        &earlier
                    } else {
                        &same_kind
                    };
                    let j = *self.rng.pick(pool);
                    self.link(&mut seen, DUPLICATE_LINK_TYPE_ID, i, j);
                }
                if plan.kind != Kind::Epic && !service_desk && self.rng.chance(0.08) {
                    let j = *self.rng.pick(&earlier);
                    if self.rng.chance(0.5) {
                        self.link(&mut seen, BLOCKS_LINK_TYPE_ID, i, j);
                    } else {
                        self.link(&mut seen, BLOCKS_LINK_TYPE_ID, j, i);
                    }
                }
                if self.rng.chance(0.05) {
                    let j = *self.rng.pick(&earlier);
                    self.link(&mut seen, RELATES_LINK_TYPE_ID, i, j);
                }
                if plan.kind != Kind::Epic && self.rng.chance(0.01) {
                    let j = *self.rng.pick(&earlier);
                    self.link(&mut seen, CLONERS_LINK_TYPE_ID, i, j);
                }
            }
            // Customer reports point at the engineering bug that tracks the fix.
            if service_desk && !software_bugs.is_empty() && self.rng.chance(0.3) {
                let window = &software_bugs[software_bugs.len().saturating_sub(RECENT)..];
                let j = *self.rng.pick(window);
                self.link(&mut seen, RELATES_LINK_TYPE_ID, i, j);
            }
            by_project[plan.project].push(i);
            if software && plan.kind == Kind::Bug {
                software_bugs.push(i);
            }
        }
    }

    /// Records one link on both issues: `outward` <outward verb> `inward`.
    pub(super) fn link(
        &mut self,
        seen: &mut HashSet<(u64, usize, usize)>,
        type_id: u64,
        outward: usize,
        inward: usize,
    ) {
        if outward == inward || !seen.insert((type_id, outward.min(inward), outward.max(inward))) {
            return;
        }
        let id = self.child_id();
        let outward_key = self.store.issues[outward].key.clone();
        let inward_key = self.store.issues[inward].key.clone();
        self.store.issues[outward].links.push(IssueLink {
            id,
            link_type_id: type_id,
            direction: LinkDirection::Outward,
            other_key: inward_key,
        });
        self.store.issues[inward].links.push(IssueLink {
            id,
            link_type_id: type_id,
            direction: LinkDirection::Inward,
            other_key: outward_key,
        });
    }
}
