//! The user and governance steps: allowances, permits, wrapping, deposits,
//! the simulated consensus layer, irregular oracle calls, withdrawal
//! requests and claims, request transfers, pauses.

use super::{mul_div_up, word, Engine, Expect, Obs, Req, UsedPermit, POOL, QUEUE, TOKEN, WSTETH};
use crate::abi::{IAccountingOracle, IDepositPool, IStETH, IWithdrawalQueue, IWstETH, ReportData};
use crate::invariants::actions::{Amt, Beacon, OracleNoise, PauseOp, PermitFault, StakePath, Tok};
use crate::invariants::keys::{domain_separator, high_s, permit_digest};
use crate::protocol::{ether, DEPOSITOR, GOVERNANCE};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use staking_common::math::MAX_AMOUNT;

type Step = std::result::Result<(), String>;

/// `MIN_STETH_WITHDRAWAL_AMOUNT` and `MAX_STETH_WITHDRAWAL_AMOUNT`.
fn request_bounds() -> (U256, U256) {
    (U256::from(100), ether(1_000))
}

impl Engine {
    pub(super) fn step_transfer_from(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        [spender, from, to]: [u8; 3],
        amount: Amt,
        approve: bool,
    ) -> Step {
        let (sp, f, t) = (usize::from(spender), usize::from(from), usize::from(to));
        let amount = amount.resolve(Self::value(pre, pre.shares[f]));
        let (owner, spender) = (self.accounts[f], self.accounts[sp]);
        if approve {
            let call = IStETH::approveCall { spender, amount };
            let out = self.call(owner, self.p.addrs.token, &call, U256::ZERO)?;
            let e = if spender.is_zero() { Expect::Err("ZeroAddress") } else { Expect::Ok };
            self.expect("approve before transferFrom", &out, &e)?;
        }
        let allowance = self.allowance(Tok::StEth, owner, spender)?;
        let e = if pre.token_stopped {
            Expect::Err("ContractStopped")
        } else if allowance != U256::MAX && allowance < amount {
            Expect::Err("InsufficientAllowance")
        } else if let Some(e) = Self::bad_recipient(t) {
            e
        } else if amount > Self::value(pre, pre.shares[f]) {
            Expect::Err("InsufficientBalance")
        } else {
            let k = Self::shares_for_transfer(pre, pre.shares[f], amount);
            self.stage_move(exp, f, t, k);
            Expect::Ok
        };
        let call = IStETH::transferFromCall { from: owner, to: self.accounts[t], amount };
        let out = self.call(spender, self.p.addrs.token, &call, U256::ZERO)?;
        self.count("transferFrom", out.success);
        self.commit_moves(out.success);
        self.expect("transferFrom", &out, &e)?;
        let after = self.allowance(Tok::StEth, owner, spender)?;
        let want =
            if out.success && allowance != U256::MAX { allowance - amount } else { allowance };
        if after != want {
            return Err(format!("stETH allowance {allowance} -> {after}, expected {want}"));
        }
        Ok(())
    }

    pub(super) fn step_transfer_shares_from(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        [spender, from, to]: [u8; 3],
        shares: Amt,
        approve: bool,
    ) -> Step {
        let (sp, f, t) = (usize::from(spender), usize::from(from), usize::from(to));
        let k = shares.resolve(pre.shares[f]);
        let (owner, spender) = (self.accounts[f], self.accounts[sp]);
        if approve && k <= MAX_AMOUNT {
            // The value rounded down: one wei short of what the transfer
            // spends whenever k * P / S is not whole (the round-up is checked).
            let amount = Self::value(pre, k);
            let call = IStETH::approveCall { spender, amount };
            let out = self.call(owner, self.p.addrs.token, &call, U256::ZERO)?;
            let e = if spender.is_zero() { Expect::Err("ZeroAddress") } else { Expect::Ok };
            self.expect("approve before transferSharesFrom", &out, &e)?;
        }
        let allowance = self.allowance(Tok::StEth, owner, spender)?;
        // Rounding: the allowance spent is ceil(k * P / S), never 0 for k > 0.
        let needed = (k <= MAX_AMOUNT).then(|| mul_div_up(k, pre.p, pre.s));
        let e = if pre.token_stopped {
            Expect::Err("ContractStopped")
        } else if needed.is_none() {
            Expect::Err("InsufficientBalance")
        } else if allowance != U256::MAX && needed.is_some_and(|n| allowance < n) {
            Expect::Err("InsufficientAllowance")
        } else if let Some(e) = Self::bad_recipient(t) {
            e
        } else if k > pre.shares[f] {
            Expect::Err("InsufficientBalance")
        } else {
            self.stage_move(exp, f, t, k);
            Expect::Ok
        };
        let call =
            IStETH::transferSharesFromCall { from: owner, to: self.accounts[t], sharesAmount: k };
        let out = self.call(spender, self.p.addrs.token, &call, U256::ZERO)?;
        self.count("transferSharesFrom", out.success);
        self.commit_moves(out.success);
        self.expect("transferSharesFrom", &out, &e)?;
        let after = self.allowance(Tok::StEth, owner, spender)?;
        let spent = needed.unwrap_or_default();
        let want =
            if out.success && allowance != U256::MAX { allowance - spent } else { allowance };
        if after != want {
            return Err(format!(
                "transferSharesFrom({k} shares): allowance {allowance} -> {after}, expected {want}"
            ));
        }
        if out.success && !k.is_zero() && allowance != U256::MAX && after >= allowance {
            return Err(format!("transferSharesFrom moved {k} shares without spending allowance"));
        }
        if out.success && word(&out) != Self::value(pre, k) {
            return Err(format!("transferSharesFrom returned {}", word(&out)));
        }
        Ok(())
    }

