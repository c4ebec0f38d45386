//! A year of daily reports on a simulated protocol, driven through the pure
//! report math ([`report::compute`], [`report::settle`]) exactly as the
//! program applies it: stakes, validator deposits and activations, rewards
//! (CL and vault), skimming, withdrawal requests finalized at each report,
//! one slashing, one rejected out-of-limit report and a three-day outage
//! whose rewards exceed the per-report cap (deferred, then paid out).
//! Every invariant is checked after each report. (The same scenario through
//! the deployed programs belongs to the embedded host's end-to-end tests.)

use alloy_primitives::U256;
use staking_common::DEPOSIT_SIZE;

use crate::errors::IncorrectCLBalanceIncrease;
use crate::report::{
    self, Fee, Limits, Outcome, PreState, ReportInput, GWEI, LIMITER_PRECISION_BASE,
    SHARE_RATE_PRECISION,
};

const E: u128 = 1_000_000_000_000_000_000;
const DAY: u64 = 86_400;
const START: u64 = 1_700_000_000;

fn u(x: u128) -> U256 {
    U256::from(x)
}

fn eth(x: u128) -> U256 {
    u(x * E)
}

/// `x` rounded down to whole gwei (the consensus layer's unit).
fn whole_gwei(x: U256) -> U256 {
    x / GWEI * GWEI
}

/// A withdrawal request: its shares and their value when requested.
struct Request {
    shares: U256,
    ether: U256,
}

/// The protocol's books (token, pool, queue) and the world they describe.
struct Sim {
    // rebase token
    pooled: U256,
    shares: U256,
    holder_shares: U256,
    treasury_shares: U256,
    operator_shares: U256,
    queue_shares: U256,
    // deposit pool
    buffered: U256,
    deposited: u64,
    seen: u64,
    beacon_balance: U256,
    // withdrawal queue
    requests: Vec<Request>,
    finalized: usize,
    locked: U256,
    // the world
    activated: u64,
    cl: U256,
    vault: U256,
    // bookkeeping
    last_report_day: u64,
    growth: U256,
    losses: U256,
    distributed: U256,
    lost: U256,
}

impl Sim {
    /// 3_201 ETH staked, 100 validators active and seen, 1 ETH buffered.
    fn new() -> Sim {
        Sim {
            pooled: eth(3_201),
            shares: eth(3_201),
            holder_shares: eth(3_201),
            treasury_shares: U256::ZERO,
            operator_shares: U256::ZERO,
            queue_shares: U256::ZERO,
            buffered: eth(1),
            deposited: 100,
            seen: 100,
            beacon_balance: eth(3_200),
            requests: Vec::new(),
            finalized: 0,
            locked: U256::ZERO,
            activated: 100,
            cl: eth(3_200),
            vault: U256::ZERO,
            last_report_day: 0,
            growth: U256::ZERO,
            losses: U256::ZERO,
            distributed: U256::ZERO,
            lost: U256::ZERO,
        }
    }

    /// A user stakes `v` wei (shares at the pre-deposit rate, rounded down).
    fn stake(&mut self, v: U256) {
        let minted = v * self.shares / self.pooled;
        self.shares += minted;
        self.holder_shares += minted;
        self.pooled += v;
        self.buffered += v;
    }

    /// Users request withdrawal of `shares` (valued now, rounded down).
    fn request(&mut self, shares: U256) {
        self.holder_shares -= shares;
        self.queue_shares += shares;
        let ether = shares * self.pooled / self.shares;
        self.requests.push(Request { shares, ether });
    }

    /// Ether the unfinalized requests will need (at their request value).
    fn reserved(&self) -> U256 {
        self.requests[self.finalized..].iter().fold(U256::ZERO, |acc, r| acc + r.ether)
    }

    /// Deposits as many 32-ETH validators as the buffer allows after
    /// reserving for the queue.
    fn deposit(&mut self) {
        let depositable = self.buffered.saturating_sub(self.reserved());
        let count = (depositable / DEPOSIT_SIZE).to::<u64>();
        self.buffered -= DEPOSIT_SIZE * U256::from(count);
        self.deposited += count;
    }

