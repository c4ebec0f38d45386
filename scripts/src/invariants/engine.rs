//! The sequence engine: the deployed protocol, a reference model of every
//! program's accounting, and the checks run after every step.
//!
//! # What is checked
//! Before each step the engine reads the protocol's state ([`Obs`]), asks the
//! model what the step must do — the exact error the programs must refuse it
//! with, or the exact new state — runs it through the Solidity ABI, and
//! compares. Then, whatever happened:
//!
//! 1. **Shares**: Σ `sharesOf(a)` over every account the run can reach ==
//!    `getTotalShares()`.
//! 2. **Ether accounting**: the rebase token's `getTotalPooledEther()` ==
//!    `totalSupply()` == the deposit pool's `getTotalPooledEther()` ==
//!    buffered + beacon balance + 32 ETH × (deposited − seen validators).
//! 3. **Ether held**: deposit pool balance == buffered + unaccounted vault
//!    ether (consensus-layer withdrawals and ether forced into the pool that
//!    no report has collected yet: exactly what the model credited minus what
//!    reports collected); withdrawal queue balance ==
//!    `getLockedEtherAmount()` plus ether forced into it; the rebase and share tokens hold only ether
//!    forced into them; the beacon-deposit double holds 32 ETH per deposited
//!    validator; Σ ether over all known accounts == everything ever minted.
//! 4. **Share token**: `totalSupply()` == Σ balances == the rebase-token
//!    shares it holds − shares sent to it directly.
//! 5. **Withdrawal queue**: `unfinalizedStETH()` == Σ amounts of unfinalized
//!    requests; `getLockedEtherAmount()` == Σ claimable ether of finalized,
//!    unclaimed requests; its shares == Σ shares of unfinalized requests +
//!    shares sent to it directly.
//! 6. **Value**: every account's shares, share-token units and ether after
//!    the step are exactly what the model predicts. So a value can rise only
//!    where the model says: the recipient of a transfer (by exactly what the
//!    sender lost), a staker (shares for its ether, rounded down), a claim
//!    (the request's ether), and a report (every holder's share count is
//!    unchanged, so its value moves with the rate only; the treasury and the
//!    operator recipient get the fee shares, worth at most the fee's
//!    fraction of the rewards; the rewards are at most the per-report cap).
//! 7. **Rounding**: the model rounds every conversion against the caller
//!    (mint and transfer by amount down, values down, allowance for shares
//!    up, requests' ether down), so an exact match means the programs do
//!    too; each step also asserts the inequality itself.
//! 8. **Refused calls**: every transaction that fails is checked to have left
//!    the storage digest ([`super::digest`]) and every balance unchanged.
//!
//! At the end of each sequence every per-account figure read from storage is
//! compared with the programs' own views (`sharesOf`, `balanceOf`) and every
//! request with `getWithdrawalStatus`.

use super::actions::{Action, StakePath, Tok};
use super::digest::{
    account_key, deposit_pool_layout, map_slot, oracle_layout, rebase_token_layout,
    share_token_layout, withdrawal_queue_layout, DigestPlan, ProgramSlots,
};
use super::keys::Signer;
use crate::abi::{
    decode_revert, IAccountingOracle, IDepositPool, IStETH, IWithdrawalQueue, IWstETH,
};
use crate::protocol::{
    ether, labelled_address, BeaconChain, Config, Protocol, DEAD, DEPOSITOR, GOVERNANCE, OPERATOR,
    TREASURY,
};
use alloy_primitives::{keccak256, Address, B256, U256, U512};
use alloy_sol_types::SolCall;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use stylus_host::{BlockEnv, Outcome, Snapshot};

mod report;
mod steps;

/// Display names of the account table (indices used by [`Action`]).
pub const ACCOUNT_NAMES: [&str; 13] = [
    "user0",
    "user1",
    "user2",
    "user3",
    "treasury",
    "operator",
    "0x…dEaD",
    "0x0",
    "wstETH",
    "queue",
    "stETH",
    "pool",
    "governance",
];

const QUEUE: usize = 9;
const WSTETH: usize = 8;
const TOKEN: usize = 10;
const POOL: usize = 11;
const TREASURY_I: usize = 4;
const OPERATOR_I: usize = 5;
const ZERO_I: usize = 7;

/// 10^27, the share-rate precision.
fn e27() -> U256 {
    U256::from(10u64).pow(U256::from(27))
}

/// 32 ETH.
fn deposit_size() -> U256 {
    ether(32)
}

/// A user's starting ether.
fn user_funds() -> U256 {
    ether(1_000_000)
}

/// One step's failure.
#[derive(Clone, Debug)]
pub struct StepFailure {
    /// Index of the step in its sequence.
    pub step: usize,
    /// The step.
    pub action: Action,
    /// What went wrong.
    pub message: String,
}

/// Counters over a run.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Steps run.
    pub steps: u64,
    /// Transactions sent.
    pub calls: u64,
    /// Transactions refused (each checked to have changed nothing).
    pub refused: u64,
    /// Reports applied.
    pub reports_applied: u64,
    /// Reports refused.
    pub reports_refused: u64,
    /// Withdrawal requests finalized.
    pub finalized: u64,
    /// Claims paid.
    pub claims: u64,
    /// Permits accepted.
    pub permits: u64,
    /// Per action kind: (accepted, refused).
    pub by_action: BTreeMap<&'static str, (u64, u64)>,
}

impl Stats {
    /// Adds `other` to these counters.
    pub fn merge(&mut self, other: &Stats) {
        self.steps += other.steps;
        self.calls += other.calls;
        self.refused += other.refused;
        self.reports_applied += other.reports_applied;
        self.reports_refused += other.reports_refused;
        self.finalized += other.finalized;
        self.claims += other.claims;
        self.permits += other.permits;
        for (k, (a, r)) in &other.by_action {
            let e = self.by_action.entry(k).or_default();
            e.0 += a;
            e.1 += r;
        }
    }
}

