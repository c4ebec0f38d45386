//! What the end-to-end tests add on top of `scripts::protocol` (the deployed
//! and wired protocol, its typed user operations, oracle frames and
//! `check_invariants()`):
//!
//! - [`deploy`]: a fresh protocol per test (the artifacts are built and read
//!   once per test binary);
//! - [`expect_revert`] / [`expect_revert_raw`]: a call that must revert,
//!   with its custom error decoded by the `sol!` error type, no logs, and
//!   [`Fingerprint`] — every view of every program for every account
//!   involved — identical before and after;
//! - [`events`]: every log of an outcome decoded with its emitter's ABI, in
//!   emission order ([`Event`]);
//! - [`Wallet`] and [`permit_digest`]: real secp256k1 EIP-2612 signatures
//!   over an EIP-712 digest computed independently of the programs (alloy's
//!   `SolStruct`), plus their high-`s` twins;
//! - [`Rebase`] and [`rebase`]: neutral, +5 % and −5 % rebases through real
//!   oracle frames (rewards paid into the withdrawal vault, penalties on the
//!   simulated validators, with the sanity limits widened by governance);
//! - [`Rate`]: the share rate read through the ABI and the conversions
//!   recomputed here, with their rounding stated.

use crate::abi::{
    decode_revert, IAccountingOracle, IDepositPool, IStETH, IWithdrawalQueue, IWstETH,
};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{sol, Eip712Domain, SolCall, SolError, SolEventInterface, SolStruct};
use anyhow::{bail, ensure, Context, Result};
use k256::ecdsa::SigningKey;
use std::borrow::Cow;
use std::sync::{Mutex, OnceLock};
use stylus_host::{BlockEnv, Failure, Outcome, Snapshot};

pub use scripts::protocol::{
    ether, gwei, milli_ether, BeaconChain, Config, Protocol, DEAD, DEPOSITOR, GOVERNANCE, OPERATOR,
    TREASURY,
};

/// The chain id of the embedded host (Arbitrum One).
pub const CHAIN_ID: u64 = 42_161;
/// The secp256k1 group order `n` (a signature's `s` is valid in `1..n`).
pub const SECP256K1_ORDER: U256 = alloy_primitives::uint!(
    0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141_U256
);
/// `2^256 - 1`: an infinite allowance.
pub const INFINITE: U256 = U256::MAX;

sol! {
    /// EIP-2612's signed struct, hashed here by alloy (independently of the
    /// programs' own EIP-712 code).
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// The processed programs, read once per test binary.
fn programs() -> Result<&'static [(scripts::Artifact, Vec<u8>)]> {
    static PROGRAMS: OnceLock<Vec<(scripts::Artifact, Vec<u8>)>> = OnceLock::new();
    if let Some(programs) = PROGRAMS.get() {
        return Ok(programs);
    }
    let loaded = scripts::protocol::load_programs()?;
    Ok(PROGRAMS.get_or_init(|| loaded))
}

/// What a freshly deployed protocol looked like: enough to put a used one
/// back exactly there.
struct Pristine {
    /// The world state (accounts, code, storage) right after deployment.
    world: Snapshot,
    /// The block context then.
    block: BlockEnv,
    /// The simulated consensus layer then (empty).
    chain: BeaconChain,
    /// Signing keys registered by the deployment.
    keys_registered: usize,
}

/// Protocols deployed by earlier tests of this binary, put back to their
/// pristine state when lent again.
fn pool() -> &'static Mutex<Vec<(Protocol, Pristine)>> {
    static POOL: OnceLock<Mutex<Vec<(Protocol, Pristine)>>> = OnceLock::new();
    POOL.get_or_init(Mutex::default)
}

/// A freshly deployed protocol, lent to one test (dereferences to
/// [`Protocol`]).
///
/// Deploying the five programs costs about a quarter of a second of
/// activation (instrumenting and compiling each WASM), so a protocol is
/// deployed once per test thread and then reused: when a test ends its
/// protocol goes back to a pool, and the next test gets it back with the
/// deployment's world state (every account, code and storage slot), block
/// context and simulated chain restored. A test therefore sees exactly the
/// state of a new deployment. (Accounts that earlier tests registered as
/// holders stay registered, with nothing in them: the invariant's sum and
/// the fingerprints read them as zero.)
pub struct Lease {
    protocol: Option<(Protocol, Pristine)>,
}

