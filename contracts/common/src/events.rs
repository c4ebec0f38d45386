//! Solidity events shared by the programs, with Lido's exact signatures so
//! indexers built for stETH, wstETH and Lido's oracle decode them unchanged.
#![allow(missing_docs)]

use alloy_sol_types::sol;

sol! {
    /// ERC-20 transfer; `value` in token units (ether units for the rebase token).
    #[derive(Debug, PartialEq, Eq)]
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20 approval.
    #[derive(Debug, PartialEq, Eq)]
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// Shares moved; emitted right after the matching `Transfer`.
    #[derive(Debug, PartialEq, Eq)]
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    /// Shares burnt (no `Transfer` to the zero address, as stETH).
    #[derive(Debug, PartialEq, Eq)]
    event SharesBurnt(
        address indexed account,
        uint256 preRebaseTokenAmount,
        uint256 postRebaseTokenAmount,
        uint256 sharesAmount
    );
    /// Ether staked; emitted before the mint's `Transfer`/`TransferShares`.
    #[derive(Debug, PartialEq, Eq)]
    event Submitted(address indexed sender, uint256 amount, address referral);
    /// A rebase applied by an oracle report.
    #[derive(Debug, PartialEq, Eq)]
    event TokenRebased(
        uint256 indexed reportTimestamp,
        uint256 timeElapsed,
        uint256 preTotalShares,
        uint256 preTotalEther,
        uint256 postTotalShares,
        uint256 postTotalEther,
        uint256 sharesMintedAsFees
    );
    /// Ether movements of a report.
    #[derive(Debug, PartialEq, Eq)]
    event ETHDistributed(
        uint256 indexed reportTimestamp,
        uint256 preCLBalance,
        uint256 postCLBalance,
        uint256 withdrawalsWithdrawn,
        uint256 executionLayerRewardsWithdrawn,
        uint256 postBufferedEther
    );
    /// The program was stopped (every share movement reverts).
    #[derive(Debug, PartialEq, Eq)]
    event Stopped();
    /// The program was resumed.
    #[derive(Debug, PartialEq, Eq)]
    event Resumed();
    /// Governance set the rebase token's privileged program addresses.
    #[derive(Debug, PartialEq, Eq)]
    event ProtocolContractsSet(address depositPool, address oracle, address withdrawalQueue);
    /// OpenZeppelin `IAccessControl` events, for programs with role maps.
    #[derive(Debug, PartialEq, Eq)]
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    #[derive(Debug, PartialEq, Eq)]
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
}
