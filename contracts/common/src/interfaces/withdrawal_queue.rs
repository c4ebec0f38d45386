//! The withdrawal queue as other programs call it (the report path). Its
//! whole ABI (Lido's `WithdrawalQueueERC721` names) is
//! `withdrawal_queue::abi::IWithdrawalQueue`.
//!
//! Report-path contract:
//! - `prefinalize(last, rate)` and `finalize(last, rate)` both revert with
//!   `InvalidRequestId(last)` unless `getLastFinalizedRequestId() < last <=
//!   getLastRequestId()`: check that first (nothing to finalize ⇒ do not
//!   call), and `ZeroShareRate()` / `AmountTooLarge(rate)` unless
//!   `0 < rate < 2^128`.
//! - `finalize` must come from the deposit pool, with `msg.value` exactly
//!   `prefinalize`'s `ethToLock` (else `TooMuchEtherToFinalize` /
//!   `NotEnoughEtherToFinalize`), and reverts `ResumedExpected()` while the
//!   queue is paused. It does not call the rebase token: the same report
//!   must then burn exactly `sharesToBurn` from the queue's shares
//!   (`rebase(…, sharesToBurn, …)`), and only if `finalize` ran.
//! - `unfinalizedStETH()` is the nominal stETH of the requests not yet
//!   finalized (what the deposit pool keeps out of `getDepositableEther`).
#![allow(non_snake_case)]
#[allow(unused_imports)]
use alloc::vec;
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    interface IWithdrawalQueue {
        /// `(ethToLock, sharesToBurn)` to finalize requests
        /// `(getLastFinalizedRequestId(), lastRequestId]` at `maxShareRate`
        /// (1e27 precision): `ethToLock = Σ min(amountOfStETH_i,
        /// floor(shares_i * maxShareRate / 1e27))`, `sharesToBurn = Σ shares_i`.
        function prefinalize(uint256 lastRequestId, uint256 maxShareRate) external view returns (uint256, uint256);
        /// Deposit pool only: finalize requests up to `lastRequestId`, locking
        /// `msg.value` (exactly `prefinalize`'s `ethToLock`).
        function finalize(uint256 lastRequestId, uint256 maxShareRate) external payable;
        /// The nominal stETH of the requests not yet finalized.
        function unfinalizedStETH() external view returns (uint256);
        /// The newest request id (0 before the first).
        function getLastRequestId() external view returns (uint256);
        /// The newest finalized request id (0 before the first).
        function getLastFinalizedRequestId() external view returns (uint256);
        /// Ether held for finalized, unclaimed requests.
        function getLockedEtherAmount() external view returns (uint256);
    }
}
