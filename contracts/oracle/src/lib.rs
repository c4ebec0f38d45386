//! # Accounting oracle: reporter committee, hash consensus, sanity limits
//! and report application
//!
//! One Stylus program that plays the parts of Lido's `HashConsensus`
//! (committee, quorum, frames, votes on report hashes), `AccountingOracle`
//! (the report data whose hash was agreed, processed once per frame),
//! `OracleReportSanityChecker` (limits) and the accounting half of
//! `Lido.handleOracleReport` (rewards, fee, deferral, finalization).
//!
//! ## Flow of a frame
//! 1. Frames are `slotsPerFrame` slots long; the report of a frame describes
//!    its reference slot (the slot before the frame) — see [`frame`].
//! 2. Each member calls `submitReport(refSlot, keccak256(abi.encode(data)),
//!    consensusVersion)`. A member may change its vote; the first hash whose
//!    support reaches the quorum gives `ConsensusReached`. Support can be lost
//!    again (a vote change, a member removed, a higher quorum) until the
//!    report is processed (`ConsensusLost`).
//! 3. A member (or a `SUBMIT_DATA_ROLE` holder) calls
//!    `submitReportData(data, 1)` with the data behind the agreed hash, before
//!    the frame's deadline: `ProcessingStarted`, then the report is applied
//!    in the same transaction:
//!    - reads: rebase token `getTotalPooledEther`, `getTotalShares`; deposit
//!      pool `getBeaconStat`, `getBufferedEther`; withdrawal queue
//!      `getLastFinalizedRequestId` (static calls);
//!    - [`report::compute`] checks the limits and computes rewards, deferral
//!      and fee shares; the withdrawal queue's `prefinalize(lastId,
//!      maxShareRate)` prices the requests to finalize (if any), and
//!      [`report::settle`] checks the ether they need is there;
//!    - deposit pool `handleOracleReport(ts, N, B', W', lastId, ethToLock,
//!      maxShareRate)` (which emits `ETHDistributed` and calls the withdrawal
//!      queue's `finalize`), then rebase token `rebase(ts, elapsed, P1 -
//!      ethToLock, sharesToBurn, treasury, treasuryShares, operator,
//!      operatorShares)` (`TokenRebased`), then `ReportApplied`.
//!
//!    No program is called twice and none calls the oracle back.
//!
//! Worked example: 3 members, quorum 2. In the frame of reference slot
//! 7,199 member A votes `h1`, B votes `h2`, then B changes to `h1`: support
//! `h1 = 2` → `ConsensusReached(7199, h1, 2)`. Anyone of them submits the
//! data hashing to `h1`: it is applied once; a second submission reverts
//! `RefSlotAlreadyProcessing`, and a late vote `ConsensusReportAlreadyProcessing`.
//!
//! ## ReportData (`submitReportData`'s first argument, a static tuple)
//! | field | why it exists |
//! |---|---|
//! | `consensusVersion` | the rules the members followed to build the report; must be the program's (a daemon on old rules cannot get its data applied) |
//! | `refSlot` | the slot the report describes; must be the agreed frame's, so old data cannot be replayed |
//! | `numValidators` | validators the protocol ever deposited that the consensus layer has seen: each newly seen one turns 32 transient ETH into CL balance |
//! | `clBalanceGwei` | their total balance at `refSlot`, in gwei as the consensus layer counts (× 1e9 here) |
//! | `withdrawalVaultBalance` | wei in the withdrawal vault (skimmed rewards, exited principal): part of the growth, collected into the buffer |
//! | `lastRequestIdToFinalize` | the last withdrawal request to finalize, chosen off-chain as Lido's batches (the ether it needs must fit the buffer and collected withdrawals); `0` or an already finalized id: none |
//!
//! Lido's other fields are not needed here: one staking module (no
//! per-module exited counts or extra data), no separate execution-layer
//! rewards vault (the withdrawal vault receives them), no burner (the
//! withdrawal queue's shares are burnt by the rebase), no bunker mode, and
//! the share rate is computed on-chain instead of simulated off-chain.
//!
//! ## ABI
//! Lido's signatures (`HashConsensus`, `AccountingOracle`,
//! `OracleReportSanityChecker`, OpenZeppelin `IAccessControl`) plus the fee
//! functions, written down in the checked-in `abi.sol` and served by a
//! hand-written router in the SDK's `#[fallback]` ([`router`] says why: the
//! SDK's per-method codecs alone would not fit the 24,576-byte limit). The
//! tests compile `abi.sol` with alloy and call every function through the
//! router.
//!
//! ## Storage layout (declaration order; packed words written by hand)
//! ```text
//! SLOT 0  config:    genesis time u64 | seconds per slot u32 | slots per frame u32
//!                    | initial slot u64 | quorum u32 | consensus version u32
//! SLOT 1  reporting: variants' ref slot u64 | consensus ref slot u64
//!                    | last processing ref slot u64 | consensus variant u8
//! SLOT 2  supports:  support of each of the 32 variant slots, one byte each
//! SLOT 3  rebase token address (bits 0..160) | fee total bp u16 | fee operator bp u16
//! SLOT 4  deposit pool address (bits 0..160) | annual increase bp u16
//!                    | one-off decrease bp u16 | max positive token rebase u64
//! SLOT 5  withdrawal queue   SLOT 6 treasury   SLOT 7 operator recipient
//! SLOT 8..=39  hash of each variant slot
//! SLOT 40 members (address[])
//! SLOT 41 member state: mapping(address => index u8 | last report ref slot u64 | last variant u8)
//! SLOT 42 roles: mapping(bytes32 => mapping(address => bool))
//! ```
//! (Field offsets: the `Field` constants below; fields are little-endian
//! from bit 0 of the slot, as Solidity packs them.) A vote reads slots 0–2,
//! the voter's state, and the hash slots of the live variants it scans
//! (at most one per voting member); it writes slots 1–2, the voter's state
//! and, for a new hash, one hash slot. A report reads slots 0–7, the agreed
//! hash and the sender's state (or role), writes slot 1, and calls the other
//! programs: nothing here depends on the number of holders — the oracle
//! never iterates over holders (its only loops run over the ≤ 32 variant
//! slots and, in views and member removal, the ≤ 32 members), and the
//! programs it calls apply a report with a fixed set of slots (totals, the
//! queue's and the fee recipients' balances).
//!
//! ## Deviations from Lido
//! - One program for HashConsensus, AccountingOracle, the sanity checker and
//!   the report accounting (no report-processor indirection, no locator).
//! - Frames are counted in slots: `getChainConfig` reports one slot per
//!   epoch, `getFrameConfig` one-slot epochs and no fast lane;
//!   `setFrameConfig(slotsPerFrame)` takes one argument; no
//!   `updateInitialEpoch` (frames start at slot 0; the frame current at
//!   deployment counts as processed), no `disableConsensus` (a quorum above
//!   the member count halts consensus), no fast lane.
//! - At most 32 members; an emptied variant slot is reused, so variants never
//!   outnumber members (Lido appends one per vote change);
//!   `getReportVariants` lists live variants only.
//! - A vote for a frame whose report is processing always reverts
//!   `ConsensusReportAlreadyProcessing`; `WarnProcessingMissed` is emitted
//!   at the first vote of the next frame.
//! - ReportData has six fields (see above); the share rate is computed here.
//! - Sanity checks are exact (the basis points in the errors are rounded
//!   up); the one-off decrease check is Lido v2.0's 5 % rule (not LIP-23's
//!   windowed one); no churn, exited-validator, request-age or simulated
//!   share-rate checks; the rebase cap applies to rewards (not to the rate
//!   rise from finalizing requests below the rate); growth above the cap is
//!   deferred in the vault first, then by accounting the CL balance lower
//!   (Lido defers only vault withdrawals).
//! - The fee goes to a treasury and one operator recipient (`setFee`), not
//!   per staking module.
//! - Roles: `getRoleAdmin` is always `DEFAULT_ADMIN_ROLE`; no enumeration.
//!
//! # Invariants
//! - At most [`MAX_MEMBERS`] members; `members[i]`'s state has index `i + 1`;
//!   the quorum is always more than half the members (set together).
//! - For the frame in `variants_ref_slot`, the support of variant slot `i`
//!   equals the number of members whose last vote is (that frame, `i`);
//!   a slot with support 0 is free. Hence at most one variant reaches a
//!   quorum, and the number of live variants never exceeds the members.
//! - `consensus_ref_slot != 0` only while that frame's variant
//!   `consensus_variant` has (or, once processed, had) support ≥ quorum.
//! - `last_processing_ref_slot` only grows; a frame's report is processed at
//!   most once, and votes for it are refused from then on.
//! - A report is applied only if every sanity limit holds ([`report`]).
//!
//! WARNING for integrators: the oracle's trust assumption is the committee:
//! a quorum of members can report any numbers within the sanity limits.
// The SDK's `#[entrypoint]` generates an undocumented `user_entrypoint`
// outside its test mode; test builds (clippy --all-targets) still check every
// documented item.
#![cfg_attr(not(test), allow(missing_docs))]
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod errors;
pub mod events;
pub mod frame;
mod host;
pub mod report;
pub mod roles;
pub mod router;

