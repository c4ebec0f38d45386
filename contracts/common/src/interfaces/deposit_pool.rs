//! The deposit pool as other programs call it.
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
        function receiveStake(address sender, address referral) external payable;
        function getBufferedEther() external view returns (uint256);
        /// (depositedValidators, beaconValidators, beaconBalance)
        function getBeaconStat() external view returns (uint256, uint256, uint256);
        /// Oracle only: apply the consensus-layer state of a report, collect
        /// `withdrawalsToCollect` from the withdrawal vault into the buffer and
        /// send `ethToLock` to the withdrawal queue to finalize requests up to
        /// `lastRequestIdToFinalize` at `maxShareRate` (1e27 precision).
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
