//! The README's main job: the whole staking lifecycle on the embedded Stylus
//! host, through the programs' Solidity ABI, with a readable report per step
//! and the accounting invariants ([`Protocol::check_invariants`]) checked
//! after every step (the run stops at the first broken one).
//!
//! Steps: deployment and wiring with the seed bootstrap; users staking
//! through the deposit pool, stETH's `submit` and wstETH's `receive`;
//! transfers by amount and by shares; wrap and unwrap; optional extra
//! holders (`--holders N`); deposits to validators (32 ETH each, every
//! deposit's root checked); three oracle frames — rewards with the protocol
//! fee, a slashing, and a report refused by a sanity limit (its custom error
//! shown) followed by the corrected report that collects an exited
//! validator's ether and finalizes a withdrawal request —; the claim; then
//! `--days D` daily reports.

use crate::abi::{IStETH, IWithdrawalQueue};
use crate::protocol::{
    ether, format_ether, gas_line, milli_ether, revert_of, Config, Protocol, Totals, DEAD,
    DEPOSIT_SIZE_GWEI, GWEI, OPERATOR, TREASURY,
};
use alloy_primitives::{Address, U256};
use anyhow::{bail, ensure, Result};
use std::io::Write;
use stylus_host::Outcome;

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Extra holders who stake before the reports (to show a report's gas
    /// does not depend on the number of holders).
    pub holders: usize,
    /// Daily reports after the three scripted frames.
    pub days: usize,
    /// Print every decoded event and every invariant line.
    pub verbose: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { holders: 20, days: 3, verbose: false }
    }
}

/// What the run did (for tests and the closing lines).
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Steps run.
    pub steps: usize,
    /// Times the invariants were checked (and held).
    pub invariant_checks: usize,
    /// Known share holders at the end.
    pub holders: usize,
    /// `(label, gas, slots read cold, slots written)` of every processed report.
    pub reports: Vec<(String, u64, u32, u32)>,
    /// The custom error of the refused report.
    pub refused_with: String,
    /// Ether the withdrawal claim paid.
    pub claimed: U256,
    /// Fee shares minted over the run.
    pub fee_shares: U256,
    /// Totals at the end.
    pub totals: Totals,
}

/// Validator reward per day at a 4 % APR: 32 ETH × 4 % / 365, in gwei.
pub const DAILY_REWARD_GWEI: u64 = DEPOSIT_SIZE_GWEI * 4 / 100 / 365;

struct Run<'a> {
    p: Protocol,
    out: &'a mut dyn Write,
    options: Options,
    summary: Summary,
    users: Vec<Address>,
    started: std::time::Instant,
}

/// Runs the lifecycle, writing the report to `out`.
///
/// # Errors
/// A build, a call that should succeed and reverted, an event or balance that
/// is not what the step expects, or a broken invariant (named, with both sides).
pub fn run(options: &Options, out: &mut dyn Write) -> Result<Summary> {
    let started = std::time::Instant::now();
    writeln!(out, "== Building and processing the programs (scripts::ensure_artifacts)")?;
    let programs = crate::protocol::load_programs()?;
    let mut p = Protocol::deploy_with(Config::default(), &programs)?;
    // Price program entries as on a live chain, where the protocol's programs sit in ArbOS's
    // program cache (the gas table has the uncached figures too).
    p.host.set_all_programs_cached(true);
    writeln!(
        out,
        "   gas figures below are ESTIMATES of the embedded host's model (tests/host/src/gas.rs), \
         programs cached as on a live chain; gas-table.md has the uncached figures too"
    )?;
    let mut run = Run {
        p,
        out,
        options: options.clone(),
        summary: Summary::default(),
        users: vec![],
        started,
    };
    run.all()?;
    run.summary.holders = run.p.holders().count();
    run.summary.totals = run.p.totals()?;
    Ok(run.summary)
}

