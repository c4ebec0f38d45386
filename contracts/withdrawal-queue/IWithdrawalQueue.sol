// SPDX-License-Identifier: MIT
// The withdrawal queue's public Solidity interface: the single source of the
// program's selectors, errors and events (`src/abi.rs` compiles it with
// alloy's `sol!`; the dispatcher, the tests and `export-abi` all use it).
// Names and signatures follow Lido's WithdrawalQueueERC721 except
// `getDepositPool()` (added) and `prefinalize(uint256,uint256)` (Lido takes
// off-chain batches). Errors shared with the other programs (Unauthorized,
// AccessControlUnauthorizedAccount, AccessControlBadConfirmation, ZeroAddress,
// AmountTooLarge, TotalOverflow, ZeroShares, ExternalCallFailed) and the
// events Resumed, RoleGranted, RoleRevoked come from
// `contracts/common` and are listed at the end.
pragma solidity ^0.8.22;

/// A request below `MIN_STETH_WITHDRAWAL_AMOUNT` (100 wei).
error RequestAmountTooSmall(uint256 amountOfStETH);
/// A request above `MAX_STETH_WITHDRAWAL_AMOUNT` (1000 ether).
error RequestAmountTooLarge(uint256 amountOfStETH);
/// An id that is zero or above `getLastRequestId()`, or one that
/// cannot be finalized (at or below `getLastFinalizedRequestId()`).
error InvalidRequestId(uint256 requestId);
/// `findCheckpointHints` with a bad checkpoint index range.
error InvalidRequestIdRange(uint256 startId, uint256 endId);
/// A claim of a request that is not (yet) finalized.
error RequestNotFoundOrNotFinalized(uint256 requestId);
/// A second claim, or an ERC-721 operation on a claimed request.
error RequestAlreadyClaimed(uint256 requestId);
/// A checkpoint hint that does not cover the request.
error InvalidHint(uint256 hint);
/// Ids and hints of different lengths.
error ArraysLengthMismatch(uint256 firstArrayLength, uint256 secondArrayLength);
/// `findCheckpointHints` with ids not in ascending order.
error RequestIdsNotSorted();
/// `claimWithdrawalsTo` to the zero address.
error ZeroRecipient();
/// A finalization at a zero share rate.
error ZeroShareRate();
/// `finalize` with more ether than the requests are worth.
error TooMuchEtherToFinalize(uint256 sent, uint256 totalStETHToFinalize);
/// `finalize` with less ether than the requests are worth.
error NotEnoughEtherToFinalize(uint256 sent, uint256 totalStETHToFinalize);
/// The ether transfer of a claim failed.
error CantSendValueRecipientMayHaveReverted();
/// The caller neither owns the request nor is approved for it.
error NotOwnerOrApproved(address sender);
/// `approve` by an account that is neither the owner nor its operator.
error NotOwnerOrApprovedForAll(address sender);
/// `approve` to the request's owner.
error ApprovalToOwner();
/// `setApprovalForAll` for oneself.
error ApproveToCaller();
/// A transfer whose `from` is not the owner.
error TransferFromIncorrectOwner(address from, address realOwner);
/// A safe transfer to a contract that does not accept it.
error TransferToNonIERC721Receiver(address to);
/// A transfer to its own owner.
error TransferToThemselves();
/// A transfer to the zero address.
error TransferToZeroAddress();
/// `balanceOf(address(0))`.
error InvalidOwnerAddress(address owner);
/// `pauseFor(0)`.
error ZeroPauseDuration();
/// `pauseUntil` a time in the past.
error PauseUntilMustBeInFuture();
/// `resume` while not paused.
error PausedExpected();
/// A request, finalization or pause while paused.
error ResumedExpected();

/// A request was queued (emitted before its ERC-721 `Transfer`).
event WithdrawalRequested(
    uint256 indexed requestId,
    address indexed requestor,
    address indexed owner,
    uint256 amountOfStETH,
    uint256 amountOfShares
);
/// Requests `from..=to` were finalized.
event WithdrawalsFinalized(
    uint256 indexed from,
    uint256 indexed to,
    uint256 amountOfETHLocked,
    uint256 sharesToBurn,
    uint256 timestamp
);
/// A request was claimed (emitted before its ERC-721 burn `Transfer`).
event WithdrawalClaimed(
    uint256 indexed requestId,
    address indexed owner,
    address indexed receiver,
    uint256 amountOfETH
);
/// ERC-721 transfer, mint (`from == 0`) or burn (`to == 0`).
event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
/// ERC-721 approval of one token.
event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
/// ERC-721 operator approval.
event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
/// ERC-4906: the metadata (finalized status) of a range changed.
event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);
/// The queue was paused for `duration` seconds (`2^256 - 1`: until resumed).
event Paused(uint256 duration);

