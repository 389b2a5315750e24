use super::*;

const DESIGN_EXAMPLE: &str = r#"outcomes:
  - name: task_completed_first_pass
    description: Agent completed the task without requiring user to re-explain or correct course
    signal: high
  - name: format_matched_request
    description: Output format matched what the user asked for (no reformat requests)
    signal: high
dreaming:
  schedule: "0 2 * * *"   # standard 5-field crontab, local time
  review_window_days: 7
  auto_apply: false
"#;

#[test]
fn design_example_round_trips_exactly_comments_aside() {
    let r = Rubric::from_yaml(DESIGN_EXAMPLE).unwrap();
    assert_eq!(r.outcomes.len(), 2);
    assert_eq!(r.dreaming.schedule, "0 2 * * *");
    let without_comment = DESIGN_EXAMPLE.replace("   # standard 5-field crontab, local time", "");
    assert_eq!(r.to_yaml(), without_comment);
}

#[test]
fn default_rubric_round_trips() {
    let d = Rubric::default();
    assert_eq!(d.outcomes.len(), 4);
    assert!(d.validate().is_empty());
    let yaml = d.to_yaml();
    assert_eq!(Rubric::from_yaml(&yaml).unwrap(), d);
    assert_eq!(Rubric::from_yaml(&yaml).unwrap().to_yaml(), yaml);
}

#[test]
fn awkward_text_survives_a_round_trip() {
    let mut r = Rubric::default();
    r.outcomes[0].description = "Says \"no\": never #1, yes".into();
    r.outcomes[1].description = "true".into();
    let back = Rubric::from_yaml(&r.to_yaml()).unwrap();
    assert_eq!(back, r);
}

fn issues(src: &str) -> Vec<RubricIssue> {
    Rubric::from_yaml(src).unwrap_err()
}

#[test]
fn unknown_signal_points_at_its_value() {
    let src = DESIGN_EXAMPLE.replace(
        "signal: high\n  - name: format",
        "signal: urgent\n  - name: format",
    );
    let errs = issues(&src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].line, errs[0].column), (Some(4), Some(13)));
    assert_eq!(errs[0].field, "outcomes[0].signal");
    assert!(errs[0].message.contains("high, medium or low"));
}

#[test]
fn missing_name_and_duplicates_are_reported() {
    let src = "outcomes:\n  - description: d\n    signal: low\n  - name: a\n    description: d\n    signal: low\n  - name: a\n    description: d\n    signal: low\ndreaming:\n  schedule: \"0 2 * * *\"\n  review_window_days: 7\n  auto_apply: false\n";
    let errs = issues(src);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].field, "outcomes[0].name");
    assert_eq!(errs[0].line, Some(2));
    assert!(errs[1].message.contains("already called \"a\""));
    assert_eq!((errs[1].line, errs[1].column), (Some(7), Some(11)));
}

#[test]
fn bad_schedule_and_window_are_reported_with_positions() {
    let src = DESIGN_EXAMPLE
        .replace("\"0 2 * * *\"", "\"0 2 * *\"")
        .replace("review_window_days: 7", "review_window_days: 120");
    let errs = issues(&src);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].field, "dreaming.schedule");
    assert_eq!(errs[0].line, Some(9));
    assert!(errs[0].message.contains("needs 5"));
    assert_eq!(errs[1].line, Some(10));
    assert!(errs[1].message.contains("between 1 and 90"));
    let zero = DESIGN_EXAMPLE.replace("review_window_days: 7", "review_window_days: 0");
    assert!(issues(&zero)[0].message.contains("0 days"));
}

#[test]
fn broken_yaml_reports_line_and_column() {
    let errs = issues("outcomes:\n  - name: a\n    description: [oops\ndreaming: {}\n");
    assert_eq!(errs.len(), 1);
    assert!(errs[0].line.is_some() && errs[0].column.is_some());
    assert!(errs[0].message.starts_with("this is not valid YAML"));
    let text = errs[0].to_string();
    assert!(text.starts_with("line "), "{text}");
}

#[test]
fn unknown_fields_are_named() {
    let src = DESIGN_EXAMPLE.replace("auto_apply: false", "auto_apply: false\n  autoapply: true");
    let errs = issues(&src);
    assert_eq!(errs[0].field, "dreaming.autoapply");
    assert!(errs[0].message.contains("unknown field"));
}

#[test]
fn visual_editor_validation_names_fields() {
    let mut r = Rubric::default();
    r.outcomes[1].name = "Format Matched".into();
    r.dreaming.schedule = "nightly".into();
    let errs = r.validate();
    assert_eq!(errs.len(), 2);
    assert_eq!(errs[0].field, "outcomes[1].name");
    assert!(errs[0].message.contains("format_matched"));
    assert_eq!(errs[1].field, "dreaming.schedule");
}

#[test]
fn outcome_names_come_from_words() {
    let none: Vec<String> = vec![];
    assert_eq!(
        outcome_name("Sounds like the client", &none),
        "sounds_like_the_client"
    );
    assert_eq!(outcome_name("  Café crème!  ", &none), "cafe_creme");
    assert_eq!(
        outcome_name("Réponse à l'heure", &none),
        "reponse_a_l_heure"
    );
    assert_eq!(outcome_name("Вежливо", &none), "outcome");
    let taken = vec!["on_time".to_string(), "on_time_2".to_string()];
    assert_eq!(outcome_name("On time", &taken), "on_time_3");
    // Every name it gives passes the rubric's own name rule.
    for words in [
        "Sounds like the client",
        "Café",
        "Вежливо",
        "1st pass",
        "a__b",
    ] {
        assert!(
            name_problem(&outcome_name(words, &none)).is_none(),
            "{words}"
        );
    }
    // Names and words go both ways.
    assert_eq!(
        outcome_label(&outcome_name("Sounds like the client", &none)),
        "Sounds like the client"
    );
}
