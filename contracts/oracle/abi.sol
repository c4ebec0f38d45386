/**
 * The accounting oracle's Solidity interface, written by hand: the program serves
 * its ABI from a hand-written router (`src/router.rs`), so stylus-sdk 0.9's
 * export would list only the constructor and the fallback.
 * `cargo run -p accounting-oracle --features export-abi` prints this file, and
 * the tests compile it with alloy's `sol!` and call every function through the
 * program's router, compare every event and error with the program's, so this
 * file is the ABI.
 *
 * Names and types are Lido's (`HashConsensus`, `AccountingOracle`,
 * `OracleReportSanityChecker`, OpenZeppelin `IAccessControl`) where Lido has the
 * function; see `src/lib.rs` for the deviations (one-slot "epochs", no fast lane,
 * a six-field ReportData, the fee functions).
 *
 * Deployment: Stylus constructor `constructor(address admin, address rebaseToken,
 * address depositPool, address withdrawalQueue, uint256 genesisTime,
 * uint256 secondsPerSlot, uint256 slotsPerFrame, address treasury,
 * address operatorRecipient)` (defaults: 12 s slots, 7200-slot frames).
 */

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.23;

interface IAccountingOracle {
    /// The report members agree on; its keccak256(abi.encode(data)) is the voted hash.
    struct ReportData {
        uint256 consensusVersion;
        uint256 refSlot;
        uint256 numValidators;
        uint256 clBalanceGwei;
        uint256 withdrawalVaultBalance;
        uint256 lastRequestIdToFinalize;
    }

    struct MemberConsensusState {
        uint256 currentFrameRefSlot;
        bytes32 currentFrameConsensusReport;
        bool isMember;
        bool isFastLane;
        bool canReport;
        uint256 lastMemberReportRefSlot;
        bytes32 currentFrameMemberReport;
    }