impl std::ops::Deref for Lease {
    type Target = Protocol;

    fn deref(&self) -> &Protocol {
        &self.protocol.as_ref().expect("a lease holds its protocol until dropped").0
    }
}

impl std::ops::DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Protocol {
        &mut self.protocol.as_mut().expect("a lease holds its protocol until dropped").0
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // A test that panicked may have left the host mid-way: drop it.
        if std::thread::panicking() {
            return;
        }
        if let Some(entry) = self.protocol.take() {
            pool().lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(entry);
        }
    }
}

/// A protocol in the state of a fresh deployment with the default
/// [`Config`] (1 ETH seed, 3 members with quorum 2, daily frames, 16
/// signing keys, Lido's staking limit), deployed from the deploy code of
/// every program and wired by governance (see [`Lease`] for the reuse).
///
/// # Errors
/// A program that does not build, deploy or wire.
pub fn deploy() -> Result<Lease> {
    let reused = pool().lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
    let (mut p, pristine) = match reused {
        Some(entry) => entry,
        None => {
            let p = Protocol::deploy_with(Config::default(), programs()?)?;
            let pristine = Pristine {
                world: p.host.snapshot(),
                block: p.host.block().clone(),
                chain: p.chain.clone(),
                keys_registered: p.keys_registered,
            };
            (p, pristine)
        }
    };
    p.host.restore(pristine.world.clone());
    *p.host.block_mut() = pristine.block.clone();
    p.chain = pristine.chain.clone();
    p.keys_registered = pristine.keys_registered;
    Ok(Lease { protocol: Some((p, pristine)) })
}

/// A newly deployed protocol with `config` (never reused).
///
/// # Errors
/// A program that does not build, deploy or wire.
pub fn deploy_with(config: Config) -> Result<Protocol> {
    Protocol::deploy_with(config, programs()?)
}

/// Sends `call` and decodes its return (the revert, decoded, otherwise).
///
/// # Errors
/// The call reverted.
pub fn exec<C: SolCall>(
    p: &mut Protocol,
    from: Address,
    to: Address,
    call: &C,
    value: U256,
) -> Result<(C::Return, Outcome)> {
    p.exec(from, to, call, value)
}

/// A view's return.
///
/// # Errors
/// The view reverted.
pub fn view<C: SolCall>(p: &mut Protocol, to: Address, call: &C) -> Result<C::Return> {
    p.view(to, call)
}

// --- state fingerprints -------------------------------------------------------------------------

/// Every view of every program for a set of accounts, as raw answers
/// (`success`, return data): two fingerprints are equal exactly when no view
/// answers differently. Taken before and after a reverted call, it shows the
/// revert changed nothing anyone can observe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint(Vec<(String, bool, Vec<u8>)>);

