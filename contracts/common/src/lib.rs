//! The library every program of the protocol shares: share math with
//! explicit rounding, the Solidity events and errors, the call interfaces
//! of every program, the role identifiers and the permit signature checks.
//!
//! Nothing here has an entry point: each deployable program (`rebase-token`,
//! `share-token`, `deposit-pool`, `oracle`, `withdrawal-queue`) composes
//! these pieces, so the math that moves money is written, documented and
//! tested once.
#![cfg_attr(not(test), no_std)]
extern crate alloc;

pub mod access;
pub mod errors;
pub mod events;
pub mod interfaces;
pub mod math;
pub mod packing;
pub mod permit;
pub mod roles;
pub mod text;

/// The holder of the bootstrap ("dead") shares: nobody has its key, so the
/// shares minted to it at bootstrap can never move and the share rate is
/// always defined (Lido's `INITIAL_TOKEN_HOLDER`).
pub const INITIAL_TOKEN_HOLDER: alloy_primitives::Address =
    alloy_primitives::address!("000000000000000000000000000000000000dEaD");

/// One validator deposit: 32 ether.
pub const DEPOSIT_SIZE: alloy_primitives::U256 =
    alloy_primitives::uint!(32_000_000_000_000_000_000_U256);

/// 100 % in basis points.
pub const TOTAL_BASIS_POINTS: u64 = 10_000;
