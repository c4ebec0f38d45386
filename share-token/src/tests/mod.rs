//! Unit and property tests of the share token, run with motsu against the
//! real rebase token (`rebase-token` crate) and small mocks of the programs
//! that are not part of this crate (deposit pool, ERC-1271 wallet, a raw
//! caller that reaches the share token through its Solidity ABI).
//!
//! Every environment starts the same way: the rebase token is constructed,
//! wired to the deposit-pool mock, an oracle address and a withdrawal-queue
//! address, and bootstrapped with [`SEED`] wei of shares held by `0x…dEaD`;
//! then the share token is constructed over it.
#![allow(clippy::unreadable_literal, clippy::too_many_lines)]

mod abi;
mod erc20;
mod layout;
mod permit;
mod props;
mod real_pool;
mod receive;
mod views;
mod wrap_unwrap;

use alloc::{vec, vec::Vec};

use alloy_primitives::{uint, Address, B256, U256};
use alloy_sol_types::SolError;
use motsu::prelude::*;
use rebase_token::RebaseToken;
use staking_common::{errors::ContractStopped, interfaces::IRebaseToken, INITIAL_TOKEN_HOLDER};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageU256},
    stylus_core::calls::context::Call,
};

use crate::ShareToken;

/// One ether (and one token) in wei.
pub(crate) const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);
/// The bootstrap deposit held by `0x…dEaD`.
pub(crate) const SEED: U256 = ETHER;
/// The share token's name (wstETH's).
pub(crate) const NAME: &str = "Wrapped liquid staked Ether 2.0";
/// The share token's symbol.
pub(crate) const SYMBOL: &str = "wstETH";
/// motsu's fixed `block.timestamp` (2025-01-01T00:00:00Z).
pub(crate) const NOW: u64 = 1_735_689_600;

/// `n` ether.
pub(crate) fn ether(n: u64) -> U256 {
    U256::from(n) * ETHER
}

// ------------------------------------------------------------------ mocks

/// A deposit pool that, like the real one, mints the stake's shares through
/// the rebase token's `mintShares` and returns them. It can be paused, to
/// check that its revert reaches the staker unchanged.
#[storage]
pub(crate) struct DepositPoolMock {
    token: StorageAddress,
    paused: StorageBool,
}

unsafe impl TopLevelStorage for DepositPoolMock {}

#[public]
impl DepositPoolMock {
    /// Points the pool at the rebase token.
    pub(crate) fn init(&mut self, token: Address) {
        self.token.set(token);
    }

    /// Pauses or resumes staking.
    pub(crate) fn set_paused(&mut self, paused: bool) {
        self.paused.set(paused);
    }

    /// Stakes `msg.value` for the caller; returns the shares minted.
    #[payable]
    pub(crate) fn submit(&mut self, _referral: Address) -> Result<U256, Vec<u8>> {
        if self.paused.get() {
            return Err(ContractStopped {}.abi_encode());
        }
        let (sender, value) = (self.vm().msg_sender(), self.vm().msg_value());
        self.mint(sender, value)
    }

    /// The bootstrap deposit: mints `msg.value` of shares to `0x…dEaD`.
    #[payable]
    pub(crate) fn bootstrap(&mut self) -> Result<U256, Vec<u8>> {
        let value = self.vm().msg_value();
        self.mint(INITIAL_TOKEN_HOLDER, value)
    }
}

impl DepositPoolMock {
    fn mint(&mut self, recipient: Address, value: U256) -> Result<U256, Vec<u8>> {
        let token = IRebaseToken::new(self.token.get());
        #[allow(deprecated)]
        token.mint_shares(&mut *self, recipient, value).map_err(Into::into)
    }
}

/// What [`WalletMock`] answers to `isValidSignature`.
#[derive(Clone, Copy)]
pub(crate) enum WalletMode {
    /// The magic value, for exactly the expected digest and signature; 32
    /// zero bytes otherwise.
    Accept = 0,
    /// `0xdeadbeef` padded to 32 bytes.
    WrongMagic = 1,
    /// Only the 4 magic bytes.
    Short = 2,
    /// The magic value with a non-zero padding byte.
    Dirty = 3,
    /// A revert carrying the magic value.
    Revert = 4,
    /// The magic value followed by another 32 bytes.
    Long = 5,
}

