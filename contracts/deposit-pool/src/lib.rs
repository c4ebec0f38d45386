//! The deposit pool: users' ether enters the protocol here and leaves here for
//! validators.
//!
//! It owns the ether: the buffered-ether counter, the count of validators
//! deposited and seen by the oracle, their balance, the signing keys queue,
//! the staking limit, the withdrawal credentials and the beacon deposit
//! contract's address. The rebase token owns the shares; this program asks it
//! to mint them (`mintShares`) and never reads a raw balance for accounting.
//!
//! # Flows
//! - **Stake**: `submit(referral)` (or plain ether, or the rebase token's own
//!   `submit` through [`DepositPool::receive_stake`]): checks the staking
//!   pause and limit, adds `msg.value` to the buffer, emits `Submitted`, and
//!   (except for `receiveStake`, where the token mints after the call returns,
//!   so no program is re-entered) calls the token's `mintShares`.
//! - **Deposit**: `depositBufferedEther(max)` sends 32 ETH per unused signing
//!   key to the beacon deposit contract, with the consensus layer's
//!   `deposit_data_root`. The ether moves from *buffered* to *transient*.
//! - **Report**: the oracle's `handleOracleReport` records the validators the
//!   consensus layer sees and their balance (transient becomes beacon
//!   balance), collects withdrawals that reached this program (it is its own
//!   withdrawal vault) into the buffer, and sends ether to the withdrawal
//!   queue to finalize requests.
//!
//! Worked example: bootstrap with 1 ETH, stake 63 ETH (buffer 64), deposit 2
//! validators (buffer 0, transient 64), report 2 validators with 64.1 ETH
//! (transient 0, beacon balance 64.1): total pooled ether 64 → 64 → 64.1, and
//! the oracle then rebases the token to 64.1.
//!
//! # Invariants
//! - `totalPooledEther = buffered + beaconBalance + 32 ETH × (deposited −
//!   beaconValidators)` equals the rebase token's total pooled ether after
//!   every complete operation (the oracle's rebase completes a report).
//! - `buffered <= address(this).balance`: the buffer grows only by ether
//!   received with it (`submit`, `receiveStake`, plain ether, `initialize`)
//!   or by withdrawals already held beyond the buffer; ether forced in
//!   otherwise changes nothing until a report collects it as withdrawals.
//! - `beaconValidators <= deposited <= totalSigningKeys`; neither validator
//!   count ever decreases.
//! - stopped ⇒ staking paused (`stop` pauses, `resumeStaking` refuses while
//!   stopped); only `resume`/`resumeStaking` after `initialize` unpause.
//! - `buffered < 2^96` (it shares a slot with the token address; a stake
//!   beyond reverts `TotalOverflow`), `beaconBalance < 2^128`.
//! - The withdrawal credentials, once set, are `0x01 ‖ 11 zero bytes ‖ this
//!   program`; no other value is accepted, so they never change and the
//!   signing keys never need invalidating (Lido's router does that when its
//!   credentials change).
//!
//! # Storage layout (slot by slot; `submit` touches slots 0 and 1 only)
//! ```text
//! SLOT 0: rebase token address (bits 0..160) | buffered ether (bits 160..256, uint96)
//! SLOT 1: stake limit: max uint96 @160 | growth seconds uint32 @128 | prev limit uint96 @32 | prev timestamp uint32 @0
//! SLOT 2: oracle address (bits 0..160) | initialized (bit 160) | running (bit 161) | credentials set (bit 162)
//! SLOT 3: withdrawal queue address
//! SLOT 4: beacon deposit contract address (bits 0..160) | total signing keys (bits 160..224, uint64)
//! SLOT 5: deposited validators uint64 @0 | beacon validators uint64 @64 | beacon balance uint128 @128
//! SLOT 6: signing keys: map (5 × index + word) → bytes32; key i = pubkey(48) ‖ signature(96) ‖ 16 zero bytes
//! SLOT 7: roles: map role → account → bool (staking_common::access::RoleMap)
//! ```
//!
//! # Deviations from Lido (V2 `Lido.sol`, `StakeLimitUtils`, `StakingRouter`)
//! - The staking limit refills per **second** (`block.timestamp`), not per
//!   block: Arbitrum's block number is an estimate of L1's. Same packing,
//!   encodings and validation otherwise; the event keeps Lido's signature.
//! - Custom errors instead of revert strings; the staking-paused error is
//!   `StakingIsPaused()` (an error may not share the `StakingPaused` event's name).
//! - `resumeStaking` reverts while the pool is stopped (Lido allows it, which
//!   would break "stopped ⇒ staking paused").
//! - `handleOracleReport` takes the numbers the oracle computed
//!   (validators, balance, withdrawals to collect, ether to lock) and only
//!   moves ether; fees, burning and the rebase are the oracle's call to the
//!   token. It works while stopped (Lido reverts), so finalization does not
//!   wait for a resume. No execution-layer rewards vault (always 0 in
//!   `ETHDistributed`).
//! - One operator set in this program (events carry `nodeOperatorId = 0`)
//!   instead of a staking router with modules and a deposit security module;
//!   `DEPOSIT_ROLE` calls `depositBufferedEther`.
//! - The pool is its own withdrawal vault, so the only valid credentials are
//!   `0x01 ‖ 0 ‖ this program` and never change (no key invalidation).
//! - `canDeposit()` is "not stopped" (no bunker mode).
//!
//! WARNING for integrators: the pool starts stopped (Lido's default).
//! Governance bootstraps it with `initialize{value}` and then calls `resume`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]
// The SDK's `#[entrypoint]` generates undocumented public functions
// (`user_entrypoint` on wasm, `print_abi`/`print_from_args` for export-abi);
// the native builds (clippy, tests) check the documentation of every other item.
#![cfg_attr(any(target_arch = "wasm32", feature = "export-abi"), allow(missing_docs))]
extern crate alloc;

mod calls;
mod deposit_data;
mod sol;
mod stake_limit;

#[cfg(test)]
mod mocks;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_token;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};

