//! # Share token: the wstETH-compatible wrapped, non-rebasing ERC-20
//!
//! One share-token unit is one rebase-token share. The share token holds the
//! rebase-token shares that back its supply; its balances never change on a
//! rebase, only the ether value of a unit does (`stEthPerToken`).
//!
//! Worked example, rebase token at `P = 110` ether over `S = 100` shares (rate
//! 1.1): `wrap(11)` asks the rebase token to move `floor(11 * 100 / 110) = 10`
//! shares from the caller to this program (spending 11 of the caller's stETH
//! allowance to it) and mints exactly those 10 units. After a +10 % rebase
//! (`P = 121`), `unwrap(10)` burns 10 units, moves exactly 10 shares back and
//! returns their value `floor(10 * 121 / 100) = 12`.
//!
//! Immutable, no admin (as wstETH): the rebase token and the deposit pool are
//! fixed at construction.
//!
//! # Invariants
//! 1. `totalSupply() == Σ balanceOf(a)`; every mint and burn moves both.
//! 2. `totalSupply() <= rebaseToken.sharesOf(this)`: wrap mints exactly the
//!    shares the rebase token reports it moved in, `receive()` exactly the
//!    shares the deposit pool reports it minted to this program, unwrap burns
//!    exactly the shares it moves out. Equality holds unless someone sends
//!    shares to this program directly (with `transfer`/`transferShares` on the
//!    rebase token): such shares back no unit and can never be withdrawn.
//! 3. `totalSupply() < 2^96` (it shares one slot with the rebase-token address;
//!    a mint beyond reverts `TotalOverflow`).
//! 4. The nonce of an owner only ever increases, by one per accepted permit.
//! 5. No call ever re-enters this program (wrap/unwrap call only the rebase
//!    token, `receive` only the deposit pool, neither calls back).
//!
//! # Storage layout (declaration order is the layout)
//! ```text
//! SLOT 0: bits   0..160  rebase token address   (read by wrap, unwrap, views)
//!         bits 160..256  total supply (96 bits) (written by wrap, unwrap, receive)
//! SLOT 1: balances        mapping(address => uint256)
//! SLOT 2: allowances      mapping(address => mapping(address => uint256))
//! SLOT 3: nonces          mapping(address => uint256)
//! SLOT 4: deposit pool    address
//! SLOT 5: name hash       bytes32, keccak256(name) for the EIP-712 domain
//! SLOT 6: name            string
//! SLOT 7: symbol          string
//! ```
//! So `wrap` touches slot 0 and one balance, `unwrap` the same, a transfer two
//! balances.
//!
//! # Deviations from Lido's wstETH (all deliberate)
//! - `wrap` pulls the shares first (`transferFromReturningShares`) and mints
//!   what was actually moved, so the log order is the rebase token's
//!   `Approval` (finite allowance), `Transfer`, `TransferShares` first, then
//!   this token's `Transfer(0, caller, shares)` (wstETH mints first). A wrap
//!   of the caller's whole stETH balance moves all of their shares (no dust
//!   left behind). As wstETH, a wrap worth no whole share mints 0 and
//!   returns 0.
//! - `unwrap` moves exactly the burnt number of shares (`transferShares`), so
//!   no dust shares accumulate here (wstETH's `transfer(getPooledEthByShares)`
//!   could move one share less than it burnt).
//! - An allowance of `2^256 - 1` is never decreased by `transferFrom` and then
//!   no `Approval` is logged (modern OpenZeppelin); wstETH's OZ 3.4 always
//!   decrements. A finite allowance is decremented and `Approval(owner,
//!   spender, remaining)` logged, as wstETH.
//! - ERC-5267 `eip712Domain()` and ERC-1271 contract-wallet permits are
//!   additions (wstETH has neither).
//! - Errors are named custom errors instead of revert strings; a revert of
//!   the rebase token or deposit pool is passed through unchanged (as a
//!   Solidity high-level call does). `transferFrom` checks the allowance
//!   before the balance (modern OpenZeppelin; OZ 3.4 checked the balance
//!   first), so with both short the error is `InsufficientAllowance`.
//!   `increaseAllowance` past `2^256 - 1` reverts `AllowanceOverflow` (OZ
//!   3.4: SafeMath's string).
//! - `eip712Domain()` is answered by a non-payable fallback that answers
//!   nothing else (see [`ShareToken::fallback`] for why): other unknown
//!   calldata still reverts, with or without value, as with no fallback.
//!
//! # Rounding
//! This program divides nothing itself: `wrap` mints the shares the rebase
//! token moved (`floor(amount * S / P)`, rounded down in the pool's favour,
//! or all the caller's shares for a whole-balance amount), `unwrap` returns
//! the rebase token's `floor(w * P / S)`, and the views are the rebase
//! token's conversions (both rounded down, as wstETH).
//!
//! WARNING for integrators: shares sent to this program directly are lost to
//! the sender (they back no share-token unit). Use `wrap`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]
// The SDK's `#[entrypoint]` generates undocumented items (`user_entrypoint`,
// `print_from_args`) in every build but the test build; the test build
// (`cargo test`, `cargo clippy --all-targets`) still checks every item of ours.
#![cfg_attr(not(test), allow(missing_docs))]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{b256, Address, FixedBytes, B256, U256};
use alloy_sol_types::{SolEvent, SolValue};
use staking_common::{
    errors::{
        AllowanceBelowZero, ExternalCallFailed, InsufficientAllowance, InsufficientBalance,
        InvalidSignature, PermitExpired, TotalOverflow, ZeroAddress, ZeroAmount,
    },
    events::{Approval, Transfer},
    interfaces::{IDepositPool, IRebaseToken},
    permit::{self, Nonces, PermitError},
    text::StorageText,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU256},
};