/// Shared with the other programs (`staking_common::errors`/`events`).
error Unauthorized(address caller);
/// Shared: a role-gated function called without the role.
error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
/// Shared: `renounceRole` for another account.
error AccessControlBadConfirmation();
/// Shared: a zero address given to the constructor.
error ZeroAddress();
/// Shared: a share rate or share amount above `2^128 - 1`.
error AmountTooLarge(uint256 amount);
/// Shared: a counter would no longer fit its packed field.
error TotalOverflow();
/// Shared: a request for which the token moved no shares.
error ZeroShares();
/// Shared: a token answered with data that does not decode.
error ExternalCallFailed(address target);
/// Shared: the queue was resumed.
event Resumed();
/// Shared (OpenZeppelin `IAccessControl`).
event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
/// Shared (OpenZeppelin `IAccessControl`).
event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

/// A permit for the token the request is made in (owner = the caller,
/// spender = the queue).
struct PermitInput {
    uint256 value;
    uint256 deadline;
    uint8 v;
    bytes32 r;
    bytes32 s;
}

/// Lido's status of one request.
struct WithdrawalRequestStatus {
    uint256 amountOfStETH;
    uint256 amountOfShares;
    address owner;
    uint256 timestamp;
    bool isFinalized;
    bool isClaimed;
}

/// The withdrawal queue as dapps see it. Deployed with
/// `constructor(address admin, address rebaseToken, address shareToken, address depositPool)`.
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
    function requestWithdrawals(uint256[] calldata amounts, address owner) external returns (uint256[] memory requestIds);
    function requestWithdrawalsWstETH(uint256[] calldata amounts, address owner) external returns (uint256[] memory requestIds);
    function requestWithdrawalsWithPermit(uint256[] calldata amounts, address owner, PermitInput calldata permit) external returns (uint256[] memory requestIds);
    function requestWithdrawalsWstETHWithPermit(uint256[] calldata amounts, address owner, PermitInput calldata permit) external returns (uint256[] memory requestIds);
    // Finalization
    function prefinalize(uint256 lastRequestId, uint256 maxShareRate) external view returns (uint256 ethToLock, uint256 sharesToBurn);
    function finalize(uint256 lastRequestId, uint256 maxShareRate) external payable;
    // Claims
    function claimWithdrawal(uint256 requestId) external;
    function claimWithdrawals(uint256[] calldata requestIds, uint256[] calldata hints) external;
    function claimWithdrawalsTo(uint256[] calldata requestIds, uint256[] calldata hints, address recipient) external;
    function findCheckpointHints(uint256[] calldata requestIds, uint256 firstIndex, uint256 lastIndex) external view returns (uint256[] memory hintIds);
    function getLastCheckpointIndex() external view returns (uint256);
    function getClaimableEther(uint256[] calldata requestIds, uint256[] calldata hints) external view returns (uint256[] memory claimableEthValues);
    // Views
    function getWithdrawalStatus(uint256[] calldata requestIds) external view returns (WithdrawalRequestStatus[] memory statuses);
    function getWithdrawalRequests(address owner) external view returns (uint256[] memory requestsIds);
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
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function tokenURI(uint256 requestId) external view returns (string memory);
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
    function balanceOf(address owner) external view returns (uint256);
    function ownerOf(uint256 requestId) external view returns (address);
    function approve(address to, uint256 requestId) external;
    function getApproved(uint256 requestId) external view returns (address);
    function setApprovalForAll(address operator, bool approved) external;
    function isApprovedForAll(address owner, address operator) external view returns (bool);
    function transferFrom(address from, address to, uint256 requestId) external;
    function safeTransferFrom(address from, address to, uint256 requestId) external;
    function safeTransferFrom(address from, address to, uint256 requestId, bytes calldata data) external;
}
