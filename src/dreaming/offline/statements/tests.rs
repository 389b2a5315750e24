use super::*;

fn reading(s: &str) -> Option<Reading> {
    read(s, Source::FollowUp)
}

#[test]
fn polarity_in_many_forms() {
    for s in [
        "Please don't use exclamation marks.",
        "No emoji please",
        "Never mention our prices",
        "Stop adding hashtags!",
        "Why did you add emojis again?",
        "Pease no println in the auth server pls.",
        "Plase don't use exclamation marks.",
        "Raw <button> again 🙃",
        "println! again?",
        "You keep using the word synergy.",
        "不要用感叹号",
        "别再用“赋能”了",
    ] {
        assert_eq!(reading(s).map(|r| r.pol), Some(Pol::Forbid), "{s}");
    }
    for s in [
        "Always sign off with the team name.",
        "You forgot to run cargo fmt again.",
        "Where's the order number?",
        "Run the formatter before you hand it back.",
        "Can you use numbered steps?",
        "请在结尾加上我们的口号",
    ] {
        assert_eq!(reading(s).map(|r| r.pol), Some(Pol::Require), "{s}");
    }
}

#[test]
fn not_every_sentence_is_a_rule() {
    for s in [
        "Thanks, that's perfect.",
        "Looks good to me.",
        "Is this for Instagram?",
        "Now add pagination to the list endpoint.",
        "Now add pagination to our list endpoint.",
        "Thanks again, now add the export button.",
        "Is it failing again?",
        "What a lovely draft",
        "Make it casual for this Friday post only, please.",
        "Just this once, add a joke.",
        "这次不用加标签",
    ] {
        assert_eq!(reading(s), None, "{s}");
    }
    // Redoing work, or saying how things are, is no complaint about them.
    for s in [
        "Run the tests again.",
        "Ping the customer again.",
        "Tests are green again!",
    ] {
        assert_ne!(reading(s).map(|r| r.pol), Some(Pol::Forbid), "{s}");
    }
    // A word one letter from a filler is a word where it does the asking.
    let r = reading("Thank the customer for their patience.").expect("an instruction");
    assert!(r.rule.starts_with("Thank"), "{}", r.rule);
    // A comment needs no imperative, but praise is not a rule.
    assert!(read("order number missing", Source::Comment).is_some());
    assert!(read("Great job!", Source::Comment).is_none());
}

#[test]
fn forbidding_an_omission_asks_for_it() {
    for s in [
        "Never leave out the order number.",
        "Don't forget the order number.",
        "Don't send a reply without the order number!",
        "Don't claim it's faster without benchmarks.",
        "Never say it's done without running the tests.",
        "Don't promise a swap before we have the IMEI.",
        "Never merge until CI passes.",
    ] {
        assert_eq!(reading(s).map(|r| r.pol), Some(Pol::Require), "{s}");
    }
    assert_eq!(
        reading("Never add new dependencies without asking.").map(|r| r.pol),
        Some(Pol::Forbid)
    );
    // Where and when, not what comes first.
    for s in [
        "No blank line before the sign-off.",
        "Don't deploy before Friday.",
        "You keep adding a summary before the code.",
    ] {
        assert_eq!(reading(s).map(|r| r.pol), Some(Pol::Forbid), "{s}");
    }
    assert_eq!(
        read("Northwind doesn't do refunds", Source::Comment).map(|r| r.pol),
        Some(Pol::Forbid)
    );
}

#[test]
fn said_to_last_in_its_opening_or_as_how_the_team_works() {
    // The opening that says so is stripped from the rule, but still says it lasts.
    for s in [
        "Next time, run cargo bench before and after.",
        "Going forward, put the ticket number in the title.",
    ] {
        let r = reading(s).expect(s);
        assert!(r.standing, "{s}");
        assert!(!r.rule.to_lowercase().starts_with("next"), "{}", r.rule);
    }
    // How the team does things, said as a fact.
    for s in [
        "Stdout isn't where our logs go.",
        "All logging in auth goes through tracing.",
        "We log with tracing here, never println.",
    ] {
        assert!(states_convention(&s.to_lowercase(), false), "{s}");
    }
    // A plan or a question is not a convention.
    for (s, q) in [
        ("We need to fix the login bug first.", false),
        ("Let's ship our fix today.", false),
        ("Can we use our staging key?", true),
        ("Use the retry helper.", false),
    ] {
        assert!(!states_convention(&s.to_lowercase(), q), "{s}");
    }
}

