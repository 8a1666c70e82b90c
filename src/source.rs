//! Source files and byte spans.
//!
//! Every file amlplan reads (manifest files, module files, var files, files read by `file()`)
//! is registered in one [`Sources`] table and addressed by a [`FileId`]. A [`Span`] is a byte
//! range in one of those files; everything a diagnostic points at is a `Span`.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    /// A span from an `hcl_edit` node's optional range; nodes built by the parser always have
    /// one, so the fallback (an empty span at the start of the file) only guards against a
    /// synthetic node.
    pub fn from_opt(file: FileId, range: Option<Range<usize>>) -> Span {
        Span::new(file, range.unwrap_or(0..0))
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The smallest span covering both (same file assumed; otherwise `self`).
    pub fn to(&self, other: Span) -> Span {
        if self.file != other.file {
            return *self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// A sub-span relative to this span's start (used to point inside a string literal).
    pub fn sub(&self, range: Range<usize>) -> Span {
        let start = (self.start as usize + range.start).min(self.end as usize);
        let end = (self.start as usize + range.end).min(self.end as usize);
        Span::new(self.file, start..end)
    }
}

/// One source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user: relative to the directory amlplan was pointed at where
    /// possible, so output does not depend on where the checkout lives.
    pub display_path: String,
    /// The real path on disk.
    pub path: PathBuf,
    pub text: String,
    /// Byte offsets at which each line starts.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(display_path: impl Into<String>, path: impl Into<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            display_path: display_path.into(),
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The 0-based index of the line holding a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The byte range of lines `first..=last` (0-based, clamped), newline included.
    pub fn line_range(&self, first: usize, last: usize) -> std::ops::Range<usize> {
        let last = last.min(self.line_starts.len() - 1);
        let first = first.min(last);
        let end = self
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.line_starts[first]..end
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// All files read in one run.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new() -> Self {
        Sources::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.iter().find(|(_, f)| f.path == path).map(|(id, _)| id)
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.range()).unwrap_or("")
    }
}