use alloy_primitives::{b256, Address, B256, U256};
use alloy_sol_types::SolEvent;
use staking_common::{
    access::RoleMap,
    errors::{
        AccessControlBadConfirmation, AlreadyInitialized, AmountTooLarge, ContractNotStopped,
        ContractStopped, NotInitialized, TotalOverflow, Unauthorized, ZeroAddress, ZeroAmount,
    },
    events::{ETHDistributed, Resumed, Stopped, Submitted},
    roles::{
        DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE, STAKING_PAUSE_ROLE,
    },
    DEPOSIT_SIZE, INITIAL_TOKEN_HOLDER,
};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU256},
};

use crate::calls::{emit_key_event, log};
use crate::deposit_data::{PUBKEY_LENGTH, SIGNATURE_LENGTH};
pub use crate::sol::*;
use crate::stake_limit::StakeLimit;

/// May add and remove signing keys (Lido's `MANAGE_SIGNING_KEYS`):
/// `keccak256("MANAGE_SIGNING_KEYS")`.
pub const MANAGE_SIGNING_KEYS: B256 =
    b256!("75abc64490e17b40ea1e66691c3eb493647b24430b358bd87ec3e5127f1621ee");
/// May deposit buffered ether to validators: `keccak256("DEPOSIT_ROLE")`.
pub const DEPOSIT_ROLE: B256 =
    b256!("2561bf26f818282a3be40719542054d2173eb0d38539e8a8d3cff22f29fd2384");

/// Storage words per signing key: 48 + 96 = 144 bytes, padded to 160.
const KEY_WORDS: u64 = 5;
/// Bit of slot 2 set once `initialize` ran.
const INITIALIZED_BIT: usize = 160;
/// Bit of slot 2 set while the pool runs (clear = stopped).
const RUNNING_BIT: usize = 161;
/// Bit of slot 2 set once governance set the withdrawal credentials.
const CREDENTIALS_BIT: usize = 162;
/// 32 ETH as a u128 (buffer arithmetic is below 2^96).
const DEPOSIT_SIZE_WEI: u128 = 32_000_000_000_000_000_000;

/// The deposit pool program (storage layout in the crate docs).
#[storage]
#[entrypoint]
pub struct DepositPool {
    /// SLOT 0: rebase token (bits 0..160) | buffered ether (bits 160..256).
    token_and_buffer: StorageU256,
    /// SLOT 1: the stake limit word ([`stake_limit`] layout).
    stake_limit: StorageU256,
    /// SLOT 2: oracle (bits 0..160) | initialized | running | credentials set.
    oracle_and_flags: StorageU256,
    /// SLOT 3: the withdrawal queue (zero until governance sets it).
    withdrawal_queue: StorageAddress,
    /// SLOT 4: beacon deposit contract (bits 0..160) | total signing keys.
    beacon_and_keys: StorageU256,
    /// SLOT 5: deposited (u64) | beacon validators (u64) | beacon balance (u128).
    validators: StorageU256,
    /// SLOT 6: signing key words, `5 * index + word`.
    key_words: StorageMap<U256, StorageB256>,
    /// SLOT 7: role membership.
    roles: RoleMap,
}

/// The validator counters of slot 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Validators {
    /// Validators ever deposited by this pool.
    deposited: u64,
    /// Validators the last report saw on the consensus layer.
    beacon: u64,
    /// Their balance in the last report (wei).
    balance: u128,
}

impl Validators {
    fn decode(word: U256) -> Self {
        let l = word.as_limbs();
        Self { deposited: l[0], beacon: l[1], balance: u128::from(l[2]) | (u128::from(l[3]) << 64) }
    }

    fn encode(self) -> U256 {
        // Truncations split the balance into its two u64 limbs.
        #[allow(clippy::cast_possible_truncation)]
        U256::from_limbs([
            self.deposited,
            self.beacon,
            self.balance as u64,
            (self.balance >> 64) as u64,
        ])
    }

    /// 32 ETH per deposited validator the oracle has not seen yet (the
    /// subtraction cannot underflow: `beacon <= deposited` is kept by
    /// `handleOracleReport`).
    fn transient(self) -> U256 {
        DEPOSIT_SIZE * U256::from(self.deposited - self.beacon)
    }
}

#[public]
impl DepositPool {
    /// Deploys the pool: `admin` gets `DEFAULT_ADMIN_ROLE`; `rebase_token`
    /// is the token whose shares this pool mints. The pool starts stopped,
    /// with staking paused and unlimited.
    ///
    /// # Errors
    /// `ZeroAddress` if either address is zero.
    ///
    /// # Events
    /// `RoleGranted(DEFAULT_ADMIN_ROLE, admin, msg.sender)`.
    #[constructor]
    pub fn constructor(&mut self, admin: Address, rebase_token: Address) -> Result<(), Error> {
        non_zero(admin)?;
        non_zero(rebase_token)?;
        self.token_and_buffer.set(address_word(rebase_token));
        self.roles.grant_role(DEFAULT_ADMIN_ROLE, admin);
        Ok(())
    }

