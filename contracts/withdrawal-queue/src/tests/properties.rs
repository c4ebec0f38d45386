//! Property tests: the request value formula and the 1e27 division (pure,
//! many cases), the accounting invariant after every step of random
//! sequences against the real tokens, and checkpoint hints against a linear
//! search (motsu, modest case counts).

use alloy_primitives::{Address, U256, U512};
use alloy_sol_types::SolCall;
use motsu::prelude::*;
use proptest::prelude::*;

use super::{eth, u, Env};
use crate::{abi::IWithdrawalQueue as I, div_u32, request_ether, E27_PRECISION_BASE};

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn request_ether_is_the_lower_of_nominal_and_shares_at_the_rate(
        steth in any::<u128>(), shares in any::<u128>(), rate in 1..=u128::MAX,
    ) {
        let value = request_ether(U256::from(steth), U256::from(shares), U256::from(rate));
        // Exact reference in 512 bits: min(steth, floor(shares * rate / 1e27)).
        let exact = U512::from(shares) * U512::from(rate) / U512::from(E27_PRECISION_BASE);
        let expected = U512::from(steth).min(exact);
        prop_assert_eq!(U512::from(value), expected);
        // Never more than the nominal amount, nor more than the shares are
        // worth at the rate.
        prop_assert!(value <= U256::from(steth));
        prop_assert!(U512::from(value) * U512::from(E27_PRECISION_BASE)
            <= U512::from(shares) * U512::from(rate));
    }

    #[test]
    fn request_ether_never_decreases_with_the_rate(
        steth in any::<u128>(), shares in any::<u128>(), low in 1..=u128::MAX, high in 1..=u128::MAX,
    ) {
        let (low, high) = (low.min(high), low.max(high));
        let at = |rate: u128| request_ether(U256::from(steth), U256::from(shares), U256::from(rate));
        prop_assert!(at(low) <= at(high));
    }

    #[test]
    fn div_u32_is_floor_division(limbs in any::<[u64; 4]>(), d in 1..=u32::MAX) {
        let x = U256::from_limbs(limbs);
        prop_assert_eq!(div_u32(x, d), x / U256::from(d));
    }
}

/// One step of a random history.
#[derive(Clone, Debug)]
enum Op {
    /// `who` requests `amount` stETH wei for owner `owner` (indexes into the
    /// actors).
    Request { who: usize, owner: usize, amount: u128 },
    /// Alice requests `units` share-token units.
    RequestWrapped { units: u64 },
    /// The oracle rebases by `bp` basis points of total pooled ether.
    Rebase { bp: i64 },
    /// The report finalizes pending requests up to a `pick`-chosen id.
    Finalize { pick: usize },
    /// The owner of a `pick`-chosen finalized request claims it to the wallet.
    Claim { pick: usize },
    /// The owner of a `pick`-chosen live request transfers it.
    Transfer { pick: usize, to: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, 0..3usize, 100u128..=20_000_000_000_000_000_000)
            .prop_map(|(who, owner, amount)| Op::Request { who, owner, amount }),
        1 => (100u64..=5_000_000_000_000_000_000).prop_map(|units| Op::RequestWrapped { units }),
        2 => (-500i64..=500).prop_map(|bp| Op::Rebase { bp }),
        2 => any::<usize>().prop_map(|pick| Op::Finalize { pick }),
        2 => any::<usize>().prop_map(|pick| Op::Claim { pick }),
        1 => (any::<usize>(), 0..3usize).prop_map(|(pick, to)| Op::Transfer { pick, to }),
    ]
}

