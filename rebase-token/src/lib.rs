//! # Rebase token: a stETH-compatible rebasing token for Arbitrum Stylus
//!
//! Holders own **shares**; a balance is their shares rescaled by the pool:
//! `balanceOf(a) = floor(shares[a] * P / S)` where `P` is total pooled ether
//! and `S` total shares. Deposits mint shares at the current rate, oracle
//! reports move `P` (a rebase changes every balance and no share count), and
//! the withdrawal queue's shares are burnt when requests are finalized.
//!
//! Worked example: after the bootstrap `P = S = 1 ETH` (all held by
//! `0x…dEaD`). Alice deposits 10 ETH through the deposit pool: she gets
//! `floor(10 * 1 / 1) = 10` ETH of shares, `P = S = 11`. A report adds 1.1
//! ETH of rewards with a 10 % fee (0.11 ETH): the oracle passes
//! `postTotalPooledEther = 12.1` and fee shares
//! `x = 0.11 * 11 / (12.1 - 0.11) ≈ 0.1009` ETH of shares, so
//! `S ≈ 11.1009`, and Alice's 10 shares are worth `floor(10 * 12.1 /
//! 11.1009) ≈ 10.9` ETH. If she `transfer`s 5 ETH to Bob, `floor(5 * S / P)`
//! shares move and Bob's balance grows by 5 ETH or 1–2 wei less (stETH's
//! known rounding), unless she sends her whole balance (see improvement 1).
//!
//! ## Compatibility
//! The Solidity ABI is stETH's (Lido V2 `StETH`, `StETHPermit`, `Pausable`,
//! and V3's `getPooledEthBySharesRoundUp`), names exact, events in stETH's
//! order: a transfer emits `Transfer(from, to, amount)` then
//! `TransferShares(from, to, shares)`; a mint `Transfer(0, to,
//! getPooledEthByShares(shares))` + `TransferShares(0, to, shares)`; a burn
//! only `SharesBurnt`; a rebase `TokenRebased` (no `Transfer`).
//! Allowances are in tokens; `2^256 - 1` is infinite (never decreased, no
//! `Approval` when spent).
//!
//! ## Deliberate improvements and deviations from stETH
//! 1. **Whole-balance transfers leave no dust.** `transfer`, `transferFrom`
//!    and `transferFromReturningShares` of exactly the sender's non-zero
//!    `balanceOf` move *all* the sender's shares (stETH moves
//!    `floor(amount * S / P)`, which can leave 1–2 wei behind,
//!    lidofinance/core#442). The value moved is then below `amount + 1` wei.
//! 2. **`transferSharesFrom` spends `ceil(shares * P / S)` of allowance**
//!    (`getPooledEthBySharesRoundUp`), never zero for a non-zero share amount
//!    (stETH rounds down, which lets a spender move shares without allowance
//!    when the rate is below 1, lidofinance/core#796/#1399).
//! 3. A token `transfer`/`transferFrom` of more than `balanceOf(from)`
//!    reverts `InsufficientBalance` (stETH only checks the share count, so
//!    it accepts an amount up to the value of one more share and then logs
//!    a `Transfer` of more than was moved).
//! 4. Custom errors instead of revert strings (`ContractStopped` for
//!    `CONTRACT_IS_STOPPED`, `InsufficientBalance` for `BALANCE_EXCEEDED`,
//!    …); share-denominated functions report shares in
//!    `InsufficientBalance`.
//! 5. `eip712Domain()` returns ERC-5267's 7-tuple `(0x0f, name, "2",
//!    chainId, this, 0, [])`; stETH returns a 4-tuple. `getEIP712StETH()`
//!    returns this program (the domain is computed here, no helper).
//! 6. The program starts running (stETH starts stopped until
//!    `initialize`/`resume`): before the bootstrap mint nothing can move
//!    anyway, because the only mint accepted while `S == 0` is the seed mint
//!    to `0x…dEaD`.
//! 7. Privileged entry points are program addresses set by governance
//!    (`setProtocolContracts`): `mintShares` (deposit pool), `rebase`
//!    (oracle; burns the withdrawal queue's finalized shares and mints the
//!    fee shares). `submit`/plain ETH first hand the ether to the deposit
//!    pool (`receiveStake`), which checks pause and limit and buffers it.
//! 8. Roles use OpenZeppelin's `IAccessControl` ABI (`DEFAULT_ADMIN_ROLE`
//!    administers `PAUSE_ROLE` and `RESUME_ROLE`) instead of Aragon ACL.
//! 9. Lido.sol's staking-control, deposit and report functions
//!    (`getBufferedEther`, `setStakingLimit`, `handleOracleReport`, …) live
//!    in the deposit pool and the oracle, not here; `getOracle()` returns
//!    the oracle program. Name and symbol are 1..=31 bytes (one slot each).
//!    `stop()` blocks every mint, so it also stops the deposit pool's own
//!    `submit` (its `mintShares` call reverts), as stETH's `stop` pauses
//!    staking.
//!
//! ## Cost (measured)
//! Deploy size (the `scripts` gate: processed WASM, brotli-11, + 4 bytes):
//! about 23.5 KB of the 24,576 B limit. What is left is mostly the SDK's
//! router and ABI decoders for ~47 entry points; the program avoids the
//! other big items: no `&dyn Host` escapes (a single non-generic event
//! emitter, generic signature check), no ruint division (128-bit long
//! division in `staking_common::math`), short strings in one slot, no
//! `std`. On the embedded host (cached program, existing recipient, a
//! 9M-ETH pool) a `transfer` is about 45.0k gas: 21.4k intrinsic, 6.0k
//! entry, three cold slots (6.3k), two writes (5.8k), two logs (3.5k),
//! ~1.9k compute.
//!
//! ## Storage layout (slots in declaration order, `#[storage]` rules)
//! ```text
//! SLOT 0: totals  bits   0..128 total shares S     (≤ 2^128 - 1)
//!                 bits 128..248 total pooled ether P (≤ 2^120 - 1)
//!                 bit  248      stopped flag
//! SLOT 1: shares            mapping(address => uint256)
//! SLOT 2: allowances        mapping(address => mapping(address => uint256))  (tokens)
//! SLOT 3: nonces            mapping(address => uint256)                      (EIP-2612)
//! SLOT 4: roles             mapping(bytes32 => mapping(address => bool))
//! SLOT 5: deposit pool      address
//! SLOT 6: oracle            address
//! SLOT 7: withdrawal queue  address
//! SLOT 8: name              bytes32: 1..=31 bytes left-aligned, length in byte 31
//! SLOT 9: symbol            bytes32: same encoding
//! ```
//! (Name and symbol are short strings in one slot each, so the program
//! carries no dynamic-string storage code; the EIP-712 name hash is
//! recomputed from slot 8 by a native keccak.)
//! A transfer touches only slot 0, the two share slots (and the allowance
//! for `transferFrom`): the privileged addresses are read only by
//! privileged calls.
//!
//! # Invariants
//! - `Σ shares[a] == S` over all accounts (every mint adds to both, every
//!   burn removes from both, every move is between two accounts).
//! - `S > 0` and `P > 0` after the bootstrap mint (its shares belong to
//!   `0x…dEaD`, which never signs; `rebase` rejects `P == 0` and `S == 0`).
//!   While `S == 0` only a 1:1 mint to `0x…dEaD` is accepted.
//! - `P` changes only by `mintShares`/`submit` (+ the deposited ether) and
//!   `rebase` (set by the oracle); accounting never reads an ETH balance.
//! - No call rounds in the caller's favour: deposits and token transfers
//!   round the shares down, balances and share transfers round the token
//!   value down, allowance spent for shares rounds up.
//! - While stopped, every share movement (`transfer*`, `mintShares`,
//!   `submit`, `rebase`) reverts `ContractStopped`; approvals and `permit`
//!   still work.
//!
//! WARNING for integrators: balances change without `Transfer` events when
//! the oracle rebases; a transfer of `x` can credit the recipient `x - 1`
//! or `x - 2` wei (or, for a whole-balance transfer, up to `x + 1`). Hold
//! shares (or the share token) where exact amounts matter.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
// The ABI printer the SDK generates under `export-abi` has no doc comment.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]
extern crate alloc;

