//! What trainer mode knows about the selected scenario: its score analysis from the path
//! analysis, and from the records how often trainees took each option and the critical errors
//! they made most.

use bevy_egui::egui::{self, Rect, RichText, Ui, Vec2};
use mentorsim_records::analytics::ScenarioAnalytics;
use mentorsim_script::graph::{effect_colour, excerpt};

use super::view::TrainerScreen;
use super::{TrainerAction, TrainerView};
use crate::app::ui::theme::{Palette, hex};

/// The selected scenario's score analysis: sizes, reachability, claims, and each
/// competency's score range and evidence.
pub(super) fn analysis(ui: &mut Ui, screen: &TrainerScreen, colours: &Palette) {
    let view = screen.view;
    let Some((id, file, title)) = &view.scenario else {
        ui.label("No scenario files.");
        return;
    };
    ui.label(RichText::new(title).strong().size(16.0));
    ui.label(
        RichText::new(format!("{id} \u{00b7} {file}"))
            .small()
            .color(colours.muted),
    );
    ui.add_space(6.0);
    ui.label(RichText::new("Score analysis").strong());
    let Some(stats) = &view.stats else {
        ui.label(RichText::new("Not available until the errors are fixed.").color(colours.muted));
        return;
    };
    let span = |min: Option<usize>, max: Option<usize>| match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "unbounded (a loop)".to_owned(),
    };
    let yes_no = |v: Option<bool>| match v {
        Some(true) => RichText::new("yes").color(colours.good),
        Some(false) => RichText::new("NO").color(colours.bad).strong(),
        None => RichText::new("undecided").color(colours.caution),
    };
    egui::Grid::new("stats").num_columns(2).show(ui, |ui| {
        ui.label("Nodes");
        ui.label(stats.nodes.to_string());
        ui.end_row();
        ui.label("Decisions per path");
        ui.label(span(stats.decisions_min, stats.decisions_max));
        ui.end_row();
        ui.label("Paths");
        ui.label(
            stats
                .paths
                .map_or("unbounded".to_owned(), |p| p.to_string()),
        );
        ui.end_row();
        ui.label("Endings");
        ui.label(stats.endings.to_string());
        ui.end_row();
        ui.label("Pass reachable");
        ui.label(yes_no(stats.pass_reachable));
        ui.end_row();
        ui.label("Fail reachable");
        ui.label(yes_no(stats.fail_reachable));
        ui.end_row();
        if stats.claims.checked > 0 {
            ui.label("Claims proved");
            let claims = &stats.claims;
            let proved = claims.checked - claims.unsupported;
            let colour = if claims.unsupported == 0 {
                colours.good
            } else {
                colours.bad
            };
            ui.label(RichText::new(format!("{proved} of {}", claims.checked)).color(colour));
            ui.end_row();
        }
    });
    ui.add_space(4.0);
    for (competency, [low, high]) in &stats.score_bounds {
        ui.horizontal(|ui| {
            ui.label(RichText::new(competency).monospace());
            let (rect, _) = ui.allocate_exact_size(Vec2::new(140.0, 10.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 3.0, colours.outline);
            let span = Rect::from_x_y_ranges(
                rect.left() + rect.width() * *low as f32
                    ..=rect.left() + rect.width() * *high as f32,
                rect.y_range(),
            );
            ui.painter().rect_filled(span, 3.0, colours.accent);
            ui.label(format!("{:.0}% to {:.0}%", low * 100.0, high * 100.0));
            if let Some(n) = stats.competency_decisions_min.get(competency) {
                ui.label(
                    RichText::new(format!("{n}+ decisions"))
                        .small()
                        .color(colours.muted),
                )
                .on_hover_text("the fewest decisions that assess it on any path");
            }
        });
    }
}