/// Applies `op`; a failing call must leave everything as it was.
fn apply(env: &Env, op: &Op, locked_total: &mut U256) {
    let actors = [env.alice, env.bob, env.wallet.address()];
    let last = env.last_request_id().to::<usize>();
    let finalized = env.last_finalized().to::<usize>();
    let before = env.snapshot();
    let result = match *op {
        Op::Request { who, owner, amount } => {
            env.request(actors[who], &[U256::from(amount)], actors[owner]).map(|_| ())
        }
        Op::RequestWrapped { units } => env
            .call(
                env.alice,
                I::requestWithdrawalsWstETHCall {
                    amounts: vec![U256::from(units)],
                    owner: Address::ZERO,
                },
            )
            .map(|_| ()),
        Op::Rebase { bp } => {
            let pooled = env.token.sender(env.admin).get_total_pooled_ether();
            let scaled = pooled * U256::from(10_000 + bp) / U256::from(10_000);
            env.rebase_to(scaled);
            Ok(())
        }
        Op::Finalize { pick } if last > finalized => {
            let to = finalized + 1 + pick % (last - finalized);
            let (ether, _) = env.finalize(U256::from(to), env.share_rate()).expect("finalize");
            *locked_total += ether;
            Ok(())
        }
        Op::Claim { pick } if finalized > 0 => {
            let id = u(1 + (pick % finalized) as u128);
            let status = env.status(id);
            let result = env.claim_to(status.owner, &[id], env.wallet.address());
            assert_eq!(result.is_ok(), !status.isClaimed, "claims succeed exactly once");
            result
        }
        Op::Transfer { pick, to } if last > 0 => {
            let id = u(1 + (pick % last) as u128);
            let owner = env.status(id).owner;
            let call = I::transferFromCall { from: owner, to: actors[to], requestId: id };
            env.call(owner, call).map(|_| ())
        }
        _ => Ok(()),
    };
    if result.is_err() {
        assert_eq!(env.snapshot(), before, "a revert changes nothing: {op:?}");
    }
}

/// The queue's rebase-token shares: exactly those of the pending requests
/// (finalized ones are burnt by the report).
fn pending_shares(env: &Env) -> U256 {
    let (last, finalized) = (env.last_request_id().to::<u64>(), env.last_finalized().to::<u64>());
    (finalized + 1..=last).map(|id| env.status(U256::from(id)).amountOfShares).sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_accounting_invariant_holds_after_every_step(ops in prop::collection::vec(op(), 1..14)) {
        let env = Env::new();
        env.mint(env.alice, eth(200));
        let mut locked_total = U256::ZERO;
        for op in &ops {
            apply(&env, op, &mut locked_total);
            // The queue's ether == locked == all ever locked - all claimed
            // (the wallet receives only claims).
            let claimed = env.wallet.balance();
            prop_assert_eq!(env.q.balance(), locked_total - claimed);
            env.check_invariants();
            prop_assert_eq!(
                env.token.sender(env.admin).shares_of(env.q.address()),
                pending_shares(&env)
            );
            // ERC-721 balances count exactly the unclaimed requests.
            let live: usize = [env.alice, env.bob, env.wallet.address()]
                .iter()
                .map(|a| env.nft_balance(*a).to::<usize>())
                .sum();
            let claimed_count = (1..=env.last_request_id().to::<u64>())
                .filter(|id| env.status(U256::from(*id)).isClaimed)
                .count();
            prop_assert_eq!(live + claimed_count, env.last_request_id().to::<usize>());
        }
    }

    #[test]
    fn checkpoint_hints_match_a_linear_search(
        count in 1usize..12, splits in prop::collection::vec(any::<usize>(), 1..6),
    ) {
        let env = Env::new();
        let amounts = vec![eth(1); count];
        env.request(env.alice, &amounts, Address::ZERO).unwrap();
        // Finalize in as many reports as the splits allow; remember where each
        // checkpoint starts.
        let mut starts = Vec::new();
        for split in splits {
            let finalized = env.last_finalized().to::<usize>();
            if finalized == count {
                break;
            }
            let to = finalized + 1 + split % (count - finalized);
            starts.push(finalized + 1);
            env.finalize(U256::from(to), env.share_rate()).unwrap();
        }
        let finalized = env.last_finalized().to::<usize>();
        let ids: Vec<U256> = (1..=count).map(U256::from).collect();
        let hints = env.hints(&ids);
        for (index, hint) in hints.iter().enumerate() {
            let id = index + 1;
            // Linear search: the last checkpoint starting at or before the id.
            let expected = if id > finalized {
                0
            } else {
                starts.iter().rposition(|start| *start <= id).map_or(0, |k| k + 1)
            };
            prop_assert_eq!(hint.to::<usize>(), expected);
        }
        // And the on-chain search of claimWithdrawal agrees (via a dry-run view).
        let call = I::getClaimableEtherCall { requestIds: ids.clone(), hints: hints.clone() };
        let data = env.q.sender(env.admin).fallback(&call.abi_encode()).motsu_res();
        prop_assert!(data.is_ok());
    }
}
