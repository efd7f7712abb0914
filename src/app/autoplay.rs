//! `mentorsim --autoplay SCENARIO_ID:2,1,3`: drives the real UI through a path, the way a
//! trainee would (the same action messages the screens send), then through the program
//! view and trainer mode, ending with a rehearsal from a node after a branch; it saves a
//! screenshot of every screen it passes, and exits. For the README's pictures and for the GUI
//! smoke test.

use std::path::PathBuf;
use std::str::FromStr;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use mentorsim_script::engine::{Mode, Rehearsal};
use mentorsim_script::scenario::{NodeKind, Scenario};

use super::content::Content;
use super::records::Records;
use super::screens::briefing::{Briefing, BriefingAction, OpenBriefing};
use super::screens::conversation::{ConversationAction, Play};
use super::screens::debrief::{Debrief, DebriefAction};
use super::screens::program::ProgramAction;
use super::screens::sign_in::SignInAction;
use super::screens::trainer::{TrainerAction, TrainerSelection, TrainerView};
use super::screens::{Act, Navigate, Screen};

/// The profile automation signs in as.
const DEMO_TRAINEE: (&str, &str) = ("demo", "Robin (demo)");

/// Frames to wait after each action before the screen is considered drawn.
const SETTLE_FRAMES: u32 = 8;

/// Time to wait after each action as well, however fast frames come: the face's change of
/// expression eases over a fifth of a second.
const SETTLE_TIME: std::time::Duration = std::time::Duration::from_millis(400);

/// Frames after which a run that has not finished is given up.
const MAX_FRAMES: u32 = 20_000;

/// Which scenario to play and which options to pick (1-based; missing picks take option 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoplaySpec {
    /// Scenario id.
    pub scenario: String,
    /// Options to pick at each decision.
    pub picks: Vec<usize>,
}

impl FromStr for AutoplaySpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (scenario, picks) = text.split_once(':').unwrap_or((text, ""));
        if scenario.trim().is_empty() {
            return Err("write SCENARIO_ID or SCENARIO_ID:2,1,3".to_owned());
        }
        let picks = picks
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| match p.trim().parse::<usize>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(format!("`{p}` is not an option number (1, 2, 3...)")),
            })
            .collect::<Result<_, _>>()?;
        Ok(AutoplaySpec {
            scenario: scenario.trim().to_owned(),
            picks,
        })
    }
}

/// Drives the app through one scenario.
pub struct AutoplayPlugin {
    /// What to play.
    pub spec: AutoplaySpec,
    /// In which mode.
    pub mode: Mode,
    /// Where screenshots go, if anywhere.
    pub screenshot_dir: Option<PathBuf>,
}

#[derive(Resource)]
struct Autoplay {
    spec: AutoplaySpec,
    mode: Mode,
    dir: Option<PathBuf>,
    next_pick: usize,
    wait: u32,
    frames: u32,
    shots: u32,
    reflected: bool,
    /// Whether the program view shows the demo trainee yet.
    inspected: bool,
    /// Steps taken in trainer mode.
    trainer_steps: u32,
    exiting: Option<u32>,
    /// When the last action was taken.
    acted_at: std::time::Instant,
    /// Whether the screen's screenshot is taken and its action is next (a frame later, so the
    /// screenshot shows the screen before the action changes it).
    shot: bool,
}

impl Plugin for AutoplayPlugin {
    fn build(&self, app: &mut App) {
        if let Some(dir) = &self.screenshot_dir
            && let Err(error) = std::fs::create_dir_all(dir)
        {
            error!("cannot create {}: {error}", dir.display());
        }
        app.insert_resource(Autoplay {
            spec: self.spec.clone(),
            mode: self.mode,
            dir: self.screenshot_dir.clone(),
            next_pick: 0,
            wait: SETTLE_FRAMES * 3,
            frames: 0,
            shots: 0,
            reflected: false,
            inspected: false,
            trainer_steps: 0,
            exiting: None,
            acted_at: std::time::Instant::now(),
            shot: false,
        })
        .add_systems(Update, drive.before(Act::Within));
    }
}

