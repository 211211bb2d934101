//! Compile tests for the macros: every `ui/pass` case must build and run (its `main` asserts
//! what the macros generated); every `ui/fail` case must fail to build with exactly the
//! diagnostics recorded in its `.stderr` file. Regenerate those with
//! `TRYBUILD=overwrite cargo test -p charm-tests --test ui`, then read every diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
