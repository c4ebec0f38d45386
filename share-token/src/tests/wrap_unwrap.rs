//! `wrap` and `unwrap`: exact share accounting, events, reverts (own and
//! passed through from the rebase token), at several share rates.

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use staking_common::{
    errors::{
        ContractStopped, InsufficientAllowance, InsufficientBalance, TotalOverflow, ZeroAmount,
    },
    events::{Transfer, TransferShares},
    roles::PAUSE_ROLE,
};

use super::{encoded, ether, Env, SEED};
use crate::MAX_TOTAL_SUPPLY;
use motsu::prelude::Contract;

mod wrap {
    use super::*;

    #[motsu::test]
    fn wrap_mints_the_shares_moved_at_rate_one(alice: Address) {
        // Given alice holds 10 stETH at rate 1 and approved the share token
        let env = Env::new();
        env.stake_and_approve(alice, ether(10));
        // When she wraps 4 of them
        let units = env.share.sender(alice).wrap(ether(4)).motsu_unwrap();
        // Then 4 shares moved to the share token and 4 units were minted to her
        assert_eq!(units, ether(4));
        assert_eq!(env.share.sender(alice).balance_of(alice), ether(4));
        assert_eq!(env.supply(), ether(4));
        assert_eq!(env.wrapped_shares(), ether(4));
        assert_eq!(env.token.sender(alice).shares_of(alice), ether(6));
    }

    #[motsu::test]
    fn wrap_mints_floor_of_amount_times_s_over_p_after_a_rebase(alice: Address) {
        // Given the rate rose 10 % after alice staked (P = 1.1 S)
        let env = Env::new();
        env.stake_and_approve(alice, ether(10));
        env.rebase_bp(1_000);
        let (p, s) = (
            env.token.sender(alice).get_total_pooled_ether(),
            env.token.sender(alice).get_total_shares(),
        );
        // When she wraps 1 ether + 1 wei of stETH
        let amount = ether(1) + U256::from(1);
        let expected = amount * s / p;
        let shares_before = env.token.sender(alice).shares_of(alice);
        let units = env.share.sender(alice).wrap(amount).motsu_unwrap();
        // Then she gets floor(amount * S / P) units, exactly the shares she lost
        assert_eq!(units, expected);
        assert_eq!(env.share.sender(alice).get_wst_eth_by_st_eth(amount).motsu_unwrap(), units);
        assert_eq!(shares_before - env.token.sender(alice).shares_of(alice), units);
        assert_eq!(env.wrapped_shares(), units);
        assert_eq!(env.supply(), units);
    }

    #[motsu::test]
    fn wrap_logs_the_mint_and_the_rebase_token_logs_the_pull(alice: Address) {
        // Given alice holds stETH at rate 1
        let env = Env::new();
        env.stake_and_approve(alice, ether(3));
        // When she wraps 2 of them
        let units = env.share.sender(alice).wrap(ether(2)).motsu_unwrap();
        // Then the share token logged Transfer(0, alice, units) and the rebase
        // token logged the pull into the share token
        let share = env.share.address();
        env.share.assert_emitted(&Transfer { from: Address::ZERO, to: alice, value: units });
        env.token.assert_emitted(&Transfer { from: alice, to: share, value: ether(2) });
        env.token.assert_emitted(&TransferShares { from: alice, to: share, sharesValue: units });
    }

    #[motsu::test]
    fn wrap_of_the_whole_balance_moves_every_share(alice: Address) {
        // Given alice's stETH balance is not a whole number of shares
        let env = Env::new();
        env.stake_and_approve(alice, ether(3));
        env.rebase_bp(333);
        let balance = env.token.sender(alice).balance_of(alice);
        let shares = env.token.sender(alice).shares_of(alice);
        // When she wraps her whole balance
        let units = env.share.sender(alice).wrap(balance).motsu_unwrap();
        // Then all her shares moved (no dust left) and she got as many units
        assert_eq!(units, shares);
        assert_eq!(env.token.sender(alice).shares_of(alice), U256::ZERO);
        assert_eq!(env.share.sender(alice).balance_of(alice), shares);
    }

    #[motsu::test]
    fn wrap_of_dust_worth_no_share_mints_nothing(alice: Address) {
        // Given the rate is above 1 (one wei is worth no whole share)
        let env = Env::new();
        env.stake_and_approve(alice, ether(3));
        env.rebase_bp(500);
        // When alice wraps one wei
        let units = env.share.sender(alice).wrap(U256::from(1)).motsu_unwrap();
        // Then no share moved and no unit was minted (as wstETH)
        assert_eq!(units, U256::ZERO);
        assert_eq!(env.supply(), U256::ZERO);
        assert_eq!(env.wrapped_shares(), U256::ZERO);
    }