#[test]
fn complaints_become_instructions() {
    assert_eq!(
        reading("You forgot to run cargo fmt again!").unwrap().rule,
        "always run cargo fmt"
    );
    assert_eq!(
        reading("Where's the order number?").unwrap().rule,
        "include the order number"
    );
    assert_eq!(
        reading("Why did you add emojis?").unwrap().rule,
        "don't add emojis"
    );
    assert!(reading("you forgot the order number").unwrap().standing);
}

#[test]
fn a_rule_never_misquotes_or_keeps_a_sign_off() {
    // The opening quote went with the lead; the closing one with the end.
    assert_eq!(
        read("\"Indulge\" sounds like a diet ad", Source::Comment)
            .unwrap()
            .rule,
        "\"Indulge\" sounds like a diet ad"
    );
    assert_eq!(
        balance_quotes("indulge\" sounds off"),
        "\"indulge\" sounds off"
    );
    assert_eq!(
        balance_quotes("don't write \"unleash"),
        "don't write \"unleash\""
    );
    assert_eq!(balance_quotes("不要写“您"), "不要写“您”");
    // One piece of code set right is a fix to this change; a kind of thing is a rule.
    assert_eq!(
        read(
            "`build_features` should be `train_model` here",
            Source::FollowUp
        ),
        None
    );
    // Asked, it is a question: "\"should be faster\" based on what?"
    assert_eq!(
        read("\"should be faster\" based on what?", Source::FollowUp),
        None
    );
    // The same shape said of a kind of thing, with no place named, is a rule.
    assert_eq!(
        read("`println!` should be `tracing::info!`", Source::FollowUp)
            .unwrap()
            .pol,
        Pol::Require
    );
    assert_eq!(
        read("Titles should be sentence case", Source::FollowUp)
            .unwrap()
            .pol,
        Pol::Require
    );
    // Code whose opening backtick went with the lead, and code cut at the end.
    assert_eq!(
        balance_quotes("build_features` should be `train_model` here"),
        "`build_features` should be `train_model` here"
    );
    assert_eq!(balance_quotes("run `cargo fmt"), "run `cargo fmt`");
    assert_eq!(
        read("Use our Button, not a raw <button>!", Source::Comment)
            .unwrap()
            .rule,
        "Use our Button, not a raw <button>"
    );
    assert_eq!(
        read("Always run `gofmt -w .`.", Source::Comment)
            .unwrap()
            .rule,
        "Always run `gofmt -w .`"
    );
    assert_eq!(
        balance_quotes("always run `gofmt -w"),
        "always run `gofmt -w`"
    );
    assert_eq!(
        balance_quotes("say \"we're\" not \"we are\""),
        "say \"we're\" not \"we are\""
    );
    // A kiss after the comment is not part of what it asks.
    assert_eq!(
        read("Greet them by name, as always x", Source::Comment)
            .unwrap()
            .rule,
        "Greet them by name"
    );
    // "Way too much X" complains about X; "so much better" is praise.
    assert_eq!(
        read("way too much passive voice", Source::Comment).map(|r| r.pol),
        Some(Pol::Forbid)
    );
    assert!(read("So much better!", Source::Comment).is_none());
    // X the place is not a kiss.
    assert!(read("Don't post the thread on X", Source::Comment)
        .unwrap()
        .rule
        .ends_with(" X"));
    assert_eq!(
        balance_quotes("write\u{2028}indulge\" often"),
        "write\u{2028}\"indulge\" often"
    );
}

fn stmts(texts: &[&str]) -> Vec<Statement> {
    texts
        .iter()
        .enumerate()
        .flat_map(|(i, t)| find(i as u32, t, Source::FollowUp))
        .collect()
}

#[test]
fn paraphrases_meet_and_topics_stay_apart() {
    let s = stmts(&[
        "Run the formatter before you hand it back.",
        "Please format the code with rustfmt before giving it to me.",
        "You forgot to run the formatter again.",
        "Format it with rustfmt, please.",
        // A formatter's name, or the word for what it leaves behind, is the same topic.
        "You forgot to run cargo fmt again.",
        "Don't hand me unformatted code.",
        "Never send me unformatted code.",
        "Never add new dependencies without asking.",
        "Don't pull in new dependencies.",
        "No new dependencies please, we have enough.",
    ]);
    let g = group(&s);
    let fmt = g
        .terms
        .iter()
        .position(|t| t.iter().any(|x| x.starts_with("format")))
        .unwrap();
    let deps = g
        .terms
        .iter()
        .position(|t| t.iter().any(|x| x.starts_with("depend")))
        .unwrap();
    assert_ne!(fmt, deps);
    let members = |gid: usize| {
        s.iter()
            .enumerate()
            .filter(|(i, _)| g.of[*i].contains(&(gid as u32)))
            .count()
    };
    assert_eq!(members(fmt), 7, "{:?}", g.terms);
    assert_eq!(members(deps), 3, "{:?}", g.terms);
    assert_eq!(g.pol[deps], Pol::Forbid);
    assert!(
        g.rule[fmt].to_lowercase().contains("format"),
        "{}",
        g.rule[fmt]
    );
}