impl Fingerprint {
    /// Reads the fingerprint of `p` for `extra` accounts and the holders the
    /// protocol tracks that hold anything (ether, shares or wrapped shares),
    /// plus the programs, `0x…dEaD` and the fee recipients.
    ///
    /// The views: the ETH balance of every account and program; stETH
    /// totals, stop flag, wiring and per holder shares, balance, nonce;
    /// wstETH supply and per holder balance, nonce; stETH and wstETH
    /// allowances of every user (a holder that is not a program, `0x…dEaD`
    /// or a fee recipient) to every user, wstETH and the queue; the deposit
    /// pool's buffer, beacon stat, stake limit,
    /// pause flags, keys, credentials and wiring; the queue's counters,
    /// locked ether, pause and per account requests and NFT balance; the
    /// oracle's consensus state, variants, processing slot, report, quorum,
    /// members, per member state, fee, limits and versions.
    pub fn read(p: &mut Protocol, extra: &[Address]) -> Self {
        let a = p.addrs;
        let programs = [a.token, a.wsteth, a.pool, a.queue, a.oracle, a.beacon_deposit];
        let fixed = [DEAD, TREASURY, OPERATOR];
        // Accounts a test never touched (holders registered by earlier tests
        // on a reused deployment) hold nothing: they are left out, and show up
        // as a difference if a call gives them anything.
        let mut holders: Vec<Address> = Vec::new();
        for x in p.holders().copied().collect::<Vec<_>>() {
            let live = programs.contains(&x)
                || fixed.contains(&x)
                || extra.contains(&x)
                || !p.host.balance(x).is_zero()
                || p.shares_of(x).map_or(true, |s| !s.is_zero())
                || p.wsteth_balance(x).map_or(true, |b| !b.is_zero());
            if live {
                holders.push(x);
            }
        }
        holders.extend(extra.iter().copied());
        holders.sort();
        holders.dedup();
        let mut everyone = holders.clone();
        everyone.extend(p.members.iter().copied());
        everyone.extend([GOVERNANCE, DEPOSITOR]);
        everyone.extend(programs);
        everyone.sort();
        everyone.dedup();
        // Users approve and sign; programs and fee recipients never do.
        let users: Vec<Address> = holders
            .iter()
            .copied()
            .filter(|x| !programs.contains(x) && !fixed.contains(x))
            .collect();
        let mut spenders = users.clone();
        spenders.extend([a.wsteth, a.queue]);

        let mut out = Vec::new();
        let mut get = |label: String, to: Address, data: Vec<u8>| {
            let o = p.host.static_call(Address::ZERO, to, &data);
            out.push((label, o.success, o.return_data));
        };
        get("stETH.totalSupply".into(), a.token, IStETH::totalSupplyCall {}.abi_encode());
        get("stETH.getTotalShares".into(), a.token, IStETH::getTotalSharesCall {}.abi_encode());
        get(
            "stETH.getTotalPooledEther".into(),
            a.token,
            IStETH::getTotalPooledEtherCall {}.abi_encode(),
        );
        get("stETH.isStopped".into(), a.token, IStETH::isStoppedCall {}.abi_encode());
        get("stETH.getDepositPool".into(), a.token, IStETH::getDepositPoolCall {}.abi_encode());
        get("stETH.getOracle".into(), a.token, IStETH::getOracleCall {}.abi_encode());
        get(
            "stETH.getWithdrawalQueue".into(),
            a.token,
            IStETH::getWithdrawalQueueCall {}.abi_encode(),
        );
        get("wstETH.totalSupply".into(), a.wsteth, IWstETH::totalSupplyCall {}.abi_encode());
        for call in [
            IDepositPool::getBufferedEtherCall {}.abi_encode(),
            IDepositPool::getBeaconStatCall {}.abi_encode(),
            IDepositPool::getStakeLimitFullInfoCall {}.abi_encode(),
            IDepositPool::isStoppedCall {}.abi_encode(),
            IDepositPool::isStakingPausedCall {}.abi_encode(),
            IDepositPool::getTotalSigningKeysCall {}.abi_encode(),
            IDepositPool::getUnusedSigningKeysCountCall {}.abi_encode(),
            IDepositPool::getWithdrawalCredentialsCall {}.abi_encode(),
            IDepositPool::getOracleCall {}.abi_encode(),
            IDepositPool::getWithdrawalQueueCall {}.abi_encode(),
            IDepositPool::getBeaconDepositContractCall {}.abi_encode(),
            IDepositPool::getTotalPooledEtherCall {}.abi_encode(),
        ] {
            get(format!("pool.{:02x?}", &call[..4]), a.pool, call);
        }
        for call in [
            IWithdrawalQueue::getLastRequestIdCall {}.abi_encode(),
            IWithdrawalQueue::getLastFinalizedRequestIdCall {}.abi_encode(),
            IWithdrawalQueue::getLockedEtherAmountCall {}.abi_encode(),
            IWithdrawalQueue::unfinalizedStETHCall {}.abi_encode(),
            IWithdrawalQueue::getLastCheckpointIndexCall {}.abi_encode(),
            IWithdrawalQueue::isPausedCall {}.abi_encode(),
        ] {
            get(format!("queue.{:02x?}", &call[..4]), a.queue, call);
        }
        for call in [
            IAccountingOracle::getConsensusStateCall {}.abi_encode(),
            IAccountingOracle::getReportVariantsCall {}.abi_encode(),
            IAccountingOracle::getLastProcessingRefSlotCall {}.abi_encode(),
            IAccountingOracle::getConsensusReportCall {}.abi_encode(),
            IAccountingOracle::getQuorumCall {}.abi_encode(),
            IAccountingOracle::getMembersCall {}.abi_encode(),
            IAccountingOracle::getFeeCall {}.abi_encode(),
            IAccountingOracle::getFeeRecipientsCall {}.abi_encode(),
            IAccountingOracle::getOracleReportLimitsCall {}.abi_encode(),
            IAccountingOracle::getConsensusVersionCall {}.abi_encode(),
            IAccountingOracle::getFrameConfigCall {}.abi_encode(),
        ] {
            get(format!("oracle.{:02x?}", &call[..4]), a.oracle, call);
        }
        for &x in &everyone {
            out.push((format!("ETH balance of {x}"), true, p.host.balance(x).to_be_bytes_vec()));
        }
        let mut get = |label: String, to: Address, data: Vec<u8>| {
            let o = p.host.static_call(Address::ZERO, to, &data);
            out.push((label, o.success, o.return_data));
        };
        for &x in &holders {
            get(
                format!("stETH.sharesOf({x})"),
                a.token,
                IStETH::sharesOfCall { account: x }.abi_encode(),
            );
            get(
                format!("stETH.balanceOf({x})"),
                a.token,
                IStETH::balanceOfCall { account: x }.abi_encode(),
            );
            get(
                format!("stETH.nonces({x})"),
                a.token,
                IStETH::noncesCall { owner: x }.abi_encode(),
            );
            get(
                format!("wstETH.balanceOf({x})"),
                a.wsteth,
                IWstETH::balanceOfCall { account: x }.abi_encode(),
            );
            get(
                format!("wstETH.nonces({x})"),
                a.wsteth,
                IWstETH::noncesCall { owner: x }.abi_encode(),
            );
            get(
                format!("queue.getWithdrawalRequests({x})"),
                a.queue,
                IWithdrawalQueue::getWithdrawalRequestsCall { owner: x }.abi_encode(),
            );
            get(
                format!("queue.balanceOf({x})"),
                a.queue,
                IWithdrawalQueue::balanceOfCall { owner: x }.abi_encode(),
            );
        }
        for member in p.members.clone() {
            get(
                format!("oracle.getConsensusStateForMember({member})"),
                a.oracle,
                IAccountingOracle::getConsensusStateForMemberCall { member }.abi_encode(),
            );
        }
        for &owner in &users {
            for &spender in &spenders {
                get(
                    format!("stETH.allowance({owner}, {spender})"),
                    a.token,
                    IStETH::allowanceCall { owner, spender }.abi_encode(),
                );
                get(
                    format!("wstETH.allowance({owner}, {spender})"),
                    a.wsteth,
                    IWstETH::allowanceCall { owner, spender }.abi_encode(),
                );
            }
        }
        Fingerprint(out)
    }

