//! The integration tests, one binary (it links Typst once): each module runs the real `briefs` binary on fixture
//! projects or on a copy of the shipped project and checks what a user sees (tests/README.md lists them).

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod docs;
mod edition;
mod hardening;
mod house;
mod i18n;
mod packs;
mod regen;
mod review;
mod scale;
mod suite;