    /// One day passes on the consensus layer: pending validators activate
    /// with 32 ETH, the balance earns ~4 % a year, the vault receives
    /// execution-layer rewards and, weekly, skimmed CL rewards.
    fn one_day(&mut self, day: u64) {
        let pending = self.deposited - self.activated;
        self.cl += DEPOSIT_SIZE * U256::from(pending);
        self.activated = self.deposited;
        let cl_reward = whole_gwei(self.cl * u(11) / u(100_000));
        let el_reward = self.cl * u(2) / u(100_000);
        self.cl += cl_reward;
        self.vault += el_reward;
        self.growth += cl_reward + el_reward;
        if day.is_multiple_of(7) {
            let skim = whole_gwei(self.cl * u(5) / u(10_000));
            self.cl -= skim;
            self.vault += skim;
        }
    }

    fn pre_state(&self) -> PreState {
        PreState {
            total_pooled_ether: self.pooled,
            total_shares: self.shares,
            buffered_ether: self.buffered,
            deposited_validators: U256::from(self.deposited),
            beacon_validators: U256::from(self.seen),
            beacon_balance: self.beacon_balance,
        }
    }

    /// The report the committee would agree on for `day`, showing `cl`.
    fn report_input(&self, day: u64, cl: U256) -> ReportInput {
        ReportInput {
            report_timestamp: U256::from(START + day * DAY),
            now: U256::from(START + day * DAY + 600),
            time_elapsed: U256::from((day - self.last_report_day) * DAY),
            num_validators: U256::from(self.activated),
            cl_balance_gwei: cl / GWEI,
            withdrawal_vault_balance: self.vault,
        }
    }

    /// Applies a report for `day` (the world as it is), as the program does:
    /// compute, price the pending requests (the queue's `prefinalize`: each
    /// at the lower of its request value and the post-report rate), settle,
    /// then the pool's and the token's updates. Returns the outcome.
    fn report(&mut self, day: u64) -> Result<Outcome, crate::Error> {
        let pre = self.pre_state();
        let input = self.report_input(day, self.cl);
        let out = report::compute(&pre, &input, &Limits::DEFAULT, &Fee::DEFAULT)?;
        let available = self.buffered + out.withdrawals_to_collect;
        let (mut lock, mut burn, mut count) = (U256::ZERO, U256::ZERO, 0);
        for r in &self.requests[self.finalized..] {
            let at_rate = r.shares * out.max_share_rate / SHARE_RATE_PRECISION;
            let ether = r.ether.min(at_rate);
            if lock + ether > available {
                break;
            }
            lock += ether;
            burn += r.shares;
            count += 1;
        }
        let settled = report::settle(&pre, &out, lock)?;
        // Deposit pool.
        self.vault -= out.withdrawals_to_collect;
        self.buffered = settled.post_buffered_ether;
        self.seen = self.activated;
        self.beacon_balance = out.post_cl_balance;
        // Withdrawal queue.
        self.finalized += count;
        self.locked += lock;
        // Rebase token.
        self.pooled = settled.post_total_pooled_ether;
        self.shares = out.post_total_shares - burn;
        self.treasury_shares += out.treasury_shares;
        self.operator_shares += out.operator_shares;
        self.queue_shares -= burn;
        self.distributed += out.rewards;
        self.lost += out.loss;
        self.last_report_day = day;
        Ok(out)
    }

    /// Every invariant after a report that returned `out` from `pre`.
    fn check(&self, day: u64, pre: &PreState, out: &Outcome) {
        // Token == pool: P = buffered + B + 32 ETH × (D − V).
        let transient = DEPOSIT_SIZE * U256::from(self.deposited - self.seen);
        assert_eq!(self.pooled, self.buffered + self.beacon_balance + transient, "day {day}");
        // Every share is held by someone.
        assert_eq!(
            self.shares,
            self.holder_shares + self.treasury_shares + self.operator_shares + self.queue_shares,
            "day {day}"
        );
        // The world minus the books is exactly what is deferred.
        let pending = DEPOSIT_SIZE * U256::from(self.deposited - self.activated);
        let real = self.buffered + self.vault + self.cl + pending;
        assert_eq!(real - self.pooled, out.deferred, "day {day}");
        // Nothing lost or invented: growth = distributed − lost + deferred.
        assert_eq!(
            self.growth + self.lost,
            self.distributed + self.losses + out.deferred,
            "day {day}"
        );
        // The share rate rose by at most the limit (P1 S ≤ P S1 (1 + limit)).
        let limit = U256::from(LIMITER_PRECISION_BASE + Limits::DEFAULT.max_positive_token_rebase);
        assert!(
            out.post_total_pooled_ether * pre.total_shares * U256::from(LIMITER_PRECISION_BASE)
                <= pre.total_pooled_ether * out.post_total_shares * limit,
            "day {day}"
        );
        // The fee holders got 10 % of the distributed rewards (rounded down, ≤ 3 wei short).
        let fee_value = out.fee_shares() * out.post_total_pooled_ether / out.post_total_shares;
        let due = out.rewards / u(10);
        assert!(fee_value <= due && due - fee_value <= u(3), "day {day}: {fee_value} vs {due}");
        // Half of the fee shares (rounded down) went to the operator recipient.
        assert_eq!(out.operator_shares, out.fee_shares() / u(2), "day {day}");
        // The queue never pays more than a request was worth when made.
        let paid: U256 =
            self.requests[..self.finalized].iter().fold(U256::ZERO, |acc, r| acc + r.ether);
        assert!(self.locked <= paid, "day {day}");
    }
}