    /// Bootstraps the share rate (governance, once): buffers `msg.value` and
    /// mints exactly that many shares to `0x…dEaD` (Lido's
    /// `_bootstrapInitialHolder`), so the rate starts at 1:1 and the total
    /// shares are never zero again. The pool stays stopped until `resume`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `DEFAULT_ADMIN_ROLE`;
    /// `AlreadyInitialized` on a second call; `ZeroAmount` without ether;
    /// the token's revert if it refuses the mint.
    ///
    /// # Events
    /// `Submitted(0x…dEaD, seed, 0)`, then the token's mint events.
    #[payable]
    pub fn initialize(&mut self) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        if self.flag(INITIALIZED_BIT) {
            return Err(AlreadyInitialized {}.into());
        }
        let seed = self.vm().msg_value();
        if seed.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        let (token, buffered) = self.token_and_buffered();
        self.set_buffered(token, buffered.saturating_add(seed))?;
        self.set_flag(INITIALIZED_BIT, true);
        log(
            self.vm(),
            &[Submitted::SIGNATURE_HASH, INITIAL_TOKEN_HOLDER.into_word()],
            &[seed.into(), B256::ZERO],
        );
        self.mint_shares(token, INITIAL_TOKEN_HOLDER, seed)?;
        Ok(())
    }

    /// Stakes `msg.value` and mints the shares to the caller at the rate
    /// before the deposit (the token rounds the shares down). Returns them.
    ///
    /// # Errors
    /// `ZeroAmount`; `StakingIsPaused`; `StakeLimitExceeded(limit, amount)`;
    /// `TotalOverflow` if the buffer would pass `2^96 - 1`; the token's revert.
    ///
    /// # Events
    /// `Submitted(msg.sender, msg.value, referral)`, then the token's
    /// `Transfer` and `TransferShares`.
    #[payable]
    pub fn submit(&mut self, referral: Address) -> Result<U256, Error> {
        let sender = self.vm().msg_sender();
        self.stake_and_mint(sender, referral)
    }

    /// Plain ether (empty calldata) stakes as `submit(address(0))`. Calldata
    /// that matches no function reverts, with or without value (there is no
    /// fallback).
    ///
    /// # Errors
    /// As [`Self::submit`].
    #[receive]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        let sender = self.vm().msg_sender();
        self.stake_and_mint(sender, Address::ZERO)?;
        Ok(())
    }

    /// Rebase token only: accounts a stake the token received through its own
    /// `submit`: the same checks, buffering and `Submitted(sender, …)` as
    /// `submit`, but no call back into the token (it mints after this
    /// returns; Stylus programs reject re-entry).
    ///
    /// # Errors
    /// `Unauthorized(caller)` unless called by the rebase token; otherwise as
    /// [`Self::submit`].
    ///
    /// # Events
    /// `Submitted(sender, msg.value, referral)`.
    #[payable]
    pub fn receive_stake(&mut self, sender: Address, referral: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != self.token_and_buffered().0 {
            return Err(Unauthorized { caller }.into());
        }
        self.stake(sender, referral)?;
        Ok(())
    }

    /// The buffered ether: staked but not yet sent to validators or locked
    /// for withdrawals. A stored counter, never the raw balance.
    pub fn get_buffered_ether(&self) -> U256 {
        self.token_and_buffered().1
    }

    /// Buffered ether minus the withdrawal queue's `unfinalizedStETH()` (the
    /// ether pending exits need; nothing is reserved while no queue is set),
    /// floored at zero: withdrawals take priority over new validators (Lido).
    ///
    /// # Errors
    /// The queue's revert, if its view reverts.
    pub fn get_depositable_ether(&self) -> Result<U256, Error> {
        self.depositable()
    }

    /// Whether deposits to validators are allowed: the pool is not stopped.
    pub fn can_deposit(&self) -> bool {
        self.flag(RUNNING_BIT)
    }

    /// `buffered + beaconBalance + 32 ETH × (deposited − beaconValidators)`:
    /// the ether the rebase token's total must equal.
    pub fn get_total_pooled_ether(&self) -> U256 {
        let v = self.validators();
        // Cannot overflow: buffered < 2^96, balance < 2^128, transient < 2^65 * 2^64.
        self.token_and_buffered().1 + U256::from(v.balance) + v.transient()
    }

    /// `(depositedValidators, beaconValidators, beaconBalance)` (Lido).
    pub fn get_beacon_stat(&self) -> (U256, U256, U256) {
        let v = self.validators();
        (U256::from(v.deposited), U256::from(v.beacon), U256::from(v.balance))
    }

    // ---- staking limit and pause -------------------------------------------------

    /// Sets the staking limit (`STAKING_CONTROL_ROLE`), Lido's semantics with
    /// seconds: the limit refills by `maxStakeLimit / floor(maxStakeLimit /
    /// stakeLimitIncreasePerSecond)` per second up to `maxStakeLimit`.
    /// Pausing is unchanged.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `ZeroMaxStakeLimit`,
    /// `TooLargeMaxStakeLimit`, `TooLargeLimitIncrease`, `TooSmallLimitIncrease`.
    ///
    /// # Events
    /// `StakingLimitSet(maxStakeLimit, stakeLimitIncreasePerSecond)`.
    pub fn set_staking_limit(
        &mut self,
        max_stake_limit: U256,
        stake_limit_increase_per_second: U256,
    ) -> Result<(), Error> {
        self.only_role(STAKING_CONTROL_ROLE)?;
        let mut limit = self.limit();
        limit.set_limit(max_stake_limit, stake_limit_increase_per_second, self.now32())?;
        self.stake_limit.set(limit.encode());
        log(
            self.vm(),
            &[StakingLimitSet::SIGNATURE_HASH],
            &[max_stake_limit.into(), stake_limit_increase_per_second.into()],
        );
        Ok(())
    }

    /// Removes the staking limit (`STAKING_CONTROL_ROLE`): staking becomes
    /// unlimited; pausing is unchanged.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `StakingLimitRemoved()`.
    pub fn remove_staking_limit(&mut self) -> Result<(), Error> {
        self.only_role(STAKING_CONTROL_ROLE)?;
        let mut limit = self.limit();
        limit.remove_limit();
        self.stake_limit.set(limit.encode());
        log(self.vm(), &[StakingLimitRemoved::SIGNATURE_HASH], &[]);
        Ok(())
    }

    /// Pauses staking (`STAKING_PAUSE_ROLE`); the limit's fields are kept.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `StakingPaused()`.
    pub fn pause_staking(&mut self) -> Result<(), Error> {
        self.only_role(STAKING_PAUSE_ROLE)?;
        self.set_staking_paused(true);
        Ok(())
    }

    /// Resumes staking (`STAKING_CONTROL_ROLE`, as Lido) with the limit as it
    /// was when paused (its refill clock restarts now).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `NotInitialized` before
    /// `initialize`; `ContractStopped` while the pool is stopped (keeps
    /// "stopped ⇒ staking paused").
    ///
    /// # Events
    /// `StakingResumed()`.
    pub fn resume_staking(&mut self) -> Result<(), Error> {
        self.only_role(STAKING_CONTROL_ROLE)?;
        self.when_initialized()?;
        self.when_running()?;
        self.set_staking_paused(false);
        Ok(())
    }

    /// Whether staking is paused.
    pub fn is_staking_paused(&self) -> bool {
        self.limit().is_paused()
    }

    /// The most a stake may be now: 0 while paused, `2^256 - 1` when
    /// unlimited.
    pub fn get_current_stake_limit(&self) -> U256 {
        self.limit().reported(self.now())
    }

    /// Lido's seven fields, with seconds for blocks: `(isStakingPaused,
    /// isStakingLimitSet, currentStakeLimit, maxStakeLimit,
    /// maxStakeLimitGrowthSeconds, prevStakeLimit, prevStakeTimestamp)`.
    pub fn get_stake_limit_full_info(&self) -> (bool, bool, U256, U256, U256, U256, U256) {
        let l = self.limit();
        (
            l.is_paused(),
            l.is_limit_set(),
            l.reported(self.now()),
            U256::from(l.max_limit),
            U256::from(l.growth_seconds),
            U256::from(l.prev_limit),
            U256::from(l.prev_timestamp),
        )
    }

    /// Stops the pool (`PAUSE_ROLE`): staking and deposits pause. Reports,
    /// views and key management still work.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `ContractStopped` if already stopped.
    ///
    /// # Events
    /// `Stopped()`, `StakingPaused()`.
    pub fn stop(&mut self) -> Result<(), Error> {
        self.only_role(PAUSE_ROLE)?;
        self.when_running()?;
        self.set_flag(RUNNING_BIT, false);
        log(self.vm(), &[Stopped::SIGNATURE_HASH], &[]);
        self.set_staking_paused(true);
        Ok(())
    }

    /// Resumes the pool (`RESUME_ROLE`) and staking, with the staking limit
    /// as it was before the stop.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `NotInitialized` before
    /// `initialize`; `ContractNotStopped` if running.
    ///
    /// # Events
    /// `Resumed()`, `StakingResumed()`.
    pub fn resume(&mut self) -> Result<(), Error> {
        self.only_role(RESUME_ROLE)?;
        self.when_initialized()?;
        if self.flag(RUNNING_BIT) {
            return Err(ContractNotStopped {}.into());
        }
        self.set_flag(RUNNING_BIT, true);
        log(self.vm(), &[Resumed::SIGNATURE_HASH], &[]);
        self.set_staking_paused(false);
        Ok(())
    }

    /// Whether the pool is stopped (it starts stopped).
    pub fn is_stopped(&self) -> bool {
        !self.flag(RUNNING_BIT)
    }

    // ---- signing keys --------------------------------------------------------------

    /// Appends `count` validator keys (`MANAGE_SIGNING_KEYS`): `pubkeys` is
    /// `count` 48-byte BLS public keys, `signatures` `count` 96-byte deposit
    /// signatures (signed for this pool's withdrawal credentials).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `InvalidSigningKeysCount(count)`
    /// for 0 or above `2^32 - 1`; `InvalidPubkeysLength(expected, actual)`;
    /// `InvalidSignaturesLength(expected, actual)`; `EmptySigningKey(i)` for an
    /// all-zero key (i counted within the batch).
    ///
    /// # Events
    /// `SigningKeyAdded(0, pubkey)` per key, then
    /// `TotalSigningKeysCountChanged(0, total)`.
    pub fn add_signing_keys(
        &mut self,
        count: U256,
        pubkeys: Bytes,
        signatures: Bytes,
    ) -> Result<(), Error> {
        self.only_role(MANAGE_SIGNING_KEYS)?;
        if count.is_zero() || count > U256::from(u32::MAX) {
            return Err(InvalidSigningKeysCount { count }.into());
        }
        // Cannot truncate: count <= 2^32 - 1.
        let n = count.as_limbs()[0] as usize;
        if pubkeys.len() != n * PUBKEY_LENGTH {
            return Err(InvalidPubkeysLength {
                expected: U256::from(n * PUBKEY_LENGTH),
                actual: U256::from(pubkeys.len()),
            }
            .into());
        }
        if signatures.len() != n * SIGNATURE_LENGTH {
            return Err(InvalidSignaturesLength {
                expected: U256::from(n * SIGNATURE_LENGTH),
                actual: U256::from(signatures.len()),
            }
            .into());
        }
        let (beacon, total) = self.beacon_and_keys();
        for (i, (pubkey, signature)) in pubkeys
            .chunks_exact(PUBKEY_LENGTH)
            .zip(signatures.chunks_exact(SIGNATURE_LENGTH))
            .enumerate()
        {
            if pubkey.iter().all(|b| *b == 0) {
                return Err(EmptySigningKey { index: U256::from(i) }.into());
            }
            let mut key = [0u8; 160];
            key[..PUBKEY_LENGTH].copy_from_slice(pubkey);
            key[PUBKEY_LENGTH..PUBKEY_LENGTH + SIGNATURE_LENGTH].copy_from_slice(signature);
            self.write_key(total + i as u64, &key);
            emit_key_event(self.vm(), SigningKeyAdded::SIGNATURE_HASH, pubkey);
        }
        self.set_total_keys(beacon, total + n as u64);
        Ok(())
    }

    /// Removes the unused keys `fromIndex .. fromIndex + count`
    /// (`MANAGE_SIGNING_KEYS`), Lido's way: from the top of the range down,
    /// each removed key is replaced by the current last key, so the order of
    /// the remaining unused keys may change.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `InvalidSigningKeysRange` if
    /// `count == 0`, the range passes the last key, or it starts below the
    /// first unused key.
    ///
    /// # Events
    /// `SigningKeyRemoved(0, pubkey)` per key, then
    /// `TotalSigningKeysCountChanged(0, total)`.
    pub fn remove_signing_keys(&mut self, from_index: U256, count: U256) -> Result<(), Error> {
        self.only_role(MANAGE_SIGNING_KEYS)?;
        let (beacon, total) = self.beacon_and_keys();
        let used = self.validators().deposited;
        let end = from_index.saturating_add(count);
        if count.is_zero() || from_index < U256::from(used) || end > U256::from(total) {
            return Err(InvalidSigningKeysRange { fromIndex: from_index, count }.into());
        }
        // Cannot truncate: from_index < end <= total < 2^64.
        let (from, mut index) = (from_index.as_limbs()[0], end.as_limbs()[0]);
        let mut last = total;
        while index > from {
            index -= 1;
            last -= 1;
            let removed = self.read_key(index);
            if index != last {
                let moved = self.read_key(last);
                self.write_key(index, &moved);
            }
            self.write_key(last, &[0u8; 160]);
            emit_key_event(self.vm(), SigningKeyRemoved::SIGNATURE_HASH, &removed[..PUBKEY_LENGTH]);
        }
        self.set_total_keys(beacon, last);
        Ok(())
    }

    /// The key at `index`: `(bytes pubkey, bytes signature, bool used)`.
    ///
    /// Returned as the ten ABI words Solidity encodes for that tuple (heads,
    /// then the 48-byte pubkey and the 96-byte signature, each length-prefixed
    /// and zero-padded): stylus-sdk 0.9 would put an extra offset word in front
    /// of a returned tuple with dynamic members, which Solidity callers cannot
    /// decode. Both lengths are fixed, so the encoding is ten words.
    ///
    /// # Errors
    /// `SigningKeyIndexOutOfRange(index, total)`.
    pub fn get_signing_key(&self, index: U256) -> Result<[B256; 10], Error> {
        let total = self.beacon_and_keys().1;
        if index >= U256::from(total) {
            return Err(SigningKeyIndexOutOfRange { index, total: U256::from(total) }.into());
        }
        // Cannot truncate: index < total < 2^64.
        let index = index.as_limbs()[0];
        let key = self.read_key(index);
        let mut out = [0u8; 320];
        out[31] = 0x60; // offset of the pubkey
        out[63] = 0xc0; // offset of the signature: 0x60 + 32 + 64
        out[95] = u8::from(index < self.validators().deposited);
        out[127] = PUBKEY_LENGTH as u8;
        out[128..128 + PUBKEY_LENGTH].copy_from_slice(&key[..PUBKEY_LENGTH]);
        out[223] = SIGNATURE_LENGTH as u8;
        out[224..].copy_from_slice(&key[PUBKEY_LENGTH..PUBKEY_LENGTH + SIGNATURE_LENGTH]);
        let mut words = [B256::ZERO; 10];
        for (word, chunk) in words.iter_mut().zip(out.chunks_exact(32)) {
            *word = B256::from_slice(chunk);
        }
        Ok(words)
    }

    /// Number of signing keys, used and unused.
    pub fn get_total_signing_keys(&self) -> U256 {
        U256::from(self.beacon_and_keys().1)
    }

    /// Number of keys not yet deposited.
    pub fn get_unused_signing_keys_count(&self) -> U256 {
        U256::from(self.beacon_and_keys().1 - self.validators().deposited)
    }

    // ---- governance configuration ------------------------------------------------

    /// Sets the withdrawal credentials (`DEFAULT_ADMIN_ROLE`). They must be
    /// `0x01 ‖ 11 zero bytes ‖ this program's address`: this program is the
    /// withdrawal vault (`handleOracleReport` collects withdrawals from its
    /// own balance). Deposits need them set.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `InvalidWithdrawalCredentials`.
    ///
    /// # Events
    /// `WithdrawalCredentialsSet(wc, msg.sender)`.
    pub fn set_withdrawal_credentials(
        &mut self,
        withdrawal_credentials: B256,
    ) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        if withdrawal_credentials != self.own_credentials() {
            return Err(InvalidWithdrawalCredentials {
                withdrawalCredentials: withdrawal_credentials,
            }
            .into());
        }
        self.set_flag(CREDENTIALS_BIT, true);
        let set_by = self.vm().msg_sender();
        log(
            self.vm(),
            &[WithdrawalCredentialsSet::SIGNATURE_HASH],
            &[withdrawal_credentials, set_by.into_word()],
        );
        Ok(())
    }

    /// The withdrawal credentials (zero until set).
    pub fn get_withdrawal_credentials(&self) -> B256 {
        if self.flag(CREDENTIALS_BIT) {
            self.own_credentials()
        } else {
            B256::ZERO
        }
    }

    /// Sets the beacon deposit contract (`DEFAULT_ADMIN_ROLE`).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `ZeroAddress`.
    ///
    /// # Events
    /// `BeaconDepositContractSet(address)`.
    pub fn set_beacon_deposit_contract(&mut self, beacon_deposit: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        non_zero(beacon_deposit)?;
        let total = self.beacon_and_keys().1;
        self.set_beacon_and_keys(beacon_deposit, total);
        log(self.vm(), &[BeaconDepositContractSet::SIGNATURE_HASH], &[beacon_deposit.into_word()]);
        Ok(())
    }

    /// The beacon deposit contract (zero until set).
    pub fn get_beacon_deposit_contract(&self) -> Address {
        self.beacon_and_keys().0
    }

    /// Sets the oracle, the only caller of `handleOracleReport`
    /// (`DEFAULT_ADMIN_ROLE`).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `ZeroAddress`.
    ///
    /// # Events
    /// `OracleSet(address)`.
    pub fn set_oracle(&mut self, oracle: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        non_zero(oracle)?;
        let flags = self.oracle_and_flags.get() >> 160 << 160;
        self.oracle_and_flags.set(flags | address_word(oracle));
        log(self.vm(), &[OracleSet::SIGNATURE_HASH], &[oracle.into_word()]);
        Ok(())
    }

    /// The oracle (zero until set).
    pub fn get_oracle(&self) -> Address {
        self.oracle()
    }

    /// Sets the withdrawal queue: its `unfinalizedStETH()` reserves buffered
    /// ether and it receives `ethToLock` on reports (`DEFAULT_ADMIN_ROLE`).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `ZeroAddress`.
    ///
    /// # Events
    /// `WithdrawalQueueSet(address)`.
    pub fn set_withdrawal_queue(&mut self, withdrawal_queue: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        non_zero(withdrawal_queue)?;
        self.withdrawal_queue.set(withdrawal_queue);
        log(self.vm(), &[WithdrawalQueueSet::SIGNATURE_HASH], &[withdrawal_queue.into_word()]);
        Ok(())
    }

    /// The withdrawal queue (zero until set).
    pub fn get_withdrawal_queue(&self) -> Address {
        self.withdrawal_queue.get()
    }

    /// The rebase token this pool mints shares of.
    pub fn get_rebase_token(&self) -> Address {
        self.token_and_buffered().0
    }

    // ---- validators and reports ----------------------------------------------------

    /// Deposits `n = min(maxValidators, unused keys, floor(depositable /
    /// 32 ETH))` validators (`DEPOSIT_ROLE`): state first (buffer −= 32 ETH·n,
    /// deposited += n), then for each next key the beacon deposit contract's
    /// `deposit(pubkey, withdrawal_credentials, signature, deposit_data_root)`
    /// with exactly 32 ETH. Returns `n`; `n == 0` changes nothing (Lido).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`; `ContractStopped`;
    /// `WithdrawalCredentialsNotSet`; `BeaconDepositContractNotSet`; the
    /// queue's or the deposit contract's revert.
    ///
    /// # Events
    /// `Unbuffered(32 ETH·n)`, `DepositedValidatorsChanged(deposited)` when
    /// `n > 0`.
    pub fn deposit_buffered_ether(&mut self, max_validators: U256) -> Result<U256, Error> {
        self.only_role(DEPOSIT_ROLE)?;
        self.when_running()?;
        if !self.flag(CREDENTIALS_BIT) {
            return Err(WithdrawalCredentialsNotSet {}.into());
        }
        let (beacon, total) = self.beacon_and_keys();
        if beacon.is_zero() {
            return Err(BeaconDepositContractNotSet {}.into());
        }
        let mut v = self.validators();
        // Rounding: down (only whole 32 ETH deposits). Cannot truncate:
        // depositable <= buffered < 2^96.
        let affordable = self.depositable()?.saturating_to::<u128>() / DEPOSIT_SIZE_WEI;
        let max = max_validators.saturating_to::<u64>();
        // Cannot truncate: affordable < 2^96 / 32e18 < 2^32.
        let n = max.min(total - v.deposited).min(affordable as u64);
        if n == 0 {
            return Ok(U256::ZERO);
        }
        let amount = DEPOSIT_SIZE * U256::from(n);
        let (token, buffered) = self.token_and_buffered();
        // Cannot underflow: amount <= depositable <= buffered.
        self.set_buffered(token, buffered - amount)?;
        let first = v.deposited;
        // Cannot overflow: n <= total - deposited.
        v.deposited += n;
        self.validators.set(v.encode());
        log(self.vm(), &[Unbuffered::SIGNATURE_HASH], &[amount.into()]);
        log(
            self.vm(),
            &[DepositedValidatorsChanged::SIGNATURE_HASH],
            &[U256::from(v.deposited).into()],
        );

        let wc = self.own_credentials();
        for index in first..v.deposited {
            let key = self.read_key(index);
            self.beacon_deposit(beacon, &key, &wc)?;
        }
        Ok(U256::from(n))
    }

    /// Oracle only: applies a report's consensus-layer state and moves its
    /// ether. The oracle computes every number and afterwards rebases the
    /// token itself.
    ///
    /// - Stores `beaconValidators` (never decreasing, never above the
    ///   deposited count) and `beaconBalance`.
    /// - Collects `withdrawalsToCollect` into the buffer. This program is the
    ///   withdrawal vault (the withdrawal credentials point to it), so
    ///   consensus-layer withdrawals are ether it already holds beyond its
    ///   buffer: the amount may not exceed `balance − buffered`.
    /// - If `lastRequestIdToFinalize` is not 0, takes `ethToLock` from the
    ///   buffer and sends it with
    ///   `IWithdrawalQueue.finalize(lastRequestIdToFinalize, maxShareRate)`
    ///   (even when it is 0 wei: the oracle burns those requests' shares
    ///   right after). `ethToLock > 0` with no request id reverts.
    ///
    /// Works while the pool is stopped (finalization and accounting must not
    /// wait for a resume; the oracle has its own pause).
    ///
    /// # Errors
    /// `Unauthorized(caller)` unless the oracle; `BeaconValidatorsDecreased`;
    /// `BeaconValidatorsExceedDeposited`; `AmountTooLarge(beaconBalance)` above
    /// `2^128 - 1`; `WithdrawalsExceedUnaccountedEther`;
    /// `EtherToLockExceedsBuffer`; `EtherToLockWithoutRequests`;
    /// `WithdrawalQueueNotSet`; the queue's revert.
    ///
    /// # Events
    /// `CLValidatorsUpdated` (if validators appeared), `WithdrawalsReceived`
    /// (if any), `ETHDistributed(reportTimestamp, preCLBalance,
    /// postCLBalance, withdrawals, 0, postBufferedEther)` where `preCLBalance`
    /// counts 32 ETH per newly appeared validator (Lido).
    #[allow(clippy::too_many_arguments)]
    pub fn handle_oracle_report(
        &mut self,
        report_timestamp: U256,
        beacon_validators: U256,
        beacon_balance: U256,
        withdrawals_to_collect: U256,
        last_request_id_to_finalize: U256,
        eth_to_lock: U256,
        max_share_rate: U256,
    ) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != self.oracle() {
            return Err(Unauthorized { caller }.into());
        }
        let mut v = self.validators();
        let previous = U256::from(v.beacon);
        let deposited = U256::from(v.deposited);
        if beacon_validators < previous {
            return Err(BeaconValidatorsDecreased { previous, reported: beacon_validators }.into());
        }
        if beacon_validators > deposited {
            return Err(
                BeaconValidatorsExceedDeposited { deposited, reported: beacon_validators }.into()
            );
        }
        if beacon_balance > U256::from(u128::MAX) {
            return Err(AmountTooLarge { amount: beacon_balance }.into());
        }
        let (token, buffered) = self.token_and_buffered();
        let balance = self.vm().balance(self.vm().contract_address());
        let unaccounted = balance.saturating_sub(buffered);
        if withdrawals_to_collect > unaccounted {
            return Err(WithdrawalsExceedUnaccountedEther {
                unaccounted,
                withdrawals: withdrawals_to_collect,
            }
            .into());
        }
        // Cannot overflow: withdrawals <= balance - buffered.
        let collected = buffered + withdrawals_to_collect;
        if eth_to_lock > collected {
            return Err(
                EtherToLockExceedsBuffer { buffered: collected, ethToLock: eth_to_lock }.into()
            );
        }
        let queue = self.withdrawal_queue.get();
        // Finalize whenever the report names requests, even if they are worth
        // 0 wei: the oracle burns their shares right after this call.
        let finalizing = !last_request_id_to_finalize.is_zero();
        if !finalizing && !eth_to_lock.is_zero() {
            return Err(EtherToLockWithoutRequests { ethToLock: eth_to_lock }.into());
        }
        if finalizing && queue.is_zero() {
            return Err(WithdrawalQueueNotSet {}.into());
        }

        // Cannot underflow: beacon_validators >= previous (checked above).
        let appeared = beacon_validators - previous;
        // Cannot overflow: balance < 2^128, appeared < 2^64, 32 ETH < 2^65.
        let pre_cl_balance = U256::from(v.balance) + DEPOSIT_SIZE * appeared;
        // Cannot underflow: eth_to_lock <= collected (checked above).
        let post_buffered = collected - eth_to_lock;
        // Cannot truncate: beacon_validators <= deposited < 2^64, balance < 2^128.
        v.beacon = beacon_validators.as_limbs()[0];
        v.balance = beacon_balance.saturating_to::<u128>();
        self.validators.set(v.encode());
        self.set_buffered(token, post_buffered)?;
        if !appeared.is_zero() {
            log(
                self.vm(),
                &[CLValidatorsUpdated::SIGNATURE_HASH, report_timestamp.into()],
                &[previous.into(), beacon_validators.into()],
            );
        }
        if !withdrawals_to_collect.is_zero() {
            log(
                self.vm(),
                &[WithdrawalsReceived::SIGNATURE_HASH],
                &[withdrawals_to_collect.into()],
            );
        }
        log(
            self.vm(),
            &[ETHDistributed::SIGNATURE_HASH, report_timestamp.into()],
            &[
                pre_cl_balance.into(),
                beacon_balance.into(),
                withdrawals_to_collect.into(),
                B256::ZERO,
                post_buffered.into(),
            ],
        );
        if finalizing {
            self.finalize(queue, eth_to_lock, last_request_id_to_finalize, max_share_rate)?;
        }
        Ok(())
    }

    // ---- roles (OpenZeppelin IAccessControl) -----------------------------------

    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.roles.has_role(role, account)
    }

    /// Every role is administered by `DEFAULT_ADMIN_ROLE`.
    pub fn get_role_admin(&self, _role: B256) -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    /// Grants `role` to `account` (`DEFAULT_ADMIN_ROLE`).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `RoleGranted(role, account, msg.sender)` if newly granted.
    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        self.roles.grant_role(role, account);
        Ok(())
    }

    /// Revokes `role` from `account` (`DEFAULT_ADMIN_ROLE`).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount`.
    ///
    /// # Events
    /// `RoleRevoked(role, account, msg.sender)` if it was held.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        self.roles.revoke_role(role, account);
        Ok(())
    }

    /// Gives up `role`; `caller_confirmation` must be the caller.
    ///
    /// # Errors
    /// `AccessControlBadConfirmation`.
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

    /// `0x00…00`.
    #[selector(name = "DEFAULT_ADMIN_ROLE")]
    pub fn default_admin_role(&self) -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    /// `keccak256("PAUSE_ROLE")`.
    #[selector(name = "PAUSE_ROLE")]
    pub fn pause_role(&self) -> B256 {
        PAUSE_ROLE
    }

    /// `keccak256("RESUME_ROLE")`.
    #[selector(name = "RESUME_ROLE")]
    pub fn resume_role(&self) -> B256 {
        RESUME_ROLE
    }

    /// `keccak256("STAKING_PAUSE_ROLE")`.
    #[selector(name = "STAKING_PAUSE_ROLE")]
    pub fn staking_pause_role(&self) -> B256 {
        STAKING_PAUSE_ROLE
    }

    /// `keccak256("STAKING_CONTROL_ROLE")`.
    #[selector(name = "STAKING_CONTROL_ROLE")]
    pub fn staking_control_role(&self) -> B256 {
        STAKING_CONTROL_ROLE
    }

    /// `keccak256("MANAGE_SIGNING_KEYS")`.
    #[selector(name = "MANAGE_SIGNING_KEYS")]
    pub fn manage_signing_keys(&self) -> B256 {
        MANAGE_SIGNING_KEYS
    }

    /// `keccak256("DEPOSIT_ROLE")`.
    #[selector(name = "DEPOSIT_ROLE")]
    pub fn deposit_role(&self) -> B256 {
        DEPOSIT_ROLE
    }
}

