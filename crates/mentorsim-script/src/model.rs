//! The scenario and rubric files exactly as trainers write them (RON, see
//! `docs/scenario-format.md`). Nothing here is checked beyond what serde enforces: ids are
//! plain strings and conditions are unparsed text, so that every mistake can be reported
//! with its place in the file by [`crate::validate`] instead of failing the whole parse.

use std::collections::BTreeMap;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// The start of the message a map with a repeated key fails with; `load` turns it into the
/// `duplicate-key` finding.
pub const DUPLICATE_KEY: &str = "duplicate key";

/// A map whose keys must all differ. serde would keep the last of two equal keys without a
/// word, and `{"A": 2, "A": -3}` is a mistake its author must hear about.
fn unique_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct UniqueKeys<V>(std::marker::PhantomData<V>);

    impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueKeys<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
            let mut map = BTreeMap::new();
            while let Some(key) = access.next_key::<String>()? {
                if map.contains_key(&key) {
                    return Err(de::Error::custom(format!(
                        "{DUPLICATE_KEY} `{key}`: it is given twice in this map"
                    )));
                }
                let value = access.next_value()?;
                map.insert(key, value);
            }
            Ok(map)
        }
    }

    deserializer.deserialize_map(UniqueKeys(std::marker::PhantomData))
}

/// One `*.scenario.ron` file: a branching role-play conversation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    /// Stable id used by `mentorsim play ID`, records and policies.
    pub id: String,
    /// Title shown in the library.
    pub title: String,
    /// The id of the training module this scenario belongs to (see [`ModulesFile`]).
    pub topic: ModuleId,
    /// Whether this is one of the module's practice scenarios or its assessment.
    #[serde(default)]
    pub kind: ScenarioKind,
    /// Bumped whenever the content changes in a way that affects scores.
    pub version: u32,
    /// Id of the competency framework (a `*.rubric.ron` file) the effects refer to.
    pub rubric: String,
    /// One or two sentences for the library card.
    pub summary: String,
    /// Estimated minutes to play.
    pub minutes: u32,
    /// What the trainee should be able to do afterwards.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Warnings shown before play (abuse, self-harm, suicide...).
    #[serde(default)]
    pub content_notes: Vec<String>,
    /// Who the trainee is talking to.
    pub persona: Persona,
    /// The mentee's state (trust, reliance, distress...) that choices change.
    #[serde(default, deserialize_with = "unique_keys")]
    pub variables: BTreeMap<String, Variable>,
    /// Rubric competency ids this scenario assesses; every effect must use one of them.
    pub competencies: Vec<String>,
    /// What it takes to pass.
    pub pass: PassRule,
    /// Id of the first node.
    pub start: String,
    /// The conversation graph.
    pub nodes: Vec<Node>,
}

/// A module named by its id (`"active-listening"`), as a scenario's `topic` or a policy's
/// `Module(..)` writes it. Files written before modules were data name one by a bare
/// identifier (`ActiveListening`); that reads as the same id, so no saved policy or scenario
/// stops loading.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ModuleId(pub String);

impl<'de> Deserialize<'de> for ModuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Untagged, so that RON hands over a bare identifier as its name instead of
        // refusing it as "not a string".
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Id(String),
        }
        let Written::Id(text) = Written::deserialize(deserializer).map_err(|_| {
            de::Error::custom("expected a module id in quotes, e.g. \"active-listening\"")
        })?;
        Ok(ModuleId(module_id_of(&text)))
    }
}

impl std::fmt::Display for ModuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `ActiveListening` -> `active-listening`; an id already in kebab case is kept.
fn module_id_of(text: &str) -> String {
    if text.contains('-') || !text.starts_with(|c: char| c.is_ascii_uppercase()) {
        return text.to_owned();
    }
    let mut id = String::with_capacity(text.len() + 4);
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            id.push('-');
        }
        id.push(c.to_ascii_lowercase());
    }
    id
}

/// One `*.modules.ron` file: the training modules a library's scenarios belong to. A program
/// adds a module by adding it here; no code knows the modules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Modules")]
pub struct ModulesFile {
    /// The modules.
    pub modules: Vec<Module>,
}

