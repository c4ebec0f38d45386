//! The invariant suite across all programs on the embedded host: random
//! sequences of every user, governance, oracle and consensus-layer action
//! (`scripts::invariants::actions`), each step compared with a reference
//! model and followed by the invariant checks of
//! `scripts::invariants::engine` (share sum, pooled-ether accounting, ether
//! held by the programs, share-token backing, queue sums, exact per-account
//! values, rounding against the caller, refused calls changing nothing).
//!
//! CI runs a few hundred sequences here; the long run is
//! `cargo run -q -p scripts --bin invariants -- --sequences 10000`.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use scripts::abi::{IAccountingOracle, IStETH, IWithdrawalQueue, IWstETH};
use scripts::invariants::actions::{Action, Amt, Beacon, Finalize, ReportKind, StakePath};
use scripts::invariants::engine::Engine;
use scripts::invariants::{math, run_with, RunConfig};
use scripts::protocol::GOVERNANCE;
use std::time::Duration;

/// Runs `sequences` random sequences from `seed` and fails with every
/// (shrunk) failing sequence.
fn run_sequences(seed: u64, sequences: u64, steps: usize) {
    // Given the deployed protocol in its base state,
    let mut engine = Engine::new().expect("the protocol deploys");
    // when random sequences run against it,
    let config = RunConfig { sequences, steps, seed, shrink: true, stop_at_first: true };
    let report = run_with(&mut engine, &config, |_, _| {});
    // then every step matched the model and kept every invariant.
    assert_eq!(report.sequences, sequences);
    assert!(report.failures.is_empty(), "{}", report.summary());
    let s = &report.stats;
    assert!(s.refused > 0 && s.reports_applied > 0 && s.claims > 0, "{}", report.summary());
    eprintln!("{}", report.summary());
}

#[test]
fn invariants_hold_over_random_sequences_seed_a() {
    run_sequences(0x0a11_ce00, 120, 20);
}

#[test]
fn invariants_hold_over_random_sequences_seed_b() {
    run_sequences(0x0b0b_0000, 120, 20);
}

#[test]
fn invariants_hold_over_a_scripted_year_of_activity() {
    // Given the base state, when a long scripted sequence runs (stakes through
    // every path, rewards, exits, capped and deferred rebases, slashing,
    // requests, finalization and claims),
    let mut engine = Engine::new().expect("the protocol deploys");
    engine.reset();
    let mut actions = Vec::new();
    for round in 0..12u8 {
        let user = round % 4;
        let path = [StakePath::Pool, StakePath::Token, StakePath::Wrapper, StakePath::PoolPlain]
            [usize::from(user)];
        actions.push(Action::Submit {
            path,
            user,
            amount: Amt::Milli(20_000 + u32::from(round) * 1_000),
        });
        actions.push(Action::Deposit { max: 1 });
        actions.push(Action::Beacon(if round % 5 == 4 {
            Beacon::Penalize(round, 900_000_000)
        } else {
            Beacon::Reward(8_000_000)
        }));
        if round == 6 {
            actions.push(Action::Beacon(Beacon::Exit(0)));
        }
        actions.push(Action::Request {
            user: (user + 1) % 4,
            amounts: vec![Amt::Frac(100), Amt::Milli(500)],
            wrapped: round % 2 == 0,
            approve: true,
            owner: None,
        });
        actions.push(Action::Report { kind: ReportKind::Honest, finalize: Finalize::Affordable });
        actions.push(Action::Claim { caller: None, request: round, to: None });
        actions.push(Action::Wrap { user, amount: Amt::Frac(50), approve: true });
        actions.push(Action::Unwrap { user: (user + 2) % 4, amount: Amt::Frac(300) });
        actions.push(Action::Time(20 * 86_400));
    }
    // then every step matches the model and keeps every invariant.
    engine
        .continue_with(&actions)
        .unwrap_or_else(|f| panic!("step {} ({:?}): {}", f.step, f.action, f.message));
    assert!(engine.stats.reports_applied >= 10, "{:?}", engine.stats);
    assert!(engine.stats.claims >= 5, "{:?}", engine.stats);
}

