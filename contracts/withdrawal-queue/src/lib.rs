//! # Withdrawal queue: the exit path that holds the peg
//!
//! Holders of the rebase token (stETH-like) or the share token (wstETH-like)
//! queue a request to get ether back at the protocol's rate. Each request is
//! an ERC-721 token ("unstETH", as Lido's `WithdrawalQueueERC721`): it can be
//! transferred, and whoever owns it (or is approved for it) claims the ether
//! once the request is finalized.
//!
//! 1. **Request** (`requestWithdrawals`, `requestWithdrawalsWstETH`, and the
//!    `…WithPermit` variants): the queue pulls the tokens, records the
//!    nominal stETH amount, the exact number of shares it received, the owner
//!    and the time, and mints token `id` to the owner.
//! 2. **Finalize** (`finalize`, deposit pool only, on the oracle report path):
//!    requests `(lastFinalized, lastRequestId]` become claimable at the
//!    report's `maxShareRate` (ether per share, 1e27 precision). Request `i`
//!    is worth `min(amountOfStETH_i, floor(shares_i * maxShareRate / 1e27))`:
//!    a loss since the request (the rate fell) is borne by the requester, a
//!    gain (the rate rose) is not received. The deposit pool sends exactly
//!    that much ether (`prefinalize` computes it) and the queue locks it. The
//!    requests' shares are then burnt from the queue's account by the
//!    oracle's `rebase(…, sharesToBurn, …)` on the rebase token; the queue
//!    itself never calls the token during finalization.
//! 3. **Claim** (`claimWithdrawal`, `claimWithdrawals`, `claimWithdrawalsTo`):
//!    the owner or an approved account takes the request's ether, once.
//!
//! Worked example (rates in ether per share): the token is at `P = 110`
//! ether over `S = 100` shares (rate 1.1). Alice requests 11 ether: the token
//! moves `floor(11 * 100 / 110) = 10` shares to the queue. A slashing takes the
//! rate to 1.0 (`maxShareRate = 1e27`): her request is worth
//! `min(11, 10 * 1e27 / 1e27) = 10` ether. Had the rate risen to 1.2 instead
//! (`maxShareRate = 1.2e27`), it would be worth `min(11, 12) = 11`: the extra
//! 1 ether worth of shares is burnt and accrues to the remaining holders.
//!
//! # Rounding and dust
//! Every request's ether is rounded down, and `prefinalize`, `finalize` and
//! the claim compute it with the same formula from the same checkpoint, so
//! the ether locked for a finalization is exactly the sum of what its claims
//! pay: no dust accumulates in the queue. (Lido finalizes batches with one
//! rounding per batch and pays per request, so a few wei per batch stay
//! locked there forever.) The 1–2 wei between a request's nominal
//! `amountOfStETH` and its ether (the token's share rounding, Lido issue
//! #442) never leaves the deposit pool: the burnt shares' value above what is
//! paid accrues to the remaining holders.
//!
//! # Invariants
//! 1. `address(this).balance == getLockedEtherAmount()` (absent forced sends):
//!    ether enters only through `finalize` (exactly the locked amount) and
//!    leaves only through claims (exactly the amount unlocked); plain ether
//!    sends and ether sent with any other function revert.
//! 2. `getLockedEtherAmount() == Σ claimable(i)` over finalized, unclaimed
//!    requests.
//! 3. `unfinalizedStETH() == Σ amountOfStETH_i` over `i > lastFinalized`.
//! 4. `0 <= lastFinalizedRequestId <= lastRequestId`; ids are `1, 2, 3, …`
//!    in request order and are finalized in that order.
//! 5. Checkpoint `k` covers requests `[from_k, from_{k+1})`; `from` strictly
//!    increases with `k`; the last checkpoint covers up to `lastFinalized`.
//! 6. A request is claimed at most once; once claimed it has no owner in the
//!    ERC-721 sense (`ownerOf` reverts) and is in no owner's list.
//! 7. `balanceOf(a) == getWithdrawalRequests(a).length` == the number of
//!    unclaimed requests owned by `a`.
//! 8. Checks-effects-interactions: every claim writes all its state before
//!    the single ether transfer at the end of the call.
//!
//! # Storage layout (declaration order is the layout)
//! ```text
//! SLOT 0: last request id u48 | last finalized id u48 | unfinalized stETH u96
//!         | resume-since timestamp u64          (requests, finalize, claims)
//! SLOT 1: locked ether u128 | last checkpoint index u64   (finalize, claims)
//! SLOT 2: rebase token    SLOT 3: share token    SLOT 4: deposit pool
//! SLOT 5: requests        mapping(u64 id => Request, 2 slots:
//!           A: amountOfStETH u128 | amountOfShares u128
//!           B: owner | timestamp u40 | claimed bool | position u48)
//! SLOT 6: checkpoints     mapping(u64 index => fromRequestId u64 | maxShareRate u128)
//! SLOT 7: owner counts    mapping(address => u64)   (ERC-721 balanceOf)
//! SLOT 8: owner ids       mapping(address => mapping(u64 position => u64 id))
//! SLOT 9: token approvals mapping(u64 id => address)
//! SLOT 10: operators      mapping(address => mapping(address => bool))
//! SLOT 11: roles          mapping(bytes32 => mapping(address => bool))
//! ```
//! An owner's ids sit at positions `0..count` of its `owner ids` map; a
//! request stores its own position, so removing it (claim, transfer) moves
//! the owner's last id into the gap: O(1), as Lido's `EnumerableSet`.
//!
//! # Deviations from Lido's `WithdrawalQueueERC721` (deliberate)
//! - The ABI is served by one payable fallback and the hand-written codec of
//!   [`abi`] (same selectors and encodings as a Solidity contract; see that
//!   module for why). Every function except `finalize` rejects ether.
//! - Finalization takes `(lastRequestId, maxShareRate)` with no off-chain
//!   batches: `prefinalize` walks the requests, one slot each, and values
//!   each request on its own. `finalize` re-computes the same amount and
//!   requires `msg.value` to equal it exactly. The caller is the deposit pool
//!   (a stored address), not a `FINALIZE_ROLE` holder.
//! - A claim may be made by the owner or an account approved for the token
//!   (Lido: the owner only); all ether of one call is sent in one transfer.
//! - A failing `permit` in the `…WithPermit` variants is ignored: if the
//!   allowance is already there (a front-run permit, lidofinance/core#803),
//!   the request goes through; otherwise the transfer reverts for lack of it.
//! - No bunker mode, no request-timestamp margin (oracle policy), no
//!   `calculateFinalizationBatches`, no NFT descriptor or base URI
//!   (`tokenURI` is empty), roles are not enumerable, and the queue starts
//!   resumed (the constructor wires everything in one step).
//! - A request that moves zero shares reverts with `ZeroShares`.
//!
//! Cost note: `prefinalize` and `finalize` each read one cold slot per
//! request finalized (≈ 2,100 gas each), so the report path should bound
//! `lastRequestId` per report (it may finalize in several reports).
//!
//! WARNING for integrators: a request's value is fixed at finalization and
//! never grows after the request; do not hold requests expecting rewards.
//! Anyone can create requests (and tokens) owned by any address, as in Lido.
//! Rebase-token shares sent to the queue directly (not through a request)
//! back no request: they are never burnt nor paid out, and are lost to the
//! sender.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(all(target_arch = "wasm32", not(feature = "export-abi")), no_std)]
// `#[entrypoint]` generates undocumented items in wasm, export-abi and
// rustdoc builds; native builds (tests, clippy) still check every item's docs.
#![cfg_attr(any(target_arch = "wasm32", feature = "export-abi", doc), allow(missing_docs))]
extern crate alloc;

#[allow(unused_imports)]
use alloc::vec;
use alloc::vec::Vec;

use alloy_primitives::{uint, Address, Uint, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use staking_common::{
    errors::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, AmountTooLarge,
        ExternalCallFailed, TotalOverflow, Unauthorized, ZeroAddress, ZeroShares,
    },
    events::{Resumed, RoleGranted, RoleRevoked},
    math::MAX_AMOUNT,
    roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE},
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageU128, StorageU64, StorageU96, StorageUint,
    },
    stylus_core::calls::context::Call,
    ArbResult,
};

use abi::{encode, encode_with_bytes, ret_string, ret_uint_array, Args, ICallees, Word};

pub mod abi;
/// The ERC-721 `Approval` and `Transfer` events (token id indexed).
pub use abi::{Approval, Transfer};
/// This program's own errors and events (from `IWithdrawalQueue.sol`); the
/// ones shared with the other programs come from `staking_common`.
pub use abi::{
    ApprovalForAll, ApprovalToOwner, ApproveToCaller, ArraysLengthMismatch, BatchMetadataUpdate,
    CantSendValueRecipientMayHaveReverted, InvalidHint, InvalidOwnerAddress, InvalidRequestId,
    InvalidRequestIdRange, NotEnoughEtherToFinalize, NotOwnerOrApproved, NotOwnerOrApprovedForAll,
    PauseUntilMustBeInFuture, Paused, PausedExpected, RequestAlreadyClaimed, RequestAmountTooLarge,
    RequestAmountTooSmall, RequestIdsNotSorted, RequestNotFoundOrNotFinalized, ResumedExpected,
    TooMuchEtherToFinalize, TransferFromIncorrectOwner, TransferToNonIERC721Receiver,
    TransferToThemselves, TransferToZeroAddress, WithdrawalClaimed, WithdrawalRequested,
    WithdrawalsFinalized, ZeroPauseDuration, ZeroRecipient, ZeroShareRate,
};

