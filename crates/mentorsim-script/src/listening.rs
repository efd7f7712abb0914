//! A trainee's listening profile: the behaviour codes of the options they chose, counted as the
//! Motivational Interviewing Treatment Integrity code (MITI 4.2.1; Moyers, Manuel and Ernst,
//! 2014) counts a practitioner's utterances, and set against its published thresholds: a
//! reflection-to-question ratio of 1:1 is fair and 2:1 good, and 40 % of reflections complex is
//! fair and 50 % good. A trainee chooses replies rather than composing them, so this describes
//! the listening they chose, not their own words (docs/scoring.md).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::BehaviourCode;

/// How a figure compares with MITI 4.2.1's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Below the fair threshold.
    BelowFair,
    /// At least fair.
    Fair,
    /// At least good.
    Good,
}

impl Band {
    fn of(value: f64, fair: f64, good: f64) -> Band {
        // Counts are small whole numbers: 2 reflections to 1 question is exactly 2:1.
        if value + 1e-9 >= good {
            Band::Good
        } else if value + 1e-9 >= fair {
            Band::Fair
        } else {
            Band::BelowFair
        }
    }

    /// The band in words.
    pub fn label(self) -> &'static str {
        match self {
            Band::BelowFair => "below fair",
            Band::Fair => "fair",
            Band::Good => "good",
        }
    }
}

/// MITI 4.2.1's reflection-to-question ratio thresholds (fair, good).
pub const RATIO_THRESHOLDS: (f64, f64) = (1.0, 2.0);
/// MITI 4.2.1's share-of-complex-reflections thresholds (fair, good).
pub const COMPLEX_THRESHOLDS: (f64, f64) = (0.4, 0.5);

/// The counts a listening profile is made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ListeningProfile {
    /// Simple and complex reflections, summaries included (MITI codes a summary as a
    /// reflection, and one that draws several things together as complex).
    pub reflections: u32,
    /// Of them, complex reflections and summaries.
    pub complex: u32,
    /// Open and closed questions.
    pub questions: u32,
    /// Advice given without asking permission first (MITI's "persuade" without permission).
    pub advice_without_permission: u32,
    /// Confronting: arguing, correcting, disapproving.
    pub confrontations: u32,
}

impl ListeningProfile {
    /// The profile of an attempt's (or several attempts') behaviour code counts.
    pub fn of(codes: &BTreeMap<BehaviourCode, u32>) -> ListeningProfile {
        let count = |code| codes.get(&code).copied().unwrap_or(0);
        let complex = count(BehaviourCode::ComplexReflection) + count(BehaviourCode::Summary);
        ListeningProfile {
            reflections: count(BehaviourCode::SimpleReflection) + complex,
            complex,
            questions: count(BehaviourCode::OpenQuestion) + count(BehaviourCode::ClosedQuestion),
            advice_without_permission: count(BehaviourCode::Advice),
            confrontations: count(BehaviourCode::Confront),
        }
    }

    /// Reflections per question, with its band; `None` without a question (any reflection
    /// then meets "good").
    pub fn ratio(&self) -> Option<(f64, Band)> {
        (self.questions > 0).then(|| {
            let ratio = f64::from(self.reflections) / f64::from(self.questions);
            (
                ratio,
                Band::of(ratio, RATIO_THRESHOLDS.0, RATIO_THRESHOLDS.1),
            )
        })
    }

    /// The share of reflections that are complex, with its band; `None` without a reflection.
    pub fn complex_share(&self) -> Option<(f64, Band)> {
        (self.reflections > 0).then(|| {
            let share = f64::from(self.complex) / f64::from(self.reflections);
            (
                share,
                Band::of(share, COMPLEX_THRESHOLDS.0, COMPLEX_THRESHOLDS.1),
            )
        })
    }

    /// The profile in sentences for a debrief.
    pub fn lines(&self) -> Vec<String> {
        let ratio = match (self.ratio(), self.reflections) {
            (Some((ratio, band)), _) => format!(
                "Reflections to questions: {} to {} ({ratio:.1}:1, {}; MITI 4.2.1 counts 1:1 as fair and 2:1 as good).",
                self.reflections,
                self.questions,
                band.label()
            ),
            (None, 0) => "No reflections or questions chosen.".to_owned(),
            (None, n) => format!(
                "Reflections to questions: {n} to 0 (good; MITI 4.2.1 counts 1:1 as fair and 2:1 as good)."
            ),
        };
        let complex = match self.complex_share() {
            Some((share, band)) => format!(
                "Complex reflections: {} of {} ({:.0}%, {}; 40% is fair and 50% good).",
                self.complex,
                self.reflections,
                share * 100.0,
                band.label()
            ),
            None => {
                "Complex reflections: none, as no reflection was chosen (40% is fair and 50% good)."
                    .to_owned()
            }
        };
        let other = format!(
            "Advice without asking permission: {}. Confrontations: {}.",
            self.advice_without_permission, self.confrontations
        );
        vec![ratio, complex, other]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[(BehaviourCode, u32)]) -> BTreeMap<BehaviourCode, u32> {
        list.iter().copied().collect()
    }

    #[test]
    fn reflections_questions_and_complexity_are_banded_by_the_miti_thresholds() {
        use BehaviourCode::*;
        let good = ListeningProfile::of(&codes(&[
            (SimpleReflection, 2),
            (ComplexReflection, 1),
            (Summary, 1),
            (OpenQuestion, 2),
            (Advice, 1),
        ]));
        assert_eq!((good.reflections, good.complex, good.questions), (4, 2, 2));
        assert_eq!(good.ratio(), Some((2.0, Band::Good)));
        assert_eq!(good.complex_share(), Some((0.5, Band::Good)));
        assert_eq!(good.advice_without_permission, 1);

        let fair = ListeningProfile::of(&codes(&[
            (SimpleReflection, 3),
            (ComplexReflection, 2),
            (OpenQuestion, 3),
            (ClosedQuestion, 1),
        ]));
        assert_eq!(fair.ratio().map(|r| r.1), Some(Band::Fair));
        assert_eq!(fair.complex_share(), Some((0.4, Band::Fair)));

        let below = ListeningProfile::of(&codes(&[(SimpleReflection, 1), (ClosedQuestion, 3)]));
        assert_eq!(below.ratio().map(|r| r.1), Some(Band::BelowFair));
        assert_eq!(below.complex_share(), Some((0.0, Band::BelowFair)));
        assert!(below.lines()[0].contains("1 to 3 (0.3:1, below fair"));
    }

    #[test]
    fn no_questions_or_no_reflections_are_said_plainly() {
        let none = ListeningProfile::of(&BTreeMap::new());
        assert_eq!(none.ratio(), None);
        assert_eq!(none.complex_share(), None);
        assert_eq!(none.lines()[0], "No reflections or questions chosen.");
        let only = ListeningProfile::of(&codes(&[(BehaviourCode::ComplexReflection, 2)]));
        assert!(only.lines()[0].starts_with("Reflections to questions: 2 to 0 (good"));
    }
}
