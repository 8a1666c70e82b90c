//! The generated language reference in `docs/reference.md` is current.

use crate::support::repo;

#[test]
fn reference_is_current() {
    let generated = amlplan::schema::reference::markdown();
    let path = repo().join("docs/reference.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/reference.md");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/reference.md is stale: run `UPDATE_DOCS=1 cargo test --test integration docs`"
    );
}