#[cfg(test)]
mod tests;

/// Declares [`Error`] with one variant per `sol!` error, the `From`
/// conversions, and the ABI encoding of each (`selector ‖ fields`, every
/// field one word), written out instead of derived to keep the program small.
macro_rules! errors {
    ($($(#[$doc:meta])* $name:ident { $($field:ident),* }),* $(,)?) => {
        /// Every error this program raises itself. Reverts of the tokens it
        /// calls and of ERC-721 receivers are passed through unchanged.
        #[derive(Debug, PartialEq, Eq)]
        pub enum Error {
            $($(#[$doc])* $name($name),)*
        }

        $(impl From<$name> for Error {
            fn from(error: $name) -> Self {
                Error::$name(error)
            }
        })*

        impl From<Error> for Vec<u8> {
            fn from(error: Error) -> Vec<u8> {
                match error {
                    $(Error::$name(_e) => encode(&$name::SELECTOR, &[$(_e.$field.word()),*]),)*
                }
            }
        }
    };
}

errors! {
    /// See [`RequestAmountTooSmall`].
    RequestAmountTooSmall { amountOfStETH },
    /// See [`RequestAmountTooLarge`].
    RequestAmountTooLarge { amountOfStETH },
    /// See [`InvalidRequestId`].
    InvalidRequestId { requestId },
    /// See [`InvalidRequestIdRange`].
    InvalidRequestIdRange { startId, endId },
    /// See [`RequestNotFoundOrNotFinalized`].
    RequestNotFoundOrNotFinalized { requestId },
    /// See [`RequestAlreadyClaimed`].
    RequestAlreadyClaimed { requestId },
    /// See [`InvalidHint`].
    InvalidHint { hint },
    /// See [`ArraysLengthMismatch`].
    ArraysLengthMismatch { firstArrayLength, secondArrayLength },
    /// See [`RequestIdsNotSorted`].
    RequestIdsNotSorted {},
    /// See [`ZeroRecipient`].
    ZeroRecipient {},
    /// See [`ZeroShareRate`].
    ZeroShareRate {},
    /// See [`TooMuchEtherToFinalize`].
    TooMuchEtherToFinalize { sent, totalStETHToFinalize },
    /// See [`NotEnoughEtherToFinalize`].
    NotEnoughEtherToFinalize { sent, totalStETHToFinalize },
    /// See [`CantSendValueRecipientMayHaveReverted`].
    CantSendValueRecipientMayHaveReverted {},
    /// See [`NotOwnerOrApproved`].
    NotOwnerOrApproved { sender },
    /// See [`NotOwnerOrApprovedForAll`].
    NotOwnerOrApprovedForAll { sender },
    /// See [`ApprovalToOwner`].
    ApprovalToOwner {},
    /// See [`ApproveToCaller`].
    ApproveToCaller {},
    /// See [`TransferFromIncorrectOwner`].
    TransferFromIncorrectOwner { from, realOwner },
    /// See [`TransferToNonIERC721Receiver`].
    TransferToNonIERC721Receiver { to },
    /// See [`TransferToThemselves`].
    TransferToThemselves {},
    /// See [`TransferToZeroAddress`].
    TransferToZeroAddress {},
    /// See [`InvalidOwnerAddress`].
    InvalidOwnerAddress { owner },
    /// See [`ZeroPauseDuration`].
    ZeroPauseDuration {},
    /// See [`PauseUntilMustBeInFuture`].
    PauseUntilMustBeInFuture {},
    /// See [`PausedExpected`].
    PausedExpected {},
    /// See [`ResumedExpected`].
    ResumedExpected {},
    /// `finalize` from anyone but the deposit pool.
    Unauthorized { caller },
    /// A role-gated function called without the role.
    AccessControlUnauthorizedAccount { account, neededRole },
    /// `renounceRole` for another account.
    AccessControlBadConfirmation {},
    /// A zero address given to the constructor.
    ZeroAddress {},
    /// A share rate or share amount above `2^128 - 1`.
    AmountTooLarge { amount },
    /// A counter would no longer fit its packed field.
    TotalOverflow {},
    /// A request for which the token moved no shares.
    ZeroShares {},
    /// A token answered with data that does not decode as its declared return.
    ExternalCallFailed { target },
}

/// `export-abi` asks the constructor's error type for the Solidity types it
/// declares; the errors are listed in `IWithdrawalQueue.sol` instead.
#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::internal::InnerTypes for Error {}

/// The smallest request, in stETH (wei): 100, as Lido.
pub const MIN_STETH_WITHDRAWAL_AMOUNT: U256 = uint!(100_U256);
/// The largest request, in stETH (wei): 1000 ether, as Lido.
pub const MAX_STETH_WITHDRAWAL_AMOUNT: U256 = uint!(1_000_000_000_000_000_000_000_U256);
/// The precision of share rates: `rate = ether * 1e27 / shares`.
pub const E27_PRECISION_BASE: U256 = uint!(1_000_000_000_000_000_000_000_000_000_U256);
/// `pauseFor(PAUSE_INFINITELY)` pauses until `resume()`.
pub const PAUSE_INFINITELY: U256 = U256::MAX;
/// The ERC-721 name.
pub const NAME: &str = "Staked ETH Withdrawal NFT";
/// The ERC-721 symbol.
pub const SYMBOL: &str = "unstETH";
/// `onERC721Received(address,address,uint256,bytes)`, the answer a contract
/// receiving a safe transfer must give.
pub const ERC721_RECEIVED: [u8; 4] = ICallees::onERC721ReceivedCall::SELECTOR;
/// Interface ids `supportsInterface` answers true for: ERC-165, ERC-721,
/// ERC-721 metadata, ERC-4906 and OpenZeppelin's `IAccessControl`.
pub const INTERFACE_IDS: [[u8; 4]; 5] = [
    [0x01, 0xff, 0xc9, 0xa7],
    [0x80, 0xac, 0x58, 0xcd],
    [0x5b, 0x5e, 0x13, 0x9f],
    [0x49, 0x06, 0x49, 0x06],
    [0x79, 0x65, 0xdb, 0x0b],
];
/// The largest request id slot 0 can hold: `2^48 - 1`.
pub const MAX_REQUEST_ID: u64 = (1 << 48) - 1;
/// The largest unfinalized stETH sum slot 0 can hold: `2^96 - 1` wei
/// (about 7.9e10 ether, far above all ether in existence).
pub const MAX_UNFINALIZED_STETH: U256 = U256::from_limbs([u64::MAX, u32::MAX as u64, 0, 0]);
/// `keccak256("")`: the code hash of an account without code.
const EMPTY_CODE_HASH: B256 =
    alloy_primitives::b256!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
/// The stored resume time meaning "paused until resumed".
const RESUME_NEVER: u64 = u64::MAX;

/// A 40-bit unsigned integer in storage (request timestamps).
type StorageU40 = StorageUint<40, 1>;
/// A 48-bit unsigned integer in storage (request ids, list positions).
type StorageU48 = StorageUint<48, 1>;

/// Ether request `(amount_of_steth, shares)` is worth when finalized at
/// `max_share_rate` (1e27 precision): `min(amount_of_steth, floor(shares *
/// max_share_rate / 1e27))`. Rounding: down, in favour of the remaining
/// holders; never more than the nominal amount.
///
/// Callers bound `shares` and `max_share_rate` by `2^128 - 1` (shares are
/// stored in 128 bits, rates are checked on the way in), so the product
/// cannot overflow 256 bits.
#[must_use]
pub fn request_ether(amount_of_steth: U256, shares: U256, max_share_rate: U256) -> U256 {
    // Cannot overflow: both factors are below 2^128.
    let product = shares.wrapping_mul(max_share_rate);
    // Rounding: down. floor(floor(floor(x / 1e9) / 1e9) / 1e9) == floor(x / 1e27).
    let at_rate = div_u32(div_u32(div_u32(product, 1_000_000_000), 1_000_000_000), 1_000_000_000);
    amount_of_steth.min(at_rate)
}

/// `floor(x / d)` for a divisor `0 < d < 2^32`, by long division over 32-bit
/// digits with native 64-bit arithmetic (no general 256-bit division, which
/// would add about 2 KiB to the program).
#[must_use]
pub fn div_u32(x: U256, d: u32) -> U256 {
    let d = u64::from(d);
    let mut limbs = *x.as_limbs();
    let mut remainder = 0u64;
    for limb in limbs.iter_mut().rev() {
        let mut quotient = 0u64;
        for shift in [32u32, 0] {
            // Cannot overflow: remainder < d < 2^32, so current < 2^64.
            let current = (remainder << 32) | ((*limb >> shift) & 0xffff_ffff);
            quotient |= (current / d) << shift;
            remainder = current % d;
        }
        *limb = quotient;
    }
    U256::from_limbs(limbs)
}

/// A stored integer as a `U256` (exact: every stored width is at most 256).
fn wide<const B: usize, const L: usize>(x: Uint<B, L>) -> U256 {
    U256::wrapping_from(x)
}

/// A stored id, index, position or timestamp as `u64` (exact: all are
/// stored in at most 64 bits).
fn low<const B: usize, const L: usize>(x: Uint<B, L>) -> u64 {
    x.as_limbs()[0]
}

/// `x` as a stored integer of `B` bits; the caller has checked it fits.
fn narrow<const B: usize, const L: usize>(x: U256) -> Uint<B, L> {
    Uint::wrapping_from(x)
}

/// `x` as a stored integer of one limb.
fn limb<const B: usize>(x: u64) -> Uint<B, 1> {
    Uint::from_limbs([x])
}

/// `x` as a `U256`.
fn n(x: u64) -> U256 {
    U256::from_limbs([x, 0, 0, 0])
}

/// An id from the ABI as a stored id, when it fits.
fn to_id(id: U256) -> Option<u64> {
    u64::try_from(id).ok()
}

/// Emits an event: `topic0` (its signature hash), the indexed words, then
/// the data words (the ABI encoding of static fields).
fn log(vm: &dyn stylus_sdk::stylus_core::Host, topic0: B256, indexed: &[B256], data: &[B256]) {
    let mut bytes = encode(topic0.as_slice(), indexed);
    for word in data {
        bytes.extend_from_slice(word.as_slice());
    }
    vm.emit_log(&bytes, 1 + indexed.len());
}

/// What a function returns, encoded once after the dispatch.
enum Out {
    /// Nothing.
    Unit,
    /// One word.
    Word(B256),
    /// A `uint256[]`.
    Uints(Vec<U256>),
    /// An encoding made by the function.
    Raw(Vec<u8>),
}

impl Out {
    /// The ABI encoding.
    fn encode(self) -> Vec<u8> {
        match self {
            Out::Unit => Vec::new(),
            Out::Word(word) => word.to_vec(),
            Out::Uints(values) => ret_uint_array(&values),
            Out::Raw(bytes) => bytes,
        }
    }
}

/// Declares the selectors of [`abi::IWithdrawalQueue`] as `u32` constants
/// (a `match` on integers compiles to a compact comparison tree).
macro_rules! selectors {
    ($($name:ident = $call:ident;)*) => {
        /// The selectors the dispatcher routes, from the `sol!` interface.
        mod sel {
            use alloy_sol_types::SolCall;
            use crate::abi::IWithdrawalQueue as I;
            $(
                #[doc = concat!("`", stringify!($call), "`")]
                pub(crate) const $name: u32 = u32::from_be_bytes(<I::$call as SolCall>::SELECTOR);
            )*
        }
    };
}

selectors! {
    MIN_STETH_WITHDRAWAL_AMOUNT = MIN_STETH_WITHDRAWAL_AMOUNTCall;
    MAX_STETH_WITHDRAWAL_AMOUNT = MAX_STETH_WITHDRAWAL_AMOUNTCall;
    PAUSE_INFINITELY = PAUSE_INFINITELYCall;
    DEFAULT_ADMIN_ROLE = DEFAULT_ADMIN_ROLECall;
    PAUSE_ROLE = PAUSE_ROLECall;
    RESUME_ROLE = RESUME_ROLECall;
    STETH = STETHCall;
    WSTETH = WSTETHCall;
    GET_DEPOSIT_POOL = getDepositPoolCall;
    REQUEST_WITHDRAWALS = requestWithdrawalsCall;
    REQUEST_WITHDRAWALS_WST_ETH = requestWithdrawalsWstETHCall;
    REQUEST_WITHDRAWALS_WITH_PERMIT = requestWithdrawalsWithPermitCall;
    REQUEST_WITHDRAWALS_WST_ETH_WITH_PERMIT = requestWithdrawalsWstETHWithPermitCall;
    PREFINALIZE = prefinalizeCall;
    FINALIZE = finalizeCall;
    CLAIM_WITHDRAWAL = claimWithdrawalCall;
    CLAIM_WITHDRAWALS = claimWithdrawalsCall;
    CLAIM_WITHDRAWALS_TO = claimWithdrawalsToCall;
    FIND_CHECKPOINT_HINTS = findCheckpointHintsCall;
    GET_LAST_CHECKPOINT_INDEX = getLastCheckpointIndexCall;
    GET_CLAIMABLE_ETHER = getClaimableEtherCall;
    GET_WITHDRAWAL_STATUS = getWithdrawalStatusCall;
    GET_WITHDRAWAL_REQUESTS = getWithdrawalRequestsCall;
    UNFINALIZED_STETH = unfinalizedStETHCall;
    UNFINALIZED_REQUEST_NUMBER = unfinalizedRequestNumberCall;
    GET_LAST_REQUEST_ID = getLastRequestIdCall;
    GET_LAST_FINALIZED_REQUEST_ID = getLastFinalizedRequestIdCall;
    GET_LOCKED_ETHER_AMOUNT = getLockedEtherAmountCall;
    PAUSE_FOR = pauseForCall;
    PAUSE_UNTIL = pauseUntilCall;
    RESUME = resumeCall;
    IS_PAUSED = isPausedCall;
    GET_RESUME_SINCE_TIMESTAMP = getResumeSinceTimestampCall;
    HAS_ROLE = hasRoleCall;
    GET_ROLE_ADMIN = getRoleAdminCall;
    GRANT_ROLE = grantRoleCall;
    REVOKE_ROLE = revokeRoleCall;
    RENOUNCE_ROLE = renounceRoleCall;
    NAME = nameCall;
    SYMBOL = symbolCall;
    TOKEN_URI = tokenURICall;
    SUPPORTS_INTERFACE = supportsInterfaceCall;
    BALANCE_OF = balanceOfCall;
    OWNER_OF = ownerOfCall;
    APPROVE = approveCall;
    GET_APPROVED = getApprovedCall;
    SET_APPROVAL_FOR_ALL = setApprovalForAllCall;
    IS_APPROVED_FOR_ALL = isApprovedForAllCall;
    TRANSFER_FROM = transferFromCall;
    SAFE_TRANSFER_FROM = safeTransferFrom_0Call;
    SAFE_TRANSFER_FROM_WITH_DATA = safeTransferFrom_1Call;
}

/// One withdrawal request (two slots).
#[storage]
pub struct Request {
    /// A: the nominal stETH amount requested.
    amount_of_steth: StorageU128,
    /// A: the rebase-token shares the queue received for it.
    amount_of_shares: StorageU128,
    /// B: the ERC-721 owner (kept after the claim, for the status view).
    owner: StorageAddress,
    /// B: the block timestamp of the request.
    timestamp: StorageU40,
    /// B: whether the ether was claimed.
    claimed: StorageBool,
    /// B: the index of this id in its owner's list (meaningless once claimed).
    position: StorageU48,
}

/// A finalization: requests from `from_request_id` up to the next
/// checkpoint's start were finalized at `max_share_rate` (one slot).
#[storage]
pub struct Checkpoint {
    /// The first request id of the finalization.
    from_request_id: StorageU64,
    /// The share-rate cap of the finalization (1e27 precision).
    max_share_rate: StorageU128,
}

/// The withdrawal queue's state. See the module documentation for the layout.
#[storage]
#[entrypoint]
pub struct WithdrawalQueue {
    /// SLOT 0: the id of the newest request (0: none yet).
    last_request_id: StorageU48,
    /// SLOT 0: the id of the newest finalized request (0: none yet).
    last_finalized_request_id: StorageU48,
    /// SLOT 0: the nominal stETH of the requests not yet finalized.
    unfinalized_steth: StorageU96,
    /// SLOT 0: requests and finalization are paused while
    /// `block.timestamp < resume_since` (`u64::MAX`: until resumed).
    resume_since: StorageU64,
    /// SLOT 1: ether held for finalized, unclaimed requests.
    locked_ether: StorageU128,
    /// SLOT 1: the index of the newest checkpoint (0: none yet).
    last_checkpoint_index: StorageU64,
    /// SLOT 2: the rebase token (stETH).
    rebase_token: StorageAddress,
    /// SLOT 3: the share token (wstETH).
    share_token: StorageAddress,
    /// SLOT 4: the deposit pool, the only caller of `finalize`.
    deposit_pool: StorageAddress,
    /// SLOT 5: the requests by id.
    requests: StorageMap<u64, Request>,
    /// SLOT 6: the checkpoints by index (from 1).
    checkpoints: StorageMap<u64, Checkpoint>,
    /// SLOT 7: how many unclaimed requests each owner holds.
    owner_counts: StorageMap<Address, StorageU64>,
    /// SLOT 8: `owner_ids[owner][position]`, positions `0..count`.
    owner_ids: StorageMap<Address, StorageMap<u64, StorageU64>>,
    /// SLOT 9: the account approved for each request.
    token_approvals: StorageMap<u64, StorageAddress>,
    /// SLOT 10: `operators[owner][operator]`: may move every request of `owner`.
    operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// SLOT 11: `roles[role][account]`; every role's admin is
    /// `DEFAULT_ADMIN_ROLE` (the layout of `staking_common::access::RoleMap`).
    roles: StorageMap<B256, StorageMap<Address, StorageBool>>,
}

#[public]
impl WithdrawalQueue {
    /// Wires the queue to its tokens and deposit pool and gives `admin` the
    /// `DEFAULT_ADMIN_ROLE`, once (the SDK's constructor guard rejects a
    /// second call). The queue starts resumed.
    ///
    /// # Errors
    /// `ZeroAddress` when any argument is zero.
    ///
    /// # Events
    /// `RoleGranted(DEFAULT_ADMIN_ROLE, admin, sender)`.
    #[constructor]
    pub fn constructor(
        &mut self,
        admin: Address,
        rebase_token: Address,
        share_token: Address,
        deposit_pool: Address,
    ) -> Result<(), Error> {
        if admin.is_zero()
            || rebase_token.is_zero()
            || share_token.is_zero()
            || deposit_pool.is_zero()
        {
            return Err(ZeroAddress {}.into());
        }
        self.rebase_token.set(rebase_token);
        self.share_token.set(share_token);
        self.deposit_pool.set(deposit_pool);
        self._set_role(DEFAULT_ADMIN_ROLE, admin, true);
        Ok(())
    }

    /// The whole ABI of [`abi::IWithdrawalQueue`]: decodes `calldata`
    /// (selector and arguments), runs the function and encodes its result.
    /// Empty data, an unknown selector, malformed arguments, or ether sent to
    /// any function but `finalize` revert with empty data.
    ///
    /// # Errors
    /// The revert data of the function called.
    #[fallback]
    #[payable]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.dispatch(calldata)
    }
}

impl WithdrawalQueue {
    /// Routes one call (see [`Self::fallback`]).
    ///
    /// # Errors
    /// The revert data of the function called; empty data for malformed
    /// calldata, an unknown selector or ether sent to a non-payable function.
    #[allow(clippy::too_many_lines)]
    pub fn dispatch(&mut self, calldata: &[u8]) -> ArbResult {
        let (Some(selector), Some(rest)) = (calldata.get(..4), calldata.get(4..)) else {
            return Err(Vec::new());
        };
        let selector = u32::from_be_bytes([selector[0], selector[1], selector[2], selector[3]]);
        let a = Args::new(rest);
        if selector == sel::FINALIZE {
            let (last, rate) = (a.uint(0), a.uint(1));
            a.check()?;
            self.finalize(last, rate)?;
            return Ok(Vec::new());
        }
        if !self.vm().msg_value().is_zero() {
            return Err(Vec::new());
        }
        let out = match selector {
            // Constants and wiring.
            sel::MIN_STETH_WITHDRAWAL_AMOUNT => Out::Word(MIN_STETH_WITHDRAWAL_AMOUNT.word()),
            sel::MAX_STETH_WITHDRAWAL_AMOUNT => Out::Word(MAX_STETH_WITHDRAWAL_AMOUNT.word()),
            sel::PAUSE_INFINITELY => Out::Word(PAUSE_INFINITELY.word()),
            sel::DEFAULT_ADMIN_ROLE => Out::Word(DEFAULT_ADMIN_ROLE),
            sel::PAUSE_ROLE => Out::Word(PAUSE_ROLE),
            sel::RESUME_ROLE => Out::Word(RESUME_ROLE),
            sel::STETH => Out::Word(self.rebase_token.get().word()),
            sel::WSTETH => Out::Word(self.share_token.get().word()),
            sel::GET_DEPOSIT_POOL => Out::Word(self.deposit_pool.get().word()),
            // Requests.
            sel::REQUEST_WITHDRAWALS
            | sel::REQUEST_WITHDRAWALS_WST_ETH
            | sel::REQUEST_WITHDRAWALS_WITH_PERMIT
            | sel::REQUEST_WITHDRAWALS_WST_ETH_WITH_PERMIT => {
                let wrapped = selector == sel::REQUEST_WITHDRAWALS_WST_ETH
                    || selector == sel::REQUEST_WITHDRAWALS_WST_ETH_WITH_PERMIT;
                let (amounts, owner) = (a.uint_array(0), a.address(1));
                if selector == sel::REQUEST_WITHDRAWALS_WITH_PERMIT
                    || selector == sel::REQUEST_WITHDRAWALS_WST_ETH_WITH_PERMIT
                {
                    let permit = (a.uint(2), a.uint(3), a.uint8(4), a.b256(5), a.b256(6));
                    a.check()?;
                    self._try_permit(wrapped, permit);
                }
                a.check()?;
                Out::Uints(self.request_withdrawals(amounts, owner, wrapped)?)
            }
            // Finalization.
            sel::PREFINALIZE => {
                let (last, rate) = (a.uint(0), a.uint(1));
                a.check()?;
                let (_, ether, shares, _) = self._prefinalize(last, rate)?;
                Out::Raw(encode(&[], &[ether.word(), shares.word()]))
            }
            // Claims.
            sel::CLAIM_WITHDRAWAL => {
                let id = a.uint(0);
                a.check()?;
                let last = low(self.last_checkpoint_index.get());
                let hint = n(self._find_checkpoint_hint(id, 1, last)?);
                let sender = self.vm().msg_sender();
                self.claim_withdrawals_to(&[id], &[hint], sender)?;
                Out::Unit
            }
            sel::CLAIM_WITHDRAWALS | sel::CLAIM_WITHDRAWALS_TO => {
                let (ids, hints) = (a.uint_array(0), a.uint_array(1));
                let recipient = if selector == sel::CLAIM_WITHDRAWALS_TO {
                    let recipient = a.address(2);
                    a.check()?;
                    if recipient.is_zero() {
                        return Err(Error::from(ZeroRecipient {}).into());
                    }
                    recipient
                } else {
                    self.vm().msg_sender()
                };
                a.check()?;
                self.claim_withdrawals_to(&ids, &hints, recipient)?;
                Out::Unit
            }
            sel::FIND_CHECKPOINT_HINTS => {
                let (ids, first, last) = (a.uint_array(0), a.uint(1), a.uint(2));
                a.check()?;
                Out::Uints(self.find_checkpoint_hints(ids, first, last)?)
            }
            sel::GET_LAST_CHECKPOINT_INDEX => {
                Out::Word(wide(self.last_checkpoint_index.get()).word())
            }
            sel::GET_CLAIMABLE_ETHER => {
                let (ids, hints) = (a.uint_array(0), a.uint_array(1));
                a.check()?;
                Out::Uints(self.get_claimable_ether(&ids, &hints)?)
            }
            // Views.
            sel::GET_WITHDRAWAL_STATUS => {
                let ids = a.uint_array(0);
                a.check()?;
                Out::Raw(self.get_withdrawal_status(ids)?)
            }
            sel::GET_WITHDRAWAL_REQUESTS => {
                let owner = a.address(0);
                a.check()?;
                Out::Uints(self.get_withdrawal_requests(owner))
            }
            sel::UNFINALIZED_STETH => Out::Word(wide(self.unfinalized_steth.get()).word()),
            sel::UNFINALIZED_REQUEST_NUMBER => Out::Word(
                wide(self.last_request_id.get() - self.last_finalized_request_id.get()).word(),
            ),
            sel::GET_LAST_REQUEST_ID => Out::Word(wide(self.last_request_id.get()).word()),
            sel::GET_LAST_FINALIZED_REQUEST_ID => {
                Out::Word(wide(self.last_finalized_request_id.get()).word())
            }
            sel::GET_LOCKED_ETHER_AMOUNT => Out::Word(wide(self.locked_ether.get()).word()),
            // Pause.
            sel::PAUSE_FOR | sel::PAUSE_UNTIL => {
                let value = a.uint(0);
                a.check()?;
                if selector == sel::PAUSE_FOR {
                    self.pause_for(value)?;
                } else {
                    self.pause_until(value)?;
                }
                Out::Unit
            }
            sel::RESUME => {
                self.resume()?;
                Out::Unit
            }
            sel::IS_PAUSED => Out::Word(self.is_paused().word()),
            sel::GET_RESUME_SINCE_TIMESTAMP => Out::Word(self.get_resume_since_timestamp().word()),
            // Access control.
            sel::HAS_ROLE => {
                let (role, account) = (a.b256(0), a.address(1));
                a.check()?;
                Out::Word(self.has_role(role, account).word())
            }
            sel::GET_ROLE_ADMIN => {
                a.b256(0);
                a.check()?;
                Out::Word(DEFAULT_ADMIN_ROLE)
            }
            sel::GRANT_ROLE | sel::REVOKE_ROLE | sel::RENOUNCE_ROLE => {
                let (role, account) = (a.b256(0), a.address(1));
                a.check()?;
                if selector == sel::RENOUNCE_ROLE {
                    if account != self.vm().msg_sender() {
                        return Err(Error::from(AccessControlBadConfirmation {}).into());
                    }
                } else {
                    self._check_role(DEFAULT_ADMIN_ROLE)?;
                }
                self._set_role(role, account, selector == sel::GRANT_ROLE);
                Out::Unit
            }
            // ERC-721.
            sel::NAME => Out::Raw(ret_string(NAME)),
            sel::SYMBOL => Out::Raw(ret_string(SYMBOL)),
            sel::TOKEN_URI | sel::GET_APPROVED => {
                let request_id = a.uint(0);
                a.check()?;
                let id = self._live(request_id)?;
                if selector == sel::TOKEN_URI {
                    Out::Raw(ret_string(""))
                } else {
                    Out::Word(self.token_approvals.get(id).word())
                }
            }
            sel::SUPPORTS_INTERFACE => {
                let id = a.bytes4(0);
                a.check()?;
                Out::Word(INTERFACE_IDS.contains(&id).word())
            }
            sel::BALANCE_OF => {
                let owner = a.address(0);
                a.check()?;
                Out::Word(self.balance_of(owner)?.word())
            }
            sel::OWNER_OF => {
                let id = a.uint(0);
                a.check()?;
                Out::Word(self.owner_of(id)?.word())
            }
            sel::APPROVE => {
                let (to, id) = (a.address(0), a.uint(1));
                a.check()?;
                self.approve(to, id)?;
                Out::Unit
            }
            sel::SET_APPROVAL_FOR_ALL => {
                let (operator, approved) = (a.address(0), a.boolean(1));
                a.check()?;
                self.set_approval_for_all(operator, approved)?;
                Out::Unit
            }
            sel::IS_APPROVED_FOR_ALL => {
                let (owner, operator) = (a.address(0), a.address(1));
                a.check()?;
                Out::Word(self.operators.getter(owner).get(operator).word())
            }
            sel::TRANSFER_FROM | sel::SAFE_TRANSFER_FROM | sel::SAFE_TRANSFER_FROM_WITH_DATA => {
                let (from, to, id) = (a.address(0), a.address(1), a.uint(2));
                let data = if selector == sel::SAFE_TRANSFER_FROM_WITH_DATA {
                    a.bytes(3)
                } else {
                    Vec::new()
                };
                a.check()?;
                if selector == sel::TRANSFER_FROM {
                    self._transfer(from, to, id)?;
                } else {
                    self.safe_transfer_from(from, to, id, &data)?;
                }
                Out::Unit
            }
            _ => return Err(Vec::new()),
        };
        Ok(out.encode())
    }

    // ---------------------------------------------------------- requests

    /// Queues one request per amount, owned by `owner` (the caller when
    /// zero); returns the new ids in order.
    ///
    /// stETH (`wrapped == false`): for each amount the rebase token moves the
    /// caller's shares here (`transferFromReturningShares`, spending the
    /// caller's allowance to the queue); the request records the amount,
    /// exactly those shares and the time.
    ///
    /// wstETH (`wrapped == true`): the amounts are share-token units; the
    /// queue pulls their sum (`transferFrom`) and unwraps each amount
    /// separately; the request records the rebase tokens `unwrap` returned as
    /// its stETH amount and the units as its shares.
    ///
    /// # Errors
    /// `ResumedExpected` while paused; `RequestAmountTooSmall` /
    /// `RequestAmountTooLarge` for a stETH amount outside `[100, 1000e18]`
    /// (for wstETH, the unwrapped amount); `AmountTooLarge` when the wstETH
    /// sum overflows; `ZeroShares` when the token moved no shares;
    /// `TotalOverflow` when a counter is full; any revert of the tokens
    /// unchanged.
    ///
    /// # Events
    /// The tokens' events, then per request `WithdrawalRequested(id, caller,
    /// owner, amountOfStETH, shares)` and `Transfer(0, owner, id)`.
    pub fn request_withdrawals(
        &mut self,
        amounts: Vec<U256>,
        owner: Address,
        wrapped: bool,
    ) -> Result<Vec<U256>, Vec<u8>> {
        self._check_resumed()?;
        let sender = self.vm().msg_sender();
        let owner = if owner.is_zero() { sender } else { owner };
        let this = self.vm().contract_address();
        if wrapped {
            let mut total = U256::ZERO;
            for amount in &amounts {
                total = total
                    .checked_add(*amount)
                    .ok_or_else(|| Error::from(AmountTooLarge { amount: *amount }))?;
            }
            let token = self.share_token.get();
            let calldata = encode(
                &ICallees::transferFromCall::SELECTOR,
                &[sender.word(), this.word(), total.word()],
            );
            // The share token reverts on failure (returns true otherwise).
            self._call(token, &calldata)?;
        } else {
            for amount in &amounts {
                check_amount(*amount)?;
            }
        }
        let mut ids = Vec::with_capacity(amounts.len());
        for value in amounts {
            let (token, calldata) = if wrapped {
                (self.share_token.get(), encode(&ICallees::unwrapCall::SELECTOR, &[value.word()]))
            } else {
                (
                    self.rebase_token.get(),
                    encode(
                        &ICallees::transferFromReturningSharesCall::SELECTOR,
                        &[sender.word(), this.word(), value.word()],
                    ),
                )
            };
            // Rounding: the rebase token moves floor(amount * S / P) shares
            // (down, in favour of the pool; all of them for a whole balance);
            // unwrap values the units down (getPooledEthByShares) and moves
            // exactly `value` shares here.
            let output = self._call(token, &calldata)?;
            let returned = abi::returned_uint(&output)
                .ok_or_else(|| Error::from(ExternalCallFailed { target: token }))?;
            let (amount, shares) = if wrapped { (returned, value) } else { (value, returned) };
            if wrapped {
                check_amount(amount)?;
            }
            ids.push(self._enqueue(sender, owner, amount, shares)?);
        }
        Ok(ids)
    }

    // ------------------------------------------------------ finalization

    /// Finalizes requests up to `last_request_id` at `max_share_rate`, locking
    /// `msg.value`, which must be exactly `prefinalize`'s `ethToLock`
    /// (`Σ min(amountOfStETH_i, floor(shares_i * max_share_rate / 1e27))`).
    /// Adds a checkpoint `{from: lastFinalized + 1, max_share_rate}` so claims
    /// value each request as `prefinalize` did. The requests' shares stay in
    /// the queue's rebase-token account until the oracle burns them.
    ///
    /// # Errors
    /// `Unauthorized` unless called by the deposit pool; `ResumedExpected`
    /// while paused; `ZeroShareRate`; `AmountTooLarge` for a rate above
    /// `2^128 - 1`; `InvalidRequestId` unless `lastFinalized <
    /// last_request_id <= lastRequestId`; `TooMuchEtherToFinalize` /
    /// `NotEnoughEtherToFinalize` when `msg.value` differs from `ethToLock`.
    ///
    /// # Events
    /// `WithdrawalsFinalized(from, to, msg.value, sharesToBurn, timestamp)`,
    /// `BatchMetadataUpdate(from, to)`.
    pub fn finalize(&mut self, last_request_id: U256, max_share_rate: U256) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        if sender != self.deposit_pool.get() {
            return Err(Unauthorized { caller: sender }.into());
        }
        self._check_resumed()?;
        let (from, ether, shares, steth) = self._prefinalize(last_request_id, max_share_rate)?;
        let sent = self.vm().msg_value();
        if sent > ether {
            return Err(TooMuchEtherToFinalize { sent, totalStETHToFinalize: ether }.into());
        }
        if sent < ether {
            return Err(NotEnoughEtherToFinalize { sent, totalStETHToFinalize: ether }.into());
        }
        // Cannot overflow: the checkpoint index grows by one per finalization.
        let index = low(self.last_checkpoint_index.get()) + 1;
        self.last_checkpoint_index.set(limb(index));
        {
            let mut checkpoint = self.checkpoints.setter(index);
            checkpoint.from_request_id.set(limb(from));
            // Cannot truncate: `_prefinalize` checked rate <= 2^128 - 1.
            checkpoint.max_share_rate.set(narrow(max_share_rate));
        }
        // Cannot overflow 128 bits: locked ether is ether this program holds.
        self.locked_ether.set(narrow(wide(self.locked_ether.get()) + sent));
        // Cannot truncate: `_prefinalize` checked last_request_id <= last id.
        self.last_finalized_request_id.set(narrow(last_request_id));
        // Cannot underflow: `steth` is part of the unfinalized sum.
        self.unfinalized_steth.set(narrow(wide(self.unfinalized_steth.get()) - steth));
        let (from, to) = (n(from).word(), last_request_id.word());
        let now = n(self.vm().block_timestamp());
        log(
            self.vm(),
            WithdrawalsFinalized::SIGNATURE_HASH,
            &[from, to],
            &[sent.word(), shares.word(), now.word()],
        );
        log(self.vm(), BatchMetadataUpdate::SIGNATURE_HASH, &[], &[from, to]);
        Ok(())
    }

    // ------------------------------------------------------------ claims

    /// Claims finalized requests `request_ids` with checkpoint `hints` (from
    /// `findCheckpointHints`) and sends their ether to `recipient` in one
    /// transfer, after all state is written (checks-effects-interactions).
    /// Each request pays `min(amountOfStETH, floor(shares *
    /// checkpoint.maxShareRate / 1e27))`, exactly what its finalization
    /// locked for it.
    ///
    /// # Errors
    /// `ArraysLengthMismatch`; per request: `InvalidRequestId` for id 0,
    /// `RequestNotFoundOrNotFinalized` above the last finalized id,
    /// `RequestAlreadyClaimed`, `NotOwnerOrApproved` unless the caller owns,
    /// operates or is approved for it, `InvalidHint` for a hint that does not
    /// cover it; `CantSendValueRecipientMayHaveReverted` when the transfer
    /// fails.
    ///
    /// # Events
    /// Per request: `WithdrawalClaimed(id, owner, recipient, ether)`,
    /// `Transfer(owner, 0, id)`.
    pub fn claim_withdrawals_to(
        &mut self,
        request_ids: &[U256],
        hints: &[U256],
        recipient: Address,
    ) -> Result<(), Error> {
        check_lengths(request_ids, hints)?;
        let mut total = U256::ZERO;
        for (id, hint) in request_ids.iter().zip(hints) {
            // Cannot overflow: the sum is bounded by the locked ether.
            total += self._claim(*id, *hint, recipient)?;
        }
        if total.is_zero() {
            return Ok(());
        }
        self.vm()
            .transfer_eth(recipient, total)
            .map_err(|_| CantSendValueRecipientMayHaveReverted {}.into())
    }

    /// The checkpoint index covering each id, searched in `[first_index,
    /// last_index]` (`0` for an id not finalized yet). Ids must be ascending;
    /// each found hint starts the next search, as Lido.
    ///
    /// # Errors
    /// `RequestIdsNotSorted`; `InvalidRequestId` for an unknown id;
    /// `InvalidRequestIdRange` when `first_index` is zero or `last_index` is
    /// above `getLastCheckpointIndex()`.
    pub fn find_checkpoint_hints(
        &self,
        request_ids: Vec<U256>,
        first_index: U256,
        last_index: U256,
    ) -> Result<Vec<U256>, Error> {
        let range =
            || Error::from(InvalidRequestIdRange { startId: first_index, endId: last_index });
        let mut first = to_id(first_index).ok_or_else(range)?;
        let last = to_id(last_index).ok_or_else(range)?;
        let mut hints = Vec::with_capacity(request_ids.len());
        let mut previous = U256::ZERO;
        for id in request_ids {
            if id < previous {
                return Err(RequestIdsNotSorted {}.into());
            }
            let hint = self._find_checkpoint_hint(id, first, last)?;
            if hint != 0 {
                first = hint;
            }
            hints.push(n(hint));
            previous = id;
        }
        Ok(hints)
    }

    /// The ether each request would pay now with its hint: 0 when it is not
    /// finalized or already claimed.
    ///
    /// # Errors
    /// `ArraysLengthMismatch`; `InvalidRequestId` for an unknown id;
    /// `InvalidHint` for a finalized request whose hint does not cover it.
    pub fn get_claimable_ether(
        &self,
        request_ids: &[U256],
        hints: &[U256],
    ) -> Result<Vec<U256>, Error> {
        check_lengths(request_ids, hints)?;
        let finalized = low(self.last_finalized_request_id.get());
        let mut values = Vec::with_capacity(request_ids.len());
        for (request_id, hint) in request_ids.iter().zip(hints) {
            let id = self._existing(*request_id)?;
            let value = if id > finalized || self.requests.getter(id).claimed.get() {
                U256::ZERO
            } else {
                self._claimable(id, *hint)?
            };
            values.push(value);
        }
        Ok(values)
    }

    // ------------------------------------------------------------- views

    /// The ABI encoding of `WithdrawalRequestStatus[]` for `request_ids`:
    /// `(amountOfStETH, amountOfShares, owner, timestamp, isFinalized,
    /// isClaimed)` each, as Lido.
    ///
    /// # Errors
    /// `InvalidRequestId` for an unknown id.
    pub fn get_withdrawal_status(&self, request_ids: Vec<U256>) -> Result<Vec<u8>, Error> {
        let finalized = low(self.last_finalized_request_id.get());
        let mut out = encode(&[], &[U256::from(32).word(), U256::from(request_ids.len()).word()]);
        for request_id in request_ids {
            let id = self._existing(request_id)?;
            let request = self.requests.getter(id);
            let words = [
                wide(request.amount_of_steth.get()).word(),
                wide(request.amount_of_shares.get()).word(),
                request.owner.get().word(),
                wide(request.timestamp.get()).word(),
                (id <= finalized).word(),
                request.claimed.get().word(),
            ];
            out.extend(encode(&[], &words));
        }
        Ok(out)
    }

    /// The unclaimed request ids `owner` holds (in no particular order).
    pub fn get_withdrawal_requests(&self, owner: Address) -> Vec<U256> {
        let count = low(self.owner_counts.get(owner));
        let ids = self.owner_ids.getter(owner);
        (0..count).map(|position| wide(ids.get(position))).collect()
    }

    // ------------------------------------------------------------- pause

    /// Pauses requests and finalization for `duration` seconds
    /// (`PAUSE_INFINITELY`, or a time beyond `2^64 - 1`: until `resume()`).
    /// Claims are never paused.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `PAUSE_ROLE`;
    /// `ResumedExpected` when already paused; `ZeroPauseDuration`.
    ///
    /// # Events
    /// `Paused(duration)`.
    pub fn pause_for(&mut self, duration: U256) -> Result<(), Error> {
        self._check_role(PAUSE_ROLE)?;
        self._check_resumed()?;
        if duration.is_zero() {
            return Err(ZeroPauseDuration {}.into());
        }
        let now = self.vm().block_timestamp();
        let resume_since = to_id(duration).map_or(RESUME_NEVER, |d| now.saturating_add(d));
        self.resume_since.set(limb(resume_since));
        log(self.vm(), Paused::SIGNATURE_HASH, &[], &[duration.word()]);
        Ok(())
    }

    /// Pauses requests and finalization up to and including timestamp
    /// `pause_until_inclusive` (`PAUSE_INFINITELY`, or a time beyond
    /// `2^64 - 2`: until `resume()`).
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `PAUSE_ROLE`;
    /// `ResumedExpected` when already paused; `PauseUntilMustBeInFuture` for a
    /// time before now.
    ///
    /// # Events
    /// `Paused(seconds until resumption)` (`PAUSE_INFINITELY` when unbounded).
    pub fn pause_until(&mut self, pause_until_inclusive: U256) -> Result<(), Error> {
        self._check_role(PAUSE_ROLE)?;
        self._check_resumed()?;
        let now = self.vm().block_timestamp();
        if pause_until_inclusive < n(now) {
            return Err(PauseUntilMustBeInFuture {}.into());
        }
        let resume_since =
            to_id(pause_until_inclusive).and_then(|t| t.checked_add(1)).unwrap_or(RESUME_NEVER);
        self.resume_since.set(limb(resume_since));
        let duration =
            if resume_since == RESUME_NEVER { PAUSE_INFINITELY } else { n(resume_since - now) };
        log(self.vm(), Paused::SIGNATURE_HASH, &[], &[duration.word()]);
        Ok(())
    }

    /// Resumes requests and finalization.
    ///
    /// # Errors
    /// `AccessControlUnauthorizedAccount` without `RESUME_ROLE`;
    /// `PausedExpected` when not paused.
    ///
    /// # Events
    /// `Resumed()`.
    pub fn resume(&mut self) -> Result<(), Error> {
        self._check_role(RESUME_ROLE)?;
        if !self.is_paused() {
            return Err(PausedExpected {}.into());
        }
        self.resume_since.set(limb(self.vm().block_timestamp()));
        log(self.vm(), Resumed::SIGNATURE_HASH, &[], &[]);
        Ok(())
    }

    /// Whether requests and finalization are paused now.
    pub fn is_paused(&self) -> bool {
        is_paused_at(self.vm().block_timestamp(), low(self.resume_since.get()))
    }

    /// The first timestamp at which the queue is no longer paused
    /// (`PAUSE_INFINITELY` while paused until resumed).
    pub fn get_resume_since_timestamp(&self) -> U256 {
        let since = low(self.resume_since.get());
        if since == RESUME_NEVER {
            PAUSE_INFINITELY
        } else {
            n(since)
        }
    }

    // ---------------------------------------------------- access control

    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.roles.getter(role).get(account)
    }

    // ------------------------------------------------------------ ERC-721

    /// The number of unclaimed requests `owner` holds.
    ///
    /// # Errors
    /// `InvalidOwnerAddress` for the zero address.
    pub fn balance_of(&self, owner: Address) -> Result<U256, Error> {
        if owner.is_zero() {
            return Err(InvalidOwnerAddress { owner }.into());
        }
        Ok(wide(self.owner_counts.get(owner)))
    }

    /// The owner of an unclaimed request.
    ///
    /// # Errors
    /// `InvalidRequestId` for an unknown id; `RequestAlreadyClaimed`.
    pub fn owner_of(&self, request_id: U256) -> Result<Address, Error> {
        let id = self._existing(request_id)?;
        let (owner, claimed, _) = self._owner_state(id);
        if claimed {
            return Err(RequestAlreadyClaimed { requestId: request_id }.into());
        }
        Ok(owner)
    }

    /// Approves `to` for one request (zero clears the approval).
    ///
    /// # Errors
    /// As [`Self::owner_of`]; `ApprovalToOwner`; `NotOwnerOrApprovedForAll`
    /// unless the caller is the owner or its operator.
    ///
    /// # Events
    /// `Approval(owner, to, id)`.
    pub fn approve(&mut self, to: Address, request_id: U256) -> Result<(), Error> {
        let owner = self.owner_of(request_id)?;
        if to == owner {
            return Err(ApprovalToOwner {}.into());
        }
        let sender = self.vm().msg_sender();
        if sender != owner && !self.operators.getter(owner).get(sender) {
            return Err(NotOwnerOrApprovedForAll { sender }.into());
        }
        // Cannot truncate: `owner_of` checked the id is a known one.
        self.token_approvals.setter(request_id.as_limbs()[0]).set(to);
        log(
            self.vm(),
            Approval::SIGNATURE_HASH,
            &[owner.word(), to.word(), request_id.word()],
            &[],
        );
        Ok(())
    }

    /// Lets `operator` move and claim every request of the caller.
    ///
    /// # Errors
    /// `ApproveToCaller` when `operator` is the caller.
    ///
    /// # Events
    /// `ApprovalForAll(caller, operator, approved)`.
    pub fn set_approval_for_all(&mut self, operator: Address, approved: bool) -> Result<(), Error> {
        let owner = self.vm().msg_sender();
        if operator == owner {
            return Err(ApproveToCaller {}.into());
        }
        self.operators.setter(owner).setter(operator).set(approved);
        log(
            self.vm(),
            ApprovalForAll::SIGNATURE_HASH,
            &[owner.word(), operator.word()],
            &[approved.word()],
        );
        Ok(())
    }

    /// `_transfer` (as `transferFrom`), then, when `to` has code, requires
    /// `to.onERC721Received(caller, from, id, data)` to return its selector.
    ///
    /// # Errors
    /// As `transferFrom`; `TransferToNonIERC721Receiver` when the
    /// receiver answers anything else or reverts without data; a receiver's
    /// revert data is passed through unchanged.
    ///
    /// # Events
    /// `Transfer(from, to, id)`.
    pub fn safe_transfer_from(
        &mut self,
        from: Address,
        to: Address,
        request_id: U256,
        data: &[u8],
    ) -> Result<(), Vec<u8>> {
        self._transfer(from, to, request_id)?;
        if !has_code(self.vm().code_hash(to)) {
            return Ok(());
        }
        let operator = self.vm().msg_sender();
        let calldata = encode_with_bytes(
            ERC721_RECEIVED,
            &[operator.word(), from.word(), request_id.word()],
            data,
        );
        let answer = self.vm().call(&Call::new(), to, &calldata).map_err(|error| match error {
            stylus_sdk::stylus_core::calls::errors::Error::Revert(reason) => reason,
            stylus_sdk::stylus_core::calls::errors::Error::AbiDecodingFailed(_) => Vec::new(),
        });
        check_receiver_answer(answer, to)
    }
}

impl WithdrawalQueue {
    /// Calls `target` with `calldata` (no value); its revert data is passed
    /// through unchanged.
    fn _call(&mut self, target: Address, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        self.vm().call(&Call::new(), target, calldata).map_err(|error| match error {
            stylus_sdk::stylus_core::calls::errors::Error::Revert(data) => data,
            stylus_sdk::stylus_core::calls::errors::Error::AbiDecodingFailed(_) => {
                Error::from(ExternalCallFailed { target }).into()
            }
        })
    }

    /// `Ok` when the caller holds `role`.
    fn _check_role(&self, role: B256) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        if self.has_role(role, account) {
            Ok(())
        } else {
            Err(AccessControlUnauthorizedAccount { account, neededRole: role }.into())
        }
    }

    /// Grants (`member`) or revokes `role` of `account`, with
    /// `RoleGranted`/`RoleRevoked` when it changes.
    fn _set_role(&mut self, role: B256, account: Address, member: bool) {
        if self.has_role(role, account) == member {
            return;
        }
        self.roles.setter(role).setter(account).set(member);
        let topic0 = if member { RoleGranted::SIGNATURE_HASH } else { RoleRevoked::SIGNATURE_HASH };
        let sender = self.vm().msg_sender();
        log(self.vm(), topic0, &[role, account.word(), sender.word()], &[]);
    }

    /// `Ok` unless paused.
    fn _check_resumed(&self) -> Result<(), Error> {
        if self.is_paused() {
            return Err(ResumedExpected {}.into());
        }
        Ok(())
    }

    /// Calls `permit(caller, queue, value, deadline, v, r, s)` on the share
    /// token (`wrapped`) or the rebase token, ignoring a failure: the
    /// allowance may already be there (a front-run of the same permit,
    /// lidofinance/core#803); if it is not, the transfer that follows reverts.
    fn _try_permit(&mut self, wrapped: bool, permit: (U256, U256, u8, B256, B256)) {
        let owner = self.vm().msg_sender();
        let this = self.vm().contract_address();
        let (value, deadline, v, r, s) = permit;
        let token = if wrapped { self.share_token.get() } else { self.rebase_token.get() };
        let calldata = encode(
            &ICallees::permitCall::SELECTOR,
            &[owner.word(), this.word(), value.word(), deadline.word(), v.word(), r, s],
        );
        let _ = self._call(token, &calldata);
    }

    /// Records a request of `amount` stETH backed by `shares`, owned by
    /// `owner`, and mints its token. Returns the new id.
    fn _enqueue(
        &mut self,
        requestor: Address,
        owner: Address,
        amount: U256,
        shares: U256,
    ) -> Result<U256, Error> {
        if shares.is_zero() {
            return Err(ZeroShares {}.into());
        }
        if shares > MAX_AMOUNT {
            return Err(AmountTooLarge { amount: shares }.into());
        }
        // Cannot overflow: ids stay below 2^48 (checked next).
        let id = low(self.last_request_id.get()) + 1;
        // Cannot overflow: below 2^96 + 2^70.
        let unfinalized = wide(self.unfinalized_steth.get()) + amount;
        if id > MAX_REQUEST_ID || unfinalized > MAX_UNFINALIZED_STETH {
            return Err(TotalOverflow {}.into());
        }
        self.last_request_id.set(limb(id));
        self.unfinalized_steth.set(narrow(unfinalized));
        let position = self._push_owned(owner, id);
        let timestamp = self.vm().block_timestamp();
        {
            let mut request = self.requests.setter(id);
            // Cannot truncate: amount <= 1000e18 and shares <= 2^128 - 1.
            request.amount_of_steth.set(narrow(amount));
            request.amount_of_shares.set(narrow(shares));
            request.owner.set(owner);
            // Truncates only after the year 36812.
            request.timestamp.set(Uint::saturating_from(timestamp));
            request.position.set(limb(position));
        }
        let id = n(id).word();
        log(
            self.vm(),
            WithdrawalRequested::SIGNATURE_HASH,
            &[id, requestor.word(), owner.word()],
            &[amount.word(), shares.word()],
        );
        log(self.vm(), Transfer::SIGNATURE_HASH, &[B256::ZERO, owner.word(), id], &[]);
        Ok(n(low(self.last_request_id.get())))
    }

    /// Walks the requests to finalize up to `last_request_id` at `rate`.
    /// Returns `(first id, ether to lock, shares to burn, nominal stETH)`,
    /// the first three being `prefinalize`'s answer.
    ///
    /// # Errors
    /// `ZeroShareRate`; `AmountTooLarge` for a rate above `2^128 - 1`;
    /// `InvalidRequestId` unless `lastFinalized < last_request_id <=
    /// lastRequestId`.
    fn _prefinalize(
        &self,
        last_request_id: U256,
        rate: U256,
    ) -> Result<(u64, U256, U256, U256), Error> {
        if rate.is_zero() {
            return Err(ZeroShareRate {}.into());
        }
        if rate > MAX_AMOUNT {
            return Err(AmountTooLarge { amount: rate }.into());
        }
        let finalized = low(self.last_finalized_request_id.get());
        let last = low(self.last_request_id.get());
        let Some(to) = to_id(last_request_id).filter(|to| *to > finalized && *to <= last) else {
            return Err(InvalidRequestId { requestId: last_request_id }.into());
        };
        let (mut ether, mut shares, mut steth) = (U256::ZERO, U256::ZERO, U256::ZERO);
        for id in finalized + 1..=to {
            let request = self.requests.getter(id);
            let request_steth = wide(request.amount_of_steth.get());
            let request_shares = wide(request.amount_of_shares.get());
            // Cannot overflow: fewer than 2^48 terms, each below 2^128.
            ether += request_ether(request_steth, request_shares, rate);
            shares += request_shares;
            steth += request_steth;
        }
        Ok((finalized + 1, ether, shares, steth))
    }

    /// A known request id (`1..=last`) as a stored id.
    fn _existing(&self, request_id: U256) -> Result<u64, Error> {
        let last = low(self.last_request_id.get());
        to_id(request_id)
            .filter(|id| *id != 0 && *id <= last)
            .ok_or_else(|| InvalidRequestId { requestId: request_id }.into())
    }

    /// A known, unclaimed request id.
    fn _live(&self, request_id: U256) -> Result<u64, Error> {
        let id = self._existing(request_id)?;
        if self.requests.getter(id).claimed.get() {
            return Err(InvalidRequestId { requestId: request_id }.into());
        }
        Ok(id)
    }

    /// The checkpoint index in `[start, end]` covering `request_id` (0 when
    /// it is not finalized or not in that range), by binary search.
    fn _find_checkpoint_hint(&self, request_id: U256, start: u64, end: u64) -> Result<u64, Error> {
        let id = self._existing(request_id)?;
        let last = low(self.last_checkpoint_index.get());
        if start == 0 || end > last {
            return Err(InvalidRequestIdRange { startId: n(start), endId: n(end) }.into());
        }
        let finalized = low(self.last_finalized_request_id.get());
        if last == 0 || id > finalized || start > end {
            return Ok(0);
        }
        if id >= self._checkpoint_from(end) {
            // The last checkpoint covers everything finalized from its start;
            // an earlier one only up to the next checkpoint's start.
            return Ok(if end == last || id < self._checkpoint_from(end + 1) { end } else { 0 });
        }
        if id < self._checkpoint_from(start) {
            return Ok(0);
        }
        // Invariant: from(low_index) <= id < from(high_index + 1).
        let (mut low_index, mut high_index) = (start, end - 1);
        while high_index > low_index {
            // Rounding: up, so the range shrinks on both branches.
            let mid = low_index + (high_index - low_index).div_ceil(2);
            if self._checkpoint_from(mid) <= id {
                low_index = mid;
            } else {
                high_index = mid - 1;
            }
        }
        Ok(low_index)
    }

    /// The first request id of checkpoint `index`.
    fn _checkpoint_from(&self, index: u64) -> u64 {
        low(self.checkpoints.getter(index).from_request_id.get())
    }

    /// The ether finalized request `id` pays, valued at checkpoint `hint`.
    fn _claimable(&self, id: u64, hint: U256) -> Result<U256, Error> {
        let last = low(self.last_checkpoint_index.get());
        let invalid = || Error::from(InvalidHint { hint });
        let index = to_id(hint).filter(|h| *h != 0 && *h <= last).ok_or_else(invalid)?;
        let checkpoint = self.checkpoints.getter(index);
        if id < low(checkpoint.from_request_id.get())
            || (index < last && self._checkpoint_from(index + 1) <= id)
        {
            return Err(invalid());
        }
        let request = self.requests.getter(id);
        Ok(request_ether(
            wide(request.amount_of_steth.get()),
            wide(request.amount_of_shares.get()),
            wide(checkpoint.max_share_rate.get()),
        ))
    }

    /// Marks request `request_id` claimed, burns its token and unlocks its
    /// ether (state only: the caller sends the ether afterwards). Returns it.
    fn _claim(&mut self, request_id: U256, hint: U256, recipient: Address) -> Result<U256, Error> {
        let Some(id) = to_id(request_id).filter(|id| *id != 0) else {
            return Err(InvalidRequestId { requestId: request_id }.into());
        };
        if id > low(self.last_finalized_request_id.get()) {
            return Err(RequestNotFoundOrNotFinalized { requestId: request_id }.into());
        }
        let (owner, claimed, position) = self._owner_state(id);
        if claimed {
            return Err(RequestAlreadyClaimed { requestId: request_id }.into());
        }
        self._check_spender(owner, id)?;
        let ether = self._claimable(id, hint)?;
        self.requests.setter(id).claimed.set(true);
        self._take_owned(owner, position);
        self._clear_approval(id);
        // Cannot underflow: the finalization locked exactly this much for the
        // request (same formula, same checkpoint) and it was not claimed yet.
        self.locked_ether.set(narrow(wide(self.locked_ether.get()) - ether));
        let id = request_id.word();
        log(
            self.vm(),
            WithdrawalClaimed::SIGNATURE_HASH,
            &[id, owner.word(), recipient.word()],
            &[ether.word()],
        );
        log(self.vm(), Transfer::SIGNATURE_HASH, &[owner.word(), B256::ZERO, id], &[]);
        Ok(ether)
    }

    /// `(owner, claimed, position)` of request `id`.
    fn _owner_state(&self, id: u64) -> (Address, bool, u64) {
        let request = self.requests.getter(id);
        (request.owner.get(), request.claimed.get(), low(request.position.get()))
    }

    /// `Ok` when the caller is `owner`, its operator, or approved for `id`.
    fn _check_spender(&self, owner: Address, id: u64) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        if sender == owner
            || self.operators.getter(owner).get(sender)
            || self.token_approvals.get(id) == sender
        {
            Ok(())
        } else {
            Err(NotOwnerOrApproved { sender }.into())
        }
    }

    /// Clears the approval of request `id` if one is set.
    fn _clear_approval(&mut self, id: u64) {
        if !self.token_approvals.get(id).is_zero() {
            self.token_approvals.setter(id).set(Address::ZERO);
        }
    }

    /// Appends `id` to `owner`'s list; returns its position.
    fn _push_owned(&mut self, owner: Address, id: u64) -> u64 {
        let count = low(self.owner_counts.get(owner));
        self.owner_ids.setter(owner).setter(count).set(limb(id));
        // Cannot overflow: at most 2^48 requests exist.
        self.owner_counts.setter(owner).set(limb(count + 1));
        count
    }

    /// Removes the id at `position` of `owner`'s list: the last id moves into
    /// the gap (its request's position is updated) and the count drops.
    fn _take_owned(&mut self, owner: Address, position: u64) {
        // Cannot underflow: the owner holds the request being removed.
        let last = low(self.owner_counts.get(owner)) - 1;
        if position != last {
            let moved = self.owner_ids.getter(owner).get(last);
            self.owner_ids.setter(owner).setter(position).set(moved);
            self.requests.setter(low(moved)).position.set(limb(position));
        }
        self.owner_ids.setter(owner).setter(last).set(Uint::ZERO);
        self.owner_counts.setter(owner).set(limb(last));
    }

    /// Moves request `request_id` from `from` to `to` (its ether follows it).
    ///
    /// # Errors
    /// `TransferToZeroAddress`, `TransferToThemselves`, `InvalidRequestId`,
    /// `RequestAlreadyClaimed`, `TransferFromIncorrectOwner`,
    /// `NotOwnerOrApproved` unless the caller owns, operates or is approved.
    ///
    /// # Events
    /// `Transfer(from, to, id)`.
    fn _transfer(&mut self, from: Address, to: Address, request_id: U256) -> Result<(), Error> {
        if to.is_zero() {
            return Err(TransferToZeroAddress {}.into());
        }
        if to == from {
            return Err(TransferToThemselves {}.into());
        }
        let id = self._existing(request_id)?;
        let (owner, claimed, position) = self._owner_state(id);
        if claimed {
            return Err(RequestAlreadyClaimed { requestId: request_id }.into());
        }
        if from != owner {
            return Err(TransferFromIncorrectOwner { from, realOwner: owner }.into());
        }
        self._check_spender(owner, id)?;
        self._clear_approval(id);
        self._take_owned(owner, position);
        let new_position = self._push_owned(to, id);
        {
            let mut request = self.requests.setter(id);
            request.owner.set(to);
            request.position.set(limb(new_position));
        }
        log(self.vm(), Transfer::SIGNATURE_HASH, &[from.word(), to.word(), request_id.word()], &[]);
        Ok(())
    }
}

