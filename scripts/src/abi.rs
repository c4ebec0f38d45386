//! Solidity bindings of every program, written from the Solidity signatures
//! dapps use — Lido's stETH, wstETH, `HashConsensus`/`AccountingOracle` and
//! `WithdrawalQueueERC721` (`../shared/reference/lido-abi/`) — plus the
//! functions, events and custom errors this protocol adds (each program's
//! checked-in `abi.sol` or its crate documentation). The end-to-end tests,
//! the lifecycle run and the gas table call the deployed WASM only through
//! these, so an ABI change shows up as a failing call.
//!
//! - [`IStETH`]: the rebase token (`rebase-token/`).
//! - [`IWstETH`]: the share token (`share-token/abi.sol`).
//! - [`IDepositPool`]: the deposit pool (`contracts/deposit-pool/abi.sol`).
//! - [`IAccountingOracle`]: the oracle (`contracts/oracle/src/router.rs`):
//!   Lido's `HashConsensus` functions, `submitReportData(ReportData, uint256)`
//!   with this protocol's six-field [`ReportData`], limits and fee.
//! - [`IWithdrawalQueue`]: the withdrawal queue (Lido's names,
//!   `contracts/withdrawal-queue/src/abi.rs`).
//! - [`IBeaconDeposit`]: the consensus layer's deposit contract, as the
//!   deposit pool calls it.
//!
//! [`decode_revert`] names a revert: any custom error of any program (a
//! nested call's revert is bubbled up unchanged, so a wstETH `receive()` can
//! revert with the deposit pool's `StakingIsPaused()`), Solidity's
//! `Error(string)` / `Panic(uint256)`, or empty data.
#![allow(missing_docs, clippy::too_many_arguments)]

use alloy_primitives::{keccak256, B256, U256};
use alloy_sol_types::{sol, SolInterface, SolValue};
use std::fmt;

