//! Grading a session against the rubric: imported outcomes win (a person decided), then
//! explicit feedback, then heuristics over the messages (corrections, reformat requests, a
//! mistake memory already warns about). Which evidence applies to an outcome is read from its
//! name and description, so a custom rubric still gets sensible grades.

use crate::model::{Grade, GradeSource, GradeValue, Role, Verdict};
use crate::rubric::Rubric;

use super::corrections;
use super::DreamSession;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    FirstPass,
    Format,
    Accepted,
    KnownMistake,
    Other,
}

fn kind(name: &str, description: &str) -> Kind {
    let t = format!("{} {}", name, description).to_lowercase();
    let any = |ws: &[&str]| ws.iter().any(|w| t.contains(w));
    if any(&["memory", "known mistake", "repeat a mistake", "warns"]) {
        Kind::KnownMistake
    } else if any(&["format", "layout", "structure"]) {
        Kind::Format
    } else if any(&[
        "first pass",
        "first_pass",
        "re-explain",
        "correct course",
        "first try",
    ]) {
        Kind::FirstPass
    } else if any(&["accept", "rewrit", "as it was", "used the"]) {
        Kind::Accepted
    } else {
        Kind::Other
    }
}

/// What the messages and feedback of one session say, computed once for all outcomes.
#[derive(Debug, Default)]
pub(crate) struct Signs {
    pub corrections: usize,
    pub reformat: bool,
    pub accepted: usize,
    pub revised: usize,
    pub rejected: usize,
    /// Quotes of assistant text that repeat a mistake memory warns about; `None` when no
    /// memory entry applies to the session.
    pub known_mistake: Option<Vec<String>>,
}

pub(crate) fn signs(s: &DreamSession, forbidden: &[(String, String)]) -> Signs {
    let mut out = Signs::default();
    let mut seen_assistant = false;
    for m in &s.messages {
        match m.role {
            Role::Assistant => seen_assistant = true,
            Role::User if seen_assistant => {
                out.corrections += super::statements::corrections_in(&m.content);
                out.reformat |= corrections::reformat_request(&m.content);
            }
            _ => {}
        }
    }
    for f in &s.feedback {
        match f.verdict {
            Verdict::Accepted => out.accepted += 1,
            Verdict::Revised => out.revised += 1,
            Verdict::Rejected => out.rejected += 1,
        }
    }
    if !forbidden.is_empty() {
        let mut hits = Vec::new();
        for m in s.messages.iter().filter(|m| m.role == Role::Assistant) {
            let low = m.content.to_lowercase();
            for (phrase, entry) in forbidden {
                if contains_word(&low, phrase) {
                    hits.push(entry.clone());
                }
            }
        }
        out.known_mistake = Some(hits);
    }
    out
}

