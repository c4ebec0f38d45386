//! Custom Solidity errors shared by the programs.
//!
//! Every revert a user can trigger is one of these (or a program-specific
//! error in the program's own crate), so a dapp decodes one vocabulary.
//! Each program wraps the ones it uses in its own `Error` enum deriving
//! `SolidityError`.
#![allow(missing_docs)]

use alloy_sol_types::sol;

sol! {
    /// An amount that must be positive was zero.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAmount();
    /// An address argument that must be set was the zero address.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAddress();
    /// An amount above `2^128 - 1` (the bound of every share conversion).
    #[derive(Debug, PartialEq, Eq)]
    error AmountTooLarge(uint256 amount);
    /// A total would no longer fit its packed storage field.
    #[derive(Debug, PartialEq, Eq)]
    error TotalOverflow();
    /// `account` holds `balance`, less than the `needed` amount.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    /// `spender` may spend `allowance` of `owner`'s tokens, less than `needed`.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    /// `decreaseAllowance` by more than the current allowance.
    #[derive(Debug, PartialEq, Eq)]
    error AllowanceBelowZero(address owner, address spender, uint256 allowance, uint256 decrease);
    /// Tokens sent to a recipient that cannot hold them (the token itself).
    #[derive(Debug, PartialEq, Eq)]
    error InvalidRecipient(address recipient);
    /// The caller lacks the privilege the function needs.
    #[derive(Debug, PartialEq, Eq)]
    error Unauthorized(address caller);
    /// OpenZeppelin's error for a missing role.
    #[derive(Debug, PartialEq, Eq)]
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// `renounceRole` called for another account.
    #[derive(Debug, PartialEq, Eq)]
    error AccessControlBadConfirmation();
    /// The program is stopped.
    #[derive(Debug, PartialEq, Eq)]
    error ContractStopped();
    /// `resume` on a running program.
    #[derive(Debug, PartialEq, Eq)]
    error ContractNotStopped();
    /// A permit past its deadline.
    #[derive(Debug, PartialEq, Eq)]
    error PermitExpired(uint256 deadline);
    /// A permit signature that does not recover to (or is not accepted by) the owner.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidSignature();
    /// A constructor or initializer called twice, or a call before it.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyInitialized();
    /// The program has not been initialized (bootstrapped) yet.
    #[derive(Debug, PartialEq, Eq)]
    error NotInitialized();
    /// A conversion or mint that would produce zero shares.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroShares();
    /// An external call failed; `target` is the callee.
    #[derive(Debug, PartialEq, Eq)]
    error ExternalCallFailed(address target);
}