    /// The labels of the views that answer differently in `other`.
    pub fn differences(&self, other: &Fingerprint) -> Vec<String> {
        let mut diffs: Vec<String> = self
            .0
            .iter()
            .zip(&other.0)
            .filter(|(x, y)| x != y)
            .map(|(x, y)| format!("{}: {:?} -> {:?}", x.0, x.2, y.2))
            .collect();
        if self.0.len() != other.0.len() {
            diffs.push(format!("{} views before, {} after", self.0.len(), other.0.len()));
        }
        diffs
    }
}

/// Sends raw `data` from `from` to `to` with `value`, which must revert
/// ([`Failure::Reverted`]) without logs and without changing the
/// [`Fingerprint`] (for `from`, `to` and every tracked account); the
/// accounting invariant must hold afterwards. Returns the revert data.
///
/// # Errors
/// The call succeeded, failed otherwise than by a revert, logged, changed
/// a view, or the invariant does not hold.
pub fn expect_revert_raw(
    p: &mut Protocol,
    from: Address,
    to: Address,
    data: &[u8],
    value: U256,
) -> Result<Vec<u8>> {
    let before = Fingerprint::read(p, &[from, to]);
    let out = p.host.call(from, to, data, value);
    ensure!(!out.success, "the call to {to} with 0x{} succeeded", hex(data));
    ensure!(
        out.failure == Some(Failure::Reverted),
        "the call failed by {:?}, not by a revert (trace {:?})",
        out.failure,
        out.trace
    );
    ensure!(out.logs.is_empty(), "a reverted call kept {} logs", out.logs.len());
    let after = Fingerprint::read(p, &[from, to]);
    let diffs = before.differences(&after);
    ensure!(diffs.is_empty(), "the revert changed state:\n{}", diffs.join("\n"));
    p.check_invariants().context("the accounting invariant after the revert")?;
    Ok(out.return_data)
}

