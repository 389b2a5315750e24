//! A small YAML tree that remembers where each node starts, so rubric errors can say
//! "line 4, column 13". Built on saphyr-parser's event stream; anchors and aliases are refused
//! because a rubric never needs them and they make positions ambiguous.

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};

/// 1-based line and column in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl From<Marker> for Pos {
    fn from(m: Marker) -> Self {
        Pos {
            line: m.line(),
            column: m.col() + 1,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Node {
    Scalar {
        value: String,
        quoted: bool,
        pos: Pos,
    },
    Seq {
        items: Vec<Node>,
        pos: Pos,
    },
    Map {
        entries: Vec<(Node, Node)>,
        pos: Pos,
    },
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Scalar { pos, .. } | Node::Seq { pos, .. } | Node::Map { pos, .. } => *pos,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Node::Scalar { .. } => "a single value",
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a set of fields",
        }
    }

    /// A plain `~`/`null`/empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, quoted: false, .. } if value.is_empty() || value == "~" || value == "null")
    }
}

#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parse one YAML document into a positioned tree. An empty document is `None`.
pub fn parse(src: &str) -> Result<Option<Node>, SyntaxError> {
    enum Frame {
        Seq(Vec<Node>, Pos),
        Map(Vec<(Node, Node)>, Option<Node>, Pos),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;

    // Attach a finished node to its parent, or make it the root.
    fn push(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
        match stack.last_mut() {
            Some(Frame::Seq(items, _)) => items.push(node),
            Some(Frame::Map(entries, key, _)) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => *root = Some(node),
        }
    }

    for event in Parser::new_from_str(src) {
        let (event, span) = event.map_err(|e| SyntaxError {
            pos: (*e.marker()).into(),
            message: e.info().to_string(),
        })?;
        let pos: Pos = span.start.into();
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError {
                        pos,
                        message: "the file holds more than one YAML document (a second `---`)"
                            .into(),
                    });
                }
            }
            Event::Alias(_) => {
                return Err(SyntaxError {
                    pos,
                    message: "aliases (`*name`) are not supported in a rubric".into(),
                })
            }
            Event::Scalar(value, style, anchor, _) => {
                if anchor != 0 {
                    return Err(SyntaxError {
                        pos,
                        message: "anchors (`&name`) are not supported in a rubric".into(),
                    });
                }
                let quoted = !matches!(style, ScalarStyle::Plain);
                let node = Node::Scalar {
                    value: value.into_owned(),
                    quoted,
                    pos,
                };
                push(&mut stack, &mut root, node);
            }
            Event::SequenceStart(_, _) => stack.push(Frame::Seq(Vec::new(), pos)),
            Event::MappingStart(_, _) => stack.push(Frame::Map(Vec::new(), None, pos)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match stack.pop() {
                    Some(Frame::Seq(items, pos)) => Node::Seq { items, pos },
                    Some(Frame::Map(entries, _, pos)) => Node::Map { entries, pos },
                    None => unreachable!("the parser balances start and end events"),
                };
                push(&mut stack, &mut root, node);
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    Ok(root)
}

/// Write a string as a YAML scalar: plain where that reads back as the same string,
/// double-quoted otherwise.
pub fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return false;
    }
    let first = s.chars().next().unwrap();
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if s.chars().any(|c| c.is_control()) {
        return false;
    }
    // Would read back as another type (bool, null, number).
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
    ) {
        return false;
    }
    if s.parse::<f64>().is_ok() || lower.starts_with("0x") || lower.starts_with("0o") {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let node = parse("a:\n  b: [1, 2]\n").unwrap().unwrap();
        let Node::Map { entries, .. } = node else {
            panic!()
        };
        let Node::Map { entries, .. } = &entries[0].1 else {
            panic!()
        };
        assert_eq!(entries[0].0.pos(), Pos { line: 2, column: 3 });
        assert_eq!(entries[0].1.pos(), Pos { line: 2, column: 6 });
    }

    #[test]
    fn syntax_error_has_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
    }

    #[test]
    fn scalars_that_would_change_type_are_quoted() {
        assert_eq!(scalar("plain words here"), "plain words here");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("- list"), "\"- list\"");
        assert_eq!(scalar("say \"hi\""), "say \"hi\"");
    }
}