    pub(super) fn step_approve(&mut self, token: Tok, owner: u8, spender: u8, amount: Amt) -> Step {
        let (owner, spender) =
            (self.accounts[usize::from(owner)], self.accounts[usize::from(spender)]);
        let amount = amount.resolve(ether(100));
        let e = if spender.is_zero() { Expect::Err("ZeroAddress") } else { Expect::Ok };
        let before = self.allowance(token, owner, spender)?;
        let out = match token {
            Tok::StEth => {
                let call = IStETH::approveCall { spender, amount };
                self.call(owner, self.p.addrs.token, &call, U256::ZERO)?
            }
            Tok::WstEth => {
                let call = IWstETH::approveCall { spender, amount };
                self.call(owner, self.p.addrs.wsteth, &call, U256::ZERO)?
            }
        };
        self.count("approve", out.success);
        self.expect("approve", &out, &e)?;
        let after = self.allowance(token, owner, spender)?;
        let want = if out.success { amount } else { before };
        if after != want {
            return Err(format!("approve: allowance {after}, expected {want}"));
        }
        Ok(())
    }

    pub(super) fn step_change_allowance(
        &mut self,
        token: Tok,
        owner: u8,
        spender: u8,
        increase: bool,
        amount: Amt,
    ) -> Step {
        let (owner, spender) =
            (self.accounts[usize::from(owner)], self.accounts[usize::from(spender)]);
        let current = self.allowance(token, owner, spender)?;
        let amount = amount.resolve(current);
        let new = if increase { current.checked_add(amount) } else { current.checked_sub(amount) };
        let e = match (new, increase, token) {
            (None, true, Tok::StEth) => Expect::Err("AmountTooLarge"),
            (None, true, Tok::WstEth) => Expect::Err("AllowanceOverflow"),
            (None, false, _) => Expect::Err("AllowanceBelowZero"),
            _ if spender.is_zero() => Expect::Err("ZeroAddress"),
            _ => Expect::Ok,
        };
        let data = match (increase, token) {
            (true, Tok::StEth) => {
                IStETH::increaseAllowanceCall { spender, addedValue: amount }.abi_encode()
            }
            (false, Tok::StEth) => {
                IStETH::decreaseAllowanceCall { spender, subtractedValue: amount }.abi_encode()
            }
            (true, Tok::WstEth) => {
                IWstETH::increaseAllowanceCall { spender, addedValue: amount }.abi_encode()
            }
            (false, Tok::WstEth) => {
                IWstETH::decreaseAllowanceCall { spender, subtractedValue: amount }.abi_encode()
            }
        };
        let target = if token == Tok::StEth { self.p.addrs.token } else { self.p.addrs.wsteth };
        let out = self.tx(owner, target, data, U256::ZERO)?;
        self.count("changeAllowance", out.success);
        self.expect("increase/decreaseAllowance", &out, &e)?;
        let after = self.allowance(token, owner, spender)?;
        let want = if out.success { new.unwrap_or_default() } else { current };
        if after != want {
            return Err(format!("allowance change: {current} -> {after}, expected {want}"));
        }
        Ok(())
    }