/// Sends `call` from `from` to `to` with `value`, which must revert with the
/// custom error `E` (decoded with its `sol!` type, selector checked) and
/// change nothing ([`expect_revert_raw`]). Returns the decoded error.
///
/// # Errors
/// The call succeeded, reverted with something else, or changed state.
pub fn expect_revert<C: SolCall, E: SolError>(
    p: &mut Protocol,
    from: Address,
    to: Address,
    call: &C,
    value: U256,
) -> Result<E> {
    let data = expect_revert_raw(p, from, to, &call.abi_encode(), value)
        .with_context(|| format!("{} from {from}", C::SIGNATURE))?;
    E::abi_decode(&data, true).with_context(|| {
        format!("{} reverted with {}, not {}", C::SIGNATURE, decode_revert(&data), E::SIGNATURE)
    })
}

/// [`expect_revert`] and the decoded error equals `expected`.
///
/// # Errors
/// As [`expect_revert`], or another error value.
pub fn assert_revert<C: SolCall, E: SolError + PartialEq + std::fmt::Debug>(
    p: &mut Protocol,
    from: Address,
    to: Address,
    call: &C,
    value: U256,
    expected: &E,
) -> Result<()> {
    let error: E = expect_revert(p, from, to, call, value)?;
    ensure!(&error == expected, "{} reverted with {error:?}, expected {expected:?}", C::SIGNATURE);
    Ok(())
}

/// The three malformed calls every program must refuse with a plain revert
/// and no state change: an unknown selector, calldata shorter than a
/// selector, and ether sent with `non_payable` (a call of a non-payable
/// function). Returns the revert data of each, in that order.
///
/// # Errors
/// One of them did not revert cleanly.
pub fn expect_malformed_calls_revert(
    p: &mut Protocol,
    program: Address,
    non_payable: &[u8],
) -> Result<[Vec<u8>; 3]> {
    let caller = scripts::protocol::labelled_address("malformed caller");
    p.host.fund(caller, ether(10));
    let unknown =
        expect_revert_raw(p, caller, program, &[0xde, 0xad, 0xbe, 0xef, 0, 1], U256::ZERO)
            .context("unknown selector")?;
    let short = expect_revert_raw(p, caller, program, &[0x70, 0xa0, 0x82], U256::ZERO)
        .context("3 bytes of calldata")?;
    let paid = expect_revert_raw(p, caller, program, non_payable, U256::from(1))
        .context("value sent to a non-payable function")?;
    ensure!(p.host.balance(caller) == ether(10), "the caller's ether moved");
    Ok([unknown, short, paid])
}

// --- events -----------------------------------------------------------------------------------

