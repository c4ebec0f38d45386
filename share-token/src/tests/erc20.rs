//! ERC-20 surface: metadata, transfers, allowances and their events and
//! reverts. Balance assertions are re-run after neutral, +5 % and −5 %
//! rebases: the share token's balances must not move with the rate.

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use staking_common::{
    errors::{AllowanceBelowZero, InsufficientAllowance, InsufficientBalance, ZeroAddress},
    events::{Approval, Transfer},
};

use super::{encoded, ether, Env, NAME, SYMBOL};
use crate::{AllowanceOverflow, Error};

/// Approval events logged by the share token so far.
fn approvals(env: &Env) -> usize {
    env.share
        .all_events()
        .iter()
        .filter(|log| {
            log.topics().first() == Some(&<Approval as alloy_sol_types::SolEvent>::SIGNATURE_HASH)
        })
        .count()
}

mod metadata {
    use super::*;

    #[motsu::test]
    fn name_symbol_and_decimals_are_wsteth_s(alice: Address) {
        // Given a share token constructed with wstETH's name and symbol
        let env = Env::new();
        // Then its metadata is what the constructor set, with 18 decimals
        let share = env.share.sender(alice);
        assert_eq!(share.name(), NAME);
        assert_eq!(share.symbol(), SYMBOL);
        assert_eq!(share.decimals(), 18);
    }

    #[motsu::test]
    fn a_long_name_is_stored_whole(alice: Address) {
        // Given a share token whose name is longer than one storage word
        let env = Env::unconstructed();
        let long = "A wrapped liquid staking token with a rather long name, 2.0";
        env.share
            .sender(alice)
            .constructor(long.into(), "W".into(), env.token.address(), env.pool.address())
            .motsu_unwrap();
        // Then name() returns it unchanged
        assert_eq!(env.share.sender(alice).name(), long);
        assert_eq!(env.share.sender(alice).symbol(), "W");
    }

    #[motsu::test]
    fn total_supply_starts_at_zero(alice: Address) {
        // Given a fresh share token
        let env = Env::new();
        // Then nothing is wrapped yet
        assert_eq!(env.share.sender(alice).total_supply(), U256::ZERO);
        assert_eq!(env.share.sender(alice).balance_of(alice), U256::ZERO);
    }
}

mod constructor {
    use super::*;

    #[motsu::test]
    fn constructor_stores_the_rebase_token_and_deposit_pool(alice: Address) {
        // Given a constructed share token
        let env = Env::new();
        // Then stETH() is the rebase token and the supply field is empty
        assert_eq!(env.share.sender(alice).st_eth(), env.token.address());
        assert_eq!(env.supply(), U256::ZERO);
    }

    #[motsu::test]
    fn constructor_reverts_when_rebase_token_is_zero(alice: Address) {
        // Given an unconstructed share token
        let env = Env::unconstructed();
        // When it is constructed without a rebase token
        let err = env
            .share
            .sender(alice)
            .constructor(NAME.into(), SYMBOL.into(), Address::ZERO, env.pool.address())
            .motsu_unwrap_err();
        // Then it reverts ZeroAddress and stores nothing
        assert!(matches!(err, Error::ZeroAddress(_)));
        assert_eq!(env.share.sender(alice).st_eth(), Address::ZERO);
        assert_eq!(env.share.sender(alice).name(), "");
    }

    #[motsu::test]
    fn constructor_reverts_when_deposit_pool_is_zero(alice: Address) {
        // Given an unconstructed share token
        let env = Env::unconstructed();
        // When it is constructed without a deposit pool
        let err = env
            .share
            .sender(alice)
            .constructor(NAME.into(), SYMBOL.into(), env.token.address(), Address::ZERO)
            .motsu_unwrap_err();
        // Then it reverts ZeroAddress and stores nothing
        assert!(matches!(err, Error::ZeroAddress(_)));
        assert_eq!(env.share.sender(alice).st_eth(), Address::ZERO);
    }
}

mod transfer {
    use super::*;