#[cfg(test)]
mod tests;

/// A panic aborts the call (the program is built with `panic = "abort"` and
/// without `std`, so no panic message is formatted into the binary).
#[cfg(all(target_arch = "wasm32", not(any(test, feature = "export-abi"))))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{b256, keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolEvent};
use staking_common::{
    access::RoleMap,
    errors::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, AllowanceBelowZero,
        AmountTooLarge, ContractNotStopped, ContractStopped, InsufficientAllowance,
        InsufficientBalance, InvalidRecipient, InvalidSignature, NotInitialized, PermitExpired,
        TotalOverflow, Unauthorized, ZeroAddress, ZeroAmount, ZeroShares,
    },
    events::{
        Approval, ProtocolContractsSet, Resumed, SharesBurnt, Stopped, TokenRebased, Transfer,
        TransferShares,
    },
    math::{ether_for_shares, shares_for_ether, Rounding, MAX_AMOUNT},
    permit::{self, Nonces, PermitError},
    roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE},
    INITIAL_TOKEN_HOLDER,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU256},
    stylus_core::calls::{context::Call, errors::Error as CallError},
};

/// The largest total pooled ether the packed slot holds: `2^120 - 1` wei
/// (about `1.3e18` ETH).
pub const MAX_TOTAL_ETHER: U256 = U256::from_limbs([u64::MAX, (1 << 56) - 1, 0, 0]);
/// Bit of the stopped flag in the totals slot.
const STOPPED_BIT: usize = 248;
/// Offset of total pooled ether in the totals slot.
const ETHER_OFFSET: usize = 128;
/// `keccak256("2")`: the EIP-712 version of the domain (stETH's).
pub const HASHED_VERSION: B256 =
    b256!("ad7c5bef027816a800da1736444fb58a807ef4c9603b7848673f7e3a68eb14a5");
/// `bytes4(keccak256("receiveStake(address,address)"))`: the deposit pool's
/// entry for a stake made through this token's `submit`.
pub const RECEIVE_STAKE_SELECTOR: [u8; 4] =
    stylus_sdk::function_selector!("receiveStake", Address, Address);

sol! {
    /// A name or symbol that is empty or longer than 31 bytes (each is
    /// stored in one slot).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error InvalidStringLength(uint256 length);
}

/// Every error the rebase token reverts with (Solidity custom errors from
/// `staking_common::errors`).
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum Error {
    /// `ZeroAmount()`: a mint or stake of zero ether; a rebase to zero ether.
    ZeroAmount(ZeroAmount),
    /// `ZeroAddress()`: a zero owner, spender, recipient, admin or program.
    ZeroAddress(ZeroAddress),
    /// `AmountTooLarge(amount)`: a conversion input above `2^128 - 1`.
    AmountTooLarge(AmountTooLarge),
    /// `TotalOverflow()`: total shares above `2^128 - 1` or total pooled
    /// ether above `2^120 - 1`.
    TotalOverflow(TotalOverflow),
    /// `InsufficientBalance(account, balance, needed)`.
    InsufficientBalance(InsufficientBalance),
    /// `InsufficientAllowance(owner, spender, allowance, needed)`.
    InsufficientAllowance(InsufficientAllowance),
    /// `AllowanceBelowZero(owner, spender, allowance, decrease)`.
    AllowanceBelowZero(AllowanceBelowZero),
    /// `InvalidRecipient(recipient)`: tokens sent to this program.
    InvalidRecipient(InvalidRecipient),
    /// `Unauthorized(caller)`: a privileged program entry called by another.
    Unauthorized(Unauthorized),
    /// `AccessControlUnauthorizedAccount(account, neededRole)`.
    AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount),
    /// `AccessControlBadConfirmation()`: `renounceRole` for someone else.
    AccessControlBadConfirmation(AccessControlBadConfirmation),
    /// `ContractStopped()`: a share movement while stopped (or `stop` twice).
    ContractStopped(ContractStopped),
    /// `ContractNotStopped()`: `resume` while running.
    ContractNotStopped(ContractNotStopped),
    /// `PermitExpired(deadline)`.
    PermitExpired(PermitExpired),
    /// `InvalidSignature()`: a permit not signed by the owner.
    InvalidSignature(InvalidSignature),
    /// `NotInitialized()`: a mint to anyone but `0x…dEaD` before the
    /// bootstrap, a rebase before it, or a stake before the deposit pool is
    /// set.
    NotInitialized(NotInitialized),
    /// `ZeroShares()`: a deposit too small to mint one share.
    ZeroShares(ZeroShares),
    /// `InvalidStringLength(length)`: a constructor name or symbol that is
    /// empty or above 31 bytes.
    InvalidStringLength(InvalidStringLength),
}