/// The protocol's state as the checks see it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Obs {
    /// Rebase token `getTotalPooledEther()`.
    pub p: U256,
    /// Rebase token `getTotalShares()`.
    pub s: U256,
    /// Rebase token `totalSupply()`.
    pub supply: U256,
    /// Deposit pool `getTotalPooledEther()`.
    pub pool_total: U256,
    /// Deposit pool `getBufferedEther()`.
    pub buffered: U256,
    /// Validators deposited.
    pub deposited: U256,
    /// Validators seen by the last report.
    pub beacon_validators: U256,
    /// Their balance.
    pub beacon_balance: U256,
    /// Share token `totalSupply()`.
    pub wst_supply: U256,
    /// Queue `getLockedEtherAmount()`.
    pub locked: U256,
    /// Queue `unfinalizedStETH()`.
    pub unfinalized: U256,
    /// Queue `getLastRequestId()`.
    pub last_id: U256,
    /// Queue `getLastFinalizedRequestId()`.
    pub last_finalized: U256,
    /// Rebase token `isStopped()`.
    pub token_stopped: bool,
    /// Deposit pool `isStopped()`.
    pub pool_stopped: bool,
    /// Deposit pool `isStakingPaused()`.
    pub staking_paused: bool,
    /// Queue `isPaused()`.
    pub queue_paused: bool,
    /// Deposit pool `getCurrentStakeLimit()`.
    pub stake_limit: U256,
    /// Shares per account (table order, then the other known accounts).
    pub shares: Vec<U256>,
    /// Share-token units per account.
    pub wst: Vec<U256>,
    /// Ether per account.
    pub eth: Vec<U256>,
}

/// A withdrawal request as the model knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Req {
    /// Current owner.
    pub owner: Address,
    /// Nominal stETH amount.
    pub amount: U256,
    /// Shares locked.
    pub shares: U256,
    /// Finalized.
    pub finalized: bool,
    /// Claimed.
    pub claimed: bool,
    /// Ether it pays once finalized.
    pub claimable: U256,
}

/// A permit the programs accepted (for replays).
#[derive(Clone, Debug, PartialEq, Eq)]
struct UsedPermit {
    spender: Address,
    value: U256,
    deadline: U256,
    v: u8,
    r: B256,
    s: B256,
}

/// What the model tracks beyond the programs' own state.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Every request, by id − 1.
    pub requests: Vec<Req>,
    /// Ether forced into the token, the share token and the queue.
    pub forced_eth: [U256; 3],
    /// Shares sent directly to the share token and the queue.
    pub stray_shares: [U256; 2],
    /// Σ ether the host ever minted to known accounts.
    pub eth_total: U256,
    /// The last accepted permit per (token, owner).
    permits: BTreeMap<(u8, u8), UsedPermit>,
    /// A counter for junk vote hashes.
    junk: u64,
}

/// What a step is expected to do.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expect {
    /// Succeed.
    Ok,
    /// Revert with this custom error.
    Err(&'static str),
    /// Fail in any way (e.g. the sender cannot pay the value).
    Fail,
}

/// The deployed protocol plus the model, ready to run sequences from one
/// base state.
pub struct Engine {
    /// The protocol on its host.
    pub p: Protocol,
    base: Snapshot,
    base_block: BlockEnv,
    base_chain: BeaconChain,
    base_model: Model,
    /// The users (keys known).
    pub signers: Vec<Signer>,
    /// The account table.
    pub accounts: Vec<Address>,
    /// Every account whose shares, units and ether are observed (the table, then others).
    pub known: Vec<Address>,
    /// `keccak256(account ‖ 1)` per known account: slot 1 holds the shares
    /// map in the rebase token and the balances map in the share token.
    balance_slots: Vec<U256>,
    plan: DigestPlan,
    limits: (u64, u64, u64),
    fee: (u64, u64),
    stranger: Address,
    /// The model.
    pub model: Model,
    /// Counters.
    pub stats: Stats,
    /// Check the storage digest after every refused call.
    pub check_refusals: bool,
    /// Share moves of the current step, applied to the stray counters if
    /// its call succeeds.
    pending_moves: Vec<(usize, usize, U256)>,
}

fn word(out: &Outcome) -> U256 {
    if out.return_data.len() >= 32 {
        U256::from_be_slice(&out.return_data[..32])
    } else {
        U256::ZERO
    }
}

fn error_name(out: &Outcome) -> String {
    match decode_revert(&out.return_data).name() {
        Some(n) => n.to_string(),
        None => format!("{:?} {}", out.failure, decode_revert(&out.return_data)),
    }
}

/// `floor(a * b / d)` in 512 bits (d > 0).
fn mul_div_down(a: U256, b: U256, d: U256) -> U256 {
    U256::from(U512::from(a) * U512::from(b) / U512::from(d))
}

/// `ceil(a * b / d)` in 512 bits (d > 0).
fn mul_div_up(a: U256, b: U256, d: U256) -> U256 {
    let n = U512::from(a) * U512::from(b);
    let d = U512::from(d);
    U256::from((n + d - U512::from(1u8)) / d)
}

