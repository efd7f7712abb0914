//! Surface cues of an option's wording (its words, word pairs, opening word, `?` and `!`), and
//! how strongly each one predicts the best option of a decision, learned from scenarios.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::scenario::{ChoiceDef, Scenario};

/// Options (best and other) a cue must appear in before it counts as a tell.
const MIN_SUPPORT: usize = 6;

/// A cue and how its presence differs between the best options and the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tell {
    /// The cue: a word, two words, `^word` (the opening word), `?` or `!`.
    pub cue: String,
    /// Share of best options that have it.
    pub best_share: f64,
    /// Share of the other options that have it.
    pub other_share: f64,
}

/// The cues of a text.
pub(super) fn cues_of(text: &str) -> BTreeSet<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let mut cues: BTreeSet<String> = words.iter().map(|w| (*w).to_owned()).collect();
    cues.extend(words.windows(2).map(|pair| pair.join(" ")));
    if let Some(first) = words.first() {
        cues.insert(format!("^{first}"));
    }
    for mark in ['?', '!'] {
        if text.contains(mark) {
            cues.insert(mark.to_string());
        }
    }
    cues
}

/// The best options of a decision: the highest total points, when not all options tie.
pub(super) fn best_of(choices: &[&ChoiceDef]) -> Vec<bool> {
    let total = |c: &ChoiceDef| c.effects.iter().sum::<i32>();
    let Some(top) = choices.iter().map(|c| total(c)).max() else {
        return Vec::new();
    };
    if choices.iter().all(|c| total(c) == top) {
        return vec![false; choices.len()];
    }
    choices.iter().map(|c| total(c) == top).collect()
}

/// How often each cue appears among best options and among the others.
#[derive(Debug, Default)]
pub(super) struct CueCounts {
    best: usize,
    other: usize,
    counts: HashMap<String, (usize, usize)>,
}

impl CueCounts {
    /// Counts every decision of these scenarios.
    pub(super) fn of<'a>(scenarios: impl IntoIterator<Item = &'a Scenario>) -> Self {
        let mut table = CueCounts::default();
        for scenario in scenarios {
            for node in 0..scenario.nodes.len() {
                let choices: Vec<&ChoiceDef> = scenario.choices(node).iter().collect();
                for (choice, best) in choices.iter().zip(best_of(&choices)) {
                    table.add(&choice.text, best);
                }
            }
        }
        table
    }

    /// These counts without `part`'s (counted within them): the library's cues leaving one
    /// scenario out, without counting the others again.
    pub(super) fn without(&self, part: &CueCounts) -> CueCounts {
        let mut counts = self.counts.clone();
        for (cue, &(b, o)) in &part.counts {
            if let Some(entry) = counts.get_mut(cue) {
                entry.0 = entry.0.saturating_sub(b);
                entry.1 = entry.1.saturating_sub(o);
                if *entry == (0, 0) {
                    counts.remove(cue);
                }
            }
        }
        CueCounts {
            best: self.best.saturating_sub(part.best),
            other: self.other.saturating_sub(part.other),
            counts,
        }
    }

    fn add(&mut self, text: &str, best: bool) {
        if best {
            self.best += 1;
        } else {
            self.other += 1;
        }
        for cue in cues_of(text) {
            let entry = self.counts.entry(cue).or_default();
            if best {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
    }

    /// How much a cue's presence says "best" (positive) or "not best" (negative): the log of
    /// the ratio of its smoothed shares. Rare cues say nothing.
    pub(super) fn weight(&self, cue: &str) -> f64 {
        match self.counts.get(cue) {
            Some(&(b, o)) if b + o >= MIN_SUPPORT => {
                let best = (b as f64 + 0.5) / (self.best as f64 + 1.0);
                let other = (o as f64 + 0.5) / (self.other as f64 + 1.0);
                (best / other).ln()
            }
            _ => 0.0,
        }
    }

    /// How strongly a text's cues say "best".
    pub(super) fn score(&self, text: &str) -> f64 {
        cues_of(text).iter().map(|c| self.weight(c)).sum()
    }

    /// The strongest tells, either way, strongest first.
    pub(super) fn strongest(&self, how_many: usize) -> Vec<Tell> {
        let mut tells: Vec<(f64, Tell)> = self
            .counts
            .iter()
            .filter(|(_, (b, o))| b + o >= MIN_SUPPORT * 2)
            .map(|(cue, &(b, o))| {
                let tell = Tell {
                    cue: cue.clone(),
                    best_share: b as f64 / self.best.max(1) as f64,
                    other_share: o as f64 / self.other.max(1) as f64,
                };
                (self.weight(cue).abs(), tell)
            })
            .collect();
        tells.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cue.cmp(&b.1.cue)));
        tells.into_iter().take(how_many).map(|(_, t)| t).collect()
    }
}