    #[motsu::test]
    fn transfer_moves_units_and_logs_transfer(alice: Address, bob: Address) {
        // Given alice holds wrapped units
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(10));
        // When she sends 3 ether of units to bob
        let ok = env.share.sender(alice).transfer(bob, ether(3)).motsu_unwrap();
        // Then the units moved, the supply did not, and Transfer was logged
        assert!(ok);
        assert_eq!(env.share.sender(alice).balance_of(alice), units - ether(3));
        assert_eq!(env.share.sender(alice).balance_of(bob), ether(3));
        assert_eq!(env.supply(), units);
        env.share.assert_emitted(&Transfer { from: alice, to: bob, value: ether(3) });
    }

    #[motsu::test]
    fn transfer_balances_do_not_move_with_rebases(alice: Address, bob: Address) {
        // Given alice holds wrapped units and sends some to bob
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(10));
        env.share.sender(alice).transfer(bob, ether(4)).motsu_unwrap();
        // When the rate stays, rises 5 % and falls 5 %
        for delta_bp in [0, 500, -500] {
            env.rebase_bp(delta_bp);
            // Then balances and supply are unchanged, and transfers still
            // move exactly the amount sent
            assert_eq!(env.share.sender(alice).balance_of(alice), units - ether(4));
            assert_eq!(env.share.sender(alice).balance_of(bob), ether(4));
            env.share.sender(bob).transfer(alice, U256::from(1)).motsu_unwrap();
            env.share.sender(alice).transfer(bob, U256::from(1)).motsu_unwrap();
            assert_eq!(env.share.sender(alice).balance_of(bob), ether(4));
            assert_eq!(env.supply(), units);
            assert_eq!(env.wrapped_shares(), units);
        }
    }

    #[motsu::test]
    fn transfer_to_oneself_keeps_the_balance(alice: Address) {
        // Given alice holds wrapped units
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(2));
        // When she sends all of them to herself
        env.share.sender(alice).transfer(alice, units).motsu_unwrap();
        // Then her balance is unchanged and Transfer was logged
        assert_eq!(env.share.sender(alice).balance_of(alice), units);
        env.share.assert_emitted(&Transfer { from: alice, to: alice, value: units });
    }

    #[motsu::test]
    fn transfer_of_zero_succeeds_and_logs(alice: Address, bob: Address) {
        // Given alice holds nothing
        let env = Env::new();
        // When she transfers zero
        env.share.sender(alice).transfer(bob, U256::ZERO).motsu_unwrap();
        // Then it succeeds (ERC-20) and logs a zero Transfer
        env.share.assert_emitted(&Transfer { from: alice, to: bob, value: U256::ZERO });
    }

    #[motsu::test]
    fn transfer_reverts_when_balance_is_insufficient(alice: Address, bob: Address) {
        // Given alice holds some units
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(1));
        let before = env.snapshot(&[alice, bob]);
        // When she sends one unit more than she has
        let err = env.share.sender(alice).transfer(bob, units + U256::from(1)).motsu_unwrap_err();
        // Then it reverts with her balance and nothing changed
        assert_eq!(
            encoded(err),
            encoded(InsufficientBalance {
                account: alice,
                balance: units,
                needed: units + U256::from(1)
            })
        );
        assert_eq!(env.snapshot(&[alice, bob]), before);
    }

    #[motsu::test]
    fn transfer_reverts_when_recipient_is_zero(alice: Address) {
        // Given alice holds some units
        let env = Env::new();
        env.stake_and_wrap(alice, ether(1));
        let before = env.snapshot(&[alice]);
        // When she sends them to the zero address
        let err = env.share.sender(alice).transfer(Address::ZERO, U256::from(1)).motsu_unwrap_err();
        // Then it reverts ZeroAddress and nothing changed
        assert_eq!(encoded(err), encoded(ZeroAddress {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }
}

mod transfer_from {
    use super::*;

    #[motsu::test]
    fn transfer_from_spends_allowance_and_logs_approval_then_transfer(
        alice: Address,
        bob: Address,
        carol: Address,
    ) {
        // Given alice holds units and allows bob 5 ether of them
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(10));
        env.share.sender(alice).approve(bob, ether(5)).motsu_unwrap();
        // When bob moves 2 ether of them to carol
        let ok = env.share.sender(bob).transfer_from(alice, carol, ether(2)).motsu_unwrap();
        // Then the units moved, the allowance fell by 2 and both events were logged
        assert!(ok);
        assert_eq!(env.share.sender(bob).balance_of(alice), units - ether(2));
        assert_eq!(env.share.sender(bob).balance_of(carol), ether(2));
        assert_eq!(env.share.sender(bob).allowance(alice, bob), ether(3));
        env.share.assert_emitted(&Approval { owner: alice, spender: bob, value: ether(3) });
        env.share.assert_emitted(&Transfer { from: alice, to: carol, value: ether(2) });
    }

    #[motsu::test]
    fn transfer_from_keeps_an_infinite_allowance_without_approval(alice: Address, bob: Address) {
        // Given alice allows bob 2^256 - 1
        let env = Env::new();
        env.stake_and_wrap(alice, ether(10));
        env.share.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
        let approvals_before = approvals(&env);
        // When bob moves some of her units
        env.share.sender(bob).transfer_from(alice, bob, ether(1)).motsu_unwrap();
        // Then the allowance is still infinite and no Approval was logged
        // (deliberate deviation: wstETH's OZ 3.4 always decrements)
        assert_eq!(env.share.sender(bob).allowance(alice, bob), U256::MAX);
        assert_eq!(approvals(&env), approvals_before);
    }

    #[motsu::test]
    fn transfer_from_reverts_when_allowance_is_insufficient(alice: Address, bob: Address) {
        // Given alice allows bob less than he moves
        let env = Env::new();
        env.stake_and_wrap(alice, ether(10));
        env.share.sender(alice).approve(bob, ether(1)).motsu_unwrap();
        let before = env.snapshot(&[alice, bob]);
        // When bob moves more than the allowance
        let err = env.share.sender(bob).transfer_from(alice, bob, ether(2)).motsu_unwrap_err();
        // Then it reverts with the allowance and nothing changed
        assert_eq!(
            encoded(err),
            encoded(InsufficientAllowance {
                owner: alice,
                spender: bob,
                allowance: ether(1),
                needed: ether(2)
            })
        );
        assert_eq!(env.snapshot(&[alice, bob]), before);
    }

    #[motsu::test]
    fn transfer_from_reverts_when_balance_is_insufficient(alice: Address, bob: Address) {
        // Given bob may move more than alice holds
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(1));
        env.share.sender(alice).approve(bob, ether(100)).motsu_unwrap();
        let before = env.snapshot(&[alice, bob]);
        // When bob moves more than her balance
        let err = env.share.sender(bob).transfer_from(alice, bob, ether(2)).motsu_unwrap_err();
        // Then it reverts with her balance, and the allowance is not spent
        assert_eq!(
            encoded(err),
            encoded(InsufficientBalance { account: alice, balance: units, needed: ether(2) })
        );
        assert_eq!(env.snapshot(&[alice, bob]), before);
    }

    #[motsu::test]
    fn transfer_from_reverts_when_recipient_is_zero(alice: Address, bob: Address) {
        // Given bob may move alice's units
        let env = Env::new();
        env.stake_and_wrap(alice, ether(1));
        env.share.sender(alice).approve(bob, ether(1)).motsu_unwrap();
        let before = env.snapshot(&[alice, bob]);
        // When he moves them to the zero address
        let err = env
            .share
            .sender(bob)
            .transfer_from(alice, Address::ZERO, U256::from(1))
            .motsu_unwrap_err();
        // Then it reverts ZeroAddress and nothing changed
        assert_eq!(encoded(err), encoded(ZeroAddress {}));
        assert_eq!(env.snapshot(&[alice, bob]), before);
    }

    #[motsu::test]
    fn transfer_from_reverts_when_owner_is_zero(bob: Address) {
        // Given nobody approved anything
        let env = Env::new();
        let before = env.snapshot(&[bob]);
        // When bob moves zero units from the zero address
        let err =
            env.share.sender(bob).transfer_from(Address::ZERO, bob, U256::ZERO).motsu_unwrap_err();
        // Then it reverts ZeroAddress and nothing changed
        assert_eq!(encoded(err), encoded(ZeroAddress {}));
        assert_eq!(env.snapshot(&[bob]), before);
    }
}