    // ---- committee (HashConsensus) ----
    event MemberAdded(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
    event MemberRemoved(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
    event QuorumSet(uint256 newQuorum, uint256 totalMembers, uint256 prevQuorum);
    event ReportReceived(uint256 indexed refSlot, address indexed member, bytes32 report);
    event ConsensusReached(uint256 indexed refSlot, bytes32 report, uint256 support);
    event ConsensusLost(uint256 indexed refSlot);
    event FrameConfigSet(uint256 newInitialEpoch, uint256 newEpochsPerFrame);

    function addMember(address addr, uint256 quorum) external;
    function removeMember(address addr, uint256 quorum) external;
    function setQuorum(uint256 quorum) external;
    function getMembers() external view returns (address[] memory addresses, uint256[] memory lastReportedRefSlots);
    function getQuorum() external view returns (uint256);
    function getIsMember(address addr) external view returns (bool);
    /// slotsPerEpoch is 1: frames are counted in slots.
    function getChainConfig() external view returns (uint256 slotsPerEpoch, uint256 secondsPerSlot, uint256 genesisTime);
    /// In one-slot epochs; no fast lane (0).
    function getFrameConfig() external view returns (uint256 initialEpoch, uint256 epochsPerFrame, uint256 fastLaneLengthSlots);
    function setFrameConfig(uint256 slotsPerFrame) external;
    function getCurrentFrame() external view returns (uint256 refSlot, uint256 reportProcessingDeadlineSlot);
    function submitReport(uint256 slot, bytes32 report, uint256 consensusVersion) external;
    function getConsensusState() external view returns (uint256 refSlot, bytes32 consensusReport, bool isReportProcessing);
    function getReportVariants() external view returns (bytes32[] memory variants, uint256[] memory support);
    function getConsensusStateForMember(address addr) external view returns (MemberConsensusState memory result);

    // ---- report processing (BaseOracle / AccountingOracle) ----
    event ProcessingStarted(uint256 indexed refSlot, bytes32 hash);
    event WarnProcessingMissed(uint256 indexed refSlot);
    event ConsensusVersionSet(uint256 indexed version, uint256 indexed prevVersion);
    /// Ours: the outcome of an applied report.
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

    function getConsensusVersion() external view returns (uint256);
    function setConsensusVersion(uint256 version) external;
    function getContractVersion() external view returns (uint256);
    function getLastProcessingRefSlot() external view returns (uint256);
    function getConsensusReport() external view returns (bytes32 hash, uint256 refSlot, uint256 processingDeadlineTime, bool processingStarted);
    function submitReportData(ReportData calldata data, uint256 contractVersion) external;

    // ---- sanity limits (OracleReportSanityChecker) ----
    event AnnualBalanceIncreaseBPLimitSet(uint256 annualBalanceIncreaseBPLimit);
    event OneOffCLBalanceDecreaseBPLimitSet(uint256 oneOffCLBalanceDecreaseBPLimit);
    event MaxPositiveTokenRebaseSet(uint256 maxPositiveTokenRebase);

    function getOracleReportLimits() external view returns (uint256 annualBalanceIncreaseBPLimit, uint256 oneOffCLBalanceDecreaseBPLimit, uint256 maxPositiveTokenRebase);
    function setOracleReportLimits(uint256 annualBalanceIncreaseBPLimit, uint256 oneOffCLBalanceDecreaseBPLimit, uint256 maxPositiveTokenRebase) external;
    function setAnnualBalanceIncreaseBPLimit(uint256 annualBalanceIncreaseBPLimit) external;
    function setOneOffCLBalanceDecreaseBPLimit(uint256 oneOffCLBalanceDecreaseBPLimit) external;
    function setMaxPositiveTokenRebase(uint256 maxPositiveTokenRebase) external;

    // ---- fee (ours) ----
    event FeeSet(uint256 totalBasisPoints, uint256 operatorBasisPoints);
    event FeeRecipientsSet(address treasury, address operatorRecipient);

    function getFee() external view returns (uint256 totalBasisPoints, uint256 operatorBasisPoints);
    function setFee(uint256 totalBasisPoints, uint256 operatorBasisPoints) external;
    function getFeeRecipients() external view returns (address treasury, address operatorRecipient);
    function setFeeRecipients(address treasury, address operatorRecipient) external;
    function getProtocolContracts() external view returns (address rebaseToken, address depositPool, address withdrawalQueue);

    // ---- access control (OpenZeppelin IAccessControl, ERC-165) ----
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

    function hasRole(bytes32 role, address account) external view returns (bool);
    function getRoleAdmin(bytes32 role) external view returns (bytes32);
    function grantRole(bytes32 role, address account) external;
    function revokeRole(bytes32 role, address account) external;
    function renounceRole(bytes32 role, address account) external;
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
    function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
    function MANAGE_MEMBERS_AND_QUORUM_ROLE() external view returns (bytes32);
    function MANAGE_FRAME_CONFIG_ROLE() external view returns (bytes32);
    function MANAGE_CONSENSUS_VERSION_ROLE() external view returns (bytes32);
    function SUBMIT_DATA_ROLE() external view returns (bytes32);
    function ALL_LIMITS_MANAGER_ROLE() external view returns (bytes32);
    function ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE() external view returns (bytes32);
    function ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE() external view returns (bytes32);
    function MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE() external view returns (bytes32);
    function MANAGE_FEE_ROLE() external view returns (bytes32);

    // ---- errors ----
    error NonMember();
    error DuplicateMember();
    error AddressCannotBeZero();
    error QuorumTooSmall(uint256 minQuorum, uint256 receivedQuorum);
    error TooManyMembers(uint256 maxMembers);
    error NumericOverflow();
    error InvalidChainConfig();
    error SlotsPerFrameCannotBeZero();
    error InitialEpochIsYetToArrive();
    error InvalidSlot();
    error StaleReport();
    error EmptyReport();
    error UnexpectedConsensusVersion(uint256 expectedVersion, uint256 receivedVersion);
    error DuplicateReport();
    error ConsensusReportAlreadyProcessing();
    error SenderNotAllowed();
    error UnexpectedContractVersion(uint256 expectedVersion, uint256 receivedVersion);
    error NoConsensusReportToProcess();
    error UnexpectedRefSlot(uint256 consensusRefSlot, uint256 dataRefSlot);
    error UnexpectedDataHash(bytes32 consensusHash, bytes32 receivedHash);
    error ProcessingDeadlineMissed(uint256 deadline);
    error RefSlotAlreadyProcessing();
    error VersionCannotBeSame();
    error IncorrectLimitValue(uint256 value, uint256 minAllowedValue, uint256 maxAllowedValue);
    error IncorrectCLBalanceIncrease(uint256 annualBalanceDiff);
    error IncorrectCLBalanceDecrease(uint256 oneOffCLBalanceDecreaseBP);
    error ReportedLessValidators(uint256 reported, uint256 previous);
    error ReportedMoreDeposited(uint256 reported, uint256 deposited);
    error InvalidReportTimestamp(uint256 reportTimestamp, uint256 currentTime);
    error IncorrectTimeElapsed(uint256 timeElapsed);
    error LossExceedsPooledEther(uint256 pooledEther, uint256 loss);
    error EtherToLockExceedsAvailable(uint256 etherToLock, uint256 available);
    error InvalidFee(uint256 totalBasisPoints, uint256 operatorBasisPoints);
    error ZeroAddress();
    error AmountTooLarge(uint256 amount);
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    error AccessControlBadConfirmation();
    error ExternalCallFailed(address target);
}