/// `Ok` when a safe-transfer receiver `to` answered `onERC721Received`'s
/// selector (as a whole `bytes4` word); its non-empty revert data passed
/// through; `TransferToNonIERC721Receiver(to)` for any other answer or an
/// empty revert.
///
/// # Errors
/// As described.
pub fn check_receiver_answer(answer: Result<Vec<u8>, Vec<u8>>, to: Address) -> Result<(), Vec<u8>> {
    match answer {
        Ok(output)
            if output.get(..32) == Some(B256::right_padding_from(&ERC721_RECEIVED).as_slice()) =>
        {
            Ok(())
        }
        Err(reason) if !reason.is_empty() => Err(reason),
        _ => Err(Error::from(TransferToNonIERC721Receiver { to }).into()),
    }
}

/// `Ok` when `amount` is within `[MIN, MAX]_STETH_WITHDRAWAL_AMOUNT`.
fn check_amount(amount: U256) -> Result<(), Error> {
    if amount < MIN_STETH_WITHDRAWAL_AMOUNT {
        return Err(RequestAmountTooSmall { amountOfStETH: amount }.into());
    }
    if amount > MAX_STETH_WITHDRAWAL_AMOUNT {
        return Err(RequestAmountTooLarge { amountOfStETH: amount }.into());
    }
    Ok(())
}

/// `Ok` when ids and hints have the same length.
fn check_lengths(ids: &[U256], hints: &[U256]) -> Result<(), Error> {
    if ids.len() != hints.len() {
        return Err(ArraysLengthMismatch {
            firstArrayLength: U256::from(ids.len()),
            secondArrayLength: U256::from(hints.len()),
        }
        .into());
    }
    Ok(())
}

/// Whether the queue is paused at time `now` given the stored resume time.
#[must_use]
pub fn is_paused_at(now: u64, resume_since: u64) -> bool {
    now < resume_since
}

/// Whether an account with code hash `hash` has code (zero: no account;
/// `keccak256("")`: an account without code).
fn has_code(hash: B256) -> bool {
    !hash.is_zero() && hash != EMPTY_CODE_HASH
}

#[cfg(all(target_arch = "wasm32", not(feature = "export-abi")))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
