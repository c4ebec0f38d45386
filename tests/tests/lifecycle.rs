//! The README's main job as a test: the whole staking lifecycle
//! (`scripts::lifecycle`) runs on the embedded Stylus host against the
//! deployable artifacts, with small defaults, and completes with every
//! accounting invariant holding after every step; the invariant check itself
//! catches a broken accounting; and every function of the Solidity bindings
//! (`scripts::abi`) reaches a function of the deployed programs.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolInterface;
use scripts::abi::{
    decode_revert, IAccountingOracle, IDepositPool, IStETH, IWithdrawalQueue, IWstETH, Revert,
};
use scripts::lifecycle::{run, Options, Summary};
use scripts::protocol::{ether, Config, Protocol};

/// Runs the lifecycle, panicking with its report if it fails.
fn lifecycle(holders: usize, days: usize) -> Summary {
    let mut out = Vec::new();
    let options = Options { holders, days, verbose: false };
    match run(&options, &mut out) {
        Ok(summary) => summary,
        Err(err) => panic!("lifecycle failed: {err:#}\n{}", String::from_utf8_lossy(&out)),
    }
}

#[test]
fn lifecycle_completes_with_the_invariants_holding_after_every_step() {
    // Given small options, when the lifecycle runs,
    let summary = lifecycle(3, 1);

    // then every step ran and was followed by a successful invariant check,
    assert!(summary.steps >= 14, "only {} steps", summary.steps);
    assert!(summary.invariant_checks > summary.steps);
    // the inflated report was refused by the sanity limit with its custom error,
    assert!(
        summary.refused_with.starts_with("IncorrectCLBalanceIncrease"),
        "{}",
        summary.refused_with
    );
    // the withdrawal request was finalized and claimed at its nominal 3 ETH (the rate rose
    // between the request and the finalization, and gains after a request are not paid),
    assert_eq!(summary.claimed, ether(3));
    // the fee was minted, and the books balance at the end.
    assert!(summary.fee_shares > U256::ZERO);
    let t = summary.totals;
    assert_eq!(t.total_pooled_ether, t.buffered + t.beacon_balance + t.transient);
    assert_eq!(summary.reports.len(), 5);
}

#[test]
fn report_processing_touches_the_same_slots_with_more_holders() {
    // Given two lifecycles that differ only by 40 extra holders,
    let few = lifecycle(0, 1);
    let many = lifecycle(40, 1);
    assert_eq!(many.holders, few.holders + 40);

    // then each report of one touched exactly as many slots as the same report of the other.
    for (a, b) in few.reports.iter().zip(&many.reports) {
        assert_eq!((a.2, a.3), (b.2, b.3), "{} vs {}", a.0, b.0);
    }
}

#[test]
fn check_invariants_catches_ether_the_accounting_does_not_know_of() {
    // Given the protocol deployed and bootstrapped, with the invariants holding,
    let mut p = Protocol::deploy(Config::default()).expect("deploy");
    let alice = p.new_user("alice", ether(10));
    p.submit_via_pool(alice, ether(5)).expect("stake");
    p.check_invariants().expect("invariants hold after a stake");

    // when ether reaches the deposit pool that neither the buffer nor the simulated chain
    // accounts for,
    let pool = p.addrs.pool;
    p.host.fund(pool, U256::from(1));

    // then the check fails, naming the ether invariant.
    let err = p.check_invariants().expect_err("unaccounted ether must be reported");
    assert!(err.to_string().contains("INVARIANT 4"), "{err}");
}

/// Calls every function of interface `I` on `program` with zero-valued
/// arguments (from a funded account that holds no role), each from the same
/// state, and returns the signatures that reverted without data — what a
/// program answers to a selector it does not have — or with data no binding
/// declares.
fn unreachable_functions<I: SolInterface + std::fmt::Debug>(
    p: &mut Protocol,
    program: Address,
    caller: Address,
) -> Vec<String> {
    let mut bad = Vec::new();
    for selector in (0..I::COUNT).filter_map(I::selector_at) {
        let mut zeros = selector.to_vec();
        zeros.extend([0u8; 32 * 16]);
        let call = I::abi_decode(&zeros, false).expect("zero arguments decode");
        let snapshot = p.host.snapshot();
        let out = p.host.call(caller, program, &call.abi_encode(), U256::ZERO);
        p.host.restore(snapshot);
        let revert = decode_revert(&out.return_data);
        if !out.success && !matches!(revert, Revert::Custom { .. }) {
            bad.push(format!("{call:?}: {revert}"));
        }
    }
    bad
}

#[test]
fn every_function_of_the_bindings_reaches_the_deployed_programs() {
    // Given the whole protocol deployed from its artifacts,
    let mut p = Protocol::deploy(Config::default()).expect("deploy");
    let a = p.addrs;
    let caller = p.new_user("prober", ether(10));

    // when a selector no program has is called, then it reverts without data (the baseline),
    let out = p.host.call(caller, a.token, &[0xde, 0xad, 0xbe, 0xef], U256::ZERO);
    assert!(!out.success && out.return_data.is_empty());

    // and when every function of every binding is called with zero arguments, then each
    // succeeds or reverts with a custom error the bindings declare.
    let mut bad = unreachable_functions::<IStETH::IStETHCalls>(&mut p, a.token, caller);
    bad.extend(unreachable_functions::<IWstETH::IWstETHCalls>(&mut p, a.wsteth, caller));
    bad.extend(unreachable_functions::<IDepositPool::IDepositPoolCalls>(&mut p, a.pool, caller));
    bad.extend(unreachable_functions::<IAccountingOracle::IAccountingOracleCalls>(
        &mut p, a.oracle, caller,
    ));
    bad.extend(unreachable_functions::<IWithdrawalQueue::IWithdrawalQueueCalls>(
        &mut p, a.queue, caller,
    ));
    assert!(
        bad.is_empty(),
        "functions of the bindings the programs do not answer:\n{}",
        bad.join("\n")
    );
}