/// One training module: practice scenarios to learn from and assessment forms to show it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Stable id (lowercase letters, digits and `-`), named by scenarios' `topic`, by
    /// policies and by records.
    pub id: String,
    /// Shown in the library and on reports.
    pub title: String,
    /// Where the module comes in the library (smallest first; ties by id).
    pub order: u32,
    /// What the module trains, for the library.
    #[serde(default)]
    pub description: String,
    /// Whether a mentor must pass it before meeting a mentee, under a policy that does not
    /// list its requirements itself.
    #[serde(default = "default_true")]
    pub required: bool,
}

fn default_true() -> bool {
    true
}

/// The part a scenario plays in its module: a module has practice scenarios to learn from and
/// one assessment that a readiness policy counts.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
pub enum ScenarioKind {
    /// Played to learn; any mode.
    #[default]
    Practice,
    /// The module's check of readiness, meant to be played in assessment mode.
    Assessment,
}

impl ScenarioKind {
    /// The stable machine name used in JSON output.
    pub fn slug(self) -> &'static str {
        match self {
            ScenarioKind::Practice => "practice",
            ScenarioKind::Assessment => "assessment",
        }
    }

    /// The kind with this [`ScenarioKind::slug`].
    pub fn from_slug(slug: &str) -> Option<ScenarioKind> {
        [ScenarioKind::Practice, ScenarioKind::Assessment]
            .into_iter()
            .find(|k| k.slug() == slug)
    }
}

/// The mentee the trainee talks to.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// First name.
    pub name: String,
    /// Age in years.
    pub age: u32,
    /// Pronouns, e.g. "she/her".
    #[serde(default)]
    pub pronouns: String,
    /// Where and when the conversation happens.
    pub setting: String,
    /// What the mentor knows about the mentee beforehand.
    pub background: String,
    /// How the persona card draws them; absent, a look is chosen from the name, so that two
    /// mentees of one library rarely look alike.
    #[serde(default)]
    pub look: Option<Look>,
    /// How the optional speech reads their lines; absent, it follows age and pronouns.
    #[serde(default)]
    pub voice: Option<VoiceSpec>,
}

/// A persona's speaking voice (espeak-ng's terms): each field may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceSpec {
    /// Pitch, 0 (low) to 99 (high).
    #[serde(default)]
    pub pitch: Option<u8>,
    /// Words a minute, 80 to 450.
    #[serde(default)]
    pub rate: Option<u16>,
    /// The voice variant: `f1`-`f5` (female), `m1`-`m7` (male) or another espeak-ng variant.
    #[serde(default)]
    pub variant: Option<String>,
}

/// How a persona is drawn: the face itself follows the line's mood.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Look {
    /// Skin tone, lightest to deepest.
    pub skin: SkinTone,
    /// Hair style (hidden by some head coverings).
    #[serde(default)]
    pub hair: HairStyle,
    /// Hair colour.
    #[serde(default)]
    pub hair_colour: HairColour,
    /// Glasses.
    #[serde(default)]
    pub glasses: bool,
    /// A head covering, if any.
    #[serde(default)]
    pub head_covering: HeadCovering,
    /// Facial hair, if any.
    #[serde(default)]
    pub facial_hair: FacialHair,
}

/// Skin tones, lightest to deepest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum SkinTone {
    Light,
    LightMedium,
    #[default]
    Medium,
    MediumDark,
    Dark,
    Deep,
}

/// Hair styles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum HairStyle {
    #[default]
    Short,
    Long,
    Curly,
    Afro,
    Bun,
    Braids,
    Ponytail,
    Buzz,
    Bald,
}

/// Hair colours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum HairColour {
    #[default]
    Black,
    DarkBrown,
    Brown,
    Auburn,
    Red,
    Blonde,
    Grey,
    White,
}

/// Head coverings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum HeadCovering {
    #[default]
    None,
    Hijab,
    Turban,
    Headscarf,
    Cap,
    Beanie,
}

/// Facial hair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum FacialHair {
    #[default]
    None,
    Stubble,
    Moustache,
    Beard,
}