/// How often trainees took each option, decision by decision, and the critical errors they
/// made most; a click on a decision or an error selects its node.
pub(super) fn choice_analytics(
    ui: &mut Ui,
    view: &TrainerView,
    colours: &Palette,
) -> Option<TrainerAction> {
    let mut action = None;
    let analytics: &ScenarioAnalytics = match (&view.analytics, &view.records_error) {
        (Some(analytics), _) => analytics,
        (None, Some(error)) => {
            ui.label(RichText::new(error).color(colours.bad));
            return None;
        }
        (None, None) => return None,
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new("Choice analytics").strong());
        ui.label(
            RichText::new(format!(
                "from {} recorded attempt(s), {} finished",
                analytics.attempts, analytics.finished
            ))
            .color(colours.muted),
        );
    });
    if analytics.attempts == 0 {
        ui.label(
            RichText::new(
                "No attempts at this scenario yet: pick rates appear here as trainees play it.",
            )
            .color(colours.muted),
        );
        return None;
    }
    egui::Panel::right("critical_errors")
        .resizable(true)
        .default_size(ui.available_width() * 0.35)
        .show(ui, |ui| {
            ui.label(RichText::new("Most common critical errors").strong());
            egui::ScrollArea::vertical()
                .id_salt("critical_errors")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if analytics.critical.is_empty() {
                        ui.label(RichText::new("None recorded.").color(colours.good));
                    }
                    for error in &analytics.critical {
                        let text = format!(
                            "{}\u{00d7} at {}: \"{}\"",
                            error.count,
                            error.node,
                            excerpt(&error.text, 90)
                        );
                        if ui
                            .add(
                                egui::Label::new(RichText::new(text).color(colours.bad))
                                    .sense(egui::Sense::click()),
                            )
                            .on_hover_text(format!(
                                "choice `{}`; click to show its node",
                                error.choice
                            ))
                            .clicked()
                        {
                            action = Some(TrainerAction::Node(error.node.clone()));
                        }
                    }
                });
        });
    egui::ScrollArea::both()
        .id_salt("pick_rates")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(picked) = pick_table(ui, analytics, colours) {
                action = Some(picked);
            }
        });
    action
}

/// One row per option under its decision: what was said, points, severity, times and share.
fn pick_table(
    ui: &mut Ui,
    analytics: &ScenarioAnalytics,
    colours: &Palette,
) -> Option<TrainerAction> {
    let mut action = None;
    egui::Grid::new("pick_table")
        .num_columns(5)
        .striped(true)
        .spacing(Vec2::new(10.0, 3.0))
        .show(ui, |ui| {
            for decision in &analytics.decisions {
                let heading =
                    RichText::new(format!("{}  ({} pick(s))", decision.node, decision.picks))
                        .strong();
                if ui
                    .add(egui::Button::new(heading).frame(false))
                    .on_hover_text(&decision.text)
                    .clicked()
                {
                    action = Some(TrainerAction::Node(decision.node.clone()));
                }
                ui.end_row();
                for option in &decision.options {
                    let colour = hex(effect_colour(
                        option.net,
                        option.severity == Some("critical"),
                    ));
                    let said = if option.in_scenario {
                        excerpt(&option.text, 48)
                    } else {
                        format!("{} (no longer in the scenario)", option.choice)
                    };
                    ui.add(egui::Label::new(RichText::new(said).color(colour)).truncate())
                        .on_hover_text(&option.text);
                    ui.label(
                        RichText::new(match option.severity {
                            Some(severity) => {
                                format!("{:+} {}", option.net, severity.to_uppercase())
                            }
                            None => format!("{:+}", option.net),
                        })
                        .small()
                        .color(colour),
                    );
                    ui.label(format!("{}\u{00d7}", option.count));
                    let (rect, _) =
                        ui.allocate_exact_size(Vec2::new(90.0, 10.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 3.0, colours.outline);
                    let filled = Rect::from_min_size(
                        rect.min,
                        Vec2::new(rect.width() * option.rate as f32, rect.height()),
                    );
                    ui.painter().rect_filled(filled, 3.0, colour);
                    ui.label(format!("{:.0}%", option.rate * 100.0));
                    ui.end_row();
                }
            }
        });
    action
}
