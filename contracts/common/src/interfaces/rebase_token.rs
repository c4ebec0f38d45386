//! The rebase token (stETH-compatible) as other programs call it (a subset
//! of its ABI; the full list is in `rebase-token`'s crate docs and its ABI
//! pin test).
#![allow(non_snake_case)]
#[allow(unused_imports)]
use alloc::vec;
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    interface IRebaseToken {
        function getTotalShares() external view returns (uint256);
        function getTotalPooledEther() external view returns (uint256);
        function sharesOf(address account) external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function getSharesByPooledEth(uint256 ethAmount) external view returns (uint256);
        function getPooledEthByShares(uint256 sharesAmount) external view returns (uint256);
        /// `ceil(sharesAmount * P / S)`: the ether a caller must supply for `sharesAmount` shares.
        function getPooledEthBySharesRoundUp(uint256 sharesAmount) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function isStopped() external view returns (bool);
        function getWithdrawalQueue() external view returns (address);
        function transfer(address to, uint256 amount) external returns (bool);
        function approve(address spender, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function transferShares(address to, uint256 sharesAmount) external returns (uint256);
        function transferSharesFrom(address from, address to, uint256 sharesAmount) external returns (uint256);
        /// `transferFrom` that returns the number of shares it moved.
        function transferFromReturningShares(address from, address to, uint256 amount) external returns (uint256);
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        /// Deposit pool only: mint shares worth `etherAmount` to `recipient` and add the ether to the total.
        function mintShares(address recipient, uint256 etherAmount) external returns (uint256);
        /// Oracle only: burn `sharesToBurn` of the withdrawal queue, mint the fee shares, set the new total pooled ether.
        function rebase(
            uint256 reportTimestamp,
            uint256 timeElapsed,
            uint256 postTotalPooledEther,
            uint256 sharesToBurn,
            address treasury,
            uint256 treasuryShares,
            address operatorRecipient,
            uint256 operatorShares
        ) external returns (uint256);
    }
}
