//! EIP-2612 `permit`, `nonces`, `DOMAIN_SEPARATOR` and ERC-5267
//! `eip712Domain`, with ECDSA owners (motsu accounts, the ecrecover
//! precompile) and ERC-1271 contract wallets.
//!
//! The digests here are computed independently of `staking_common::permit`
//! (from the EIP-712 type strings), so a mistake there would show.

use alloy_primitives::{keccak256, Address, FixedBytes, B256, U256};
use alloy_signer::SignerSync;
use alloy_sol_types::SolValue;
use motsu::prelude::*;
use staking_common::{
    errors::{InvalidSignature, PermitExpired, ZeroAddress},
    events::Approval,
};

use super::{encoded, ether, Env, WalletMock, WalletMode, NAME, NOW};

/// secp256k1's group order.
const SECP256K1_N: U256 = alloy_primitives::uint!(
    0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141_U256
);

/// The EIP-712 domain separator of a token named `name`, version "1".
fn domain(name: &str, chain_id: u64, contract: Address) -> B256 {
    let typehash = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    keccak256(
        (typehash, keccak256(name), keccak256("1"), U256::from(chain_id), contract).abi_encode(),
    )
}

/// The digest an owner signs for `permit`.
fn digest(
    domain: B256,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let typehash = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
    );
    let struct_hash = keccak256((typehash, owner, spender, value, nonce, deadline).abi_encode());
    let mut preimage = vec![0x19, 0x01];
    preimage.extend_from_slice(domain.as_slice());
    preimage.extend_from_slice(struct_hash.as_slice());
    keccak256(preimage)
}

/// `(v, r, s)` of `signer`'s signature of `digest`.
pub(super) fn sign(signer: &Account, digest: B256) -> (u8, B256, B256) {
    let signature = signer.signer().sign_hash_sync(&digest).expect("signing should work");
    let v = 27 + u8::from(signature.v());
    (
        v,
        B256::from(signature.r().to_be_bytes::<32>()),
        B256::from(signature.s().to_be_bytes::<32>()),
    )
}

/// The digest of a permit of `value` from `owner` to `spender` on `env`'s
/// share token with `owner`'s current nonce, on motsu's default chain.
pub(super) fn current_digest(
    env: &Env,
    owner: Address,
    spender: Address,
    value: U256,
    deadline: U256,
) -> B256 {
    let nonce = env.share.sender(owner).nonces(owner);
    let separator = domain(NAME, 42_161, env.share.address());
    digest(separator, owner, spender, value, nonce, deadline)
}

pub(super) fn deadline() -> U256 {
    U256::from(NOW + 3_600)
}

mod domain {
    use super::*;

    #[motsu::test]
    fn domain_separator_is_the_eip712_hash_of_name_version_chain_and_contract(alice: Address) {
        // Given a share token on motsu's default chain (Arbitrum One, 42161)
        let env = Env::new();
        // Then DOMAIN_SEPARATOR is the EIP-712 domain hash with version "1"
        assert_eq!(
            env.share.sender(alice).domain_separator(),
            domain(NAME, 42_161, env.share.address())
        );
        assert_eq!(crate::HASHED_VERSION, keccak256("1"));
    }

    #[motsu::test]
    fn domain_separator_follows_the_chain_id(alice: Address) {
        // Given a share token
        let env = Env::new();
        // When the chain id changes (a fork)
        VM::context().set_chain_id(10);
        // Then the separator is recomputed for the new chain
        assert_eq!(
            env.share.sender(alice).domain_separator(),
            domain(NAME, 10, env.share.address())
        );
    }

    #[motsu::test]
    fn eip712_domain_returns_the_erc5267_tuple(alice: Address) {
        // Given a share token
        let env = Env::new();
        // When the domain is read through ERC-5267
        let (fields, name, version, chain_id, contract, salt, extensions) =
            env.share.sender(alice).eip712_domain();
        // Then it lists name, version, chain id and contract (0x0f)
        assert_eq!(fields, FixedBytes([0x0f]));
        assert_eq!(name, NAME);
        assert_eq!(version, "1");
        assert_eq!(chain_id, U256::from(42_161));
        assert_eq!(contract, env.share.address());
        assert_eq!(salt, B256::ZERO);
        assert!(extensions.is_empty());
    }
}

mod ecdsa {
    use super::*;