#[test]
fn invariant_checks_catch_a_share_minted_from_nothing() {
    // Given the base state, which passes every check,
    let mut engine = Engine::new().expect("the protocol deploys");
    engine.reset();
    engine.check().expect("the base state holds");
    // when a share appears in an account without the totals moving (storage
    // written behind the programs' back),
    let token = engine.p.addrs.token;
    let account = engine.signers[0].address;
    let slot = scripts::invariants::digest::map_slot(account.into_word(), U256::from(1));
    let held = U256::from_be_bytes(engine.p.host.storage(token, slot).0);
    engine.p.host.set_storage(token, slot, B256::from(held + U256::from(1)));
    // then the share-sum invariant fails.
    let err = engine.check().expect_err("a share from nothing is caught");
    assert!(err.contains("INVARIANT shares"), "{err}");
}

#[test]
fn invariant_checks_catch_ether_leaving_a_program() {
    // Given the base state, when one wei leaves the withdrawal queue without a claim,
    let mut engine = Engine::new().expect("the protocol deploys");
    engine.reset();
    let queue = engine.p.addrs.queue;
    let balance = engine.p.host.balance(queue);
    engine.p.host.set_balance(queue, balance - U256::from(1));
    // then the held-ether invariant fails.
    let err = engine.check().expect_err("missing ether is caught");
    assert!(err.contains("INVARIANT queue ether"), "{err}");
}

#[test]
fn refusal_digest_sees_every_kind_of_program_state() {
    // Given the base state and its digest,
    let mut engine = Engine::new().expect("the protocol deploys");
    engine.reset();
    let a = engine.p.addrs;
    let (alice, bob) = (engine.signers[0].address, engine.signers[1].address);
    // when each kind of state changes through the ABI — shares, allowances,
    // share-token balances and allowances, roles, pause flags, requests and
    // their owners, oracle votes — then the digest sees each change.
    let changes: Vec<(&str, Address, Address, Vec<u8>)> = vec![
        (
            "shares",
            alice,
            a.token,
            IStETH::transferSharesCall { to: bob, sharesAmount: U256::from(1) }.abi_encode(),
        ),
        (
            "stETH allowance",
            alice,
            a.token,
            IStETH::approveCall { spender: bob, amount: U256::from(9) }.abi_encode(),
        ),
        (
            "wstETH balance",
            alice,
            a.wsteth,
            IWstETH::transferCall { to: bob, amount: U256::from(1) }.abi_encode(),
        ),
        (
            "wstETH allowance",
            alice,
            a.wsteth,
            IWstETH::approveCall { spender: bob, amount: U256::from(9) }.abi_encode(),
        ),
        (
            "role",
            GOVERNANCE,
            a.token,
            IStETH::grantRoleCall { role: B256::ZERO, account: bob }.abi_encode(),
        ),
        ("stop flag", GOVERNANCE, a.token, IStETH::stopCall {}.abi_encode()),
        (
            "request owner",
            alice,
            a.queue,
            IWithdrawalQueue::transferFromCall { from: alice, to: bob, requestId: U256::from(1) }
                .abi_encode(),
        ),
        (
            "claim",
            alice,
            a.queue,
            IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(2) }.abi_encode(),
        ),
        (
            "operator",
            alice,
            a.queue,
            IWithdrawalQueue::setApprovalForAllCall { operator: bob, approved: true }.abi_encode(),
        ),
        (
            "queue pause",
            GOVERNANCE,
            a.queue,
            IWithdrawalQueue::pauseForCall { duration: U256::from(60) }.abi_encode(),
        ),
    ];
    for (what, from, to, data) in changes {
        let before = engine.digest();
        let out = engine.p.host.call(from, to, &data, U256::ZERO);
        assert!(out.success, "{what}: {:?}", scripts::abi::decode_revert(&out.return_data));
        assert!(engine.digest() != before, "the digest misses a change of {what}");
    }
    // A vote changes only the oracle's storage, and the digest sees it too.
    let oracle = a.oracle;
    engine.p.advance_to_next_frame().expect("next frame");
    let frame = engine.p.view(oracle, &IAccountingOracle::getCurrentFrameCall {}).unwrap();
    let before = engine.digest();
    let vote = IAccountingOracle::submitReportCall {
        slot: frame.refSlot,
        report: B256::repeat_byte(3),
        consensusVersion: U256::from(1),
    };
    let member = engine.p.members[0];
    assert!(engine.p.host.call(member, oracle, &vote.abi_encode(), U256::ZERO).success);
    assert!(engine.digest() != before, "the digest misses an oracle vote");
}

#[test]
fn share_math_fuzz_finds_no_counterexample() {
    // Given the share-math properties, when fuzzed for a few seconds,
    let report = math::run_for(Duration::from_secs(3), 5_000);
    // then tens of thousands of cases ran and none failed.
    assert!(report.cases >= 10_000, "only {} cases", report.cases);
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
}
