//! The ruleset files compiled into the library, so that no file system is needed at run time, with
//! their content hashes computed at build time (see build.rs).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