/// A log decoded with its emitter's ABI.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// Emitted by the rebase token.
    StEth(IStETH::IStETHEvents),
    /// Emitted by the share token.
    WstEth(IWstETH::IWstETHEvents),
    /// Emitted by the deposit pool.
    Pool(IDepositPool::IDepositPoolEvents),
    /// Emitted by the oracle.
    Oracle(IAccountingOracle::IAccountingOracleEvents),
    /// Emitted by the withdrawal queue.
    Queue(IWithdrawalQueue::IWithdrawalQueueEvents),
    /// Logged by the beacon-deposit double: `msg.value ‖ calldata`.
    BeaconDeposit(Vec<u8>),
}

/// Every log of `out`, in emission order, decoded with its emitter's ABI.
///
/// # Errors
/// A log from an unknown emitter, or one its emitter's ABI does not declare.
pub fn events(p: &Protocol, out: &Outcome) -> Result<Vec<Event>> {
    let a = p.addrs;
    out.logs
        .iter()
        .map(|log| {
            let (t, d) = (&log.topics[..], &log.data[..]);
            Ok(if log.address == a.token {
                Event::StEth(IStETH::IStETHEvents::decode_raw_log(t, d, true)?)
            } else if log.address == a.wsteth {
                Event::WstEth(IWstETH::IWstETHEvents::decode_raw_log(t, d, true)?)
            } else if log.address == a.pool {
                Event::Pool(IDepositPool::IDepositPoolEvents::decode_raw_log(t, d, true)?)
            } else if log.address == a.oracle {
                Event::Oracle(IAccountingOracle::IAccountingOracleEvents::decode_raw_log(
                    t, d, true,
                )?)
            } else if log.address == a.queue {
                Event::Queue(IWithdrawalQueue::IWithdrawalQueueEvents::decode_raw_log(t, d, true)?)
            } else if log.address == a.beacon_deposit {
                Event::BeaconDeposit(log.data.clone())
            } else {
                bail!("a log from unknown emitter {}", log.address)
            })
        })
        .collect()
}

/// The rebase token's `Transfer` event.
pub fn steth_transfer(from: Address, to: Address, value: U256) -> Event {
    Event::StEth(IStETH::IStETHEvents::Transfer(IStETH::Transfer { from, to, value }))
}

/// The rebase token's `TransferShares` event.
pub fn steth_transfer_shares(from: Address, to: Address, shares: U256) -> Event {
    Event::StEth(IStETH::IStETHEvents::TransferShares(IStETH::TransferShares {
        from,
        to,
        sharesValue: shares,
    }))
}

/// The rebase token's `Approval` event.
pub fn steth_approval(owner: Address, spender: Address, value: U256) -> Event {
    Event::StEth(IStETH::IStETHEvents::Approval(IStETH::Approval { owner, spender, value }))
}

/// The share token's `Transfer` event.
pub fn wsteth_transfer(from: Address, to: Address, value: U256) -> Event {
    Event::WstEth(IWstETH::IWstETHEvents::Transfer(IWstETH::Transfer { from, to, value }))
}

/// The share token's `Approval` event.
pub fn wsteth_approval(owner: Address, spender: Address, value: U256) -> Event {
    Event::WstEth(IWstETH::IWstETHEvents::Approval(IWstETH::Approval { owner, spender, value }))
}

/// The deposit pool's `Submitted` event.
pub fn submitted(sender: Address, amount: U256, referral: Address) -> Event {
    Event::Pool(IDepositPool::IDepositPoolEvents::Submitted(IDepositPool::Submitted {
        sender,
        amount,
        referral,
    }))
}

// --- the share rate ---------------------------------------------------------------------------

/// The rebase token's totals, read through its ABI, and the conversions
/// recomputed here (every product is below `2^256`: both totals are below
/// `2^128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Total pooled ether `P`.
    pub pooled: U256,
    /// Total shares `S`.
    pub shares: U256,
}

impl Rate {
    /// The current totals.
    ///
    /// # Errors
    /// A view reverted.
    pub fn read(p: &mut Protocol) -> Result<Self> {
        let token = p.addrs.token;
        Ok(Rate {
            pooled: p.view(token, &IStETH::getTotalPooledEtherCall {})?._0,
            shares: p.view(token, &IStETH::getTotalSharesCall {})?._0,
        })
    }

