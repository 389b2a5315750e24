//! What people say they want, in their own words: corrections typed after a draft, feedback
//! comments and the reasons given with a rejection. Each sentence is read for its polarity
//! ("don't X", "never X", "stop X-ing", "no X" and "why did you X?" forbid; "always X", "you
//! forgot to X", "where's the X?" and a bare "run the formatter" require), its content stems
//! and whether it is meant to last ("again", "every time", "from now on") or only this once
//! ("just for this post"). Statements are then grouped by meaning, not wording: by the rarer
//! content stems they share, so three paraphrases of one correction become one proposal, put
//! in the clearest wording people used.

use std::collections::BTreeSet;

use super::support::Pol;
use super::text;

/// Where a statement was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A message the person typed after a draft.
    FollowUp,
    /// A comment with a verdict.
    Comment,
    /// The comment with a rejection.
    Rejection,
}

/// One sentence read as a statement of what someone wants.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub session: u32,
    pub pol: Pol,
    /// The sentence as typed (a quote from the session).
    pub text: String,
    /// The sentence as an instruction ("you forgot to run fmt again" -> "always run fmt").
    pub rule: String,
    /// Content stems, sorted and unique: what it is about.
    pub stems: Vec<String>,
    /// Said to last: "always", "never", "again", "every time", "from now on"...
    pub standing: bool,
    /// Phrased as a rule (a polarity word or a complaint), not just a bare imperative.
    pub marked: bool,
    /// An instruction, a plain "add the booking link" included: which way it means is clear.
    pub directive: bool,
    /// Its polarity was said outright at its start ("never", "always", "you forgot"), so it
    /// can stand against a rule of the other polarity.
    pub strong: bool,
    pub source: Source,
}

/// What a sentence says, before it is tied to a session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reading {
    pub pol: Pol,
    pub rule: String,
    pub stems: Vec<String>,
    pub standing: bool,
    pub marked: bool,
    pub strong: bool,
    /// An instruction of any kind, a plain "use them" included (what memory entries are).
    pub directive: bool,
}

fn lower(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // ASCII is its own normal form: most of what people type skips the tables.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfkc()
        .collect::<String>()
        .to_lowercase()
        .replace('’', "'")
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(text::is_cjk)
}

/// A fixed phrase list as one automaton, built once: every sentence people typed is checked
/// against it, and one pass over the text for the whole list is what keeps that cheap.
fn phrases(
    cell: &'static std::sync::OnceLock<aho_corasick::AhoCorasick>,
    list: &[&str],
) -> &'static aho_corasick::AhoCorasick {
    cell.get_or_init(|| {
        aho_corasick::AhoCorasick::new(list.iter().map(|p| p.trim()))
            .expect("a fixed phrase list builds")
    })
}