/// `ZeroAddress` for the zero address.
fn non_zero(account: Address) -> Result<(), Error> {
    if account.is_zero() {
        Err(ZeroAddress {}.into())
    } else {
        Ok(())
    }
}

/// An address in the low 160 bits of a word (Solidity's packing).
fn address_word(account: Address) -> U256 {
    U256::from_be_slice(account.as_slice())
}

impl DepositPool {
    /// Checks, buffers and emits `Submitted` for a stake of `msg.value` by
    /// `sender`. Returns the rebase token's address.
    fn stake(&mut self, sender: Address, referral: Address) -> Result<Address, Error> {
        let amount = self.vm().msg_value();
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        let mut limit = self.limit();
        if limit.is_paused() {
            return Err(StakingIsPaused {}.into());
        }
        if limit.is_limit_set() {
            let now = self.now();
            let current = U256::from(limit.current(now));
            if amount > current {
                return Err(StakeLimitExceeded { limit: current, amount }.into());
            }
            // Cannot truncate: amount <= current < 2^96.
            limit.consume((current - amount).saturating_to::<u128>(), self.now32());
            self.stake_limit.set(limit.encode());
        }
        let (token, buffered) = self.token_and_buffered();
        self.set_buffered(token, buffered.saturating_add(amount))?;
        log(
            self.vm(),
            &[Submitted::SIGNATURE_HASH, sender.into_word()],
            &[amount.into(), referral.into_word()],
        );
        Ok(token)
    }

