//! The canonical layout of manifest files, used by `amlplan fmt`.
//!
//! The formatter works line by line on the source text, guided by the parse: `hcl-edit` tells
//! where every string literal, template and heredoc lies, a small lexer finds the comments
//! and the brackets outside them, and each line is re-laid out from that. Only whitespace
//! outside literals changes, so comments survive and the meaning cannot change:
//!
//! - two spaces of indentation per open bracket (`{`, `[`, `(`); a line that starts with a
//!   closing bracket is indented like the line that opened it, and several brackets opened on
//!   one line indent the next line by one level only;
//! - one space around the `=` of attributes and object items, and the `=` of a run of
//!   single-line attributes aligned (a run ends at a blank line, a comment line, a block, a
//!   closing bracket or an attribute whose value spans several lines);
//! - one space between a block's type, its labels and `{`; an empty block is `name {}` and a
//!   single-line block is `name { key = value }`;
//! - at most one blank line in a row, none at the start or end of the file, none right after
//!   an opening bracket or right before a closing one;
//! - comment lines re-indented like code; the continuation lines of a `/* */` comment moved by
//!   as much as its first line; one space before a trailing comment;
//! - no trailing whitespace and exactly one newline at the end of the file;
//! - heredoc bodies and multi-line strings are copied byte for byte.
//!
//! [`format_source`] checks its own result: the output must parse to the same structure and
//! carry the same comments, otherwise the input is returned unchanged.

use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::parser::{Error, parse_body};
use hcl_edit::structure::{BlockLabel, Body};
use hcl_edit::visit::{self, Visit};

/// One level of indentation.
const INDENT: &str = "  ";

/// Formats one manifest file. A syntax error is returned as is; any valid input comes back
/// formatted (or unchanged should the formatter ever fail its own equivalence check).
pub fn format_source(text: &str) -> Result<String, Error> {
    // A number literal beyond `f64` (`1e500`) is formatted as zeros of its length, then put
    // back as written: the loader's reading of such files (see `crate::load::parse_zeroed`).
    let zeroed = crate::load::parse_zeroed(text)?;
    let formatted = layout(&zeroed.text, &zeroed.body);
    if formatted == zeroed.text || preserves(&zeroed.text, zeroed.body, &formatted) {
        Ok(
            restore_literals(text, &zeroed.text, &zeroed.literals, &formatted)
                .unwrap_or_else(|| text.to_string()),
        )
    } else {
        Ok(text.to_string())
    }
}

/// `formatted` (the layout of `zeroed`) with the `literals` of `original` put back. Layout
/// changes only whitespace, so the non-whitespace characters of `zeroed` and `formatted`
/// correspond one to one; `None` should they not.
fn restore_literals(
    original: &str,
    zeroed: &str,
    literals: &[Range<usize>],
    formatted: &str,
) -> Option<String> {
    if literals.is_empty() {
        return Some(formatted.to_string());
    }
    let mut out = formatted.to_string();
    let mut from = zeroed.char_indices().filter(|(_, c)| !c.is_whitespace());
    let mut to = formatted.char_indices().filter(|(_, c)| !c.is_whitespace());
    for literal in literals {
        let at = loop {
            let (i, c) = from.next()?;
            let (j, d) = to.next()?;
            if c != d || i > literal.start {
                return None;
            }
            if i == literal.start {
                break j;
            }
        };
        let place = at..at + literal.len();
        if formatted.get(place.clone())? != &zeroed[literal.clone()] {
            return None;
        }
        // The same length: the places of the later literals do not move.
        out.replace_range(place, &original[literal.clone()]);
    }
    Some(out)
}

/// The formatted text, without the equivalence check.
fn layout(text: &str, body: &Body) -> String {
    let lexed = Lexed::new(text, literal_spans(body));
    Layout::new(text, &lexed).run()
}

/// Whether `formatted` parses to the same structure as `text` (whose parse is `body`) and
/// carries the same comments (up to whitespace).
fn preserves(text: &str, body: Body, formatted: &str) -> bool {
    let Ok(new_body) = parse_body(formatted) else {
        return false;
    };
    comments(text, &body) == comments(formatted, &new_body)
        && hcl::Body::from(body) == hcl::Body::from(new_body)
}

