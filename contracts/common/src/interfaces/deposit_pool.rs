//! The deposit pool as other programs call it (the full ABI dapps see is in
//! `contracts/deposit-pool`; this is the part programs need).
#![allow(non_snake_case)]
#[allow(unused_imports)]
use alloc::vec;
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    interface IDepositPool {
        /// Stake `msg.value`; the shares are minted to the caller. Returns the shares.
        function submit(address referral) external payable returns (uint256);
        /// Rebase token only: account a stake made through the token's own `submit`
        /// (checks pause and staking limit, buffers the ether, emits `Submitted`).
        /// The pool does not call the token back: the token mints after this returns.
        function receiveStake(address sender, address referral) external payable;
        /// The stored buffered-ether counter (never the raw balance).
        function getBufferedEther() external view returns (uint256);
        /// Buffered ether minus what the withdrawal queue's unfinalized requests reserve.
        function getDepositableEther() external view returns (uint256);
        /// buffered + beacon balance + 32 ETH × (deposited − beacon validators).
        function getTotalPooledEther() external view returns (uint256);
        /// (depositedValidators, beaconValidators, beaconBalance)
        function getBeaconStat() external view returns (uint256, uint256, uint256);
        function isStopped() external view returns (bool);
        function isStakingPaused() external view returns (bool);
        function getWithdrawalCredentials() external view returns (bytes32);
        /// Oracle only: apply the consensus-layer state of a report, collect
        /// `withdrawalsToCollect` from the withdrawal vault into the buffer and
        /// send `ethToLock` to the withdrawal queue to finalize requests up to
        /// `lastRequestIdToFinalize` at `maxShareRate` (1e27 precision).
        /// The pool is its own withdrawal vault (the withdrawal credentials
        /// point to it): `withdrawalsToCollect` must not exceed its raw
        /// balance minus its buffered ether.
        function handleOracleReport(
            uint256 reportTimestamp,
            uint256 beaconValidators,
            uint256 beaconBalance,
            uint256 withdrawalsToCollect,
            uint256 lastRequestIdToFinalize,
            uint256 ethToLock,
            uint256 maxShareRate
        ) external;
    }
}
