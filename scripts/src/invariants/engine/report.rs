//! The oracle report step and the model of a report: Lido's accounting as
//! the documentation states it (sanity limits, rewards capped per report and
//! the rest deferred, fee shares, finalization at the report's share rate,
//! settlement), recomputed here so the programs' result can be compared
//! word for word.

use super::{
    e27, mul_div_down, mul_div_up, Engine, Expect, Obs, OPERATOR_I, POOL, QUEUE, TREASURY_I,
};
use crate::abi::{IAccountingOracle, IDepositPool, ReportData};
use crate::invariants::actions::{Finalize, ReportKind};
use crate::protocol::{ether, gwei};
use alloy_primitives::{U256, U512};
use alloy_sol_types::SolEvent;
use staking_common::math::{fee_shares, split_fee};

/// 365 days.
const SECONDS_PER_YEAR: u64 = 365 * 24 * 60 * 60;

/// What an accepted report does.
#[derive(Clone, Debug, Default)]
pub(super) struct Effect {
    validators: U256,
    beacon_balance: U256,
    collected: U256,
    rewards: U256,
    cap: U256,
    fee_shares: U256,
    treasury_shares: U256,
    operator_shares: U256,
    post_ether: U256,
    lock: U256,
    burn: U256,
    last_id: U256,
    rate: U256,
    claimable: Vec<(usize, U256)>,
}

/// The model's verdict on a report: accepted with this effect, or refused
/// with this custom error.
type Verdict = Result<Effect, &'static str>;

impl Engine {
    /// The model of `data` applied to `pre` at reference slot `ref_slot`
    /// (the last processed one was `prev_ref`), with the queue paused or not
    /// at report time.
    fn model_report(
        &self,
        pre: &Obs,
        data: &ReportData,
        ref_slot: u64,
        prev_ref: u64,
        queue_paused: bool,
    ) -> Verdict {
        let (p, s, b, v, d) =
            (pre.p, pre.s, pre.beacon_balance, pre.beacon_validators, pre.deposited);
        let (n, w) = (data.numValidators, data.withdrawalVaultBalance);
        let (annual_limit, decrease_limit, max_rebase) = self.limits;
        if n < v {
            return Err("ReportedLessValidators");
        }
        if n > d {
            return Err("ReportedMoreDeposited");
        }
        let elapsed = U256::from((ref_slot - prev_ref) * self.p.config.seconds_per_slot);
        let c = data.clBalanceGwei * gwei(1);
        let pre_cl = b + ether(32) * (n - v);
        let post_cl = c + w;
        let mut e = Effect { validators: n, ..Effect::default() };
        if post_cl > pre_cl {
            let raw = post_cl - pre_cl;
            if c > pre_cl {
                if pre_cl.is_zero() {
                    return Err("IncorrectCLBalanceIncrease");
                }
                // Annualised growth in basis points, rounded up.
                let year_bp = U256::from(SECONDS_PER_YEAR) * U256::from(10_000);
                let annual = mul_div_up(c - pre_cl, year_bp, pre_cl * elapsed);
                if annual > U256::from(annual_limit) {
                    return Err("IncorrectCLBalanceIncrease");
                }
            }
            // The per-report cap on rewards (0.075 % by default), rounded down.
            e.cap = mul_div_down(p, U256::from(max_rebase), U256::from(1_000_000_000u64));
            e.rewards = raw.min(e.cap);
            let deferred = raw - e.rewards;
            let from_vault = w.min(deferred);
            e.collected = w - from_vault;
            e.beacon_balance = c - (deferred - from_vault);
            e.fee_shares = fee_shares(e.rewards, self.fee.0, s, p);
            (e.treasury_shares, e.operator_shares) =
                split_fee(e.fee_shares, self.fee.0, self.fee.1);
            e.post_ether = p + e.rewards;
        } else {
            let loss = pre_cl - post_cl;
            // The drop in basis points, rounded up (no drop from nothing is 0).
            if !loss.is_zero() {
                let bp = mul_div_up(loss, U256::from(10_000), pre_cl);
                if bp > U256::from(decrease_limit) {
                    return Err("IncorrectCLBalanceDecrease");
                }
            }
            if loss > p {
                return Err("LossExceedsPooledEther");
            }
            e.beacon_balance = c;
            e.collected = w;
            e.post_ether = p - loss;
        }
        let s1 = s + e.fee_shares;
        e.rate = mul_div_down(e.post_ether, e27(), s1);
        let last = data.lastRequestIdToFinalize;
        if last > pre.last_finalized {
            if last > pre.last_id {
                return Err("InvalidRequestId");
            }
            let from = usize::try_from(pre.last_finalized).unwrap_or(usize::MAX);
            let to = usize::try_from(last).unwrap_or(usize::MAX);
            for (i, r) in self.model.requests.iter().enumerate().take(to).skip(from) {
                // Rounded down; never more than the request's nominal amount.
                let paid = r.amount.min(mul_div_down(r.shares, e.rate, e27()));
                e.lock += paid;
                e.burn += r.shares;
                e.claimable.push((i, paid));
            }
            e.last_id = last;
        }
        let available = pre.buffered + e.collected;
        if e.lock > available || e.lock > e.post_ether {
            return Err("EtherToLockExceedsAvailable");
        }
        if e.collected > pre.eth[POOL] - pre.buffered {
            return Err("WithdrawalsExceedUnaccountedEther");
        }
        if !e.last_id.is_zero() && queue_paused {
            return Err("ResumedExpected");
        }
        if pre.token_stopped {
            return Err("ContractStopped");
        }
        Ok(e)
    }