    /// `floor(amount * S / P)`: shares for ether, rounded down.
    pub fn to_shares(&self, amount: U256) -> U256 {
        amount * self.shares / self.pooled
    }

    /// `floor(shares * P / S)`: ether for shares, rounded down.
    pub fn to_ether(&self, shares: U256) -> U256 {
        shares * self.pooled / self.shares
    }

    /// `ceil(shares * P / S)`: ether for shares, rounded up.
    pub fn to_ether_up(&self, shares: U256) -> U256 {
        (shares * self.pooled).div_ceil(self.shares)
    }
}

// --- permits ----------------------------------------------------------------------------------

/// An externally owned account with a secp256k1 key (derived from a label).
#[derive(Clone, Debug)]
pub struct Wallet {
    key: SigningKey,
    /// Its address: the last 20 bytes of `keccak256(uncompressed public key)`.
    pub address: Address,
}

/// An ECDSA signature as `permit` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sig {
    /// 27 or 28.
    pub v: u8,
    /// `r`.
    pub r: B256,
    /// `s` (low: at most `n / 2`, unless made by [`Sig::high_s`]).
    pub s: B256,
}

impl Sig {
    /// The other valid signature of the same digest: `s' = n - s` with the
    /// parity flipped (EIP-2 forbids it; ecrecover still accepts it).
    pub fn high_s(self) -> Sig {
        let s = SECP256K1_ORDER - U256::from_be_bytes(self.s.0);
        Sig { v: if self.v == 27 { 28 } else { 27 }, r: self.r, s: B256::from(s) }
    }
}

impl Wallet {
    /// The wallet whose private key is `keccak256("e2e wallet " ‖ label)`.
    ///
    /// # Panics
    /// If that hash is not a valid secp256k1 scalar (probability ~2^-128).
    pub fn new(label: &str) -> Self {
        let secret = keccak256(format!("e2e wallet {label}"));
        let key = SigningKey::from_slice(secret.as_slice()).expect("a valid secp256k1 scalar");
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        Wallet { key, address }
    }

    /// A low-`s` signature of `digest` (`v` in {27, 28}).
    ///
    /// # Panics
    /// If signing fails (it does not for a 32-byte digest).
    pub fn sign(&self, digest: B256) -> Sig {
        let (signature, recovery) =
            self.key.sign_prehash_recoverable(digest.as_slice()).expect("signing a digest");
        let (signature, recovery) = match signature.normalize_s() {
            Some(low) => (low, k256::ecdsa::RecoveryId::new(!recovery.is_y_odd(), false)),
            None => (signature, recovery),
        };
        let bytes = signature.to_bytes();
        Sig {
            v: 27 + recovery.to_byte(),
            r: B256::from_slice(&bytes[..32]),
            s: B256::from_slice(&bytes[32..]),
        }
    }
}

/// The EIP-712 domain of a token: `(name, version, chainId, token)`.
pub fn domain(name: &str, version: &str, chain_id: u64, token: Address) -> Eip712Domain {
    Eip712Domain::new(
        Some(Cow::Owned(name.to_string())),
        Some(Cow::Owned(version.to_string())),
        Some(U256::from(chain_id)),
        Some(token),
        None,
    )
}

/// The digest an owner signs for `permit(owner, spender, value, deadline)`
/// at `nonce` in `domain` (EIP-2612 over EIP-712, hashed by alloy).
pub fn permit_digest(
    domain: &Eip712Domain,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    Permit { owner, spender, value, nonce, deadline }.eip712_signing_hash(domain)
}

// --- rebases through oracle frames ------------------------------------------------------------

/// A rebase of the total pooled ether applied by a real oracle frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rebase {
    /// A report of exactly the accounted state: nothing changes.
    Neutral,
    /// Rewards of 5 % of the total pooled ether (paid to the withdrawal
    /// vault; the protocol fee is minted as shares).
    Up5,
    /// A penalty of 5 % of the total pooled ether on the validators.
    Down5,
}

