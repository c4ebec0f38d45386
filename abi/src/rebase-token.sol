// SPDX-License-Identifier: MIT
// The rebase token's public Solidity interface (stETH's ABI plus this protocol's additions),
// maintained by hand: `cargo run -p rebase-token --features export-abi` (stylus-sdk 0.9) lists
// the `#[public]` functions and errors but leaves out `receive` and every event, and types
// `eip712Domain()` as the `bytes32[12]` blob the program returns (the same bytes as the
// ERC-5267 tuple below). `scripts` checks that every function and error the SDK exports is
// here, and the end-to-end test `tests/tests/abi_surface.rs` calls every selector below on the
// processed artifact. Names and signatures are Lido's StETH/StETHPermit/Pausable where Lido
// has the function.
//
// Deployment: Stylus constructor `constructor(string name, string symbol, address admin)`
// (run by cargo-stylus through the StylusDeployer; the name must be 1..=31 bytes).
pragma solidity ^0.8.23;

interface IRebaseToken {
    /// Plain ether stakes as `submit(address(0))`.
    receive() external payable;

    // ---- ERC-20 ---------------------------------------------------------------------------
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external pure returns (uint8);
    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
    function decreaseAllowance(address spender, uint256 subtractedValue) external returns (bool);

    // ---- Shares -----------------------------------------------------------------------------
    function getTotalPooledEther() external view returns (uint256);
    function getTotalShares() external view returns (uint256);
    function sharesOf(address account) external view returns (uint256);
    function getSharesByPooledEth(uint256 ethAmount) external view returns (uint256);
    function getPooledEthByShares(uint256 sharesAmount) external view returns (uint256);
    function getPooledEthBySharesRoundUp(uint256 sharesAmount) external view returns (uint256);
    function transferShares(address recipient, uint256 sharesAmount) external returns (uint256);
    function transferSharesFrom(address sender, address recipient, uint256 sharesAmount) external returns (uint256);

    // ---- EIP-2612 permit, EIP-712 / ERC-5267 domain -----------------------------------------
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    function nonces(address owner) external view returns (uint256);
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    /// ERC-5267's 7-tuple (stETH's helper returns a 4-tuple).
    function eip712Domain() external view returns (bytes1 fields, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] memory extensions);
    function getEIP712StETH() external view returns (address);

    // ---- Staking, stop / resume --------------------------------------------------------------
    function submit(address referral) external payable returns (uint256);
    function stop() external;
    function resume() external;
    function isStopped() external view returns (bool);

    // ---- Access control (OpenZeppelin IAccessControl) ---------------------------------------
    function DEFAULT_ADMIN_ROLE() external pure returns (bytes32);
    function PAUSE_ROLE() external pure returns (bytes32);
    function RESUME_ROLE() external pure returns (bytes32);
    function hasRole(bytes32 role, address account) external view returns (bool);
    function getRoleAdmin(bytes32 role) external pure returns (bytes32);
    function grantRole(bytes32 role, address account) external;
    function revokeRole(bytes32 role, address account) external;
    function renounceRole(bytes32 role, address callerConfirmation) external;

    // ---- Additions of this protocol: wiring and privileged entry points ---------------------
    function transferFromReturningShares(address from, address to, uint256 amount) external returns (uint256);
    function setProtocolContracts(address depositPool, address oracle, address withdrawalQueue) external;
    function getDepositPool() external view returns (address);
    function getOracle() external view returns (address);
    function getWithdrawalQueue() external view returns (address);
    /// Deposit pool only.
    function mintShares(address recipient, uint256 etherAmount) external returns (uint256);
    /// Oracle only.
    function rebase(uint256 reportTimestamp, uint256 timeElapsed, uint256 postTotalPooledEther, uint256 sharesToBurn, address treasury, uint256 treasuryShares, address operatorRecipient, uint256 operatorShares) external returns (uint256);

    // ---- Errors ---------------------------------------------------------------------------------
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

    // ---- Events (stETH's, in stETH's order) -------------------------------------------------------
    event Transfer(address indexed from, address indexed to, uint256 value);
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event SharesBurnt(address indexed account, uint256 preRebaseTokenAmount, uint256 postRebaseTokenAmount, uint256 sharesAmount);
    event TokenRebased(uint256 indexed reportTimestamp, uint256 timeElapsed, uint256 preTotalShares, uint256 preTotalEther, uint256 postTotalShares, uint256 postTotalEther, uint256 sharesMintedAsFees);
    event Stopped();
    event Resumed();
    event ProtocolContractsSet(address depositPool, address oracle, address withdrawalQueue);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
}