    /// [`Self::stake`], then mints the shares to `sender` through the token.
    fn stake_and_mint(&mut self, sender: Address, referral: Address) -> Result<U256, Error> {
        let token = self.stake(sender, referral)?;
        let amount = self.vm().msg_value();
        self.mint_shares(token, sender, amount)
    }

    /// Slot 0 decoded: `(rebase token, buffered ether)`.
    fn token_and_buffered(&self) -> (Address, U256) {
        let word = self.token_and_buffer.get();
        (Address::from_word(B256::from(word)), word >> 160)
    }

    /// Writes slot 0.
    ///
    /// # Errors
    /// `TotalOverflow` if `buffered` does not fit 96 bits.
    fn set_buffered(&mut self, token: Address, buffered: U256) -> Result<(), Error> {
        if buffered >> 96 != U256::ZERO {
            return Err(TotalOverflow {}.into());
        }
        self.token_and_buffer.set((buffered << 160) | address_word(token));
        Ok(())
    }

    /// Slot 4 decoded: `(beacon deposit contract, total signing keys)`.
    fn beacon_and_keys(&self) -> (Address, u64) {
        let word = self.beacon_and_keys.get();
        // Cannot truncate: the count occupies bits 160..224.
        (Address::from_word(B256::from(word)), (word >> 160_usize).as_limbs()[0])
    }

