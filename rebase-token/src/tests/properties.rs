//! Properties (proptest) over random operation sequences on the real
//! program (motsu), with modest case counts so the suite stays fast.
//!
//! - `Σ sharesOf == getTotalShares` and `Σ balanceOf <= totalSupply` after
//!   every mint, transfer, transferShares, transferFrom, transferSharesFrom,
//!   burn (via rebase) and rebase;
//! - no operation lets its caller gain from rounding: a token transfer never
//!   moves more value than asked (exactly: `k * P <= amount * S`, or the
//!   whole balance), `transferSharesFrom` never spends less allowance than
//!   the value it moves, a mint never gives the depositor more than the
//!   deposit nor takes value from the other holders, share moves never
//!   touch third parties;
//! - conversions are monotonic and round trips never create ether;
//! - a whole-balance transfer leaves exactly 0 shares.

use alloy_primitives::{U256, U512};
use motsu::prelude::*;
use proptest::{collection::vec, prelude::*};

use super::*;

/// Everyone who can hold shares in these sequences.
const HOLDERS: [Address; 8] = [DEAD, ALICE, BOB, CAROL, SPENDER, QUEUE, TREASURY, OPERATOR];
/// Who the operations pick from (0x…dEaD only receives).
const ACTORS: [Address; 5] = [ALICE, BOB, CAROL, SPENDER, QUEUE];

/// One random operation; `part` is a share of the actor's holding in
/// 1/1000 (1000 = all of it, above = more than it has).
#[derive(Debug, Clone)]
enum Op {
    Mint { to: usize, ether: u128 },
    Transfer { from: usize, to: usize, part: u16 },
    TransferShares { from: usize, to: usize, part: u16 },
    TransferFrom { from: usize, to: usize, part: u16 },
    TransferSharesFrom { from: usize, to: usize, part: u16 },
    Rebase { bp: i32, burn_part: u16, fee: u128 },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..ACTORS.len();
    let part = prop_oneof![Just(1000u16), Just(1001u16), 0u16..1000];
    prop_oneof![
        (who.clone(), 1u128..100_000_000_000_000_000_000u128)
            .prop_map(|(to, ether)| Op::Mint { to, ether }),
        (who.clone(), who.clone(), part.clone()).prop_map(|(from, to, part)| Op::Transfer {
            from,
            to,
            part
        }),
        (who.clone(), who.clone(), part.clone()).prop_map(|(from, to, part)| Op::TransferShares {
            from,
            to,
            part
        }),
        (who.clone(), who.clone(), part.clone()).prop_map(|(from, to, part)| Op::TransferFrom {
            from,
            to,
            part
        }),
        (who.clone(), who, part.clone()).prop_map(|(from, to, part)| Op::TransferSharesFrom {
            from,
            to,
            part
        }),
        (-1_000i32..1_000, 0u16..=1000, 0u128..1_000_000_000_000_000_000u128)
            .prop_map(|(bp, burn_part, fee)| Op::Rebase { bp, burn_part, fee }),
    ]
}

/// `part`/1000 of `x` (1001 = one more than `x`).
fn portion(x: U256, part: u16) -> U256 {
    if part > 1000 {
        x + U256::from(1)
    } else {
        x * U256::from(part) / U256::from(1000)
    }
}

/// `a * b` in 512 bits (for exact value comparisons).
fn wide(a: U256, b: U256) -> U512 {
    U512::from(a) * U512::from(b)
}

/// Checks the conservation invariants.
fn check_totals(world: &World) -> Result<(), TestCaseError> {
    let (s, p, _) = world.totals();
    let shares = HOLDERS.iter().fold(U256::ZERO, |acc, a| acc + world.shares(*a));
    let balances = HOLDERS.iter().fold(U256::ZERO, |acc, a| acc + world.balance(*a));
    prop_assert_eq!(shares, s, "Σ sharesOf must equal getTotalShares");
    prop_assert!(balances <= p, "Σ balanceOf must not exceed totalSupply");
    Ok(())
}

/// Shares of every holder but `a` and `b`.
fn others(world: &World, a: Address, b: Address) -> Vec<U256> {
    HOLDERS.iter().filter(|h| **h != a && **h != b).map(|h| world.shares(*h)).collect()
}

