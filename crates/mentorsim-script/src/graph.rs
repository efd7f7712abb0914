//! A scenario as a graph for the people who write it: every node placed in a layer from left to
//! right (the order a conversation unfolds), every edge with what it does to the score. The
//! app's graph view draws it; [`Graph::to_dot`] and [`Graph::to_mermaid`] hand it to Graphviz
//! and to Markdown documentation.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{Outcome, Severity, Speaker};
use crate::scenario::{LineNext, NodeIx, NodeKind, Scenario};

/// The graph of one scenario, laid out.
#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Nodes in file order (index = [`NodeIx`]).
    pub nodes: Vec<GraphNode>,
    /// Edges: continues, choices (in author order per line) and branch routes.
    pub edges: Vec<GraphEdge>,
    /// Number of layers.
    pub layers: usize,
    /// Most nodes in one layer.
    pub rows: usize,
}

/// A node and where it sits.
#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    /// Id from the file.
    pub id: String,
    /// What it is.
    pub kind: GraphNodeKind,
    /// Who speaks (lines only): "Mentee", "Narrator" or the other speaker's name.
    pub speaker: Option<String>,
    /// The main wording (lines), the ending's closing line, or empty (branches).
    pub text: String,
    /// Column, from 0 at the start node.
    pub layer: usize,
    /// Position within the column, from 0 at the top.
    pub row: usize,
    /// Whether it is the start node.
    pub start: bool,
}

/// The kinds of node a trainer tells apart on the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum GraphNodeKind {
    /// A line the trainee answers.
    Decision,
    /// A line the conversation continues from.
    Line,
    /// A silent switch on the mentee's state.
    Branch,
    /// An ending, with its title and outcome.
    Ending {
        /// Short name.
        title: String,
        /// How it went for the mentee.
        outcome: Outcome,
    },
}

/// An edge.
#[derive(Debug, Clone, Serialize)]
pub struct GraphEdge {
    /// From node.
    pub from: NodeIx,
    /// To node.
    pub to: NodeIx,
    /// What the edge is.
    pub kind: EdgeKind,
    /// The condition that shows the choice or takes the route, as written.
    pub condition: Option<String>,
    /// Whether it leads back to an earlier or the same layer (a loop).
    pub back: bool,
}

/// What an edge is.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum EdgeKind {
    /// A line without choices continues.
    Continue,
    /// A branch route.
    Route,
    /// An option of a decision.
    Choice {
        /// Choice id.
        id: String,
        /// What the trainee says.
        text: String,
        /// Points per competency id (zeros left out).
        effects: BTreeMap<String, i32>,
        /// Sum of the points: what colours the edge.
        net: i32,
        /// `major`, `critical` or none.
        severity: Option<&'static str>,
        /// How often trainees took it, from the records, when asked for.
        picks: Option<Picks>,
    },
}

/// How often trainees took an option.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Picks {
    /// Times taken.
    pub count: u64,
    /// Share of all picks at its decision, 0..1.
    pub rate: f64,
}

impl GraphEdge {
    /// How a choice edge looks wherever it is drawn: its caption (`id (+3) CRITICAL 42%`), its
    /// colour ([`effect_colour`]) and its width (by pick rate when known, heavier when
    /// critical). `None` for continues and routes.
    pub fn choice_look(&self) -> Option<(String, &'static str, f64)> {
        let EdgeKind::Choice {
            id,
            net,
            severity,
            picks,
            ..
        } = &self.kind
        else {
            return None;
        };
        let critical = self.kind.is_critical();
        let mut caption = format!("{id} ({net:+})");
        if let Some(severity) = severity {
            let _ = write!(caption, " {}", severity.to_uppercase());
        }
        let width = match picks {
            Some(picks) => {
                let _ = write!(caption, " {:.0}%", picks.rate * 100.0);
                1.0 + 7.0 * picks.rate
            }
            None if critical => 3.0,
            None => 1.5,
        };
        Some((caption, effect_colour(*net, critical), width))
    }
}

impl EdgeKind {
    /// Whether this is a critical option.
    pub fn is_critical(&self) -> bool {
        matches!(
            self,
            EdgeKind::Choice {
                severity: Some("critical"),
                ..
            }
        )
    }
}