    fn set_beacon_and_keys(&mut self, beacon: Address, total: u64) {
        self.beacon_and_keys.set((U256::from(total) << 160) | address_word(beacon));
    }

    /// Stores the key count and emits `TotalSigningKeysCountChanged(0, total)`.
    fn set_total_keys(&mut self, beacon: Address, total: u64) {
        self.set_beacon_and_keys(beacon, total);
        log(
            self.vm(),
            &[TotalSigningKeysCountChanged::SIGNATURE_HASH, B256::ZERO],
            &[U256::from(total).into()],
        );
    }

    /// Buffered ether minus the queue's unfinalized ether, floored at 0.
    fn depositable(&self) -> Result<U256, Error> {
        let buffered = self.token_and_buffered().1;
        let queue = self.withdrawal_queue.get();
        if queue.is_zero() {
            return Ok(buffered);
        }
        let reserved = self.unfinalized_steth(queue)?;
        Ok(buffered.saturating_sub(reserved))
    }

    fn limit(&self) -> StakeLimit {
        StakeLimit::decode(self.stake_limit.get())
    }

    /// Pauses or resumes staking, emitting `StakingPaused`/`StakingResumed`.
    fn set_staking_paused(&mut self, paused: bool) {
        let mut limit = self.limit();
        limit.set_paused(paused, self.now32());
        self.stake_limit.set(limit.encode());
        if paused {
            log(self.vm(), &[StakingPaused::SIGNATURE_HASH], &[]);
        } else {
            log(self.vm(), &[StakingResumed::SIGNATURE_HASH], &[]);
        }
    }