    pub(super) fn step_permit(
        &mut self,
        token: Tok,
        owner: u8,
        spender: u8,
        value: Amt,
        fault: PermitFault,
    ) -> Step {
        let o = usize::from(owner) % self.signers.len();
        let owner = self.signers[o].address;
        let mut spender = self.accounts[usize::from(spender)];
        let mut value = value.resolve(ether(100));
        let a = self.p.addrs;
        let (target, name, version) = match token {
            Tok::StEth => (a.token, "Liquid staked Ether 2.0", "2"),
            Tok::WstEth => (a.wsteth, "Wrapped liquid staked Ether 2.0", "1"),
        };
        let (nonce, domain) = match token {
            Tok::StEth => (
                self.v(target, &IStETH::noncesCall { owner })?._0,
                self.v(target, &IStETH::DOMAIN_SEPARATORCall {})?._0,
            ),
            Tok::WstEth => (
                self.v(target, &IWstETH::noncesCall { owner })?._0,
                self.v(target, &IWstETH::DOMAIN_SEPARATORCall {})?._0,
            ),
        };
        let chain_id = self.p.host.block().chain_id;
        if domain != domain_separator(name, version, chain_id, target) {
            return Err(format!(
                "DOMAIN_SEPARATOR of {target} is not EIP-712's for ({name}, {version})"
            ));
        }
        let now = U256::from(self.p.host.timestamp());
        let mut deadline = now + U256::from(3_600);
        let key = (token as u8, owner_index(o));
        let replay = self.model.permits.get(&key).cloned();
        let fault = if fault == PermitFault::Replay && replay.is_none() {
            PermitFault::Valid
        } else {
            fault
        };
        let signer = self.signers[o].clone();
        let (v, r, s) = match fault {
            PermitFault::Valid => signer.permit(domain, spender, value, nonce, deadline),
            PermitFault::Expired => {
                deadline = now - U256::from(1);
                signer.permit(domain, spender, value, nonce, deadline)
            }
            PermitFault::Replay => {
                let used = replay.clone().unwrap_or_else(|| unreachable!("checked above"));
                (spender, value, deadline) = (used.spender, used.value, used.deadline);
                (used.v, used.r, used.s)
            }
            PermitFault::WrongSigner => {
                let other = &self.signers[(o + 1) % self.signers.len()];
                other.sign(permit_digest(domain, owner, spender, value, nonce, deadline))
            }
            PermitFault::HighS => {
                let (v, r, s) = signer.permit(domain, spender, value, nonce, deadline);
                high_s(v, r, s)
            }
            PermitFault::WrongChain => {
                let wrong = domain_separator(name, version, 1, target);
                signer.permit(wrong, spender, value, nonce, deadline)
            }
            PermitFault::BadV => {
                let (_, r, s) = signer.permit(domain, spender, value, nonce, deadline);
                (29, r, s)
            }
        };
        let e = if deadline < now {
            Expect::Err("PermitExpired")
        } else if fault != PermitFault::Valid {
            Expect::Err("InvalidSignature")
        } else if spender.is_zero() {
            Expect::Err("ZeroAddress")
        } else {
            Expect::Ok
        };
        let data = match token {
            Tok::StEth => {
                IStETH::permitCall { owner, spender, value, deadline, v, r, s }.abi_encode()
            }
            Tok::WstEth => {
                IWstETH::permitCall { owner, spender, value, deadline, v, r, s }.abi_encode()
            }
        };
        // Anyone may submit a permit: the spender usually does.
        let out = self.tx(self.stranger, target, data, U256::ZERO)?;
        self.count("permit", out.success);
        self.expect("permit", &out, &e)?;
        let nonce_after = match token {
            Tok::StEth => self.v(target, &IStETH::noncesCall { owner })?._0,
            Tok::WstEth => self.v(target, &IWstETH::noncesCall { owner })?._0,
        };
        if out.success {
            self.stats.permits += 1;
            self.model.permits.insert(key, UsedPermit { spender, value, deadline, v, r, s });
            let allowance = self.allowance(token, owner, spender)?;
            if allowance != value || nonce_after != nonce + U256::from(1) {
                return Err(format!(
                    "permit accepted but allowance {allowance} (want {value}), nonce {nonce} -> {nonce_after}"
                ));
            }
        } else if nonce_after != nonce {
            return Err(format!("refused permit moved the nonce {nonce} -> {nonce_after}"));
        }
        Ok(())
    }