mod allowances {
    use super::*;

    #[motsu::test]
    fn approve_sets_the_allowance_and_logs_approval(alice: Address, bob: Address) {
        // Given a fresh share token
        let env = Env::new();
        // When alice approves bob, then lowers the approval
        assert!(env.share.sender(alice).approve(bob, ether(7)).motsu_unwrap());
        env.share.sender(alice).approve(bob, ether(2)).motsu_unwrap();
        // Then the allowance is the last value and both approvals were logged
        assert_eq!(env.share.sender(alice).allowance(alice, bob), ether(2));
        env.share.assert_emitted(&Approval { owner: alice, spender: bob, value: ether(7) });
        env.share.assert_emitted(&Approval { owner: alice, spender: bob, value: ether(2) });
    }

    #[motsu::test]
    fn approve_reverts_when_spender_is_zero(alice: Address) {
        // Given a fresh share token
        let env = Env::new();
        let before = env.snapshot(&[alice]);
        // When alice approves the zero address
        let err = env.share.sender(alice).approve(Address::ZERO, ether(1)).motsu_unwrap_err();
        // Then it reverts ZeroAddress and nothing changed
        assert_eq!(encoded(err), encoded(ZeroAddress {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn increase_allowance_adds_and_logs_the_new_allowance(alice: Address, bob: Address) {
        // Given alice allows bob 1 ether
        let env = Env::new();
        env.share.sender(alice).approve(bob, ether(1)).motsu_unwrap();
        // When she increases it by 2
        assert!(env.share.sender(alice).increase_allowance(bob, ether(2)).motsu_unwrap());
        // Then it is 3 and Approval(3) was logged
        assert_eq!(env.share.sender(alice).allowance(alice, bob), ether(3));
        env.share.assert_emitted(&Approval { owner: alice, spender: bob, value: ether(3) });
    }

    #[motsu::test]
    fn increase_allowance_reverts_when_the_sum_overflows(alice: Address, bob: Address) {
        // Given alice allows bob 2^256 - 1
        let env = Env::new();
        env.share.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
        let before = env.snapshot(&[alice, bob]);
        // When she increases it by one
        let err = env.share.sender(alice).increase_allowance(bob, U256::from(1)).motsu_unwrap_err();
        // Then it reverts AllowanceOverflow and nothing changed
        assert_eq!(
            encoded(err),
            encoded(AllowanceOverflow {
                owner: alice,
                spender: bob,
                allowance: U256::MAX,
                increase: U256::from(1)
            })
        );
        assert_eq!(env.snapshot(&[alice, bob]), before);
    }

    #[motsu::test]
    fn increase_allowance_reverts_when_spender_is_zero(alice: Address) {
        // Given a fresh share token
        let env = Env::new();
        let before = env.snapshot(&[alice]);
        // When alice increases the zero address's allowance
        let err =
            env.share.sender(alice).increase_allowance(Address::ZERO, ether(1)).motsu_unwrap_err();
        // Then it reverts ZeroAddress and nothing changed
        assert_eq!(encoded(err), encoded(ZeroAddress {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn decrease_allowance_subtracts_and_logs_the_new_allowance(alice: Address, bob: Address) {
        // Given alice allows bob 5 ether
        let env = Env::new();
        env.share.sender(alice).approve(bob, ether(5)).motsu_unwrap();
        // When she decreases it by 5
        assert!(env.share.sender(alice).decrease_allowance(bob, ether(5)).motsu_unwrap());
        // Then it is 0 and Approval(0) was logged
        assert_eq!(env.share.sender(alice).allowance(alice, bob), U256::ZERO);
        env.share.assert_emitted(&Approval { owner: alice, spender: bob, value: U256::ZERO });
    }

    #[motsu::test]
    fn decrease_allowance_reverts_when_spender_is_zero(alice: Address) {
        // Given a fresh share token
        let env = Env::new();
        let before = env.snapshot(&[alice]);
        // When alice decreases the zero address's (zero) allowance by zero
        let err = env
            .share
            .sender(alice)
            .decrease_allowance(Address::ZERO, U256::ZERO)
            .motsu_unwrap_err();
        // Then it reverts ZeroAddress and nothing changed
        assert_eq!(encoded(err), encoded(ZeroAddress {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn decrease_allowance_reverts_when_below_zero(alice: Address, bob: Address) {
        // Given alice allows bob 1 ether
        let env = Env::new();
        env.share.sender(alice).approve(bob, ether(1)).motsu_unwrap();
        let before = env.snapshot(&[alice, bob]);
        // When she decreases it by 2
        let err = env.share.sender(alice).decrease_allowance(bob, ether(2)).motsu_unwrap_err();
        // Then it reverts AllowanceBelowZero and nothing changed
        assert_eq!(
            encoded(err),
            encoded(AllowanceBelowZero {
                owner: alice,
                spender: bob,
                allowance: ether(1),
                decrease: ether(2)
            })
        );
        assert_eq!(env.snapshot(&[alice, bob]), before);
    }
}