impl Look {
    /// The look a persona without one gets: chosen from the name (the same name, the same
    /// look), so a library's mentees differ without anyone describing them.
    pub fn from_name(name: &str) -> Look {
        // FNV-1a: stable across builds and platforms, unlike the std hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in name.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        let mut pick = |n: u64| {
            let value = hash % n;
            hash /= n;
            value as usize
        };
        const SKINS: [SkinTone; 6] = [
            SkinTone::Light,
            SkinTone::LightMedium,
            SkinTone::Medium,
            SkinTone::MediumDark,
            SkinTone::Dark,
            SkinTone::Deep,
        ];
        const HAIR: [HairStyle; 7] = [
            HairStyle::Short,
            HairStyle::Long,
            HairStyle::Curly,
            HairStyle::Afro,
            HairStyle::Bun,
            HairStyle::Braids,
            HairStyle::Ponytail,
        ];
        const COLOURS: [HairColour; 5] = [
            HairColour::Black,
            HairColour::DarkBrown,
            HairColour::Brown,
            HairColour::Auburn,
            HairColour::Blonde,
        ];
        Look {
            skin: SKINS[pick(6)],
            hair: HAIR[pick(7)],
            hair_colour: COLOURS[pick(5)],
            glasses: pick(4) == 0,
            head_covering: HeadCovering::None,
            facial_hair: FacialHair::None,
        }
    }
}

/// A named piece of mentee state, clamped to `min..=max`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// Value at the start of the conversation.
    pub start: i32,
    /// Lowest value; changes below it are clamped.
    pub min: i32,
    /// Highest value; changes above it are clamped.
    pub max: i32,
    /// What the variable means, for other trainers.
    #[serde(default)]
    pub description: String,
}

/// What it takes to pass a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassRule {
    /// Minimum overall score (mean of the competency scores), 0..1.
    pub overall: f64,
    /// Per-competency minimums, 0..1; a competency not listed uses the rubric's threshold.
    #[serde(default, deserialize_with = "unique_keys")]
    pub competencies: BTreeMap<String, f64>,
}

/// A node of the conversation graph.
#[derive(Debug, Clone, Deserialize)]
pub enum Node {
    /// Something the mentee (or a narrator) says, then the trainee's options.
    Line(Line),
    /// An invisible switch that continues at the first route whose condition holds.
    Branch(Branch),
    /// Where the conversation ends.
    Ending(Ending),
}

impl Node {
    /// The node's id, whatever its kind.
    pub fn id(&self) -> &str {
        match self {
            Node::Line(line) => &line.id,
            Node::Branch(branch) => &branch.id,
            Node::Ending(ending) => &ending.id,
        }
    }
}

/// Who speaks a line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Speaker {
    /// The mentee persona.
    #[default]
    Mentee,
    /// Scene-setting text in the third person.
    Narrator,
    /// Someone else in the scene, by name or role (a coordinator, a parent, a colleague).
    Other(String),
}

/// How the mentee seems at a line; the app shows it on the persona card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum Mood {
    #[default]
    Neutral,
    Calm,
    Warm,
    Hopeful,
    Relieved,
    Anxious,
    Guarded,
    Sad,
    Frustrated,
    Angry,
    Withdrawn,
    Distressed,
    Overwhelmed,
}

impl Mood {
    /// Every mood, in the order the format lists them.
    pub const ALL: [Mood; 13] = [
        Mood::Neutral,
        Mood::Calm,
        Mood::Warm,
        Mood::Hopeful,
        Mood::Relieved,
        Mood::Anxious,
        Mood::Guarded,
        Mood::Sad,
        Mood::Frustrated,
        Mood::Angry,
        Mood::Withdrawn,
        Mood::Distressed,
        Mood::Overwhelmed,
    ];
}

/// A line of dialogue and what the trainee can answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Unique within the scenario.
    pub id: String,
    /// Mentee by default.
    #[serde(default)]
    pub speaker: Speaker,
    /// The mentee's visible mood.
    #[serde(default)]
    pub mood: Mood,
    /// What is said.
    pub text: String,
    /// Other wordings of the same line; one of `text` and these is picked at random.
    #[serde(default)]
    pub variants: Vec<String>,
    /// The trainee's options (a decision). Leave empty and set `next` for a line that just continues.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// For a line without choices: where the conversation continues.
    #[serde(default)]
    pub next: Option<String>,
}