    pub(super) fn step_wrap(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        u: usize,
        amount: Amt,
        approve: bool,
    ) -> Step {
        let user = self.accounts[u];
        let a = self.p.addrs;
        let x = amount.resolve(Self::value(pre, pre.shares[u]));
        if approve {
            let call = IStETH::approveCall { spender: a.wsteth, amount: x };
            let out = self.call(user, a.token, &call, U256::ZERO)?;
            self.expect("approve before wrap", &out, &Expect::Ok)?;
        }
        let allowance = self.allowance(Tok::StEth, user, a.wsteth)?;
        let mut k = U256::ZERO;
        let e = if x.is_zero() {
            Expect::Err("ZeroAmount")
        } else if pre.token_stopped {
            Expect::Err("ContractStopped")
        } else if allowance != U256::MAX && allowance < x {
            Expect::Err("InsufficientAllowance")
        } else if x > Self::value(pre, pre.shares[u]) {
            Expect::Err("InsufficientBalance")
        } else {
            k = Self::shares_for_transfer(pre, pre.shares[u], x);
            if pre.wst_supply + k >= U256::from(1) << 96 {
                Expect::Err("TotalOverflow")
            } else {
                exp.shares[u] -= k;
                exp.shares[WSTETH] += k;
                exp.wst[u] += k;
                exp.wst_supply += k;
                Expect::Ok
            }
        };
        let call = IWstETH::wrapCall { stETHAmount: x };
        let out = self.call(user, a.wsteth, &call, U256::ZERO)?;
        self.count("wrap", out.success);
        self.expect("wrap", &out, &e)?;
        if out.success && word(&out) != k {
            return Err(format!("wrap({x}) returned {}, moved {k} shares", word(&out)));
        }
        let after = self.allowance(Tok::StEth, user, a.wsteth)?;
        let want = if out.success && allowance != U256::MAX { allowance - x } else { allowance };
        if after != want {
            return Err(format!("wrap: allowance {allowance} -> {after}, expected {want}"));
        }
        Ok(())
    }

    pub(super) fn step_deposit(&mut self, pre: &Obs, exp: &mut Obs, max: u8) -> Step {
        let keys = U256::from(self.p.keys_registered);
        let unused = keys - pre.deposited;
        let depositable = pre.buffered.saturating_sub(pre.unfinalized);
        let n = U256::from(max).min(unused).min(depositable / ether(32));
        let e = if pre.pool_stopped { Expect::Err("ContractStopped") } else { Expect::Ok };
        if e == Expect::Ok && !n.is_zero() {
            let amount = ether(32) * n;
            exp.buffered -= amount;
            exp.deposited += n;
            exp.eth[POOL] -= amount;
            let beacon =
                self.known.iter().position(|x| *x == self.p.addrs.beacon_deposit).unwrap_or(0);
            exp.eth[beacon] += amount;
        }
        let call = IDepositPool::depositBufferedEtherCall { maxValidators: U256::from(max) };
        let out = self.call(DEPOSITOR, self.p.addrs.pool, &call, U256::ZERO)?;
        self.count("deposit", out.success);
        self.expect("depositBufferedEther", &out, &e)?;
        if out.success {
            if word(&out) != n {
                return Err(format!(
                    "depositBufferedEther({max}) deposited {}, model {n}",
                    word(&out)
                ));
            }
            let seen = self.p.verify_deposits(&out).map_err(|e| format!("{e:#}"))?;
            if U256::from(seen) != n {
                return Err(format!(
                    "{seen} deposits reached the beacon deposit contract, {n} expected"
                ));
            }
        }
        Ok(())
    }

    pub(super) fn step_beacon(&mut self, change: Beacon, exp: &mut Obs) {
        let count = self.p.chain.validators.len();
        match change {
            Beacon::Reward(gwei) => self.p.chain.reward_all(u64::from(gwei)),
            Beacon::Penalize(i, gwei) if count > 0 => {
                self.p.chain.penalize(usize::from(i) % count, u64::from(gwei));
            }
            Beacon::Exit(i) if count > 0 => {
                let amount = self.p.exit_validator(usize::from(i) % count);
                self.model.eth_total += amount;
                exp.eth[POOL] += amount;
            }
            Beacon::Penalize(..) | Beacon::Exit(_) => {}
        }
    }

    /// A vote hash no report data can have.
    fn junk(&mut self) -> B256 {
        self.model.junk += 1;
        keccak256(format!("junk vote {}", self.model.junk))
    }

