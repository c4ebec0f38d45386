//! Properties over random share rates and random sequences of operations
//! (proptest, 64–96 cases each: every case runs several programs in motsu).
//!
//! 1. `unwrap(wrap(x))` never returns more than `x`, at any rate reached by
//!    any sequence of rebases, and the round trip never raises the holder's
//!    rebase-token balance.
//! 2. After any sequence of wrap, unwrap, transfer, receive and rebase, the
//!    share token's supply equals the rebase-token shares it holds and the
//!    sum of its balances.
//! 3. `wrap` mints exactly the shares the rebase token moved (and the
//!    caller lost), at any rate.

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use proptest::prelude::*;

use super::{Env, ETHER};

/// Total pooled ether after scaling by `ratio_bp / 10_000` (1 bp to 100×).
fn rescale(env: &Env, ratio_bp: u64) {
    let pooled = env.token.sender(env.admin).get_total_pooled_ether();
    let post = (pooled * U256::from(ratio_bp) / U256::from(10_000)).max(U256::from(1));
    env.rebase_to(post);
}

/// `amount * permille / 1000`, at least 1 when `amount` is not zero.
fn part(amount: U256, permille: u16) -> U256 {
    if amount.is_zero() {
        return amount;
    }
    (amount * U256::from(permille) / U256::from(1_000)).max(U256::from(1))
}

/// One step of a random scenario.
#[derive(Clone, Debug)]
enum Op {
    /// `users[user]` wraps `permille` ‰ of their stETH balance.
    Wrap { user: usize, permille: u16 },
    /// `users[user]` unwraps `permille` ‰ of their units.
    Unwrap { user: usize, permille: u16 },
    /// `users[from]` sends `permille` ‰ of their units to `users[to]`.
    Transfer { from: usize, to: usize, permille: u16 },
    /// `users[user]` stakes and wraps `milli_ether` / 1000 ether.
    Receive { user: usize, milli_ether: u64 },
    /// The oracle scales total pooled ether by `ratio_bp` / 10 000.
    Rebase { ratio_bp: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 1..=1_000u16).prop_map(|(user, permille)| Op::Wrap { user, permille }),
        3 => (0..3usize, 1..=1_000u16).prop_map(|(user, permille)| Op::Unwrap { user, permille }),
        2 => (0..3usize, 0..3usize, 0..=1_000u16)
            .prop_map(|(from, to, permille)| Op::Transfer { from, to, permille }),
        1 => (0..3usize, 1..1_000_000u64).prop_map(|(user, milli_ether)| Op::Receive { user, milli_ether }),
        2 => (8_000..12_500u64).prop_map(|ratio_bp| Op::Rebase { ratio_bp }),
    ]
}

/// Checks the supply invariant (property 2).
fn assert_supply_is_backed(env: &Env, users: &[Address]) -> Result<(), TestCaseError> {
    let supply = env.supply();
    let sum = users
        .iter()
        .map(|u| env.share.sender(env.admin).balance_of(*u))
        .fold(U256::ZERO, |a, b| a + b);
    prop_assert_eq!(supply, env.wrapped_shares());
    prop_assert_eq!(supply, sum);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Property 1: a round trip never returns more than was wrapped.
    #[test]
    fn unwrap_of_wrap_never_returns_more_than_x(
        stake_wei in 1u128..1_000_000 * 1_000_000_000_000_000_000u128,
        ratios_bp in proptest::collection::vec(1u64..1_000_000, 1..6),
        permilles in proptest::collection::vec(1u16..=1_000, 1..6),
    ) {
        let env = Env::new();
        let alice = Address::repeat_byte(0xa1);
        env.stake_and_approve(alice, U256::from(stake_wei));
        for (i, ratio_bp) in ratios_bp.iter().enumerate() {
            rescale(&env, *ratio_bp);
            let balance = env.token.sender(alice).balance_of(alice);
            let x = part(balance, permilles[i % permilles.len()]);
            if x.is_zero() {
                continue;
            }
            let units = env.share.sender(alice).wrap(x).motsu_unwrap();
            if units.is_zero() {
                continue;
            }
            let back = env.share.sender(alice).unwrap(units).motsu_unwrap();
            prop_assert!(back <= x, "unwrap(wrap({})) returned {}", x, back);
            prop_assert!(env.token.sender(alice).balance_of(alice) <= balance);
        }
    }

    /// Property 2: the supply always equals the shares held, over random
    /// sequences of every operation.
    #[test]
    fn supply_equals_wrapped_shares_after_any_sequence(
        ops in proptest::collection::vec(op(), 1..25),
    ) {
        let env = Env::new();
        let users = [Address::repeat_byte(0xa1), Address::repeat_byte(0xb2), Address::repeat_byte(0xc3)];
        for user in users {
            env.stake_and_approve(user, U256::from(1_000) * ETHER);
        }
        for op in ops {
            match op {
                Op::Wrap { user, permille } => {
                    let u = users[user];
                    let x = part(env.token.sender(u).balance_of(u), permille);
                    if !x.is_zero() {
                        env.share.sender(u).wrap(x).motsu_unwrap();
                    }
                }
                Op::Unwrap { user, permille } => {
                    let u = users[user];
                    let w = part(env.share.sender(u).balance_of(u), permille);
                    if !w.is_zero() {
                        env.share.sender(u).unwrap(w).motsu_unwrap();
                    }
                }
                Op::Transfer { from, to, permille } => {
                    let (f, t) = (users[from], users[to]);
                    let w = env.share.sender(f).balance_of(f) * U256::from(permille) / U256::from(1_000);
                    env.share.sender(f).transfer(t, w).motsu_unwrap();
                }
                Op::Receive { user, milli_ether } => {
                    let value = U256::from(milli_ether) * ETHER / U256::from(1_000);
                    users[user].fund(value);
                    env.share.sender_and_value(users[user], value).receive().motsu_unwrap();
                }
                Op::Rebase { ratio_bp } => rescale(&env, ratio_bp),
            }
            assert_supply_is_backed(&env, &users)?;
        }
    }

    /// Property 3: wrap mints exactly the shares moved, at any rate.
    #[test]
    fn wrap_mints_exactly_the_shares_moved(
        stake_wei in 1_000u128..1_000_000 * 1_000_000_000_000_000_000u128,
        ratio_bp in 1u64..1_000_000,
        permille in 1u16..=1_000,
    ) {
        let env = Env::new();
        let alice = Address::repeat_byte(0xa1);
        env.stake_and_approve(alice, U256::from(stake_wei));
        rescale(&env, ratio_bp);
        let balance = env.token.sender(alice).balance_of(alice);
        let x = part(balance, permille);
        prop_assume!(!x.is_zero());
        let held_before = env.wrapped_shares();
        let alice_shares_before = env.token.sender(alice).shares_of(alice);
        let expected = env.share.sender(alice).get_wst_eth_by_st_eth(x).motsu_unwrap();
        let units = env.share.sender(alice).wrap(x).motsu_unwrap();
        prop_assert_eq!(env.wrapped_shares() - held_before, units);
        prop_assert_eq!(alice_shares_before - env.token.sender(alice).shares_of(alice), units);
        prop_assert_eq!(env.share.sender(alice).balance_of(alice), units);
        prop_assert_eq!(env.supply(), units);
        // floor(x * S / P), or every share for a whole-balance wrap
        if x == balance {
            prop_assert_eq!(units, alice_shares_before);
        } else {
            prop_assert_eq!(units, expected);
        }
    }
}