pub use sol::*;

/// Errors specific to this program.
mod sol {
    #![allow(missing_docs)]
    use alloy_sol_types::sol;

    sol! {
        /// `increaseAllowance` would take the allowance above `2^256 - 1`.
        #[derive(Debug, PartialEq, Eq)]
        error AllowanceOverflow(address owner, address spender, uint256 allowance, uint256 increase);
    }
}

/// Every error this program raises itself. Reverts of the programs it calls
/// (rebase token, deposit pool) are passed through unchanged instead, which
/// is why `wrap`, `unwrap`, `receive` and the conversion views return raw
/// revert data (`Vec<u8>`): this enum encodes into it.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// `wrap(0)`, `unwrap(0)` or a `receive()` without value.
    ZeroAmount(ZeroAmount),
    /// A zero address where an account is needed.
    ZeroAddress(ZeroAddress),
    /// A mint would take the total supply to `2^96` or beyond.
    TotalOverflow(TotalOverflow),
    /// A transfer or burn of more than the balance.
    InsufficientBalance(InsufficientBalance),
    /// A `transferFrom` of more than the allowance.
    InsufficientAllowance(InsufficientAllowance),
    /// `decreaseAllowance` below zero.
    AllowanceBelowZero(AllowanceBelowZero),
    /// `increaseAllowance` above `2^256 - 1`.
    AllowanceOverflow(AllowanceOverflow),
    /// A permit after its deadline.
    PermitExpired(PermitExpired),
    /// A permit whose signature the owner did not make (or, for a contract
    /// owner, does not accept through ERC-1271).
    InvalidSignature(InvalidSignature),
    /// A call to the rebase token or deposit pool answered with data that does
    /// not decode as its declared return value.
    ExternalCallFailed(ExternalCallFailed),
}

impl From<PermitError> for Error {
    fn from(error: PermitError) -> Self {
        match error {
            PermitError::PermitExpired(e) => Error::PermitExpired(e),
            PermitError::InvalidSignature(e) => Error::InvalidSignature(e),
        }
    }
}

/// `keccak256("1")`: the EIP-712 version hash (wstETH's domain version "1").
pub const HASHED_VERSION: B256 =
    b256!("c89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc6");