fn drive(
    mut commands: Commands,
    mut auto: ResMut<Autoplay>,
    screen: Res<State<Screen>>,
    play: Option<Res<Play>>,
    debrief: Option<Res<Debrief>>,
    briefing: Option<Res<Briefing>>,
    trainer: Res<TrainerView>,
    selection: Res<TrainerSelection>,
    records: Res<Records>,
    content: Res<Content>,
    mut exit: MessageWriter<AppExit>,
) {
    auto.frames += 1;
    if auto.frames > MAX_FRAMES {
        error!("autoplay did not finish within {MAX_FRAMES} frames");
        exit.write(AppExit::from_code(3));
        return;
    }
    if let Some(left) = auto.exiting {
        // Give the last screenshot time to reach the disk.
        if left == 0 {
            exit.write(AppExit::Success);
        } else {
            auto.exiting = Some(left - 1);
        }
        return;
    }
    if auto.wait > 0 {
        auto.wait -= 1;
        return;
    }
    if auto.acted_at.elapsed() < SETTLE_TIME {
        return;
    }
    let screen = *screen.get();
    if screen == Screen::Loading {
        return;
    }
    if !auto.shot {
        take_screenshot(&mut commands, &mut auto, screen);
        auto.shot = true;
        auto.wait = 2;
        return;
    }
    auto.shot = false;
    auto.wait = SETTLE_FRAMES;
    auto.acted_at = std::time::Instant::now();
    match screen {
        Screen::Loading => {}
        Screen::SignIn => {
            let known = records.store().trainee(DEMO_TRAINEE.0).is_ok();
            commands.write_message(if known {
                SignInAction::AsTrainee(DEMO_TRAINEE.0.to_owned())
            } else {
                SignInAction::CreateProfile {
                    name: DEMO_TRAINEE.1.to_owned(),
                    id: DEMO_TRAINEE.0.to_owned(),
                }
            });
        }
        Screen::Library if content.library.scenario(&auto.spec.scenario).is_none() => {
            error!(
                "autoplay: there is no playable scenario `{}`; playable: {}",
                auto.spec.scenario,
                content.library.scenario_ids().join(", ")
            );
            exit.write(AppExit::from_code(2));
        }
        Screen::Library => {
            commands.write_message(OpenBriefing(auto.spec.scenario.clone()));
        }
        Screen::Briefing => {
            if auto.mode == Mode::Practice
                && let Some(refused) = briefing.and_then(|b| b.practice_refused.clone())
            {
                error!("autoplay: {refused} Use --mode assessment.");
                exit.write(AppExit::from_code(2));
                return;
            }
            commands.write_message(BriefingAction::Start(auto.mode));
        }
        Screen::Conversation => {
            let Some(play) = play else { return };
            let action = match play.session().current() {
                Some(line) if play.feedback.is_none() && !line.options.is_empty() => {
                    let pick = auto.spec.picks.get(auto.next_pick).copied().unwrap_or(1);
                    auto.next_pick += 1;
                    if pick > line.options.len() {
                        error!(
                            "autoplay pick {} is option {pick}, but `{}` offers {}",
                            auto.next_pick,
                            line.node,
                            line.options.len()
                        );
                        exit.write(AppExit::from_code(2));
                        return;
                    }
                    ConversationAction::Choose(pick)
                }
                _ => ConversationAction::Continue,
            };
            commands.write_message(action);
        }
        Screen::Debrief if debrief.is_some_and(|d| d.attempt.is_none()) => finish(&mut auto),
        Screen::Debrief if !auto.reflected => {
            auto.reflected = true;
            commands.write_message(DebriefAction::SaveReflection(
                "Next time I will reflect before I ask, and say what happens with what I'm told."
                    .to_owned(),
            ));
        }
        Screen::Debrief => {
            commands.write_message(Navigate(Screen::Program));
        }
        Screen::Program if !auto.inspected => {
            auto.inspected = true;
            commands.write_message(ProgramAction::Inspect(DEMO_TRAINEE.0.to_owned()));
        }
        Screen::Program => {
            commands.write_message(Navigate(Screen::Trainer));
        }
        Screen::Trainer if auto.trainer_steps == 0 => {
            auto.trainer_steps = 1;
            commands.write_message(TrainerAction::Scenario(auto.spec.scenario.clone()));
        }
        Screen::Trainer if auto.trainer_steps == 1 => {
            auto.trainer_steps = 2;
            let node = content
                .library
                .scenario(&auto.spec.scenario)
                .and_then(|s| worth_rehearsing(s));
            commands.write_message(TrainerAction::Node(node.unwrap_or_default()));
        }
        Screen::Trainer if auto.trainer_steps == 2 => {
            auto.trainer_steps = 3;
            // From the node just selected, with the first values play reaches there.
            match (&selection.node, trainer.reachable.first()) {
                (Some(node), Some(values)) => {
                    commands.write_message(TrainerAction::Rehearse {
                        from: Rehearsal {
                            node: node.clone(),
                            variables: values.clone(),
                        },
                        mode: Mode::Practice,
                    });
                }
                _ => finish(&mut auto),
            }
        }
        Screen::Trainer => finish(&mut auto),
    }
}

fn finish(auto: &mut Autoplay) {
    info!("autoplay finished: {} screenshot(s)", auto.shots);
    auto.exiting = Some(SETTLE_FRAMES * 2);
}

/// A node a trainer would rehearse: the line a conditional route leads to, else the first
/// decision.
fn worth_rehearsing(scenario: &Scenario) -> Option<String> {
    let after_branch = scenario.nodes.iter().find_map(|node| match &node.kind {
        NodeKind::Branch(routes) => routes
            .iter()
            .find(|(when, to)| when.is_some() && scenario.line(*to).is_some())
            .map(|&(_, to)| to),
        _ => None,
    });
    after_branch
        .or_else(|| (0..scenario.nodes.len()).find(|&n| !scenario.choices(n).is_empty()))
        .map(|n| scenario.nodes[n].id.clone())
}

fn take_screenshot(commands: &mut Commands, auto: &mut Autoplay, screen: Screen) {
    let Some(dir) = &auto.dir else {
        return;
    };
    auto.shots += 1;
    let name = format!(
        "{:02}-{}.png",
        auto.shots,
        format!("{screen:?}").to_lowercase()
    );
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(dir.join(name)));
}