sol! {
    /// stETH as dapps see it (Lido `StETH` + `StETHPermit` + `Pausable` +
    /// the staking entry + V3's `getPooledEthBySharesRoundUp`), with this
    /// protocol's additions marked. Constructor: `(string name, string
    /// symbol, address admin)`.
    #[derive(Debug, PartialEq, Eq)]
    interface IStETH {
        // ERC-20
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 amount) external returns (bool);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
        function decreaseAllowance(address spender, uint256 subtractedValue) external returns (bool);
        // Shares
        function getTotalPooledEther() external view returns (uint256);
        function getTotalShares() external view returns (uint256);
        function sharesOf(address account) external view returns (uint256);
        function getSharesByPooledEth(uint256 ethAmount) external view returns (uint256);
        function getPooledEthByShares(uint256 sharesAmount) external view returns (uint256);
        function getPooledEthBySharesRoundUp(uint256 sharesAmount) external view returns (uint256);
        function transferShares(address to, uint256 sharesAmount) external returns (uint256);
        function transferSharesFrom(address from, address to, uint256 sharesAmount) external returns (uint256);
        // Permit
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        /// Addition: ERC-5267's 7-tuple (stETH returns a 4-tuple).
        function eip712Domain() external view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions);
        function getEIP712StETH() external view returns (address);
        // Staking and pause
        function submit(address referral) external payable returns (uint256);
        function isStopped() external view returns (bool);
        function stop() external;
        function resume() external;
        function PAUSE_ROLE() external view returns (bytes32);
        function RESUME_ROLE() external view returns (bytes32);
        // Access control (OpenZeppelin IAccessControl instead of Aragon's ACL)
        function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
        function hasRole(bytes32 role, address account) external view returns (bool);
        function getRoleAdmin(bytes32 role) external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function revokeRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role, address callerConfirmation) external;
        // Additions of this protocol
        function transferFromReturningShares(address from, address to, uint256 amount) external returns (uint256);
        function setProtocolContracts(address depositPool, address oracle, address withdrawalQueue) external;
        function getDepositPool() external view returns (address);
        function getOracle() external view returns (address);
        function getWithdrawalQueue() external view returns (address);
        function mintShares(address recipient, uint256 etherAmount) external returns (uint256);
        function rebase(uint256 reportTimestamp, uint256 timeElapsed, uint256 postTotalPooledEther, uint256 sharesToBurn, address treasury, uint256 treasuryShares, address operatorRecipient, uint256 operatorShares) external returns (uint256);

        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
        event SharesBurnt(address indexed account, uint256 preRebaseTokenAmount, uint256 postRebaseTokenAmount, uint256 sharesAmount);
        event TokenRebased(uint256 indexed reportTimestamp, uint256 timeElapsed, uint256 preTotalShares, uint256 preTotalEther, uint256 postTotalShares, uint256 postTotalEther, uint256 sharesMintedAsFees);
        event Stopped();
        event Resumed();
        event ProtocolContractsSet(address depositPool, address oracle, address withdrawalQueue);
        event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
        event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

        error ZeroAmount();
        error ZeroAddress();
        error AmountTooLarge(uint256 amount);
        error TotalOverflow();
        error InsufficientBalance(address account, uint256 balance, uint256 needed);
        error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
        error AllowanceBelowZero(address owner, address spender, uint256 allowance, uint256 decrease);
        error InvalidRecipient(address recipient);
        error Unauthorized(address caller);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
        error ContractStopped();
        error ContractNotStopped();
        error PermitExpired(uint256 deadline);
        error InvalidSignature();
        error NotInitialized();
        error ZeroShares();
        error InvalidStringLength(uint256 length);
    }

    /// wstETH as dapps see it, plus this protocol's additions (ERC-5267,
    /// custom errors). Constructor: `(string name, string symbol, address
    /// rebaseToken, address depositPool)`. `receive()` stakes `msg.value`
    /// through the deposit pool and mints the shares as wrapped tokens.
    #[derive(Debug, PartialEq, Eq)]
    interface IWstETH {
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 amount) external returns (bool);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
        function decreaseAllowance(address spender, uint256 subtractedValue) external returns (bool);
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        function wrap(uint256 stETHAmount) external returns (uint256);
        function unwrap(uint256 wstETHAmount) external returns (uint256);
        function getWstETHByStETH(uint256 stETHAmount) external view returns (uint256);
        function getStETHByWstETH(uint256 wstETHAmount) external view returns (uint256);
        function stEthPerToken() external view returns (uint256);
        function tokensPerStEth() external view returns (uint256);
        function stETH() external view returns (address);
        /// Addition: ERC-5267.
        function eip712Domain() external view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions);

        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);

        error ZeroAmount();
        error ZeroAddress();
        error TotalOverflow();
        error InsufficientBalance(address account, uint256 balance, uint256 needed);
        error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
        error AllowanceBelowZero(address owner, address spender, uint256 allowance, uint256 decrease);
        error AllowanceOverflow(address owner, address spender, uint256 allowance, uint256 increase);
        error PermitExpired(uint256 deadline);
        error InvalidSignature();
        error ExternalCallFailed(address target);
    }

    /// The deposit pool (`contracts/deposit-pool/abi.sol`): Lido's staking
    /// entry, limit, buffer and beacon stat names, plus signing keys, wiring
    /// and the oracle's entry. Constructor: `(address admin, address
    /// rebaseToken)`. Plain ether (`receive()`) stakes as `submit(0)`.
    #[derive(Debug, PartialEq, Eq)]
    interface IDepositPool {
        function initialize() external payable;
        function submit(address referral) external payable returns (uint256);
        function receiveStake(address sender, address referral) external payable;
        function getBufferedEther() external view returns (uint256);
        function getDepositableEther() external view returns (uint256);
        function canDeposit() external view returns (bool);
        function getTotalPooledEther() external view returns (uint256);
        function getBeaconStat() external view returns (uint256 depositedValidators, uint256 beaconValidators, uint256 beaconBalance);
        function setStakingLimit(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerSecond) external;
        function removeStakingLimit() external;
        function pauseStaking() external;
        function resumeStaking() external;
        function isStakingPaused() external view returns (bool);
        function getCurrentStakeLimit() external view returns (uint256);
        function getStakeLimitFullInfo() external view returns (bool isStakingPaused, bool isStakingLimitSet, uint256 currentStakeLimit, uint256 maxStakeLimit, uint256 maxStakeLimitGrowthSeconds, uint256 prevStakeLimit, uint256 prevStakeTimestamp);
        function stop() external;
        function resume() external;
        function isStopped() external view returns (bool);
        function addSigningKeys(uint256 count, bytes pubkeys, bytes signatures) external;
        function removeSigningKeys(uint256 fromIndex, uint256 count) external;
        function getSigningKey(uint256 index) external view returns (bytes pubkey, bytes signature, bool used);
        function getTotalSigningKeys() external view returns (uint256);
        function getUnusedSigningKeysCount() external view returns (uint256);
        function setWithdrawalCredentials(bytes32 withdrawalCredentials) external;
        function getWithdrawalCredentials() external view returns (bytes32);
        function setBeaconDepositContract(address beaconDeposit) external;
        function getBeaconDepositContract() external view returns (address);
        function setOracle(address oracle) external;
        function getOracle() external view returns (address);
        function setWithdrawalQueue(address withdrawalQueue) external;
        function getWithdrawalQueue() external view returns (address);
        function getRebaseToken() external view returns (address);
        function depositBufferedEther(uint256 maxValidators) external returns (uint256);
        function handleOracleReport(uint256 reportTimestamp, uint256 beaconValidators, uint256 beaconBalance, uint256 withdrawalsToCollect, uint256 lastRequestIdToFinalize, uint256 ethToLock, uint256 maxShareRate) external;
        function hasRole(bytes32 role, address account) external view returns (bool);
        function getRoleAdmin(bytes32 role) external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function revokeRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role, address callerConfirmation) external;
        function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
        function PAUSE_ROLE() external view returns (bytes32);
        function RESUME_ROLE() external view returns (bytes32);
        function STAKING_PAUSE_ROLE() external view returns (bytes32);
        function STAKING_CONTROL_ROLE() external view returns (bytes32);
        function MANAGE_SIGNING_KEYS() external view returns (bytes32);
        function DEPOSIT_ROLE() external view returns (bytes32);

        event Submitted(address indexed sender, uint256 amount, address referral);
        event Unbuffered(uint256 amount);
        event DepositedValidatorsChanged(uint256 depositedValidators);
        event CLValidatorsUpdated(uint256 indexed reportTimestamp, uint256 preCLValidators, uint256 postCLValidators);
        event WithdrawalsReceived(uint256 amount);
        event ETHDistributed(uint256 indexed reportTimestamp, uint256 preCLBalance, uint256 postCLBalance, uint256 withdrawalsWithdrawn, uint256 executionLayerRewardsWithdrawn, uint256 postBufferedEther);
        event StakingPaused();
        event StakingResumed();
        /// The increase is per second here (per block in Lido); the signature is Lido's.
        event StakingLimitSet(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
        event StakingLimitRemoved();
        event Stopped();
        event Resumed();
        event WithdrawalCredentialsSet(bytes32 withdrawalCredentials, address setBy);
        event BeaconDepositContractSet(address beaconDepositContract);
        event OracleSet(address oracle);
        event WithdrawalQueueSet(address withdrawalQueue);
        event SigningKeyAdded(uint256 indexed nodeOperatorId, bytes pubkey);
        event SigningKeyRemoved(uint256 indexed nodeOperatorId, bytes pubkey);
        event TotalSigningKeysCountChanged(uint256 indexed nodeOperatorId, uint256 totalValidatorsCount);
        event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
        event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

        error ZeroAmount();
        error ZeroAddress();
        error AmountTooLarge(uint256 amount);
        error TotalOverflow();
        error Unauthorized(address caller);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
        error ContractStopped();
        error ContractNotStopped();
        error AlreadyInitialized();
        error NotInitialized();
        error ExternalCallFailed(address target);
        error StakingIsPaused();
        error StakeLimitExceeded(uint256 limit, uint256 amount);
        error ZeroMaxStakeLimit();
        error TooLargeMaxStakeLimit();
        error TooLargeLimitIncrease();
        error TooSmallLimitIncrease();
        error InvalidSigningKeysCount(uint256 count);
        error InvalidPubkeysLength(uint256 expected, uint256 actual);
        error InvalidSignaturesLength(uint256 expected, uint256 actual);
        error EmptySigningKey(uint256 index);
        error SigningKeyIndexOutOfRange(uint256 index, uint256 total);
        error InvalidSigningKeysRange(uint256 fromIndex, uint256 count);
        error InvalidWithdrawalCredentials(bytes32 withdrawalCredentials);
        error WithdrawalCredentialsNotSet();
        error BeaconDepositContractNotSet();
        error WithdrawalQueueNotSet();
        error BeaconValidatorsDecreased(uint256 previous, uint256 reported);
        error BeaconValidatorsExceedDeposited(uint256 deposited, uint256 reported);
        error WithdrawalsExceedUnaccountedEther(uint256 unaccounted, uint256 withdrawals);
        error EtherToLockExceedsBuffer(uint256 buffered, uint256 ethToLock);
    }

    /// The data members agree on (`submitReportData`'s first argument): the
    /// static tuple `(uint256 × 6)`. Members vote for
    /// `keccak256(abi.encode(data))` ([`ReportData::hash`]).
    #[derive(Debug, PartialEq, Eq, Default)]
    struct ReportData {
        uint256 consensusVersion;
        uint256 refSlot;
        uint256 numValidators;
        uint256 clBalanceGwei;
        uint256 withdrawalVaultBalance;
        uint256 lastRequestIdToFinalize;
    }

    /// Lido's `HashConsensus.MemberConsensusState`.
    #[derive(Debug, PartialEq, Eq)]
    struct MemberConsensusState {
        uint256 currentFrameRefSlot;
        bytes32 currentFrameConsensusReport;
        bool isMember;
        bool isFastLane;
        bool canReport;
        uint256 lastMemberReportRefSlot;
        bytes32 currentFrameMemberReport;
    }

    /// The accounting oracle (`contracts/oracle/src/router.rs`): Lido's
    /// `HashConsensus` committee and frames, `AccountingOracle`'s report
    /// submission, `OracleReportSanityChecker`'s limits, and this protocol's
    /// fee and wiring. Constructor: `(address admin, address rebaseToken,
    /// address depositPool, address withdrawalQueue, uint256 genesisTime,
    /// uint256 secondsPerSlot, uint256 slotsPerFrame, address treasury,
    /// address operatorRecipient)`.
    #[derive(Debug, PartialEq, Eq)]
    interface IAccountingOracle {
        // Committee (HashConsensus)
        function addMember(address addr, uint256 quorum) external;
        function removeMember(address addr, uint256 quorum) external;
        function setQuorum(uint256 quorum) external;
        function getMembers() external view returns (address[] addresses, uint256[] lastReportedRefSlots);
        function getQuorum() external view returns (uint256);
        function getIsMember(address addr) external view returns (bool);
        function getChainConfig() external view returns (uint256 slotsPerEpoch, uint256 secondsPerSlot, uint256 genesisTime);
        function getFrameConfig() external view returns (uint256 initialEpoch, uint256 epochsPerFrame, uint256 fastLaneLengthSlots);
        function setFrameConfig(uint256 slotsPerFrame) external;
        function getCurrentFrame() external view returns (uint256 refSlot, uint256 reportProcessingDeadlineSlot);
        function submitReport(uint256 slot, bytes32 report, uint256 consensusVersion) external;
        function getConsensusState() external view returns (uint256 refSlot, bytes32 consensusReport, bool isReportProcessing);
        function getReportVariants() external view returns (bytes32[] variants, uint256[] support);
        function getConsensusStateForMember(address member) external view returns (MemberConsensusState result);
        function getConsensusVersion() external view returns (uint256);
        function setConsensusVersion(uint256 version) external;
        // Report processing (BaseOracle / AccountingOracle)
        function getContractVersion() external view returns (uint256);
        function getLastProcessingRefSlot() external view returns (uint256);
        function getConsensusReport() external view returns (bytes32 hash, uint256 refSlot, uint256 processingDeadlineTime, bool processingStarted);
        function submitReportData(ReportData data, uint256 contractVersion) external;
        // Sanity limits (OracleReportSanityChecker)
        function getOracleReportLimits() external view returns (uint256 annualBalanceIncreaseBPLimit, uint256 oneOffCLBalanceDecreaseBPLimit, uint256 maxPositiveTokenRebase);
        function setOracleReportLimits(uint256 annualBalanceIncreaseBPLimit, uint256 oneOffCLBalanceDecreaseBPLimit, uint256 maxPositiveTokenRebase) external;
        function setAnnualBalanceIncreaseBPLimit(uint256 annualBalanceIncreaseBPLimit) external;
        function setOneOffCLBalanceDecreaseBPLimit(uint256 oneOffCLBalanceDecreaseBPLimit) external;
        function setMaxPositiveTokenRebase(uint256 maxPositiveTokenRebase) external;
        // Fee and wiring (ours)
        function getFee() external view returns (uint256 totalBasisPoints, uint256 operatorBasisPoints);
        function setFee(uint256 totalBasisPoints, uint256 operatorBasisPoints) external;
        function getFeeRecipients() external view returns (address treasury, address operatorRecipient);
        function setFeeRecipients(address treasury, address operatorRecipient) external;
        function getProtocolContracts() external view returns (address rebaseToken, address depositPool, address withdrawalQueue);
        // Access control and ERC-165
        function hasRole(bytes32 role, address account) external view returns (bool);
        function getRoleAdmin(bytes32 role) external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function revokeRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role, address callerConfirmation) external;
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

        // Committee (HashConsensus)
        event MemberAdded(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
        event MemberRemoved(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
        event QuorumSet(uint256 newQuorum, uint256 totalMembers, uint256 prevQuorum);
        event ReportReceived(uint256 indexed refSlot, address indexed member, bytes32 report);
        event ConsensusReached(uint256 indexed refSlot, bytes32 report, uint256 support);
        event ConsensusLost(uint256 indexed refSlot);
        event FrameConfigSet(uint256 newInitialEpoch, uint256 newEpochsPerFrame);
        // Report processing (BaseOracle)
        event ProcessingStarted(uint256 indexed refSlot, bytes32 hash);
        event WarnProcessingMissed(uint256 indexed refSlot);
        event ConsensusVersionSet(uint256 indexed version, uint256 indexed prevVersion);
        // Sanity limits
        event AnnualBalanceIncreaseBPLimitSet(uint256 annualBalanceIncreaseBPLimit);
        event OneOffCLBalanceDecreaseBPLimitSet(uint256 oneOffCLBalanceDecreaseBPLimit);
        event MaxPositiveTokenRebaseSet(uint256 maxPositiveTokenRebase);
        // Fee, accounting (ours; ETHDistributed is Lido's)
        event FeeSet(uint256 totalBasisPoints, uint256 operatorBasisPoints);
        event FeeRecipientsSet(address treasury, address operatorRecipient);
        event ETHDistributed(uint256 indexed reportTimestamp, uint256 preCLBalance, uint256 postCLBalance, uint256 withdrawalsWithdrawn, uint256 executionLayerRewardsWithdrawn, uint256 postBufferedEther);
        event ReportApplied(uint256 indexed refSlot, uint256 rewardsDistributed, uint256 rewardsDeferred, uint256 clLoss, uint256 sharesMintedAsFees, uint256 lastFinalizedRequestId, uint256 etherLocked, uint256 sharesBurnt);
        event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
        event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

        // Committee (HashConsensus)
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
        // Report processing (BaseOracle / AccountingOracle)
        error SenderNotAllowed();
        error UnexpectedContractVersion(uint256 expectedVersion, uint256 receivedVersion);
        error NoConsensusReportToProcess();
        error UnexpectedRefSlot(uint256 consensusRefSlot, uint256 dataRefSlot);
        error UnexpectedDataHash(bytes32 consensusHash, bytes32 receivedHash);
        error ProcessingDeadlineMissed(uint256 deadline);
        error RefSlotAlreadyProcessing();
        error VersionCannotBeSame();
        // Sanity limits (OracleReportSanityChecker, Lido.sol)
        error IncorrectLimitValue(uint256 value, uint256 minAllowedValue, uint256 maxAllowedValue);
        error IncorrectCLBalanceIncrease(uint256 annualBalanceDiff);
        error IncorrectCLBalanceDecrease(uint256 oneOffCLBalanceDecreaseBP);
        error ReportedLessValidators(uint256 reported, uint256 previous);
        error ReportedMoreDeposited(uint256 reported, uint256 deposited);
        error InvalidReportTimestamp(uint256 reportTimestamp, uint256 currentTime);
        error IncorrectTimeElapsed(uint256 timeElapsed);
        error LossExceedsPooledEther(uint256 pooledEther, uint256 loss);
        error EtherToLockExceedsAvailable(uint256 etherToLock, uint256 available);
        // Fee
        error InvalidFee(uint256 totalBasisPoints, uint256 operatorBasisPoints);
        // Shared
        error ZeroAddress();
        error AmountTooLarge(uint256 amount);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
        error ExternalCallFailed(address target);
    }

    /// A permit for the token a withdrawal request is made in (owner = the
    /// caller, spender = the queue).
    #[derive(Debug, PartialEq, Eq)]
    struct PermitInput {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// Lido's status of one withdrawal request.
    #[derive(Debug, PartialEq, Eq)]
    struct WithdrawalRequestStatus {
        uint256 amountOfStETH;
        uint256 amountOfShares;
        address owner;
        uint256 timestamp;
        bool isFinalized;
        bool isClaimed;
    }

    /// The withdrawal queue (Lido's `WithdrawalQueueERC721` names, plus
    /// `prefinalize`/`finalize(lastRequestId, maxShareRate)` and
    /// `getDepositPool`). Constructor: `(address admin, address rebaseToken,
    /// address shareToken, address depositPool)`.
    #[derive(Debug, PartialEq, Eq)]
    interface IWithdrawalQueue {
        // Constants and wiring
        function MIN_STETH_WITHDRAWAL_AMOUNT() external view returns (uint256);
        function MAX_STETH_WITHDRAWAL_AMOUNT() external view returns (uint256);
        function PAUSE_INFINITELY() external view returns (uint256);
        function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
        function PAUSE_ROLE() external view returns (bytes32);
        function RESUME_ROLE() external view returns (bytes32);
        function STETH() external view returns (address);
        function WSTETH() external view returns (address);
        function getDepositPool() external view returns (address);
        // Requests
        function requestWithdrawals(uint256[] amounts, address owner) external returns (uint256[] requestIds);
        function requestWithdrawalsWstETH(uint256[] amounts, address owner) external returns (uint256[] requestIds);
        function requestWithdrawalsWithPermit(uint256[] amounts, address owner, PermitInput permit) external returns (uint256[] requestIds);
        function requestWithdrawalsWstETHWithPermit(uint256[] amounts, address owner, PermitInput permit) external returns (uint256[] requestIds);
        // Finalization
        function prefinalize(uint256 lastRequestId, uint256 maxShareRate) external view returns (uint256 ethToLock, uint256 sharesToBurn);
        function finalize(uint256 lastRequestId, uint256 maxShareRate) external payable;
        // Claims
        function claimWithdrawal(uint256 requestId) external;
        function claimWithdrawals(uint256[] requestIds, uint256[] hints) external;
        function claimWithdrawalsTo(uint256[] requestIds, uint256[] hints, address recipient) external;
        function findCheckpointHints(uint256[] requestIds, uint256 firstIndex, uint256 lastIndex) external view returns (uint256[] hintIds);
        function getLastCheckpointIndex() external view returns (uint256);
        function getClaimableEther(uint256[] requestIds, uint256[] hints) external view returns (uint256[] claimableEthValues);
        // Views
        function getWithdrawalStatus(uint256[] requestIds) external view returns (WithdrawalRequestStatus[] statuses);
        function getWithdrawalRequests(address owner) external view returns (uint256[] requestsIds);
        function unfinalizedStETH() external view returns (uint256);
        function unfinalizedRequestNumber() external view returns (uint256);
        function getLastRequestId() external view returns (uint256);
        function getLastFinalizedRequestId() external view returns (uint256);
        function getLockedEtherAmount() external view returns (uint256);
        // Pause
        function pauseFor(uint256 duration) external;
        function pauseUntil(uint256 pauseUntilInclusive) external;
        function resume() external;
        function isPaused() external view returns (bool);
        function getResumeSinceTimestamp() external view returns (uint256);
        // Access control (OpenZeppelin IAccessControl)
        function hasRole(bytes32 role, address account) external view returns (bool);
        function getRoleAdmin(bytes32 role) external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function revokeRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role, address callerConfirmation) external;
        // ERC-721 (+ metadata, ERC-165)
        function name() external view returns (string);
        function symbol() external view returns (string);
        function tokenURI(uint256 requestId) external view returns (string);
        function supportsInterface(bytes4 interfaceId) external view returns (bool);
        function balanceOf(address owner) external view returns (uint256);
        function ownerOf(uint256 requestId) external view returns (address);
        function approve(address to, uint256 requestId) external;
        function getApproved(uint256 requestId) external view returns (address);
        function setApprovalForAll(address operator, bool approved) external;
        function isApprovedForAll(address owner, address operator) external view returns (bool);
        function transferFrom(address from, address to, uint256 requestId) external;
        function safeTransferFrom(address from, address to, uint256 requestId) external;
        function safeTransferFrom(address from, address to, uint256 requestId, bytes data) external;

        event WithdrawalRequested(uint256 indexed requestId, address indexed requestor, address indexed owner, uint256 amountOfStETH, uint256 amountOfShares);
        event WithdrawalsFinalized(uint256 indexed from, uint256 indexed to, uint256 amountOfETHLocked, uint256 sharesToBurn, uint256 timestamp);
        event WithdrawalClaimed(uint256 indexed requestId, address indexed owner, address indexed receiver, uint256 amountOfETH);
        /// ERC-721 (three indexed fields: not the ERC-20 event of the same signature).
        event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
        event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
        event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
        event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);
        event Paused(uint256 duration);
        event Resumed();
        event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
        event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

        error RequestAmountTooSmall(uint256 amountOfStETH);
        error RequestAmountTooLarge(uint256 amountOfStETH);
        error InvalidRequestId(uint256 requestId);
        error InvalidRequestIdRange(uint256 startId, uint256 endId);
        error RequestNotFoundOrNotFinalized(uint256 requestId);
        error RequestAlreadyClaimed(uint256 requestId);
        error InvalidHint(uint256 hint);
        error ArraysLengthMismatch(uint256 firstArrayLength, uint256 secondArrayLength);
        error RequestIdsNotSorted();
        error ZeroRecipient();
        error ZeroShareRate();
        error TooMuchEtherToFinalize(uint256 sent, uint256 totalStETHToFinalize);
        error NotEnoughEtherToFinalize(uint256 sent, uint256 totalStETHToFinalize);
        error CantSendValueRecipientMayHaveReverted();
        error NotOwnerOrApproved(address sender);
        error NotOwnerOrApprovedForAll(address sender);
        error ApprovalToOwner();
        error ApproveToCaller();
        error TransferFromIncorrectOwner(address from, address realOwner);
        error TransferToNonIERC721Receiver(address to);
        error TransferToThemselves();
        error TransferToZeroAddress();
        error InvalidOwnerAddress(address owner);
        error ZeroPauseDuration();
        error PauseUntilMustBeInFuture();
        error PausedExpected();
        error ResumedExpected();
        error Unauthorized(address caller);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
        error ZeroAddress();
        error AmountTooLarge(uint256 amount);
        error TotalOverflow();
        error ZeroShares();
        error ExternalCallFailed(address target);
    }

    /// The consensus layer's deposit contract, as the deposit pool calls it
    /// (`deposit{value: 32 ether}`).
    #[derive(Debug, PartialEq, Eq)]
    interface IBeaconDeposit {
        function deposit(bytes pubkey, bytes withdrawal_credentials, bytes signature, bytes32 deposit_data_root) external payable;
    }
}