impl Engine {
    /// Deploys the protocol and builds the base state every sequence starts
    /// from: four funded users with keys, the programs wired as governance
    /// would, 40 ETH staked by each user, four validators deposited and seen
    /// by a first report.
    ///
    /// # Errors
    /// A build, deployment or set-up call that fails.
    pub fn new() -> Result<Self> {
        let config = Config { signing_keys: 24, ..Config::default() };
        let mut p = Protocol::deploy(config)?;
        let signers: Vec<Signer> = (0..4).map(|i| Signer::new(&format!("user{i}"))).collect();
        for s in &signers {
            p.host.fund(s.address, user_funds());
            p.track(s.address);
        }
        let a = p.addrs;
        let accounts = vec![
            signers[0].address,
            signers[1].address,
            signers[2].address,
            signers[3].address,
            TREASURY,
            OPERATOR,
            DEAD,
            Address::ZERO,
            a.wsteth,
            a.queue,
            a.token,
            a.pool,
            GOVERNANCE,
        ];
        let stranger = labelled_address("invariants stranger");
        let mut known = accounts.clone();
        known.extend(p.members.iter().copied());
        known.extend([a.oracle, a.beacon_deposit, DEPOSITOR, stranger]);
        for s in &signers {
            p.submit_via_pool(s.address, ether(40))?;
            p.approve_steth(s.address, a.wsteth, ether(10))?;
            p.wrap(s.address, ether(10))?;
        }
        p.deposit_validators(4)?;
        // Withdrawal requests in both tokens, finalized by the first report,
        // and one left unfinalized, so claims have something to claim.
        p.request_withdrawals(signers[0].address, vec![ether(1), ether(2)])?;
        p.request_withdrawals(signers[1].address, vec![ether(1) / U256::from(2)])?;
        p.exec(
            signers[2].address,
            a.wsteth,
            &IWstETH::approveCall { spender: a.queue, amount: ether(1) },
            U256::ZERO,
        )?;
        p.exec(
            signers[2].address,
            a.queue,
            &IWithdrawalQueue::requestWithdrawalsWstETHCall {
                amounts: vec![ether(1)],
                owner: Address::ZERO,
            },
            U256::ZERO,
        )?;
        p.run_oracle_frame(|_| {})?;
        p.request_withdrawals(signers[3].address, vec![ether(3)])?;

        let roles: Vec<B256> = role_ids();
        let plan = DigestPlan {
            programs: vec![
                ProgramSlots::new(a.token, &rebase_token_layout(), &known, &roles),
                ProgramSlots::new(a.wsteth, &share_token_layout(), &known, &roles),
                ProgramSlots::new(a.pool, &deposit_pool_layout(32), &known, &roles),
                ProgramSlots::new(a.oracle, &oracle_layout(), &known, &roles),
                ProgramSlots::new(a.queue, &withdrawal_queue_layout(96), &known, &roles),
            ],
            accounts: known.clone(),
        };
        let balance_slots =
            known.iter().map(|x| map_slot(account_key(*x), U256::from(1))).collect();
        let limits = p.view(a.oracle, &IAccountingOracle::getOracleReportLimitsCall {})?;
        let fee = p.view(a.oracle, &IAccountingOracle::getFeeCall {})?;
        let to_u64 = |x: U256| u64::try_from(x).context("limit");
        let limits = (
            to_u64(limits.annualBalanceIncreaseBPLimit)?,
            to_u64(limits.oneOffCLBalanceDecreaseBPLimit)?,
            to_u64(limits.maxPositiveTokenRebase)?,
        );
        let fee = (to_u64(fee.totalBasisPoints)?, to_u64(fee.operatorBasisPoints)?);

        let mut engine = Self {
            base: p.host.snapshot(),
            base_block: p.host.block().clone(),
            base_chain: p.chain.clone(),
            base_model: Model::default(),
            p,
            signers,
            accounts,
            known,
            balance_slots,
            plan,
            limits,
            fee,
            stranger,
            model: Model::default(),
            stats: Stats::default(),
            check_refusals: true,
            pending_moves: Vec::new(),
        };
        let total = engine.known.iter().fold(U256::ZERO, |t, x| t + engine.p.host.balance(*x));
        engine.base_model.eth_total = total;
        engine.base_model.requests = engine.read_requests()?;
        engine.model = engine.base_model.clone();
        let obs = engine.observe()?;
        engine.check_global(&obs).map_err(anyhow::Error::msg).context("base state")?;
        Ok(engine)
    }

    /// Every request as the queue reports it (status, and the claimable
    /// ether of finalized ones).
    fn read_requests(&mut self) -> Result<Vec<Req>> {
        let a = self.p.addrs;
        let last = self.p.view(a.queue, &IWithdrawalQueue::getLastRequestIdCall {})?._0;
        let ids: Vec<U256> = (1..=u64::try_from(last)?).map(U256::from).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let statuses = self
            .p
            .view(a.queue, &IWithdrawalQueue::getWithdrawalStatusCall { requestIds: ids.clone() })?
            .statuses;
        let checkpoint = self.p.view(a.queue, &IWithdrawalQueue::getLastCheckpointIndexCall {})?._0;
        let mut requests = Vec::new();
        for (id, st) in ids.into_iter().zip(statuses) {
            let claimable = if st.isFinalized && !st.isClaimed {
                let hints = self
                    .p
                    .view(
                        a.queue,
                        &IWithdrawalQueue::findCheckpointHintsCall {
                            requestIds: vec![id],
                            firstIndex: U256::from(1),
                            lastIndex: checkpoint,
                        },
                    )?
                    .hintIds;
                self.p
                    .view(
                        a.queue,
                        &IWithdrawalQueue::getClaimableEtherCall { requestIds: vec![id], hints },
                    )?
                    .claimableEthValues[0]
            } else {
                U256::ZERO
            };
            requests.push(Req {
                owner: st.owner,
                amount: st.amountOfStETH,
                shares: st.amountOfShares,
                finalized: st.isFinalized,
                claimed: st.isClaimed,
                claimable,
            });
        }
        Ok(requests)
    }

    /// The storage digest of every program and the balances of every known
    /// account (what a refused call must leave as it was).
    #[must_use]
    pub fn digest(&self) -> super::digest::Digest {
        self.plan.read(&self.p.host)
    }

    /// Observes the state and checks every invariant of the module
    /// documentation against the model (valid after [`Engine::reset`] and
    /// after steps run through the engine).
    ///
    /// # Errors
    /// The first invariant that does not hold.
    pub fn check(&mut self) -> std::result::Result<(), String> {
        let obs = self.observe_inner()?;
        self.check_global(&obs)
    }