/// Whether any phrase of `list` occurs in `padded` (lowercase, padded with spaces) as whole
/// words.
fn any_phrase(padded: &str, list: &aho_corasick::AhoCorasick) -> bool {
    list.find_overlapping_iter(padded).any(|m| {
        let before = padded[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = padded[m.end()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

static ONE_OFF_PHRASES: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
static STANDING_PHRASES: std::sync::OnceLock<aho_corasick::AhoCorasick> =
    std::sync::OnceLock::new();

/// A request meant for this piece of work only ("casual tone for this Friday post only").
pub(crate) fn one_off(sentence: &str) -> bool {
    let low = format!(" {} ", lower(sentence));
    if any_phrase(&low, phrases(&ONE_OFF_PHRASES, ONE_OFF)) {
        return true;
    }
    if has_cjk(&low) && ONE_OFF_CJK.iter().any(|m| low.contains(m)) {
        return true;
    }
    low.contains(" only") && (low.contains(" this ") || low.contains(" today"))
}

/// Drops fillers and politeness from the start of a lowercase sentence, repeatedly.
fn strip_lead(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '#');
        // "Remember to drop it" keeps its opening: "remember to" asks, and says it lasts.
        // "Almost —", "nearly:" open a verdict only before a mark ("almost never" is not).
        let next = FILLER
            .iter()
            .filter(|f| starts_with_words(t, f))
            .filter(|f| !(**f == "remember" && starts_with_words(t, "remember to")))
            .chain(["almost", "nearly"].iter().filter(|f| {
                starts_with_words(t, f)
                    && t[f.len()..]
                        .trim_start()
                        .starts_with(|c: char| !c.is_alphanumeric())
            }))
            .max_by_key(|f| f.len());
        match next {
            Some(f) if t.len() > f.len() => s = &t[f.len()..],
            _ => {
                // A filler typed in a hurry ("pease", "plase", "thnaks", "acutally"); only
                // long ones, where one letter off is still that word ("greet" is not "great").
                let word = t.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
                let rest = t[word.len()..].trim_start();
                // Only where a filler would stand: before a mark, or before what the sentence
                // asks ("pease no println", "plase, use tabs"), not "thank the customer".
                let then_asks = rest.starts_with(|c: char| !c.is_alphanumeric())
                    || FORBID_LEAD
                        .iter()
                        .chain(REQUIRE_LEAD)
                        .chain(REQUIRE_VERB)
                        .any(|l| starts_with_words(rest, l));
                let typo = !rest.is_empty()
                    && then_asks
                    && FILLER.iter().any(|f| {
                        f.chars().count() >= 6 && !f.contains(' ') && one_edit_apart(word, f)
                    });
                if typo {
                    s = &t[word.len()..];
                } else {
                    return t;
                }
            }
        }
    }
}

/// Whether `s` opens with a verb people use to ask for work (again): "run", "try", "check".
fn starts_with_a_verb(s: &str) -> bool {
    const VERBS: &[&str] = &[
        "run",
        "rerun",
        "try",
        "retry",
        "do",
        "redo",
        "check",
        "test",
        "build",
        "rebuild",
        "fix",
        "send",
        "resend",
        "start",
        "restart",
        "deploy",
        "push",
        "pull",
        "commit",
        "rebase",
        "format",
        "lint",
        "update",
        "upload",
        "compile",
        "generate",
        "regenerate",
        "write",
        "rewrite",
        "read",
        "look",
        "go",
        "make",
        "give",
        "show",
        "print",
        "post",
        "open",
        "close",
        "save",
        "load",
        "reload",
        "refresh",
        "render",
        "install",
        "merge",
        "review",
        "call",
        "ask",
        "tell",
        "say",
        "explain",
        "summarize",
        "summarise",
        "draft",
        "edit",
        "translate",
        "reply",
        "answer",
        "submit",
        "sort",
        "clean",
        "delete",
        "remove",
        "change",
        "move",
        "ping",
        "email",
        "bump",
        "message",
        "nudge",
        "remind",
        "text",
        "follow",
        "chase",
    ];
    let first = s
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .next()
        .unwrap_or("");
    VERBS.contains(&first) || ["ize", "ify"].iter().any(|e| first.ends_with(e))
}

/// Whether `a` becomes `b` by one letter changed, added, dropped, or two neighbours swapped,
/// its first and last letters kept (as hurried typing keeps them: "pease", "thnaks"; "lease"
/// and "pleased" are words of their own).
fn one_edit_apart(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 2 || a == b {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.first() != b.first() || a.last() != b.last() {
        return false;
    }
    let p = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = |x: &[char], y: &[char]| x == y;
    match a.len() as isize - b.len() as isize {
        0 => {
            tail(&a[p + 1..], &b[p + 1..])
                || (p + 1 < a.len()
                    && a[p] == b[p + 1]
                    && a[p + 1] == b[p]
                    && tail(&a[p + 2..], &b[p + 2..]))
        }
        1 => tail(&a[p + 1..], &b[p..]),
        -1 => tail(&a[p..], &b[p + 1..]),
        _ => false,
    }
}

/// "Stdout isn't where our logs go", "we log with tracing here", "all logging in auth goes
/// through tracing": how the team does things, said as a fact rather than an instruction,
/// lasts as a rule does. A plan ("we need to fix the login", "let's ship it", "we'll add it
/// later") or a question is not a convention.
fn states_convention(low: &str, question: bool) -> bool {
    if question {
        return false;
    }
    let padded = format!(
        " {} ",
        low.replace(|c: char| !c.is_alphanumeric() && c != '\'', " ")
    );
    let ours = [" we ", " our ", " we're ", " we've "]
        .iter()
        .any(|m| padded.contains(m));
    let plan = [
        " need to ",
        " needs to ",
        " let's ",
        " let us ",
        " we'll ",
        " we will ",
        " should we ",
        " can we ",
        " could we ",
        " we could ",
        " we might ",
        " we're going to ",
        " going to ",
        " we want to ",
        " we have to ",
    ]
    .iter()
    .any(|m| padded.contains(m));
    let all = [" all ", " every ", " each "]
        .iter()
        .any(|m| padded.starts_with(m));
    (ours || all) && !plan
}

/// Closing brackets, quotes and backticks belong to what they close (`<button>`, "`?`").
fn closes(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '>' | '"' | '\'' | '`' | '”' | '’')
}

/// Drops fillers and politeness from the end: "..., please", "... again, thanks!".
fn strip_tail(s: &str) -> &str {
    let mut t = s.trim_end_matches(|c: char| !c.is_alphanumeric() && !closes(c));
    loop {
        let before = t;
        for f in FILLER
            .iter()
            .chain(["for me", "ok", "okay", "thx", "ty", "x", "xx", "xxx"].iter())
        {
            if let Some(rest) = t.strip_suffix(f) {
                // "x", "xx": a kiss signing off a comment ("as always x", "thanks, xx"), but
                // "post it on X" names a place.
                let kiss = f.starts_with('x');
                let signed_off = rest.trim_end().ends_with([',', '!', '.', '-'])
                    || FILLER.iter().any(|g| rest.trim_end().ends_with(g));
                if kiss && !signed_off {
                    continue;
                }
                if rest.is_empty() || rest.ends_with(|c: char| !c.is_alphanumeric()) {
                    t = rest.trim_end_matches(|c: char| !c.is_alphanumeric() && !closes(c));
                }
            }
        }
        if t == before {
            return t;
        }
    }
}

fn starts_with_words(s: &str, p: &str) -> bool {
    s.starts_with(p)
        && s[p.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '\'')
}

/// The first word of `w`'s synonym list, if it has one.
fn canon(w: &str) -> Option<&'static str> {
    SYNONYMS
        .iter()
        .find(|list| list.contains(&w))
        .map(|list| list[0])
}

/// Each span of `s` between an opening mark of `marks` and its close (“…”, 「…」, ‘…’, or the
/// same mark again), the first opening first: where the quote starts, where it ends after its
/// close, and what it says. An apostrophe inside a word ("it's") opens nothing.
pub(super) fn quotes<'a>(s: &'a str, marks: &[char]) -> Vec<(usize, usize, &'a str)> {
    let mut out = Vec::new();
    let mut from = 0;
    loop {
        let open = s[from..].char_indices().find(|&(i, c)| {
            marks.contains(&c) && (c != '\'' || i == 0 || s[..from + i].ends_with(' '))
        });
        let Some((i, c)) = open else {
            return out;
        };
        let start = from + i;
        let close = match c {
            '“' => '”',
            '「' => '」',
            '『' => '』',
            // Text whose ’ became ' closes a ‘…’ quote with '.
            '‘' => '\'',
            c => c,
        };
        let inner_at = start + c.len_utf8();
        let Some(j) = s[inner_at..].find(close) else {
            return out;
        };
        let end = inner_at + j + close.len_utf8();
        out.push((start, end, &s[inner_at..inner_at + j]));
        from = end;
    }
}

/// Whether a quote says enough (four words or more) to be a whole example, not a phrase.
pub(super) fn at_length(inner: &str) -> bool {
    inner.split_whitespace().count() >= 4
}

/// A sentence without the examples it quotes at length ("'Retry Policy For Failed
/// Webhooks' should be sentence case"): a long quote is an instance, not the topic. Short
/// quotes stay ("never say 'synergy'").
fn drop_examples(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut last = 0;
    for (start, end, inner) in quotes(sentence, &['"', '“', '「', '『']) {
        out.push_str(&sentence[last..start]);
        if !at_length(inner) {
            out.push(' ');
            out.push_str(inner);
            out.push(' ');
        }
        last = end;
    }
    out.push_str(&sentence[last..]);
    out
}

/// Content stems of a sentence: what it is about.
pub(crate) fn content_stems(sentence: &str) -> Vec<String> {
    let sentence = &drop_examples(sentence);
    let generic = text::stem_set(GENERIC);
    let words_generic = text::word_set(GENERIC);
    let stop_cjk = text::word_set(STOP_CJK);
    let mut out: BTreeSet<String> = BTreeSet::new();
    for w in text::words(sentence) {
        if text::is_stop(&w)
            || words_generic.contains(w.as_str())
            || stop_cjk.contains(w.as_str())
            || w.chars().all(|c| c.is_ascii_digit())
            || (w.chars().count() < 2 && !has_cjk(&w))
        {
            continue;
        }
        let st = text::stem(&w);
        if generic.contains(&st) {
            continue;
        }
        out.insert(canon(&w).map_or(st, text::stem));
    }
    out.into_iter().collect()
}

/// The length of the longest opening of `list` that `s` starts with, as whole words.
fn lead_of(s: &str, list: &[&str]) -> Option<usize> {
    list.iter()
        .filter(|p| starts_with_words(s, p))
        .map(|p| p.len())
        .max()
}

/// Reads one sentence. Follow-ups count only when phrased as a correction or an instruction;
/// comments and rejection reasons always speak about what the person wants, so any
/// sentence of them with a topic counts (praise and one-offs excepted).
pub(crate) fn read(sentence: &str, source: Source) -> Option<Reading> {
    if one_off(sentence) {
        return None;
    }
    // Matching works on a lowercase copy with one character per character of the original,
    // so the rule can be cut from what people wrote, in their spelling ("#RideFernwood").
    let orig: Vec<char> = if sentence.is_ascii() {
        sentence.chars().collect()
    } else {
        use unicode_normalization::UnicodeNormalization;
        sentence
            .nfkc()
            .map(|c| if c == '’' { '\'' } else { c })
            .collect()
    };
    let low: String = orig
        .iter()
        .map(|&c| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        })
        .collect();
    let show = |part: &str| -> String {
        let at = part.as_ptr() as usize - low.as_ptr() as usize;
        let from = low[..at].chars().count();
        let n = part.chars().count();
        orig[from..from + n].iter().collect()
    };
    let cjk = has_cjk(&low);
    let question = low.trim_end().ends_with(['?', '？']);
    let mut s: &str = strip_lead(&low);
    let padded = format!(" {s} ");
    // The openings that say it lasts ("next time, run the benches", "going forward, ...") are
    // the very words stripping drops: looked for before it. Fillers that are also lasting
    // words elsewhere ("thanks again, now add ...") are not.
    const LASTING_OPENINGS: &[&str] = &[
        "next time",
        "going forward",
        "from now on",
        "in future",
        "in the future",
        "moving forward",
        "for future reference",
        "as always",
        "as usual",
    ];
    let opened_lasting = LASTING_OPENINGS
        .iter()
        .any(|o| starts_with_words(low.trim_start_matches(|c: char| !c.is_alphanumeric()), o));
    let mut standing = any_phrase(&padded, phrases(&STANDING_PHRASES, STANDING))
        || opened_lasting
        || (cjk && STANDING_CJK.iter().any(|m| low.contains(m)));
    let mut pol = None;
    // The forbidding words that open the sentence ("steer clear of"): not its topic.
    let mut forbid_lead = 0;
    let mut marked = false;
    let mut strong = false;
    // A complaint is turned into an instruction: this replaces its opening.
    let mut opening = "";
    // "Can you use numbered steps?" asks for something, question mark or not.
    let mut asked_politely = false;
    let mut verb_lead = false;
    // "can you", "could you", "would you", "i'd like you to" ask politely for an instruction.
    for polite in [
        "can you please ",
        "could you please ",
        "would you please ",
        "can you ",
        "could you ",
        "would you ",
        "would you mind ",
        "i'd like you to ",
        "i want you to ",
        "i need you to ",
        "we need you to ",
        "i'd prefer you ",
        "please ",
    ] {
        if let Some(rest) = s.strip_prefix(polite) {
            s = strip_lead(rest);
            asked_politely = true;
            break;
        }
    }
    for (lead, instead) in REQUIRE_COMPLAINT.iter().chain(FORBID_COMPLAINT) {
        if let Some(rest) = s.strip_prefix(lead) {
            pol = Some(if REQUIRE_COMPLAINT.iter().any(|(l, _)| l == lead) {
                Pol::Require
            } else {
                Pol::Forbid
            });
            opening = instead;
            s = rest;
            marked = true;
            strong = true;
            // A complaint about something forgotten implies it should always be there.
            standing = true;
            break;
        }
    }
    // "Leave rival pricing out of our posts", "keep prices out of it".
    if pol.is_none()
        && (starts_with_words(s, "leave") || starts_with_words(s, "keep"))
        && (padded.contains(" out of ") || padded.trim_end().ends_with(" out"))
    {
        pol = Some(Pol::Forbid);
        marked = true;
        strong = true;
    }
    if pol.is_none() {
        let lead = |list: &[&str]| lead_of(s, list);
        let (f, r) = (lead(FORBID_LEAD), lead(REQUIRE_LEAD));
        // "Should be faster based on what?", "must it be today?": a modal opening a question
        // asks; it does not require.
        let r = r.filter(|_| {
            !(question
                && ["should", "must", "need to", "have to"]
                    .iter()
                    .any(|l| starts_with_words(s, l)))
        });
        // "Cut down on" is the verb, not "cut": the longest opening decides.
        let less = lead(FORBID_VERB).filter(|&v| v > f.unwrap_or(0) && v > r.unwrap_or(0));
        let (f, r) = if less.is_some() { (None, None) } else { (f, r) };
        match (f, r) {
            (Some(a), Some(b)) if a >= b => {
                pol = Some(Pol::Forbid);
                forbid_lead = a;
            }
            (Some(a), None) => {
                pol = Some(Pol::Forbid);
                forbid_lead = a;
            }
            (_, Some(b)) => {
                // "Always avoid jargon", "you should go easy on the emoji": what follows the
                // opening decides.
                let rest = s[b..].trim_start();
                let then = lead_of(rest, FORBID_LEAD).or_else(|| lead_of(rest, FORBID_VERB));
                match then {
                    Some(n) => {
                        pol = Some(Pol::Forbid);
                        forbid_lead = s.len() - rest.len() + n;
                    }
                    None => pol = Some(Pol::Require),
                }
            }
            (None, None) => {}
        }
        verb_lead = lead(REQUIRE_VERB).is_some() || less.is_some();
        // What makes a plain instruction a rule: something it replaces, or every case.
        let instead_or_every = [" instead of ", " rather than ", " every ", " each "]
            .iter()
            .any(|m| padded.contains(m));
        if let Some(n) = less {
            // A plain instruction for less of it: a rule only if said to last, as below.
            pol = Some(Pol::Forbid);
            forbid_lead = n;
            marked = instead_or_every;
        } else if pol.is_none() && verb_lead {
            // A plain instruction: a rule only if said to last, or "instead of" something.
            pol = Some(Pol::Require);
            marked = instead_or_every;
        } else if pol.is_some() {
            marked = true;
            // A bare "no" opening a comment may be a complaint ("No order number.").
            strong = !(source != Source::FollowUp && f.is_some() && starts_with_words(s, "no"));
        } else if cjk {
            // "别忘了带话题" (don't forget it), "话题又忘了" (forgot it again): the "别" asks for it.
            let rest = FORGET_CJK
                .iter()
                .fold(low.to_string(), |r, m| r.replace(m, " "));
            if FORBID_CJK.iter().any(|m| rest.contains(m)) {
                pol = Some(Pol::Forbid);
                marked = true;
                strong = true;
            } else if rest != low || REQUIRE_CJK.iter().any(|m| low.contains(m)) {
                pol = Some(Pol::Require);
                marked = true;
                strong = true;
            }
        } else if !question
            && [
                " instead of ",
                " rather than ",
                " should be ",
                " must be ",
                " needs to be ",
                " has to be ",
            ]
            .iter()
            .filter_map(|m| padded.find(m))
            .any(|at| {
                // One named piece of code set right at one place ("`build_features` should be
                // `train_model` here") is a fix to this change, not a rule; "`println!` should be
                // `tracing::info!`" is. (Its opening backtick went with the lead.)
                let subject = padded[..at].trim().trim_start_matches('`');
                // Said of one place: "… here", "… in this file". Looked at only for sentences
                // of this shape.
                let said_here = [" here", " there", " in this file", " on this line"]
                    .iter()
                    .any(|w| padded.trim_end_matches([' ', '.', '!']).ends_with(w));
                !(said_here
                    && subject.len() > 1
                    && subject.ends_with('`')
                    && subject.matches('`').count() == 1
                    && !subject.contains(char::is_whitespace))
            })
        {
            pol = Some(Pol::Require);
            marked = true;
        } else if padded.contains(" too ") && source != Source::FollowUp {
            // "Too formal", "way too long": less of it.
            pol = Some(Pol::Forbid);
            marked = true;
        }
    }
    // "Never leave out X", "don't send it without X": forbidding an omission asks for X.
    if pol == Some(Pol::Forbid) {
        const OMIT: &[&str] = &[
            "leave out",
            "leave off",
            "forget",
            "skip",
            "omit",
            "miss",
            "drop",
            "lose",
        ];
        // Sending something without X: the X is wanted ("don't send a reply without the
        // order number"); adding something without asking is still forbidden.
        // Handing work over or calling it done: "don't claim it's faster without numbers",
        // "never say it's done without running the tests".
        const SEND: &[&str] = &[
            "send", "reply", "answer", "ship", "post", "submit", "publish", "hand", "close",
            "merge", "respond", "go out", "push", "claim", "say", "tell", "call", "return", "give",
            "deliver", "report", "release", "deploy", "finish", "mark", "commit",
        ];
        let after = lead_of(s, FORBID_LEAD).map_or(s, |n| s[n..].trim_start());
        let after = after.strip_prefix("ever ").unwrap_or(after);
        let omits = OMIT.iter().any(|o| starts_with_words(after, o));
        let sends_without = SEND.iter().any(|v| starts_with_words(after, v))
            && after.split_whitespace().take(6).any(|w| w == "without");
        // "Don't promise a swap before we have the IMEI", "never merge until CI passes": what
        // must come first is what is asked for.
        // Only after a forbidding word and a verb ("don't promise", "never merge"), never after
        // "no", "less" or a complaint, and only before a clause ("we have", "CI passes",
        // "checking"): "no blank line before the sign-off" and "don't deploy before Friday"
        // are about where and when.
        let by_word = ["don't", "dont", "do not", "never"]
            .iter()
            .any(|l| starts_with_words(s, l));
        let clause = |w: &str| {
            const SUBJECT: &[&str] = &[
                "we", "we've", "we're", "you", "you've", "they", "they've", "i", "i've", "it",
                "it's", "someone", "somebody", "everyone", "ci", "tests", "qa", "legal",
            ];
            SUBJECT.contains(&w) || (w.chars().count() > 5 && w.ends_with("ing"))
        };
        let words: Vec<&str> = after.split_whitespace().take(8).collect();
        let waits = by_word
            && opening.is_empty()
            && words.iter().enumerate().skip(1).any(|(i, w)| {
                ["before", "until", "till"].contains(w)
                    && words.get(i + 1).is_some_and(|n| clause(n))
            });
        if omits || sends_without || waits {
            pol = Some(Pol::Require);
        }
    }
    // "Raw <button> again", "println! again?", "Title Case again": a thing named, no verb,
    // and "again" is a complaint about that thing. An instruction to redo something ("run
    // the tests again") opens with its verb.
    if pol.is_none() && !verb_lead && !asked_politely && !starts_with_a_verb(s) {
        // Emoji and marks after it are not words ("raw <button> again 🙃").
        let mut words: Vec<&str> = s.split_whitespace().collect();
        while words
            .last()
            .is_some_and(|w| !w.chars().any(char::is_alphanumeric))
        {
            words.pop();
        }
        let again = words
            .last()
            .is_some_and(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == "again");
        // A thing named, not a sentence: no pronoun, article or auxiliary ("is it failing
        // again?", "tests are green again", "ping the customer again").
        let named = words[..words.len().saturating_sub(1)].iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            !NOT_A_VERB.contains(&w)
        });
        if again && named && (2..=5).contains(&words.len()) {
            pol = Some(Pol::Forbid);
            marked = true;
            standing = true;
            opening = "no ";
        }
    }
    // A later clause that forbids ("we have no control over the carrier, so no dates",
    // "looks fine — never use emoji though"): the sentence forbids, as it would alone.
    // A bare "no" is that only after "so" or ";": "nice post, but no booking link" complains
    // that it is missing. Never in a question.
    if pol.is_none() && !question {
        let clause_forbids = [", so ", "; ", " — ", " - ", ": ", ", but "]
            .iter()
            .filter_map(|m| padded.find(m).map(|at| (*m, &padded[at + m.len()..])))
            .any(|(m, rest)| {
                let bare_no = m == ", so " || m == "; ";
                ["never", "don't", "do not", "dont"]
                    .iter()
                    .chain(bare_no.then_some(&"no"))
                    .any(|l| starts_with_words(rest.trim_start(), l))
            });
        if clause_forbids {
            pol = Some(Pol::Forbid);
            marked = true;
        }
    }
    // A comment saying what someone "doesn't" do or "never" does forbids it.
    if pol.is_none()
        && source != Source::FollowUp
        && [
            " doesn't ",
            " don't ",
            " never ",
            " won't ",
            " can't ",
            " does not ",
            " do not ",
        ]
        .iter()
        .any(|m| padded.contains(m))
    {
        pol = Some(Pol::Forbid);
        marked = true;
    }
    let bare_imperative = |s: &str| {
        let first = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or("");
        let n = s.split_whitespace().count();
        !first.is_empty()
            && first
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
            && !NOT_A_VERB.contains(&first)
            && !first.ends_with("ing")
            && !first.ends_with("ly")
            && (3..=30).contains(&n)
    };
    if question && !marked && !asked_politely {
        return None;
    }
    // A new piece of work ("now add pagination") is not a correction, unless said to last.
    let task_lead = NEW_TASK.iter().any(|p| starts_with_words(s, p));
    let new_task = task_lead && !standing;
    if new_task && !marked {
        return None;
    }
    // How the team works, said as a fact, lasts too; but it never keeps a new piece of work
    // ("now add pagination to our list endpoint"). Read only when nothing else said so.
    let standing = standing || (!task_lead && states_convention(&low, question));
    let pol = match pol {
        Some(p) => p,
        None => match source {
            Source::FollowUp if !cjk && bare_imperative(s) => Pol::Require,
            Source::FollowUp => return None,
            // A comment with no polarity word still says what the person wants.
            Source::Comment | Source::Rejection => Pol::Require,
        },
    };
    // The opening quote went with the lead: put back, so its close does not open a new quote
    // that swallows what follows ('"Sincerely" is too formal; no "Kind regards"').
    let mut stems = content_stems(&balance_quotes(&s[forbid_lead..]));
    let mut pol = pol;
    // Naming both voices, about the voice: the one wanted is the one not ruled out
    // ("passive, not active"), whatever the sentence opened with.
    let (active, passive) = (text::stem("active"), text::stem("passive"));
    let both = stems.contains(&active) && stems.contains(&passive);
    let about_voice = both
        && matches!(
            super::corrections::topic(pol, &stems),
            Some((_, super::text::Feature::Passive))
        );
    if about_voice && super::corrections::wants_passive(s) == Some(true) {
        stems.retain(|x| *x != active);
        pol = Pol::Require;
    }
    if stems.is_empty() || stems.len() > 12 {
        return None;
    }
    // "Better.", "Ta.": a word or two with no polarity asks for nothing lasting.
    if !marked && s.split_whitespace().count() < 3 {
        return None;
    }
    // "Great job", "love it", "LGTM": praise, not a rule.
    let praise = text::stem_set(PRAISE);
    if !marked && stems.iter().all(|t| praise.contains(t)) {
        return None;
    }
    let body = tidy(strip_tail(s));
    if body.is_empty() {
        return None;
    }
    let rule = balance_quotes(&format!("{opening}{}", show(body)));
    if rule.split_whitespace().count() > 30 || rule.chars().count() > 200 {
        return None;
    }
    Some(Reading {
        pol,
        rule,
        stems,
        standing,
        marked,
        strong,
        directive: marked || verb_lead,
    })
}

