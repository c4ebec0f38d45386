//! End-to-end test support: the tests in `tests/tests/e2e_*.rs` deploy the
//! processed, deployable artifacts of every program on the embedded Stylus
//! host (`stylus_host`) and call them only through their Solidity ABI
//! ([`abi`]).
//!
//! - [`abi`]: the `sol!` bindings of every program (re-exported from
//!   `scripts::abi`, the one place they are written).
//! - [`support`]: the deployed protocol (`scripts::protocol::Protocol`) plus
//!   what the tests add on top of it: typed calls, decoded reverts with a
//!   check that nothing changed, decoded events, EIP-2612 signatures,
//!   rebases of a chosen size through real oracle frames.

pub mod abi;
pub mod support;
