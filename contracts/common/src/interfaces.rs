//! Call interfaces (`sol_interface!`) of every program, as the other
//! programs call them. Each file is owned by the program it describes; the
//! full public ABI of each program (what dapps see) is pinned by the
//! end-to-end tests in `tests/`.
//!
//! Who calls whom (no program is ever re-entered; see `DESIGN.md`):
//! - stake: user → deposit pool `submit` → rebase token `mintShares`;
//!   user → rebase token `submit` → deposit pool `receiveStake` (then the
//!   token mints); user → share token `receive` → deposit pool `submit` →
//!   rebase token `mintShares`.
//! - wrap: user → share token → rebase token `transferFromReturningShares`;
//!   unwrap: user → share token → rebase token `transferShares`.
//! - report: member → oracle → (views) → deposit pool `handleOracleReport`
//!   → withdrawal queue `finalize`; then oracle → rebase token `rebase`.
//! - exit: user → withdrawal queue → rebase token `transferFrom` (or share
//!   token `transferFrom` + `unwrap`).
#![allow(missing_docs, non_snake_case, clippy::too_many_arguments)]

mod deposit_pool;
mod external;
mod rebase_token;
mod share_token;
mod withdrawal_queue;

pub use deposit_pool::*;
pub use external::*;
pub use rebase_token::*;
pub use share_token::*;
pub use withdrawal_queue::*;