    /// Runs `actions` from the current state (no reset), checking each step.
    ///
    /// # Errors
    /// The first failing step.
    pub fn continue_with(&mut self, actions: &[Action]) -> std::result::Result<(), StepFailure> {
        for (i, action) in actions.iter().enumerate() {
            let fail = |message: String| StepFailure { step: i, action: action.clone(), message };
            let pre = self.observe_inner().map_err(fail)?;
            self.stats.steps += 1;
            let post = self.step(action, &pre).map_err(fail)?;
            self.check_global(&post).map_err(fail)?;
        }
        Ok(())
    }

    /// Returns to the base state (world, block context, simulated chain,
    /// model).
    pub fn reset(&mut self) {
        self.p.host.restore(self.base.clone());
        *self.p.host.block_mut() = self.base_block.clone();
        self.p.chain = self.base_chain.clone();
        self.model = self.base_model.clone();
    }

    /// Runs one sequence from the base state; the first failure stops it.
    ///
    /// # Errors
    /// The first step whose outcome or state differs from the model or
    /// breaks an invariant.
    pub fn run(&mut self, actions: &[Action]) -> std::result::Result<(), StepFailure> {
        self.reset();
        let fail = |step: usize, action: &Action, message: String| StepFailure {
            step,
            action: action.clone(),
            message,
        };
        let mut pre = self.observe().map_err(|e| fail(0, &actions[0], format!("{e:#}")))?;
        for (i, action) in actions.iter().enumerate() {
            self.stats.steps += 1;
            let post = self.step(action, &pre).map_err(|m| fail(i, action, m))?;
            self.check_global(&post).map_err(|m| fail(i, action, m))?;
            pre = post;
        }
        let last = actions.len().saturating_sub(1);
        self.check_views(&pre).map_err(|m| fail(last, &actions[last], m))
    }

    // --- observation ---------------------------------------------------------------------------

    fn v<C: SolCall>(&mut self, to: Address, call: &C) -> std::result::Result<C::Return, String> {
        self.p.view(to, call).map_err(|e| format!("{e:#}"))
    }

    /// Reads the state: totals and flags through the views, per-account
    /// shares and units from storage (cross-checked against the views at
    /// the end of every sequence), ether from the host.
    ///
    /// # Errors
    /// A view that reverts.
    pub fn observe(&mut self) -> Result<Obs> {
        self.observe_inner().map_err(anyhow::Error::msg)
    }

    fn observe_inner(&mut self) -> std::result::Result<Obs, String> {
        let a = self.p.addrs;
        let stat = self.v(a.pool, &IDepositPool::getBeaconStatCall {})?;
        let obs = Obs {
            p: self.v(a.token, &IStETH::getTotalPooledEtherCall {})?._0,
            s: self.v(a.token, &IStETH::getTotalSharesCall {})?._0,
            supply: self.v(a.token, &IStETH::totalSupplyCall {})?._0,
            pool_total: self.v(a.pool, &IDepositPool::getTotalPooledEtherCall {})?._0,
            buffered: self.v(a.pool, &IDepositPool::getBufferedEtherCall {})?._0,
            deposited: stat.depositedValidators,
            beacon_validators: stat.beaconValidators,
            beacon_balance: stat.beaconBalance,
            wst_supply: self.v(a.wsteth, &IWstETH::totalSupplyCall {})?._0,
            locked: self.v(a.queue, &IWithdrawalQueue::getLockedEtherAmountCall {})?._0,
            unfinalized: self.v(a.queue, &IWithdrawalQueue::unfinalizedStETHCall {})?._0,
            last_id: self.v(a.queue, &IWithdrawalQueue::getLastRequestIdCall {})?._0,
            last_finalized: self
                .v(a.queue, &IWithdrawalQueue::getLastFinalizedRequestIdCall {})?
                ._0,
            token_stopped: self.v(a.token, &IStETH::isStoppedCall {})?._0,
            pool_stopped: self.v(a.pool, &IDepositPool::isStoppedCall {})?._0,
            staking_paused: self.v(a.pool, &IDepositPool::isStakingPausedCall {})?._0,
            queue_paused: self.v(a.queue, &IWithdrawalQueue::isPausedCall {})?._0,
            stake_limit: self.v(a.pool, &IDepositPool::getCurrentStakeLimitCall {})?._0,
            shares: self
                .balance_slots
                .iter()
                .map(|s| U256::from_be_bytes(self.p.host.storage(a.token, *s).0))
                .collect(),
            wst: self
                .balance_slots
                .iter()
                .map(|s| U256::from_be_bytes(self.p.host.storage(a.wsteth, *s).0))
                .collect(),
            eth: self.known.iter().map(|x| self.p.host.balance(*x)).collect(),
        };
        Ok(obs)
    }