#[test]
fn a_statement_joins_the_topic_most_sessions_talk_about() {
    // "println" and "print … stdout … tracing" are one topic said in three sessions; "auth",
    // named in two of them, is where it is said, not what it is about.
    let s = stmts(&[
        "Don't print to stdout, use tracing — all logging in auth goes through tracing.",
        "No println in auth.",
        "Don't print to stdout, use tracing.",
    ]);
    let g = group(&s);
    let joined = (0..g.pol.len() as u32).any(|id| g.of.iter().all(|of| of.contains(&id)));
    assert!(joined, "{:?} {:?}", g.terms, g.of);
}

#[test]
fn a_later_clause_an_opening_quote_and_a_remembered_drop_read_as_said() {
    let pol = |t: &str| read(t, Source::Comment).map(|r| r.pol);
    // A clause that forbids makes the sentence forbid.
    assert_eq!(
        pol("We have no control over the carrier, so no dates."),
        Some(Pol::Forbid)
    );
    assert_eq!(
        pol("Looks fine — never use emoji though."),
        Some(Pol::Forbid)
    );
    // "Remember to drop it", "take out", "almost —": removing is forbidding.
    assert_eq!(
        pol("Remember to drop the delivery date."),
        Some(Pol::Forbid)
    );
    assert_eq!(pol("Pls take out the delivery date."), Some(Pol::Forbid));
    assert_eq!(
        pol("Almost — drop the delivery date next time."),
        Some(Pol::Forbid)
    );
    let r = read("Remember to drop the delivery date.", Source::Comment).unwrap();
    assert!(r.standing, "{r:?}");
    // "Almost" is a verdict only before a mark.
    assert_eq!(
        pol("Almost never use exclamation marks."),
        Some(Pol::Forbid)
    );
    assert!(read("Almost never use exclamation marks.", Source::Comment)
        .unwrap()
        .rule
        .starts_with("Almost"));
    // A bare "no" after "but" says it is missing.
    assert_eq!(pol("Nice post, but no booking link."), Some(Pol::Require));
    // A quoted rule still opens with its polarity word.
    assert_eq!(pol("\"No emoji\" is our rule for Kiln."), Some(Pol::Forbid));
    // An opening quote is kept, so the next quote is not read from its close.
    let r = read(
        "\"Sincerely\" is too formal; please, no \"Kind regards\".",
        Source::Comment,
    )
    .unwrap();
    assert!(r.stems.contains(&"formal".to_string()), "{:?}", r.stems);
    assert!(r.stems.iter().all(|t| !t.contains("kind")), "{:?}", r.stems);
}

#[test]
fn a_word_at_the_centre_of_one_topic_joins_it_and_a_tool_word_does_not() {
    // "date" is said with "promise", "delivery" and "carrier", which are said with one
    // another: one topic.
    let g = group(&stmts(&[
        "Never promise a delivery date.",
        "Don't promise a delivery date, ever.",
        "Never commit to delivery dates.",
        "Never commit to a delivery date.",
        "Never commit to dates.",
        "We don't commit to a date.",
        "Don't promise dates.",
        "Never promise a date.",
    ]));
    assert_eq!(g.pol.len(), 1, "{:?}", g.terms);
    assert!(g.of.iter().all(|of| of == &[0]), "{:?} {:?}", g.terms, g.of);
    // Its topic is every word of it: "commit" too, said only with "date" and "delivery".
    assert!(g.terms[0].contains(&"commit".to_string()), "{:?}", g.terms);
    // "cargo" is said with "fmt" and with "bench", which never meet: it joins neither to the
    // other.
    let g = group(&stmts(&[
        "Always run cargo fmt before you hand it back.",
        "You forgot cargo fmt again.",
        "Run cargo fmt, always.",
        "Always run cargo bench before and after a perf change.",
        "You forgot cargo bench again, run it before and after.",
        "Always include cargo bench before and after numbers.",
    ]));
    for t in &g.terms {
        let has = |w: &str| t.iter().any(|x| x.starts_with(w));
        assert!(!(has("format") && has("bench")), "{t:?}");
    }
}