impl From<PermitError> for Error {
    fn from(err: PermitError) -> Self {
        match err {
            PermitError::PermitExpired(e) => Error::PermitExpired(e),
            PermitError::InvalidSignature(e) => Error::InvalidSignature(e),
        }
    }
}

/// The totals slot, unpacked.
#[derive(Clone, Copy, Debug)]
struct Totals {
    /// Total shares `S`.
    shares: U256,
    /// Total pooled ether `P`.
    ether: U256,
}

impl Totals {
    /// Token value of `shares` at this rate, rounded as asked.
    ///
    /// `None` when `shares > 2^128 - 1`.
    fn to_ether(self, shares: U256, rounding: Rounding) -> Option<U256> {
        ether_for_shares(shares, self.shares, self.ether, rounding)
    }

    /// Token value of `shares <= S`, rounded down (`getPooledEthByShares`).
    ///
    /// # Panics
    /// Never for `shares <= S`, which every caller passes (the one shared
    /// panic site for this impossible state).
    #[inline(never)]
    fn value_of(self, shares: U256) -> U256 {
        self.to_ether(shares, Rounding::Down).expect("shares should be at most total shares")
    }

    /// Shares worth `ether` at this rate, rounded as asked.
    ///
    /// `None` when `ether > 2^128 - 1`.
    fn to_shares(self, ether: U256, rounding: Rounding) -> Option<U256> {
        shares_for_ether(ether, self.shares, self.ether, rounding)
    }
}

/// The rebase token program. See the module documentation for the layout.
#[storage]
#[entrypoint]
pub struct RebaseToken {
    /// SLOT 0: total shares (bits 0..128), total pooled ether (128..248),
    /// stopped flag (bit 248).
    totals: StorageU256,
    /// Shares of each holder.
    shares: StorageMap<Address, StorageU256>,
    /// `allowances[owner][spender]`, in tokens.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// EIP-2612 nonces.
    nonces: Nonces,
    /// Role membership (`DEFAULT_ADMIN_ROLE`, `PAUSE_ROLE`, `RESUME_ROLE`).
    roles: RoleMap,
    /// The only caller of `mintShares`; receives `submit`'s ether.
    deposit_pool: StorageAddress,
    /// The only caller of `rebase`.
    oracle: StorageAddress,
    /// The account whose shares `rebase` burns.
    withdrawal_queue: StorageAddress,
    /// ERC-20 name (also the EIP-712 domain name), as a short string.
    name: StorageB256,
    /// ERC-20 symbol, as a short string.
    symbol: StorageB256,
}

/// Packs a string of 1 to 31 bytes into one word: the bytes left-aligned,
/// the length in the last byte.
///
/// # Errors
/// `InvalidStringLength(length)` when empty or above 31 bytes.
fn pack_short_string(text: &str) -> Result<B256, Error> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 31 {
        return Err(InvalidStringLength { length: U256::from(bytes.len()) }.into());
    }
    let mut word = B256::ZERO;
    word[..bytes.len()].copy_from_slice(bytes);
    // Cannot truncate: the length is at most 31.
    word[31] = bytes.len() as u8;
    Ok(word)
}

/// The bytes of a word written by [`pack_short_string`].
fn short_string_bytes(word: &B256) -> &[u8] {
    &word[..usize::from(word[31]).min(31)]
}

/// The string of a word written by [`pack_short_string`].
fn unpack_short_string(word: &B256) -> String {
    // SAFETY: the constructor wrote these bytes from a `String` (valid
    // UTF-8) and the length byte marks exactly its end.
    unsafe { String::from_utf8_unchecked(short_string_bytes(word).to_vec()) }
}

/// Internal helpers (not part of the ABI).
impl RebaseToken {
    /// Reads the totals slot: `(totals, stopped)`.
    fn load_totals(&self) -> (Totals, bool) {
        let word = self.totals.get();
        let totals =
            Totals { shares: word & MAX_AMOUNT, ether: (word >> ETHER_OFFSET) & MAX_TOTAL_ETHER };
        (totals, word.bit(STOPPED_BIT))
    }

    /// The totals, or `ContractStopped` while stopped.
    fn running_totals(&self) -> Result<Totals, Error> {
        match self.load_totals() {
            (_, true) => Err(ContractStopped {}.into()),
            (totals, false) => Ok(totals),
        }
    }

    /// Writes new totals (the stopped flag is left as is).
    ///
    /// # Errors
    /// `TotalOverflow` when a total does not fit its field.
    fn store_totals(&mut self, shares: U256, ether: U256) -> Result<(), Error> {
        if shares > MAX_AMOUNT || ether > MAX_TOTAL_ETHER {
            return Err(TotalOverflow {}.into());
        }
        let flags = self.totals.get() >> STOPPED_BIT << STOPPED_BIT;
        self.totals.set(flags | (ether << ETHER_OFFSET) | shares);
        Ok(())
    }

    /// Sets or clears the stopped flag.
    fn store_stopped(&mut self, stopped: bool) {
        let mut word = self.totals.get();
        word.set_bit(STOPPED_BIT, stopped);
        self.totals.set(word);
    }

    /// Emits a log: `topics[0]` is the event's signature hash, `data` its
    /// ABI-encoded (static) fields. One non-generic emitter for every event
    /// keeps the program small (the SDK's typed `log` is instantiated per
    /// event type and takes `&dyn Host`, which keeps every hostio).
    fn emit(&self, topics: &[B256], data: &[B256]) {
        let mut log = Vec::with_capacity(32 * (topics.len() + data.len()));
        for word in topics.iter().chain(data) {
            log.extend_from_slice(word.as_slice());
        }
        self.vm().emit_log(&log, topics.len());
    }

