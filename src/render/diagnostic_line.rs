//! Diagnostics as single lines, `error[CODE]: message` (a warning: `warning[CODE]: ...`),
//! for lists of many similar errors such as the operations an apply could not do, where a
//! framed report per entry would bury the summary.

use crate::diagnostic::Diagnostic;

/// The line, and a `help: ...` line per line of help.
pub fn render(d: &Diagnostic) -> String {
    let level = if d.is_error() { "error" } else { "warning" };
    let mut out = format!("{level}[{}]: {}\n", d.code, d.message);
    for line in d.help.iter().flat_map(|h| h.lines()) {
        out.push_str("help: ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn one_line_names_the_level_and_code() {
        let d = Diagnostic::new(Code::E0906, "workspace.main: Conflict (409): busy");
        assert_eq!(
            render(&d),
            "error[E0906]: workspace.main: Conflict (409): busy\n"
        );
        let d = Diagnostic::new(Code::E0912, "apply needs confirmation").with_help("pass it");
        assert_eq!(
            render(&d),
            "error[E0912]: apply needs confirmation\nhelp: pass it\n"
        );
    }
}