    /// A whole frame: the clock moves to the next frame, the members vote the
    /// (possibly distorted) report, the first submits it; the result is
    /// compared with [`Engine::model_report`].
    pub(super) fn step_report(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        kind: ReportKind,
        finalize: Finalize,
    ) -> std::result::Result<(), String> {
        let a = self.p.addrs;
        let prev_ref = self.v(a.oracle, &IAccountingOracle::getLastProcessingRefSlotCall {})?._0;
        let prev_ref = u64::try_from(prev_ref).map_err(|e| e.to_string())?;
        let ref_slot = self.p.advance_to_next_frame().map_err(|e| format!("{e:#}"))?;
        let mut data = self.p.report_data(ref_slot).map_err(|e| format!("{e:#}"))?;
        let (done, last) = (pre.last_finalized, pre.last_id);
        data.lastRequestIdToFinalize = match finalize {
            Finalize::None => U256::ZERO,
            Finalize::Affordable => data.lastRequestIdToFinalize,
            Finalize::Last => last,
            Finalize::Middle => (done + last + U256::from(1)) / U256::from(2),
        };
        match kind {
            ReportKind::Honest => {}
            ReportKind::ClDelta(bp) => {
                let scaled = U256::from((10_000 + i64::from(bp)).max(0));
                data.clBalanceGwei = data.clBalanceGwei * scaled / U256::from(10_000);
            }
            ReportKind::Validators(delta) => {
                let n = data.numValidators;
                data.numValidators = if delta < 0 {
                    n.saturating_sub(U256::from(delta.unsigned_abs()))
                } else {
                    n + U256::from(delta.unsigned_abs())
                };
            }
            ReportKind::VaultExcess => data.withdrawalVaultBalance += U256::from(1),
        }
        let queue_paused = self.v(a.queue, &crate::abi::IWithdrawalQueue::isPausedCall {})?._0;
        let verdict = self.model_report(pre, &data, ref_slot, prev_ref, queue_paused);
        for member in self.p.members.clone() {
            let call = IAccountingOracle::submitReportCall {
                slot: data.refSlot,
                report: data.hash(),
                consensusVersion: U256::from(1),
            };
            let out = self.call(member, a.oracle, &call, U256::ZERO)?;
            self.expect("member vote", &out, &Expect::Ok)?;
        }
        let call = IAccountingOracle::submitReportDataCall {
            data: data.clone(),
            contractVersion: U256::from(1),
        };
        let out = self.call(self.p.members[0], a.oracle, &call, U256::ZERO)?;
        self.count("report", out.success);
        let effect = match verdict {
            Err(name) => {
                self.stats.reports_refused += 1;
                return self.expect(&format!("report {data:?}"), &out, &Expect::Err(name));
            }
            Ok(effect) => {
                self.expect(&format!("report {data:?}"), &out, &Expect::Ok)?;
                effect
            }
        };
        self.stats.reports_applied += 1;
        self.apply_report(pre, exp, &effect, &out)
    }

    /// Puts an accepted report's effect into `exp` and the model, with the
    /// checks it must pass on its own.
    fn apply_report(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        e: &Effect,
        out: &stylus_host::Outcome,
    ) -> std::result::Result<(), String> {
        // The rewards distributed now are within the per-report cap.
        if e.rewards > e.cap {
            return Err(format!("rewards {} above the cap {}", e.rewards, e.cap));
        }
        // The fee holders own at most the fee's fraction of the rewards.
        let (r, x, f) = (U512::from(e.rewards), U512::from(e.fee_shares), U512::from(self.fee.0));
        if x * (U512::from(pre.p) + r) * U512::from(10_000u64) > r * f * (U512::from(pre.s) + x) {
            return Err(format!("fee shares {} are worth more than the fee", e.fee_shares));
        }
        // Requests never get more than their nominal amount nor more than
        // their shares are worth at the report's rate.
        let mut unfinalized = U256::ZERO;
        for (i, paid) in &e.claimable {
            let req = &self.model.requests[*i];
            if *paid > req.amount || *paid > mul_div_down(req.shares, e.rate, e27()) {
                return Err(format!("request {} finalized at {paid}, above its value", i + 1));
            }
            unfinalized += req.amount;
        }
        exp.beacon_validators = e.validators;
        exp.beacon_balance = e.beacon_balance;
        exp.buffered = pre.buffered + e.collected - e.lock;
        let total = e.post_ether - e.lock;
        exp.p = total;
        exp.supply = total;
        exp.pool_total = total;
        exp.s = pre.s + e.fee_shares - e.burn;
        exp.shares[QUEUE] -= e.burn;
        exp.shares[TREASURY_I] += e.treasury_shares;
        exp.shares[OPERATOR_I] += e.operator_shares;
        exp.eth[POOL] -= e.lock;
        exp.eth[QUEUE] += e.lock;
        exp.locked += e.lock;
        exp.unfinalized -= unfinalized;
        if !e.last_id.is_zero() {
            exp.last_finalized = e.last_id;
            self.stats.finalized += e.claimable.len() as u64;
        }
        for (i, paid) in &e.claimable {
            let req = &mut self.model.requests[*i];
            req.finalized = true;
            req.claimable = *paid;
        }
        // The withdrawals the pool collected leave the simulated vault.
        let mut collected = U256::ZERO;
        for log in out.logs.iter().filter(|l| l.address == self.p.addrs.pool) {
            if let Ok(ev) =
                IDepositPool::WithdrawalsReceived::decode_raw_log(&log.topics, &log.data, true)
            {
                collected += ev.amount;
            }
        }
        if collected != e.collected {
            return Err(format!("the pool collected {collected}, the model {}", e.collected));
        }
        self.p.chain.vault_pending -= collected;
        Ok(())
    }
}
