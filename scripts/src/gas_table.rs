//! The gas table: every standard operation of the protocol run on the
//! embedded Stylus host against the deployable artifacts, with the host's
//! gas breakdown, programs cached (as on a live chain, where popular programs
//! sit in ArbOS's cache: `Host::set_all_programs_cached(true)`) and not
//! cached, next to Lido's mainnet figures and the 0.65× targets.
//!
//! Every figure is an ESTIMATE from the host's gas model
//! (`tests/host/src/gas.rs`: EVM rules for intrinsic gas, EIP-2929/2200/3529
//! storage, logs and calls; nitro's rules for program entry, hostio ink and
//! WASM compute), not a measurement on a node; it leaves out Arbitrum's L1
//! data fee.
//!
//! Each operation is measured from the same state twice (a host snapshot is
//! restored after each run), once with every program cached and once with
//! none cached, so the two columns differ only by program-entry pricing.
//! It is a benchmark, not a timed test.

use crate::abi::{IAccountingOracle, IDepositPool, IStETH, IWithdrawalQueue, ReportData};
use crate::protocol::{
    ether, format_ether, labelled_address, milli_ether, Config, Protocol, DEPOSIT_SIZE_GWEI,
    GOVERNANCE,
};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use anyhow::{ensure, Context, Result};
use k256::ecdsa::SigningKey;
use std::fmt::Write as _;
use stylus_host::{GasBreakdown, Outcome};

/// Lido's mainnet figure, the 0.65× target and the one-slot figure for the
/// four headline operations, in gas: `(operation, lido, target, one-slot)`.
pub const TARGETS: [(&str, u64, u64, u64); 4] = [
    ("transfer", 71_300, 46_300, 44_600),
    ("submit via pool", 80_400, 52_300, 45_700),
    ("wrap", 101_700, 66_100, 70_900),
    ("unwrap", 95_600, 62_100, 63_800),
];

/// One measured operation.
#[derive(Clone, Debug)]
pub struct Row {
    /// Operation name.
    pub op: String,
    /// The case (existing/new holder, ...).
    pub case: String,
    /// Breakdown with every program cached.
    pub cached: GasBreakdown,
    /// Breakdown with no program cached.
    pub uncached: GasBreakdown,
}

impl Row {
    /// `(lido, target, one-slot)` if this operation has targets.
    pub fn targets(&self) -> Option<(u64, u64, u64)> {
        TARGETS.iter().find(|t| t.0 == self.op).map(|t| (t.1, t.2, t.3))
    }
}

/// The report-processing gas at two holder counts.
#[derive(Clone, Debug)]
pub struct Scaling {
    /// `(holders, breakdown)` of the same kind of report (a day of rewards,
    /// no finalization), programs cached.
    pub points: Vec<(usize, GasBreakdown)>,
}

/// The whole table.
#[derive(Clone, Debug)]
pub struct Table {
    /// Every operation.
    pub rows: Vec<Row>,
    /// Report processing at a few holders and at many.
    pub scaling: Scaling,
}

/// What to measure.
#[derive(Clone, Debug)]
pub struct Options {
    /// Holders for the large point of the scaling measurement.
    pub many_holders: usize,
    /// Holders for the small point.
    pub few_holders: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { many_holders: 10_000, few_holders: 10 }
    }
}

/// A user whose key signs permits.
struct Signer {
    key: SigningKey,
    address: Address,
}

impl Signer {
    fn new(label: &str) -> Self {
        let key = SigningKey::from_slice(keccak256(format!("gas-table key {label}")).as_slice())
            .expect("a keccak digest is a valid secp256k1 scalar (with overwhelming probability)");
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        Self { key, address }
    }