/// Deposits `validators` validators (staking what the buffer lacks from a
/// dedicated whale account) and runs a neutral frame in which the oracle
/// sees them, so that later reports may move their balance.
///
/// # Errors
/// A step reverted or broke the accounting invariant.
pub fn with_validators(p: &mut Protocol, validators: u64) -> Result<()> {
    let buffered = p.view(p.addrs.pool, &IDepositPool::getBufferedEtherCall {})?._0;
    let needed = ether(32 * validators);
    if buffered < needed {
        let whale = p.new_user("whale", needed);
        p.submit_via_pool(whale, needed - buffered)?;
    }
    let (_, n) = p.deposit_validators(validators)?;
    ensure!(n == validators, "deposited {n} validators, not {validators}");
    p.run_oracle_frame(|_| {})?;
    p.check_invariants()?;
    Ok(())
}

/// Governance gives itself `role` on the oracle.
fn oracle_role(p: &mut Protocol, role: B256) -> Result<()> {
    let oracle = p.addrs.oracle;
    p.exec(
        GOVERNANCE,
        oracle,
        &IAccountingOracle::grantRoleCall { role, account: GOVERNANCE },
        U256::ZERO,
    )?;
    Ok(())
}

/// Applies `rebase` through one oracle frame (after [`with_validators`]):
/// governance widens the limit the report needs, the simulated chain moves,
/// the members vote and the data is processed. Returns the total pooled
/// ether before and after (after it, requests the report finalized have
/// taken their ether out of the total).
///
/// `Up5` pays `floor(P / 20)` into the withdrawal vault (the deposit pool)
/// with the positive-rebase limit at 100 %; `Down5` takes `floor(P / 20)`
/// (rounded down to a gwei) from the validators with the one-off decrease
/// limit at 100 %.
///
/// # Errors
/// A step reverted, or the total did not move as planned.
pub fn rebase(p: &mut Protocol, rebase: Rebase) -> Result<(U256, U256)> {
    let before = Rate::read(p)?.pooled;
    let oracle = p.addrs.oracle;
    let expected = match rebase {
        Rebase::Neutral => before,
        Rebase::Up5 => {
            let role = p
                .view(oracle, &IAccountingOracle::MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLECall {})?
                ._0;
            oracle_role(p, role)?;
            p.exec(
                GOVERNANCE,
                oracle,
                &IAccountingOracle::setMaxPositiveTokenRebaseCall {
                    maxPositiveTokenRebase: U256::from(1_000_000_000u64),
                },
                U256::ZERO,
            )?;
            let reward = before / U256::from(20);
            p.host.fund(p.addrs.pool, reward);
            p.chain.vault_pending += reward;
            before + reward
        }
        Rebase::Down5 => {
            let role = p
                .view(
                    oracle,
                    &IAccountingOracle::ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLECall {},
                )?
                ._0;
            oracle_role(p, role)?;
            p.exec(
                GOVERNANCE,
                oracle,
                &IAccountingOracle::setOneOffCLBalanceDecreaseBPLimitCall {
                    oneOffCLBalanceDecreaseBPLimit: U256::from(10_000),
                },
                U256::ZERO,
            )?;
            let loss_gwei: u64 = (before / U256::from(20) / gwei(1)).try_into()?;
            let mut left = loss_gwei;
            for i in 0..p.chain.validators.len() {
                let take = left.min(p.chain.validators[i].balance_gwei);
                p.chain.penalize(i, take);
                left -= take;
            }
            ensure!(left == 0, "the validators hold less than 5 % of the pool");
            before - gwei(loss_gwei)
        }
    };
    let queue = p.addrs.queue;
    let locked_before = p.view(queue, &IWithdrawalQueue::getLockedEtherAmountCall {})?._0;
    p.run_oracle_frame(|_| {})?;
    p.check_invariants()?;
    let after = Rate::read(p)?.pooled;
    // Requests the report finalized took their ether out of the pool.
    let locked = p.view(queue, &IWithdrawalQueue::getLockedEtherAmountCall {})?._0 - locked_before;
    ensure!(
        after + locked == expected,
        "{rebase:?}: total pooled ether {after} + {locked} locked, expected {expected}"
    );
    Ok((before, after))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    scripts::protocol::hex(bytes)
}
