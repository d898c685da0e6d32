//! [`Problems`]: the diagnostics collected while loading.

use crate::content::Diagnostic;
use std::path::Path;

/// Every problem found so far, in the order found. Loading goes on past a problem, so each step
/// records what it finds here and hands back what it could read.
#[derive(Debug, Default)]
pub(super) struct Problems(Vec<Diagnostic>);

impl Problems {
    pub(super) fn new() -> Self {
        Problems(Vec::new())
    }

    /// The value of `result`, or `None` after recording its diagnostic.
    pub(super) fn ok<T>(&mut self, result: Result<T, Diagnostic>) -> Option<T> {
        result.map_err(|d| self.0.push(d)).ok()
    }

    pub(super) fn error(
        &mut self,
        path: impl AsRef<Path>,
        line: Option<usize>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic::error(path, line, message));
    }

    pub(super) fn warning(
        &mut self,
        path: impl AsRef<Path>,
        line: Option<usize>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic::warning(path, line, message));
    }

    pub(super) fn note(
        &mut self,
        path: impl AsRef<Path>,
        line: Option<usize>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic::note(path, line, message));
    }

    pub(super) fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// How many of the problems are errors.
    pub(super) fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub(super) fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Appends `other`'s problems after these.
    pub(super) fn append(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    pub(super) fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_errors_and_warnings_in_order() {
        let mut problems = Problems::new();
        assert_eq!(problems.ok(Ok::<_, Diagnostic>(3)), Some(3));
        assert!(!problems.has_errors());
        problems.warning("a.md", None, "w");
        assert!(!problems.has_errors());
        let failed: Option<()> = problems.ok(Err(Diagnostic::error("b.md", Some(2), "e")));
        assert_eq!(failed, None);
        problems.error("c.md", None, "f");
        assert_eq!(problems.errors(), 2);
        let mut all = Problems::new();
        all.warning("z.md", None, "first");
        all.append(problems);
        let messages: Vec<_> = all.into_vec().into_iter().map(|d| d.message).collect();
        assert_eq!(messages, ["first", "w", "e", "f"]);
    }
}
