//! What trainers read about their scenarios: the graph (laid out left to right, every option with
//! its effect, written as DOT and Mermaid; tests/cli.rs renders the DOT with Graphviz itself) and
//! the choice analytics from the records.

#[path = "support/play.rs"]
mod play;

use std::collections::{BTreeMap, BTreeSet};

use mentorsim_records::analytics::analyse;
use mentorsim_records::store::Store;
use mentorsim_script::engine::Mode;
use mentorsim_script::graph::{EdgeKind, Graph, GraphNodeKind};
use play::{Pick, bundled_library, play_recorded};

#[test]
fn every_bundled_scenario_reads_left_to_right_from_its_start() {
    let library = bundled_library();
    for id in library.scenario_ids() {
        let scenario = library.scenario(id).unwrap();
        let graph = Graph::of(scenario);
        assert_eq!(graph.nodes.len(), scenario.nodes.len());
        assert_eq!(graph.nodes[scenario.start].layer, 0, "{id}");
        assert!(graph.nodes[scenario.start].start);
        for edge in &graph.edges {
            let (from, to) = (&graph.nodes[edge.from], &graph.nodes[edge.to]);
            assert!(
                edge.back || to.layer > from.layer,
                "{id}: {} -> {} goes backwards but is not marked as a loop",
                from.id,
                to.id
            );
        }
        let places: BTreeSet<(usize, usize)> =
            graph.nodes.iter().map(|n| (n.layer, n.row)).collect();
        assert_eq!(
            places.len(),
            graph.nodes.len(),
            "{id}: two nodes in one place"
        );
        assert!(
            graph
                .nodes
                .iter()
                .all(|n| n.layer < graph.layers && n.row < graph.rows)
        );
        let choices = graph
            .edges
            .iter()
            .filter(|e| matches!(e.kind, EdgeKind::Choice { .. }))
            .count();
        let defined: usize = (0..scenario.nodes.len())
            .map(|n| scenario.choices(n).len())
            .sum();
        assert_eq!(choices, defined, "{id}: every option is an edge");
    }
}

#[test]
fn critical_options_and_endings_are_marked_in_dot_and_mermaid() {
    let library = bundled_library();
    let scenario = library.scenario("dep-just-till-the-28th").unwrap();
    let graph = Graph::of(scenario);
    let critical: Vec<&str> = graph
        .edges
        .iter()
        .filter(|e| e.kind.is_critical())
        .filter_map(|e| match &e.kind {
            EdgeKind::Choice { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert!(!critical.is_empty());
    let endings = graph
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, GraphNodeKind::Ending { .. }))
        .count();
    assert!(endings >= 2);

    let dot = graph.to_dot();
    assert!(dot.starts_with("digraph \"dep-just-till-the-28th\" {"));
    assert!(dot.contains("rankdir=LR;"));
    assert_eq!(dot.matches("shape=doubleoctagon").count(), endings);
    for id in &critical {
        assert!(dot.contains(&format!("{id} (")), "{id}");
    }
    assert_eq!(dot.matches("CRITICAL").count(), critical.len());
    assert_eq!(dot.matches(" -> ").count(), graph.edges.len());

    let mermaid = graph.to_mermaid();
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert_eq!(mermaid.matches("CRITICAL").count(), critical.len());
    assert_eq!(mermaid.matches("([\"").count(), endings);
    assert!(!mermaid.contains("\"\""), "no empty or broken labels");
}

#[test]
fn pick_rates_are_shares_of_the_picks_at_each_decision() {
    let library = bundled_library();
    let scenario = library.scenario("cb-asking-for-a-friend").unwrap();
    let mut graph = Graph::of(scenario);
    let first_decision = (0..scenario.nodes.len())
        .find(|&n| !scenario.choices(n).is_empty())
        .unwrap();
    let options = scenario.choices(first_decision);
    let node = &scenario.nodes[first_decision].id;
    let counts = BTreeMap::from([
        ((node.clone(), options[0].id.clone()), 3),
        ((node.clone(), options[1].id.clone()), 1),
    ]);
    graph.set_picks(&counts);
    let rates: Vec<f64> = graph
        .edges
        .iter()
        .filter(|e| e.from == first_decision)
        .filter_map(|e| match &e.kind {
            EdgeKind::Choice { picks, .. } => picks.map(|p| p.rate),
            _ => None,
        })
        .collect();
    assert_eq!(rates[..2], [0.75, 0.25]);
    assert!(rates[2..].iter().all(|r| *r == 0.0));
    assert!(graph.to_dot().contains("75%"));
}

#[test]
fn analytics_count_what_trainees_picked_and_the_critical_errors_they_made() {
    let library = bundled_library();
    let scenario = library.scenario("cb-asking-for-a-friend").unwrap();
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Ada").unwrap();
    play_recorded(&store, "t-1", scenario, 1, Mode::Practice, Pick::Strongest);
    play_recorded(&store, "t-1", scenario, 2, Mode::Assessment, Pick::Weakest);
    play_recorded(&store, "t-1", scenario, 3, Mode::Assessment, Pick::Weakest);

    let report = analyse(
        scenario,
        &store.choice_picks(&scenario.id).unwrap(),
        store.critical_counts(&scenario.id).unwrap(),
        store.attempt_counts(&scenario.id).unwrap(),
    );
    assert_eq!((report.attempts, report.finished), (3, 3));
    let first = &report.decisions[0];
    assert_eq!(first.picks, 3);
    let taken: Vec<(u64, f64)> = first
        .options
        .iter()
        .filter(|o| o.count > 0)
        .map(|o| (o.count, o.rate))
        .collect();
    assert_eq!(taken.len(), 2, "the strong and the weak option");
    assert!(taken.contains(&(2, 2.0 / 3.0)) && taken.contains(&(1, 1.0 / 3.0)));
    assert!(first.options.iter().all(|o| o.in_scenario));

    let most_common = &report.critical[0];
    assert_eq!(most_common.count, 2, "both weak attempts made it");
    let option = report
        .decisions
        .iter()
        .flat_map(|d| &d.options)
        .find(|o| o.choice == most_common.choice)
        .unwrap();
    assert_eq!(option.severity, Some("critical"));
}

#[test]
fn options_the_records_have_but_the_scenario_lost_are_still_counted() {
    let library = bundled_library();
    let scenario = library.scenario("cb-asking-for-a-friend").unwrap();
    let node = scenario.nodes[(0..scenario.nodes.len())
        .find(|&n| !scenario.choices(n).is_empty())
        .unwrap()]
    .id
    .clone();
    let picks = BTreeMap::from([
        ((node.clone(), "cut-in-version-2".to_owned()), 4),
        (("gone-node".to_owned(), "x".to_owned()), 1),
    ]);
    let report = analyse(scenario, &picks, Vec::new(), (5, 5));
    let first = &report.decisions[0];
    let gone = first
        .options
        .iter()
        .find(|o| o.choice == "cut-in-version-2")
        .unwrap();
    assert!(!gone.in_scenario);
    assert_eq!((gone.count, gone.rate), (4, 1.0));
    let last = report.decisions.last().unwrap();
    assert_eq!((last.node.as_str(), last.picks), ("gone-node", 1));
}
