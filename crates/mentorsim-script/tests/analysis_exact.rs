//! The path analysis must agree exactly with playing every path through the engine.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use mentorsim_script::analysis::ClaimFigures;
use mentorsim_script::diagnostic::Code;
use mentorsim_script::engine::{AttemptResult, Mode, Session};
use mentorsim_script::scenario::Scenario;
use proptest::prelude::*;
use support::{Shape, checked_of, scenario_ron};

/// Every complete attempt, by trying every offered choice at every decision.
fn all_results(scenario: &Arc<Scenario>) -> Vec<AttemptResult> {
    all_finished(scenario)
        .iter()
        .map(|session| session.result().unwrap())
        .collect()
}

/// Per competency, the fewest decisions on a path whose offered options differ in its points.
fn fewest_assessing(scenario: &Arc<Scenario>) -> BTreeMap<String, usize> {
    let width = scenario.competencies.len();
    let mut fewest = vec![usize::MAX; width];
    let start = Session::start(Arc::clone(scenario), 0, Mode::Assessment).unwrap();
    let mut stack = vec![(start, vec![0usize; width])];
    while let Some((mut session, counts)) = stack.pop() {
        match session.current() {
            None => {
                for (f, n) in fewest.iter_mut().zip(&counts) {
                    *f = (*f).min(*n);
                }
            }
            Some(line) if line.options.is_empty() => {
                session.advance().unwrap();
                stack.push((session, counts));
            }
            Some(line) => {
                let node = scenario.node_index(&line.node).unwrap();
                let offered: Vec<_> = scenario
                    .choices(node)
                    .iter()
                    .filter(|c| line.options.iter().any(|o| o.id == c.id))
                    .collect();
                let mut counts = counts;
                for (c, count) in counts.iter_mut().enumerate() {
                    let first = offered[0].effects[c];
                    *count += usize::from(offered.iter().any(|o| o.effects[c] != first));
                }
                for option in &line.options {
                    let mut next = session.clone();
                    next.choose_id(&option.id).unwrap();
                    stack.push((next, counts.clone()));
                }
            }
        }
    }
    scenario
        .competencies
        .iter()
        .map(|c| c.id.clone())
        .zip(fewest)
        .collect()
}

/// Every session played to an ending, one per path.
fn all_finished(scenario: &Arc<Scenario>) -> Vec<Session> {
    let mut finished = Vec::new();
    let mut stack = vec![Session::start(Arc::clone(scenario), 0, Mode::Assessment).unwrap()];
    while let Some(mut session) = stack.pop() {
        match session.current() {
            None => finished.push(session),
            Some(line) if line.options.is_empty() => {
                session.advance().unwrap();
                stack.push(session);
            }
            Some(line) => {
                for option in &line.options {
                    let mut next = session.clone();
                    next.choose_id(&option.id).unwrap();
                    stack.push(next);
                }
            }
        }
    }
    finished
}

fn shapes() -> impl Strategy<Value = Shape> {
    (
        any::<u64>(),
        1usize..6,
        1usize..4,
        2usize..4,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(seed, layers, width, choices, variables, critical)| Shape {
                seed,
                layers,
                width,
                choices,
                variables,
                critical,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn bounds_paths_and_reachability_match_brute_force(shape in shapes()) {
        let checked = checked_of(&scenario_ron(shape));
        let scenario = Arc::new(checked.scenario.unwrap());
        let stats = &checked.analysis.as_ref().unwrap().stats;
        let results = all_results(&scenario);

        prop_assert_eq!(stats.paths, Some(results.len() as u128));
        let mut bounds: BTreeMap<String, [f64; 2]> = BTreeMap::new();
        for result in &results {
            for (id, &score) in &result.scores {
                let entry = bounds.entry(id.clone()).or_insert([score, score]);
                entry[0] = entry[0].min(score);
                entry[1] = entry[1].max(score);
            }
        }
        for (id, [min, max]) in &bounds {
            let found = stats.score_bounds[id];
            prop_assert!((found[0] - min).abs() < 1e-9 && (found[1] - max).abs() < 1e-9,
                "{}: analysis {:?}, brute force {:?}", id, found, [min, max]);
        }
        prop_assert_eq!(stats.pass_reachable, Some(results.iter().any(|r| r.passed)));
        prop_assert_eq!(stats.fail_reachable, Some(results.iter().any(|r| !r.passed)));
        let decisions: Vec<usize> = results.iter().map(|r| r.decisions.len()).collect();
        prop_assert_eq!(stats.decisions_min, decisions.iter().min().copied());
        prop_assert_eq!(stats.decisions_max, decisions.iter().max().copied());
        prop_assert_eq!(&stats.competency_decisions_min, &fewest_assessing(&scenario));
    }

    #[test]
    fn a_claim_is_unsupported_exactly_when_some_played_path_breaks_it(
        shape in shapes(),
        at_least in 0i32..5,
    ) {
        let text = scenario_ron(Shape { variables: true, ..shape }).replace(
            r#"debrief: "Well done.","#,
            &format!(r#"debrief: "Well done.", requires: "trust >= {at_least}","#),
        );
        let checked = checked_of(&text);
        let scenario = Arc::new(checked.scenario.unwrap());
        let analysis = checked.analysis.unwrap();
        let broken = all_finished(&scenario).iter().any(|session| {
            session.result().unwrap().ending == "end-good"
                && session.variables()["trust"] < at_least
        });
        let reported = analysis
            .findings
            .iter()
            .filter(|f| f.code == Code::UnsupportedClaim)
            .count();
        prop_assert_eq!(reported, usize::from(broken));
        prop_assert_eq!(
            analysis.stats.claims,
            ClaimFigures { checked: 1, unsupported: usize::from(broken) }
        );
    }

    #[test]
    fn every_scripted_path_ends_in_an_ending_and_replays_identically(
        shape in shapes(),
        seed in any::<u64>(),
        picks in proptest::collection::vec(any::<usize>(), 64),
    ) {
        let scenario = Arc::new(checked_of(&scenario_ron(shape)).scenario.unwrap());
        let play = || {
            let mut session = Session::start(Arc::clone(&scenario), seed, Mode::Practice).unwrap();
            let mut picks = picks.iter();
            for _ in 0..1000 {
                let Some(line) = session.current() else { break };
                if line.options.is_empty() {
                    session.advance().unwrap();
                } else {
                    let pick = picks.next().copied().unwrap_or(0) % line.options.len();
                    session.choose(pick + 1).unwrap();
                }
            }
            session
        };
        let first = play();
        prop_assert!(first.is_finished());
        let result = first.result().unwrap();
        let ending = scenario.node_index(&result.ending).unwrap();
        prop_assert!(scenario.ending(ending).is_some());
        prop_assert_eq!(Some(result.clone()), play().result());
        let resumed = Session::resume(Arc::clone(&scenario), &first.state()).unwrap();
        prop_assert_eq!(resumed.result(), Some(result));
    }
}