/// The EIP-712 domain version.
pub const VERSION: &str = "1";

/// `bytes4(keccak256("eip712Domain()"))` (ERC-5267).
pub const EIP712_DOMAIN_SELECTOR: [u8; 4] = stylus_sdk::function_selector!("eip712Domain");

/// Bits of slot 0 that hold the rebase-token address.
const ADDRESS_BITS: usize = 160;

/// The largest total supply slot 0 can hold: `2^96 - 1`.
pub const MAX_TOTAL_SUPPLY: U256 = U256::from_limbs([u64::MAX, u32::MAX as u64, 0, 0]);

/// One token (10^18), the unit of `stEthPerToken` and `tokensPerStEth`.
const ONE_TOKEN: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// Turns a failed call to `target` into revert data: the callee's own revert
/// data unchanged, or `ExternalCallFailed(target)` when its answer did not
/// decode.
#[allow(deprecated)] // sol_interface! of stylus-sdk 0.9 returns the deprecated error type.
fn bubble(target: Address) -> impl FnOnce(stylus_sdk::call::Error) -> Vec<u8> {
    move |error| match error {
        stylus_sdk::call::Error::Revert(data) => data,
        stylus_sdk::call::Error::AbiDecodingFailed(_) => {
            Error::from(ExternalCallFailed { target }).into()
        }
    }
}

/// The share token's state. See the module documentation for the layout.
#[storage]
#[entrypoint]
pub struct ShareToken {
    /// SLOT 0: rebase-token address (bits 0..160) and total supply (bits
    /// 160..256), read together by wrap and unwrap.
    token_and_supply: StorageU256,
    /// SLOT 1: units held by each account.
    balances: StorageMap<Address, StorageU256>,
    /// SLOT 2: `allowances[owner][spender]`, in units.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// SLOT 3: the next permit nonce of each owner (the shared EIP-2612
    /// component: one mapping).
    nonces: Nonces,
    /// SLOT 4: the deposit pool `receive()` stakes through.
    deposit_pool: StorageAddress,
    /// SLOT 5: `keccak256(name)`, the EIP-712 domain name hash.
    hashed_name: StorageB256,
    /// SLOT 6: the ERC-20 name.
    name: StorageText,
    /// SLOT 7: the ERC-20 symbol.
    symbol: StorageText,
}

#[public]
impl ShareToken {
    /// Sets the name, symbol, rebase token and deposit pool, once (the SDK's
    /// constructor guard rejects a second call). The EIP-712 domain name is
    /// `name`, its version `"1"`.
    ///
    /// # Errors
    /// `ZeroAddress` when `rebase_token` or `deposit_pool` is zero.
    #[constructor]
    pub fn constructor(
        &mut self,
        name: String,
        symbol: String,
        rebase_token: Address,
        deposit_pool: Address,
    ) -> Result<(), Error> {
        if rebase_token.is_zero() || deposit_pool.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.token_and_supply.set(U256::from_be_slice(rebase_token.as_slice()));
        self.deposit_pool.set(deposit_pool);
        self.hashed_name.set(alloy_primitives::keccak256(name.as_bytes()));
        self.name.set_str(&name);
        self.symbol.set_str(&symbol);
        Ok(())
    }

    // ----------------------------------------------------------------- ERC-20

    /// The token name (set at construction).
    pub fn name(&self) -> String {
        self.name.get_string()
    }

    /// The token symbol (set at construction).
    pub fn symbol(&self) -> String {
        self.symbol.get_string()
    }

    /// Always 18, as wstETH.
    pub fn decimals(&self) -> u8 {
        18
    }

    /// Units in existence: the rebase-token shares wrapped here.
    pub fn total_supply(&self) -> U256 {
        self.token_and_supply.get() >> ADDRESS_BITS
    }