/// One option the trainee can pick.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Unique within its line.
    pub id: String,
    /// What the trainee says or does.
    pub text: String,
    /// Node the conversation goes to.
    pub next: String,
    /// Condition on variables; the option is offered only when it holds.
    #[serde(default)]
    pub when: Option<String>,
    /// Points per competency id, typically -3..=3.
    #[serde(default, deserialize_with = "unique_keys")]
    pub effects: BTreeMap<String, i32>,
    /// Behaviour codes (what kind of response this is), for the debrief and analytics.
    #[serde(default)]
    pub codes: Vec<BehaviourCode>,
    /// Why this option helps or hurts, in terms of the mentee.
    pub feedback: String,
    /// How serious a mistake this is.
    #[serde(default)]
    pub severity: Severity,
    /// Changes to variables, added and clamped to their range.
    #[serde(default, deserialize_with = "unique_keys")]
    pub state: BTreeMap<String, i32>,
}

/// How serious a mistake an option is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Severity {
    /// An ordinary option, scored by its effects alone.
    #[default]
    Normal,
    /// A serious mistake: listed in the debrief with its explanation; the attempt can still pass.
    Major(String),
    /// Harmful or unsafe: the attempt fails whatever the points. The text explains the right action.
    Critical(String),
}

/// What kind of response an option is (after MITI and OARS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum BehaviourCode {
    SimpleReflection,
    ComplexReflection,
    Summary,
    OpenQuestion,
    ClosedQuestion,
    Affirmation,
    SeekCollaboration,
    EmphasizeAutonomy,
    GiveInformation,
    AdviceWithPermission,
    Advice,
    Reassurance,
    Confront,
    SelfDisclosure,
    ChangeSubject,
    SetBoundary,
    Referral,
    Escalate,
    SelfCare,
    /// Promising to keep something secret.
    PromiseSecrecy,
    /// Doing it for the mentee: lending money, making their calls, writing their letters.
    Rescue,
    /// Private contact or meetings outside the program's channels (a personal number, social
    /// media, meeting alone off-site), or being available around the clock.
    OffProgram,
    /// Keeping from the coordinator (or others who need it) what they must know.
    Withhold,
    /// Not answering, leaving, or ending the conversation.
    Disengage,
    /// A risk cue (self-harm, suicide, abuse, harm to others) answered without asking about it
    /// or passing it on.
    MissedRiskCue,
    /// A report made after the time in which it could have protected the mentee.
    DelayedReport,
    /// Investigating: asking to see injuries, gathering evidence, questioning for details
    /// that belong to the people who will act on a disclosure.
    Investigate,
    /// Confronting the person harming the mentee.
    ConfrontHarmer,
    /// Lending, giving or looking after money for the mentee: a debt inside the match, and the
    /// mistake every program rules out whatever the reason.
    Money,
    /// Passing on the mentee's story, identity or messages to someone who does not need them
    /// (friends, a group chat, colleagues), as opposed to reporting through the program.
    Breach,
    /// Ending, handing over or stepping down a match without notice or a closing conversation,
    /// or dropping contact: to a mentee it reads as one more person leaving.
    AbruptEnding,
}

impl BehaviourCode {
    /// Reflections and summaries, for the reflection-to-question ratio.
    pub fn is_reflection(self) -> bool {
        matches!(
            self,
            BehaviourCode::SimpleReflection
                | BehaviourCode::ComplexReflection
                | BehaviourCode::Summary
        )
    }

    /// Open and closed questions, for the reflection-to-question ratio.
    pub fn is_question(self) -> bool {
        matches!(
            self,
            BehaviourCode::OpenQuestion | BehaviourCode::ClosedQuestion
        )
    }
}

/// A silent switch on variables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// Unique within the scenario.
    pub id: String,
    /// Tried in order; the last one must have no condition.
    pub routes: Vec<Route>,
}

/// One way out of a [`Branch`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Condition on variables; none means "otherwise".
    #[serde(default)]
    pub when: Option<String>,
    /// Node to continue at.
    pub next: String,
}