/// An ERC-1271 contract wallet with a programmable answer.
#[storage]
pub(crate) struct WalletMock {
    mode: StorageU256,
    expected_digest: StorageB256,
    expected_signature_hash: StorageB256,
}

unsafe impl TopLevelStorage for WalletMock {}

#[public]
impl WalletMock {
    /// Sets the answer and the only (digest, signature) it accepts.
    pub(crate) fn configure(&mut self, mode: U256, digest: B256, signature_hash: B256) {
        self.mode.set(mode);
        self.expected_digest.set(digest);
        self.expected_signature_hash.set(signature_hash);
    }

    /// `isValidSignature(bytes32 digest, bytes signature)`, decoded by hand
    /// so the raw answer can be malformed on purpose.
    #[fallback]
    pub(crate) fn fallback(&mut self, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        let magic = staking_common::permit::ERC1271_MAGIC;
        let mut good = vec![0u8; 32];
        good[..4].copy_from_slice(&magic);
        let mode = self.mode.get().to::<u8>();
        if mode == WalletMode::Accept as u8 {
            // selector ‖ digest ‖ offset ‖ length ‖ signature (padded).
            let digest = B256::from_slice(&calldata[4..36]);
            let length = U256::from_be_slice(&calldata[68..100]).to::<usize>();
            let signature = &calldata[100..100 + length];
            let accepted = calldata[..4] == magic
                && digest == self.expected_digest.get()
                && alloy_primitives::keccak256(signature) == self.expected_signature_hash.get();
            return Ok(if accepted { good } else { vec![0u8; 32] });
        }
        if mode == WalletMode::WrongMagic as u8 {
            let mut wrong = vec![0u8; 32];
            wrong[..4].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
            return Ok(wrong);
        }
        if mode == WalletMode::Short as u8 {
            return Ok(magic.to_vec());
        }
        if mode == WalletMode::Dirty as u8 {
            good[31] = 1;
            return Ok(good);
        }
        if mode == WalletMode::Revert as u8 {
            return Err(good);
        }
        good.extend_from_slice(&[0u8; 32]);
        Ok(good)
    }
}

/// A program that answers every call (and accepts value) with empty return
/// data, which decodes as no declared return value.
#[storage]
pub(crate) struct SilentMock;

unsafe impl TopLevelStorage for SilentMock {}

#[public]
impl SilentMock {
    /// Succeeds with no return data.
    #[payable]
    #[fallback]
    pub(crate) fn fallback(&mut self, _calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        Ok(Vec::new())
    }
}

/// Calls any program with raw calldata and value, as a dapp would through
/// the Solidity ABI; returns the raw answer (or the raw revert data).
#[storage]
pub(crate) struct RawCaller;

unsafe impl TopLevelStorage for RawCaller {}

#[public]
impl RawCaller {
    /// `to.call{value: msg.value}(data)`.
    #[payable]
    pub(crate) fn call_raw(&mut self, to: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        let value = self.vm().msg_value();
        self.vm()
            .call(&Call::new().value(value), to, &data)
            .map(Bytes::from)
            .map_err(Vec::<u8>::from)
    }
}

// ------------------------------------------------------------ environment

/// The programs of one test and the actors that run them.
pub(crate) struct Env {
    pub(crate) token: Contract<RebaseToken>,
    pub(crate) pool: Contract<DepositPoolMock>,
    pub(crate) share: Contract<ShareToken>,
    pub(crate) admin: Address,
    pub(crate) oracle: Address,
    pub(crate) queue: Address,
}

impl Env {
    /// A bootstrapped rebase token (`P = S = SEED`) and a share token over it.
    pub(crate) fn new() -> Self {
        let env = Self::unconstructed();
        env.share
            .sender(env.admin)
            .constructor(NAME.into(), SYMBOL.into(), env.token.address(), env.pool.address())
            .motsu_unwrap();
        env
    }