    /// Units held by `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// Units `spender` may still move from `owner`'s balance.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Moves `amount` units from the caller to `to`.
    ///
    /// # Errors
    /// `ZeroAddress` when `to` is zero; `InsufficientBalance` when the caller
    /// holds less than `amount`.
    ///
    /// # Events
    /// `Transfer(caller, to, amount)`.
    pub fn transfer(&mut self, to: Address, amount: U256) -> Result<bool, Error> {
        let from = self.vm().msg_sender();
        self._transfer(from, to, amount)?;
        Ok(true)
    }

    /// Moves `amount` units from `from` to `to`, spending the caller's
    /// allowance (an allowance of `2^256 - 1` is not spent).
    ///
    /// # Errors
    /// `InsufficientAllowance` when the allowance is below `amount`;
    /// `ZeroAddress` when `from` or `to` is zero; `InsufficientBalance` when
    /// `from` holds less than `amount`.
    ///
    /// # Events
    /// `Approval(from, caller, remaining)` when a finite allowance is spent,
    /// then `Transfer(from, to, amount)`.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<bool, Error> {
        let spender = self.vm().msg_sender();
        self._spend_allowance(from, spender, amount)?;
        self._transfer(from, to, amount)?;
        Ok(true)
    }

    /// Lets `spender` move up to `amount` of the caller's units.
    ///
    /// # Errors
    /// `ZeroAddress` when `spender` is zero.
    ///
    /// # Events
    /// `Approval(caller, spender, amount)`.
    pub fn approve(&mut self, spender: Address, amount: U256) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        self._approve(owner, spender, amount)?;
        Ok(true)
    }

    /// Raises the caller's allowance to `spender` by `added_value`.
    ///
    /// # Errors
    /// `ZeroAddress` when `spender` is zero; `AllowanceOverflow` when the sum
    /// exceeds `2^256 - 1`.
    ///
    /// # Events
    /// `Approval(caller, spender, new allowance)`.
    pub fn increase_allowance(
        &mut self,
        spender: Address,
        added_value: U256,
    ) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        let current = self.allowance(owner, spender);
        let Some(raised) = current.checked_add(added_value) else {
            return Err(AllowanceOverflow {
                owner,
                spender,
                allowance: current,
                increase: added_value,
            }
            .into());
        };
        self._approve(owner, spender, raised)?;
        Ok(true)
    }

    /// Lowers the caller's allowance to `spender` by `subtracted_value`.
    ///
    /// # Errors
    /// `AllowanceBelowZero` when the allowance is below `subtracted_value`;
    /// `ZeroAddress` when `spender` is zero.
    ///
    /// # Events
    /// `Approval(caller, spender, new allowance)`.
    pub fn decrease_allowance(
        &mut self,
        spender: Address,
        subtracted_value: U256,
    ) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        let current = self.allowance(owner, spender);
        let Some(lowered) = current.checked_sub(subtracted_value) else {
            return Err(AllowanceBelowZero {
                owner,
                spender,
                allowance: current,
                decrease: subtracted_value,
            }
            .into());
        };
        self._approve(owner, spender, lowered)?;
        Ok(true)
    }

    // ----------------------------------------------------- EIP-2612 / ERC-5267

    /// Sets `owner`'s allowance to `spender` to `value` by `owner`'s EIP-712
    /// signature of `Permit(owner, spender, value, nonces(owner), deadline)`.
    /// A contract owner is asked through ERC-1271 `isValidSignature(digest,
    /// r ‖ s ‖ v)`; any other owner must have made an ECDSA signature with low
    /// `s` and `v ∈ {27, 28}`.
    ///
    /// # Errors
    /// `PermitExpired` after `deadline`; `InvalidSignature` when the signature
    /// is not the owner's (this includes a replay: the nonce has moved, so the
    /// digest differs); `ZeroAddress` when `spender` is zero.
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
        let domain_separator = self.domain_separator();
        self.nonces.use_permit(domain_separator, owner, spender, value, deadline, v, r, s)?;
        self._approve(owner, spender, value)
    }

    /// The next permit nonce of `owner`.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.nonce(owner)
    }

    /// The EIP-712 domain separator: name, version "1", the current chain id
    /// and this program's address.
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator(&self) -> B256 {
        permit::domain_separator(
            self.hashed_name.get(),
            HASHED_VERSION,
            self.vm().chain_id(),
            self.vm().contract_address(),
        )
    }

    /// ERC-5267 `eip712Domain()`, and nothing else: any other calldata that
    /// matches no function reverts with empty data (as a program without a
    /// fallback), and value sent with it is refused by the SDK first (this
    /// function is not payable).
    ///
    /// `eip712Domain()` is answered here rather than by a `#[public]` method
    /// because stylus-sdk 0.9 encodes a tuple return value with dynamic
    /// members as one tuple (a leading offset word), which is not Solidity's
    /// encoding of several return values; here the answer is encoded as
    /// Solidity's `abi.encode(fields, name, version, chainId,
    /// verifyingContract, salt, extensions)`. The ABI pin tests decode it
    /// with ERC-5267's signature.
    ///
    /// # Errors
    /// Empty revert data for any calldata but `eip712Domain()`'s.
    #[fallback]
    pub fn fallback(&self, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        if calldata.starts_with(&EIP712_DOMAIN_SELECTOR) {
            return Ok(self.eip712_domain().abi_encode_params());
        }
        Err(Vec::new())
    }

    // ------------------------------------------------------- wrap and unwrap

    /// Wraps `st_eth_amount` rebase tokens: the rebase token moves
    /// `floor(amount * S / P)` of the caller's shares here (all of them when
    /// `amount` is the caller's whole balance), spending the caller's rebase
    /// token allowance to this program, and exactly the shares it reports
    /// moved are minted to the caller. Returns them.
    ///
    /// # Errors
    /// `ZeroAmount` for zero; `TotalOverflow` when the supply would reach
    /// `2^96`; any revert of the rebase token unchanged (allowance, balance,
    /// stopped token).
    ///
    /// # Events
    /// The rebase token's transfer events, then `Transfer(0, caller, shares)`.
    pub fn wrap(&mut self, st_eth_amount: U256) -> Result<U256, Vec<u8>> {
        if st_eth_amount.is_zero() {
            return Err(Error::from(ZeroAmount {}).into());
        }
        let caller = self.vm().msg_sender();
        let this = self.vm().contract_address();
        let token = self.rebase_token();
        // Rounding: down (the rebase token's transfer by amount), in favour of
        // the pool; the caller never gets more units than shares moved.
        let shares = IRebaseToken::new(token)
            .transfer_from_returning_shares(&mut *self, caller, this, st_eth_amount)
            .map_err(bubble(token))?;
        self._mint(caller, shares)?;
        Ok(shares)
    }

    /// Unwraps `wst_eth_amount` units: burns them from the caller and has the
    /// rebase token move exactly that many shares to the caller. Returns the
    /// rebase-token amount they are worth, `floor(w * P / S)` (as wstETH).
    ///
    /// # Errors
    /// `ZeroAmount` for zero; `InsufficientBalance` when the caller holds
    /// fewer units; any revert of the rebase token unchanged.
    ///
    /// # Events
    /// `Transfer(caller, 0, w)`, then the rebase token's transfer events.
    pub fn unwrap(&mut self, wst_eth_amount: U256) -> Result<U256, Vec<u8>> {
        if wst_eth_amount.is_zero() {
            return Err(Error::from(ZeroAmount {}).into());
        }
        let caller = self.vm().msg_sender();
        let token = self._burn(caller, wst_eth_amount)?;
        // Rounding: the rebase token values the shares down
        // (`getPooledEthByShares`); the shares themselves move exactly.
        IRebaseToken::new(token)
            .transfer_shares(&mut *self, caller, wst_eth_amount)
            .map_err(bubble(token))
    }

    /// Stakes `msg.value` through the deposit pool (`submit(address(0))`) and
    /// mints the shares it reports minted to this program to the sender.
    ///
    /// # Errors
    /// `ZeroAmount` without value; `TotalOverflow` when the supply would reach
    /// `2^96`; any revert of the deposit pool unchanged (paused staking, stake
    /// limit).
    ///
    /// # Events
    /// The deposit pool's and rebase token's events, then
    /// `Transfer(0, sender, shares)`.
    #[receive]
    #[payable]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        let value = self.vm().msg_value();
        if value.is_zero() {
            return Err(Error::from(ZeroAmount {}).into());
        }
        let sender = self.vm().msg_sender();
        let pool = self.deposit_pool.get();
        #[allow(deprecated)] // the SDK 0.9 way to attach value to a sol_interface call
        let context = stylus_sdk::call::Call::new().value(value);
        let shares =
            IDepositPool::new(pool).submit(context, Address::ZERO).map_err(bubble(pool))?;
        self._mint(sender, shares)?;
        Ok(())
    }

    // ----------------------------------------------------------------- views

    /// The rebase token whose shares back this token.
    #[selector(name = "stETH")]
    pub fn st_eth(&self) -> Address {
        self.rebase_token()
    }

    /// Units `wrap(st_eth_amount)` would mint now: the rebase token's
    /// `getSharesByPooledEth`, rounded down.
    ///
    /// # Errors
    /// Any revert of the rebase token unchanged (amount above `2^128 - 1`).
    #[selector(name = "getWstETHByStETH")]
    pub fn get_wst_eth_by_st_eth(&self, st_eth_amount: U256) -> Result<U256, Vec<u8>> {
        let token = self.rebase_token();
        IRebaseToken::new(token)
            .get_shares_by_pooled_eth(self, st_eth_amount)
            .map_err(bubble(token))
    }

    /// Rebase tokens `unwrap(wst_eth_amount)` would return now: the rebase
    /// token's `getPooledEthByShares`, rounded down.
    ///
    /// # Errors
    /// Any revert of the rebase token unchanged (amount above `2^128 - 1`).
    #[selector(name = "getStETHByWstETH")]
    pub fn get_st_eth_by_wst_eth(&self, wst_eth_amount: U256) -> Result<U256, Vec<u8>> {
        let token = self.rebase_token();
        IRebaseToken::new(token)
            .get_pooled_eth_by_shares(self, wst_eth_amount)
            .map_err(bubble(token))
    }

    /// Rebase tokens one unit (10^18) is worth now, rounded down.
    ///
    /// # Errors
    /// Any revert of the rebase token unchanged.
    pub fn st_eth_per_token(&self) -> Result<U256, Vec<u8>> {
        self.get_st_eth_by_wst_eth(ONE_TOKEN)
    }

    /// Units one rebase token (10^18) is worth now, rounded down.
    ///
    /// # Errors
    /// Any revert of the rebase token unchanged.
    pub fn tokens_per_st_eth(&self) -> Result<U256, Vec<u8>> {
        self.get_wst_eth_by_st_eth(ONE_TOKEN)
    }
}

