//! Reading a file line by line without trusting it: a line longer than the limit is skipped
//! to its end without ever being held whole, a line that is not UTF-8 is reported with its
//! number and the next line still reads, and a byte-order mark at the start is dropped.

use std::io::{self, BufRead};

/// The longest line (one session, one memory entry) Reverie reads; longer ones are reported.
pub const MAX_LINE: usize = 32 * 1024 * 1024;

/// One line as read.
#[derive(Debug, PartialEq)]
pub enum Line {
    Text(String),
    /// Not UTF-8: the 1-based column (in characters) of the first bad byte.
    NotUtf8 {
        column: usize,
    },
    /// Longer than [`MAX_LINE`]: its length in bytes.
    TooLong {
        bytes: u64,
    },
}

/// Lines of a reader, numbered from 1, with the bytes consumed so far.
pub struct Lines<R> {
    reader: R,
    limit: usize,
    buf: Vec<u8>,
    pub number: u64,
    pub bytes: u64,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Self::with_limit(reader, MAX_LINE)
    }

    pub fn with_limit(reader: R, limit: usize) -> Self {
        Lines {
            reader,
            limit,
            buf: Vec::new(),
            number: 0,
            bytes: 0,
        }
    }

    /// The next line without its line ending, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.buf.clear();
        let mut len: u64 = 0;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..i], i + 1),
                None => (available, available.len()),
            };
            len += chunk.len() as u64;
            // Past the limit the rest of the line is consumed but not kept.
            if self.buf.len() + chunk.len() <= self.limit {
                self.buf.extend_from_slice(chunk);
            }
            let newline = done > chunk.len();
            self.reader.consume(done);
            self.bytes += done as u64;
            if newline {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        if len > self.limit as u64 {
            self.buf = Vec::new();
            return Ok(Some(Line::TooLong { bytes: len }));
        }
        let mut bytes = self.buf.as_slice();
        if bytes.last() == Some(&b'\r') {
            bytes = &bytes[..bytes.len() - 1];
        }
        if self.number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        Ok(Some(match std::str::from_utf8(bytes) {
            Ok(s) => Line::Text(s.to_string()),
            Err(e) => Line::NotUtf8 {
                column: String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                    .chars()
                    .count()
                    + 1,
            },
        }))
    }
}

/// What to tell a person about a line that could not be read.
pub fn problem(line: &Line) -> Option<String> {
    match line {
        Line::Text(_) => None,
        Line::NotUtf8 { column } => Some(format!(
            "the line is not valid UTF-8 text (a bad byte at column {column}); save the file as UTF-8"
        )),
        Line::TooLong { bytes } => Some(format!(
            "the line is {:.1} MB long, over the {} MB Reverie reads in one line; split the session or trim its largest messages",
            *bytes as f64 / (1024.0 * 1024.0),
            MAX_LINE / (1024 * 1024)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], limit: usize) -> Vec<(u64, Line)> {
        let mut l = Lines::with_limit(input, limit);
        let mut out = Vec::new();
        while let Some(line) = l.next_line().unwrap() {
            out.push((l.number, line));
        }
        out
    }

    #[test]
    fn a_bad_line_never_takes_the_next_one_with_it() {
        let input = b"\xEF\xBB\xBFfirst\nsec\xFFond\nthird\r\n";
        let lines = all(input, 1000);
        assert_eq!(
            lines,
            vec![
                (1, Line::Text("first".into())),
                (2, Line::NotUtf8 { column: 4 }),
                (3, Line::Text("third".into())),
            ]
        );
    }

    #[test]
    fn a_line_past_the_limit_is_skipped_to_its_end() {
        let mut input = vec![b'x'; 5000];
        input.extend_from_slice(b"\nafter\nlast");
        let lines = all(&input, 100);
        assert_eq!(lines[0], (1, Line::TooLong { bytes: 5000 }));
        assert_eq!(lines[1], (2, Line::Text("after".into())));
        assert_eq!(lines[2], (3, Line::Text("last".into())));
        assert!(problem(&lines[0].1).unwrap().contains("MB"));
    }
}