#[cfg(test)]
mod simulation;
#[cfg(test)]
mod tests;

/// A panic aborts the call (the program is built with `panic = "abort"` and
/// without `std`, so no panic message is formatted into the binary).
#[cfg(all(target_arch = "wasm32", not(any(test, feature = "export-abi"))))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use staking_common::{
    access::RoleMap,
    errors::{AccessControlBadConfirmation, ExternalCallFailed, ZeroAddress},
    packing,
};
use stylus_sdk::{
    function_selector,
    prelude::*,
    storage::{StorageAddress, StorageArray, StorageB256, StorageMap, StorageU256, StorageVec},
    ArbResult,
};

pub use errors::Error;
use errors::*;
use events::*;
use frame::{Frame, FrameConfig};
use host::{sig, word};
use report::{Fee, Limits, PreState, ReportInput};
use roles::*;

/// The most members the committee can have (each variant's support is one
/// byte of a packed slot, and there are this many variant slots).
pub const MAX_MEMBERS: usize = 32;
/// The report data format this program processes (`getContractVersion`).
pub const CONTRACT_VERSION: u64 = 1;
/// The consensus version set at deployment.
pub const INITIAL_CONSENSUS_VERSION: u64 = 1;

/// A field of a packed slot: `(bit offset, width)`, at most 64 bits wide.
type Field = (usize, usize);

/// SLOT 0 (`config`): unix time of slot 0.
const GENESIS_TIME: Field = (0, 64);
/// SLOT 0: seconds per slot (non-zero).
const SECONDS_PER_SLOT: Field = (64, 32);
/// SLOT 0: slots per frame (non-zero).
const SLOTS_PER_FRAME: Field = (96, 32);
/// SLOT 0: the first slot of frame 0.
const INITIAL_SLOT: Field = (128, 64);
/// SLOT 0: votes a hash needs.
const QUORUM: Field = (192, 32);
/// SLOT 0: the consensus version votes and data must carry.
const CONSENSUS_VERSION: Field = (224, 32);
/// SLOT 1 (`reporting`): the reference slot the variant slots belong to.
const VARIANTS_REF_SLOT: Field = (0, 64);
/// SLOT 1: the reference slot of the standing consensus (0: none).
const CONSENSUS_REF_SLOT: Field = (64, 64);
/// SLOT 1: the last reference slot whose report was processed.
const LAST_PROCESSING_REF_SLOT: Field = (128, 64);
/// SLOT 1: the variant slot of the standing consensus.
const CONSENSUS_VARIANT: Field = (192, 8);
/// SLOT 3 (rebase token + fee, after the address): fee, basis points.
const FEE_TOTAL_BP: Field = (160, 16);
/// SLOT 3: the operator recipient's part of the fee, basis points.
const FEE_OPERATOR_BP: Field = (176, 16);
/// SLOT 4 (deposit pool + limits, after the address): annualised increase limit, bp.
const ANNUAL_INCREASE_BP: Field = (160, 16);
/// SLOT 4: one-off decrease limit, bp.
const ONE_OFF_DECREASE_BP: Field = (176, 16);
/// SLOT 4: share-rate increase limit per report, 1e9 = 100 %.
const MAX_POSITIVE_TOKEN_REBASE: Field = (192, 64);
/// Member state slot: 1-based position in `members` (0: not a member).
const MEMBER_INDEX: Field = (0, 8);
/// Member state slot: the reference slot of the member's last vote.
const MEMBER_LAST_REF_SLOT: Field = (8, 64);
/// Member state slot: the variant slot it voted for then.
const MEMBER_LAST_VARIANT: Field = (72, 8);

/// `getTotalPooledEther()` of the rebase token.
pub(crate) const GET_TOTAL_POOLED_ETHER: [u8; 4] = function_selector!("getTotalPooledEther");
/// `getTotalShares()` of the rebase token.
pub(crate) const GET_TOTAL_SHARES: [u8; 4] = function_selector!("getTotalShares");
/// `rebase(...)` of the rebase token.
pub(crate) const REBASE: [u8; 4] =
    function_selector!("rebase", U256, U256, U256, U256, Address, U256, Address, U256);
/// `getBeaconStat()` of the deposit pool.
pub(crate) const GET_BEACON_STAT: [u8; 4] = function_selector!("getBeaconStat");
/// `getBufferedEther()` of the deposit pool.
pub(crate) const GET_BUFFERED_ETHER: [u8; 4] = function_selector!("getBufferedEther");
/// `handleOracleReport(...)` of the deposit pool.
pub(crate) const HANDLE_ORACLE_REPORT: [u8; 4] =
    function_selector!("handleOracleReport", U256, U256, U256, U256, U256, U256, U256);
/// `getLastFinalizedRequestId()` of the withdrawal queue.
pub(crate) const GET_LAST_FINALIZED_REQUEST_ID: [u8; 4] =
    function_selector!("getLastFinalizedRequestId");
/// `prefinalize(uint256,uint256)` of the withdrawal queue.
pub(crate) const PREFINALIZE: [u8; 4] = function_selector!("prefinalize", U256, U256);

/// The field `f` of `word`.
fn get(word: U256, f: Field) -> u64 {
    packing::get(word, f.0, f.1).as_limbs()[0]
}

/// `word` with the field `f` set to `value` (which must fit).
fn put(word: U256, f: Field, value: u64) -> U256 {
    packing::set(word, f.0, f.1, U256::from(value))
}

/// The address in the low 160 bits of `word`.
fn address_of(word: U256) -> Address {
    Address::from_word(B256::from(word))
}

/// `x` as a `u64` of at most `max`, or `NumericOverflow`.
fn narrow(x: U256, max: u64) -> Result<u64, Error> {
    match u64::try_from(x) {
        Ok(v) if v <= max => Ok(v),
        _ => Err(NumericOverflow {}.into()),
    }
}

/// The support of variant slot `i` in the packed supports word.
fn support_of(supports: U256, i: usize) -> u64 {
    get(supports, (8 * i, 8))
}

/// The report data members agree on (see the module documentation for why
/// each field exists). Its ABI form is the static tuple
/// `(uint256,uint256,uint256,uint256,uint256,uint256)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ReportData {
    /// Consensus version the report was built under.
    pub consensus_version: U256,
    /// The reference slot it describes.
    pub ref_slot: U256,
    /// Validators seen on the consensus layer (`N`).
    pub num_validators: U256,
    /// Their total balance, gwei.
    pub cl_balance_gwei: U256,
    /// The withdrawal vault's balance, wei (`W`).
    pub withdrawal_vault_balance: U256,
    /// The last withdrawal request to finalize (0 or already finalized: none).
    pub last_request_id_to_finalize: U256,
}

/// `ReportData` as the ABI passes it.
pub type ReportDataTuple = (U256, U256, U256, U256, U256, U256);

impl From<ReportDataTuple> for ReportData {
    fn from(t: ReportDataTuple) -> Self {
        ReportData {
            consensus_version: t.0,
            ref_slot: t.1,
            num_validators: t.2,
            cl_balance_gwei: t.3,
            withdrawal_vault_balance: t.4,
            last_request_id_to_finalize: t.5,
        }
    }
}

impl ReportData {
    /// `abi.encode(data)`: a static tuple encodes as its six words.
    #[must_use]
    pub fn abi_encode(&self) -> Vec<u8> {
        calldata(
            None,
            &[
                self.consensus_version,
                self.ref_slot,
                self.num_validators,
                self.cl_balance_gwei,
                self.withdrawal_vault_balance,
                self.last_request_id_to_finalize,
            ],
        )
    }