    #[motsu::test]
    fn permit_sets_the_allowance_consumes_the_nonce_and_logs_approval(
        alice: Account,
        bob: Address,
        relayer: Address,
    ) {
        // Given alice signed a permit of 5 ether for bob
        let env = Env::new();
        let owner = alice.address();
        let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(5), deadline()));
        // When anyone submits it
        env.share.sender(relayer).permit(owner, bob, ether(5), deadline(), v, r, s).motsu_unwrap();
        // Then bob may spend 5 ether of alice's units, her nonce moved and
        // Approval was logged
        assert_eq!(env.share.sender(bob).allowance(owner, bob), ether(5));
        assert_eq!(env.share.sender(bob).nonces(owner), U256::from(1));
        env.share.assert_emitted(&Approval { owner, spender: bob, value: ether(5) });
    }

    #[motsu::test]
    fn permit_is_accepted_at_its_deadline(alice: Account, bob: Address) {
        // Given a permit whose deadline is this very second
        let env = Env::new();
        let owner = alice.address();
        let now = U256::from(NOW);
        let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(1), now));
        // When it is submitted
        env.share.sender(bob).permit(owner, bob, ether(1), now, v, r, s).motsu_unwrap();
        // Then it is accepted
        assert_eq!(env.share.sender(bob).allowance(owner, bob), ether(1));
    }

    #[motsu::test]
    fn permit_reverts_when_expired(alice: Account, bob: Address) {
        // Given a permit whose deadline passed a second ago
        let env = Env::new();
        let owner = alice.address();
        let past = U256::from(NOW - 1);
        let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(1), past));
        let before = env.snapshot(&[owner, bob]);
        // When it is submitted
        let err =
            env.share.sender(bob).permit(owner, bob, ether(1), past, v, r, s).motsu_unwrap_err();
        // Then it reverts PermitExpired and nothing changed
        assert_eq!(encoded(err), encoded(PermitExpired { deadline: past }));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_replayed(alice: Account, bob: Address) {
        // Given alice's permit was used, then bob's allowance was lowered
        let env = Env::new();
        let owner = alice.address();
        let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(5), deadline()));
        env.share.sender(bob).permit(owner, bob, ether(5), deadline(), v, r, s).motsu_unwrap();
        env.share.sender(owner).approve(bob, ether(1)).motsu_unwrap();
        let before = env.snapshot(&[owner, bob]);
        // When the same signature is submitted again
        let err = env
            .share
            .sender(bob)
            .permit(owner, bob, ether(5), deadline(), v, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature (the nonce moved) and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_s_is_in_the_upper_half(alice: Account, bob: Address) {
        // Given a valid signature turned into its malleable twin (n - s, v flipped)
        let env = Env::new();
        let owner = alice.address();
        let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(1), deadline()));
        let high_s = B256::from((SECP256K1_N - U256::from_be_bytes(s.0)).to_be_bytes::<32>());
        let flipped_v = if v == 27 { 28 } else { 27 };
        let before = env.snapshot(&[owner, bob]);
        // When it is submitted
        let err = env
            .share
            .sender(bob)
            .permit(owner, bob, ether(1), deadline(), flipped_v, r, high_s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature (EIP-2) and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_v_is_not_27_or_28(alice: Account, bob: Address) {
        // Given a valid signature with v given as 0/1 instead of 27/28
        let env = Env::new();
        let owner = alice.address();
        let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(1), deadline()));
        let before = env.snapshot(&[owner, bob]);
        // When it is submitted
        let err = env
            .share
            .sender(bob)
            .permit(owner, bob, ether(1), deadline(), v - 27, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_signed_for_another_chain(alice: Account, bob: Address) {
        // Given alice signed for the same token on Ethereum mainnet (chain 1)
        let env = Env::new();
        let owner = alice.address();
        let mainnet = domain(NAME, 1, env.share.address());
        let d = digest(mainnet, owner, bob, ether(1), U256::ZERO, deadline());
        let (v, r, s) = sign(&alice, d);
        let before = env.snapshot(&[owner, bob]);
        // When it is submitted on Arbitrum
        let err = env
            .share
            .sender(bob)
            .permit(owner, bob, ether(1), deadline(), v, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_signed_by_someone_else(alice: Account, mallory: Account, bob: Address) {
        // Given mallory signed a permit naming alice as owner
        let env = Env::new();
        let owner = alice.address();
        let (v, r, s) = sign(&mallory, current_digest(&env, owner, bob, ether(1), deadline()));
        let before = env.snapshot(&[owner, bob]);
        // When it is submitted
        let err = env
            .share
            .sender(bob)
            .permit(owner, bob, ether(1), deadline(), v, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_the_value_differs_from_the_signed_one(alice: Account, bob: Address) {
        // Given alice signed a permit of 1 ether
        let env = Env::new();
        let owner = alice.address();
        let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(1), deadline()));
        let before = env.snapshot(&[owner, bob]);
        // When bob submits it for 100 ether
        let err = env
            .share
            .sender(bob)
            .permit(owner, bob, ether(100), deadline(), v, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_the_owner_is_zero(bob: Address) {
        // Given garbage claimed to be the zero address's signature
        let env = Env::new();
        let before = env.snapshot(&[bob]);
        // When it is submitted for owner 0 (ecrecover's failure value)
        let err = env
            .share
            .sender(bob)
            .permit(Address::ZERO, bob, ether(1), deadline(), 27, B256::ZERO, B256::ZERO)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_spender_is_zero(alice: Account, bob: Address) {
        // Given alice validly signed a permit for the zero address
        let env = Env::new();
        let owner = alice.address();
        let (v, r, s) =
            sign(&alice, current_digest(&env, owner, Address::ZERO, ether(1), deadline()));
        let before = env.snapshot(&[owner, bob]);
        // When it is submitted
        let err = env
            .share
            .sender(bob)
            .permit(owner, Address::ZERO, ether(1), deadline(), v, r, s)
            .motsu_unwrap_err();
        // Then it reverts ZeroAddress and the nonce was not consumed
        assert_eq!(encoded(err), encoded(ZeroAddress {}));
        assert_eq!(env.snapshot(&[owner, bob]), before);
    }
}

mod erc1271 {
    use super::*;

    /// A wallet answering `mode`, accepting only `expected` for `(v, r, s)`.
    fn wallet(mode: WalletMode, expected: B256, v: u8, r: B256, s: B256) -> Contract<WalletMock> {
        let wallet = Contract::<WalletMock>::new();
        let mut signature = r.to_vec();
        signature.extend_from_slice(s.as_slice());
        signature.push(v);
        wallet.sender(Address::ZERO).configure(
            U256::from(mode as u8),
            expected,
            keccak256(signature),
        );
        wallet
    }

    /// Any bytes: a contract wallet defines its own signature format (here
    /// even a high `s` and `v = 0`, which ECDSA would reject).
    fn wallet_signature() -> (u8, B256, B256) {
        (0, B256::repeat_byte(0x11), B256::repeat_byte(0xff))
    }

    #[motsu::test]
    fn permit_of_a_contract_wallet_is_accepted_through_erc1271(bob: Address) {
        // Given a wallet that accepts exactly the permit's digest and signature
        let env = Env::new();
        let (v, r, s) = wallet_signature();
        let owner = Contract::<WalletMock>::new();
        let d = current_digest(&env, owner.address(), bob, ether(2), deadline());
        let mut signature = r.to_vec();
        signature.extend_from_slice(s.as_slice());
        signature.push(v);
        owner.sender(Address::ZERO).configure(
            U256::from(WalletMode::Accept as u8),
            d,
            keccak256(signature),
        );
        // When bob submits the permit
        env.share
            .sender(bob)
            .permit(owner.address(), bob, ether(2), deadline(), v, r, s)
            .motsu_unwrap();
        // Then the allowance is set and the wallet's nonce moved
        assert_eq!(env.share.sender(bob).allowance(owner.address(), bob), ether(2));
        assert_eq!(env.share.sender(bob).nonces(owner.address()), U256::from(1));
        env.share.assert_emitted(&Approval {
            owner: owner.address(),
            spender: bob,
            value: ether(2),
        });
    }

    /// Submits a permit from a wallet in `mode` and checks it reverts
    /// InvalidSignature with nothing changed.
    fn assert_rejected(mode: WalletMode, bob: Address) {
        let env = Env::new();
        let (v, r, s) = wallet_signature();
        // (These modes answer the same whatever the digest.)
        let owner = wallet(mode, B256::ZERO, v, r, s);
        let before = env.snapshot(&[owner.address(), bob]);
        let err = env
            .share
            .sender(bob)
            .permit(owner.address(), bob, ether(2), deadline(), v, r, s)
            .motsu_unwrap_err();
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner.address(), bob]), before);
    }

    #[motsu::test]
    fn permit_reverts_when_the_wallet_answers_another_magic_value(bob: Address) {
        // Given a wallet answering 0xdeadbeef, when a permit is submitted,
        // then it reverts InvalidSignature and nothing changed
        assert_rejected(WalletMode::WrongMagic, bob);
    }

    #[motsu::test]
    fn permit_reverts_when_the_wallet_answers_only_four_bytes(bob: Address) {
        // Given a wallet answering the bare magic value (short return data),
        // when a permit is submitted, then it reverts InvalidSignature
        assert_rejected(WalletMode::Short, bob);
    }

    #[motsu::test]
    fn permit_reverts_when_the_wallet_answer_has_dirty_padding(bob: Address) {
        // Given a wallet answering the magic value with a non-zero padding
        // byte, when a permit is submitted, then it reverts InvalidSignature
        assert_rejected(WalletMode::Dirty, bob);
    }

    #[motsu::test]
    fn permit_reverts_when_the_wallet_answers_too_much_data(bob: Address) {
        // Given a wallet answering the magic word plus another word, when a
        // permit is submitted, then it reverts InvalidSignature
        assert_rejected(WalletMode::Long, bob);
    }

    #[motsu::test]
    fn permit_reverts_when_the_wallet_reverts(bob: Address) {
        // Given a wallet that reverts (even with the magic value as data),
        // when a permit is submitted, then it reverts InvalidSignature
        assert_rejected(WalletMode::Revert, bob);
    }

    #[motsu::test]
    fn permit_reverts_when_the_wallet_expects_another_digest(bob: Address) {
        // Given a wallet that accepts only a different digest
        let env = Env::new();
        let (v, r, s) = wallet_signature();
        let owner = wallet(WalletMode::Accept, B256::repeat_byte(0xab), v, r, s);
        let before = env.snapshot(&[owner.address(), bob]);
        // When a permit is submitted
        let err = env
            .share
            .sender(bob)
            .permit(owner.address(), bob, ether(2), deadline(), v, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature and nothing changed
        assert_eq!(encoded(err), encoded(InvalidSignature {}));
        assert_eq!(env.snapshot(&[owner.address(), bob]), before);
    }
}