impl ShareToken {
    /// ERC-5267's EIP-712 domain: `(fields 0x0f, name, "1", chainId, this,
    /// 0, [])` (answered through [`ShareToken::fallback`]).
    #[allow(clippy::type_complexity)]
    pub fn eip712_domain(&self) -> (FixedBytes<1>, String, String, U256, Address, B256, Vec<U256>) {
        (
            FixedBytes([permit::DOMAIN_FIELDS]),
            self.name.get_string(),
            String::from(VERSION),
            U256::from(self.vm().chain_id()),
            self.vm().contract_address(),
            B256::ZERO,
            Vec::new(),
        )
    }

    /// The rebase-token address (slot 0, bits 0..160).
    fn rebase_token(&self) -> Address {
        Address::from_word(B256::from(self.token_and_supply.get()))
    }

    /// Moves `amount` units from `from` to `to`.
    fn _transfer(&mut self, from: Address, to: Address, amount: U256) -> Result<(), Error> {
        if from.is_zero() || to.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let balance = self.balances.get(from);
        let Some(left) = balance.checked_sub(amount) else {
            return Err(InsufficientBalance { account: from, balance, needed: amount }.into());
        };
        self.balances.setter(from).set(left);
        // Read after the write, so a transfer to oneself nets to zero.
        let to_balance = self.balances.get(to);
        // Cannot overflow: the sum of all balances is the total supply < 2^96.
        self.balances.setter(to).set(to_balance + amount);
        self.emit_pair(Transfer::SIGNATURE_HASH, from, to, amount);
        Ok(())
    }

