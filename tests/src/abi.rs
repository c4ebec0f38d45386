//! The Solidity bindings the end-to-end tests call through: exactly
//! `scripts::abi` (written once from the programs' Solidity signatures), so
//! an ABI change breaks the tests that use it.

pub use scripts::abi::*;
