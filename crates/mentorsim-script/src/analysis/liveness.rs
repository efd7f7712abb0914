//! Which variables each node can still read: a variable that no condition on any path from a
//! node reads (no choice's `when`, branch route, ending claim or note) cannot change what
//! happens from there. The state graph merges states that differ only in such variables, so a
//! flag that only an earlier branch read stops multiplying the states after it. Every figure
//! of the analysis is the same, since the merged states have the same futures.
//!
//! The reads that count are chosen ([`Reads`]): where the paths go depends only on choices'
//! `when` and branch routes, so the main graph ignores what the endings' claims and notes
//! read, and each claim is proved on a graph of its own that keeps, besides, only the
//! variables that claim reads. A debrief that remembers every decision in its own variable
//! then costs a small graph per paragraph instead of one graph with every combination.

use crate::condition::Condition;
use crate::scenario::{LineNext, NodeIx, NodeKind, Scenario};

/// Which reads keep a variable live.
#[derive(Clone, Copy)]
pub(super) enum Reads<'a> {
    /// Every condition, claims and notes included.
    All,
    /// Only what decides the paths: choices' `when` and branch routes.
    Routing,
    /// What decides the paths, and these conditions at this ending.
    Claim {
        ending: NodeIx,
        conditions: &'a [&'a Condition],
    },
}

/// Per node, the variables read on some path from it (itself included), as bit sets.
pub(super) struct Liveness {
    words: usize,
    bits: Vec<u64>,
}

impl Liveness {
    /// Reads at each node, then spread backwards along every link until nothing changes.
    pub(super) fn of(scenario: &Scenario, reads: Reads) -> Self {
        let n = scenario.nodes.len();
        let words = scenario.variables.len().div_ceil(64);
        let mut live = Liveness {
            words,
            bits: vec![0; n * words],
        };
        if words == 0 {
            return live;
        }
        let mut predecessors: Vec<Vec<NodeIx>> = vec![Vec::new(); n];
        for (node, def) in scenario.nodes.iter().enumerate() {
            let mut read = |var: usize| live.bits[node * words + var / 64] |= 1 << (var % 64);
            match &def.kind {
                NodeKind::Line(line) => match &line.next {
                    LineNext::Continue(next) => predecessors[*next].push(node),
                    LineNext::Choices(choices) => {
                        for choice in choices {
                            if let Some(when) = &choice.when {
                                when.variables(&mut read);
                            }
                            predecessors[choice.next].push(node);
                        }
                    }
                },
                NodeKind::Branch(routes) => {
                    for (when, next) in routes {
                        if let Some(when) = when {
                            when.variables(&mut read);
                        }
                        predecessors[*next].push(node);
                    }
                }
                NodeKind::Ending(ending) => match reads {
                    Reads::All => {
                        let conditions = ending.requires.iter().chain(
                            ending
                                .notes
                                .iter()
                                .flat_map(|note| note.when.iter().chain(&note.requires)),
                        );
                        for condition in conditions {
                            condition.variables(&mut read);
                        }
                    }
                    Reads::Routing => {}
                    Reads::Claim {
                        ending: at,
                        conditions,
                    } => {
                        if at == node {
                            for condition in conditions {
                                condition.variables(&mut read);
                            }
                        }
                    }
                },
            }
        }
        let mut pending: Vec<NodeIx> = (0..n).collect();
        while let Some(node) = pending.pop() {
            for &before in &predecessors[node] {
                let mut grew = false;
                for w in 0..words {
                    let added = live.bits[node * words + w] & !live.bits[before * words + w];
                    if added != 0 {
                        live.bits[before * words + w] |= added;
                        grew = true;
                    }
                }
                if grew {
                    pending.push(before);
                }
            }
        }
        live
    }

    /// Whether some path from `node` reads variable `var`.
    pub(super) fn is_live(&self, node: NodeIx, var: usize) -> bool {
        self.bits[node * self.words + var / 64] & (1 << (var % 64)) != 0
    }

    /// `vars` with every variable `node` can no longer read set to its value in `canonical`.
    pub(super) fn merge_dead(&self, node: NodeIx, vars: &mut [i32], canonical: &[i32]) {
        for (var, value) in vars.iter_mut().enumerate() {
            if !self.is_live(node, var) {
                *value = canonical[var];
            }
        }
    }
}