    /// Sets `owner`'s allowance to `spender` and logs `Approval`.
    fn _approve(&mut self, owner: Address, spender: Address, amount: U256) -> Result<(), Error> {
        if spender.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.allowances.setter(owner).setter(spender).set(amount);
        self.emit_pair(Approval::SIGNATURE_HASH, owner, spender, amount);
        Ok(())
    }

    /// Spends `amount` of `owner`'s allowance to `spender`; an allowance of
    /// `2^256 - 1` is left as it is (and no `Approval` is logged).
    fn _spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let allowance = self.allowance(owner, spender);
        if allowance == U256::MAX {
            return Ok(());
        }
        let Some(left) = allowance.checked_sub(amount) else {
            return Err(InsufficientAllowance { owner, spender, allowance, needed: amount }.into());
        };
        self.allowances.setter(owner).setter(spender).set(left);
        self.emit_pair(Approval::SIGNATURE_HASH, owner, spender, left);
        Ok(())
    }

    /// Mints `shares` units to `to` (never zero: it is a caller).
    fn _mint(&mut self, to: Address, shares: U256) -> Result<(), Error> {
        let word = self.token_and_supply.get();
        let supply = word >> ADDRESS_BITS;
        let new_supply = supply.saturating_add(shares);
        if new_supply > MAX_TOTAL_SUPPLY {
            return Err(TotalOverflow {}.into());
        }
        let address_bits = word ^ (supply << ADDRESS_BITS);
        self.token_and_supply.set(address_bits | (new_supply << ADDRESS_BITS));
        let balance = self.balances.get(to);
        // Cannot overflow: balance <= supply and supply + shares < 2^96.
        self.balances.setter(to).set(balance + shares);
        self.emit_pair(Transfer::SIGNATURE_HASH, Address::ZERO, to, shares);
        Ok(())
    }

    /// Burns `amount` units of `from` and returns the rebase-token address
    /// (read from the same slot as the supply).
    fn _burn(&mut self, from: Address, amount: U256) -> Result<Address, Error> {
        let balance = self.balances.get(from);
        let Some(left) = balance.checked_sub(amount) else {
            return Err(InsufficientBalance { account: from, balance, needed: amount }.into());
        };
        self.balances.setter(from).set(left);
        // Cannot underflow: amount <= balance <= supply. Subtracting in place
        // leaves the address bits untouched.
        let word = self.token_and_supply.get() - (amount << ADDRESS_BITS);
        self.token_and_supply.set(word);
        self.emit_pair(Transfer::SIGNATURE_HASH, from, Address::ZERO, amount);
        Ok(Address::from_word(B256::from(word)))
    }

    /// Logs an event with two indexed addresses and one `uint256` of data
    /// (`Transfer`, `Approval`): the log is built by hand, which is smaller
    /// than the generic encoder and keeps the host calls direct.
    fn emit_pair(&self, signature: B256, first: Address, second: Address, value: U256) {
        let mut log = [0u8; 128];
        log[..32].copy_from_slice(signature.as_slice());
        log[44..64].copy_from_slice(first.as_slice());
        log[76..96].copy_from_slice(second.as_slice());
        log[96..].copy_from_slice(&value.to_be_bytes::<32>());
        self.vm().emit_log(&log, 3);
    }
}

#[cfg(test)]
mod tests;

/// A panic aborts the call (`panic = "abort"`, no `std`): no panic message
/// is formatted into the program.
#[cfg(all(target_arch = "wasm32", not(feature = "export-abi")))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