    /// EIP-2612 permit signature `(v, r, s)` for `domain` (the token's
    /// `DOMAIN_SEPARATOR()`).
    fn permit(
        &self,
        domain: B256,
        spender: Address,
        value: U256,
        nonce: U256,
        deadline: U256,
    ) -> (u8, B256, B256) {
        let typehash = keccak256(
            "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
        );
        let body =
            keccak256((typehash, self.address, spender, value, nonce, deadline).abi_encode());
        let digest = keccak256([&[0x19u8, 0x01][..], domain.as_slice(), body.as_slice()].concat());
        let (sig, recid) =
            self.key.sign_prehash_recoverable(digest.as_slice()).expect("signing a digest");
        let bytes = sig.to_bytes();
        (27 + recid.to_byte(), B256::from_slice(&bytes[..32]), B256::from_slice(&bytes[32..]))
    }
}

/// Runs `f` from the current state twice — every program cached, then none —
/// restoring the state (world, clock, simulated chain) after each run.
///
/// # Errors
/// `f` failed or its transaction reverted.
fn measure(
    p: &mut Protocol,
    what: &str,
    mut f: impl FnMut(&mut Protocol) -> Result<Outcome>,
) -> Result<(GasBreakdown, GasBreakdown)> {
    let mut results = Vec::new();
    for cached in [true, false] {
        let snapshot = p.host.snapshot();
        let time = p.host.timestamp();
        let chain = p.chain.clone();
        p.host.set_all_programs_cached(cached);
        let out = f(p).with_context(|| format!("measuring {what}"));
        p.host.set_all_programs_cached(false);
        p.host.restore(snapshot);
        p.host.set_timestamp(time);
        p.chain = chain;
        let out = out?;
        ensure!(out.success, "{what} reverted: {}", crate::protocol::revert_of(&out));
        ensure!(out.gas.burned == 0, "{what} burned gas");
        results.push(out.gas);
    }
    Ok((results[0], results[1]))
}