    /// The invariants that hold after every step (module documentation).
    fn check_global(&self, o: &Obs) -> std::result::Result<(), String> {
        let m = &self.model;
        let sum: U256 = o.shares.iter().fold(U256::ZERO, |t, x| t + *x);
        if sum != o.s {
            return Err(format!("INVARIANT shares: Σ sharesOf = {sum} != getTotalShares {}", o.s));
        }
        let transient = deposit_size() * (o.deposited - o.beacon_validators);
        let terms = o.buffered + o.beacon_balance + transient;
        if !(o.p == terms && o.supply == terms && o.pool_total == terms) {
            return Err(format!(
                "INVARIANT pooled ether: stETH {} / totalSupply {} / pool {} != buffered {} + beacon {} + transient {transient}",
                o.p, o.supply, o.pool_total, o.buffered, o.beacon_balance
            ));
        }
        let vault = self.p.chain.vault_pending;
        if o.eth[POOL] != o.buffered + vault {
            return Err(format!(
                "INVARIANT pool ether: holds {} != buffered {} + unaccounted vault ether {vault}",
                o.eth[POOL], o.buffered
            ));
        }
        if o.eth[QUEUE] != o.locked + m.forced_eth[2] {
            return Err(format!(
                "INVARIANT queue ether: holds {} != locked {} + forced {}",
                o.eth[QUEUE], o.locked, m.forced_eth[2]
            ));
        }
        if o.eth[TOKEN] != m.forced_eth[0] || o.eth[WSTETH] != m.forced_eth[1] {
            return Err(format!(
                "INVARIANT token ether: stETH holds {} (forced {}), wstETH holds {} (forced {})",
                o.eth[TOKEN], m.forced_eth[0], o.eth[WSTETH], m.forced_eth[1]
            ));
        }
        let beacon_i =
            self.known.iter().position(|x| *x == self.p.addrs.beacon_deposit).unwrap_or(0);
        if o.eth[beacon_i] != deposit_size() * o.deposited {
            return Err(format!(
                "INVARIANT deposits: the beacon deposit contract holds {} for {} validators",
                o.eth[beacon_i], o.deposited
            ));
        }
        let eth_sum = o.eth.iter().fold(U256::ZERO, |t, x| t + *x);
        if eth_sum != m.eth_total {
            return Err(format!(
                "INVARIANT ether supply: Σ ether {eth_sum} != minted {}",
                m.eth_total
            ));
        }
        let wst_sum = o.wst.iter().fold(U256::ZERO, |t, x| t + *x);
        if wst_sum != o.wst_supply || o.wst_supply + m.stray_shares[0] != o.shares[WSTETH] {
            return Err(format!(
                "INVARIANT share token: supply {} / Σ balances {wst_sum} / shares held {} − stray {}",
                o.wst_supply, o.shares[WSTETH], m.stray_shares[0]
            ));
        }
        let (mut unfinalized, mut locked, mut queued) = (U256::ZERO, U256::ZERO, U256::ZERO);
        for r in &m.requests {
            if r.finalized {
                if !r.claimed {
                    locked += r.claimable;
                }
            } else {
                unfinalized += r.amount;
                queued += r.shares;
            }
        }
        if o.unfinalized != unfinalized
            || o.locked != locked
            || o.shares[QUEUE] != queued + m.stray_shares[1]
            || o.last_id != U256::from(m.requests.len())
        {
            return Err(format!(
                "INVARIANT queue: unfinalized {} (model {unfinalized}), locked {} (model {locked}), \
                 shares {} (requests {queued} + stray {}), last id {} (model {})",
                o.unfinalized,
                o.locked,
                o.shares[QUEUE],
                m.stray_shares[1],
                o.last_id,
                m.requests.len()
            ));
        }
        Ok(())
    }

    /// End of sequence: storage reads against the views, requests against
    /// `getWithdrawalStatus`.
    fn check_views(&mut self, o: &Obs) -> std::result::Result<(), String> {
        let a = self.p.addrs;
        for (i, account) in self.known.clone().into_iter().enumerate() {
            let shares = self.v(a.token, &IStETH::sharesOfCall { account })?._0;
            let wst = self.v(a.wsteth, &IWstETH::balanceOfCall { account })?._0;
            if shares != o.shares[i] || wst != o.wst[i] {
                return Err(format!(
                    "views disagree with storage for {account}: sharesOf {shares} vs {}, balanceOf {wst} vs {}",
                    o.shares[i], o.wst[i]
                ));
            }
            let balance = self.v(a.token, &IStETH::balanceOfCall { account })?._0;
            if !o.s.is_zero() && balance != mul_div_down(shares, o.p, o.s) {
                return Err(format!(
                    "balanceOf({account}) = {balance} is not floor(shares * P / S)"
                ));
            }
        }
        if self.model.requests.is_empty() {
            return Ok(());
        }
        let ids: Vec<U256> = (1..=self.model.requests.len()).map(U256::from).collect();
        let statuses = self
            .v(a.queue, &IWithdrawalQueue::getWithdrawalStatusCall { requestIds: ids })?
            .statuses;
        for (i, (st, r)) in statuses.iter().zip(&self.model.requests).enumerate() {
            if st.amountOfStETH != r.amount
                || st.amountOfShares != r.shares
                || st.owner != r.owner
                || st.isFinalized != r.finalized
                || st.isClaimed != r.claimed
            {
                return Err(format!("request {} is {st:?}, model {r:?}", i + 1));
            }
        }
        Ok(())
    }

    // --- transactions --------------------------------------------------------------------------

    /// Sends a transaction; a refused one is checked to have changed
    /// nothing (storage digest and balances before and after).
    fn tx(
        &mut self,
        from: Address,
        to: Address,
        data: Vec<u8>,
        value: U256,
    ) -> std::result::Result<Outcome, String> {
        let before = self.check_refusals.then(|| self.p.host.snapshot());
        let out = self.p.host.call(from, to, &data, value);
        self.stats.calls += 1;
        if !out.success {
            self.stats.refused += 1;
            if let Some(before) = before {
                let after = self.plan.read(&self.p.host);
                self.p.host.restore(before);
                let original = self.plan.read(&self.p.host);
                if after != original {
                    return Err(format!(
                        "a refused call ({}) changed state: {:?}",
                        error_name(&out),
                        original.diff(&after)
                    ));
                }
            }
        }
        Ok(out)
    }