/// Applies `op` and checks its no-gain property.
fn apply(world: &World, op: &Op) -> Result<(), TestCaseError> {
    let (s, p, _) = world.totals();
    let t = &world.token;
    match *op {
        Op::Mint { to, ether } => {
            let (to, ether) = (ACTORS[to], U256::from(ether));
            let rest = others(world, to, to);
            if let Ok(minted) = t.sender(world.pool.address()).mint_shares(to, ether).motsu_res() {
                // The depositor's new shares are worth at most the deposit,
                // and everyone else's value did not fall: m * P <= e * S.
                prop_assert!(wide(minted, p) <= wide(ether, s));
                prop_assert_eq!(others(world, to, to), rest);
            }
        }
        Op::Transfer { from, to, part } | Op::TransferFrom { from, to, part } => {
            let (from, to) = (ACTORS[from], ACTORS[to]);
            let balance = world.balance(from);
            let amount = portion(balance, part);
            let (from_shares, to_shares) = (world.shares(from), world.shares(to));
            let rest = others(world, from, to);
            let result = if matches!(op, Op::Transfer { .. }) {
                t.sender(from).transfer(to, amount).motsu_res().map(|_| ())
            } else {
                t.sender(from).approve(SPENDER, amount).motsu_unwrap();
                t.sender(SPENDER).transfer_from(from, to, amount).motsu_res().map(|_| ())
            };
            if result.is_ok() {
                let moved = from_shares - world.shares(from);
                if from != to {
                    prop_assert_eq!(world.shares(to), to_shares + moved);
                }
                prop_assert_eq!(others(world, from, to), rest);
                if amount == balance && !amount.is_zero() {
                    // Whole balance: every share moves, worth below amount + 1.
                    prop_assert!(from == to || world.shares(from).is_zero());
                    prop_assert!(wide(moved, p) < wide(amount + U256::from(1), s));
                } else {
                    // Never more value than asked: k * P <= amount * S.
                    prop_assert!(wide(moved, p) <= wide(amount, s));
                }
                if matches!(op, Op::TransferFrom { .. }) {
                    prop_assert_eq!(t.sender(from).allowance(from, SPENDER), U256::ZERO);
                }
            } else {
                prop_assert!(amount > balance, "a transfer within the balance must succeed");
            }
        }
        Op::TransferShares { from, to, part } | Op::TransferSharesFrom { from, to, part } => {
            let (from, to) = (ACTORS[from], ACTORS[to]);
            let shares = portion(world.shares(from), part);
            let (from_shares, to_shares) = (world.shares(from), world.shares(to));
            let rest = others(world, from, to);
            let allowance = U256::from(u128::MAX);
            let result = if matches!(op, Op::TransferShares { .. }) {
                t.sender(from).transfer_shares(to, shares).motsu_res()
            } else {
                t.sender(from).approve(SPENDER, allowance).motsu_unwrap();
                t.sender(SPENDER).transfer_shares_from(from, to, shares).motsu_res()
            };
            match result {
                Ok(value) => {
                    // Exactly `shares` moved; the reported value rounds down.
                    if from != to {
                        prop_assert_eq!(world.shares(from), from_shares - shares);
                        prop_assert_eq!(world.shares(to), to_shares + shares);
                    }
                    prop_assert_eq!(others(world, from, to), rest);
                    prop_assert!(wide(value, s) <= wide(shares, p));
                    if matches!(op, Op::TransferSharesFrom { .. }) {
                        // Allowance spent >= exact value moved, and > 0 for shares > 0.
                        let spent = allowance - t.sender(from).allowance(from, SPENDER);
                        prop_assert!(wide(spent, s) >= wide(shares, p));
                        prop_assert!(shares.is_zero() || !spent.is_zero());
                    }
                }
                Err(_) => prop_assert!(shares > from_shares),
            }
        }
        Op::Rebase { bp, burn_part, fee } => {
            let delta = p * U256::from(bp.unsigned_abs()) / U256::from(10_000);
            let post = if bp >= 0 { p + delta } else { p - delta };
            let burn = portion(world.shares(QUEUE), burn_part);
            let fee = U256::from(fee);
            let rest: Vec<U256> =
                [DEAD, ALICE, BOB, CAROL, SPENDER].iter().map(|a| world.shares(*a)).collect();
            let (queue, treasury) = (world.shares(QUEUE), world.shares(TREASURY));
            t.sender(ORACLE)
                .rebase(U256::ZERO, U256::ZERO, post, burn, TREASURY, fee, OPERATOR, U256::ZERO)
                .motsu_unwrap();
            // Only the queue's and the fee recipient's shares changed.
            let after: Vec<U256> =
                [DEAD, ALICE, BOB, CAROL, SPENDER].iter().map(|a| world.shares(*a)).collect();
            prop_assert_eq!(after, rest);
            prop_assert_eq!(world.shares(QUEUE), queue - burn);
            prop_assert_eq!(world.shares(TREASURY), treasury + fee);
            prop_assert_eq!(world.totals(), (s - burn + fee, post, false));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Random sequences keep the totals consistent and never reward rounding.
    #[test]
    fn operation_sequences_conserve_shares_and_never_reward_rounding(
        ops in vec(op(), 1..24)
    ) {
        let world = World::funded(0);
        world.mint(QUEUE, eth(1));
        check_totals(&world)?;
        for op in &ops {
            apply(&world, op)?;
            check_totals(&world)?;
        }
    }

    /// Conversions are monotonic and round trips never create ether.
    #[test]
    fn conversions_are_monotonic_and_round_trips_lose_nothing_to_the_caller(
        bp in -5_000i32..5_000, x in 0u128..(1u128 << 100), dx in 0u128..(1u128 << 100)
    ) {
        let world = World::funded(0);
        let p = world.totals().1;
        let delta = p * U256::from(bp.unsigned_abs()) / U256::from(10_000);
        world.rebase_to(if bp >= 0 { p + delta } else { p - delta });
        let t = &world.token;
        let (x, y) = (U256::from(x), U256::from(x) + U256::from(dx));
        let shares = |e| t.sender(ALICE).get_shares_by_pooled_eth(e).motsu_unwrap();
        let down = |k| t.sender(ALICE).get_pooled_eth_by_shares(k).motsu_unwrap();
        let up = |k| t.sender(ALICE).get_pooled_eth_by_shares_round_up(k).motsu_unwrap();
        prop_assert!(shares(x) <= shares(y));
        prop_assert!(down(x) <= down(y));
        prop_assert!(up(x) <= up(y));
        prop_assert!(down(x) <= up(x) && up(x) <= down(x) + U256::from(1));
        prop_assert!(down(shares(x)) <= x);
    }

    /// A transfer of the whole balance leaves the sender exactly 0 shares.
    #[test]
    fn whole_balance_transfers_leave_no_dust(
        bp in -5_000i32..5_000, minted in 1u128..(1u128 << 90), by_allowance in any::<bool>()
    ) {
        let world = World::funded(0);
        let p = world.totals().1;
        let delta = p * U256::from(bp.unsigned_abs()) / U256::from(10_000);
        world.rebase_to(if bp >= 0 { p + delta } else { p - delta });
        if world.token.sender(world.pool.address()).mint_shares(CAROL, U256::from(minted)).motsu_res().is_err() {
            // Too small to mint one share at this rate.
            return Ok(());
        }
        let (carol, bob) = (world.shares(CAROL), world.shares(BOB));
        let balance = world.balance(CAROL);
        if balance.is_zero() {
            // Shares worth less than a wei: a zero transfer moves nothing
            // (the whole-balance rule needs a non-zero amount).
            return Ok(());
        }
        if by_allowance {
            world.token.sender(CAROL).approve(SPENDER, balance).motsu_unwrap();
            world.token.sender(SPENDER).transfer_from(CAROL, BOB, balance).motsu_unwrap();
        } else {
            world.token.sender(CAROL).transfer(BOB, balance).motsu_unwrap();
        }
        prop_assert_eq!(world.shares(CAROL), U256::ZERO);
        prop_assert_eq!(world.shares(BOB), bob + carol);
    }
}