impl ReportData {
    /// `keccak256(abi.encode(data))`: the hash members vote for. A static
    /// tuple encodes as its six words.
    pub fn hash(&self) -> B256 {
        keccak256(self.abi_encode())
    }
}

/// Selector of Solidity's `Error(string)`.
const ERROR_STRING: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];
/// Selector of Solidity's `Panic(uint256)`.
const PANIC: [u8; 4] = [0x4e, 0x48, 0x7b, 0x71];

/// A decoded revert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revert {
    /// A custom error one of the programs declares: its name and its fields
    /// (`Name { field: value, .. }`, the `Debug` form of the `sol!` struct).
    Custom {
        /// The error's name, e.g. `StakeLimitExceeded`.
        name: String,
        /// The decoded error, e.g. `StakeLimitExceeded { limit: 1, amount: 2 }`.
        detail: String,
    },
    /// Solidity's `Error(string)`.
    Message(String),
    /// Solidity's `Panic(uint256)`.
    Panic(U256),
    /// No revert data (malformed calldata, an unknown selector, ether sent to
    /// a non-payable function, a trap, running out of gas).
    Empty,
    /// Data no program declares.
    Unknown(Vec<u8>),
}

impl Revert {
    /// The custom error's name, if the revert is one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Revert::Custom { name, .. } => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Revert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Revert::Custom { detail, .. } => write!(f, "{detail}"),
            Revert::Message(message) => write!(f, "Error({message:?})"),
            Revert::Panic(code) => write!(f, "Panic({code:#x})"),
            Revert::Empty => write!(f, "(empty revert data)"),
            Revert::Unknown(data) => {
                write!(f, "unknown revert data 0x")?;
                data.iter().try_for_each(|b| write!(f, "{b:02x}"))
            }
        }
    }
}