/// Quotes the cutting left open: an opening quote lost with the sentence's lead
/// (`indulge" sounds like a diet ad`) goes back before its word, and a closing one lost with
/// the end (`不要写“您`) goes back at the end, so a rule never misquotes.
fn balance_quotes(rule: &str) -> String {
    let mut s = rule.to_string();
    // A mark that opens and closes alike: one right after a word closes it, so the opening
    // was lost before that word (`build_features` should be…); otherwise the end was cut.
    for mark in ['`', '"'] {
        if s.matches(mark).count() % 2 == 1 {
            let first = s.find(mark).expect("an odd count is at least one");
            if s[..first].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                let start = word_start(&s[..first]);
                s.insert(start, mark);
            } else {
                s.push(mark);
            }
        }
    }
    let (open, close) = (s.matches('“').count(), s.matches('”').count());
    if open > close {
        s.push('”');
    } else if close > open {
        let first = s.find('”').expect("more closing than opening");
        let start = word_start(&s[..first]);
        s.insert(start, '“');
    }
    s
}

/// Where the last word of `s` starts: after its last whitespace, however wide that is
/// (U+2028 and U+1680 are several bytes).
fn word_start(s: &str) -> usize {
    s.char_indices()
        .rfind(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// An instruction as people would write it down: no trailing punctuation or "again".
fn tidy(s: &str) -> &str {
    let s = s
        .trim()
        .trim_end_matches(['.', '!', '?', ',', ';', ':', '。', '！', '？', '，'])
        .trim();
    s.strip_suffix(" again")
        .unwrap_or(s)
        .trim_end_matches([',', ' '])
}

/// The polarity a sentence opens with, if it opens with an instruction word at all
/// ("use them" asks, "avoid it" forbids), whatever else it says.
pub(crate) fn polarity_word(sentence: &str) -> Option<Pol> {
    let low = lower(sentence);
    let s = strip_lead(&low);
    let lead = |list: &[&str]| list.iter().any(|p| starts_with_words(s, p));
    if lead(FORBID_LEAD) {
        Some(Pol::Forbid)
    } else if lead(REQUIRE_LEAD) || lead(REQUIRE_VERB) {
        Some(Pol::Require)
    } else {
        None
    }
}

/// The statements in a text someone typed or wrote as a comment.
pub(crate) fn find(session: u32, message: &str, source: Source) -> Vec<Statement> {
    let low = lower(message);
    let approves = source == Source::FollowUp
        && APPROVAL
            .iter()
            .any(|a| starts_with_words(low.trim_start_matches(|c: char| !c.is_alphanumeric()), a));
    text::sentences(message)
        .into_iter()
        .filter_map(|s| {
            let r = read(s, source)?;
            // "Looks good, open the PR": after approval, a plain instruction is the next step.
            if approves && !r.marked && !r.standing {
                return None;
            }
            Some(Statement {
                session,
                pol: r.pol,
                text: text::clip(s, 0, 160),
                rule: r.rule,
                stems: r.stems,
                standing: r.standing,
                marked: r.marked,
                directive: r.directive,
                strong: r.strong,
                source,
            })
        })
        .collect()
}

/// Whether a follow-up message corrects the agent (for grading): a statement phrased as a
/// rule or a complaint, not just the next instruction.
pub(crate) fn corrections_in(message: &str) -> usize {
    text::sentences(message)
        .into_iter()
        .filter(|s| read(s, Source::FollowUp).is_some_and(|r| r.marked || r.standing))
        .count()
}

mod group;
mod words;

pub(crate) use group::{clearest, group, Groups};
use words::*;

#[cfg(test)]
mod tests;
