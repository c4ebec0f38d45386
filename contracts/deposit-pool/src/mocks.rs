//! Test doubles of the programs the deposit pool calls, with the same
//! Solidity ABI as the real ones (the pool reaches them through their
//! routers, so a wrong selector or encoding fails the tests):
//!
//! - [`MockRebaseToken`]: `mintShares` with stETH's share math (and the
//!   bootstrap rule: the first mint only to `0x…dEaD`), `submit` through
//!   `receiveStake`, and a `setTotalPooledEther` standing in for the oracle's
//!   rebase.
//! - [`MockBeaconDeposit`]: the consensus layer's deposit contract; accepts
//!   exactly 32 ETH and a `deposit_data_root` that matches the data, which
//!   it recomputes with its own generic SSZ merkleization (independent of
//!   `deposit_data.rs`).
//! - [`MockWithdrawalQueue`]: `unfinalizedStETH` and a payable `finalize`.
//! - [`RawCaller`]: forwards raw calldata with value, to reach the pool's
//!   `receive` and its router's "no such function" path.
#![allow(missing_docs, clippy::unused_self)]

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolError};
use sha2::{Digest, Sha256};
use staking_common::{interfaces::IDepositPool, DEPOSIT_SIZE, INITIAL_TOKEN_HOLDER};
use stylus_sdk::{
    abi::Bytes,
    call::RawCall,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256},
};

sol! {
    /// A double's refusal, with a reason.
    #[derive(Debug, PartialEq, Eq)]
    error MockRejected(string reason);
}

/// The ABI encoding of `MockRejected(reason)`.
pub(crate) fn rejected(reason: &str) -> Vec<u8> {
    MockRejected { reason: String::from(reason) }.abi_encode()
}

// ---- rebase token ------------------------------------------------------------------

#[storage]
pub(crate) struct MockRebaseToken {
    pool: StorageAddress,
    total_shares: StorageU256,
    total_pooled_ether: StorageU256,
    shares: StorageMap<Address, StorageU256>,
    fail_mints: StorageBool,
}

unsafe impl TopLevelStorage for MockRebaseToken {}

#[public]
impl MockRebaseToken {
    /// Test setup: the pool allowed to mint.
    pub(crate) fn init(&mut self, pool: Address) {
        self.pool.set(pool);
    }

    /// Test setup: make every `mintShares` revert with `MockRejected("mint")`.
    pub(crate) fn set_fail_mints(&mut self, fail: bool) {
        self.fail_mints.set(fail);
    }

    /// Deposit pool only: mint `floor(etherAmount * S / P)` shares (1:1 on
    /// an empty pool, and then only to `0x…dEaD`), add the ether to `P`.
    pub(crate) fn mint_shares(
        &mut self,
        recipient: Address,
        ether_amount: U256,
    ) -> Result<U256, Vec<u8>> {
        if self.vm().msg_sender() != self.pool.get() {
            return Err(rejected("not the pool"));
        }
        if self.fail_mints.get() {
            return Err(rejected("mint"));
        }
        self.mint(recipient, ether_amount)
    }

    /// stETH's `submit`: the pool accounts the stake (`receiveStake`), then
    /// the token mints; the pool is never re-entered.
    #[payable]
    pub(crate) fn submit(&mut self, referral: Address) -> Result<U256, Vec<u8>> {
        let sender = self.vm().msg_sender();
        let value = self.vm().msg_value();
        let pool = IDepositPool::new(self.pool.get());
        #[allow(deprecated)]
        let ctx = stylus_sdk::call::Call::new_in(self).value(value);
        pool.receive_stake(ctx, sender, referral).map_err(Vec::<u8>::from)?;
        self.mint(sender, value)
    }

    /// Stands in for the oracle's rebase: sets the total pooled ether.
    pub(crate) fn set_total_pooled_ether(&mut self, total: U256) {
        self.total_pooled_ether.set(total);
    }