    fn call<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        call: &C,
        value: U256,
    ) -> std::result::Result<Outcome, String> {
        self.tx(from, to, call.abi_encode(), value)
    }

    fn expect(&self, what: &str, out: &Outcome, e: &Expect) -> std::result::Result<(), String> {
        match e {
            Expect::Ok if !out.success => {
                Err(format!("{what}: expected success, refused with {}", error_name(out)))
            }
            Expect::Err(name) if out.success => {
                Err(format!("{what}: expected {name}, but it succeeded"))
            }
            Expect::Err(name) if decode_revert(&out.return_data).name() != Some(name) => {
                Err(format!("{what}: expected {name}, got {}", error_name(out)))
            }
            Expect::Fail if out.success => Err(format!("{what}: expected a failure, it succeeded")),
            _ => Ok(()),
        }
    }

    fn count(&mut self, kind: &'static str, ok: bool) {
        let e = self.stats.by_action.entry(kind).or_default();
        if ok {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }

    fn allowance(
        &mut self,
        token: Tok,
        owner: Address,
        spender: Address,
    ) -> std::result::Result<U256, String> {
        let a = self.p.addrs;
        Ok(match token {
            Tok::StEth => self.v(a.token, &IStETH::allowanceCall { owner, spender })?._0,
            Tok::WstEth => self.v(a.wsteth, &IWstETH::allowanceCall { owner, spender })?._0,
        })
    }

    // --- the model's conversions -----------------------------------------------------------------

    /// `balanceOf`: `floor(shares * P / S)`.
    fn value(o: &Obs, shares: U256) -> U256 {
        if o.s.is_zero() {
            shares
        } else {
            mul_div_down(shares, o.p, o.s)
        }
    }

    /// Shares moved by a transfer of `amount` from an account with
    /// `from_shares`: all of them for the whole non-zero balance, else
    /// `floor(amount * S / P)`.
    fn shares_for_transfer(o: &Obs, from_shares: U256, amount: U256) -> U256 {
        let balance = Self::value(o, from_shares);
        if amount == balance && !amount.is_zero() {
            from_shares
        } else {
            mul_div_down(amount, o.s, o.p)
        }
    }

    // --- one step --------------------------------------------------------------------------------

    /// Runs `action` from the observed `pre` state and checks its outcome
    /// against the model. Returns the new observation.
    fn step(&mut self, action: &Action, pre: &Obs) -> std::result::Result<Obs, String> {
        let mut exp = pre.clone();
        let mut time_moved = false;
        match action {
            Action::Submit { path, user, amount } => {
                let user = usize::from(*user);
                let value = amount.resolve(ether(200));
                let (to, data) = self.stake_call(*path);
                let e = self.predict_stake(pre, *path, user, value, &mut exp);
                let out = self.tx(self.accounts[user], to, data, value)?;
                self.count("submit", out.success);
                self.expect("stake", &out, &e)?;
            }
            Action::Transfer { from, to, amount } => {
                let (f, t) = (usize::from(*from), usize::from(*to));
                let base = Self::value(pre, pre.shares[f]);
                let amount = amount.resolve(base);
                let e = self.predict_transfer(pre, f, t, amount, &mut exp);
                let call = IStETH::transferCall { to: self.accounts[t], amount };
                let out = self.call(self.accounts[f], self.p.addrs.token, &call, U256::ZERO)?;
                self.count("transfer", out.success);
                self.commit_moves(out.success);
                self.expect("transfer", &out, &e)?;
            }
            Action::TransferShares { from, to, shares } => {
                let (f, t) = (usize::from(*from), usize::from(*to));
                let k = shares.resolve(pre.shares[f]);
                let e = self.predict_share_move(pre, f, t, k, &mut exp);
                let call = IStETH::transferSharesCall { to: self.accounts[t], sharesAmount: k };
                let out = self.call(self.accounts[f], self.p.addrs.token, &call, U256::ZERO)?;
                self.count("transferShares", out.success);
                self.commit_moves(out.success);
                self.expect("transferShares", &out, &e)?;
                if out.success && word(&out) != Self::value(pre, k) {
                    return Err(format!(
                        "transferShares({k}) returned {}, not floor(k * P / S) = {}",
                        word(&out),
                        Self::value(pre, k)
                    ));
                }
            }
            Action::TransferFrom { spender, from, to, amount, approve } => {
                self.step_transfer_from(pre, &mut exp, [*spender, *from, *to], *amount, *approve)?;
            }
            Action::TransferSharesFrom { spender, from, to, shares, approve } => {
                let parties = [*spender, *from, *to];
                self.step_transfer_shares_from(pre, &mut exp, parties, *shares, *approve)?;
            }
            Action::Approve { token, owner, spender, amount } => {
                self.step_approve(*token, *owner, *spender, *amount)?;
            }
            Action::ChangeAllowance { token, owner, spender, increase, amount } => {
                self.step_change_allowance(*token, *owner, *spender, *increase, *amount)?;
            }
            Action::Permit { token, owner, spender, value, fault } => {
                self.step_permit(*token, *owner, *spender, *value, *fault)?;
            }
            Action::Wrap { user, amount, approve } => {
                self.step_wrap(pre, &mut exp, usize::from(*user), *amount, *approve)?;
            }
            Action::Unwrap { user, amount } => {
                let u = usize::from(*user);
                let w = amount.resolve(pre.wst[u]);
                let e = if w.is_zero() {
                    Expect::Err("ZeroAmount")
                } else if w > pre.wst[u] {
                    Expect::Err("InsufficientBalance")
                } else if pre.token_stopped {
                    Expect::Err("ContractStopped")
                } else {
                    exp.wst[u] -= w;
                    exp.wst_supply -= w;
                    exp.shares[WSTETH] -= w;
                    exp.shares[u] += w;
                    Expect::Ok
                };
                let call = IWstETH::unwrapCall { wstETHAmount: w };
                let out = self.call(self.accounts[u], self.p.addrs.wsteth, &call, U256::ZERO)?;
                self.count("unwrap", out.success);
                self.expect("unwrap", &out, &e)?;
                if out.success && word(&out) != Self::value(pre, w) {
                    return Err(format!(
                        "unwrap({w}) returned {}, not {}",
                        word(&out),
                        Self::value(pre, w)
                    ));
                }
            }
            Action::WstTransfer { from, to, amount } => {
                let (f, t) = (usize::from(*from), usize::from(*to));
                let w = amount.resolve(pre.wst[f]);
                let e = if t == ZERO_I {
                    Expect::Err("ZeroAddress")
                } else if w > pre.wst[f] {
                    Expect::Err("InsufficientBalance")
                } else {
                    exp.wst[f] -= w;
                    exp.wst[t] += w;
                    Expect::Ok
                };
                let call = IWstETH::transferCall { to: self.accounts[t], amount: w };
                let out = self.call(self.accounts[f], self.p.addrs.wsteth, &call, U256::ZERO)?;
                self.count("wstTransfer", out.success);
                self.expect("wstETH transfer", &out, &e)?;
            }
            Action::WstTransferFrom { spender, from, to, amount, approve } => {
                let (sp, f, t) = (usize::from(*spender), usize::from(*from), usize::from(*to));
                let w = amount.resolve(pre.wst[f]);
                let (owner, spender_a) = (self.accounts[f], self.accounts[sp]);
                if *approve {
                    let call = IWstETH::approveCall { spender: spender_a, amount: w };
                    let out = self.call(owner, self.p.addrs.wsteth, &call, U256::ZERO)?;
                    self.expect("wstETH approve before transferFrom", &out, &Expect::Ok)?;
                }
                let allowance = self.allowance(Tok::WstEth, owner, spender_a)?;
                let e = if allowance != U256::MAX && allowance < w {
                    Expect::Err("InsufficientAllowance")
                } else if t == ZERO_I {
                    Expect::Err("ZeroAddress")
                } else if w > pre.wst[f] {
                    Expect::Err("InsufficientBalance")
                } else {
                    exp.wst[f] -= w;
                    exp.wst[t] += w;
                    Expect::Ok
                };
                let call =
                    IWstETH::transferFromCall { from: owner, to: self.accounts[t], amount: w };
                let out = self.call(spender_a, self.p.addrs.wsteth, &call, U256::ZERO)?;
                self.count("wstTransferFrom", out.success);
                self.expect("wstETH transferFrom", &out, &e)?;
                let after = self.allowance(Tok::WstEth, owner, spender_a)?;
                let want =
                    if out.success && allowance != U256::MAX { allowance - w } else { allowance };
                if after != want {
                    return Err(format!(
                        "wstETH allowance {allowance} -> {after}, expected {want}"
                    ));
                }
            }
            Action::Deposit { max } => self.step_deposit(pre, &mut exp, *max)?,
            Action::Beacon(change) => self.step_beacon(*change, &mut exp),
            Action::Report { kind, finalize } => {
                time_moved = true;
                self.step_report(pre, &mut exp, *kind, *finalize)?;
            }
            Action::Oracle(noise) => self.step_oracle_noise(*noise)?,
            Action::Request { user, amounts, wrapped, approve, owner } => {
                self.step_request(
                    pre,
                    &mut exp,
                    usize::from(*user),
                    amounts,
                    *wrapped,
                    *approve,
                    *owner,
                )?;
            }
            Action::Claim { caller, request, to } => {
                self.step_claim(pre, &mut exp, *caller, *request, *to)?;
            }
            Action::NftTransfer { caller, request, to } => {
                self.step_nft_transfer(*caller, *request, usize::from(*to))?;
            }
            Action::Pause { op, authorized } => self.step_pause(pre, &mut exp, *op, *authorized)?,
            Action::Time(seconds) => {
                time_moved = true;
                self.p.host.advance_time(u64::from(*seconds));
            }
            Action::Donate { target, amount } => {
                let amount = amount.resolve(ether(10)).min(ether(1_000_000));
                let (account, slot) = match target % 4 {
                    0 => (TOKEN, Some(0)),
                    1 => (WSTETH, Some(1)),
                    2 => (QUEUE, Some(2)),
                    _ => (POOL, None),
                };
                self.p.host.fund(self.accounts[account], amount);
                self.model.eth_total += amount;
                match slot {
                    Some(i) => self.model.forced_eth[i] += amount,
                    // Ether forced into the pool is vault ether: the next
                    // report collects it (as rewards, within the cap).
                    None => self.p.chain.vault_pending += amount,
                }
                exp.eth[account] += amount;
            }
        }
        let post = self.observe_inner()?;
        if time_moved {
            exp.queue_paused = post.queue_paused;
            exp.stake_limit = post.stake_limit;
        }
        if exp != post {
            return Err(format!("state differs from the model:\n{}", self.diff(&exp, &post)));
        }
        // Outside reports the share rate only ever rises (by the rounding of
        // deposits, in the pool's favour): no step hands value to its caller
        // at the other holders' expense.
        let rate_fell =
            U512::from(pre.p) * U512::from(post.s) > U512::from(post.p) * U512::from(pre.s);
        if !matches!(action, Action::Report { .. }) && rate_fell {
            return Err(format!(
                "the share rate fell outside a report: {}/{} -> {}/{}",
                pre.p, pre.s, post.p, post.s
            ));
        }
        Ok(post)
    }

    fn diff(&self, exp: &Obs, post: &Obs) -> String {
        let mut lines = Vec::new();
        macro_rules! field {
            ($($f:ident),*) => {$(
                if exp.$f != post.$f {
                    lines.push(format!("  {}: model {:?}, programs {:?}", stringify!($f), exp.$f, post.$f));
                }
            )*};
        }
        field!(
            p,
            s,
            supply,
            pool_total,
            buffered,
            deposited,
            beacon_validators,
            beacon_balance,
            wst_supply,
            locked,
            unfinalized,
            last_id,
            last_finalized,
            token_stopped,
            pool_stopped,
            staking_paused,
            queue_paused,
            stake_limit
        );
        for (i, a) in self.known.iter().enumerate() {
            let name = ACCOUNT_NAMES.get(i).map_or_else(|| a.to_string(), |n| (*n).to_string());
            for (what, x, y) in [
                ("shares", exp.shares[i], post.shares[i]),
                ("wstETH", exp.wst[i], post.wst[i]),
                ("ether", exp.eth[i], post.eth[i]),
            ] {
                if x != y {
                    lines.push(format!("  {what} of {name}: model {x}, programs {y}"));
                }
            }
        }
        lines.join("\n")
    }

    // --- staking -----------------------------------------------------------------------------------

    fn stake_call(&self, path: StakePath) -> (Address, Vec<u8>) {
        let a = self.p.addrs;
        let referral = Address::ZERO;
        match path {
            StakePath::Pool => (a.pool, IDepositPool::submitCall { referral }.abi_encode()),
            StakePath::Token => (a.token, IStETH::submitCall { referral }.abi_encode()),
            StakePath::Wrapper => (a.wsteth, Vec::new()),
            StakePath::PoolPlain => (a.pool, Vec::new()),
            StakePath::TokenPlain => (a.token, Vec::new()),
        }
    }

    /// What staking `value` by account `staker` through `path` must do; the
    /// expected state goes into `exp`.
    fn predict_stake(
        &self,
        pre: &Obs,
        path: StakePath,
        staker: usize,
        value: U256,
        exp: &mut Obs,
    ) -> Expect {
        let token_first = matches!(path, StakePath::Token | StakePath::TokenPlain);
        if value > pre.eth[staker] {
            return Expect::Fail;
        }
        if token_first && pre.token_stopped {
            return Expect::Err("ContractStopped");
        }
        if value.is_zero() {
            return Expect::Err("ZeroAmount");
        }
        if pre.staking_paused {
            return Expect::Err("StakingIsPaused");
        }
        if value > pre.stake_limit {
            return Expect::Err("StakeLimitExceeded");
        }
        if pre.buffered + value >= U256::from(1) << 96 {
            return Expect::Err("TotalOverflow");
        }
        if pre.token_stopped {
            return Expect::Err("ContractStopped");
        }
        let shares = mul_div_down(value, pre.s, pre.p);
        if shares.is_zero() {
            return Expect::Err("ZeroShares");
        }
        if path == StakePath::Wrapper && pre.wst_supply + shares >= U256::from(1) << 96 {
            return Expect::Err("TotalOverflow");
        }
        // Rounding: the minted shares are worth at most the ether paid.
        debug_assert!(
            U512::from(shares) * U512::from(pre.p) <= U512::from(value) * U512::from(pre.s)
        );
        exp.p += value;
        exp.supply += value;
        exp.pool_total += value;
        exp.buffered += value;
        exp.s += shares;
        exp.eth[staker] -= value;
        exp.eth[POOL] += value;
        if pre.stake_limit != U256::MAX {
            exp.stake_limit -= value;
        }
        if path == StakePath::Wrapper {
            exp.shares[WSTETH] += shares;
            exp.wst[staker] += shares;
            exp.wst_supply += shares;
        } else {
            exp.shares[staker] += shares;
        }
        Expect::Ok
    }

    // --- transfers -----------------------------------------------------------------------------------

    fn bad_recipient(to: usize) -> Option<Expect> {
        match to {
            ZERO_I => Some(Expect::Err("ZeroAddress")),
            TOKEN => Some(Expect::Err("InvalidRecipient")),
            _ => None,
        }
    }

    fn predict_transfer(
        &mut self,
        pre: &Obs,
        f: usize,
        t: usize,
        amount: U256,
        exp: &mut Obs,
    ) -> Expect {
        if pre.token_stopped {
            return Expect::Err("ContractStopped");
        }
        if let Some(e) = Self::bad_recipient(t) {
            return e;
        }
        if amount > Self::value(pre, pre.shares[f]) {
            return Expect::Err("InsufficientBalance");
        }
        let k = Self::shares_for_transfer(pre, pre.shares[f], amount);
        // Rounding: a transfer by amount never moves more value than the
        // amount (a whole-balance transfer moves the sender's own dust).
        if k != pre.shares[f] {
            debug_assert!(Self::value(pre, k) <= amount);
        }
        self.stage_move(exp, f, t, k);
        Expect::Ok
    }

    /// Records a share move in `exp`; the model's count of shares sent
    /// directly to the share token or the queue follows when the call
    /// succeeds ([`Engine::commit_moves`]).
    fn stage_move(&mut self, exp: &mut Obs, f: usize, t: usize, k: U256) {
        self.pending_moves.push((f, t, k));
        exp.shares[f] -= k;
        exp.shares[t] += k;
    }

    /// Applies (on success) or drops the staged moves.
    fn commit_moves(&mut self, success: bool) {
        for (f, t, k) in std::mem::take(&mut self.pending_moves) {
            if success && f != t {
                if t == WSTETH {
                    self.model.stray_shares[0] += k;
                } else if t == QUEUE {
                    self.model.stray_shares[1] += k;
                }
            }
        }
    }

    fn predict_share_move(
        &mut self,
        pre: &Obs,
        f: usize,
        t: usize,
        k: U256,
        exp: &mut Obs,
    ) -> Expect {
        if pre.token_stopped {
            return Expect::Err("ContractStopped");
        }
        if let Some(e) = Self::bad_recipient(t) {
            return e;
        }
        if k > pre.shares[f] {
            return Expect::Err("InsufficientBalance");
        }
        self.stage_move(exp, f, t, k);
        Expect::Ok
    }
}

/// Every role id the programs use (for the digest's role maps).
fn role_ids() -> Vec<B256> {
    let mut roles = vec![B256::ZERO];
    for name in [
        "PAUSE_ROLE",
        "RESUME_ROLE",
        "STAKING_PAUSE_ROLE",
        "STAKING_CONTROL_ROLE",
        "MANAGE_SIGNING_KEYS",
        "DEPOSIT_ROLE",
        "MANAGE_MEMBERS_AND_QUORUM_ROLE",
        "MANAGE_FRAME_CONFIG_ROLE",
        "MANAGE_CONSENSUS_VERSION_ROLE",
        "SUBMIT_DATA_ROLE",
        "ALL_LIMITS_MANAGER_ROLE",
        "ANNUAL_BALANCE_INCREASE_LIMIT_MANAGER_ROLE",
        "ONE_OFF_CL_BALANCE_DECREASE_LIMIT_MANAGER_ROLE",
        "MAX_POSITIVE_TOKEN_REBASE_MANAGER_ROLE",
        "MANAGE_FEE_ROLE",
    ] {
        roles.push(keccak256(name));
    }
    roles
}
