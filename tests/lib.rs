//! The integration tests: one binary (see `autotests = false` in Cargo.toml), one module per
//! area. They run the real `amlplan` binary or the library's public pipeline, never its
//! internals.

mod support;

mod apply;
mod arm;
mod assets;
mod azure_blob;
mod bench_manifest;
mod catalogue;
mod cli;
mod corpus;
mod cost;
mod docs;
mod engine;
mod examples;
mod fuzz;
mod fuzz_harness;
mod hostile;
mod http;
mod kinds;
mod known;
mod lang_conformance;
mod manifest_paths;
mod memory_fs;
mod outputs;
mod plan;
mod prices;
mod provider;
mod real_azure;
mod review;
mod secrets;
mod wire;
