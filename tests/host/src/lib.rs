//! An embedded Stylus host: runs processed, deployable Stylus WASM programs (stylus-sdk 0.9
//! output) on the `wasmi` interpreter, with the `vm_hooks` imports implemented to Stylus
//! semantics, so that tests exercise the artifact that would be deployed.
//!
//! - [`Host`]: the world state (accounts, balances, code, storage), the block context
//!   ([`BlockEnv`], chain id 42161 by default) and transactions: [`Host::deploy`] (runs the
//!   constructor as cargo-stylus's StylusDeployer does), [`Host::call`], [`Host::static_call`],
//!   [`Host::fund`], [`Host::set_timestamp`], [`Host::balance`], [`Host::storage`]. Any address
//!   can send a transaction (impersonation is free).
//! - Semantics: the Stylus storage cache (reads cached, writes buffered until
//!   `storage_flush_cache`), rollback of every change of a failed frame and its callees,
//!   `msg_reentrant` by nitro's rule, static calls that cannot change state, delegate calls,
//!   value transfers (to programs and to plain accounts), return data, logs discarded on
//!   revert, the ecrecover/sha256/ripemd160/identity precompiles, and the activation checks a
//!   chain applies (see [`activation`]).
//! - Gas: an ESTIMATE per transaction, broken down by [`GasBreakdown`] category; see [`gas`]
//!   for every rule, constant and source.
//!
//! The host knows nothing about any particular program.
//!
//! Not supported: `create1`/`create2` from a program (EVM init code; the transaction aborts
//! with [`Failure::Unsupported`]), EVM bytecode contracts, precompiles other than 0x01–0x04,
//! the Stylus compression dictionary (`0xEFF00001` code), gas fees debited from balances, the L1 data fee.

pub mod activation;
mod exec;
pub mod gas;
mod hooks;
mod host;
mod precompiles;
mod state;

pub use activation::{host_function_names, ActivationError, ProgramInfo};
pub use alloy_primitives::{keccak256, Address, B256, U256};
pub use gas::{GasBreakdown, ProgramCosts};
pub use host::{
    constructor_selector, BlockEnv, DeployError, Deployment, Failure, Host, Outcome, Snapshot,
    STYLUS_DEPLOYER,
};
pub use state::{create_address, Log};