impl Graph {
    /// Builds and lays out the graph of a scenario.
    pub fn of(scenario: &Scenario) -> Graph {
        let names: Vec<&str> = scenario.variables.iter().map(|v| v.name.as_str()).collect();
        let mut edges = Vec::new();
        let mut nodes: Vec<GraphNode> = Vec::with_capacity(scenario.nodes.len());
        for (ix, node) in scenario.nodes.iter().enumerate() {
            let (kind, speaker, text) = match &node.kind {
                NodeKind::Line(line) => {
                    let speaker = match &line.speaker {
                        Speaker::Mentee => "Mentee".to_owned(),
                        Speaker::Narrator => "Narrator".to_owned(),
                        Speaker::Other(name) => name.clone(),
                    };
                    let text = line.texts.first().cloned().unwrap_or_default();
                    match &line.next {
                        LineNext::Continue(next) => {
                            edges.push(edge(ix, *next, EdgeKind::Continue, None));
                            (GraphNodeKind::Line, Some(speaker), text)
                        }
                        LineNext::Choices(choices) => {
                            for choice in choices {
                                let effects: BTreeMap<String, i32> = scenario
                                    .competencies
                                    .iter()
                                    .zip(&choice.effects)
                                    .filter(|(_, points)| **points != 0)
                                    .map(|(c, points)| (c.id.clone(), *points))
                                    .collect();
                                let kind = EdgeKind::Choice {
                                    id: choice.id.clone(),
                                    text: choice.text.clone(),
                                    net: choice
                                        .effects
                                        .iter()
                                        .fold(0, |a: i32, &e| a.saturating_add(e)),
                                    effects,
                                    severity: match choice.severity {
                                        Severity::Normal => None,
                                        Severity::Major(_) => Some("major"),
                                        Severity::Critical(_) => Some("critical"),
                                    },
                                    picks: None,
                                };
                                let when = choice.when.as_ref().map(|c| c.describe(&names));
                                edges.push(edge(ix, choice.next, kind, when));
                            }
                            (GraphNodeKind::Decision, Some(speaker), text)
                        }
                    }
                }
                NodeKind::Branch(routes) => {
                    for (when, next) in routes {
                        let when = when.as_ref().map(|c| c.describe(&names));
                        edges.push(edge(ix, *next, EdgeKind::Route, when));
                    }
                    (GraphNodeKind::Branch, None, String::new())
                }
                NodeKind::Ending(ending) => (
                    GraphNodeKind::Ending {
                        title: ending.title.clone(),
                        outcome: ending.outcome,
                    },
                    None,
                    ending.text.clone(),
                ),
            };
            nodes.push(GraphNode {
                id: node.id.clone(),
                kind,
                speaker,
                text,
                layer: 0,
                row: 0,
                start: ix == scenario.start,
            });
        }
        let mut graph = Graph {
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            nodes,
            edges,
            layers: 0,
            rows: 0,
        };
        graph.lay_out(scenario.start);
        graph
    }

    /// Sets each choice edge's picks from `(node id, choice id) -> count`; rates are shares of
    /// the picks at the same decision.
    pub fn set_picks(&mut self, counts: &BTreeMap<(String, String), u64>) {
        let mut totals: BTreeMap<NodeIx, u64> = BTreeMap::new();
        for edge in &self.edges {
            if let EdgeKind::Choice { id, .. } = &edge.kind {
                let key = (self.nodes[edge.from].id.clone(), id.clone());
                *totals.entry(edge.from).or_default() += counts.get(&key).copied().unwrap_or(0);
            }
        }
        for edge in &mut self.edges {
            if let EdgeKind::Choice { id, picks, .. } = &mut edge.kind {
                let key = (self.nodes[edge.from].id.clone(), id.clone());
                let count = counts.get(&key).copied().unwrap_or(0);
                let total = totals.get(&edge.from).copied().unwrap_or(0);
                *picks = Some(Picks {
                    count,
                    rate: if total == 0 {
                        0.0
                    } else {
                        count as f64 / total as f64
                    },
                });
            }
        }
    }