    /// As [`Env::new`], with the share token not yet constructed.
    pub(crate) fn unconstructed() -> Self {
        let env = Self {
            token: Contract::new(),
            pool: Contract::new(),
            share: Contract::new(),
            admin: Address::from_tag("admin"),
            oracle: Address::from_tag("oracle"),
            queue: Address::from_tag("withdrawalQueue"),
        };
        env.token
            .sender(env.admin)
            .constructor("Liquid staked Ether 2.0".into(), "stETH".into(), env.admin)
            .motsu_unwrap();
        env.token
            .sender(env.admin)
            .set_protocol_contracts(env.pool.address(), env.oracle, env.queue)
            .motsu_unwrap();
        env.pool.sender(env.admin).init(env.token.address());
        env.admin.fund(SEED);
        env.pool.sender_and_value(env.admin, SEED).bootstrap().motsu_unwrap();
        env
    }

    /// `user` stakes `amount` wei through the deposit pool (funded first);
    /// returns the shares minted.
    pub(crate) fn stake(&self, user: Address, amount: U256) -> U256 {
        user.fund(amount);
        self.pool.sender_and_value(user, amount).submit(Address::ZERO).motsu_unwrap()
    }

    /// `user` stakes `amount` and approves the share token for `amount`
    /// rebase tokens.
    pub(crate) fn stake_and_approve(&self, user: Address, amount: U256) {
        self.stake(user, amount);
        self.token.sender(user).approve(self.share.address(), U256::MAX).motsu_unwrap();
    }

    /// `user` stakes `amount` and wraps all of it; returns the units minted.
    pub(crate) fn stake_and_wrap(&self, user: Address, amount: U256) -> U256 {
        self.stake_and_approve(user, amount);
        let balance = self.token.sender(user).balance_of(user);
        self.share.sender(user).wrap(balance).motsu_unwrap()
    }

    /// The oracle sets total pooled ether to `post` (no burn, no fee).
    pub(crate) fn rebase_to(&self, post: U256) {
        self.token
            .sender(self.oracle)
            .rebase(
                U256::from(NOW),
                U256::from(86_400),
                post,
                U256::ZERO,
                Address::ZERO,
                U256::ZERO,
                Address::ZERO,
                U256::ZERO,
            )
            .motsu_unwrap();
    }

    /// The oracle moves total pooled ether by `delta_bp` basis points
    /// (`floor(P * (10_000 + delta_bp) / 10_000)`).
    pub(crate) fn rebase_bp(&self, delta_bp: i64) {
        let pooled = self.token.sender(self.admin).get_total_pooled_ether();
        let factor = U256::from(10_000 + delta_bp);
        self.rebase_to(pooled * factor / U256::from(10_000));
    }

    /// The rebase-token shares held by the share token.
    pub(crate) fn wrapped_shares(&self) -> U256 {
        self.token.sender(self.admin).shares_of(self.share.address())
    }

    /// The share token's total supply.
    pub(crate) fn supply(&self) -> U256 {
        self.share.sender(self.admin).total_supply()
    }

    /// Every piece of state a revert must leave unchanged, for `accounts`.
    pub(crate) fn snapshot(&self, accounts: &[Address]) -> Snapshot {
        let share = self.share.sender(self.admin);
        let token = self.token.sender(self.admin);
        let mut snapshot = Snapshot {
            supply: share.total_supply(),
            wrapped_shares: token.shares_of(self.share.address()),
            total_shares: token.get_total_shares(),
            total_pooled_ether: token.get_total_pooled_ether(),
            share_events: self.share.all_events().len(),
            token_events: self.token.all_events().len(),
            ..Snapshot::default()
        };
        for &a in accounts {
            snapshot.balances.push(share.balance_of(a));
            snapshot.nonces.push(share.nonces(a));
            snapshot.token_shares.push(token.shares_of(a));
            #[allow(deprecated)] // motsu reads ether balances through this hostio
            snapshot.ether.push(a.balance());
            for &b in accounts {
                snapshot.allowances.push(share.allowance(a, b));
                snapshot.token_allowances.push(token.allowance(a, b));
            }
        }
        snapshot
    }
}

/// State compared before and after a revert.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Snapshot {
    supply: U256,
    wrapped_shares: U256,
    total_shares: U256,
    total_pooled_ether: U256,
    share_events: usize,
    token_events: usize,
    balances: Vec<U256>,
    nonces: Vec<U256>,
    token_shares: Vec<U256>,
    ether: Vec<U256>,
    allowances: Vec<U256>,
    token_allowances: Vec<U256>,
}

/// The revert data of a share-token `Error`.
pub(crate) fn encoded(error: impl Into<crate::Error>) -> Vec<u8> {
    error.into().into()
}