    /// `keccak256(abi.encode(data))`: the hash members vote for.
    #[must_use]
    pub fn hash(&self) -> B256 {
        host::keccak(&self.abi_encode())
    }
}

/// Test hook for the block time: motsu 0.10's `block_timestamp` is a
/// constant, so native tests set the clock here (per test thread). Absent
/// from every non-test build.
#[cfg(test)]
pub(crate) mod test_clock {
    use std::cell::Cell;

    std::thread_local! {
        static NOW: Cell<Option<u64>> = const { Cell::new(None) };
    }

    /// Makes the oracle see `timestamp` as the block time on this thread.
    pub(crate) fn set(timestamp: u64) {
        NOW.with(|now| now.set(Some(timestamp)));
    }

    /// The time set with [`set`], if any.
    pub(crate) fn get() -> Option<u64> {
        NOW.with(Cell::get)
    }
}

/// Index of the `config` word in `words` (SLOT 0): genesis time, slot and
/// frame lengths, initial slot, quorum, consensus version.
const CONFIG: usize = 0;
/// Index of the `reporting` word (SLOT 1): variants' reference slot,
/// standing consensus, last processing reference slot.
const REPORTING: usize = 1;
/// Index of the supports word (SLOT 2): byte `i` is variant slot `i`'s support.
const SUPPORTS: usize = 2;
/// Index of the rebase token + fee word (SLOT 3).
const TOKEN_AND_FEE: usize = 3;
/// Index of the deposit pool + limits word (SLOT 4).
const POOL_AND_LIMITS: usize = 4;
/// Index of the withdrawal queue in `addresses` (SLOT 5).
const WITHDRAWAL_QUEUE: usize = 0;
/// Index of the treasury in `addresses` (SLOT 6).
const TREASURY: usize = 1;
/// Index of the operator recipient in `addresses` (SLOT 7).
const OPERATOR_RECIPIENT: usize = 2;

/// The oracle program. See the module documentation for the layout.
#[storage]
#[entrypoint]
pub struct AccountingOracle {
    /// SLOTS 0..=4: the packed words (`CONFIG`, `REPORTING`, `SUPPORTS`,
    /// `TOKEN_AND_FEE`, `POOL_AND_LIMITS`; fields in the `Field` constants).
    words: StorageArray<StorageU256, 5>,
    /// SLOTS 5..=7: withdrawal queue, treasury, operator recipient.
    addresses: StorageArray<StorageAddress, 3>,
    /// SLOTS 8..=39: the hash of each variant slot.
    variant_hashes: StorageArray<StorageB256, MAX_MEMBERS>,
    /// SLOT 40: the members, in no particular order.
    members: StorageVec<StorageAddress>,
    /// SLOT 41: each member's packed state (`MEMBER_INDEX` … `MEMBER_LAST_VARIANT`).
    member_states: StorageMap<Address, StorageU256>,
    /// SLOT 42: role membership.
    roles: RoleMap,
}

/// Internal helpers (not part of the ABI).
impl AccountingOracle {
    /// The packed word `i` of `words`.
    fn word(&self, i: usize) -> U256 {
        self.words.get(i).unwrap_or_default()
    }

    /// Stores the packed word `i` of `words`.
    fn set_word(&mut self, i: usize, value: U256) {
        if let Some(mut slot) = self.words.setter(i) {
            slot.set(value);
        }
    }

    /// The address `i` of `addresses`.
    fn address(&self, i: usize) -> Address {
        self.addresses.get(i).unwrap_or_default()
    }

    /// Stores the address `i` of `addresses`.
    fn set_address(&mut self, i: usize, value: Address) {
        if let Some(mut slot) = self.addresses.setter(i) {
            slot.set(value);
        }
    }

    /// Emits a log with `topics` (the first is the event signature) and the
    /// ABI-encoded static `data` words. Written out (one non-generic encoder
    /// instead of alloy's per event type); `self.vm()` is only called
    /// directly here, so no `&dyn Host` escapes (see [`host`]).
    fn emit(&self, topics: &[U256], data: &[U256]) {
        let mut log = Vec::with_capacity(32 * (topics.len() + data.len()));
        for w in topics.iter().chain(data) {
            log.extend_from_slice(&w.to_be_bytes::<32>());
        }
        self.vm().emit_log(&log, topics.len());
    }

    /// The frame parameters in a `config` word.
    fn frame_config(config: U256) -> FrameConfig {
        FrameConfig {
            genesis_time: get(config, GENESIS_TIME),
            seconds_per_slot: get(config, SECONDS_PER_SLOT),
            slots_per_frame: get(config, SLOTS_PER_FRAME),
            initial_slot: get(config, INITIAL_SLOT),
        }
    }

    /// The stored frame parameters.
    fn stored_frame_config(&self) -> FrameConfig {
        Self::frame_config(self.word(CONFIG))
    }

    /// The current frame, if there is one yet.
    fn current_frame(&self) -> Option<Frame> {
        self.stored_frame_config().frame_at(host::timestamp())
    }

    /// The current frame, or `InitialEpochIsYetToArrive`.
    fn require_frame(&self) -> Result<Frame, Error> {
        self.current_frame().ok_or(InitialEpochIsYetToArrive {}.into())
    }

    /// `Ok` when the caller holds `role`.
    fn only_role(&self, role: B256) -> Result<(), Error> {
        Ok(self.roles.check_role(role, self.vm().msg_sender())?)
    }

    /// The packed state of `account`.
    fn member_state(&self, account: Address) -> U256 {
        self.member_states.get(account)
    }

    /// Whether `account` is a member.
    fn is_member(&self, account: Address) -> bool {
        get(self.member_state(account), MEMBER_INDEX) != 0
    }

    /// The hash in variant slot `i` (< `MAX_MEMBERS`).
    fn variant_hash(&self, i: u64) -> B256 {
        self.variant_hashes.get(i).unwrap_or_default()
    }

    /// The supports of the variants of `ref_slot` (zero when nobody voted
    /// in that frame yet).
    fn supports_for(&self, reporting: U256, ref_slot: u64) -> U256 {
        if get(reporting, VARIANTS_REF_SLOT) == ref_slot {
            self.word(SUPPORTS)
        } else {
            U256::ZERO
        }
    }

    /// Emits `ConsensusReached(refSlot, report, support)`.
    fn emit_consensus_reached(&self, ref_slot: u64, report: B256, support: u64) {
        self.emit(
            &[sig::<ConsensusReached>(), U256::from(ref_slot)],
            &[report.into(), U256::from(support)],
        );
    }

    /// Re-evaluates the current frame's consensus after a member or quorum
    /// change (Lido's `_checkConsensus`): nothing before the first frame or
    /// once the frame's report is processing.
    fn check_consensus(&mut self) {
        let Some(frame) = self.current_frame() else { return };
        let ref_slot = frame.ref_slot;
        let mut reporting = self.word(REPORTING);
        if ref_slot <= get(reporting, LAST_PROCESSING_REF_SLOT) {
            return;
        }
        let quorum = get(self.word(CONFIG), QUORUM);
        let supports = self.supports_for(reporting, ref_slot);
        let found = (0..MAX_MEMBERS as u64).find(|&i| {
            let s = support_of(supports, i as usize);
            s > 0 && s >= quorum
        });
        let standing = (get(reporting, CONSENSUS_REF_SLOT) == ref_slot)
            .then(|| get(reporting, CONSENSUS_VARIANT));
        match (found, standing) {
            (Some(i), standing) if standing != Some(i) => {
                reporting = put(reporting, CONSENSUS_REF_SLOT, ref_slot);
                self.set_word(REPORTING, put(reporting, CONSENSUS_VARIANT, i));
                let hash = self.variant_hash(i);
                self.emit_consensus_reached(ref_slot, hash, support_of(supports, i as usize));
            }
            (None, Some(_)) => {
                self.set_word(REPORTING, put(reporting, CONSENSUS_REF_SLOT, 0));
                self.emit(&[sig::<ConsensusLost>(), U256::from(ref_slot)], &[]);
            }
            _ => {}
        }
    }

