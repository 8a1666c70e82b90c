//! Diagnostics as single lines, `error[CODE]: message` (a warning: `warning[CODE]: ...`),
//! for lists of many similar errors such as the operations an apply could not do, where a
//! framed report per entry would bury the summary.

use crate::diagnostic::Diagnostic;

pub fn render(d: &Diagnostic) -> String {
    let level = if d.is_error() { "error" } else { "warning" };
    format!("{level}[{}]: {}\n", d.code, d.message)
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
    }
}