    /// `Transfer(from, to, value)` then `TransferShares(from, to, shares)`.
    fn emit_transfer(&self, from: Address, to: Address, value: U256, shares: U256) {
        let (from, to) = (from.into_word(), to.into_word());
        self.emit(&[Transfer::SIGNATURE_HASH, from, to], &[value.into()]);
        self.emit(&[TransferShares::SIGNATURE_HASH, from, to], &[shares.into()]);
    }

    /// Rejects a zero sender or recipient and transfers to this program.
    fn check_parties(&self, from: Address, to: Address) -> Result<(), Error> {
        if from.is_zero() || to.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if to == self.vm().contract_address() {
            return Err(InvalidRecipient { recipient: to }.into());
        }
        Ok(())
    }

    /// Adds `shares` to `account`'s shares (one slot hash for the read and
    /// the write). The caller keeps the totals in step.
    #[inline(never)]
    fn credit(&mut self, account: Address, shares: U256) {
        let mut slot = self.shares.setter(account);
        // Cannot overflow: every share count is at most S < 2^128.
        let held = slot.get() + shares;
        slot.set(held);
    }

    /// Moves `moved` of `from`'s `from_shares` shares to `to` and emits
    /// `Transfer(from, to, amount)` then `TransferShares(from, to, moved)`.
    /// The caller has checked `moved <= from_shares` and the parties.
    fn move_shares(
        &mut self,
        from: Address,
        to: Address,
        from_shares: U256,
        moved: U256,
        amount: U256,
    ) {
        self.shares.insert(from, from_shares - moved);
        self.credit(to, moved);
        self.emit_transfer(from, to, amount, moved);
    }

    /// Transfers `amount` tokens: `floor(amount * S / P)` shares, or all the
    /// sender's shares when `amount` is its whole non-zero balance.
    /// Returns the shares moved.
    ///
    /// # Errors
    /// `ContractStopped`, `ZeroAddress`, `InvalidRecipient`,
    /// `InsufficientBalance(from, balanceOf(from), amount)`.
    fn transfer_tokens(&mut self, from: Address, to: Address, amount: U256) -> Result<U256, Error> {
        let totals = self.running_totals()?;
        self.check_parties(from, to)?;
        let from_shares = self.shares.get(from);
        // Rounds down: the balance as `balanceOf` reports it.
        let balance = totals.value_of(from_shares);
        if amount > balance {
            return Err(InsufficientBalance { account: from, balance, needed: amount }.into());
        }
        let moved = if amount == balance && !amount.is_zero() {
            // Whole balance: move every share (improvement 1).
            from_shares
        } else {
            // Rounds down (as stETH): never moves more value than `amount`.
            // `amount <= balance < 2^128`, so the conversion is defined.
            totals.to_shares(amount, Rounding::Down).unwrap_or_default()
        };
        self.move_shares(from, to, from_shares, moved, amount);
        Ok(moved)
    }

    /// Moves exactly `shares` shares. Returns their token value, rounded
    /// down.
    ///
    /// # Errors
    /// `ContractStopped`, `ZeroAddress`, `InvalidRecipient`,
    /// `InsufficientBalance(from, sharesOf(from), shares)`.
    fn transfer_exact_shares(
        &mut self,
        from: Address,
        to: Address,
        shares: U256,
    ) -> Result<U256, Error> {
        let totals = self.running_totals()?;
        self.check_parties(from, to)?;
        let from_shares = self.shares.get(from);
        if shares > from_shares {
            return Err(InsufficientBalance {
                account: from,
                balance: from_shares,
                needed: shares,
            }
            .into());
        }
        // Rounds down: the value reported never exceeds the value moved.
        let amount = totals.value_of(shares);
        self.move_shares(from, to, from_shares, shares, amount);
        Ok(amount)
    }

    /// Sets `owner`'s allowance for `spender` and emits `Approval`.
    ///
    /// # Errors
    /// `ZeroAddress` when `owner` or `spender` is zero.
    fn set_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Error> {
        if owner.is_zero() || spender.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.allowances.setter(owner).insert(spender, value);
        self.emit(
            &[Approval::SIGNATURE_HASH, owner.into_word(), spender.into_word()],
            &[value.into()],
        );
        Ok(())
    }

