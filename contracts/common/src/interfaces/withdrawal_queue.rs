//! The withdrawal queue as other programs call it.
#![allow(non_snake_case)]
#[allow(unused_imports)]
use alloc::vec;
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    interface IWithdrawalQueue {
        /// Ether to lock and shares to burn to finalize requests up to
        /// `lastRequestId` at `maxShareRate` (1e27 precision).
        function prefinalize(uint256 lastRequestId, uint256 maxShareRate) external view returns (uint256, uint256);
        /// Deposit pool only: finalize requests up to `lastRequestId`, locking `msg.value`.
        function finalize(uint256 lastRequestId, uint256 maxShareRate) external payable;
        function unfinalizedStETH() external view returns (uint256);
        function getLastRequestId() external view returns (uint256);
        function getLastFinalizedRequestId() external view returns (uint256);
    }
}