    #[motsu::test]
    fn wrap_spends_the_rebase_token_allowance(alice: Address) {
        // Given alice allowed the share token exactly 5 stETH
        let env = Env::new();
        env.stake(alice, ether(10));
        env.token.sender(alice).approve(env.share.address(), ether(5)).motsu_unwrap();
        // When she wraps 2
        env.share.sender(alice).wrap(ether(2)).motsu_unwrap();
        // Then 3 stETH of allowance is left
        assert_eq!(env.token.sender(alice).allowance(alice, env.share.address()), ether(3));
    }

    #[motsu::test]
    fn wrap_reverts_when_amount_is_zero(alice: Address) {
        // Given alice holds stETH and approved the share token
        let env = Env::new();
        env.stake_and_approve(alice, ether(1));
        let before = env.snapshot(&[alice]);
        // When she wraps zero
        let err = env.share.sender(alice).wrap(U256::ZERO).motsu_unwrap_err();
        // Then it reverts ZeroAmount and nothing changed
        assert_eq!(err, encoded(ZeroAmount {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn wrap_reverts_with_the_rebase_token_error_when_allowance_is_insufficient(alice: Address) {
        // Given alice allowed the share token only 1 stETH
        let env = Env::new();
        env.stake(alice, ether(10));
        let share = env.share.address();
        env.token.sender(alice).approve(share, ether(1)).motsu_unwrap();
        let before = env.snapshot(&[alice, share]);
        // When she wraps 2
        let err = env.share.sender(alice).wrap(ether(2)).motsu_unwrap_err();
        // Then the rebase token's InsufficientAllowance reaches her unchanged
        // and nothing changed
        let expected = rebase_token::Error::from(InsufficientAllowance {
            owner: alice,
            spender: share,
            allowance: ether(1),
            needed: ether(2),
        });
        assert_eq!(err, Vec::<u8>::from(expected));
        assert_eq!(env.snapshot(&[alice, share]), before);
    }

    #[motsu::test]
    fn wrap_reverts_with_the_rebase_token_error_when_balance_is_insufficient(alice: Address) {
        // Given alice holds 1 stETH and approved the share token for all
        let env = Env::new();
        env.stake_and_approve(alice, ether(1));
        let before = env.snapshot(&[alice]);
        // When she wraps 2
        let err = env.share.sender(alice).wrap(ether(2)).motsu_unwrap_err();
        // Then the rebase token's InsufficientBalance reaches her unchanged
        let expected = rebase_token::Error::from(InsufficientBalance {
            account: alice,
            balance: ether(1),
            needed: ether(2),
        });
        assert_eq!(err, Vec::<u8>::from(expected));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn wrap_reverts_when_the_supply_would_reach_2_pow_96(alice: Address) {
        // Given alice holds more shares than the supply field can count
        let env = Env::new();
        let shares = MAX_TOTAL_SUPPLY + U256::from(1);
        env.stake_and_approve(alice, shares);
        assert_eq!(env.token.sender(alice).shares_of(alice), shares);
        // When she wraps 2^96 - 1 shares, the supply is full
        env.share.sender(alice).wrap(MAX_TOTAL_SUPPLY).motsu_unwrap();
        assert_eq!(env.supply(), MAX_TOTAL_SUPPLY);
        let before = env.snapshot(&[alice]);
        // When she wraps one more
        let err = env.share.sender(alice).wrap(U256::from(1)).motsu_unwrap_err();
        // Then it reverts TotalOverflow and the share pull was rolled back
        assert_eq!(err, encoded(TotalOverflow {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }
}

mod unwrap {
    use super::*;

    #[motsu::test]
    fn unwrap_burns_and_returns_exactly_the_shares(alice: Address) {
        // Given alice wrapped 10 stETH at rate 1
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(10));
        // When she unwraps 4 units
        let value = env.share.sender(alice).unwrap(ether(4)).motsu_unwrap();
        // Then 4 shares came back, worth 4 stETH, and the supply fell by 4
        assert_eq!(value, ether(4));
        assert_eq!(env.token.sender(alice).shares_of(alice), ether(4));
        assert_eq!(env.share.sender(alice).balance_of(alice), units - ether(4));
        assert_eq!(env.supply(), units - ether(4));
        assert_eq!(env.wrapped_shares(), units - ether(4));
    }

    #[motsu::test]
    fn unwrap_returns_the_current_value_after_rebases(alice: Address) {
        // Given alice wrapped, then the rate moved +5 %, 0 %, −5 %
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(10));
        let part = units / U256::from(4);
        for delta_bp in [500, 0, -500] {
            env.rebase_bp(delta_bp);
            // When she unwraps a quarter of her units
            let expected = env.token.sender(alice).get_pooled_eth_by_shares(part).motsu_unwrap();
            let shares_before = env.token.sender(alice).shares_of(alice);
            let value = env.share.sender(alice).unwrap(part).motsu_unwrap();
            // Then she gets getPooledEthByShares(part) and exactly `part` shares
            assert_eq!(value, expected);
            assert_eq!(env.token.sender(alice).shares_of(alice) - shares_before, part);
            assert_eq!(env.supply(), env.wrapped_shares());
        }
    }

    #[motsu::test]
    fn unwrap_logs_the_burn_and_the_rebase_token_logs_the_move(alice: Address) {
        // Given alice wrapped 2 stETH
        let env = Env::new();
        env.stake_and_wrap(alice, ether(2));
        // When she unwraps 1 unit
        let value = env.share.sender(alice).unwrap(ether(1)).motsu_unwrap();
        // Then Transfer(alice, 0, 1) from the share token, and the share
        // move from the rebase token
        let share = env.share.address();
        env.share.assert_emitted(&Transfer { from: alice, to: Address::ZERO, value: ether(1) });
        env.token.assert_emitted(&Transfer { from: share, to: alice, value });
        env.token.assert_emitted(&TransferShares { from: share, to: alice, sharesValue: ether(1) });
    }

    #[motsu::test]
    fn unwrap_reverts_when_amount_is_zero(alice: Address) {
        // Given alice holds units
        let env = Env::new();
        env.stake_and_wrap(alice, ether(1));
        let before = env.snapshot(&[alice]);
        // When she unwraps zero
        let err = env.share.sender(alice).unwrap(U256::ZERO).motsu_unwrap_err();
        // Then it reverts ZeroAmount and nothing changed
        assert_eq!(err, encoded(ZeroAmount {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn unwrap_reverts_when_balance_is_insufficient(alice: Address) {
        // Given alice holds some units
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(1));
        let before = env.snapshot(&[alice]);
        // When she unwraps one more than she holds
        let err = env.share.sender(alice).unwrap(units + U256::from(1)).motsu_unwrap_err();
        // Then it reverts with her balance and nothing changed
        assert_eq!(
            err,
            encoded(InsufficientBalance {
                account: alice,
                balance: units,
                needed: units + U256::from(1)
            })
        );
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn unwrap_reverts_with_the_rebase_token_error_when_it_is_stopped(alice: Address) {
        // Given alice holds units and the rebase token is stopped
        let env = Env::new();
        env.stake_and_wrap(alice, ether(1));
        env.token.sender(env.admin).grant_role(PAUSE_ROLE, env.admin).motsu_unwrap();
        env.token.sender(env.admin).stop().motsu_unwrap();
        let before = env.snapshot(&[alice]);
        // When she unwraps
        let err = env.share.sender(alice).unwrap(ether(1)).motsu_unwrap_err();
        // Then the rebase token's ContractStopped reaches her and the burn was
        // rolled back
        assert_eq!(err, Vec::<u8>::from(rebase_token::Error::from(ContractStopped {})));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn wrapped_shares_equal_the_supply_after_wrap_unwrap_and_transfer(
        alice: Address,
        bob: Address,
    ) {
        // Given two holders wrap at different rates and trade units
        let env = Env::new();
        env.stake_and_wrap(alice, ether(5));
        env.rebase_bp(700);
        env.stake_and_wrap(bob, ether(3));
        env.share.sender(alice).transfer(bob, ether(1)).motsu_unwrap();
        // When bob unwraps everything he holds
        let bob_units = env.share.sender(bob).balance_of(bob);
        env.share.sender(bob).unwrap(bob_units).motsu_unwrap();
        // Then the supply is alice's balance and equals the shares held
        assert_eq!(env.supply(), env.share.sender(bob).balance_of(alice));
        assert_eq!(env.supply(), env.wrapped_shares());
        // And the bootstrap shares never moved
        assert_eq!(env.token.sender(bob).shares_of(staking_common::INITIAL_TOKEN_HOLDER), SEED);
    }
}

mod external_calls {
    use super::*;
    use crate::tests::{SilentMock, NAME, SYMBOL};
    use staking_common::errors::ExternalCallFailed;

    /// A share token whose rebase token answers every call with no data.
    fn over_silent_token(env: &Env, token: &Contract<SilentMock>) {
        env.share
            .sender(env.admin)
            .constructor(NAME.into(), SYMBOL.into(), token.address(), env.pool.address())
            .motsu_unwrap();
    }

    #[motsu::test]
    fn wrap_reverts_with_external_call_failed_when_the_token_answers_nothing(
        token: Contract<SilentMock>,
        alice: Address,
    ) {
        // Given a share token over a "rebase token" that returns no data
        let env = Env::unconstructed();
        over_silent_token(&env, &token);
        let before = env.snapshot(&[alice]);
        // When alice wraps
        let err = env.share.sender(alice).wrap(ether(1)).motsu_unwrap_err();
        // Then it reverts ExternalCallFailed(token) and nothing was minted
        assert_eq!(err, encoded(ExternalCallFailed { target: token.address() }));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn views_revert_with_external_call_failed_when_the_token_answers_nothing(
        token: Contract<SilentMock>,
        alice: Address,
    ) {
        // Given a share token over a "rebase token" that returns no data
        let env = Env::unconstructed();
        over_silent_token(&env, &token);
        let expected = encoded(ExternalCallFailed { target: token.address() });
        // Then every conversion view reverts ExternalCallFailed(token)
        let share = env.share.sender(alice);
        assert_eq!(share.get_wst_eth_by_st_eth(ether(1)).motsu_unwrap_err(), expected);
        assert_eq!(share.get_st_eth_by_wst_eth(ether(1)).motsu_unwrap_err(), expected);
        assert_eq!(share.st_eth_per_token().motsu_unwrap_err(), expected);
        assert_eq!(share.tokens_per_st_eth().motsu_unwrap_err(), expected);
    }

    #[motsu::test]
    fn receive_reverts_with_external_call_failed_when_the_pool_answers_nothing(
        pool: Contract<SilentMock>,
        alice: Address,
    ) {
        // Given a share token over a "deposit pool" that returns no data
        let env = Env::unconstructed();
        env.share
            .sender(env.admin)
            .constructor(NAME.into(), SYMBOL.into(), env.token.address(), pool.address())
            .motsu_unwrap();
        alice.fund(ether(1));
        let before = env.snapshot(&[alice, pool.address()]);
        // When alice sends ether
        let err = env.share.sender_and_value(alice, ether(1)).receive().motsu_unwrap_err();
        // Then it reverts ExternalCallFailed(pool) and her ether is back
        assert_eq!(err, encoded(ExternalCallFailed { target: pool.address() }));
        assert_eq!(env.snapshot(&[alice, pool.address()]), before);
    }

    #[motsu::test]
    fn receive_reverts_when_the_supply_would_reach_2_pow_96(alice: Address) {
        // Given a fresh share token at rate 1
        let env = Env::new();
        let too_many = MAX_TOTAL_SUPPLY + U256::from(1);
        alice.fund(too_many);
        let before = env.snapshot(&[alice]);
        // When alice stakes 2^96 wei through it
        let err = env.share.sender_and_value(alice, too_many).receive().motsu_unwrap_err();
        // Then it reverts TotalOverflow and the stake was rolled back
        assert_eq!(err, encoded(TotalOverflow {}));
        assert_eq!(env.snapshot(&[alice]), before);
    }

    #[motsu::test]
    fn shares_sent_directly_back_no_unit(alice: Address, bob: Address) {
        // Given alice wrapped and bob sends shares straight to the share token
        let env = Env::new();
        let units = env.stake_and_wrap(alice, ether(2));
        env.stake(bob, ether(1));
        env.token.sender(bob).transfer_shares(env.share.address(), ether(1)).motsu_unwrap();
        // When alice unwraps everything
        env.share.sender(alice).unwrap(units).motsu_unwrap();
        // Then no unit exists and the sent shares stay in the share token for
        // good (documented: they can never be withdrawn)
        assert_eq!(env.supply(), U256::ZERO);
        assert_eq!(env.wrapped_shares(), ether(1));
        assert_eq!(env.share.sender(bob).balance_of(bob), U256::ZERO);
    }
}