    pub(crate) fn get_total_pooled_ether(&self) -> U256 {
        self.total_pooled_ether.get()
    }

    pub(crate) fn get_total_shares(&self) -> U256 {
        self.total_shares.get()
    }

    pub(crate) fn shares_of(&self, account: Address) -> U256 {
        self.shares.get(account)
    }
}

impl MockRebaseToken {
    fn mint(&mut self, recipient: Address, ether: U256) -> Result<U256, Vec<u8>> {
        let (s, p) = (self.total_shares.get(), self.total_pooled_ether.get());
        if s.is_zero() && recipient != INITIAL_TOKEN_HOLDER {
            return Err(rejected("first mint must go to 0xdead"));
        }
        // Rounding: down, at the rate before the deposit.
        // An empty side converts 1:1, as the real token's `shares_for_ether`.
        let minted = if s.is_zero() || p.is_zero() { ether } else { ether * s / p };
        self.total_shares.set(s + minted);
        self.total_pooled_ether.set(p + ether);
        let held = self.shares.get(recipient);
        self.shares.setter(recipient).set(held + minted);
        Ok(minted)
    }
}

// ---- beacon deposit contract ---------------------------------------------------------

#[storage]
pub(crate) struct MockBeaconDeposit {
    deposit_count: StorageU256,
    last_pubkey: StorageMap<U256, StorageB256>,
    last_root: StorageB256,
    last_credentials: StorageB256,
    reject: StorageBool,
}

unsafe impl TopLevelStorage for MockBeaconDeposit {}

#[public]
impl MockBeaconDeposit {
    /// Test setup: make every deposit revert with `MockRejected("deposit")`.
    pub(crate) fn set_reject(&mut self, reject: bool) {
        self.reject.set(reject);
    }

    /// The deposit contract's `deposit`: exactly 32 ETH, lengths 48/32/96,
    /// and `deposit_data_root == hash_tree_root(DepositData)`.
    #[payable]
    pub(crate) fn deposit(
        &mut self,
        pubkey: Bytes,
        withdrawal_credentials: Bytes,
        signature: Bytes,
        deposit_data_root: B256,
    ) -> Result<(), Vec<u8>> {
        if self.reject.get() {
            return Err(rejected("deposit"));
        }
        if self.vm().msg_value() != DEPOSIT_SIZE {
            return Err(rejected("value is not 32 ETH"));
        }
        if pubkey.len() != 48 || withdrawal_credentials.len() != 32 || signature.len() != 96 {
            return Err(rejected("length"));
        }
        let wc = B256::from_slice(&withdrawal_credentials);
        let expected = ssz_deposit_data_root(&pubkey, &wc, 32_000_000_000, &signature);
        if expected != deposit_data_root {
            return Err(rejected("deposit_data_root does not match the data"));
        }
        let count = self.deposit_count.get();
        self.deposit_count.set(count + U256::from(1));
        let mut word0 = [0u8; 32];
        word0.copy_from_slice(&pubkey[..32]);
        let mut word1 = [0u8; 32];
        word1[..16].copy_from_slice(&pubkey[32..]);
        self.last_pubkey.setter(U256::ZERO).set(B256::from(word0));
        self.last_pubkey.setter(U256::from(1)).set(B256::from(word1));
        self.last_root.set(deposit_data_root);
        self.last_credentials.set(wc);
        Ok(())
    }

    pub(crate) fn deposit_count(&self) -> U256 {
        self.deposit_count.get()
    }

    /// The last deposit's `(pubkey, withdrawal credentials, root)`.
    pub(crate) fn last_deposit(&self) -> (Bytes, B256, B256) {
        let mut pubkey = Vec::with_capacity(48);
        pubkey.extend_from_slice(self.last_pubkey.get(U256::ZERO).as_slice());
        pubkey.extend_from_slice(&self.last_pubkey.get(U256::from(1))[..16]);
        (pubkey.into(), self.last_credentials.get(), self.last_root.get())
    }
}