    fn validators(&self) -> Validators {
        Validators::decode(self.validators.get())
    }

    fn oracle(&self) -> Address {
        Address::from_word(B256::from(self.oracle_and_flags.get()))
    }

    fn flag(&self, bit: usize) -> bool {
        self.oracle_and_flags.get().bit(bit)
    }

    fn set_flag(&mut self, bit: usize, value: bool) {
        let mut flags = self.oracle_and_flags.get();
        flags.set_bit(bit, value);
        self.oracle_and_flags.set(flags);
    }

    /// `0x01 ‖ 11 zero bytes ‖ this program's address`.
    fn own_credentials(&self) -> B256 {
        let mut wc = B256::left_padding_from(self.vm().contract_address().as_slice());
        wc[0] = 0x01;
        wc
    }

    /// # Errors
    /// `ContractStopped` while stopped.
    fn when_running(&self) -> Result<(), Error> {
        if self.flag(RUNNING_BIT) {
            Ok(())
        } else {
            Err(ContractStopped {}.into())
        }
    }

    /// # Errors
    /// `NotInitialized` before `initialize`.
    fn when_initialized(&self) -> Result<(), Error> {
        if self.flag(INITIALIZED_BIT) {
            Ok(())
        } else {
            Err(NotInitialized {}.into())
        }
    }

