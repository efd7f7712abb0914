//! Every finding's code in one list, with its severity and what it means. A code is a stable
//! name (`unknown-node`) that tools match on and people look up; its severity is decided here,
//! once, not at each place that reports it. The tables of codes in docs/scenario-format.md and
//! docs/records.md are kept equal to this list by a test.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Severity;

/// Which kind of file a code is reported in, and so which document lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Documented {
    /// Scenario and rubric files: docs/scenario-format.md.
    Scenario,
    /// The readiness policy and program connection files: docs/records.md.
    Policy,
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident, $documented:ident, $meaning:literal;)*) => {
        /// What a finding is about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order the documentation lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case name.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text),* }
            }

            /// Whether a finding with this code stops the file from being used.
            pub const fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }

            /// What it means, as the documentation says it.
            pub const fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning),* }
            }

            /// Where it is documented.
            pub const fn documented(self) -> Documented {
                match self { $(Code::$variant => Documented::$documented),* }
            }
        }
    };
}

codes! {
    // Scenario and rubric files (docs/scenario-format.md).
    Syntax = "syntax", Error, Scenario, "not valid RON, a misspelt field or value, a missing field";
    DuplicateKey = "duplicate-key", Error, Scenario, "a key given twice in one map (`effects`, `state`, `variables`, the pass rule's `competencies`)";
    NotUtf8 = "not-utf8", Error, Scenario, "the file cannot be read as a scenario";
    UnreadableFile = "unreadable-file", Error, Scenario, "the file cannot be read as a scenario";
    FileTooLarge = "file-too-large", Error, Scenario, "the file cannot be read as a scenario";
    UnknownFileKind = "unknown-file-kind", Error, Scenario, "the file cannot be read as a scenario";
    NotAFile = "not-a-file", Error, Scenario, "the file cannot be read as a scenario";
    BadFileName = "bad-file-name", Error, Scenario, "the file cannot be read as a scenario";
    FolderTooDeep = "folder-too-deep", Error, Scenario, "a folder more than 32 levels below the library is not searched";
    NoScenarios = "no-scenarios", Error, Scenario, "a folder named on the command line holds no `*.scenario.ron` file";
    UnknownNode = "unknown-node", Error, Scenario, "`start`, `next` or a route names a node that does not exist";
    UnknownCompetency = "unknown-competency", Error, Scenario, "a competency not in the rubric, or an effect on one the scenario does not list";
    UnknownVariable = "unknown-variable", Error, Scenario, "a `state` change names an undeclared variable";
    UnknownRubric = "unknown-rubric", Error, Scenario, "no rubric with that id was found";
    UnknownModule = "unknown-module", Error, Scenario, "a scenario's `topic` names a module no `*.modules.ron` file of the library declares";
    NoModules = "no-modules", Error, Scenario, "a `*.modules.ron` file that declares no modules";
    DuplicateId = "duplicate-id", Error, Scenario, "two nodes, two choices of a line, two competencies or two scenarios share an id";
    DeadEnd = "dead-end", Error, Scenario, "a line with neither choices nor `next`, or a branch without routes";
    ChoicesAndNext = "choices-and-next", Error, Scenario, "a line with both";
    MissingFallback = "missing-fallback", Error, Scenario, "a branch whose last route has a condition";
    BadCondition = "bad-condition", Error, Scenario, "a `when` that cannot be read (points at the place inside the text)";
    ConditionTooDeep = "condition-too-deep", Error, Scenario, "brackets and `not` nested more than 32 levels in one `when`";
    ValueOutOfRange = "value-out-of-range", Error, Scenario, "points, a variable's range or a change to it beyond the limits above";
    EmptyText = "empty-text", Error, Scenario, "an empty text, feedback, title, explanation...";
    UnknownPlaceholder = "unknown-placeholder", Error, Scenario, "a `{name}` in a shown text that is not one of the program's contacts (`{coordinator}`, `{safeguarding_lead}`, `{crisis_line}`, `{emergency_number}`); `{{` writes a brace";
    BadThreshold = "bad-threshold", Error, Scenario, "values out of range; `bad-id` is a scenario id with characters other than letters, digits, `-` and `_`";
    BadVariable = "bad-variable", Error, Scenario, "values out of range; `bad-id` is a scenario id with characters other than letters, digits, `-` and `_`";
    BadId = "bad-id", Error, Scenario, "values out of range; `bad-id` is a scenario id with characters other than letters, digits, `-` and `_`";
    BadVersion = "bad-version", Error, Scenario, "values out of range; `bad-id` is a scenario id with characters other than letters, digits, `-` and `_`";
    BadLevels = "bad-levels", Error, Scenario, "values out of range; `bad-id` is a scenario id with characters other than letters, digits, `-` and `_`";
    NoNodes = "no-nodes", Error, Scenario, "values out of range; `bad-id` is a scenario id with characters other than letters, digits, `-` and `_`";
    NoCompetencies = "no-competencies", Error, Scenario, "values out of range; `bad-id` is a scenario id with characters other than letters, digits, `-` and `_`";
    NoChoiceOffered = "no-choice-offered", Error, Scenario, "for some reachable variable values, every choice of a line is hidden";
    NoWayOut = "no-way-out", Error, Scenario, "a loop that no choice leaves, so no ending can be reached";
    BranchLoop = "branch-loop", Error, Scenario, "branches that lead only to each other";
    PassUnreachable = "pass-unreachable", Error, Scenario, "no path meets the pass rule (names the competency that falls short)";
    UnsupportedClaim = "unsupported-claim", Error, Scenario, "an ending or debrief note `requires` something a path reaching it breaks (names that path's choices)";
    UnreachableNode = "unreachable-node", Warning, Scenario, "content no trainee can reach (by links, or because of conditions)";
    NodeNeverReached = "node-never-reached", Warning, Scenario, "content no trainee can reach (by links, or because of conditions)";
    EndingNeverReached = "ending-never-reached", Warning, Scenario, "content no trainee can reach (by links, or because of conditions)";
    ChoiceNeverOffered = "choice-never-offered", Warning, Scenario, "a choice whose condition fails every time its line is reached";
    ConditionNeverHolds = "condition-never-holds", Warning, Scenario, "a comparison that the variables' ranges decide in advance";
    ConditionAlwaysHolds = "condition-always-holds", Warning, Scenario, "a comparison that the variables' ranges decide in advance";
    UnreachableRoute = "unreachable-route", Warning, Scenario, "a route after the unconditional one";
    FailUnreachable = "fail-unreachable", Warning, Scenario, "every path passes: the scenario cannot show that a trainee is not ready";
    NotAssessed = "not-assessed", Warning, Scenario, "some path never assesses a claimed competency (an example path is named)";
    CompetencyThin = "competency-thin", Warning, Scenario, "an assessment assesses a claimed competency at fewer decisions on some path than the rubric's `min_evidence` (4 by default)";
    Loop = "loop", Warning, Scenario, "the conversation can come back to a line; paths are unbounded and scores are not analysed";
    AnalysisIncomplete = "analysis-incomplete", Warning, Scenario, "too many variable combinations or outcomes to decide exactly";
    UnusualId = "unusual-id", Warning, Scenario, "a node or choice id with characters other than letters, digits, `-` and `_`";
    TooManyChoices = "too-many-choices", Warning, Scenario, "more than 9 choices (keys 1-9 pick a choice)";
    Guessable = "guessable", Warning, Scenario, "an assessment a chooser that knows nothing about mentoring passes: random choice more than 1 % of the time, or always the longest, shortest, second longest or second shortest, or the library's tells, on half its plays or more";
    HappyEndingOnFail = "happy-ending-on-fail", Warning, Scenario, "a `Positive` ending that a path which does not pass reaches, without a `not_passed` paragraph saying why the story and the verdict differ";
    KeyedListening = "keyed-listening", Warning, Scenario, "a trainee who picks the best option at every decision is told their listening is below fair: fewer reflections than questions, or under 40 % of reflections complex (MITI 4.2.1)";
    SeverityMismatch = "severity-mismatch", Warning, Scenario, "an option whose behaviour codes the rubric's `severity_floors` judge more severely than the option's `severity`";
    // The readiness policy file (docs/records.md).
    BadHomePage = "bad-home-page", Error, Policy, "the program's `home_page` is not a web address";
    NothingRequired = "nothing-required", Error, Policy, "the policy requires nothing, so everyone would be ready";
    ModuleWithoutAssessment = "module-without-assessment", Error, Policy, "a required module has no playable assessment scenario in the library";
    UnknownScenario = "unknown-scenario", Error, Policy, "a required scenario id is not a playable scenario of the library";
    BadAge = "bad-age", Error, Policy, "`max_age_days: Some(0)` would make every attempt too old";
    BadRetakes = "bad-retakes", Error, Policy, "`retakes: (max_attempts: ...)` with 0 attempts or 0 days would let no attempt count";
    // The program connection file (docs/records.md).
    BadEndpoint = "bad-endpoint", Error, Policy, "the connection's `lrs` is not an xAPI endpoint mentorsim may send a password to";
    NoPassword = "no-password", Error, Policy, "the connection has no password: neither `MENTORSIM_LRS_PASSWORD` nor a readable `password_file`";
    PasswordFileOpen = "password-file-open", Error, Policy, "the connection's `password_file` may be read by other users of this computer";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