    /// Spends `amount` of `owner`'s allowance for `spender`: an infinite
    /// allowance (`2^256 - 1`) is left as is and emits nothing; otherwise it
    /// decreases and `Approval(owner, spender, remaining)` is emitted.
    ///
    /// # Errors
    /// `InsufficientAllowance(owner, spender, allowance, amount)`.
    fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let allowance = self.allowances.getter(owner).get(spender);
        if allowance == U256::MAX {
            return Ok(());
        }
        if allowance < amount {
            return Err(InsufficientAllowance { owner, spender, allowance, needed: amount }.into());
        }
        self.set_allowance(owner, spender, allowance - amount)
    }

    /// Emits a mint's `Transfer(0, to, floor(shares * P / S))` and
    /// `TransferShares(0, to, shares)` at the post-mint `totals`.
    fn emit_mint(&self, to: Address, shares: U256, totals: Totals) {
        // Rounds down, as `getPooledEthByShares`.
        let value = totals.value_of(shares);
        self.emit_transfer(Address::ZERO, to, value, shares);
    }

    /// Mints shares worth `ether` to `recipient` at the pre-deposit rate
    /// and adds `ether` to the total: `floor(ether * S / P)` shares (1:1 for
    /// the bootstrap mint, which must go to `0x…dEaD`). Returns the shares.
    ///
    /// # Errors
    /// `ContractStopped`, `ZeroAddress`, `InvalidRecipient`, `ZeroAmount`,
    /// `AmountTooLarge` (ether above `2^128 - 1`), `NotInitialized` (a first
    /// mint to anyone else), `ZeroShares`, `TotalOverflow`.
    fn mint(&mut self, recipient: Address, ether: U256) -> Result<U256, Error> {
        let totals = self.running_totals()?;
        self.check_parties(recipient, recipient)?;
        if ether.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        if totals.shares.is_zero() && recipient != INITIAL_TOKEN_HOLDER {
            return Err(NotInitialized {}.into());
        }
        // Rounds down: the depositor never gets more than the ether is worth
        // (1:1 while S == 0).
        let shares =
            totals.to_shares(ether, Rounding::Down).ok_or(AmountTooLarge { amount: ether })?;
        if shares.is_zero() {
            return Err(ZeroShares {}.into());
        }
        // Cannot overflow U256: both terms are below 2^128; the field bounds
        // are checked by `store_totals`.
        let post = Totals { shares: totals.shares + shares, ether: totals.ether + ether };
        self.store_totals(post.shares, post.ether)?;
        self.credit(recipient, shares);
        self.emit_mint(recipient, shares, post);
        Ok(shares)
    }

    /// `Unauthorized(caller)` unless the caller is the program in `slot`.
    fn only(&self, program: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != program || caller.is_zero() {
            return Err(Unauthorized { caller }.into());
        }
        Ok(())
    }

    /// `AccessControlUnauthorizedAccount(caller, role)` unless the caller
    /// holds `role`.
    fn only_role(&self, role: B256) -> Result<(), Error> {
        Ok(self.roles.check_role(role, self.vm().msg_sender())?)
    }

    /// The EIP-712 domain separator for this chain and program.
    fn domain_separator(&self) -> B256 {
        permit::domain_separator(
            keccak256(short_string_bytes(&self.name.get())),
            HASHED_VERSION,
            self.vm().chain_id(),
            self.vm().contract_address(),
        )
    }

    /// Stakes `msg.value` for `msg.sender`: hands the ether to the deposit
    /// pool (`receiveStake`, which checks pause and limit, buffers it and
    /// emits `Submitted`), then mints at the pre-deposit rate.
    ///
    /// The error is raw revert data: the token's own errors encoded, or the
    /// deposit pool's revert data passed through unchanged (so a stake the
    /// pool rejects reverts with the pool's own error).
    fn stake(&mut self, referral: Address) -> Result<U256, Vec<u8>> {
        self.running_totals()?;
        let value = self.vm().msg_value();
        if value.is_zero() {
            return Err(Error::from(ZeroAmount {}).into());
        }
        let pool = self.deposit_pool.get();
        if pool.is_zero() {
            return Err(Error::from(NotInitialized {}).into());
        }
        let sender = self.vm().msg_sender();
        let mut calldata = Vec::with_capacity(68);
        calldata.extend_from_slice(&RECEIVE_STAKE_SELECTOR);
        calldata.extend_from_slice(&[0u8; 12]);
        calldata.extend_from_slice(sender.as_slice());
        calldata.extend_from_slice(&[0u8; 12]);
        calldata.extend_from_slice(referral.as_slice());
        if let Err(err) = self.vm().call(&Call::new().value(value), pool, &calldata) {
            // A call only fails with the callee's revert data (decoding
            // errors come from typed interfaces, unused here).
            let data = match err {
                CallError::Revert(data) => data,
                CallError::AbiDecodingFailed(_) => Vec::new(),
            };
            return Err(data);
        }
        Ok(self.mint(sender, value)?)
    }
}

#[public]
impl RebaseToken {
    /// Sets the name and symbol (the EIP-712 domain name is the token name)
    /// and gives `admin` `DEFAULT_ADMIN_ROLE`. Runs once (the SDK guards it).
    ///
    /// # Errors
    /// `ZeroAddress` when `admin` is zero; `InvalidStringLength` for a name
    /// or symbol that is empty or above 31 bytes.
    ///
    /// # Events
    /// `RoleGranted(DEFAULT_ADMIN_ROLE, admin, msg.sender)`.
    #[constructor]
    pub fn constructor(
        &mut self,
        name: String,
        symbol: String,
        admin: Address,
    ) -> Result<(), Error> {
        if admin.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let name = pack_short_string(&name)?;
        let symbol = pack_short_string(&symbol)?;
        self.name.set(name);
        self.symbol.set(symbol);
        self.roles.grant_role(DEFAULT_ADMIN_ROLE, admin);
        Ok(())
    }

    // ------------------------------------------------------------------
    // ERC-20
    // ------------------------------------------------------------------

    /// The token name.
    pub fn name(&self) -> String {
        unpack_short_string(&self.name.get())
    }

    /// The token symbol.
    pub fn symbol(&self) -> String {
        unpack_short_string(&self.symbol.get())
    }

    /// Always 18.
    pub fn decimals() -> u8 {
        18
    }

    /// Total pooled ether `P` (= the sum of all balances, before rounding).
    pub fn total_supply(&self) -> U256 {
        self.load_totals().0.ether
    }

    /// `floor(sharesOf(account) * P / S)`.
    pub fn balance_of(&self, account: Address) -> U256 {
        let shares = self.shares.get(account);
        // Rounds down.
        self.load_totals().0.value_of(shares)
    }

    /// Moves `amount` tokens to `to` (all the caller's shares when `amount`
    /// is its whole balance; otherwise `floor(amount * S / P)` shares).
    ///
    /// # Errors
    /// `ContractStopped`, `ZeroAddress`, `InvalidRecipient` (this program),
    /// `InsufficientBalance` (more than `balanceOf(caller)`).
    ///
    /// # Events
    /// `Transfer(caller, to, amount)`, `TransferShares(caller, to, shares)`.
    pub fn transfer(&mut self, to: Address, amount: U256) -> Result<bool, Error> {
        let from = self.vm().msg_sender();
        self.transfer_tokens(from, to, amount)?;
        Ok(true)
    }