/// Builds the table (deploys the protocol twice: once for the operations,
/// once for the holder-scaling measurement).
///
/// # Errors
/// A deployment, set-up call or measured call that failed.
pub fn build(options: &Options, progress: &mut dyn FnMut(&str)) -> Result<Table> {
    let programs = crate::protocol::load_programs()?;
    progress("deploying the protocol and setting up holders");
    let mut p = Protocol::deploy_with(Config::default(), &programs)?;
    let mut rows = Vec::new();
    let push = |rows: &mut Vec<Row>, op: &str, case: &str, (cached, uncached)| {
        rows.push(Row { op: op.into(), case: case.into(), cached, uncached });
    };
    let a = p.addrs;

    // Set-up: existing holders of stETH and wstETH, a validator, a report.
    let alice = p.new_user("alice", ether(1_000));
    let bob = p.new_user("bob", ether(1_000));
    let carol_signer = Signer::new("carol");
    let carol = carol_signer.address;
    p.host.fund(carol, ether(1_000));
    p.track(carol);
    p.submit_via_pool(alice, ether(100))?;
    p.submit_via_pool(bob, ether(100))?;
    p.submit_via_pool(carol, ether(100))?;
    p.approve_steth(bob, a.wsteth, ether(1_000))?;
    p.wrap(bob, ether(10))?;
    p.approve_steth(alice, bob, ether(1_000))?;
    p.deposit_validators(2)?;
    p.chain.reward_all(crate::lifecycle::DAILY_REWARD_GWEI);
    p.run_oracle_frame(|_| {})?;
    let fresh = |n: &str| labelled_address(&format!("gas-table new account {n}"));

    progress("measuring the user operations");
    // Staking.
    let newcomer = fresh("staker");
    p.host.fund(newcomer, ether(10));
    let stake = milli_ether(1_500);
    push(
        &mut rows,
        "submit via pool",
        "existing holder",
        measure(&mut p, "submit", |p| p.submit_via_pool(alice, stake))?,
    );
    push(
        &mut rows,
        "submit via pool",
        "new holder",
        measure(&mut p, "submit", |p| p.submit_via_pool(newcomer, stake))?,
    );
    let unlimited = |p: &mut Protocol, user: Address| -> Result<Outcome> {
        p.exec(GOVERNANCE, a.pool, &IDepositPool::removeStakingLimitCall {}, U256::ZERO)?;
        p.submit_via_pool(user, stake)
    };
    push(
        &mut rows,
        "submit via pool",
        "existing holder, no staking limit set",
        measure(&mut p, "submit", |p| unlimited(p, alice))?,
    );
    push(
        &mut rows,
        "submit via stETH",
        "existing holder",
        measure(&mut p, "stETH.submit", |p| p.submit_via_steth(alice, stake))?,
    );
    push(
        &mut rows,
        "submit via stETH",
        "new holder",
        measure(&mut p, "stETH.submit", |p| p.submit_via_steth(newcomer, stake))?,
    );
    push(
        &mut rows,
        "stake via wstETH receive",
        "existing wstETH holder",
        measure(&mut p, "wstETH receive", |p| p.stake_via_wsteth(bob, stake))?,
    );
    push(
        &mut rows,
        "stake via wstETH receive",
        "new holder",
        measure(&mut p, "wstETH receive", |p| p.stake_via_wsteth(newcomer, stake))?,
    );

    // stETH transfers.
    let amount = ether(1);
    push(
        &mut rows,
        "transfer",
        "existing → existing",
        measure(&mut p, "transfer", |p| p.transfer(alice, bob, amount))?,
    );
    push(
        &mut rows,
        "transfer",
        "existing → new holder",
        measure(&mut p, "transfer", |p| p.transfer(alice, fresh("to"), amount))?,
    );
    push(
        &mut rows,
        "transferShares",
        "existing → existing",
        measure(&mut p, "transferShares", |p| p.transfer_shares(alice, bob, amount))?,
    );
    push(
        &mut rows,
        "transferShares",
        "existing → new holder",
        measure(&mut p, "transferShares", |p| p.transfer_shares(alice, fresh("to"), amount))?,
    );
    let transfer_from = |p: &mut Protocol, to: Address| -> Result<Outcome> {
        Ok(p.exec(bob, a.token, &IStETH::transferFromCall { from: alice, to, amount }, U256::ZERO)?
            .1)
    };
    push(
        &mut rows,
        "transferFrom",
        "finite allowance, → existing",
        measure(&mut p, "transferFrom", |p| transfer_from(p, carol))?,
    );
    push(
        &mut rows,
        "transferFrom",
        "finite allowance, → new holder",
        measure(&mut p, "transferFrom", |p| transfer_from(p, fresh("to")))?,
    );
    push(
        &mut rows,
        "approve",
        "existing allowance changed",
        measure(&mut p, "approve", |p| p.approve_steth(alice, bob, ether(7)))?,
    );
    push(
        &mut rows,
        "approve",
        "new allowance",
        measure(&mut p, "approve", |p| p.approve_steth(alice, fresh("spender"), ether(7)))?,
    );

    // Permit (a real secp256k1 signature; ecrecover precompile).
    let domain = p.view(a.token, &IStETH::DOMAIN_SEPARATORCall {})?._0;
    let permit = |p: &mut Protocol, spender: Address, nonce: u64| -> Result<Outcome> {
        let deadline = U256::from(p.host.timestamp() + 3_600);
        let (v, r, s) = carol_signer.permit(domain, spender, ether(5), U256::from(nonce), deadline);
        Ok(p.exec(
            alice,
            a.token,
            &IStETH::permitCall { owner: carol, spender, value: ether(5), deadline, v, r, s },
            U256::ZERO,
        )?
        .1)
    };
    push(
        &mut rows,
        "permit",
        "first permit (nonce 0, new allowance)",
        measure(&mut p, "permit", |p| permit(p, bob, 0))?,
    );
    permit(&mut p, bob, 0)?;
    push(
        &mut rows,
        "permit",
        "later permit (nonce 1, allowance changed)",
        measure(&mut p, "permit", |p| permit(p, bob, 1))?,
    );

    // Wrap / unwrap (finite allowance larger than the amount).
    p.approve_steth(alice, a.wsteth, ether(1_000))?;
    push(
        &mut rows,
        "wrap",
        "existing wstETH holder",
        measure(&mut p, "wrap", |p| p.wrap(bob, amount))?,
    );
    push(
        &mut rows,
        "wrap",
        "new wstETH holder",
        measure(&mut p, "wrap", |p| p.wrap(alice, amount))?,
    );
    push(
        &mut rows,
        "unwrap",
        "partial, holder keeps stETH",
        measure(&mut p, "unwrap", |p| p.unwrap(bob, amount))?,
    );
    let all = p.wsteth_balance(bob)?;
    let bob_shares = p.shares_of(bob)?;
    p.transfer_shares(bob, alice, bob_shares)?;
    push(
        &mut rows,
        "unwrap",
        "whole balance, holder has no stETH",
        measure(&mut p, "unwrap", |p| p.unwrap(bob, all))?,
    );

    // Withdrawals.
    p.approve_steth(alice, a.queue, ether(1_000))?;
    let request = |p: &mut Protocol| -> Result<Outcome> {
        Ok(p.exec(
            alice,
            a.queue,
            &IWithdrawalQueue::requestWithdrawalsCall { amounts: vec![ether(2)], owner: alice },
            U256::ZERO,
        )?
        .1)
    };
    push(
        &mut rows,
        "requestWithdrawals",
        "first request of the owner",
        measure(&mut p, "requestWithdrawals", request)?,
    );
    request(&mut p)?;
    push(
        &mut rows,
        "requestWithdrawals",
        "owner with a request",
        measure(&mut p, "requestWithdrawals", request)?,
    );
    request(&mut p)?;

    progress("measuring the oracle");
    // A frame: votes, then processing that finalizes both requests.
    p.chain.reward_all(crate::lifecycle::DAILY_REWARD_GWEI);
    let ref_slot = p.advance_to_next_frame()?;
    let data = p.report_data(ref_slot)?;
    ensure!(!data.lastRequestIdToFinalize.is_zero(), "the report should finalize the requests");
    let vote = |p: &mut Protocol, member: Address, data: &ReportData| -> Result<Outcome> {
        let call = IAccountingOracle::submitReportCall {
            slot: data.refSlot,
            report: data.hash(),
            consensusVersion: data.consensusVersion,
        };
        Ok(p.exec(member, a.oracle, &call, U256::ZERO)?.1)
    };
    let members = p.members.clone();
    push(
        &mut rows,
        "report vote",
        "first vote of the frame",
        measure(&mut p, "vote", |p| vote(p, members[0], &data))?,
    );
    vote(&mut p, members[0], &data)?;
    push(
        &mut rows,
        "report vote",
        "vote reaching the quorum",
        measure(&mut p, "vote", |p| vote(p, members[1], &data))?,
    );
    vote(&mut p, members[1], &data)?;
    push(
        &mut rows,
        "report vote",
        "vote after the consensus",
        measure(&mut p, "vote", |p| vote(p, members[2], &data))?,
    );
    vote(&mut p, members[2], &data)?;
    push(
        &mut rows,
        "report processing",
        "rewards + fee + finalization of 2 requests",
        measure(&mut p, "report", |p| Ok(p.submit_report_data(&data)))?,
    );
    let processed = p.submit_report_data(&data);
    ensure!(processed.success, "report: {}", crate::protocol::revert_of(&processed));
    let ids =
        p.view(a.queue, &IWithdrawalQueue::getWithdrawalRequestsCall { owner: alice })?.requestsIds;
    push(
        &mut rows,
        "claim",
        "claimWithdrawal",
        measure(&mut p, "claim", |p| p.claim(alice, ids[0]))?,
    );

    // A plain daily report (no finalization).
    p.chain.reward_all(crate::lifecycle::DAILY_REWARD_GWEI);
    let ref_slot = p.advance_to_next_frame()?;
    let data = p.report_data(ref_slot)?;
    p.vote(&data)?;
    push(
        &mut rows,
        "report processing",
        "a day of rewards + fee",
        measure(&mut p, "report", |p| Ok(p.submit_report_data(&data)))?,
    );

    progress("measuring report processing at few and many holders");
    let scaling = scaling(&programs, options, progress)?;
    Ok(Table { rows, scaling })
}