/// SSZ `merkleize`: chunks padded with zero chunks to a power of two, then
/// hashed pairwise (SHA-256) up to the root.
fn merkleize(mut chunks: Vec<[u8; 32]>) -> [u8; 32] {
    chunks.resize(chunks.len().next_power_of_two(), [0u8; 32]);
    while chunks.len() > 1 {
        chunks = chunks
            .chunks(2)
            .map(|pair| {
                let mut h = Sha256::new();
                h.update(pair[0]);
                h.update(pair[1]);
                h.finalize().into()
            })
            .collect();
    }
    chunks[0]
}

/// Packs bytes into 32-byte chunks (the last one zero-padded).
fn pack(bytes: &[u8]) -> Vec<[u8; 32]> {
    bytes
        .chunks(32)
        .map(|c| {
            let mut chunk = [0u8; 32];
            chunk[..c.len()].copy_from_slice(c);
            chunk
        })
        .collect()
}

/// `hash_tree_root(DepositData)` by the SSZ definitions (a container's root
/// is the merkleization of its fields' roots; a byte vector's root is the
/// merkleization of its packed chunks; a uint64 is 8 little-endian bytes).
pub(crate) fn ssz_deposit_data_root(
    pubkey: &[u8],
    wc: &B256,
    amount_gwei: u64,
    signature: &[u8],
) -> B256 {
    let fields = alloc::vec![
        merkleize(pack(pubkey)),
        wc.0,
        pack(&amount_gwei.to_le_bytes())[0],
        merkleize(pack(signature)),
    ];
    B256::from(merkleize(fields))
}

// ---- withdrawal queue ---------------------------------------------------------------

#[storage]
pub(crate) struct MockWithdrawalQueue {
    unfinalized: StorageU256,
    locked: StorageU256,
    last_request_id: StorageU256,
    max_share_rate: StorageU256,
    reject: StorageBool,
}

unsafe impl TopLevelStorage for MockWithdrawalQueue {}

#[public]
impl MockWithdrawalQueue {
    pub(crate) fn set_unfinalized(&mut self, amount: U256) {
        self.unfinalized.set(amount);
    }

    pub(crate) fn set_reject(&mut self, reject: bool) {
        self.reject.set(reject);
    }

    #[selector(name = "unfinalizedStETH")]
    pub(crate) fn unfinalized_steth(&self) -> U256 {
        self.unfinalized.get()
    }

    /// Records the finalization and the ether received.
    #[payable]
    pub(crate) fn finalize(
        &mut self,
        last_request_id: U256,
        max_share_rate: U256,
    ) -> Result<(), Vec<u8>> {
        if self.reject.get() {
            return Err(rejected("finalize"));
        }
        let value = self.vm().msg_value();
        self.locked.set(self.locked.get() + value);
        self.last_request_id.set(last_request_id);
        self.max_share_rate.set(max_share_rate);
        Ok(())
    }

    /// `(ether locked so far, last request id, max share rate)`.
    pub(crate) fn finalized(&self) -> (U256, U256, U256) {
        (self.locked.get(), self.last_request_id.get(), self.max_share_rate.get())
    }
}

// ---- raw caller ----------------------------------------------------------------------

#[storage]
pub(crate) struct RawCaller {}

unsafe impl TopLevelStorage for RawCaller {}

#[public]
impl RawCaller {
    /// Calls `target` with `data` and the value received.
    #[payable]
    pub(crate) fn forward(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        let value = self.vm().msg_value();
        unsafe { RawCall::new_with_value(value).call(target, &data) }.map(Into::into)
    }
}

// ---- a queue that answers nothing ----------------------------------------------------

#[storage]
pub(crate) struct SilentQueue {}

unsafe impl TopLevelStorage for SilentQueue {}

#[public]
impl SilentQueue {
    /// Succeeds with empty return data.
    #[selector(name = "unfinalizedStETH")]
    pub(crate) fn unfinalized_steth(&self) {}
}