#[test]
fn a_word_said_on_its_own_is_a_topic_not_a_tool() {
    // "indulge" is said with "enjoy" and with "diet ad", which never meet; but it is also
    // said alone, so it is what all of them are about.
    let texts = [
        "No \"indulge\".",
        "Don't say \"indulge\"!",
        "No \"indulge\", please.",
        "Swap \"indulge\" for \"enjoy\".",
        "\"indulge\" sounds like a diet ad.",
        "Swap \"indulge\" for \"enjoy\", thanks.",
        "\"indulge\" sounds like a diet ad, really.",
        "\"indulge\" sounds like a diet ad.",
    ];
    let s: Vec<Statement> = texts
        .iter()
        .enumerate()
        .flat_map(|(i, t)| find(i as u32, t, Source::Comment))
        .collect();
    let g = group(&s);
    for (st, of) in s.iter().zip(&g.of) {
        assert!(
            of.iter()
                .any(|&id| g.terms[id as usize].contains(&"indulg".to_string())),
            "{}: {:?} {:?}",
            st.text,
            of,
            g.terms
        );
    }
}

#[test]
fn chinese_dont_forget_asks_for_what_it_names() {
    for said in ["别忘了话题标签", "话题标签又忘了", "不要漏掉结尾的话题标签"]
    {
        let r = read(said, Source::Comment).unwrap();
        assert_eq!(r.pol, Pol::Require, "{said}");
        assert!(
            r.stems.iter().any(|t| t.contains("标签")),
            "{said}: {:?}",
            r.stems
        );
        assert!(
            r.stems.iter().all(|t| !t.contains('忘')),
            "{said}: {:?}",
            r.stems
        );
    }
    // A forbidding word beside it still forbids; the openings of a correction are not topics.
    assert_eq!(
        read("别忘了：不要用感叹号", Source::Comment).unwrap().pol,
        Pol::Forbid
    );
    for (said, topic) in [
        ("改一下：说过了，不要说闭环", "闭环"),
        ("小问题：不要加表情符号", "表情符号"),
    ] {
        let r = read(said, Source::Comment).unwrap();
        assert_eq!(r.pol, Pol::Forbid, "{said}");
        assert_eq!(r.stems, vec![topic.to_string()], "{said}");
    }
}

#[test]
fn a_short_word_ending_a_compound_is_another_word() {
    // "log" ends "changelog", "set" ends "dataset": other things. "fmt" ends "rustfmt".
    use super::group::is_form_end;
    assert!(!is_form_end("log"));
    assert!(!is_form_end("set"));
    assert!(is_form_end("fmt"));
    assert!(is_form_end("format"));
    let g = group(&stmts(&[
        "Always add a changelog entry.",
        "You forgot the changelog again.",
        "Always update the changelog.",
        "Always log through tracing.",
        "Always use the logger, not stdout.",
    ]));
    for (terms, rule) in g.terms.iter().zip(&g.rule) {
        assert!(
            !(terms.iter().any(|t| t.starts_with("changelog")) && terms.iter().any(|t| t == "log")),
            "{rule}: {terms:?}"
        );
    }
}

#[test]
fn one_edit_apart_is_one_typo() {
    assert!(one_edit_apart("pease", "please"));
    assert!(one_edit_apart("plaese", "please"));
    assert!(!one_edit_apart("pleased", "please"));
    assert!(!one_edit_apart("lease", "please"));
    assert!(!one_edit_apart("thank", "thanks"));
    assert!(!one_edit_apart("please", "please"));
    assert!(!one_edit_apart("place", "please"));
    assert!(!one_edit_apart("pleasant", "please"));
}

#[test]
fn quotes_are_found_in_order_and_an_apostrophe_in_a_word_opens_none() {
    fn said(s: &str) -> Vec<&str> {
        let marks = ['`', '"', '“', '\'', '‘'];
        quotes(s, &marks).into_iter().map(|q| q.2).collect()
    }
    assert_eq!(
        said("it's not `Read the API token` but \"fix: token\" here"),
        ["Read the API token", "fix: token"]
    );
    assert_eq!(
        said("say ‘see you soon' and 'thanks'"),
        ["see you soon", "thanks"]
    );
    // An opening never closed quotes nothing.
    assert!(said("don't write \"Hi there").is_empty());
    // Long quotes are examples, short ones phrases.
    assert_eq!(
        drop_examples("\"Retry Policy For Failed Webhooks\" should be \"sentence case\""),
        " should be  sentence case "
    );
}