/// Report processing of a daily report with `few_holders` and then
/// `many_holders` accounts holding shares (each extra holder staked through
/// the deposit pool), programs cached.
fn scaling(
    programs: &[(crate::Artifact, Vec<u8>)],
    options: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<Scaling> {
    let mut p = Protocol::deploy_with(Config::default(), programs)?;
    // One staker funds a validator; a first report makes the treasury and the
    // operators holders too (with 0x…dEaD: 4 holders).
    let first = p.new_user("holder-0", ether(40));
    p.submit_via_pool(first, ether(32))?;
    p.deposit_validators(1)?;
    p.chain.reward_all(crate::lifecycle::DAILY_REWARD_GWEI);
    p.run_oracle_frame(|_| {})?;
    let mut holders = count_holders(&mut p)?;
    let mut points = Vec::new();
    for target in [options.few_holders, options.many_holders] {
        while holders < target {
            let u = p.new_user(&format!("holder-{holders}"), ether(1));
            p.submit_via_pool(u, milli_ether(100))?;
            holders += 1;
            if holders % 2_000 == 0 {
                progress(&format!("  {holders} holders"));
            }
        }
        let counted = count_holders(&mut p)?;
        ensure!(counted == holders, "{counted} accounts hold shares, expected {holders}");
        p.check_invariants()?;
        p.chain.reward_all(crate::lifecycle::DAILY_REWARD_GWEI);
        let ref_slot = p.advance_to_next_frame()?;
        let data = p.report_data(ref_slot)?;
        p.vote(&data)?;
        let (cached, _) = measure(&mut p, "report", |p| Ok(p.submit_report_data(&data)))?;
        points.push((holders, cached));
        let applied = p.submit_report_data(&data);
        ensure!(applied.success, "report: {}", crate::protocol::revert_of(&applied));
    }
    Ok(Scaling { points })
}

/// Accounts holding shares, among every account the run gave ether, tokens
/// or shares to (the share-sum invariant proves there are no others).
fn count_holders(p: &mut Protocol) -> Result<usize> {
    let all: Vec<Address> = p.holders().copied().collect();
    let mut n = 0;
    for a in all {
        if !p.shares_of(a)?.is_zero() {
            n += 1;
        }
    }
    Ok(n)
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `gas` as `52.3k`.
fn k(gas: u64) -> String {
    format!("{:.1}k", gas as f64 / 1000.0)
}

/// Storage, net of the refund (the refund is EIP-3529's for cleared slots).
fn storage(g: &GasBreakdown) -> u64 {
    g.storage_read + g.storage_write
}

/// Calls: account access and value-transfer surcharges.
fn calls(g: &GasBreakdown) -> u64 {
    g.account_access + g.value_transfer
}

/// WASM compute, hostio ink, native keccak and precompiles.
fn compute(g: &GasBreakdown) -> u64 {
    g.compute + g.hostio + g.keccak + g.precompiles
}

/// The table as Markdown (what `gas-table.md` holds).
pub fn render_markdown(table: &Table) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Gas table — ESTIMATE\n");
    let _ = writeln!(
        md,
        "Generated by `cargo run -q -p scripts --bin gas-table` (do not edit by hand). Every figure \
         is an **estimate** of the embedded Stylus host's gas model (`tests/host/src/gas.rs`: EVM \
         rules for the intrinsic cost, EIP-2929/2200/3529 storage, logs and calls; nitro's rules \
         for program entry, hostio ink and WASM compute metered with its opcode price table), run \
         on the deployable artifacts (`target/stylus/*.wasm.br`) through their Solidity ABI. It is \
         not a measurement on a node and leaves out Arbitrum's L1 data fee.\n"
    );
    let _ = writeln!(
        md,
        "- **cached**: every program in ArbOS's program cache (`Host::set_all_programs_cached(true)`), \
         as the protocol's programs would be on a live chain; the breakdown columns are for this \
         case. **uncached**: no program cached (each first entry pays the program's init gas).\n\
         - Breakdown: intrinsic (21,000 + calldata), program entry (cached init + memory pages), \
         storage (EIP-2929 cold/warm reads + EIP-2200 writes at flush), logs, calls (EIP-2929 \
         account access + value surcharges), compute (WASM instructions + hostio ink + native \
         keccak + precompiles), minus the EIP-3529 refund. The columns add up to the total.\n\
         - Each operation is measured twice from the same state (host snapshot restored), so the \
         two totals differ only by program-entry pricing. Set-up: the whole protocol deployed and \
         wired (`scripts::protocol`), a staking limit set, 3 stakers, a wrapped position, 2 \
         validators and a first report.\n"
    );
    let _ = writeln!(
        md,
        "| operation | case | cached total | uncached total | intrinsic | entry | storage (cold reads / writes) | logs | calls | compute | refund | Lido mainnet | 0.65× target | one-slot figure | target |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for row in &table.rows {
        let g = &row.cached;
        let (lido, target, one, verdict) = match row.targets() {
            Some((lido, target, one)) => {
                let net = g.net();
                let verdict = match (net <= target, net <= one) {
                    (true, true) => "PASS (≤ target, ≤ one-slot)".to_string(),
                    (true, false) => "PASS (≤ target; > one-slot)".to_string(),
                    (false, _) => format!("FAIL (+{})", thousands(net - target)),
                };
                (k(lido), k(target), k(one), verdict)
            }
            None => ("–".into(), "–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            md,
            "| {} | {} | **{}** | {} | {} | {} | {} ({} / {}) | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.op,
            row.case,
            thousands(g.net()),
            thousands(row.uncached.net()),
            thousands(g.intrinsic),
            thousands(g.program_entry + g.memory_growth),
            thousands(storage(g)),
            g.sloads_cold,
            g.sstores,
            thousands(g.logs),
            thousands(calls(g)),
            thousands(compute(g)),
            thousands(g.refund),
            lido,
            target,
            one,
            verdict
        );
    }
    let _ = writeln!(md, "\n## Targets\n");
    let _ = writeln!(
        md,
        "Lido's mainnet figures and the targets (0.65× Lido) for the four headline operations, and \
         the one-slot figures, as given in the project brief (issue 6); the repository has no \
         source for the Lido figures (`../shared/reference/LIDO-AND-PEERS.md` §h found no reliable \
         public numbers for wrap/unwrap). A row passes when its **cached** total is at most the \
         target; the summary below takes the deployed configuration (Lido's staking limit set; \
         the \"no staking limit set\" row is a what-if). Rows for a new holder pay EIP-2200's zero-to-non-zero store (20,000 + 2,100 cold) \
         for the recipient's slot, which alone with the 21,000 intrinsic gas leaves less than \
         4k of the transfer target, so the targets are met, if at all, by existing holders.\n"
    );
    let _ = writeln!(md, "| operation | Lido | target | one-slot | best case (cached) | verdict |\n|---|---:|---:|---:|---:|---|");
    for (op, lido, target, one) in TARGETS {
        // The deployed configuration only (the no-staking-limit row is a what-if).
        let deployed = || {
            table.rows.iter().filter(move |r| r.op == op && !r.case.contains("no staking limit"))
        };
        let best = deployed().map(|r| r.cached.net()).min();
        let worst = deployed().map(|r| r.cached.net()).max();
        let (best_s, verdict) = match (best, worst) {
            (Some(b), Some(w)) => {
                let v = if w <= target {
                    "PASS in every case".to_string()
                } else if b <= target {
                    format!("PASS for existing holders; new holder {} over", thousands(w - target))
                } else {
                    format!("FAIL by {} in the best case", thousands(b - target))
                };
                (format!("{} (worst {})", thousands(b), thousands(w)), v)
            }
            _ => ("–".into(), "not measured".into()),
        };
        let _ = writeln!(
            md,
            "| {op} | {} | {} | {} | {best_s} | {verdict} |",
            k(lido),
            k(target),
            k(one)
        );
    }
    let _ = writeln!(md, "\n## Report processing does not grow with the number of holders\n");
    let _ = writeln!(
        md,
        "The same kind of report (a day of rewards, fee minted, no finalization), programs cached, \
         on a protocol with few and with many accounts holding shares (each extra holder staked \
         through the deposit pool):\n"
    );
    let _ = writeln!(md, "| holders | total gas | slots read cold | slots written | storage gas | compute gas |\n|---:|---:|---:|---:|---:|---:|");
    for (holders, g) in &table.scaling.points {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            thousands(*holders as u64),
            thousands(g.net()),
            g.sloads_cold,
            g.sstores,
            thousands(storage(g)),
            thousands(compute(g))
        );
    }
    if let [(_, a), (_, b)] = &table.scaling.points[..] {
        let same_slots = a.sloads_cold == b.sloads_cold && a.sstores == b.sstores;
        let _ = writeln!(
            md,
            "\nSlots touched: {}. Gas difference: {} (WASM compute on different numbers: the share \
             math's long division runs one step per quotient bit).",
            if same_slots { "equal" } else { "DIFFERENT" },
            b.net() as i64 - a.net() as i64
        );
    }
    let _ = writeln!(
        md,
        "\nAmounts in the set-up: stakes of {} ETH, transfers of 1 stETH, validators of {} ETH.",
        format_ether(milli_ether(1_500)),
        DEPOSIT_SIZE_GWEI / 1_000_000_000
    );
    md
}

/// Checks that the scaling measurement touched the same number of slots.
///
/// # Errors
/// When the slot counts differ.
pub fn check_scaling(table: &Table) -> Result<()> {
    if let [(few, a), (many, b)] = &table.scaling.points[..] {
        ensure!(
            a.sloads_cold == b.sloads_cold && a.sstores == b.sstores,
            "report processing touched different slots with {few} ({} cold reads, {} writes) and \
             {many} holders ({} cold reads, {} writes)",
            a.sloads_cold,
            a.sstores,
            b.sloads_cold,
            b.sstores
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn targets_are_065_of_lido() {
        for (op, lido, target, _) in TARGETS {
            let expected = (lido as f64 * 0.65 / 100.0).round() * 100.0;
            assert_eq!(target as f64, expected, "{op}");
        }
    }

    #[test]
    fn permit_signature_recovers_to_the_signer() {
        // Given a signer, when it signs a permit, then the signature recovers to its address.
        let signer = Signer::new("x");
        let (v, r, s) =
            signer.permit(B256::ZERO, Address::ZERO, U256::from(1), U256::ZERO, U256::MAX);
        let typehash = keccak256(
            "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
        );
        let body = keccak256(
            (typehash, signer.address, Address::ZERO, U256::from(1), U256::ZERO, U256::MAX)
                .abi_encode(),
        );
        let digest = keccak256([&[0x19u8, 0x01][..], &[0u8; 32], body.as_slice()].concat());
        let sig = k256::ecdsa::Signature::from_scalars(r.0, s.0).unwrap();
        let recid = k256::ecdsa::RecoveryId::from_byte(v - 27).unwrap();
        let key = k256::ecdsa::VerifyingKey::recover_from_prehash(digest.as_slice(), &sig, recid)
            .unwrap();
        let point = key.to_encoded_point(false);
        assert_eq!(Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]), signer.address);
    }
}
