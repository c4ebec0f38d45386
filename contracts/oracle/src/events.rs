//! Events of the oracle, with Lido's signatures where Lido has the event
//! (so indexers built for Lido's `HashConsensus`, `AccountingOracle` and
//! `OracleReportSanityChecker` decode them unchanged). `RoleGranted` and
//! `RoleRevoked` come from `staking_common::events`; `ETHDistributed` is
//! emitted by the deposit pool (the ether holder, as Lido's) during the
//! report, `TokenRebased` by the rebase token.
#![allow(missing_docs)]

pub use sol::*;

mod sol {
    #![allow(missing_docs)]
    use alloy_sol_types::sol;

    sol! {
        // ---- committee (HashConsensus) ----
        /// A member joined; the quorum passed along with it.
        #[derive(Debug, PartialEq, Eq)]
        event MemberAdded(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
        /// A member left; the quorum passed along with it.
        #[derive(Debug, PartialEq, Eq)]
        event MemberRemoved(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
        /// The quorum changed.
        #[derive(Debug, PartialEq, Eq)]
        event QuorumSet(uint256 newQuorum, uint256 totalMembers, uint256 prevQuorum);
        /// A member voted for `report` (a hash) in the frame of `refSlot`.
        #[derive(Debug, PartialEq, Eq)]
        event ReportReceived(uint256 indexed refSlot, address indexed member, bytes32 report);
        /// `report` reached the quorum with `support` votes.
        #[derive(Debug, PartialEq, Eq)]
        event ConsensusReached(uint256 indexed refSlot, bytes32 report, uint256 support);
        /// The frame's agreed hash fell below the quorum before processing.
        #[derive(Debug, PartialEq, Eq)]
        event ConsensusLost(uint256 indexed refSlot);
        /// The frame length changed; frames now start at `newInitialEpoch`
        /// (a slot here: this program counts frames in slots, see
        /// `getChainConfig`).
        #[derive(Debug, PartialEq, Eq)]
        event FrameConfigSet(uint256 newInitialEpoch, uint256 newEpochsPerFrame);

        // ---- report processing (BaseOracle) ----
        /// The agreed report of `refSlot` (hash `hash`) is being processed.
        #[derive(Debug, PartialEq, Eq)]
        event ProcessingStarted(uint256 indexed refSlot, bytes32 hash);
        /// The agreed report of `refSlot` was never processed.
        #[derive(Debug, PartialEq, Eq)]
        event WarnProcessingMissed(uint256 indexed refSlot);
        /// The consensus version changed.
        #[derive(Debug, PartialEq, Eq)]
        event ConsensusVersionSet(uint256 indexed version, uint256 indexed prevVersion);

        // ---- sanity limits (OracleReportSanityChecker) ----
        /// The annualised CL balance increase limit changed (basis points).
        #[derive(Debug, PartialEq, Eq)]
        event AnnualBalanceIncreaseBPLimitSet(uint256 annualBalanceIncreaseBPLimit);
        /// The one-off CL balance decrease limit changed (basis points).
        #[derive(Debug, PartialEq, Eq)]
        event OneOffCLBalanceDecreaseBPLimitSet(uint256 oneOffCLBalanceDecreaseBPLimit);
        /// The share-rate increase limit per report changed (1e9 = 100 %).
        #[derive(Debug, PartialEq, Eq)]
        event MaxPositiveTokenRebaseSet(uint256 maxPositiveTokenRebase);

        // ---- fee (ours) ----
        /// The protocol fee changed: `totalBasisPoints` of the rewards, of
        /// which `operatorBasisPoints` go to the node-operator recipient.
        #[derive(Debug, PartialEq, Eq)]
        event FeeSet(uint256 totalBasisPoints, uint256 operatorBasisPoints);
        /// The fee recipients changed.
        #[derive(Debug, PartialEq, Eq)]
        event FeeRecipientsSet(address treasury, address operatorRecipient);

        // ---- report applied (ours) ----
        /// The report of `refSlot` was applied: `rewardsDistributed` wei
        /// were added to the pool (the rest of the growth,
        /// `rewardsDeferred`, waits for later reports), or `clLoss` wei were
        /// taken from it; `sharesMintedAsFees` fee shares were minted;
        /// requests up to `lastFinalizedRequestId` were finalized with
        /// `etherLocked` wei for `sharesBurnt` shares.
        #[derive(Debug, PartialEq, Eq)]
        event ReportApplied(
            uint256 indexed refSlot,
            uint256 rewardsDistributed,
            uint256 rewardsDeferred,
            uint256 clLoss,
            uint256 sharesMintedAsFees,
            uint256 lastFinalizedRequestId,
            uint256 etherLocked,
            uint256 sharesBurnt
        );
    }
}
