//! The bundled library in `scenarios/` is the product: every file must check clean, and every
//! scenario must be able to tell a ready trainee from one who is not.

use std::path::PathBuf;

use mentorsim_script::diagnostic::render;
use mentorsim_script::library::Library;
use mentorsim_script::model::{ScenarioKind, Severity};
use mentorsim_script::scenario::{ChoiceDef, LineNext, LineNode, NodeKind, Scenario};

fn bundled() -> Library {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    Library::load(&[dir])
}

#[test]
fn bundled_library_checks_without_errors_or_warnings() {
    let library = bundled();
    let report = render(&library.diagnostics, |f| library.source(f), false);
    for entry in &library.scenarios {
        if let Some(analysis) = &entry.analysis {
            println!("{}: {:?}", entry.file, analysis.stats);
        }
    }
    assert!(library.diagnostics.is_empty(), "{report}");
}

#[test]
fn the_bundled_modules_are_the_cards_four_between_a_start_and_an_end_all_required_in_order() {
    let library = bundled();
    let modules: Vec<(&str, bool)> = library
        .modules
        .iter()
        .map(|m| (m.id.as_str(), m.required))
        .collect();
    assert_eq!(
        modules,
        [
            ("starting-well", true),
            ("active-listening", true),
            ("confidentiality-boundaries", true),
            ("dependency", true),
            ("compassion-fatigue", true),
            ("ending-well", true),
        ]
    );
}

#[test]
fn every_scenario_can_be_both_passed_and_failed() {
    let library = bundled();
    for entry in &library.scenarios {
        let stats = &entry.analysis.as_ref().expect("analysed").stats;
        assert_eq!(
            stats.pass_reachable,
            Some(true),
            "{} cannot be passed",
            entry.file
        );
        assert_eq!(
            stats.fail_reachable,
            Some(true),
            "{} cannot be failed",
            entry.file
        );
    }
}

fn playable(library: &Library) -> Vec<&Scenario> {
    library
        .scenarios
        .iter()
        .filter_map(|e| e.scenario.as_deref())
        .collect()
}

fn decisions(scenario: &Scenario) -> impl Iterator<Item = (&str, &[ChoiceDef])> {
    scenario.nodes.iter().filter_map(|node| match &node.kind {
        NodeKind::Line(LineNode {
            next: LineNext::Choices(choices),
            ..
        }) => Some((node.id.as_str(), choices.as_slice())),
        _ => None,
    })
}

#[test]
fn every_module_has_two_practice_scenarios_and_an_assessment() {
    let library = bundled();
    for module in &library.modules {
        let of_topic: Vec<_> = playable(&library)
            .into_iter()
            .filter(|s| s.topic == module.id)
            .collect();
        let practice = of_topic
            .iter()
            .filter(|s| s.kind == ScenarioKind::Practice)
            .count();
        let assessment = of_topic.len() - practice;
        assert!(
            practice >= 2 && assessment >= 1,
            "{}: {practice} practice and {assessment} assessment scenario(s)",
            module.title
        );
    }
}

#[test]
fn every_path_of_every_scenario_has_at_least_six_decisions() {
    let library = bundled();
    for entry in &library.scenarios {
        let stats = &entry.analysis.as_ref().expect("analysed").stats;
        assert!(
            stats.decisions_min >= Some(6),
            "{}: a path with only {:?} decisions",
            entry.file,
            stats.decisions_min
        );
    }
}

/// Each claimed competency assessed on every path is the checker's `competency-not-assessed`
/// warning, covered by the clean check above; these are what the checker does not enforce.
#[test]
fn every_decision_offers_real_alternatives_each_with_feedback() {
    let library = bundled();
    for scenario in playable(&library) {
        for (node, choices) in decisions(scenario) {
            assert!(
                choices.len() >= 3,
                "{} `{node}`: only {} options",
                scenario.id,
                choices.len()
            );
            for choice in choices {
                assert!(
                    choice.feedback.trim().len() >= 40,
                    "{} `{node}`/`{}`: feedback too thin to explain why",
                    scenario.id,
                    choice.id
                );
                assert!(
                    !choice.codes.is_empty(),
                    "{} `{node}`/`{}`: no behaviour code",
                    scenario.id,
                    choice.id
                );
            }
        }
    }
}