    /// Checks and stores a new quorum for `total_members` members, then
    /// re-evaluates the consensus (Lido's `_setQuorumAndCheckConsensus`).
    ///
    /// # Errors
    /// `QuorumTooSmall` when `quorum <= total_members / 2`;
    /// `NumericOverflow` above `2^32 - 1`.
    fn set_quorum_and_check(&mut self, quorum: U256, total_members: usize) -> Result<(), Error> {
        // Rounds down: more than half of the members.
        let min_quorum = U256::from(total_members / 2 + 1);
        if quorum < min_quorum {
            return Err(QuorumTooSmall { minQuorum: min_quorum, receivedQuorum: quorum }.into());
        }
        let new = narrow(quorum, u64::from(u32::MAX))?;
        let config = self.word(CONFIG);
        let prev = get(config, QUORUM);
        if new != prev {
            self.set_word(CONFIG, put(config, QUORUM, new));
            self.emit(
                &[sig::<QuorumSet>()],
                &[quorum, U256::from(total_members), U256::from(prev)],
            );
        }
        self.check_consensus();
        Ok(())
    }

    /// The sanity limits in a `pool_and_limits` word.
    fn limits(word: U256) -> Limits {
        Limits {
            annual_balance_increase_bp: get(word, ANNUAL_INCREASE_BP),
            one_off_cl_balance_decrease_bp: get(word, ONE_OFF_DECREASE_BP),
            max_positive_token_rebase: get(word, MAX_POSITIVE_TOKEN_REBASE),
        }
    }

    /// Checks `value` against `min..=max`, stores it in `field` of slot 4
    /// and emits `signature(value)` if it changed.
    ///
    /// # Errors
    /// `IncorrectLimitValue` outside the range.
    fn store_limit(
        &mut self,
        field: Field,
        value: U256,
        min: u64,
        max: u64,
        signature: U256,
    ) -> Result<(), Error> {
        let v = match u64::try_from(value) {
            Ok(v) if (min..=max).contains(&v) => v,
            _ => {
                return Err(IncorrectLimitValue {
                    value,
                    minAllowedValue: U256::from(min),
                    maxAllowedValue: U256::from(max),
                }
                .into())
            }
        };
        let word = self.word(POOL_AND_LIMITS);
        if get(word, field) != v {
            self.set_word(POOL_AND_LIMITS, put(word, field, v));
            self.emit(&[signature], &[value]);
        }
        Ok(())
    }

    /// Sets the annualised increase limit (0..=10,000 bp).
    fn store_annual_limit(&mut self, value: U256) -> Result<(), Error> {
        let signature = sig::<AnnualBalanceIncreaseBPLimitSet>();
        self.store_limit(
            ANNUAL_INCREASE_BP,
            value,
            0,
            staking_common::TOTAL_BASIS_POINTS,
            signature,
        )
    }

    /// Sets the one-off decrease limit (0..=10,000 bp).
    fn store_one_off_limit(&mut self, value: U256) -> Result<(), Error> {
        let signature = sig::<OneOffCLBalanceDecreaseBPLimitSet>();
        self.store_limit(
            ONE_OFF_DECREASE_BP,
            value,
            0,
            staking_common::TOTAL_BASIS_POINTS,
            signature,
        )
    }

    /// Sets the share-rate increase limit (1..=2^64 - 1, 1e9 = 100 %).
    fn store_rebase_limit(&mut self, value: U256) -> Result<(), Error> {
        let signature = sig::<MaxPositiveTokenRebaseSet>();
        self.store_limit(MAX_POSITIVE_TOKEN_REBASE, value, 1, u64::MAX, signature)
    }

    /// A static call returning `words` (at most 3) 32-byte words, in the
    /// first `words` entries of the array.
    ///
    /// # Errors
    /// The callee's revert data unchanged, or `ExternalCallFailed(target)`
    /// when it returns fewer words.
    fn view(
        &self,
        target: Address,
        selector: [u8; 4],
        args: &[U256],
        words: usize,
    ) -> Result<[U256; 3], Error> {
        let ret = host::static_call(target, &calldata(Some(selector), args)).map_err(Error)?;
        if ret.len() < 32 * words {
            return Err(ExternalCallFailed { target }.into());
        }
        let mut out = [U256::ZERO; 3];
        for (word, chunk) in out.iter_mut().zip(ret.chunks_exact(32)).take(words) {
            *word = U256::from_be_slice(chunk);
        }
        Ok(out)
    }

    /// A call that changes state (no value).
    ///
    /// # Errors
    /// The callee's revert data unchanged.
    fn call(&mut self, target: Address, selector: [u8; 4], args: &[U256]) -> Result<(), Error> {
        host::call(target, &calldata(Some(selector), args)).map_err(Error)?;
        Ok(())
    }

    /// Applies the processed report (see the module documentation).
    fn apply_report(
        &mut self,
        data: &ReportData,
        cfg: &FrameConfig,
        ref_slot: u64,
        prev_ref_slot: u64,
        now: u64,
    ) -> Result<(), Error> {
        let token_and_fee = self.word(TOKEN_AND_FEE);
        let pool_and_limits = self.word(POOL_AND_LIMITS);
        let token = address_of(token_and_fee);
        let pool = address_of(pool_and_limits);
        let queue = self.address(WITHDRAWAL_QUEUE);
        let [p, ..] = self.view(token, GET_TOTAL_POOLED_ETHER, &[], 1)?;
        let [s, ..] = self.view(token, GET_TOTAL_SHARES, &[], 1)?;
        let beacon = self.view(pool, GET_BEACON_STAT, &[], 3)?;
        let [buffered, ..] = self.view(pool, GET_BUFFERED_ETHER, &[], 1)?;
        let pre = PreState {
            total_pooled_ether: p,
            total_shares: s,
            buffered_ether: buffered,
            deposited_validators: beacon[0],
            beacon_validators: beacon[1],
            beacon_balance: beacon[2],
        };
        let report_timestamp = cfg.slot_time(ref_slot);
        // Saturating: a frame is processed only when its reference slot is
        // after the last processed one (and `compute` rejects zero).
        let time_elapsed =
            U256::from(ref_slot.saturating_sub(prev_ref_slot)) * U256::from(cfg.seconds_per_slot);
        let input = ReportInput {
            report_timestamp,
            now: U256::from(now),
            time_elapsed,
            num_validators: data.num_validators,
            cl_balance_gwei: data.cl_balance_gwei,
            withdrawal_vault_balance: data.withdrawal_vault_balance,
        };
        let fee = Fee {
            total_bp: get(token_and_fee, FEE_TOTAL_BP),
            operator_bp: get(token_and_fee, FEE_OPERATOR_BP),
        };
        let out = report::compute(&pre, &input, &Self::limits(pool_and_limits), &fee)?;

        let [last_finalized, ..] = self.view(queue, GET_LAST_FINALIZED_REQUEST_ID, &[], 1)?;
        let mut last_id = data.last_request_id_to_finalize;
        let (eth_to_lock, shares_to_burn) = if last_id > last_finalized {
            let priced = self.view(queue, PREFINALIZE, &[last_id, out.max_share_rate], 2)?;
            (priced[0], priced[1])
        } else {
            last_id = U256::ZERO;
            (U256::ZERO, U256::ZERO)
        };
        let settled = report::settle(&pre, &out, eth_to_lock)?;

        self.call(
            pool,
            HANDLE_ORACLE_REPORT,
            &[
                report_timestamp,
                data.num_validators,
                out.post_cl_balance,
                out.withdrawals_to_collect,
                last_id,
                eth_to_lock,
                out.max_share_rate,
            ],
        )?;
        self.call(
            token,
            REBASE,
            &[
                report_timestamp,
                time_elapsed,
                settled.post_total_pooled_ether,
                shares_to_burn,
                word(self.address(TREASURY)),
                out.treasury_shares,
                word(self.address(OPERATOR_RECIPIENT)),
                out.operator_shares,
            ],
        )?;
        self.emit(
            &[sig::<ReportApplied>(), U256::from(ref_slot)],
            &[
                out.rewards,
                out.deferred,
                out.loss,
                out.fee_shares(),
                last_id,
                eth_to_lock,
                shares_to_burn,
            ],
        );
        Ok(())
    }
}

