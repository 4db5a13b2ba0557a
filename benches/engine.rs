//! Benchmarks (criterion); results table in benches/README.md.
fn main() {}