#[test]
fn a_year_of_daily_reports_keeps_every_invariant() {
    // Given a running protocol.
    let mut sim = Sim::new();
    let (mut rejected, mut slashed, mut deferred_days, mut reports) = (0, 0, 0, 0);
    for day in 1..=365u64 {
        sim.one_day(day);
        if day.is_multiple_of(3) {
            sim.stake(eth(50));
        }
        if day.is_multiple_of(10) {
            let shares = sim.holder_shares / u(100);
            sim.request(shares);
        }
        if day == 200 {
            // A slashing: 1 % of the CL balance burns (within the 5 % one-off limit).
            let penalty = whole_gwei(sim.cl / u(100));
            sim.cl -= penalty;
            sim.losses += penalty;
        }
        if day == 252 {
            // A large execution-layer reward lands during an outage.
            let lump = sim.pooled * u(12) / u(10_000);
            sim.vault += lump;
            sim.growth += lump;
        }
        if (250..=252).contains(&day) {
            // Outage: no report on these days.
            sim.deposit();
            continue;
        }
        if day == 100 {
            // When a quorum reports a CL balance 5 % too high.
            let pre = sim.pre_state();
            let bogus = sim.report_input(day, whole_gwei(sim.cl * u(105) / u(100)));
            let result = report::compute(&pre, &bogus, &Limits::DEFAULT, &Fee::DEFAULT);
            // Then it is rejected and nothing changes (the next report covers two days).
            assert!(matches!(result, Err(e)
                if e.0[..4] == <IncorrectCLBalanceIncrease as alloy_sol_types::SolError>::SELECTOR));
            assert_eq!(sim.pre_state(), pre);
            rejected += 1;
            sim.deposit();
            continue;
        }
        let pre = sim.pre_state();
        let rate_before = pre.total_pooled_ether * SHARE_RATE_PRECISION / pre.total_shares;
        let out = sim.report(day).unwrap_or_else(|e| panic!("day {day}: {e:?}"));
        reports += 1;
        sim.check(day, &pre, &out);
        let rate_after = sim.pooled * SHARE_RATE_PRECISION / sim.shares;
        if day == 200 {
            // The slashing lowered every balance and took no fee.
            assert!(out.loss > U256::ZERO && out.fee_shares().is_zero());
            assert!(rate_after < rate_before);
            slashed += 1;
        } else {
            // Finalizing below the rate never lowers it; rewards raise it.
            assert!(rate_after >= rate_before, "day {day}");
        }
        if day == 253 {
            // After the outage the growth exceeds the cap: the excess is deferred.
            assert!(out.deferred > U256::ZERO);
        }
        if out.deferred > U256::ZERO {
            deferred_days += 1;
        }
        sim.deposit();
    }
    // The year saw one rejection, one slashing, and deferral that was paid
    // back within days (nothing is deferred at the end).
    assert_eq!((rejected, slashed), (1, 1));
    assert!((1..=5).contains(&deferred_days), "deferred on {deferred_days} days");
    assert_eq!(reports, 365 - 1 - 3);
    let pre = sim.pre_state();
    let out =
        report::compute(&pre, &sim.report_input(366, sim.cl), &Limits::DEFAULT, &Fee::DEFAULT)
            .map(|o| o.deferred);
    assert_eq!(out, Ok(U256::ZERO));
    // Holders earned: the rate grew by roughly 4 % less the 10 % fee and the slashing.
    let rate = sim.pooled * u(10_000) / sim.shares;
    assert!(rate > u(10_200) && rate < u(10_500), "rate {rate}");
    assert!(sim.finalized > 30, "finalized {}", sim.finalized);
}