/// `selector ‖ args`, each argument one big-endian word (`abi.encode` of
/// static values); without a selector, just the words.
fn calldata(selector: Option<[u8; 4]>, args: &[U256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(4 + 32 * args.len());
    if let Some(selector) = selector {
        data.extend_from_slice(&selector);
    }
    for arg in args {
        data.extend_from_slice(&arg.to_be_bytes::<32>());
    }
    data
}

#[public]
impl AccountingOracle {
    /// Sets the programs, the chain and frame parameters and the fee
    /// recipients; gives `admin` `DEFAULT_ADMIN_ROLE`; sets Lido's default
    /// limits, a 10 % fee (half to the operator recipient) and consensus
    /// version 1. Frames start at slot 0; the frame current at deployment is
    /// treated as processed, so the first report is the next frame's.
    /// Runs once (the SDK guards it).
    ///
    /// # Errors
    /// `ZeroAddress` for any zero address; `InvalidChainConfig` when
    /// `secondsPerSlot == 0`; `SlotsPerFrameCannotBeZero`; `NumericOverflow`
    /// when `genesisTime > 2^64 - 1` or a length is above `2^32 - 1`.
    ///
    /// # Events
    /// `RoleGranted(DEFAULT_ADMIN_ROLE, admin, sender)`, `FrameConfigSet(0,
    /// slotsPerFrame)`, `ConsensusVersionSet(1, 0)`.
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        admin: Address,
        rebase_token: Address,
        deposit_pool: Address,
        withdrawal_queue: Address,
        genesis_time: U256,
        seconds_per_slot: U256,
        slots_per_frame: U256,
        treasury: Address,
        operator_recipient: Address,
    ) -> Result<(), Error> {
        for a in [admin, rebase_token, deposit_pool, withdrawal_queue, treasury, operator_recipient]
        {
            if a.is_zero() {
                return Err(ZeroAddress {}.into());
            }
        }
        if seconds_per_slot.is_zero() {
            return Err(InvalidChainConfig {}.into());
        }
        if slots_per_frame.is_zero() {
            return Err(SlotsPerFrameCannotBeZero {}.into());
        }
        let mut config = put(U256::ZERO, GENESIS_TIME, narrow(genesis_time, u64::MAX)?);
        config = put(config, SECONDS_PER_SLOT, narrow(seconds_per_slot, u64::from(u32::MAX))?);
        config = put(config, SLOTS_PER_FRAME, narrow(slots_per_frame, u64::from(u32::MAX))?);
        config = put(config, CONSENSUS_VERSION, INITIAL_CONSENSUS_VERSION);
        self.set_word(CONFIG, config);
        if let Some(frame) = Self::frame_config(config).frame_at(host::timestamp()) {
            self.set_word(REPORTING, put(U256::ZERO, LAST_PROCESSING_REF_SLOT, frame.ref_slot));
        }
        let mut token_and_fee = put(word(rebase_token), FEE_TOTAL_BP, Fee::DEFAULT.total_bp);
        token_and_fee = put(token_and_fee, FEE_OPERATOR_BP, Fee::DEFAULT.operator_bp);
        self.set_word(TOKEN_AND_FEE, token_and_fee);
        let limits = Limits::DEFAULT;
        let mut pool =
            put(word(deposit_pool), ANNUAL_INCREASE_BP, limits.annual_balance_increase_bp);
        pool = put(pool, ONE_OFF_DECREASE_BP, limits.one_off_cl_balance_decrease_bp);
        pool = put(pool, MAX_POSITIVE_TOKEN_REBASE, limits.max_positive_token_rebase);
        self.set_word(POOL_AND_LIMITS, pool);
        self.set_address(WITHDRAWAL_QUEUE, withdrawal_queue);
        self.set_address(TREASURY, treasury);
        self.set_address(OPERATOR_RECIPIENT, operator_recipient);
        self.roles.grant_role(DEFAULT_ADMIN_ROLE, admin);
        self.emit(&[sig::<FrameConfigSet>()], &[U256::ZERO, slots_per_frame]);
        self.emit(
            &[sig::<ConsensusVersionSet>(), U256::from(INITIAL_CONSENSUS_VERSION), U256::ZERO],
            &[],
        );
        Ok(())
    }

    /// Every other entry point: the Solidity ABI, decoded and encoded by
    /// hand in [`router`] (see there for why) and served by the typed
    /// methods below. Not payable: the SDK rejects value sent to it.
    ///
    /// # Errors
    /// Empty revert data for an unknown selector or malformed arguments;
    /// otherwise the called method's error.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        router::route(self, calldata)
    }
}

/// The typed entry points behind the ABI (see [`router`] for the Solidity
/// signatures). Native tests call these directly.
impl AccountingOracle {
    // ------------------------------------------------------------------
    // Committee (HashConsensus)
    // ------------------------------------------------------------------

    /// Adds `addr` to the committee and sets the quorum (which must be more
    /// than half the new member count).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without
    /// `MANAGE_MEMBERS_AND_QUORUM_ROLE`; `DuplicateMember`;
    /// `AddressCannotBeZero`; `TooManyMembers` above [`MAX_MEMBERS`];
    /// `QuorumTooSmall`; `NumericOverflow`.
    ///
    /// # Events
    /// `MemberAdded(addr, total, quorum)`, `QuorumSet` if it changed, and
    /// `ConsensusReached`/`ConsensusLost` if the current frame's consensus
    /// changes with it.
    pub fn add_member(&mut self, addr: Address, quorum: U256) -> Result<(), Error> {
        self.only_role(MANAGE_MEMBERS_AND_QUORUM_ROLE)?;
        if self.is_member(addr) {
            return Err(DuplicateMember {}.into());
        }
        if addr.is_zero() {
            return Err(AddressCannotBeZero {}.into());
        }
        let total = self.members.len() + 1;
        if total > MAX_MEMBERS {
            return Err(TooManyMembers { maxMembers: U256::from(MAX_MEMBERS) }.into());
        }
        self.members.push(addr);
        self.member_states.insert(addr, put(U256::ZERO, MEMBER_INDEX, total as u64));
        self.emit(&[sig::<MemberAdded>(), word(addr)], &[U256::from(total), quorum]);
        self.set_quorum_and_check(quorum, total)
    }

    /// Removes `addr` from the committee (its vote in the current frame no
    /// longer counts, unless that frame's report is already processing) and
    /// sets the quorum.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without
    /// `MANAGE_MEMBERS_AND_QUORUM_ROLE`; `NonMember`; `QuorumTooSmall`;
    /// `NumericOverflow`.
    ///
    /// # Events
    /// `MemberRemoved(addr, total, quorum)`, `QuorumSet` if it changed, and
    /// `ConsensusLost`/`ConsensusReached` if the current frame's consensus
    /// changes with it.
    pub fn remove_member(&mut self, addr: Address, quorum: U256) -> Result<(), Error> {
        self.only_role(MANAGE_MEMBERS_AND_QUORUM_ROLE)?;
        let state = self.member_state(addr);
        let index = get(state, MEMBER_INDEX) as usize;
        if index == 0 {
            return Err(NonMember {}.into());
        }
        if let Some(frame) = self.current_frame() {
            let ref_slot = frame.ref_slot;
            let processed = get(self.word(REPORTING), LAST_PROCESSING_REF_SLOT);
            if get(state, MEMBER_LAST_REF_SLOT) == ref_slot && ref_slot > processed {
                // The member voted in this frame (so the variant slots belong
                // to it): withdraw that vote's support.
                let variant = get(state, MEMBER_LAST_VARIANT) as usize;
                let supports = self.word(SUPPORTS);
                let support = support_of(supports, variant).saturating_sub(1);
                self.set_word(SUPPORTS, put(supports, (8 * variant, 8), support));
            }
        }
        // Swap-and-pop: the last member takes the removed one's position.
        let last = self.members.len() - 1;
        if index - 1 != last {
            let moved = self.members.get(last).unwrap_or_default();
            if let Some(mut slot) = self.members.setter(index - 1) {
                slot.set(moved);
            }
            let moved_state = self.member_state(moved);
            self.member_states.insert(moved, put(moved_state, MEMBER_INDEX, index as u64));
        }
        self.members.erase_last();
        self.member_states.delete(addr);
        self.emit(&[sig::<MemberRemoved>(), word(addr)], &[U256::from(last), quorum]);
        self.set_quorum_and_check(quorum, last)
    }