/// The comments of a file, with whitespace removed.
fn comments(text: &str, body: &Body) -> Vec<String> {
    Lexed::new(text, literal_spans(body))
        .comments
        .iter()
        .map(|r| {
            text[r.clone()]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Lexing

/// The byte spans of every quoted string, string template and heredoc of a body (including
/// quoted block labels and object keys). Nested spans are included; [`Lexed::new`] skips them.
fn literal_spans(body: &Body) -> Vec<Range<usize>> {
    struct Collect(Vec<Range<usize>>);

    impl Visit for Collect {
        fn visit_expr(&mut self, expr: &Expression) {
            match expr {
                Expression::String(_)
                | Expression::StringTemplate(_)
                | Expression::HeredocTemplate(_) => self.0.extend(expr.span()),
                _ => visit::visit_expr(self, expr),
            }
        }

        fn visit_block_label(&mut self, label: &BlockLabel) {
            if let BlockLabel::String(_) = label {
                self.0.extend(label.span());
            }
        }
    }

    let mut collect = Collect(Vec::new());
    collect.visit_body(body);
    collect.0
}

/// What the formatter needs to know about a file beyond its text.
#[derive(Debug, Default)]
struct Lexed {
    /// Quoted strings, templates and heredocs: disjoint and sorted.
    literals: Vec<Range<usize>>,
    /// Line and block comments: disjoint and sorted.
    comments: Vec<Range<usize>>,
    /// Brackets outside literals and comments, with their byte offset.
    brackets: Vec<(usize, u8)>,
}

impl Lexed {
    /// Lexes `text`, taking the literal spans from the parser. Should a quoted string or a
    /// heredoc be met that the parser did not report, it is lexed here.
    fn new(text: &str, mut spans: Vec<Range<usize>>) -> Lexed {
        spans.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut known = spans.into_iter().peekable();
        let bytes = text.as_bytes();
        let mut lexed = Lexed::default();
        let mut i = 0;
        while i < bytes.len() {
            while known.next_if(|r| r.start < i).is_some() {}
            if let Some(r) = known.next_if(|r| r.start == i) {
                let end = r.end.clamp(i + 1, bytes.len());
                lexed.literals.push(i..end);
                i = end;
                continue;
            }
            let next = bytes.get(i + 1).copied();
            match bytes[i] {
                b'#' => i = lexed.comment(i, line_end(bytes, i)),
                b'/' if next == Some(b'/') => i = lexed.comment(i, line_end(bytes, i)),
                b'/' if next == Some(b'*') => {
                    let end = text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |e| i + 2 + e + 2);
                    i = lexed.comment(i, end);
                }
                c @ (b'{' | b'[' | b'(' | b'}' | b']' | b')') => {
                    lexed.brackets.push((i, c));
                    i += 1;
                }
                b'"' => {
                    let end = quoted_end(bytes, i);
                    lexed.literals.push(i..end);
                    i = end;
                }
                b'<' if next == Some(b'<') => match heredoc_end(text, i) {
                    Some(end) => {
                        lexed.literals.push(i..end);
                        i = end;
                    }
                    None => i += 2,
                },
                _ => i += 1,
            }
        }
        lexed
    }

    fn comment(&mut self, start: usize, end: usize) -> usize {
        self.comments.push(start..end);
        end
    }
}

/// The offset of the newline ending the line `i` is on (or the end of the text).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

/// The end of the quoted string starting at `i` (a fallback for spans the parser missed).
fn quoted_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            b'\n' => return j,
            c @ (b'$' | b'%') => {
                if bytes.get(j + 1) == Some(&c) && bytes.get(j + 2) == Some(&b'{') {
                    j += 3;
                } else if bytes.get(j + 1) == Some(&b'{') {
                    j = template_end(bytes, j + 2);
                } else {
                    j += 1;
                }
            }
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The end of a `${ ... }` or `%{ ... }` sequence whose body starts at `j`.
fn template_end(bytes: &[u8], mut j: usize) -> usize {
    let mut depth = 1;
    while j < bytes.len() {
        match bytes[j] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            b'"' => {
                j = quoted_end(bytes, j);
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

/// The end of the heredoc starting at `i` (`<<` or `<<-`, an identifier, a newline, the body
/// and a line holding the identifier), just after the closing identifier.
fn heredoc_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let delim = &rest[..ident_len(rest)?];
    let after = &rest[delim.len()..];
    let after = after.strip_prefix('\r').unwrap_or(after);
    let after = after.strip_prefix('\n')?;
    let mut pos = text.len() - after.len();
    for line in text[pos..].split('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if let Some(tail) = trimmed.strip_prefix(delim)
            && !tail.starts_with(is_ident_char)
        {
            return Some(pos + (line.len() - trimmed.len()) + delim.len());
        }
        pos += line.len() + 1;
    }
    None
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The length of the identifier `s` starts with, if any.
fn ident_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_ident_start(c) => {}
        _ => return None,
    }
    Some(
        chars
            .find(|&(_, c)| !is_ident_char(c))
            .map_or(s.len(), |(i, _)| i),
    )
}

/// Whether `pos` lies strictly inside one of the sorted, disjoint `ranges`.
fn strictly_inside(ranges: &[Range<usize>], pos: usize) -> Option<&Range<usize>> {
    let i = ranges.partition_point(|r| r.start < pos);
    i.checked_sub(1).map(|i| &ranges[i]).filter(|r| pos < r.end)
}

/// The range of the sorted, disjoint `ranges` that holds the byte at `pos`.
fn containing(ranges: &[Range<usize>], pos: usize) -> Option<&Range<usize>> {
    let i = ranges.partition_point(|r| r.start <= pos);
    i.checked_sub(1).map(|i| &ranges[i]).filter(|r| pos < r.end)
}

/// The range of `ranges` starting at `pos`.
fn starting_at(ranges: &[Range<usize>], pos: usize) -> Option<&Range<usize>> {
    ranges
        .binary_search_by_key(&pos, |r| r.start)
        .ok()
        .map(|i| &ranges[i])
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

fn is_open(c: u8) -> bool {
    matches!(c, b'{' | b'[' | b'(')
}

// ---------------------------------------------------------------------------------------------
// Layout

/// An open bracket.
#[derive(Debug)]
struct Frame {
    /// The indentation level of the line that opened it.
    indent: usize,
    /// Whether it is the `{` of a block (whose body holds attributes and blocks).
    block: bool,
    /// Whether it is the `{` of an object (whose lines may be `key = value` items).
    object: bool,
    /// The source line that opened it.
    line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Blank,
    /// Copied as is, without indentation: heredoc bodies, multi-line strings and the
    /// continuation lines of block comments (already shifted).
    Raw,
    /// A line holding only comments.
    Comment,
    /// `key = rest`; `single` when the value ends on this line.
    Attr {
        key: String,
        rest: String,
        single: bool,
    },
    /// A block header ending with `{` and no comment.
    BlockOpen,
    Other,
}

#[derive(Debug)]
struct OutLine {
    indent: usize,
    kind: Kind,
    /// The text after the indentation (for `Attr`, filled in when aligning).
    text: String,
    /// The line leaves a bracket open.
    opens: bool,
    /// The line starts with a closing bracket.
    closes_first: bool,
}

struct Layout<'a> {
    text: &'a str,
    lexed: &'a Lexed,
    /// The byte offset each source line starts at.
    line_starts: Vec<usize>,
    /// Per source line: the width of its original indentation and of its new one.
    leads: Vec<(usize, usize)>,
    stack: Vec<Frame>,
    out: Vec<OutLine>,
}

impl<'a> Layout<'a> {
    fn new(text: &'a str, lexed: &'a Lexed) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Layout {
            text,
            lexed,
            line_starts,
            leads: Vec::new(),
            stack: Vec::new(),
            out: Vec::new(),
        }
    }

    fn run(mut self) -> String {
        for line in 0..self.line_starts.len() {
            let start = self.line_starts[line];
            let end = self
                .line_starts
                .get(line + 1)
                .map_or(self.text.len(), |s| s - 1);
            self.line(line, start, end);
        }
        let lines = align(collapse(self.out));
        let mut text = String::new();
        for l in &lines {
            if !matches!(l.kind, Kind::Blank | Kind::Raw) {
                for _ in 0..l.indent {
                    text.push_str(INDENT);
                }
            }
            text.push_str(&l.text);
            text.push('\n');
        }
        text
    }

    /// The brackets on the line `start..end`.
    fn brackets(&self, start: usize, end: usize) -> &'a [(usize, u8)] {
        let b = &self.lexed.brackets;
        &b[b.partition_point(|&(p, _)| p < start)..b.partition_point(|&(p, _)| p < end)]
    }

    /// The indentation of a line that does not start with a closing bracket.
    fn inner_indent(&self) -> usize {
        self.stack.last().map_or(0, |f| f.indent + 1)
    }

    /// Opens and closes the brackets of a line.
    fn apply(
        &mut self,
        line: usize,
        brackets: &[(usize, u8)],
        indent: usize,
        block_brace: Option<usize>,
    ) {
        for &(pos, c) in brackets {
            if is_open(c) {
                let block = block_brace == Some(pos);
                self.stack.push(Frame {
                    indent,
                    block,
                    object: c == b'{' && !block,
                    line,
                });
            } else {
                self.stack.pop();
            }
        }
    }

    fn push(&mut self, indent: usize, kind: Kind, text: String) {
        self.out.push(OutLine {
            indent,
            kind,
            text,
            opens: false,
            closes_first: false,
        });
    }

    fn line(&mut self, line: usize, start: usize, end: usize) {
        let text = self.text;
        let lexed = self.lexed;
        let raw = &text[start..end];
        let brackets = self.brackets(start, end);

        // Heredoc bodies and the rest of multi-line strings: untouched.
        if strictly_inside(&lexed.literals, start).is_some() {
            self.leads.push((0, 0));
            self.push(0, Kind::Raw, raw.to_string());
            let indent = self.inner_indent();
            self.apply(line, brackets, indent, None);
            return;
        }
        // The continuation of a block comment: moved by as much as its first line.
        if let Some(comment) = strictly_inside(&lexed.comments, start) {
            let first = self.line_starts.partition_point(|&s| s <= comment.start) - 1;
            let (old, new) = self.leads[first];
            self.leads.push((0, 0));
            let shifted = shift(raw, new as isize - old as isize);
            let ends_in_literal = strictly_inside(&lexed.literals, end).is_some();
            let shifted = if ends_in_literal {
                shifted.as_str()
            } else {
                shifted.trim_end_matches([' ', '\t', '\r'])
            };
            self.push(0, Kind::Raw, shifted.to_string());
            let indent = self.inner_indent();
            self.apply(line, brackets, indent, None);
            return;
        }

        let bytes = text.as_bytes();
        let ends_in_literal = strictly_inside(&lexed.literals, end).is_some();
        let ends_in_comment = strictly_inside(&lexed.comments, end).is_some();
        let cs = start + raw.bytes().take_while(|&b| is_space(b)).count();
        let ce = if ends_in_literal {
            end
        } else {
            (end - raw.bytes().rev().take_while(|&b| is_space(b)).count()).max(cs)
        };
        if cs == ce {
            self.leads.push((cs - start, 0));
            self.push(0, Kind::Blank, String::new());
            return;
        }

        let closes_first = brackets
            .first()
            .is_some_and(|&(p, c)| p == cs && !is_open(c));
        let indent = if closes_first {
            self.stack.last().map_or(0, |f| f.indent)
        } else {
            self.inner_indent()
        };
        self.leads.push((cs - start, indent * INDENT.len()));

        // Where the code ends and the trailing comments start.
        let code_end = if ends_in_literal {
            ce
        } else {
            let mut p = ce;
            loop {
                while p > cs && is_space(bytes[p - 1]) {
                    p -= 1;
                }
                if p == cs {
                    break;
                }
                match containing(&lexed.comments, p - 1) {
                    Some(c) if c.start >= cs => p = c.start,
                    _ => break,
                }
            }
            p
        };
        let comment_start = code_end
            + text[code_end..ce]
                .bytes()
                .take_while(|&b| is_space(b))
                .count();
        let suffix = if comment_start < ce {
            format!(" {}", &text[comment_start..ce])
        } else {
            String::new()
        };

        let top = self.stack.last();
        let body_ctx = top.is_none_or(|f| f.block);
        let object_ctx = top.is_some_and(|f| f.object);
        let mut block_brace = None;
        let (kind, line_text) = if code_end == cs {
            (Kind::Comment, text[cs..ce].to_string())
        } else if let Some((key, rest_start)) = (body_ctx || object_ctx)
            .then(|| attribute(text, lexed, cs, code_end, object_ctx))
            .flatten()
        {
            let mut depth = 0i32;
            let balanced = brackets.iter().all(|&(_, c)| {
                depth += if is_open(c) { 1 } else { -1 };
                depth >= 0
            }) && depth == 0;
            let kind = Kind::Attr {
                key: text[cs..key].to_string(),
                rest: format!("{}{suffix}", &text[rest_start..code_end]),
                single: balanced && !ends_in_literal && !ends_in_comment,
            };
            (kind, String::new())
        } else if let Some((header, brace, open)) = body_ctx
            .then(|| block_header(text, lexed, brackets, cs, code_end))
            .flatten()
        {
            block_brace = Some(brace);
            let kind = if open && suffix.is_empty() {
                Kind::BlockOpen
            } else {
                Kind::Other
            };
            (kind, format!("{header}{suffix}"))
        } else {
            (Kind::Other, format!("{}{suffix}", &text[cs..code_end]))
        };

        let depth = self.stack.len();
        self.apply(line, brackets, indent, block_brace);
        let opens = self.stack.len() >= depth && self.stack.last().is_some_and(|f| f.line == line);
        self.out.push(OutLine {
            indent,
            kind,
            text: line_text,
            opens,
            closes_first,
        });
    }
}

/// `key = value` at `cs`: the end of the key and the start of the value. Object items may
/// have a quoted key.
fn attribute(
    text: &str,
    lexed: &Lexed,
    cs: usize,
    code_end: usize,
    quoted: bool,
) -> Option<(usize, usize)> {
    let key_end = match ident_len(&text[cs..code_end]) {
        Some(n) => cs + n,
        None if quoted => {
            starting_at(&lexed.literals, cs)
                .filter(|r| r.end <= code_end)?
                .end
        }
        None => return None,
    };
    let bytes = text.as_bytes();
    let eq = key_end
        + text[key_end..code_end]
            .bytes()
            .take_while(|&b| is_space(b))
            .count();
    if bytes.get(eq) != Some(&b'=')
        || eq >= code_end
        || matches!(bytes.get(eq + 1), Some(b'=' | b'>'))
    {
        return None;
    }
    let rest = eq
        + 1
        + text[eq + 1..code_end]
            .bytes()
            .take_while(|&b| is_space(b))
            .count();
    Some((key_end, rest))
}

/// A block header at `cs`: its normalised text, the offset of its `{` and whether the block
/// stays open at the end of the line.
fn block_header(
    text: &str,
    lexed: &Lexed,
    brackets: &[(usize, u8)],
    cs: usize,
    code_end: usize,
) -> Option<(String, usize, bool)> {
    let bytes = text.as_bytes();
    let skip = |j: usize| {
        j + text[j..code_end]
            .bytes()
            .take_while(|&b| is_space(b))
            .count()
    };
    let mut j = cs + ident_len(&text[cs..code_end])?;
    let mut header = text[cs..j].to_string();
    j = skip(j);
    while j < code_end && bytes[j] != b'{' {
        let end = match starting_at(&lexed.literals, j) {
            Some(r) if r.end <= code_end => r.end,
            Some(_) => return None,
            None => j + ident_len(&text[j..code_end])?,
        };
        header.push(' ');
        header.push_str(&text[j..end]);
        j = skip(end);
    }
    if j >= code_end {
        return None;
    }
    let brace = j;
    // The matching `}` on this line, if any.
    let mut depth = 0usize;
    let mut close = None;
    for &(p, c) in brackets.iter().filter(|&&(p, _)| p >= brace) {
        if is_open(c) {
            depth += 1;
        } else {
            depth -= 1;
            if depth == 0 {
                close = Some(p);
                break;
            }
        }
    }
    match close {
        None => {
            if skip(brace + 1) != code_end {
                return None;
            }
            header.push_str(" {");
            Some((header, brace, true))
        }
        Some(close) => {
            if skip(close + 1) != code_end {
                return None;
            }
            let inner = text[brace + 1..close].trim_matches([' ', '\t', '\r']);
            if inner.is_empty() {
                header.push_str(" {}");
            } else {
                header.push_str(" { ");
                header.push_str(&inline_attribute(inner));
                header.push_str(" }");
            }
            Some((header, brace, false))
        }
    }
}

/// The attribute of a single-line block with one space around `=`.
fn inline_attribute(inner: &str) -> String {
    if let Some(n) = ident_len(inner) {
        let after = inner[n..].trim_start_matches([' ', '\t']);
        if let Some(value) = after.strip_prefix('=')
            && !value.starts_with(['=', '>'])
        {
            return format!(
                "{} = {}",
                &inner[..n],
                value.trim_start_matches([' ', '\t'])
            );
        }
    }
    inner.to_string()
}

/// `line` moved right (`delta > 0`) or left by `delta` columns; only whitespace is removed.
fn shift(line: &str, delta: isize) -> String {
    if delta >= 0 {
        format!("{}{line}", " ".repeat(delta.unsigned_abs()))
    } else {
        let n = line
            .bytes()
            .take(delta.unsigned_abs())
            .take_while(|&b| b == b' ' || b == b'\t')
            .count();
        line[n..].to_string()
    }
}

/// Removes extra blank lines and turns `name {` + `}` into `name {}`.
fn collapse(lines: Vec<OutLine>) -> Vec<OutLine> {
    let mut out: Vec<OutLine> = Vec::with_capacity(lines.len());
    for line in lines {
        if line.kind == Kind::Blank {
            if out.last().is_none_or(|l| l.kind == Kind::Blank || l.opens) {
                continue;
            }
        } else if line.closes_first {
            while out.last().is_some_and(|l| l.kind == Kind::Blank) {
                out.pop();
            }
            if let Some(prev) = out.last_mut()
                && prev.kind == Kind::BlockOpen
                && line.text.starts_with('}')
            {
                prev.text.push_str(&line.text);
                prev.kind = Kind::Other;
                prev.opens = false;
                continue;
            }
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.kind == Kind::Blank) {
        out.pop();
    }
    out
}

/// Fills in the text of attribute lines, aligning the `=` of runs of single-line ones.
fn align(mut lines: Vec<OutLine>) -> Vec<OutLine> {
    let single = |l: &OutLine| matches!(l.kind, Kind::Attr { single: true, .. });
    let mut i = 0;
    while i < lines.len() {
        let run = lines[i..].iter().take_while(|l| single(l)).count().max(1);
        let width = lines[i..i + run]
            .iter()
            .filter_map(|l| match &l.kind {
                Kind::Attr { key, .. } => Some(key.chars().count()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        for l in &mut lines[i..i + run] {
            if let Kind::Attr { key, rest, .. } = &l.kind {
                let pad = width.saturating_sub(key.chars().count());
                l.text = if rest.is_empty() {
                    format!("{key}{} =", " ".repeat(pad))
                } else {
                    format!("{key}{} = {rest}", " ".repeat(pad))
                };
            }
        }
        i += run;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formats without the safety net, checking equivalence and idempotence.
    fn fmt(text: &str) -> String {
        let body = parse_body(text).expect("test input parses");
        let out = layout(text, &body);
        assert!(
            preserves(text, body.clone(), &out),
            "formatting changed the meaning or the comments:\n--- input\n{text}\n--- output\n{out}"
        );
        let again = layout(&out, &parse_body(&out).expect("output parses"));
        assert_eq!(
            again, out,
            "not idempotent:\n--- input\n{text}\n--- once\n{out}\n--- twice\n{again}"
        );
        assert_eq!(format_source(text).unwrap(), out);
        out
    }

    #[test]
    fn aligns_equals_in_runs_of_single_line_attributes() {
        let input = "workspace \"w\" {\n  a = 1\n  long_name=2\n  mid   =   \"x\"\n\n  z = 3\n  zz = 4\n}\n";
        let expected = "workspace \"w\" {\n  a         = 1\n  long_name = 2\n  mid       = \"x\"\n\n  z  = 3\n  zz = 4\n}\n";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn runs_end_at_comments_blocks_and_multi_line_values() {
        let input = "\
b {
  a = 1
  bbbb = 2
  # note
  cc = 3
  d = 4
  tags = {
    x = 1
    yyy = 2
  }
  e = 5
  nested {
    f = 6
  }
  ggg = 7
}
";
        let expected = "\
b {
  a    = 1
  bbbb = 2
  # note
  cc = 3
  d  = 4
  tags = {
    x   = 1
    yyy = 2
  }
  e = 5
  nested {
    f = 6
  }
  ggg = 7
}
";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn fixes_indentation() {
        let input = "\
a {
b = 1
      c {
  d = [
1,
          2,
  ]
        }
    }
";
        let expected = "\
a {
  b = 1
  c {
    d = [
      1,
      2,
    ]
  }
}
";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn several_brackets_on_a_line_indent_once() {
        let input = "x = [{\na = 1\n}, {\nb = [\n\"c\",\n]\n}]\ny = foo(\nbar, {\nk = \"v\"\n})\n";
        let expected = "x = [{\n  a = 1\n}, {\n  b = [\n    \"c\",\n  ]\n}]\ny = foo(\n  bar, {\n    k = \"v\"\n  })\n";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn normalises_block_headers_and_empty_blocks() {
        let input = "resource   \"a\"    b{\n  x {   }\n  y {\n\n  }\n  identity {type=\"system\"}\n  z{\n  }   # end\n}\n";
        let expected = "resource \"a\" b {\n  x {}\n  y {}\n  identity { type = \"system\" }\n  z {} # end\n}\n";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn keeps_comments() {
        let input = "\
# top comment
// slash comment
/* block
   comment */
a {
# inside
    b = 1    # trailing
   cc = 2 // trailing slash
  d = /* inline */ 3
    /*
      indented block
       comment
    */
  e = 4 /* trailing block */
      # last comment before the closer
}
";
        let expected = "\
# top comment
// slash comment
/* block
   comment */
a {
  # inside
  b  = 1 # trailing
  cc = 2 // trailing slash
  d  = /* inline */ 3
  /*
    indented block
     comment
  */
  e = 4 /* trailing block */
  # last comment before the closer
}
";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn collapses_blank_lines() {
        let input = "\n\n\na = 1\n\n\n\nb = 2\nc {\n\n\n  d = 3\n\n\n  e = 4\n\n}\n\n\n";
        let expected = "a = 1\n\nb = 2\nc {\n  d = 3\n\n  e = 4\n}\n";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn trailing_whitespace_and_final_newline() {
        assert_eq!(fmt("a = 1   \t\nb = 2"), "a = 1\nb = 2\n");
        assert_eq!(fmt("a = 1\n\n\n"), "a = 1\n");
        assert_eq!(fmt("a = 1\r\nb = 2\r\n"), "a = 1\nb = 2\n");
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n  \n"), "");
        assert_eq!(fmt("# only a comment   "), "# only a comment\n");
    }

    #[test]
    fn heredocs_are_untouched() {
        let body = [
            "  keep   this   ",
            "\tand this { [",
            "EOF",
            "  indented = <<-EOT",
            "        x = 1   ",
            "          y",
            "        EOT",
        ];
        let input = [
            &["a {", "      script = <<EOF"][..],
            &body,
            &[
                "        b=2",
                "  call = join(\"\", [<<EOF",
                "    inside a call",
                "EOF",
                "  ])",
                "}",
                "",
            ],
        ]
        .concat()
        .join("\n");
        let expected = [
            &["a {", "  script = <<EOF"][..],
            &body,
            &[
                "  b = 2",
                "  call = join(\"\", [<<EOF",
                "    inside a call",
                "EOF",
                "  ])",
                "}",
                "",
            ],
        ]
        .concat()
        .join("\n");
        assert_eq!(fmt(&input), expected);
    }

    #[test]
    fn strings_are_untouched() {
        let input = "a {\n  s  =  \"  # not a comment {  \"\n  t = \"${foo(\"x\", {a = 1})}  \"\n  u = \"/* no */\"\n}\n";
        let expected = "a {\n  s = \"  # not a comment {  \"\n  t = \"${foo(\"x\", {a = 1})}  \"\n  u = \"/* no */\"\n}\n";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn object_items_are_aligned_and_expressions_kept() {
        let input = "\
locals {
  m = {
    \"quoted key\" = 1
    k=2
    other: 3
  }
  f = { for k, v in var.m :
  k => v if v != null }
  cond = var.a == 1 ? \"x\" : \"y\"
}
";
        let expected = "\
locals {
  m = {
    \"quoted key\" = 1
    k            = 2
    other: 3
  }
  f = { for k, v in var.m :
    k => v if v != null }
  cond = var.a == 1 ? \"x\" : \"y\"
}
";
        assert_eq!(fmt(input), expected);
    }

    #[test]
    fn idempotent_on_assorted_inputs() {
        let inputs = [
            "a=1\n",
            "a { b = { c = { d = [ [ [ 1 ] ] ] } } }\n",
            "x = [\n  for s in var.list :\n  upper(s)\n  if s != \"\"\n]\n",
            "a \"b\" {\n  /* c\n  d */ e = 1\n}\n",
            "v = {\n  a = [\n    1, 2,\n    3,\n  ]\n  b = (\n    1 +\n    2\n  )\n}\n",
            "b {\n  x = <<EOF\n}\nEOF\n  y = 2\n}\n",
            "\t\ta\t=\t1\t# c\n",
            "res \"a\" \"b\" {\n  count = 2 # n\n  name = \"n-${count.index}\"\n}\n",
        ];
        for input in inputs {
            fmt(input);
        }
    }

    #[test]
    fn lexer_fallback_matches_parser_spans() {
        let text =
            "a = \"x${f(\"}\")}y\" # c\nb = <<-EOT\n  \"\n  EOT\nc = \"$${no} %%{no}\" // d\n";
        let body = parse_body(text).unwrap();
        let from_parser = Lexed::new(text, literal_spans(&body));
        let fallback = Lexed::new(text, Vec::new());
        assert_eq!(from_parser.literals, fallback.literals);
        assert_eq!(from_parser.comments, fallback.comments);
        assert_eq!(from_parser.brackets, fallback.brackets);
    }

    #[test]
    fn syntax_errors_are_returned() {
        assert!(format_source("a = {\n").is_err());
        assert!(format_source("block {\n  x = \n}\n").is_err());
    }

    /// A file exercising heredocs, comments, nested brackets and odd spacing.
    const MIXED: &str = "\
# header

/* a block
   comment */
variable \"x\" {
  type    = string
  default = \"a = b # not a comment\" # trailing

  validation {
    condition     = length(var.x) > 0
    error_message = \"bad ${var.x} {\"
  }
}

locals {
  m = {
    a     = 1
    \"b c\" = 2
    list = [1, 2,
      3]
  }
  h = <<-EOT
      keep
    me ${upper(\"x\")}
    EOT
  /* inside
     a block */
  f = foo(
    1,
    [{
      a = 2
    }],
  )
  cond = var.a == 1 ? \"x\" : \"y\" // why
  for_map = { for k, v in var.m :
    k => v
  }
}

single { a = 1 }
empty {}
";

    /// `text` with whitespace changed where the canonical form does not depend on it:
    /// indentation, spaces around the `=` of attributes, trailing spaces and extra blank
    /// lines next to existing ones.
    fn perturb(text: &str, seed: u64) -> String {
        let body = parse_body(text).unwrap();
        let lexed = Lexed::new(text, literal_spans(&body));
        let state = std::cell::Cell::new(seed);
        let rand = |n: usize| {
            state.set(
                state
                    .get()
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407),
            );
            (state.get() >> 33) as usize % n
        };
        let spaces = |max: usize| -> String {
            (0..rand(max + 1))
                .map(|_| if rand(4) == 0 { '\t' } else { ' ' })
                .collect()
        };
        let mut out = "\n".repeat(rand(3));
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let end = start + line.len();
            let content = line.trim_end_matches('\n');
            let content_end = start + content.len();
            let verbatim = strictly_inside(&lexed.literals, start).is_some()
                || strictly_inside(&lexed.comments, start).is_some();
            let opens_comment = lexed
                .comments
                .iter()
                .any(|c| (start..content_end).contains(&c.start) && c.end > content_end);
            if verbatim || opens_comment {
                out.push_str(line);
                start = end;
                continue;
            }
            let trimmed = content.trim_matches([' ', '\t']);
            if trimmed.is_empty() {
                out.push_str(&"\n".repeat(1 + rand(3)));
                start = end;
                continue;
            }
            out.push_str(&spaces(6));
            let ends_in_literal = strictly_inside(&lexed.literals, content_end).is_some();
            let attr = ident_len(trimmed).and_then(|n| {
                let after = trimmed[n..].trim_start_matches([' ', '\t']);
                let value = after.strip_prefix('=')?;
                (!value.starts_with(['=', '>'])).then(|| (&trimmed[..n], value.trim_start()))
            });
            match attr {
                Some((key, value)) => {
                    out.push_str(key);
                    out.push_str(&spaces(3));
                    out.push('=');
                    out.push_str(&spaces(3));
                    out.push_str(value);
                }
                None => out.push_str(trimmed),
            }
            if !ends_in_literal {
                out.push_str(&spaces(3));
            }
            out.push_str(&line[content.len()..]);
            start = end;
        }
        out.push_str(&"\n".repeat(rand(3)));
        out
    }

    #[test]
    fn whitespace_noise_formats_to_the_same_text() {
        let canonical = fmt(MIXED);
        assert_eq!(canonical, MIXED, "the mixed sample is canonical");
        let mut changed = 0;
        for seed in 0..200 {
            let noisy = perturb(MIXED, seed);
            changed += usize::from(noisy != MIXED);
            assert_eq!(fmt(&noisy), canonical, "seed {seed}, input:\n{noisy}");
        }
        assert!(
            changed > 190,
            "the noise changed only {changed} of 200 inputs"
        );
    }

    #[test]
    fn repository_manifests_format_to_the_same_structure() {
        fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, files);
                } else if path.extension().is_some_and(|e| e == "hcl") {
                    files.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("examples"), &mut files);
        walk(&root.join("modules"), &mut files);
        assert!(
            !files.is_empty(),
            "no manifest files under examples/ and modules/"
        );
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let body = parse_body(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let out = layout(&text, &body);
            let new_body = parse_body(&out).unwrap_or_else(|e| {
                panic!("{}: output does not parse: {e}\n{out}", path.display())
            });
            assert_eq!(
                hcl::Body::from(body.clone()),
                hcl::Body::from(new_body.clone()),
                "{}: structure changed",
                path.display()
            );
            assert_eq!(
                comments(&text, &body),
                comments(&out, &new_body),
                "{}: comments changed",
                path.display()
            );
            assert_eq!(
                layout(&out, &new_body),
                out,
                "{}: not idempotent",
                path.display()
            );
        }
    }

    proptest::proptest! {
        /// A file with number literals beyond `f64` formats as the same file with those
        /// literals written as zeros does, with the literals kept as written; twice changes
        /// nothing.
        #[test]
        fn literals_beyond_f64_format_like_any_number(
            lines in proptest::collection::vec(
                (
                    "[a-z]{1,6}",
                    " {0,3}",
                    proptest::collection::vec(
                        proptest::prop_oneof![
                            "[1-9][0-9]{0,2}",
                            "[1-9]e[4-9][0-9]{2}",
                            "-[1-9]\\.[0-9]{1,3}E\\+[4-9][0-9]{2}",
                            "[1-9]{310,320}",
                        ],
                        1..4,
                    ),
                    0usize..3,
                ),
                1..8,
            )
        ) {
            let mut text = String::new();
            let mut used: Vec<&String> = Vec::new();
            for (i, (key, space, values, shape)) in lines.iter().enumerate() {
                let values = if *shape == 0 { &values[..1] } else { &values[..] };
                used.extend(values);
                let value = match shape {
                    0 => values[0].clone(),
                    1 => format!("[{}]", values.join(",  ")),
                    _ => format!("max({})", values.join(", ")),
                };
                text.push_str(&format!("{key}{i}{space}={space}{value}\n"));
                if i % 3 == 2 {
                    text.push_str("\n\n");
                }
            }
            let big: Vec<String> = used
                .iter()
                .filter(|v| v.trim_start_matches('-').parse::<f64>().is_ok_and(f64::is_infinite))
                .map(|v| v.trim_start_matches('-').to_string())
                .collect();
            let zero = |s: &str| s.replace(|c: char| c.is_ascii_digit(), "0");
            let mut zeroed = text.clone();
            for b in &big {
                zeroed = zeroed.replacen(b.as_str(), &zero(b), 1);
            }
            let formatted = format_source(&text).expect("formats");
            let mut expected = format_source(&zeroed).expect("formats");
            // Put the literals back in order, each at the first zeros of its shape left.
            let mut from = 0;
            for b in &big {
                let at = from + expected[from..].find(&zero(b)).expect("the zeros");
                expected.replace_range(at..at + b.len(), b);
                from = at + b.len();
            }
            proptest::prop_assert_eq!(&formatted, &expected);
            proptest::prop_assert_eq!(format_source(&formatted).expect("formats"), formatted);
        }
    }
}