    /// `transfer` from `from`, spending `amount` of the caller's allowance.
    ///
    /// # Errors
    /// `InsufficientAllowance`, then as `transfer`.
    ///
    /// # Events
    /// `Approval(from, caller, remaining)` unless the allowance is infinite,
    /// `Transfer`, `TransferShares`.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<bool, Error> {
        self.transfer_from_returning_shares(from, to, amount)?;
        Ok(true)
    }

    /// Exactly `transferFrom`, returning the number of shares moved (the
    /// share token's `wrap` mints that many wrapped tokens).
    ///
    /// # Errors
    /// As `transferFrom`.
    pub fn transfer_from_returning_shares(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        self.running_totals()?;
        let spender = self.vm().msg_sender();
        self.spend_allowance(from, spender, amount)?;
        self.transfer_tokens(from, to, amount)
    }

    /// Sets the caller's allowance for `spender` to `amount` tokens. Works
    /// while stopped.
    ///
    /// # Errors
    /// `ZeroAddress` when `spender` is zero.
    ///
    /// # Events
    /// `Approval(caller, spender, amount)`.
    pub fn approve(&mut self, spender: Address, amount: U256) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        self.set_allowance(owner, spender, amount)?;
        Ok(true)
    }

    /// `owner`'s allowance for `spender`, in tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Raises the caller's allowance for `spender` by `added_value`.
    ///
    /// # Errors
    /// `ZeroAddress`; `AmountTooLarge(added_value)` when the sum exceeds
    /// `2^256 - 1`.
    ///
    /// # Events
    /// `Approval(caller, spender, new allowance)`.
    pub fn increase_allowance(
        &mut self,
        spender: Address,
        added_value: U256,
    ) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        let current = self.allowances.getter(owner).get(spender);
        let value =
            current.checked_add(added_value).ok_or(AmountTooLarge { amount: added_value })?;
        self.set_allowance(owner, spender, value)?;
        Ok(true)
    }

    /// Lowers the caller's allowance for `spender` by `subtracted_value`.
    ///
    /// # Errors
    /// `ZeroAddress`; `AllowanceBelowZero(owner, spender, allowance,
    /// subtracted_value)`.
    ///
    /// # Events
    /// `Approval(caller, spender, new allowance)`.
    pub fn decrease_allowance(
        &mut self,
        spender: Address,
        subtracted_value: U256,
    ) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        let allowance = self.allowances.getter(owner).get(spender);
        let value = allowance.checked_sub(subtracted_value).ok_or(AllowanceBelowZero {
            owner,
            spender,
            allowance,
            decrease: subtracted_value,
        })?;
        self.set_allowance(owner, spender, value)?;
        Ok(true)
    }

    // ------------------------------------------------------------------
    // Shares
    // ------------------------------------------------------------------

    /// Total pooled ether `P`.
    pub fn get_total_pooled_ether(&self) -> U256 {
        self.load_totals().0.ether
    }

    /// Total shares `S`.
    pub fn get_total_shares(&self) -> U256 {
        self.load_totals().0.shares
    }

    /// Shares held by `account`.
    pub fn shares_of(&self, account: Address) -> U256 {
        self.shares.get(account)
    }

    /// `floor(eth_amount * S / P)` (1:1 before the bootstrap).
    ///
    /// # Errors
    /// `AmountTooLarge` above `2^128 - 1`.
    pub fn get_shares_by_pooled_eth(&self, eth_amount: U256) -> Result<U256, Error> {
        // Rounds down.
        Ok(self
            .load_totals()
            .0
            .to_shares(eth_amount, Rounding::Down)
            .ok_or(AmountTooLarge { amount: eth_amount })?)
    }

    /// `floor(shares_amount * P / S)` (1:1 before the bootstrap).
    ///
    /// # Errors
    /// `AmountTooLarge` above `2^128 - 1`.
    pub fn get_pooled_eth_by_shares(&self, shares_amount: U256) -> Result<U256, Error> {
        // Rounds down.
        Ok(self
            .load_totals()
            .0
            .to_ether(shares_amount, Rounding::Down)
            .ok_or(AmountTooLarge { amount: shares_amount })?)
    }

    /// `ceil(shares_amount * P / S)` (Lido V3): the ether a caller must
    /// supply for `shares_amount` shares.
    ///
    /// # Errors
    /// `AmountTooLarge` above `2^128 - 1`.
    pub fn get_pooled_eth_by_shares_round_up(&self, shares_amount: U256) -> Result<U256, Error> {
        // Rounds up.
        Ok(self
            .load_totals()
            .0
            .to_ether(shares_amount, Rounding::Up)
            .ok_or(AmountTooLarge { amount: shares_amount })?)
    }

    /// Moves exactly `shares_amount` of the caller's shares to `recipient`;
    /// returns their value `floor(shares_amount * P / S)`.
    ///
    /// # Errors
    /// `ContractStopped`, `ZeroAddress`, `InvalidRecipient`,
    /// `InsufficientBalance(caller, sharesOf(caller), shares_amount)`.
    ///
    /// # Events
    /// `Transfer(caller, recipient, value)`, `TransferShares(caller,
    /// recipient, shares_amount)`.
    pub fn transfer_shares(
        &mut self,
        recipient: Address,
        shares_amount: U256,
    ) -> Result<U256, Error> {
        let from = self.vm().msg_sender();
        self.transfer_exact_shares(from, recipient, shares_amount)
    }

    /// Moves exactly `shares_amount` of `sender`'s shares, spending
    /// `ceil(shares_amount * P / S)` of the caller's allowance (improvement
    /// 2: never zero for a non-zero share amount). Returns
    /// `floor(shares_amount * P / S)`.
    ///
    /// # Errors
    /// `ContractStopped`, `InsufficientAllowance`, then as `transferShares`.
    ///
    /// # Events
    /// `Approval` (finite allowance), `Transfer`, `TransferShares`.
    pub fn transfer_shares_from(
        &mut self,
        sender: Address,
        recipient: Address,
        shares_amount: U256,
    ) -> Result<U256, Error> {
        let totals = self.running_totals()?;
        let Some(needed) = totals.to_ether(shares_amount, Rounding::Up) else {
            // More shares than can exist: more than any balance.
            let balance = self.shares.get(sender);
            return Err(
                InsufficientBalance { account: sender, balance, needed: shares_amount }.into()
            );
        };
        let spender = self.vm().msg_sender();
        self.spend_allowance(sender, spender, needed)?;
        self.transfer_exact_shares(sender, recipient, shares_amount)
    }

    // ------------------------------------------------------------------
    // Permit (EIP-2612, EIP-712, ERC-5267, ERC-1271)
    // ------------------------------------------------------------------

    /// Sets `owner`'s allowance for `spender` to `value` with `owner`'s
    /// signature (ERC-1271 for contract owners). Works while stopped.
    ///
    /// # Errors
    /// `PermitExpired(deadline)` past the deadline; `InvalidSignature` for a
    /// wrong, replayed, high-s or other-chain signature; `ZeroAddress` for a
    /// zero spender.
    ///
    /// # Events
    /// `Approval(owner, spender, value)`.
    #[allow(clippy::too_many_arguments)]
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        let separator = self.domain_separator();
        self.nonces.use_permit(separator, owner, spender, value, deadline, v, r, s)?;
        self.set_allowance(owner, spender, value)
    }

    /// The nonce `owner`'s next permit must sign.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.nonce(owner)
    }

    /// The EIP-712 domain separator (name, version "2", chain id, this).
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator_abi(&self) -> B256 {
        self.domain_separator()
    }

    /// ERC-5267 `eip712Domain() returns (bytes1 fields, string name, string
    /// version, uint256 chainId, address verifyingContract, bytes32 salt,
    /// uint256[] extensions)` = `(0x0f, name, "2", chainId, this, 0, [])`.
    ///
    /// The return data is that 7-tuple's standard ABI encoding, laid out by
    /// hand as twelve words: stylus-sdk 0.9 encodes a returned Rust tuple
    /// holding dynamic types as one nested tuple (with an extra leading
    /// offset word), which Solidity callers cannot decode. A static
    /// `bytes32[12]` is encoded inline, word for word. (So the SDK's exported
    /// ABI shows `bytes32[12]`; the Solidity interface is the 7-tuple.) The
    /// layout relies on the name being 1..=31 bytes (the constructor
    /// enforces it): head of 7 words, then name (length, one word), version
    /// (length, one word), extensions (length 0).
    #[selector(name = "eip712Domain")]
    pub fn eip712_domain(&self) -> [B256; 12] {
        let name = self.name.get();
        let mut words = [B256::ZERO; 12];
        words[0][0] = permit::DOMAIN_FIELDS;
        words[1] = B256::from(U256::from(7 * 32)); // offset of name
        words[2] = B256::from(U256::from(9 * 32)); // offset of version
        words[3] = B256::from(U256::from(self.vm().chain_id()));
        words[4] = self.vm().contract_address().into_word();
        // words[5]: salt = 0.
        words[6] = B256::from(U256::from(11 * 32)); // offset of extensions
        let name_bytes = short_string_bytes(&name);
        words[7] = B256::from(U256::from(name_bytes.len()));
        words[8][..name_bytes.len()].copy_from_slice(name_bytes);
        words[9] = B256::from(U256::from(1)); // version "2"
        words[10][0] = b'2';
        // words[11]: extensions.length = 0.
        words
    }

    /// The contract that defines the EIP-712 domain: this program.
    #[selector(name = "getEIP712StETH")]
    pub fn get_eip712_steth(&self) -> Address {
        self.vm().contract_address()
    }

    // ------------------------------------------------------------------
    // Stop / resume and roles
    // ------------------------------------------------------------------

    /// Stops every share movement.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `PAUSE_ROLE`;
    /// `ContractStopped` when already stopped.
    ///
    /// # Events
    /// `Stopped()`.
    pub fn stop(&mut self) -> Result<(), Error> {
        self.only_role(PAUSE_ROLE)?;
        self.running_totals()?;
        self.store_stopped(true);
        self.emit(&[Stopped::SIGNATURE_HASH], &[]);
        Ok(())
    }

    /// Resumes share movements.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `RESUME_ROLE`;
    /// `ContractNotStopped` when running.
    ///
    /// # Events
    /// `Resumed()`.
    pub fn resume(&mut self) -> Result<(), Error> {
        self.only_role(RESUME_ROLE)?;
        if !self.load_totals().1 {
            return Err(ContractNotStopped {}.into());
        }
        self.store_stopped(false);
        self.emit(&[Resumed::SIGNATURE_HASH], &[]);
        Ok(())
    }

    /// Whether share movements are stopped.
    pub fn is_stopped(&self) -> bool {
        self.load_totals().1
    }

    /// `keccak256("PAUSE_ROLE")`.
    #[selector(name = "PAUSE_ROLE")]
    pub fn pause_role() -> B256 {
        PAUSE_ROLE
    }

    /// `keccak256("RESUME_ROLE")`.
    #[selector(name = "RESUME_ROLE")]
    pub fn resume_role() -> B256 {
        RESUME_ROLE
    }

    /// `0x00…00`: administers every role.
    #[selector(name = "DEFAULT_ADMIN_ROLE")]
    pub fn default_admin_role() -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.roles.has_role(role, account)
    }

    /// The admin of every role: `DEFAULT_ADMIN_ROLE`.
    pub fn get_role_admin(role: B256) -> B256 {
        let _ = role;
        DEFAULT_ADMIN_ROLE
    }

    /// Gives `role` to `account`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `DEFAULT_ADMIN_ROLE`.
    ///
    /// # Events
    /// `RoleGranted(role, account, caller)` if newly granted.
    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        self.roles.grant_role(role, account);
        Ok(())
    }

    /// Takes `role` from `account`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `DEFAULT_ADMIN_ROLE`.
    ///
    /// # Events
    /// `RoleRevoked(role, account, caller)` if it was held.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        self.roles.revoke_role(role, account);
        Ok(())
    }

    /// The caller gives up `role`; `caller_confirmation` must be the caller.
    ///
    /// # Errors
    /// `AccessControlBadConfirmation` otherwise.
    ///
    /// # Events
    /// `RoleRevoked(role, caller, caller)` if it was held.
    pub fn renounce_role(&mut self, role: B256, caller_confirmation: Address) -> Result<(), Error> {
        if caller_confirmation != self.vm().msg_sender() {
            return Err(AccessControlBadConfirmation {}.into());
        }
        self.roles.revoke_role(role, caller_confirmation);
        Ok(())
    }

    // ------------------------------------------------------------------
    // Protocol programs (privileged entry points)
    // ------------------------------------------------------------------

    /// Sets the privileged programs.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `DEFAULT_ADMIN_ROLE`;
    /// `ZeroAddress` for any zero address.
    ///
    /// # Events
    /// `ProtocolContractsSet(depositPool, oracle, withdrawalQueue)`.
    pub fn set_protocol_contracts(
        &mut self,
        deposit_pool: Address,
        oracle: Address,
        withdrawal_queue: Address,
    ) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        if deposit_pool.is_zero() || oracle.is_zero() || withdrawal_queue.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.deposit_pool.set(deposit_pool);
        self.oracle.set(oracle);
        self.withdrawal_queue.set(withdrawal_queue);
        self.emit(
            &[ProtocolContractsSet::SIGNATURE_HASH],
            &[deposit_pool.into_word(), oracle.into_word(), withdrawal_queue.into_word()],
        );
        Ok(())
    }

    /// The deposit pool (the only `mintShares` caller).
    pub fn get_deposit_pool(&self) -> Address {
        self.deposit_pool.get()
    }

    /// The oracle (the only `rebase` caller).
    pub fn get_oracle(&self) -> Address {
        self.oracle.get()
    }

    /// The withdrawal queue (whose shares `rebase` burns).
    pub fn get_withdrawal_queue(&self) -> Address {
        self.withdrawal_queue.get()
    }

    /// Deposit pool only: mints `floor(ether_amount * S / P)` shares to
    /// `recipient` at the pre-deposit rate and adds `ether_amount` to `P`.
    /// While `S == 0` only the 1:1 bootstrap mint to `0x…dEaD` is accepted.
    ///
    /// # Errors
    /// `Unauthorized`, `ContractStopped`, `ZeroAddress`, `InvalidRecipient`,
    /// `ZeroAmount`, `AmountTooLarge`, `NotInitialized`, `ZeroShares`,
    /// `TotalOverflow`.
    ///
    /// # Events
    /// `Transfer(0, recipient, getPooledEthByShares(shares))`,
    /// `TransferShares(0, recipient, shares)`.
    pub fn mint_shares(&mut self, recipient: Address, ether_amount: U256) -> Result<U256, Error> {
        self.only(self.deposit_pool.get())?;
        self.mint(recipient, ether_amount)
    }

    /// Oracle only: applies a report. Burns `shares_to_burn` of the
    /// withdrawal queue's shares, mints the fee shares to `treasury` and
    /// `operator_recipient`, sets `P = post_total_pooled_ether`. Returns
    /// the new total shares.
    ///
    /// `SharesBurnt`'s `preRebaseTokenAmount` is the burnt shares' value at
    /// the pre-report rate and `postRebaseTokenAmount` at the post-report
    /// rate (both rounded down).
    ///
    /// # Errors
    /// `Unauthorized`, `ContractStopped`, `NotInitialized` (before the
    /// bootstrap), `ZeroAmount` (`post_total_pooled_ether == 0`),
    /// `InsufficientBalance` (burn above the queue's shares), `ZeroAddress` /
    /// `InvalidRecipient` (fee recipient with non-zero shares),
    /// `TotalOverflow`, `ZeroShares` (the report would leave no shares).
    ///
    /// # Events
    /// `SharesBurnt(queue, pre, post, shares_to_burn)` if burning; for each
    /// non-zero fee `Transfer(0, to, value)` + `TransferShares(0, to,
    /// shares)`; then `TokenRebased(report_timestamp, time_elapsed, preS,
    /// preP, postS, postP, treasury_shares + operator_shares)`.
    #[allow(clippy::too_many_arguments)]
    pub fn rebase(
        &mut self,
        report_timestamp: U256,
        time_elapsed: U256,
        post_total_pooled_ether: U256,
        shares_to_burn: U256,
        treasury: Address,
        treasury_shares: U256,
        operator_recipient: Address,
        operator_shares: U256,
    ) -> Result<U256, Error> {
        self.only(self.oracle.get())?;
        let pre = self.running_totals()?;
        if pre.shares.is_zero() {
            return Err(NotInitialized {}.into());
        }
        if post_total_pooled_ether.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        let mut total_shares = pre.shares;
        let queue = self.withdrawal_queue.get();
        if !shares_to_burn.is_zero() {
            let held = self.shares.get(queue);
            if shares_to_burn > held {
                return Err(InsufficientBalance {
                    account: queue,
                    balance: held,
                    needed: shares_to_burn,
                }
                .into());
            }
            self.shares.insert(queue, held - shares_to_burn);
            // Cannot underflow: held <= total_shares.
            total_shares -= shares_to_burn;
        }
        let fees = [(treasury, treasury_shares), (operator_recipient, operator_shares)];
        for (to, shares) in fees {
            if shares.is_zero() {
                continue;
            }
            self.check_parties(to, to)?;
            if shares > MAX_AMOUNT - total_shares {
                return Err(TotalOverflow {}.into());
            }
            total_shares += shares;
            self.credit(to, shares);
        }
        if total_shares.is_zero() {
            return Err(ZeroShares {}.into());
        }
        self.store_totals(total_shares, post_total_pooled_ether)?;
        let post = Totals { shares: total_shares, ether: post_total_pooled_ether };
        if !shares_to_burn.is_zero() {
            // Both round down (`getPooledEthByShares` before and after).
            let pre_amount = pre.value_of(shares_to_burn);
            let post_amount = post.value_of(shares_to_burn);
            self.emit(
                &[SharesBurnt::SIGNATURE_HASH, queue.into_word()],
                &[pre_amount.into(), post_amount.into(), shares_to_burn.into()],
            );
        }
        for (to, shares) in fees {
            if !shares.is_zero() {
                self.emit_mint(to, shares, post);
            }
        }
        // Cannot overflow: both fee amounts are at most 2^128 - 1 (checked above).
        let fees_minted = treasury_shares + operator_shares;
        self.emit(
            &[TokenRebased::SIGNATURE_HASH, report_timestamp.into()],
            &[
                time_elapsed.into(),
                pre.shares.into(),
                pre.ether.into(),
                total_shares.into(),
                post_total_pooled_ether.into(),
                fees_minted.into(),
            ],
        );
        Ok(total_shares)
    }

    // ------------------------------------------------------------------
    // Staking through stETH's ABI
    // ------------------------------------------------------------------

    /// Stakes `msg.value`: the deposit pool's `receiveStake{value}(caller,
    /// referral)` (pause, limit, buffer, `Submitted`), then a mint at the
    /// pre-deposit rate. Returns the shares minted.
    ///
    /// # Errors
    /// `ContractStopped`, `ZeroAmount`, `NotInitialized` (no deposit pool,
    /// or before the bootstrap), the deposit pool's own revert, then as
    /// `mintShares`.
    ///
    /// # Events
    /// (`Submitted` from the pool), `Transfer(0, caller, value)`,
    /// `TransferShares(0, caller, shares)`.
    #[payable]
    pub fn submit(&mut self, referral: Address) -> Result<U256, Vec<u8>> {
        self.stake(referral)
    }

    /// Plain ether: `submit(address(0))`. (Calldata matching no function
    /// reverts: the program has no fallback.)
    #[receive]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        self.stake(Address::ZERO)?;
        Ok(())
    }
}