    /// Sets the quorum (more than half the members; it may exceed the
    /// member count, which stops consensus).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without
    /// `MANAGE_MEMBERS_AND_QUORUM_ROLE`; `QuorumTooSmall`; `NumericOverflow`.
    ///
    /// # Events
    /// `QuorumSet(new, members, prev)` if it changed;
    /// `ConsensusReached`/`ConsensusLost` if the consensus changes with it.
    pub fn set_quorum(&mut self, quorum: U256) -> Result<(), Error> {
        self.only_role(MANAGE_MEMBERS_AND_QUORUM_ROLE)?;
        let total = self.members.len();
        self.set_quorum_and_check(quorum, total)
    }

    /// `(addresses, lastReportedRefSlots)`: the members and the reference
    /// slot each last voted for.
    pub fn get_members(&self) -> (Vec<Address>, Vec<U256>) {
        let mut addresses = Vec::new();
        let mut last_reported = Vec::new();
        for i in 0..self.members.len() {
            let addr = self.members.get(i).unwrap_or_default();
            addresses.push(addr);
            last_reported.push(U256::from(get(self.member_state(addr), MEMBER_LAST_REF_SLOT)));
        }
        (addresses, last_reported)
    }

    /// The quorum.
    pub fn get_quorum(&self) -> U256 {
        U256::from(get(self.word(CONFIG), QUORUM))
    }

    /// Whether `addr` is a member.
    pub fn get_is_member(&self, addr: Address) -> bool {
        self.is_member(addr)
    }

    /// `(slotsPerEpoch, secondsPerSlot, genesisTime)`, Lido's tuple. Frames
    /// are counted in slots here, so an "epoch" is one slot: Lido's
    /// arithmetic on these values gives the right slots.
    pub fn get_chain_config(&self) -> (U256, U256, U256) {
        let cfg = self.stored_frame_config();
        (U256::from(1), U256::from(cfg.seconds_per_slot), U256::from(cfg.genesis_time))
    }

    /// `(initialEpoch, epochsPerFrame, fastLaneLengthSlots)`, Lido's tuple in
    /// one-slot epochs: the first slot of frame 0, the slots per frame, and 0
    /// (no fast lane).
    pub fn get_frame_config(&self) -> (U256, U256, U256) {
        let cfg = self.stored_frame_config();
        (U256::from(cfg.initial_slot), U256::from(cfg.slots_per_frame), U256::ZERO)
    }

    /// Sets the frame length. The current frame keeps its first slot (frames
    /// are re-anchored there) and so its reference slot; its deadline moves.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `MANAGE_FRAME_CONFIG_ROLE`;
    /// `SlotsPerFrameCannotBeZero`; `NumericOverflow` above `2^32 - 1`.
    ///
    /// # Events
    /// `FrameConfigSet(newInitialSlot, slotsPerFrame)`.
    pub fn set_frame_config(&mut self, slots_per_frame: U256) -> Result<(), Error> {
        self.only_role(MANAGE_FRAME_CONFIG_ROLE)?;
        if slots_per_frame.is_zero() {
            return Err(SlotsPerFrameCannotBeZero {}.into());
        }
        let spf = narrow(slots_per_frame, u64::from(u32::MAX))?;
        let config = self.word(CONFIG);
        let cfg = Self::frame_config(config);
        let initial = cfg
            .slot_at(host::timestamp())
            .and_then(|slot| cfg.frame_start(slot))
            .unwrap_or(cfg.initial_slot);
        self.set_word(CONFIG, put(put(config, INITIAL_SLOT, initial), SLOTS_PER_FRAME, spf));
        self.emit(&[sig::<FrameConfigSet>()], &[U256::from(initial), slots_per_frame]);
        Ok(())
    }

    /// `(refSlot, reportProcessingDeadlineSlot)` of the current frame.
    ///
    /// # Errors
    /// `InitialEpochIsYetToArrive` before the first frame with a reference slot.
    pub fn get_current_frame(&self) -> Result<(U256, U256), Error> {
        let frame = self.require_frame()?;
        Ok((U256::from(frame.ref_slot), U256::from(frame.deadline_slot)))
    }