    /// Layers by longest path from the start over the graph without its loops (so a reply
    /// always sits right of the line it answers), then orders each layer by the average row of
    /// the nodes leading into it, which keeps most edges short and uncrossed.
    fn lay_out(&mut self, start: NodeIx) {
        let n = self.nodes.len();
        if n == 0 {
            return;
        }
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (e, edge) in self.edges.iter().enumerate() {
            out[edge.from].push(e);
        }
        // Depth-first from the start, then from any node not reached: an edge into a node on
        // the current path closes a loop.
        let mut order = Vec::with_capacity(n);
        let mut state = vec![0u8; n]; // 0 new, 1 on the path, 2 done
        let roots = std::iter::once(start).chain(0..n);
        for root in roots {
            if state[root] != 0 {
                continue;
            }
            let mut stack = vec![(root, 0usize)];
            state[root] = 1;
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                if let Some(&e) = out[node].get(*next) {
                    *next += 1;
                    let to = self.edges[e].to;
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 => self.edges[e].back = true,
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        order.reverse(); // a topological order of the graph without back edges
        let mut layer = vec![0usize; n];
        for &node in &order {
            for &e in &out[node] {
                let edge = &self.edges[e];
                if !edge.back {
                    layer[edge.to] = layer[edge.to].max(layer[node] + 1);
                }
            }
        }
        // An edge into the same or an earlier layer is drawn as a loop too.
        for edge in &mut self.edges {
            edge.back |= layer[edge.to] <= layer[edge.from];
        }
        let layers = layer.iter().max().map_or(0, |l| l + 1);
        let mut columns: Vec<Vec<NodeIx>> = vec![Vec::new(); layers];
        for (node, &l) in layer.iter().enumerate() {
            columns[l].push(node);
        }
        let mut row = vec![0f64; n];
        for column in &columns {
            for (r, &node) in column.iter().enumerate() {
                row[node] = r as f64;
            }
        }
        let mut incoming: Vec<Vec<NodeIx>> = vec![Vec::new(); n];
        for edge in self.edges.iter().filter(|e| !e.back) {
            incoming[edge.to].push(edge.from);
        }
        for _ in 0..4 {
            for column in columns.iter_mut().skip(1) {
                let key = |node: NodeIx| {
                    let from = &incoming[node];
                    if from.is_empty() {
                        row[node]
                    } else {
                        from.iter().map(|&f| row[f]).sum::<f64>() / from.len() as f64
                    }
                };
                let mut keyed: Vec<(f64, NodeIx)> = column.iter().map(|&c| (key(c), c)).collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                *column = keyed.into_iter().map(|(_, c)| c).collect();
                for (r, &node) in column.iter().enumerate() {
                    row[node] = r as f64;
                }
            }
        }
        for (node, graph_node) in self.nodes.iter_mut().enumerate() {
            graph_node.layer = layer[node];
            graph_node.row = row[node] as usize;
        }
        self.layers = layers;
        self.rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    }

    /// Graphviz DOT: left to right; decisions as boxes, lines as plain boxes, branches as
    /// diamonds, endings as double octagons coloured by outcome; each option labelled with its
    /// id and points, green when it gains points, red when it loses them, bold red when
    /// critical; with picks, edge width follows the pick rate.
    pub fn to_dot(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "digraph {} {{", dot_string(&self.scenario));
        let _ = writeln!(out, "  label={};", dot_string(&self.title));
        out.push_str("  labelloc=t;\n  rankdir=LR;\n  nodesep=0.3;\n  ranksep=0.9;\n");
        out.push_str(
            "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#f4f1ea\"];\n",
        );
        out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (ix, node) in self.nodes.iter().enumerate() {
            let mut label = node.id.clone();
            if let Some(speaker) = &node.speaker {
                let _ = write!(label, "\n{speaker}: {}", excerpt(&node.text, 48));
            }
            let attributes = match &node.kind {
                GraphNodeKind::Decision => "fillcolor=\"#e8eef7\"".to_owned(),
                GraphNodeKind::Line => String::new(),
                GraphNodeKind::Branch => {
                    "shape=diamond, style=filled, fillcolor=\"#eeeeee\"".to_owned()
                }
                GraphNodeKind::Ending { title, outcome } => {
                    let _ = write!(label, "\nEnding: {title}");
                    format!(
                        "shape=doubleoctagon, fillcolor=\"{}\"",
                        outcome_colour(*outcome)
                    )
                }
            };
            let start = if node.start { ", penwidth=2.5" } else { "" };
            let separator = if attributes.is_empty() { "" } else { ", " };
            let _ = writeln!(
                out,
                "  n{ix} [label={}{separator}{attributes}{start}];",
                dot_string(&label)
            );
        }
        for edge in &self.edges {
            let mut attributes = Vec::new();
            let mut label = String::new();
            if let Some((caption, colour, width)) = edge.choice_look() {
                label = caption;
                attributes.push(format!("penwidth={width:.1}"));
                attributes.push(format!("color=\"{colour}\""));
                attributes.push(format!("fontcolor=\"{colour}\""));
            }
            if let Some(condition) = &edge.condition {
                if !label.is_empty() {
                    label.push('\n');
                }
                let _ = write!(label, "if {condition}");
            }
            if edge.kind.is_critical() {
                attributes.push("style=bold".to_owned());
            }
            if matches!(edge.kind, EdgeKind::Route) {
                attributes.push("style=dashed".to_owned());
            }
            if edge.back {
                attributes.push("constraint=false".to_owned());
            }
            if !label.is_empty() {
                attributes.insert(0, format!("label={}", dot_string(&label)));
            }
            let attributes = if attributes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attributes.join(", "))
            };
            let _ = writeln!(out, "  n{} -> n{}{attributes};", edge.from, edge.to);
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart for Markdown: the same shapes, labels and colours as [`Graph::to_dot`].
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (ix, node) in self.nodes.iter().enumerate() {
            let mut label = mermaid_text(&node.id);
            if let Some(speaker) = &node.speaker {
                let _ = write!(
                    label,
                    "<br/>{}: {}",
                    mermaid_text(speaker),
                    mermaid_text(&excerpt(&node.text, 48))
                );
            }
            let shape = match &node.kind {
                GraphNodeKind::Branch => format!("{{\"{label}\"}}"),
                GraphNodeKind::Ending { title, .. } => {
                    format!("([\"{label}<br/>Ending: {}\"])", mermaid_text(title))
                }
                _ => format!("[\"{label}\"]"),
            };
            let _ = writeln!(out, "  n{ix}{shape}");
        }
        let mut styles = Vec::new();
        for (e, edge) in self.edges.iter().enumerate() {
            let mut label = String::new();
            if let Some((caption, colour, width)) = edge.choice_look() {
                label = mermaid_text(&caption);
                styles.push(format!(
                    "  linkStyle {e} stroke:{colour},stroke-width:{width:.1}px"
                ));
            }
            if let Some(condition) = &edge.condition {
                if !label.is_empty() {
                    label.push_str("<br/>");
                }
                let _ = write!(label, "if {}", mermaid_text(condition));
            }
            let arrow = if matches!(edge.kind, EdgeKind::Route) {
                "-.->"
            } else {
                "-->"
            };
            if label.is_empty() {
                let _ = writeln!(out, "  n{} {arrow} n{}", edge.from, edge.to);
            } else {
                let _ = writeln!(out, "  n{} {arrow}|\"{label}\"| n{}", edge.from, edge.to);
            }
        }
        for (ix, node) in self.nodes.iter().enumerate() {
            let fill = match &node.kind {
                GraphNodeKind::Decision => "#e8eef7",
                GraphNodeKind::Line => "#f4f1ea",
                GraphNodeKind::Branch => "#eeeeee",
                GraphNodeKind::Ending { outcome, .. } => outcome_colour(*outcome),
            };
            let border = if node.start { ",stroke-width:3px" } else { "" };
            let _ = writeln!(out, "  style n{ix} fill:{fill}{border}");
        }
        for style in styles {
            out.push_str(&style);
            out.push('\n');
        }
        out
    }
}

fn edge(from: NodeIx, to: NodeIx, kind: EdgeKind, condition: Option<String>) -> GraphEdge {
    GraphEdge {
        from,
        to,
        kind,
        condition,
        back: false,
    }
}

/// Green for an option that gains points, red for one that loses them, grey for neither; a
/// critical option is always dark red.
pub fn effect_colour(net: i32, critical: bool) -> &'static str {
    match net {
        _ if critical => "#b71c1c",
        n if n > 0 => "#2e7d32",
        n if n < 0 => "#e65100",
        _ => "#757575",
    }
}

/// Fill of an ending by how it went for the mentee.
pub fn outcome_colour(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Positive => "#c8e6c9",
        Outcome::Mixed => "#fff3c4",
        Outcome::Negative => "#ffcdd2",
    }
}

/// The first `max` characters of a text, on one line, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

/// A DOT double-quoted string.
fn dot_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text safe inside a quoted Mermaid label: quotes and markup characters as entity codes.
fn mermaid_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