/// `needle` in `hay` as whole words (not inside a longer word).
pub(crate) fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[i + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

fn grade(outcome: &str, value: GradeValue, source: GradeSource, reason: String) -> Grade {
    Grade {
        outcome: outcome.to_string(),
        label: crate::rubric::outcome_label(outcome),
        value,
        source,
        reason,
    }
}

fn from_feedback(name: &str, g: &Signs) -> Grade {
    use GradeValue::*;
    if g.rejected > 0 {
        grade(
            name,
            NotMet,
            GradeSource::Feedback,
            format!("{} draft(s) rejected", g.rejected),
        )
    } else if g.revised > 0 {
        grade(
            name,
            NotMet,
            GradeSource::Feedback,
            format!("{} draft(s) rewritten before use", g.revised),
        )
    } else if g.accepted > 0 {
        grade(
            name,
            Met,
            GradeSource::Feedback,
            "draft used as written".into(),
        )
    } else {
        grade(
            name,
            Unknown,
            GradeSource::Feedback,
            "no feedback on this session".into(),
        )
    }
}

/// One grade per rubric outcome.
pub(crate) fn grade_session(rubric: &Rubric, s: &DreamSession, g: &Signs) -> Vec<Grade> {
    use GradeValue::*;
    rubric
        .outcomes
        .iter()
        .map(|o| {
            let name = o.name.as_str();
            if let Some(&met) = s.outcomes.get(name) {
                let v = if met { Met } else { NotMet };
                if let Some(reason) = s.graders.get(name) {
                    return grade(name, v, GradeSource::Grader, reason.clone());
                }
                return grade(
                    name,
                    v,
                    GradeSource::Person,
                    "imported with the session".into(),
                );
            }
            match kind(name, &o.description) {
                Kind::FirstPass if g.corrections > 0 => grade(
                    name,
                    NotMet,
                    GradeSource::Heuristic,
                    format!("the person corrected the agent {} time(s)", g.corrections),
                ),
                Kind::FirstPass if g.rejected > 0 => from_feedback(name, g),
                // A draft the reviewer rewrote was not right the first time, whatever else.
                Kind::FirstPass if g.revised > 0 => grade(
                    name,
                    NotMet,
                    GradeSource::Feedback,
                    format!("the person rewrote {} draft(s) before using them", g.revised),
                ),
                Kind::FirstPass => grade(
                    name,
                    Met,
                    GradeSource::Heuristic,
                    "no corrections from the person".into(),
                ),
                Kind::Format if g.reformat => grade(
                    name,
                    NotMet,
                    GradeSource::Heuristic,
                    "the person asked for a different format".into(),
                ),
                Kind::Format => grade(
                    name,
                    Met,
                    GradeSource::Heuristic,
                    "no reformat requests".into(),
                ),
                Kind::Accepted => from_feedback(name, g),
                // Nothing in the transcript speaks to an outcome Reverie cannot recognise; say
                // so rather than borrow another outcome's grade.
                Kind::Other => grade(
                    name,
                    Unknown,
                    GradeSource::Heuristic,
                    "Reverie cannot judge this outcome from a transcript; set it when importing, or grade it yourself".into(),
                ),
                Kind::KnownMistake => match &g.known_mistake {
                    None => grade(
                        name,
                        Unknown,
                        GradeSource::Heuristic,
                        "no memory entry applies".into(),
                    ),
                    Some(hits) if hits.is_empty() => grade(
                        name,
                        Met,
                        GradeSource::Heuristic,
                        "followed what memory says".into(),
                    ),
                    Some(hits) => grade(
                        name,
                        NotMet,
                        GradeSource::Heuristic,
                        format!("repeated a mistake memory warns about: {}", hits[0]),
                    ),
                },
            }
        })
        .collect()
}

/// Weighted balance of met and not-met outcomes: above zero a good session, below a bad one.
pub(crate) fn balance(rubric: &Rubric, grades: &[Grade]) -> f64 {
    grades
        .iter()
        .filter_map(|g| {
            let o = rubric.outcomes.iter().find(|o| o.name == g.outcome)?;
            match g.value {
                GradeValue::Met => Some(o.signal.weight()),
                GradeValue::NotMet => Some(-o.signal.weight()),
                GradeValue::Unknown => None,
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feedback, Message};
    use chrono::Utc;

    fn msg(role: Role, c: &str) -> Message {
        Message {
            role,
            content: c.into(),
            tool_calls: vec![],
            stopped: false,
        }
    }

    #[test]
    fn grades_follow_feedback_heuristics_and_imports() {
        let mut s = DreamSession {
            graders: Default::default(),
            id: "s1".into(),
            started_at: Utc::now(),
            tags: Default::default(),
            messages: vec![
                msg(Role::User, "Draft a post"),
                msg(Role::Assistant, "A seamless post!"),
                msg(Role::User, "Don't use exclamation marks."),
            ],
            feedback: vec![Feedback {
                message: 1,
                verdict: Verdict::Revised,
                final_text: Some("A post.".into()),
                comment: None,
            }],
            outcomes: Default::default(),
        };
        let rubric = Rubric::default();
        let forbidden = vec![("seamless".to_string(), "never say seamless".to_string())];
        let grades = grade_session(&rubric, &s, &signs(&s, &forbidden));
        assert_eq!(grades.len(), rubric.outcomes.len());
        let values: Vec<GradeValue> = grades.iter().map(|g| g.value).collect();
        assert_eq!(
            values,
            vec![
                GradeValue::NotMet,
                GradeValue::Met,
                GradeValue::NotMet,
                GradeValue::NotMet
            ]
        );
        assert!(balance(&rubric, &grades) < 0.0);
        s.outcomes.insert("task_completed_first_pass".into(), true);
        let grades = grade_session(&rubric, &s, &signs(&s, &[]));
        assert_eq!(grades[0].source, GradeSource::Person);
        assert_eq!(grades[0].value, GradeValue::Met);
        assert_eq!(grades[3].value, GradeValue::Unknown);
    }

    #[test]
    fn a_rewritten_draft_is_not_a_first_pass_and_unknown_outcomes_stay_unknown() {
        let s = DreamSession {
            graders: Default::default(),
            id: "s2".into(),
            started_at: Utc::now(),
            tags: Default::default(),
            messages: vec![
                msg(Role::User, "Draft a post"),
                msg(Role::Assistant, "A post!"),
            ],
            feedback: vec![Feedback {
                message: 1,
                verdict: Verdict::Revised,
                final_text: Some("A post.".into()),
                comment: None,
            }],
            outcomes: Default::default(),
        };
        let mut rubric = Rubric::default();
        rubric.outcomes.push(crate::rubric::Outcome {
            name: "brand_voice_consistent".into(),
            description: "Sounds like the brand in every sentence".into(),
            signal: crate::rubric::Signal::Low,
        });
        let grades = grade_session(&rubric, &s, &signs(&s, &[]));
        assert_eq!(grades[0].outcome, "task_completed_first_pass");
        assert_eq!(grades[0].value, GradeValue::NotMet, "{:?}", grades[0]);
        let voice = grades
            .iter()
            .find(|g| g.outcome == "brand_voice_consistent")
            .unwrap();
        assert_eq!(voice.value, GradeValue::Unknown, "{voice:?}");
    }
}