    /// Votes for `report` (the hash of the report data) for `slot`, the
    /// current reference slot. A member may change its vote until the
    /// frame's report is processing.
    ///
    /// # Errors
    /// `NonMember`; `InitialEpochIsYetToArrive`; `EmptyReport`;
    /// `InvalidSlot`; `StaleReport`; `UnexpectedConsensusVersion`;
    /// `ConsensusReportAlreadyProcessing`; `DuplicateReport` (same vote again).
    ///
    /// # Events
    /// `ReportReceived(refSlot, member, report)`; `ConsensusReached` when
    /// `report` reaches the quorum first; `ConsensusLost` when the vote
    /// change takes the agreed hash below it; `WarnProcessingMissed` on the
    /// first vote of a frame when the previous agreed report was never
    /// processed.
    pub fn submit_report(
        &mut self,
        slot: U256,
        report: B256,
        consensus_version: U256,
    ) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        let state = self.member_state(sender);
        if get(state, MEMBER_INDEX) == 0 {
            return Err(NonMember {}.into());
        }
        let config = self.word(CONFIG);
        let cfg = Self::frame_config(config);
        let now = host::timestamp();
        let frame = cfg.frame_at(now).ok_or(InitialEpochIsYetToArrive {})?;
        let ref_slot = frame.ref_slot;
        if report.is_zero() {
            return Err(EmptyReport {}.into());
        }
        if slot != U256::from(ref_slot) {
            return Err(InvalidSlot {}.into());
        }
        if cfg.slot_at(now).is_none_or(|s| s > frame.deadline_slot) {
            return Err(StaleReport {}.into());
        }
        let expected = U256::from(get(config, CONSENSUS_VERSION));
        if consensus_version != expected {
            return Err(UnexpectedConsensusVersion {
                expectedVersion: expected,
                receivedVersion: consensus_version,
            }
            .into());
        }
        let mut reporting = self.word(REPORTING);
        if ref_slot <= get(reporting, LAST_PROCESSING_REF_SLOT) {
            return Err(ConsensusReportAlreadyProcessing {}.into());
        }
        let quorum = get(config, QUORUM);
        let mut supports = self.supports_for(reporting, ref_slot);
        if get(reporting, VARIANTS_REF_SLOT) != ref_slot {
            // First vote of the frame: the variant slots start empty, and a
            // previous agreed report that was never processed is missed.
            let standing = get(reporting, CONSENSUS_REF_SLOT);
            if standing != 0 && standing > get(reporting, LAST_PROCESSING_REF_SLOT) {
                self.emit(&[sig::<WarnProcessingMissed>(), U256::from(standing)], &[]);
            }
            reporting = put(put(reporting, VARIANTS_REF_SLOT, ref_slot), CONSENSUS_REF_SLOT, 0);
        }
        let mut standing = (get(reporting, CONSENSUS_REF_SLOT) == ref_slot)
            .then(|| get(reporting, CONSENSUS_VARIANT));
        let mut lost = false;
        if get(state, MEMBER_LAST_REF_SLOT) == ref_slot {
            // A vote change: the previous variant loses this member's support.
            let prev = get(state, MEMBER_LAST_VARIANT);
            if self.variant_hash(prev) == report {
                return Err(DuplicateReport {}.into());
            }
            // Saturating: this member's vote is counted there, so it is >= 1.
            let support = support_of(supports, prev as usize).saturating_sub(1);
            supports = put(supports, (8 * prev as usize, 8), support);
            if standing == Some(prev) && support < quorum {
                standing = None;
                lost = true;
            }
        }
        // The live variant with this hash, else the first free slot. A free
        // slot exists: live variants are supported by distinct members other
        // than the voter (whose vote was just withdrawn), so there are fewer
        // than MAX_MEMBERS of them.
        let live = |i: &u64| support_of(supports, *i as usize) > 0;
        let Some(index) = (0..MAX_MEMBERS as u64)
            .find(|i| live(i) && self.variant_hash(*i) == report)
            .or_else(|| (0..MAX_MEMBERS as u64).find(|i| !live(i)))
        else {
            return Err(TooManyMembers { maxMembers: U256::from(MAX_MEMBERS) }.into());
        };
        let support = support_of(supports, index as usize) + 1;
        if support == 1 {
            if let Some(mut slot) = self.variant_hashes.setter(index) {
                slot.set(report);
            }
        }
        self.set_word(SUPPORTS, put(supports, (8 * index as usize, 8), support));
        let state = put(put(state, MEMBER_LAST_REF_SLOT, ref_slot), MEMBER_LAST_VARIANT, index);
        self.member_states.insert(sender, state);
        self.emit(&[sig::<ReportReceived>(), U256::from(ref_slot), word(sender)], &[report.into()]);
        if support >= quorum && standing != Some(index) {
            reporting = put(put(reporting, CONSENSUS_REF_SLOT, ref_slot), CONSENSUS_VARIANT, index);
            self.emit_consensus_reached(ref_slot, report, support);
        } else if lost {
            reporting = put(reporting, CONSENSUS_REF_SLOT, 0);
            self.emit(&[sig::<ConsensusLost>(), U256::from(ref_slot)], &[]);
        }
        self.set_word(REPORTING, reporting);
        Ok(())
    }

    /// `(refSlot, consensusReport, isReportProcessing)` of the current frame
    /// (`consensusReport` is zero without consensus).
    ///
    /// # Errors
    /// `InitialEpochIsYetToArrive` before the first frame.
    pub fn get_consensus_state(&self) -> Result<(U256, B256, bool), Error> {
        let frame = self.require_frame()?;
        let reporting = self.word(REPORTING);
        let report = if get(reporting, CONSENSUS_REF_SLOT) == frame.ref_slot {
            self.variant_hash(get(reporting, CONSENSUS_VARIANT))
        } else {
            B256::ZERO
        };
        let processing = get(reporting, LAST_PROCESSING_REF_SLOT) == frame.ref_slot;
        Ok((U256::from(frame.ref_slot), report, processing))
    }

    /// `(variants, support)`: the current frame's live variants (hashes with
    /// at least one vote) and their support.
    ///
    /// # Errors
    /// `InitialEpochIsYetToArrive` before the first frame.
    pub fn get_report_variants(&self) -> Result<(Vec<B256>, Vec<U256>), Error> {
        let frame = self.require_frame()?;
        let supports = self.supports_for(self.word(REPORTING), frame.ref_slot);
        let mut variants = Vec::new();
        let mut support = Vec::new();
        for i in 0..MAX_MEMBERS {
            let s = support_of(supports, i);
            if s > 0 {
                variants.push(self.variant_hash(i as u64));
                support.push(U256::from(s));
            }
        }
        Ok((variants, support))
    }

    /// Lido's `MemberConsensusState` for `addr`: `(currentFrameRefSlot,
    /// currentFrameConsensusReport, isMember, isFastLane, canReport,
    /// lastMemberReportRefSlot, currentFrameMemberReport)`. Without a fast
    /// lane every member counts as in it.
    ///
    /// # Errors
    /// `InitialEpochIsYetToArrive` before the first frame.
    #[allow(clippy::type_complexity)]
    pub fn get_consensus_state_for_member(
        &self,
        addr: Address,
    ) -> Result<(U256, B256, bool, bool, bool, U256, B256), Error> {
        let (ref_slot, consensus, processing) = self.get_consensus_state()?;
        let state = self.member_state(addr);
        let is_member = get(state, MEMBER_INDEX) != 0;
        let last_ref = U256::from(get(state, MEMBER_LAST_REF_SLOT));
        let member_report = if last_ref == ref_slot {
            self.variant_hash(get(state, MEMBER_LAST_VARIANT))
        } else {
            B256::ZERO
        };
        Ok((
            ref_slot,
            consensus,
            is_member,
            is_member,
            is_member && !processing,
            last_ref,
            member_report,
        ))
    }

    // ------------------------------------------------------------------
    // Report processing (BaseOracle / AccountingOracle)
    // ------------------------------------------------------------------

    /// The consensus version votes and data must carry.
    pub fn get_consensus_version(&self) -> U256 {
        U256::from(get(self.word(CONFIG), CONSENSUS_VERSION))
    }

    /// Sets the consensus version.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without
    /// `MANAGE_CONSENSUS_VERSION_ROLE`; `VersionCannotBeSame`;
    /// `NumericOverflow` above `2^32 - 1`.
    ///
    /// # Events
    /// `ConsensusVersionSet(version, prevVersion)`.
    pub fn set_consensus_version(&mut self, version: U256) -> Result<(), Error> {
        self.only_role(MANAGE_CONSENSUS_VERSION_ROLE)?;
        let config = self.word(CONFIG);
        let prev = get(config, CONSENSUS_VERSION);
        if version == U256::from(prev) {
            return Err(VersionCannotBeSame {}.into());
        }
        let new = narrow(version, u64::from(u32::MAX))?;
        self.set_word(CONFIG, put(config, CONSENSUS_VERSION, new));
        self.emit(&[sig::<ConsensusVersionSet>(), version, U256::from(prev)], &[]);
        Ok(())
    }

    /// The report data format this program processes (1).
    pub fn get_contract_version(&self) -> U256 {
        U256::from(CONTRACT_VERSION)
    }

    /// The last reference slot whose report was processed.
    pub fn get_last_processing_ref_slot(&self) -> U256 {
        U256::from(get(self.word(REPORTING), LAST_PROCESSING_REF_SLOT))
    }

    /// `(hash, refSlot, processingDeadlineTime, processingStarted)` of the
    /// last agreed report (all zero when none stands). The deadline is the
    /// start of the frame's last slot, as Lido's.
    pub fn get_consensus_report(&self) -> (B256, U256, U256, bool) {
        let reporting = self.word(REPORTING);
        let ref_slot = get(reporting, CONSENSUS_REF_SLOT);
        if ref_slot == 0 {
            return (B256::ZERO, U256::ZERO, U256::ZERO, false);
        }
        let cfg = self.stored_frame_config();
        let hash = self.variant_hash(get(reporting, CONSENSUS_VARIANT));
        let deadline = cfg.slot_time(ref_slot.saturating_add(cfg.slots_per_frame));
        let started = get(reporting, LAST_PROCESSING_REF_SLOT) == ref_slot;
        (hash, U256::from(ref_slot), deadline, started)
    }

    /// Submits the data of the agreed report and applies it (see the module
    /// documentation): exactly once per frame, by the start of its last slot.
    ///
    /// # Errors
    /// `SenderNotAllowed` (neither a member nor `SUBMIT_DATA_ROLE`);
    /// `UnexpectedContractVersion`; `NoConsensusReportToProcess`;
    /// `RefSlotAlreadyProcessing`; `ProcessingDeadlineMissed`;
    /// `UnexpectedRefSlot`; `UnexpectedConsensusVersion`;
    /// `UnexpectedDataHash`; any error of [`report::compute`] and
    /// [`report::settle`]; the other programs' errors unchanged.
    ///
    /// # Events
    /// `ProcessingStarted(refSlot, hash)`, then `ReportApplied` (between
    /// them the deposit pool's `ETHDistributed`, the queue's and the rebase
    /// token's events, `TokenRebased` included).
    pub fn submit_report_data(
        &mut self,
        data: ReportDataTuple,
        contract_version: U256,
    ) -> Result<(), Error> {
        let data = ReportData::from(data);
        let sender = self.vm().msg_sender();
        if !self.is_member(sender) && !self.roles.has_role(SUBMIT_DATA_ROLE, sender) {
            return Err(SenderNotAllowed {}.into());
        }
        if contract_version != U256::from(CONTRACT_VERSION) {
            return Err(UnexpectedContractVersion {
                expectedVersion: U256::from(CONTRACT_VERSION),
                receivedVersion: contract_version,
            }
            .into());
        }
        let config = self.word(CONFIG);
        let cfg = Self::frame_config(config);
        let now = host::timestamp();
        let current = cfg.frame_at(now).map(|f| f.ref_slot);
        let reporting = self.word(REPORTING);
        let consensus_ref = get(reporting, CONSENSUS_REF_SLOT);
        let prev_ref = get(reporting, LAST_PROCESSING_REF_SLOT);
        if consensus_ref == 0 || (consensus_ref == prev_ref && current != Some(consensus_ref)) {
            return Err(NoConsensusReportToProcess {}.into());
        }
        if consensus_ref == prev_ref {
            return Err(RefSlotAlreadyProcessing {}.into());
        }
        let deadline = cfg.slot_time(consensus_ref.saturating_add(cfg.slots_per_frame));
        if current != Some(consensus_ref) || U256::from(now) > deadline {
            return Err(ProcessingDeadlineMissed { deadline }.into());
        }
        if data.ref_slot != U256::from(consensus_ref) {
            return Err(UnexpectedRefSlot {
                consensusRefSlot: U256::from(consensus_ref),
                dataRefSlot: data.ref_slot,
            }
            .into());
        }
        let expected_version = U256::from(get(config, CONSENSUS_VERSION));
        if data.consensus_version != expected_version {
            return Err(UnexpectedConsensusVersion {
                expectedVersion: expected_version,
                receivedVersion: data.consensus_version,
            }
            .into());
        }
        let agreed = self.variant_hash(get(reporting, CONSENSUS_VARIANT));
        let hash = data.hash();
        if hash != agreed {
            return Err(UnexpectedDataHash { consensusHash: agreed, receivedHash: hash }.into());
        }
        self.set_word(REPORTING, put(reporting, LAST_PROCESSING_REF_SLOT, consensus_ref));
        self.emit(&[sig::<ProcessingStarted>(), U256::from(consensus_ref)], &[hash.into()]);
        self.apply_report(&data, &cfg, consensus_ref, prev_ref, now)
    }

    // ------------------------------------------------------------------
    // Sanity limits (OracleReportSanityChecker)
    // ------------------------------------------------------------------

    /// `(annualBalanceIncreaseBPLimit, oneOffCLBalanceDecreaseBPLimit,
    /// maxPositiveTokenRebase)`.
    pub fn get_oracle_report_limits(&self) -> (U256, U256, U256) {
        let l = Self::limits(self.word(POOL_AND_LIMITS));
        (
            U256::from(l.annual_balance_increase_bp),
            U256::from(l.one_off_cl_balance_decrease_bp),
            U256::from(l.max_positive_token_rebase),
        )
    }

    /// Sets every limit at once.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `ALL_LIMITS_MANAGER_ROLE`;
    /// `IncorrectLimitValue` (basis points above 10,000; rebase limit 0 or
    /// above `2^64 - 1`).
    ///
    /// # Events
    /// The `…Set` event of each limit that changes.
    pub fn set_oracle_report_limits(
        &mut self,
        annual_balance_increase_bp_limit: U256,
        one_off_cl_balance_decrease_bp_limit: U256,
        max_positive_token_rebase: U256,
    ) -> Result<(), Error> {
        self.only_role(ALL_LIMITS_MANAGER_ROLE)?;
        self.store_annual_limit(annual_balance_increase_bp_limit)?;
        self.store_one_off_limit(one_off_cl_balance_decrease_bp_limit)?;
        self.store_rebase_limit(max_positive_token_rebase)
    }

    /// Sets the annualised CL balance increase limit (basis points).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without
    /// `ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE`; `IncorrectLimitValue`
    /// above 10,000.
    ///
    /// # Events
    /// `AnnualBalanceIncreaseBPLimitSet` if it changes.
    pub fn set_annual_balance_increase_bp_limit(&mut self, limit: U256) -> Result<(), Error> {
        self.only_role(ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE)?;
        self.store_annual_limit(limit)
    }

    /// Sets the one-off CL balance decrease limit (basis points).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without
    /// `ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE`;
    /// `IncorrectLimitValue` above 10,000.
    ///
    /// # Events
    /// `OneOffCLBalanceDecreaseBPLimitSet` if it changes.
    pub fn set_one_off_cl_balance_decrease_bp_limit(&mut self, limit: U256) -> Result<(), Error> {
        self.only_role(ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE)?;
        self.store_one_off_limit(limit)
    }

    /// Sets the share-rate increase limit per report (1e9 = 100 %; above it
    /// rewards are deferred).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without
    /// `MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE`; `IncorrectLimitValue` for 0
    /// or above `2^64 - 1`.
    ///
    /// # Events
    /// `MaxPositiveTokenRebaseSet` if it changes.
    pub fn set_max_positive_token_rebase(&mut self, limit: U256) -> Result<(), Error> {
        self.only_role(MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE)?;
        self.store_rebase_limit(limit)
    }

    // ------------------------------------------------------------------
    // Fee
    // ------------------------------------------------------------------

    /// `(totalBasisPoints, operatorBasisPoints)` of the protocol fee.
    pub fn get_fee(&self) -> (U256, U256) {
        let word = self.word(TOKEN_AND_FEE);
        (U256::from(get(word, FEE_TOTAL_BP)), U256::from(get(word, FEE_OPERATOR_BP)))
    }

    /// `(treasury, operatorRecipient)`: who receives the fee shares.
    pub fn get_fee_recipients(&self) -> (Address, Address) {
        (self.address(TREASURY), self.address(OPERATOR_RECIPIENT))
    }

    /// Sets the protocol fee: `total_bp` of the rewards, `operator_bp` of
    /// which go to the operator recipient (the treasury gets the rest and
    /// the rounding remainder).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `MANAGE_FEE_ROLE`;
    /// `InvalidFee` when `total_bp > 10_000` or `operator_bp > total_bp`.
    ///
    /// # Events
    /// `FeeSet(total_bp, operator_bp)`.
    pub fn set_fee(&mut self, total_bp: U256, operator_bp: U256) -> Result<(), Error> {
        self.only_role(MANAGE_FEE_ROLE)?;
        let fee = match (u64::try_from(total_bp), u64::try_from(operator_bp)) {
            (Ok(total_bp), Ok(operator_bp)) => Fee { total_bp, operator_bp },
            _ => Fee { total_bp: u64::MAX, operator_bp: 0 },
        };
        if !fee.is_valid() {
            return Err(InvalidFee {
                totalBasisPoints: total_bp,
                operatorBasisPoints: operator_bp,
            }
            .into());
        }
        let word = put(self.word(TOKEN_AND_FEE), FEE_TOTAL_BP, fee.total_bp);
        self.set_word(TOKEN_AND_FEE, put(word, FEE_OPERATOR_BP, fee.operator_bp));
        self.emit(&[sig::<FeeSet>()], &[total_bp, operator_bp]);
        Ok(())
    }

    /// Sets the fee recipients.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `MANAGE_FEE_ROLE`;
    /// `ZeroAddress`.
    ///
    /// # Events
    /// `FeeRecipientsSet(treasury, operatorRecipient)`.
    pub fn set_fee_recipients(
        &mut self,
        treasury: Address,
        operator_recipient: Address,
    ) -> Result<(), Error> {
        self.only_role(MANAGE_FEE_ROLE)?;
        if treasury.is_zero() || operator_recipient.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.set_address(TREASURY, treasury);
        self.set_address(OPERATOR_RECIPIENT, operator_recipient);
        self.emit(&[sig::<FeeRecipientsSet>()], &[word(treasury), word(operator_recipient)]);
        Ok(())
    }

    /// `(rebaseToken, depositPool, withdrawalQueue)`.
    pub fn get_protocol_contracts(&self) -> (Address, Address, Address) {
        (
            address_of(self.word(TOKEN_AND_FEE)),
            address_of(self.word(POOL_AND_LIMITS)),
            self.address(WITHDRAWAL_QUEUE),
        )
    }

    // ------------------------------------------------------------------
    // Access control (OpenZeppelin IAccessControl)
    // ------------------------------------------------------------------

    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.roles.has_role(role, account)
    }

    /// The admin of every role: `DEFAULT_ADMIN_ROLE`.
    pub fn get_role_admin(&self, _role: B256) -> B256 {
        DEFAULT_ADMIN_ROLE
    }

    /// Grants `role` to `account`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `DEFAULT_ADMIN_ROLE`.
    ///
    /// # Events
    /// `RoleGranted(role, account, sender)` if newly granted.
    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        self.roles.grant_role(role, account);
        Ok(())
    }

    /// Revokes `role` from `account`.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `DEFAULT_ADMIN_ROLE`.
    ///
    /// # Events
    /// `RoleRevoked(role, account, sender)` if it was held.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE)?;
        self.roles.revoke_role(role, account);
        Ok(())
    }

    /// Gives up `role` (the caller must pass its own address).
    ///
    /// # Errors
    /// `AccessControlBadConfirmation` when `confirmation` is not the caller.
    ///
    /// # Events
    /// `RoleRevoked(role, caller, caller)` if it was held.
    pub fn renounce_role(&mut self, role: B256, confirmation: Address) -> Result<(), Error> {
        if confirmation != self.vm().msg_sender() {
            return Err(AccessControlBadConfirmation {}.into());
        }
        self.roles.revoke_role(role, confirmation);
        Ok(())
    }
}