impl Run<'_> {
    fn all(&mut self) -> Result<()> {
        self.deployment()?;
        let alice = self.p.new_user("alice", ether(100));
        let bob = self.p.new_user("bob", ether(100));
        let carol = self.p.new_user("carol", ether(100));
        let dave = self.p.new_user("dave", ether(1));
        self.users = vec![alice, bob, carol, dave];

        self.step("Alice stakes 40 ETH through DepositPool.submit")?;
        let o = self.p.submit_via_pool(alice, ether(40))?;
        self.tx("DepositPool.submit{40 ETH}", &o)?;
        self.state()?;

        self.step(
            "Bob stakes 30 ETH through stETH.submit (the deposit pool's receiveStake buffers it)",
        )?;
        let o = self.p.submit_via_steth(bob, ether(30))?;
        self.tx("stETH.submit{30 ETH}", &o)?;
        self.state()?;

        self.step("Carol stakes 20 ETH by sending it to wstETH (receive: stake and wrap)")?;
        let o = self.p.stake_via_wsteth(carol, ether(20))?;
        self.tx("wstETH.receive{20 ETH}", &o)?;
        self.state()?;

        self.step("Transfers: Alice sends Dave 5 stETH; Bob sends Alice 2 shares")?;
        let o = self.p.transfer(alice, dave, ether(5))?;
        self.tx("stETH.transfer(dave, 5)", &o)?;
        let o = self.p.transfer_shares(bob, alice, ether(2))?;
        self.tx("stETH.transferShares(alice, 2 shares)", &o)?;
        self.state()?;

        self.step("Wrap and unwrap: Bob wraps 10 stETH; Carol unwraps 5 wstETH")?;
        let wsteth = self.p.addrs.wsteth;
        let o = self.p.approve_steth(bob, wsteth, ether(10))?;
        self.tx("stETH.approve(wstETH, 10)", &o)?;
        let o = self.p.wrap(bob, ether(10))?;
        self.tx("wstETH.wrap(10 stETH)", &o)?;
        let o = self.p.unwrap(carol, ether(5))?;
        self.tx("wstETH.unwrap(5 wstETH)", &o)?;
        self.state()?;

        if self.options.holders > 0 {
            let n = self.options.holders;
            self.step(&format!("{n} more holders stake 0.5 ETH each through the deposit pool"))?;
            let mut last = None;
            for i in 0..n {
                let h = self.p.new_user(&format!("holder-{i}"), ether(1));
                last = Some(self.p.submit_via_pool(h, milli_ether(500))?);
            }
            if let Some(o) = last {
                self.tx("the last holder's DepositPool.submit{0.5 ETH}", &o)?;
            }
            self.state()?;
        }

        self.step("The depositor sends 2 validators' 32 ETH to the beacon deposit contract")?;
        let (o, n) = self.p.deposit_validators(2)?;
        ensure!(n == 2, "expected 2 deposits, made {n}");
        self.tx("DepositPool.depositBufferedEther(2)", &o)?;
        self.line(format!(
            "  each deposit checked: 32 ETH, the pool's withdrawal credentials, the next key, \
             deposit_data_root recomputed (SSZ) — {} validators on the simulated chain",
            self.p.chain.seen()
        ))?;
        self.state()?;

        self.step("Oracle frame 1: a day of rewards (4 % APR), the report mints the protocol fee")?;
        self.p.chain.reward_all(DAILY_REWARD_GWEI);
        self.frame("rewards")?;
        self.state()?;

        self.step(
            "Oracle frame 2: validator #1 is slashed (-1 ETH); the report lowers every balance",
        )?;
        self.p.chain.reward_all(DAILY_REWARD_GWEI);
        self.p.chain.penalize(1, GWEI);
        let before = self.p.steth_balance(alice)?;
        self.frame("slashing")?;
        let after = self.p.steth_balance(alice)?;
        ensure!(after < before, "a slashing report must lower balances ({before} -> {after})");
        self.line(format!(
            "  Alice's balance {} -> {} stETH (shares unchanged)",
            format_ether(before),
            format_ether(after)
        ))?;
        self.state()?;

        self.step("Dave requests the withdrawal of 3 stETH (locks his stETH in the queue)")?;
        let (ids, o) = self.p.request_withdrawals(dave, vec![ether(3)])?;
        self.tx("WithdrawalQueue.requestWithdrawals([3 stETH], dave)", &o)?;
        self.state()?;

        self.step(
            "Oracle frame 3: a report beyond the sanity limits is refused, then the right one",
        )?;
        self.p.chain.reward_all(DAILY_REWARD_GWEI);
        let ref_slot = self.p.advance_to_next_frame()?;
        let good = self.p.report_data(ref_slot)?;
        let mut bad = good.clone();
        bad.clBalanceGwei += U256::from(20 * GWEI);
        let votes = self.p.vote(&bad)?;
        self.line(format!(
            "  the members vote a report claiming 20 ETH more on the consensus layer (hash {})",
            bad.hash()
        ))?;
        self.tx("a member's submitReport (vote)", &votes[0])?;
        let totals_before = self.p.totals()?;
        let refused = self.p.submit_report_data(&bad);
        ensure!(!refused.success, "the inflated report must be refused");
        let error = revert_of(&refused);
        self.line(format!("  submitReportData reverted with the custom error {error}"))?;
        ensure!(
            error.name() == Some("IncorrectCLBalanceIncrease"),
            "expected IncorrectCLBalanceIncrease, got {error}"
        );
        ensure!(self.p.totals()? == totals_before, "a refused report changed the accounting");
        self.summary.refused_with = error.to_string();
        self.check("the refused report")?;
        self.line(
            "  the members re-vote the correct data (the consensus moves to it); it is processed and \
             finalizes Dave's request from the buffer"
                .into(),
        )?;
        self.p.vote(&good)?;
        ensure!(
            good.lastRequestIdToFinalize == ids[0],
            "the report should finalize request {}",
            ids[0]
        );
        let processing = self.p.submit_report_data(&good);
        if !processing.success {
            bail!("the corrected report was refused: {}", revert_of(&processing));
        }
        self.report("frame 3 (request finalized)", &processing)?;
        self.state()?;

        self.step("Dave claims his finalized withdrawal")?;
        let eth_before = self.p.host.balance(dave);
        let o = self.p.claim(dave, ids[0])?;
        self.tx("WithdrawalQueue.claimWithdrawal(1)", &o)?;
        let claimed = self.p.host.balance(dave) - eth_before;
        ensure!(!claimed.is_zero(), "the claim paid nothing");
        self.summary.claimed = claimed;
        let why = if claimed == ether(3) {
            "the nominal amount: the share rate rose between the request and the finalization, \
             and gains after a request are not paid"
        } else {
            "less than requested: the share rate fell after the request, and losses are shared"
        };
        self.line(format!(
            "  Dave received {} ETH for the 3 stETH he requested ({why})",
            format_ether(claimed)
        ))?;
        self.state()?;

        self.step("Oracle frame 4: the slashed validator exits; the report collects its ether")?;
        let exited = self.p.exit_validator(1);
        self.line(format!(
            "  validator #1 exits: {} ETH credited to the withdrawal vault (the deposit pool) by the \
             consensus layer (no code runs)",
            format_ether(exited)
        ))?;
        self.p.chain.reward_all(DAILY_REWARD_GWEI);
        self.frame("exit collected")?;
        ensure!(self.p.chain.vault_pending.is_zero(), "the exit was not collected");
        self.state()?;

        for day in 1..=self.options.days {
            self.step(&format!("Day {day}: a day of rewards and its report"))?;
            self.p.chain.reward_all(DAILY_REWARD_GWEI);
            self.frame(&format!("day {day}"))?;
            self.state()?;
        }
        self.closing()
    }

    fn deployment(&mut self) -> Result<()> {
        self.step("Deploy every program (its deploy code, as a chain stores it) and wire it as governance would")?;
        for d in self.p.deployed.clone() {
            writeln!(
                self.out,
                "  {:<28} at {}  deploy code {:>6} B  constructor {} gas",
                d.package, d.address, d.deploy_size, d.constructor_gas
            )?;
        }
        let c = self.p.config.clone();
        writeln!(
            self.out,
            "  wired: stETH.setProtocolContracts(pool, oracle, queue); pool oracle/queue/beacon deposit/\
             withdrawal credentials 0x01‖0‖pool; staking limit 150,000 ETH per day; pause/resume/staking/\
             key roles to governance, DEPOSIT_ROLE to the depositor; {} oracle members, quorum {}, \
             frames of {} slots × {} s from genesis {}; {} signing keys",
            c.members, c.quorum, c.slots_per_frame, c.seconds_per_slot, c.genesis_time, c.signing_keys
        )?;
        writeln!(
            self.out,
            "  seed bootstrap: governance DepositPool.initialize{{{} ETH}} mints its shares to 0x…dEaD, then resume()",
            format_ether(c.seed)
        )?;
        self.state()
    }

    fn line(&mut self, text: String) -> Result<()> {
        writeln!(self.out, "{text}")?;
        Ok(())
    }

    fn step(&mut self, title: &str) -> Result<()> {
        self.summary.steps += 1;
        writeln!(self.out, "\n== Step {}: {title}", self.summary.steps)?;
        if std::env::var_os("LIFECYCLE_TIMING").is_some() {
            writeln!(self.out, "  [t = {:.2} s]", self.started.elapsed().as_secs_f64())?;
        }
        Ok(())
    }

    /// A transaction: its gas and its decoded events.
    fn tx(&mut self, label: &str, o: &Outcome) -> Result<()> {
        writeln!(self.out, "  {label}: {}", gas_line(&o.gas))?;
        let lines = self.p.describe_logs(&o.logs);
        let shown = if self.options.verbose { lines.len() } else { lines.len().min(12) };
        for l in &lines[..shown] {
            writeln!(self.out, "    event {l}")?;
        }
        if shown < lines.len() {
            writeln!(self.out, "    … {} more events", lines.len() - shown)?;
        }
        Ok(())
    }

    fn check(&mut self, after: &str) -> Result<()> {
        let report =
            self.p.check_invariants().map_err(|e| anyhow::anyhow!("after {after}: {e}"))?;
        self.summary.invariant_checks += 1;
        if self.options.verbose {
            for l in &report.lines {
                writeln!(self.out, "  ✓ {l}")?;
            }
        } else {
            writeln!(self.out, "  ✓ invariants hold ({} checks)", report.lines.len())?;
        }
        Ok(())
    }

    /// Totals, balances of the scripted users and fee recipients, then the invariants.
    fn state(&mut self) -> Result<()> {
        let t = self.p.totals()?;
        writeln!(
            self.out,
            "  pooled {} ETH = buffered {} + beacon {} ({} validators seen) + transient {}; \
             shares {}; share rate {} ETH/share; wstETH supply {}; queue locked {}",
            format_ether(t.total_pooled_ether),
            format_ether(t.buffered),
            format_ether(t.beacon_balance),
            t.beacon_validators,
            format_ether(t.transient),
            format_ether(t.total_shares),
            t.share_rate(),
            format_ether(t.wsteth_supply),
            format_ether(t.locked),
        )?;
        let mut accounts: Vec<Address> = self.users.clone();
        accounts.extend([DEAD, TREASURY, OPERATOR]);
        let mut cells = Vec::new();
        for a in accounts {
            let steth = self.p.steth_balance(a)?;
            let wst = self.p.wsteth_balance(a)?;
            if steth.is_zero() && wst.is_zero() {
                continue;
            }
            let mut cell = format!("{} {} stETH", self.p.name(a), format_ether(steth));
            if !wst.is_zero() {
                cell.push_str(&format!(" + {} wstETH", format_ether(wst)));
            }
            cells.push(cell);
        }
        writeln!(self.out, "  balances: {}", cells.join("; "))?;
        let step = self.summary.steps;
        self.check(&format!("step {step}"))
    }

    /// One frame built from the simulated chain, voted and processed.
    fn frame(&mut self, label: &str) -> Result<()> {
        let fee_before = self.fee_shares()?;
        let f = self.p.run_oracle_frame(|_| {})?;
        let fees = self.fee_shares()? - fee_before;
        self.summary.fee_shares += fees;
        writeln!(
            self.out,
            "  report for ref slot {}: {} validators, CL balance {} ETH, vault {} ETH, finalize up to request {}",
            f.ref_slot,
            f.data.numValidators,
            format_ether(f.data.clBalanceGwei * U256::from(GWEI)),
            format_ether(f.data.withdrawalVaultBalance),
            f.data.lastRequestIdToFinalize
        )?;
        self.tx(&format!("{} members' submitReport (first vote)", f.votes.len()), &f.votes[0])?;
        self.report(label, &f.processing)?;
        if !fees.is_zero() {
            let value = self
                .p
                .view(self.p.addrs.token, &IStETH::getPooledEthBySharesCall { sharesAmount: fees })?
                ._0;
            writeln!(
                self.out,
                "  fees minted: {} shares = {} stETH (treasury and operators)",
                format_ether(fees),
                format_ether(value)
            )?;
        }
        Ok(())
    }

    fn fee_shares(&mut self) -> Result<U256> {
        Ok(self.p.shares_of(TREASURY)? + self.p.shares_of(OPERATOR)?)
    }

    fn report(&mut self, label: &str, o: &Outcome) -> Result<()> {
        self.tx("submitReportData (report processing)", o)?;
        self.summary.reports.push((
            format!("{label} ({} accounts known)", self.p.holders().count()),
            o.gas_used,
            o.gas.sloads_cold,
            o.gas.sstores,
        ));
        Ok(())
    }

    fn closing(&mut self) -> Result<()> {
        writeln!(self.out, "\n== Summary")?;
        let queue = self.p.addrs.queue;
        let last = self.p.view(queue, &IWithdrawalQueue::getLastFinalizedRequestIdCall {})?._0;
        let t = self.p.totals()?;
        writeln!(
            self.out,
            "  {} steps, invariants checked {} times, {} accounts known (possible holders), requests \
             finalized up to #{last}",
            self.summary.steps,
            self.summary.invariant_checks,
            self.p.holders().count()
        )?;
        writeln!(
            self.out,
            "  total pooled ether {} ETH, share rate {} ETH/share, fee shares minted {}",
            format_ether(t.total_pooled_ether),
            t.share_rate(),
            format_ether(self.summary.fee_shares)
        )?;
        writeln!(self.out, "  report processing gas (ESTIMATE, programs cached):")?;
        for (label, gas, cold, writes) in &self.summary.reports {
            writeln!(
                self.out,
                "    {label}: {gas} gas, {cold} slots read cold, {writes} slots written"
            )?;
        }
        Ok(())
    }
}