/// Turns `Name(Name { a: 1 })` (the `Debug` form of a `sol!` errors enum
/// variant) into `("Name", "Name { a: 1 }")`.
fn custom<E: fmt::Debug>(error: &E) -> Revert {
    let debug = format!("{error:?}");
    let name = debug.split(['(', ' ', '{']).next().unwrap_or_default().to_string();
    let detail = debug
        .strip_prefix(&name)
        .and_then(|rest| rest.strip_prefix('('))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(&debug)
        .to_string();
    Revert::Custom { name, detail }
}

/// Names the revert data of a failed call: a custom error of any program
/// (errors of the same signature have the same selector in every program,
/// so the first interface that declares it names it), Solidity's
/// `Error(string)` or `Panic(uint256)`, empty data, or unknown data.
pub fn decode_revert(data: &[u8]) -> Revert {
    if data.is_empty() {
        return Revert::Empty;
    }
    if let Ok(e) = IStETH::IStETHErrors::abi_decode(data, true) {
        return custom(&e);
    }
    if let Ok(e) = IDepositPool::IDepositPoolErrors::abi_decode(data, true) {
        return custom(&e);
    }
    if let Ok(e) = IAccountingOracle::IAccountingOracleErrors::abi_decode(data, true) {
        return custom(&e);
    }
    if let Ok(e) = IWithdrawalQueue::IWithdrawalQueueErrors::abi_decode(data, true) {
        return custom(&e);
    }
    if let Ok(e) = IWstETH::IWstETHErrors::abi_decode(data, true) {
        return custom(&e);
    }
    if let Some(rest) = data.strip_prefix(&ERROR_STRING) {
        if let Ok(message) = String::abi_decode(rest, true) {
            return Revert::Message(message);
        }
    }
    if let Some(rest) = data.strip_prefix(&PANIC) {
        if let Ok(code) = U256::abi_decode(rest, true) {
            return Revert::Panic(code);
        }
    }
    Revert::Unknown(data.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::Address;
    use alloy_sol_types::{SolCall, SolError};

    #[test]
    fn decode_revert_names_a_custom_error_with_its_fields() {
        // Given the revert data of the deposit pool's StakeLimitExceeded(5, 7),
        let data = IDepositPool::StakeLimitExceeded { limit: U256::from(5), amount: U256::from(7) }
            .abi_encode();
        // when decoded, then the name and the fields come back.
        let revert = decode_revert(&data);
        assert_eq!(revert.name(), Some("StakeLimitExceeded"));
        assert_eq!(revert.to_string(), "StakeLimitExceeded { limit: 5, amount: 7 }");
    }

    #[test]
    fn decode_revert_names_errors_of_every_program() {
        // Given one program-specific error of each program,
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                IStETH::InvalidStringLength { length: U256::from(40) }.abi_encode(),
                "InvalidStringLength",
            ),
            (
                IWstETH::AllowanceOverflow {
                    owner: Address::ZERO,
                    spender: Address::ZERO,
                    allowance: U256::MAX,
                    increase: U256::from(1),
                }
                .abi_encode(),
                "AllowanceOverflow",
            ),
            (
                IAccountingOracle::IncorrectCLBalanceIncrease { annualBalanceDiff: U256::from(1) }
                    .abi_encode(),
                "IncorrectCLBalanceIncrease",
            ),
            (
                IWithdrawalQueue::RequestAlreadyClaimed { requestId: U256::from(1) }.abi_encode(),
                "RequestAlreadyClaimed",
            ),
        ];
        // then each decodes to its name.
        for (data, name) in cases {
            assert_eq!(decode_revert(&data).name(), Some(name));
        }
    }

    #[test]
    fn decode_revert_handles_empty_string_panic_and_unknown_data() {
        assert_eq!(decode_revert(&[]), Revert::Empty);
        let mut message = ERROR_STRING.to_vec();
        message.extend("nope".to_string().abi_encode());
        assert_eq!(decode_revert(&message), Revert::Message("nope".into()));
        let mut panic = PANIC.to_vec();
        panic.extend(U256::from(0x11).abi_encode());
        assert_eq!(decode_revert(&panic), Revert::Panic(U256::from(0x11)));
        assert_eq!(decode_revert(&[1, 2, 3, 4]), Revert::Unknown(vec![1, 2, 3, 4]));
    }

    #[test]
    fn report_data_hash_is_keccak_of_the_six_words() {
        // Given a report, when hashed, then it is keccak256 of its six words.
        let data = ReportData {
            consensusVersion: U256::from(1),
            refSlot: U256::from(7_199),
            numValidators: U256::from(2),
            clBalanceGwei: U256::from(64_000_000_000u64),
            withdrawalVaultBalance: U256::ZERO,
            lastRequestIdToFinalize: U256::ZERO,
        };
        let words: Vec<u8> = [1u64, 7_199, 2, 64_000_000_000, 0, 0]
            .iter()
            .flat_map(|w| U256::from(*w).to_be_bytes::<32>())
            .collect();
        assert_eq!(data.hash(), keccak256(&words));
    }

    #[test]
    fn selectors_match_the_solidity_signatures() {
        // The oracle's submitReportData takes the static six-word tuple.
        assert_eq!(
            IAccountingOracle::submitReportDataCall::SIGNATURE,
            "submitReportData((uint256,uint256,uint256,uint256,uint256,uint256),uint256)"
        );
        assert_eq!(IBeaconDeposit::depositCall::SIGNATURE, "deposit(bytes,bytes,bytes,bytes32)");
        assert_eq!(IWstETH::getWstETHByStETHCall::SIGNATURE, "getWstETHByStETH(uint256)");
    }
}
