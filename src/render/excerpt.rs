//! Source text as the human renderer shows it: lines too long to show are cut to a window
//! around what the diagnostic points at.
//!
//! Why: a terminal shows a few hundred columns at most, and miette's graphical handler pads
//! with format widths that cannot exceed 65,535, so a label at column 65,536 (a minified or
//! hostile file) would make it panic. Compilers cut long lines around the span; so does this.
//! Lines keep their numbers (nothing is removed but the middle of long lines), so the
//! `file:line:col` miette prints stays true.

/// The most characters of one line shown; longer lines are cut around their labels.
pub const MAX_LINE_CHARS: usize = 240;
/// Characters kept before the first label on a cut line.
const BEFORE: usize = 80;
/// What stands for the characters cut out.
const CUT: &str = "…";

/// `text` with every line longer than [`MAX_LINE_CHARS`] cut, and `offsets` (byte offsets
/// into `text`) mapped into the result. `None` when no line is too long (use `text` as it is).
pub fn excerpt(text: &str, offsets: &[usize]) -> Option<(String, Vec<usize>)> {
    if !text
        .split('\n')
        .any(|line| line.len() > MAX_LINE_CHARS && line.chars().count() > MAX_LINE_CHARS)
    {
        return None;
    }
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut mapped: Vec<usize> = offsets.to_vec();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let body = line.strip_suffix('\n').unwrap_or(line);
        let out_start = out.len();
        let in_line = |o: usize| o >= line_start && o <= line_start + body.len();
        if body.chars().count() <= MAX_LINE_CHARS {
            out.push_str(line);
            for (m, &o) in mapped.iter_mut().zip(offsets) {
                if o >= line_start && o < line_end {
                    *m = out_start + (o - line_start);
                }
            }
        } else {
            // The window starts a little before the first label on the line.
            let first = offsets
                .iter()
                .copied()
                .filter(|&o| in_line(o))
                .min()
                .map_or(0, |o| o - line_start);
            let (from, to) = window(body, first);
            if from > 0 {
                out.push_str(CUT);
            }
            let kept_start = out.len();
            out.push_str(&body[from..to]);
            let kept_end = out.len();
            if to < body.len() {
                out.push_str(CUT);
            }
            if line.ends_with('\n') {
                out.push('\n');
            }
            for (m, &o) in mapped.iter_mut().zip(offsets) {
                if !in_line(o) {
                    continue;
                }
                let at = o - line_start;
                *m = if at < from {
                    kept_start
                } else if at > to {
                    kept_end
                } else {
                    kept_start + (at - from)
                };
            }
        }
        line_start = line_end;
    }
    for (m, &o) in mapped.iter_mut().zip(offsets) {
        if o >= text.len() {
            *m = out.len();
        }
    }
    Some((out, mapped))
}

/// Byte range of `line` to show: [`MAX_LINE_CHARS`] characters starting [`BEFORE`]
/// characters before byte offset `first`, on character boundaries.
fn window(line: &str, first: usize) -> (usize, usize) {
    let first = floor_char_boundary(line, first.min(line.len()));
    let from = line[..first]
        .char_indices()
        .rev()
        .nth(BEFORE - 1)
        .map_or(0, |(i, _)| i);
    let to = line[from..]
        .char_indices()
        .nth(MAX_LINE_CHARS)
        .map_or(line.len(), |(i, _)| from + i);
    (from, to)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_left_alone() {
        assert_eq!(excerpt("a = 1\nb = 2\n", &[4]), None);
    }

    #[test]
    fn a_long_line_is_cut_around_the_offset_and_offsets_follow() {
        let text = format!("x = 1\n{}@ tail\ny = 2\n", " ".repeat(70_000));
        let at = text.find('@').unwrap();
        let (out, mapped) = excerpt(&text, &[at, at + 1]).unwrap();
        assert!(out.starts_with("x = 1\n…"));
        assert!(out.ends_with("y = 2\n"));
        assert_eq!(out.lines().count(), 3, "line numbers are kept");
        assert_eq!(&out[mapped[0]..mapped[1]], "@");
        assert!(out.lines().all(|l| l.chars().count() <= MAX_LINE_CHARS + 2));
    }

    #[test]
    fn offsets_in_cut_parts_clamp_to_the_window() {
        let text = "é".repeat(1000);
        let (out, mapped) = excerpt(&text, &[0, text.len()]).unwrap();
        assert_eq!(mapped[0], 0);
        assert!(mapped[1] <= out.len());
        assert!(out.is_char_boundary(mapped[1]));
    }
}