    /// # Errors
    /// `AccessControlUnauthorizedAccount` unless the caller holds `role`.
    fn only_role(&self, role: B256) -> Result<(), Error> {
        Ok(self.roles.check_role(role, self.vm().msg_sender())?)
    }

    /// The 160 bytes of key `index` (pubkey ‖ signature ‖ 16 zero bytes).
    fn read_key(&self, index: u64) -> [u8; 160] {
        let base = index * KEY_WORDS;
        let mut key = [0u8; 160];
        for (w, chunk) in (base..).zip(key.chunks_exact_mut(32)) {
            chunk.copy_from_slice(self.key_words.get(U256::from(w)).as_slice());
        }
        key
    }

    fn write_key(&mut self, index: u64, key: &[u8; 160]) {
        let base = index * KEY_WORDS;
        for (w, chunk) in (base..).zip(key.chunks_exact(32)) {
            self.key_words.setter(U256::from(w)).set(B256::from_slice(chunk));
        }
    }

    /// The block timestamp (tests can move it: see `tests::clock`).
    fn now(&self) -> u64 {
        #[cfg(test)]
        if let Some(now) = tests::clock() {
            return now;
        }
        self.vm().block_timestamp()
    }

    /// The timestamp as stored in the stake-limit word (32 bits; year 2106).
    #[allow(clippy::cast_possible_truncation)]
    fn now32(&self) -> u32 {
        self.now() as u32
    }
}

/// The panic handler of the deployed program: a panic is an unreachable trap,
/// which reverts the transaction.
#[cfg(all(target_arch = "wasm32", not(feature = "export-abi")))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