    pub(super) fn step_oracle_noise(&mut self, noise: OracleNoise) -> Step {
        let a = self.p.addrs;
        let frame = self.v(a.oracle, &IAccountingOracle::getCurrentFrameCall {})?;
        let ref_slot = frame.refSlot;
        let one = U256::from(1);
        let vote = |slot: U256, report: B256| IAccountingOracle::submitReportCall {
            slot,
            report,
            consensusVersion: one,
        };
        let members = self.p.members.clone();
        match noise {
            OracleNoise::NonMemberVote => {
                let h = self.junk();
                let out = self.call(self.stranger, a.oracle, &vote(ref_slot, h), U256::ZERO)?;
                self.expect("vote by a non-member", &out, &Expect::Err("NonMember"))?;
            }
            OracleNoise::WrongSlot => {
                let h = self.junk();
                let out = self.call(members[0], a.oracle, &vote(ref_slot + one, h), U256::ZERO)?;
                self.expect("vote for another slot", &out, &Expect::Err("InvalidSlot"))?;
            }
            OracleNoise::Duplicate => {
                let h = self.junk();
                let first = self.call(members[1], a.oracle, &vote(ref_slot, h), U256::ZERO)?;
                if first.success {
                    let again = self.call(members[1], a.oracle, &vote(ref_slot, h), U256::ZERO)?;
                    self.expect("the same vote twice", &again, &Expect::Err("DuplicateReport"))?;
                }
            }
            OracleNoise::DataWithoutConsensus | OracleNoise::DataFromStranger => {
                let slot = u64::try_from(ref_slot).map_err(|e| e.to_string())?;
                let data = self.p.report_data(slot).map_err(|e| format!("{e:#}"))?;
                let call = IAccountingOracle::submitReportDataCall { data, contractVersion: one };
                let (sender, e) = if noise == OracleNoise::DataFromStranger {
                    (self.stranger, Expect::Err("SenderNotAllowed"))
                } else {
                    (members[0], Expect::Fail)
                };
                let out = self.call(sender, a.oracle, &call, U256::ZERO)?;
                self.expect("report data without an agreed hash", &out, &e)?;
            }
            OracleNoise::WrongHash => {
                let slot = u64::try_from(ref_slot).map_err(|e| e.to_string())?;
                let data = self.p.report_data(slot).map_err(|e| format!("{e:#}"))?;
                // The members agree on data no honest report can equal.
                self.model.junk += 1;
                let agreed = ReportData {
                    lastRequestIdToFinalize: U256::MAX - U256::from(self.model.junk),
                    ..data.clone()
                };
                for m in &members {
                    self.call(*m, a.oracle, &vote(ref_slot, agreed.hash()), U256::ZERO)?;
                }
                let call = IAccountingOracle::submitReportDataCall { data, contractVersion: one };
                let out = self.call(members[0], a.oracle, &call, U256::ZERO)?;
                self.expect("data not matching the agreed hash", &out, &Expect::Fail)?;
            }
            OracleNoise::PartialVote => {
                let h = self.junk();
                self.call(members[0], a.oracle, &vote(ref_slot, h), U256::ZERO)?;
            }
            OracleNoise::ChangeVote => {
                for _ in 0..2 {
                    let h = self.junk();
                    self.call(members[2], a.oracle, &vote(ref_slot, h), U256::ZERO)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments, clippy::too_many_lines)]
    pub(super) fn step_request(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        u: usize,
        amounts: &[Amt],
        wrapped: bool,
        approve: bool,
        owner: Option<u8>,
    ) -> Step {
        let a = self.p.addrs;
        let user = self.accounts[u];
        let owner_param = owner.map_or(Address::ZERO, |o| self.accounts[usize::from(o)]);
        let owner = if owner_param.is_zero() { user } else { owner_param };
        let n = U256::from(amounts.len());
        let base = if wrapped { pre.wst[u] / n } else { Self::value(pre, pre.shares[u]) / n };
        let xs: Vec<U256> = amounts.iter().map(|x| x.resolve(base)).collect();
        let total = xs.iter().try_fold(U256::ZERO, |t, x| t.checked_add(*x));
        let (min, max) = request_bounds();
        let (token, tok) = if wrapped { (a.wsteth, Tok::WstEth) } else { (a.token, Tok::StEth) };
        if approve {
            let amount = total.unwrap_or(U256::MAX);
            let data = if wrapped {
                IWstETH::approveCall { spender: a.queue, amount }.abi_encode()
            } else {
                IStETH::approveCall { spender: a.queue, amount }.abi_encode()
            };
            let out = self.tx(user, token, data, U256::ZERO)?;
            self.expect("approve before a request", &out, &Expect::Ok)?;
        }
        let allowance = self.allowance(tok, user, a.queue)?;
        let mut new_requests = Vec::new();
        let e = 'predict: {
            if pre.queue_paused {
                break 'predict Expect::Err("ResumedExpected");
            }
            if wrapped {
                let Some(total) = total else { break 'predict Expect::Err("AmountTooLarge") };
                if allowance != U256::MAX && allowance < total {
                    break 'predict Expect::Err("InsufficientAllowance");
                }
                if total > pre.wst[u] {
                    break 'predict Expect::Err("InsufficientBalance");
                }
                for w in &xs {
                    if w.is_zero() {
                        break 'predict Expect::Err("ZeroAmount");
                    }
                    if pre.token_stopped {
                        break 'predict Expect::Err("ContractStopped");
                    }
                    let amount = Self::value(pre, *w);
                    if amount < min {
                        break 'predict Expect::Err("RequestAmountTooSmall");
                    }
                    if amount > max {
                        break 'predict Expect::Err("RequestAmountTooLarge");
                    }
                    new_requests.push((amount, *w));
                }
                exp.wst[u] -= total;
                exp.wst_supply -= total;
                exp.shares[WSTETH] -= total;
                exp.shares[QUEUE] += total;
            } else {
                for x in &xs {
                    if *x < min {
                        break 'predict Expect::Err("RequestAmountTooSmall");
                    }
                    if *x > max {
                        break 'predict Expect::Err("RequestAmountTooLarge");
                    }
                }
                let (mut shares, mut left) = (pre.shares[u], allowance);
                for x in &xs {
                    if pre.token_stopped {
                        break 'predict Expect::Err("ContractStopped");
                    }
                    if left != U256::MAX && left < *x {
                        break 'predict Expect::Err("InsufficientAllowance");
                    }
                    if *x > Self::value(pre, shares) {
                        break 'predict Expect::Err("InsufficientBalance");
                    }
                    let k = Self::shares_for_transfer(pre, shares, *x);
                    if k.is_zero() {
                        break 'predict Expect::Err("ZeroShares");
                    }
                    shares -= k;
                    if left != U256::MAX {
                        left -= *x;
                    }
                    new_requests.push((*x, k));
                }
                exp.shares[QUEUE] += pre.shares[u] - shares;
                exp.shares[u] = shares;
            }
            for (amount, _) in &new_requests {
                exp.unfinalized += *amount;
            }
            exp.last_id += U256::from(new_requests.len());
            Expect::Ok
        };
        let data = if wrapped {
            IWithdrawalQueue::requestWithdrawalsWstETHCall {
                amounts: xs.clone(),
                owner: owner_param,
            }
            .abi_encode()
        } else {
            IWithdrawalQueue::requestWithdrawalsCall { amounts: xs.clone(), owner: owner_param }
                .abi_encode()
        };
        let out = self.tx(user, a.queue, data, U256::ZERO)?;
        self.count(if wrapped { "requestWstETH" } else { "request" }, out.success);
        self.expect("requestWithdrawals", &out, &e)?;
        if !out.success {
            return Ok(());
        }
        let ids =
            IWithdrawalQueue::requestWithdrawalsCall::abi_decode_returns(&out.return_data, true)
                .map_err(|e| format!("decoding request ids: {e}"))?
                .requestIds;
        let first = self.model.requests.len() + 1;
        let want: Vec<U256> = (first..first + new_requests.len()).map(U256::from).collect();
        if ids != want {
            return Err(format!("request ids {ids:?}, expected {want:?}"));
        }
        for (amount, shares) in new_requests {
            self.model.requests.push(Req {
                owner,
                amount,
                shares,
                finalized: false,
                claimed: false,
                claimable: U256::ZERO,
            });
        }
        Ok(())
    }

    pub(super) fn step_claim(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        caller: Option<u8>,
        request: u8,
        to: Option<u8>,
    ) -> Step {
        let a = self.p.addrs;
        let id = self.pick_request(request, true);
        let owner = self.model.requests.get(id - 1).map(|r| r.owner);
        let caller_a = match (caller, owner) {
            (Some(c), _) => self.accounts[usize::from(c)],
            (None, Some(owner)) => owner,
            (None, None) => self.accounts[0],
        };
        let caller_i = self.accounts.iter().position(|x| *x == caller_a).unwrap_or(0);
        let recipient_i = to.map_or(caller_i, usize::from);
        let recipient = self.accounts[recipient_i];
        let e = 'predict: {
            if to.is_some() && recipient.is_zero() {
                break 'predict Expect::Err("ZeroRecipient");
            }
            let Some(r) = self.model.requests.get(id - 1).cloned() else {
                // `claimWithdrawal` looks the hint up first (an unknown id);
                // `claimWithdrawalsTo` takes the hint and finds it unfinalized.
                break 'predict Expect::Err(if to.is_some() {
                    "RequestNotFoundOrNotFinalized"
                } else {
                    "InvalidRequestId"
                });
            };
            if !r.finalized {
                break 'predict Expect::Err("RequestNotFoundOrNotFinalized");
            }
            if r.claimed {
                break 'predict Expect::Err("RequestAlreadyClaimed");
            }
            if caller_a != r.owner {
                break 'predict Expect::Err("NotOwnerOrApproved");
            }
            let paid = r.claimable;
            if paid.is_zero() {
                break 'predict Expect::Ok;
            }
            // The ether goes to the recipient's code: a program that stakes
            // on plain ether stakes it for the queue.
            let path = match recipient_i {
                TOKEN => Some(StakePath::TokenPlain),
                WSTETH => Some(StakePath::Wrapper),
                POOL => Some(StakePath::PoolPlain),
                _ => None,
            };
            if recipient_i == QUEUE {
                break 'predict Expect::Err("CantSendValueRecipientMayHaveReverted");
            }
            if let Some(path) = path {
                let mut staked = exp.clone();
                if self.predict_stake(pre, path, QUEUE, paid, &mut staked) != Expect::Ok {
                    break 'predict Expect::Err("CantSendValueRecipientMayHaveReverted");
                }
                // The shares (or units) minted to the queue back no request.
                let minted = staked.s - exp.s;
                if path != StakePath::Wrapper {
                    self.pending_moves.push((POOL, QUEUE, minted));
                }
                *exp = staked;
            } else {
                exp.eth[QUEUE] -= paid;
                exp.eth[recipient_i] += paid;
            }
            exp.locked -= paid;
            Expect::Ok
        };
        let out = match to {
            None => {
                let call = IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(id) };
                self.call(caller_a, a.queue, &call, U256::ZERO)?
            }
            Some(_) => {
                let last = self.v(a.queue, &IWithdrawalQueue::getLastCheckpointIndexCall {})?._0;
                let hints = self
                    .p
                    .view(
                        a.queue,
                        &IWithdrawalQueue::findCheckpointHintsCall {
                            requestIds: vec![U256::from(id)],
                            firstIndex: U256::from(1),
                            lastIndex: last,
                        },
                    )
                    .map(|r| r.hintIds)
                    .unwrap_or_else(|_| vec![U256::ZERO]);
                let call = IWithdrawalQueue::claimWithdrawalsToCall {
                    requestIds: vec![U256::from(id)],
                    hints,
                    recipient,
                };
                self.call(caller_a, a.queue, &call, U256::ZERO)?
            }
        };
        self.count("claim", out.success);
        // Shares minted to the queue by a staking recipient are stray shares.
        let moves = std::mem::take(&mut self.pending_moves);
        if out.success {
            for (_, _, k) in moves {
                self.model.stray_shares[1] += k;
            }
        }
        self.expect("claim", &out, &e)?;
        if out.success {
            self.stats.claims += 1;
            self.model.requests[id - 1].claimed = true;
        }
        Ok(())
    }

    /// A request id: mostly a finalized, unclaimed one when `claimable`
    /// and one exists, else any id made so far (1 when there is none).
    fn pick_request(&self, request: u8, claimable: bool) -> usize {
        let reqs = &self.model.requests;
        let open: Vec<usize> =
            (0..reqs.len()).filter(|i| reqs[*i].finalized && !reqs[*i].claimed).collect();
        if claimable && !request.is_multiple_of(4) && !open.is_empty() {
            return open[usize::from(request) % open.len()] + 1;
        }
        if reqs.is_empty() {
            1
        } else {
            usize::from(request) % reqs.len() + 1
        }
    }

    pub(super) fn step_nft_transfer(&mut self, caller: Option<u8>, request: u8, to: usize) -> Step {
        if self.model.requests.is_empty() {
            return Ok(());
        }
        let id = self.pick_request(request, false);
        let r = self.model.requests[id - 1].clone();
        let caller_a = caller.map_or(r.owner, |c| self.accounts[usize::from(c)]);
        let to_a = self.accounts[to];
        let e = if to_a.is_zero() {
            Expect::Err("TransferToZeroAddress")
        } else if to_a == r.owner {
            Expect::Err("TransferToThemselves")
        } else if r.claimed {
            Expect::Err("RequestAlreadyClaimed")
        } else if caller_a != r.owner {
            Expect::Err("NotOwnerOrApproved")
        } else {
            Expect::Ok
        };
        let call = IWithdrawalQueue::transferFromCall {
            from: r.owner,
            to: to_a,
            requestId: U256::from(id),
        };
        let out = self.call(caller_a, self.p.addrs.queue, &call, U256::ZERO)?;
        self.count("nftTransfer", out.success);
        self.expect("request transfer", &out, &e)?;
        if out.success {
            self.model.requests[id - 1].owner = to_a;
        }
        Ok(())
    }

    #[allow(clippy::too_many_lines)]
    pub(super) fn step_pause(
        &mut self,
        pre: &Obs,
        exp: &mut Obs,
        op: PauseOp,
        authorized: bool,
    ) -> Step {
        let a = self.p.addrs;
        let sender = if authorized { GOVERNANCE } else { self.accounts[0] };
        let mut limit_unknown = false;
        let (target, data, e) = match op {
            PauseOp::TokenStop => (
                a.token,
                IStETH::stopCall {}.abi_encode(),
                if pre.token_stopped {
                    Expect::Err("ContractStopped")
                } else {
                    exp.token_stopped = true;
                    Expect::Ok
                },
            ),
            PauseOp::TokenResume => (
                a.token,
                IStETH::resumeCall {}.abi_encode(),
                if pre.token_stopped {
                    exp.token_stopped = false;
                    Expect::Ok
                } else {
                    Expect::Err("ContractNotStopped")
                },
            ),
            PauseOp::PoolStop => (
                a.pool,
                IDepositPool::stopCall {}.abi_encode(),
                if pre.pool_stopped {
                    Expect::Err("ContractStopped")
                } else {
                    exp.pool_stopped = true;
                    exp.staking_paused = true;
                    exp.stake_limit = U256::ZERO;
                    Expect::Ok
                },
            ),
            PauseOp::PoolResume => (
                a.pool,
                IDepositPool::resumeCall {}.abi_encode(),
                if pre.pool_stopped {
                    exp.pool_stopped = false;
                    exp.staking_paused = false;
                    limit_unknown = true;
                    Expect::Ok
                } else {
                    Expect::Err("ContractNotStopped")
                },
            ),
            PauseOp::PauseStaking => {
                exp.staking_paused = true;
                exp.stake_limit = U256::ZERO;
                (a.pool, IDepositPool::pauseStakingCall {}.abi_encode(), Expect::Ok)
            }
            PauseOp::ResumeStaking => (
                a.pool,
                IDepositPool::resumeStakingCall {}.abi_encode(),
                if pre.pool_stopped {
                    Expect::Err("ContractStopped")
                } else {
                    exp.staking_paused = false;
                    limit_unknown = true;
                    Expect::Ok
                },
            ),
            PauseOp::QueuePause(seconds) => (
                a.queue,
                IWithdrawalQueue::pauseForCall { duration: U256::from(seconds) }.abi_encode(),
                if pre.queue_paused {
                    Expect::Err("ResumedExpected")
                } else if seconds == 0 {
                    Expect::Err("ZeroPauseDuration")
                } else {
                    exp.queue_paused = true;
                    Expect::Ok
                },
            ),
            PauseOp::QueueResume => (
                a.queue,
                IWithdrawalQueue::resumeCall {}.abi_encode(),
                if pre.queue_paused {
                    exp.queue_paused = false;
                    Expect::Ok
                } else {
                    Expect::Err("PausedExpected")
                },
            ),
            PauseOp::StakingLimit(max_eth, milli_per_second) => {
                let max = ether(u64::from(max_eth));
                let increase = U256::from(milli_per_second) * ether(1) / U256::from(1_000);
                let e = if max.is_zero() {
                    Expect::Err("ZeroMaxStakeLimit")
                } else if increase > max {
                    Expect::Err("TooLargeLimitIncrease")
                } else if !increase.is_zero() && max / increase > U256::from(u32::MAX) {
                    Expect::Err("TooSmallLimitIncrease")
                } else {
                    limit_unknown = true;
                    Expect::Ok
                };
                let call = IDepositPool::setStakingLimitCall {
                    maxStakeLimit: max,
                    stakeLimitIncreasePerSecond: increase,
                };
                (a.pool, call.abi_encode(), e)
            }
            PauseOp::RemoveStakingLimit => {
                exp.stake_limit = if pre.staking_paused { U256::ZERO } else { U256::MAX };
                (a.pool, IDepositPool::removeStakingLimitCall {}.abi_encode(), Expect::Ok)
            }
        };
        let e = if authorized {
            e
        } else {
            *exp = pre.clone();
            limit_unknown = false;
            Expect::Err("AccessControlUnauthorizedAccount")
        };
        let out = self.tx(sender, target, data, U256::ZERO)?;
        self.count("pause", out.success);
        self.expect(&format!("{op:?}"), &out, &e)?;
        if limit_unknown {
            exp.stake_limit = self.v(a.pool, &IDepositPool::getCurrentStakeLimitCall {})?._0;
        }
        Ok(())
    }
}

/// The owner index as stored in the permit map.
fn owner_index(o: usize) -> u8 {
    u8::try_from(o).unwrap_or(u8::MAX)
}
