//! A scenario's map as a canvas: nodes laid out left to right by the script crate's graph,
//! edges coloured by what a choice earns and thickened by how often trainees take it; drag to
//! pan, scroll to zoom, click a node. Trainer mode shows it; it knows nothing of trainer mode.

use bevy_egui::egui::{self, Color32, Pos2, Rect, RichText, Stroke, Ui, Vec2};
use mentorsim_script::graph::{Graph, GraphNodeKind, effect_colour, excerpt, outcome_colour};

use super::theme::{Palette, hex};

/// The part of a scenario's graph in view (`Rect::ZERO`: the opening at full size).
pub struct GraphScene {
    scenario: Option<String>,
    /// The selected node last brought into view.
    node: Option<String>,
    /// The region of the graph in view.
    pub rect: Rect,
}

impl Default for GraphScene {
    fn default() -> Self {
        GraphScene {
            scenario: None,
            node: None,
            rect: Rect::ZERO,
        }
    }
}

impl GraphScene {
    /// Follows the selection: another scenario is fitted into view whole; a node picked
    /// elsewhere (a table row, an error) is brought into view once, hence `true`.
    pub fn follow(&mut self, scenario: Option<&str>, node: Option<&str>) -> bool {
        if self.scenario.as_deref() != scenario {
            *self = GraphScene {
                scenario: scenario.map(str::to_owned),
                ..GraphScene::default()
            };
        }
        let focus = self.node.as_deref() != node;
        self.node = node.map(str::to_owned);
        focus
    }
}

/// A node's size on the canvas.
const NODE: Vec2 = Vec2::new(170.0, 46.0);
/// From one layer (and row) to the next.
const STEP: Vec2 = Vec2::new(250.0, 70.0);

/// What the colours and widths of the graph mean.
pub fn legend(ui: &mut Ui, colours: &Palette) {
    ui.horizontal_wrapped(|ui| {
        let swatch = |ui: &mut Ui, colour: &str, text: &str| {
            ui.label(RichText::new("\u{25a0}").color(hex(colour)));
            ui.label(RichText::new(text).small().color(colours.muted));
        };
        swatch(ui, effect_colour(1, false), "gains points");
        swatch(ui, effect_colour(-1, false), "loses points");
        swatch(ui, effect_colour(0, true), "critical");
        swatch(ui, "#e8eef7", "decision");
        swatch(ui, "#eeeeee", "branch");
        ui.label(
            RichText::new(
                "Thicker edges: picked more often. Drag to pan, scroll to zoom, click a node.",
            )
            .small()
            .color(colours.muted),
        );
    });
}

/// The graph, left to right; returns the id of a clicked node. `scene` (the visible region)
/// is kept by the caller between frames; `focus` brings the `selected` node into view.
pub fn show(
    ui: &mut Ui,
    graph: &Graph,
    selected: Option<&str>,
    scene: &mut Rect,
    focus: bool,
    colours: &Palette,
) -> Option<String> {
    let mut clicked = None;
    let place = |layer: usize, row: usize| {
        Rect::from_min_size(Pos2::new(layer as f32 * STEP.x, row as f32 * STEP.y), NODE)
    };
    if *scene == Rect::ZERO {
        // Start on the opening of the conversation at full size; zoom out for the rest.
        *scene = Rect::from_min_size(Pos2::new(-20.0, -20.0), ui.available_size());
    }
    let selected_node = graph.nodes.iter().find(|n| selected == Some(n.id.as_str()));
    if let Some(node) = selected_node.filter(|_| focus) {
        let rect = place(node.layer, node.row);
        if !scene.contains_rect(rect) {
            *scene = scene.translate(rect.center() - scene.center());
        }
    }
    let frame = egui::Frame::group(ui.style()).fill(colours.card);
    frame.show(ui, |ui| {
        egui::Scene::new()
            .zoom_range(0.1..=2.0)
            .show(ui, scene, |ui| {
                let rects: Vec<Rect> = graph.nodes.iter().map(|n| place(n.layer, n.row)).collect();
                let painter = ui.painter().clone();
                for edge in &graph.edges {
                    let (from, to) = (rects[edge.from], rects[edge.to]);
                    let (colour, width) = match edge.choice_look() {
                        Some((_, colour, width)) => (hex(colour), width as f32),
                        None => (colours.muted, 1.2),
                    };
                    let start = from.right_center();
                    let end = to.left_center();
                    let bend = if edge.back {
                        Vec2::new(0.0, STEP.y * 0.8)
                    } else {
                        Vec2::ZERO
                    };
                    let reach = ((end.x - start.x).abs() * 0.4).max(40.0);
                    let curve = egui::epaint::CubicBezierShape::from_points_stroke(
                        [
                            start,
                            start + Vec2::new(reach, 0.0) + bend,
                            end - Vec2::new(reach, 0.0) + bend,
                            end,
                        ],
                        false,
                        Color32::TRANSPARENT,
                        Stroke::new(width, colour),
                    );
                    painter.add(curve);
                    painter.add(egui::Shape::convex_polygon(
                        vec![end, end - Vec2::new(8.0, 4.0), end - Vec2::new(8.0, -4.0)],
                        colour,
                        Stroke::NONE,
                    ));
                }
                for (node, rect) in graph.nodes.iter().zip(&rects) {
                    let fill = match &node.kind {
                        GraphNodeKind::Decision => hex("#e8eef7"),
                        GraphNodeKind::Line => hex("#f4f1ea"),
                        GraphNodeKind::Branch => hex("#eeeeee"),
                        GraphNodeKind::Ending { outcome, .. } => hex(outcome_colour(*outcome)),
                    };
                    let selected = selected == Some(node.id.as_str());
                    let caption = match &node.kind {
                        GraphNodeKind::Ending { title, .. } => format!("Ending: {title}"),
                        GraphNodeKind::Branch => "branch".to_owned(),
                        _ => excerpt(&node.text, 26),
                    };
                    let label = RichText::new(format!("{}\n{caption}", node.id))
                        .size(11.0)
                        .color(Color32::from_gray(20));
                    let mut button = egui::Button::new(label)
                        .fill(fill)
                        .corner_radius(if matches!(node.kind, GraphNodeKind::Ending { .. }) {
                            18
                        } else {
                            6
                        })
                        .selected(selected);
                    if node.start || selected {
                        button = button.stroke(Stroke::new(2.5, colours.accent));
                    }
                    if ui.put(*rect, button).clicked() {
                        clicked = Some(node.id.clone());
                    }
                }
            });
    });
    clicked
}