/// With no `choice-never-offered` warning, every critical option is offered on some path.
#[test]
fn every_assessment_can_be_failed_by_a_critical_error() {
    let library = bundled();
    for scenario in playable(&library)
        .into_iter()
        .filter(|s| s.kind == ScenarioKind::Assessment)
    {
        assert!(
            decisions(scenario)
                .flat_map(|(_, choices)| choices)
                .any(|c| matches!(c.severity, Severity::Critical(_))),
            "{} has no critical option",
            scenario.id
        );
    }
}

#[test]
fn scenarios_touching_abuse_self_harm_or_suicide_carry_content_notes() {
    let library = bundled();
    for scenario in playable(&library) {
        let text: String = scenario
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Line(line) => Some(line.texts.join(" ")),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let sensitive = [
            "suicid",
            "self-harm",
            "cutting",
            "abuse",
            "kill myself",
            "hurts me",
        ]
        .iter()
        .any(|word| text.contains(word));
        assert!(
            !sensitive || !scenario.content_notes.is_empty(),
            "{} touches a sensitive subject but has no content note",
            scenario.id
        );
    }
}

#[test]
fn endings_differ_on_every_scenario() {
    let library = bundled();
    for scenario in playable(&library) {
        let endings = scenario
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Ending(_)))
            .count();
        assert!(endings >= 2, "{} has {endings} ending(s)", scenario.id);
    }
}

/// Which option a key ranks first (the earliest of equals), highest or lowest.
fn extreme<K: Ord>(choices: &[ChoiceDef], key: impl Fn(&ChoiceDef) -> K, highest: bool) -> usize {
    let mut at = 0;
    for (i, choice) in choices.iter().enumerate().skip(1) {
        let (this, so_far) = (key(choice), key(&choices[at]));
        if (highest && this > so_far) || (!highest && this < so_far) {
            at = i;
        }
    }
    at
}

/// A trainee must not be able to pass by length: across the library, the best option of a
/// decision (most points) and the worst are each the longest, or the shortest, about as often
/// as chance makes them (a third of the time with three or four options), not far more or
/// almost never.
#[test]
fn option_length_does_not_give_away_the_best_or_the_worst() {
    let library = bundled();
    let points = |c: &ChoiceDef| c.effects.iter().sum::<i32>();
    let length = |c: &ChoiceDef| c.text.chars().count();
    let mut seen = 0;
    // best longest, best shortest, worst longest, worst shortest
    let mut hits = [0usize; 4];
    for scenario in playable(&library) {
        for (_, choices) in decisions(scenario) {
            seen += 1;
            let (best, worst) = (
                extreme(choices, points, true),
                extreme(choices, points, false),
            );
            let (longest, shortest) = (
                extreme(choices, length, true),
                extreme(choices, length, false),
            );
            for (hit, (option, by_length)) in hits.iter_mut().zip([
                (best, longest),
                (best, shortest),
                (worst, longest),
                (worst, shortest),
            ]) {
                *hit += usize::from(option == by_length);
            }
        }
    }
    let shares = hits.map(|h| h as f64 / seen as f64);
    let named = [
        "best longest",
        "best shortest",
        "worst longest",
        "worst shortest",
    ];
    for (name, share) in named.iter().zip(shares) {
        assert!(
            (0.10..=0.40).contains(&share),
            "the {name} option in {:.0}% of {seen} decisions: {:?}",
            share * 100.0,
            named.iter().zip(shares).collect::<Vec<_>>()
        );
    }
}

/// Random choice, always-longest, always-shortest and the library's own tells must not pass an
/// assessment (the `guessable` warning of `mentorsim check`).
#[test]
fn no_bundled_assessment_can_be_passed_by_guessing() {
    let library = bundled();
    let guessing = mentorsim_script::guessing::assess(&library);
    let assessments = library
        .scenarios
        .iter()
        .filter_map(|e| e.scenario.as_ref())
        .filter(|s| s.kind == mentorsim_script::model::ScenarioKind::Assessment)
        .count();
    assert!(assessments >= 8, "two forms per module");
    assert_eq!(guessing.assessments.len(), assessments);
    let report: Vec<&str> = guessing
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(report.is_empty(), "{report:#?}");
}