/// How an ending went for the mentee (the score decides pass or fail, not this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[allow(missing_docs)]
pub enum Outcome {
    Positive,
    Mixed,
    Negative,
}

/// Where a conversation ends.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    /// Unique within the scenario.
    pub id: String,
    /// How it went for the mentee.
    pub outcome: Outcome,
    /// Short name of the ending.
    pub title: String,
    /// The closing line or narration.
    pub text: String,
    /// The mentee's mood at the end.
    #[serde(default)]
    pub mood: Mood,
    /// What the debrief says about reaching this ending.
    pub debrief: String,
    /// What the ending and its debrief assert about the route (a condition on variables):
    /// `check` proves it holds on every path that reaches the ending.
    #[serde(default)]
    pub requires: Option<String>,
    /// Paragraphs added to the debrief when their condition holds at the ending, so the
    /// debrief follows what happened.
    #[serde(default)]
    pub notes: Vec<DebriefNote>,
    /// Added to the debrief when the attempt did not pass: why the story ended as it did while
    /// the verdict is "not yet". A `Positive` ending that a failing path reaches needs it.
    #[serde(default)]
    pub not_passed: Option<String>,
}

/// A paragraph of an ending's debrief that depends on the route.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Note")]
pub struct DebriefNote {
    /// Shown only when this holds at the ending; always shown without it.
    #[serde(default)]
    pub when: Option<String>,
    /// The paragraph.
    pub text: String,
    /// What the paragraph asserts, proved by `check` on every path that shows it.
    #[serde(default)]
    pub requires: Option<String>,
}

/// One `*.rubric.ron` file: the shared competency framework.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Rubric")]
pub struct RubricFile {
    /// Referenced by scenarios' `rubric` field.
    pub id: String,
    /// Bumped whenever definitions or thresholds change.
    pub version: u32,
    /// Name of the framework.
    pub title: String,
    /// Where it comes from and how to read it.
    #[serde(default)]
    pub description: String,
    /// Score bands for the levels shown in the debrief.
    pub levels: Levels,
    /// The fewest decisions that must assess each competency an assessment claims, on every
    /// path: fewer, and one choice decides the competency.
    #[serde(default = "default_min_evidence")]
    pub min_evidence: u32,
    /// The competencies.
    pub competencies: Vec<CompetencyDef>,
    /// The least severity an option with each behaviour code must have, so the same mistake
    /// is judged the same way in every scenario.
    #[serde(default)]
    pub severity_floors: Vec<SeverityFloor>,
}

/// One row of the rubric's severity table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename = "Floor")]
pub struct SeverityFloor {
    /// The behaviour code.
    pub code: BehaviourCode,
    /// The least severity an option with it may have.
    pub at_least: FloorLevel,
    /// Why, for authors.
    #[serde(default)]
    pub why: String,
}

/// A severity an option must at least have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum FloorLevel {
    /// `Major(...)` or `Critical(...)`.
    Major,
    /// `Critical(...)`.
    Critical,
}

impl Severity {
    /// Whether this severity meets a floor.
    pub fn meets(&self, floor: FloorLevel) -> bool {
        match self {
            Severity::Critical(_) => true,
            Severity::Major(_) => floor == FloorLevel::Major,
            Severity::Normal => false,
        }
    }
}

/// Four decisions per competency unless a rubric says otherwise.
pub const DEFAULT_MIN_EVIDENCE: u32 = 4;

fn default_min_evidence() -> u32 {
    DEFAULT_MIN_EVIDENCE
}

/// Score bands, 0..1: at least `proficient` is proficient, at least `developing` is developing,
/// anything lower is "not yet".
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// Lower bound of "proficient".
    pub proficient: f64,
    /// Lower bound of "developing".
    pub developing: f64,
}

/// One competency of the framework.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename = "Competency")]
pub struct CompetencyDef {
    /// Short code used in effects, e.g. "LIS".
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// What the competency is.
    pub definition: String,
    /// What proficient practice looks like.
    pub proficient: String,
    /// What developing practice looks like.
    pub developing: String,
    /// What "not yet" looks like.
    pub not_yet: String,
    /// Default pass threshold, 0..1, used where a scenario sets none.
    pub threshold: f64,
}
