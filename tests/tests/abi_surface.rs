//! The checked-in Solidity interfaces against the deployable artifacts, on the embedded host.
//!
//! - The deploy plan (`scripts::deploy`: constructor arguments, then every wiring transaction
//!   with its exact calldata) runs on the processed artifacts, deployed from their on-chain
//!   code (`EFF00000 ‖ brotli`) through the StylusDeployer flow, and leaves the protocol wired.
//! - Every function of every program's hand-maintained interface (`scripts::abi_export`) is
//!   routed by the artifact: called with its selector and zero-filled arguments, it never
//!   fails the way an unknown selector does. stylus-sdk 0.9's router answers a selector it
//!   does not know by falling through to the `#[fallback]` or, without one, with
//!   `Err(Vec::new())` (`stylus_sdk::abi::router_entrypoint`): a revert with EMPTY data. The
//!   hand-written routers behind the withdrawal queue's and the oracle's fallbacks do the same.
//!   So "reverted with empty data" is the signature of a selector the artifact does not have
//!   (zero-filled arguments are well-formed, so no decoder rejects them), and each program is
//!   first shown to answer a made-up selector exactly that way.
//! - Every role getter answers the id the deploy plan grants.

use alloy_primitives::{address, Address, B256, U256};
use scripts::abi_export::{self, zero_calldata, ProgramAbi};
use scripts::deploy::{self, encode_args, role_id, Addresses, Config, Holder, Program, ROLES};
use stylus_host::{Failure, Host, Outcome};

const DEPLOYER: Address = address!("00000000000000000000000000000000000d3910");
const GOVERNANCE: Address = address!("0000000000000000000000000000000000006000");
const MEMBERS: [Address; 3] = [
    address!("000000000000000000000000000000000000aa01"),
    address!("000000000000000000000000000000000000aa02"),
    address!("000000000000000000000000000000000000aa03"),
];
const USER: Address = address!("000000000000000000000000000000000000a11c");

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// The five programs deployed and wired on a fresh host by the deploy plan.
struct Deployed {
    host: Host,
    cfg: Config,
    addresses: Addresses,
}

fn deploy_with(cfg: Config) -> Deployed {
    let packages: Vec<&str> = Program::DEPLOY_ORDER.iter().map(|p| p.package()).collect();
    let artifacts = scripts::ensure_artifacts(&packages).expect("the programs build and activate");
    let mut host = Host::new();
    host.fund(cfg.deployer, ether(10));
    let mut addresses = Addresses::new();
    for (program, artifact) in Program::DEPLOY_ORDER.into_iter().zip(&artifacts) {
        let args = deploy::constructor_args(program, &cfg, &addresses).expect("earlier programs");
        let code = artifact.read_deploy_code().expect("deploy code");
        let address = host
            .deploy(&code, Some(&encode_args(&args)), U256::ZERO, cfg.deployer)
            .unwrap_or_else(|e| panic!("deploying {}: {e}", program.package()));
        addresses.insert(program, address);
    }
    for step in deploy::wiring(&cfg, &addresses).expect("wiring") {
        let what = format!("{}.{} ({})", step.target.package(), step.signature, step.why);
        host.call(cfg.deployer, step.to, &step.calldata, step.value).expect_ok(&what);
    }
    Deployed { host, cfg, addresses }
}

fn full_config(governance: Address) -> Config {
    let mut cfg = Config::new(DEPLOYER);
    cfg.governance = governance;
    cfg.treasury = governance;
    cfg.operator_recipient = governance;
    cfg.depositor = governance;
    cfg.oracle_members = MEMBERS.to_vec();
    cfg.beacon_deposit_contract = Some(address!("00000000219ab540356cBB839Cbe05303d7705Fa"));
    cfg
}

/// Calls `signature` (with `args` ABI-encoded) on `program` as a view.
fn view(d: &mut Deployed, program: Program, signature: &str, args: &[deploy::Arg]) -> Vec<u8> {
    let mut data = alloy_primitives::keccak256(signature)[..4].to_vec();
    data.extend(encode_args(args));
    let out = d.host.static_call(USER, d.addresses[&program], &data);
    out.expect_ok(&format!("{} {signature}", program.package())).to_vec()
}

fn word(bytes: &[u8]) -> U256 {
    U256::from_be_slice(&bytes[..32])
}

fn has_role(d: &mut Deployed, program: Program, role: B256, account: Address) -> bool {
    let args = [deploy::Arg::Bytes32(role), deploy::Arg::Address(account)];
    word(&view(d, program, "hasRole(bytes32,address)", &args)) == U256::from(1)
}

fn is_unknown_selector_revert(out: &Outcome) -> bool {
    out.failure == Some(Failure::Reverted) && out.return_data.is_empty()
}

#[test]
fn deploy_plan_runs_on_the_artifacts_and_wires_the_protocol() {
    // Given the plan with three oracle members and a beacon deposit target, when its
    // deployments and every wiring transaction run on the processed artifacts,
    let mut d = deploy_with(full_config(DEPLOYER));

    // then the token knows its privileged programs, and the pool its oracle and queue,
    let at = |d: &Deployed, p: Program| U256::from_be_slice(d.addresses[&p].as_slice());
    let pool = at(&d, Program::DepositPool);
    let oracle = at(&d, Program::AccountingOracle);
    let queue = at(&d, Program::WithdrawalQueue);
    assert_eq!(word(&view(&mut d, Program::RebaseToken, "getDepositPool()", &[])), pool);
    assert_eq!(word(&view(&mut d, Program::RebaseToken, "getOracle()", &[])), oracle);
    assert_eq!(word(&view(&mut d, Program::RebaseToken, "getWithdrawalQueue()", &[])), queue);
    assert_eq!(word(&view(&mut d, Program::DepositPool, "getOracle()", &[])), oracle);
    assert_eq!(word(&view(&mut d, Program::DepositPool, "getWithdrawalQueue()", &[])), queue);
    // the bootstrap minted the seed 1:1 and the pool runs,
    let seed = d.cfg.seed_wei;
    assert_eq!(word(&view(&mut d, Program::RebaseToken, "getTotalShares()", &[])), seed);
    assert_eq!(word(&view(&mut d, Program::RebaseToken, "getTotalPooledEther()", &[])), seed);
    assert_eq!(word(&view(&mut d, Program::DepositPool, "isStopped()", &[])), U256::ZERO);
    assert_eq!(word(&view(&mut d, Program::DepositPool, "isStakingPaused()", &[])), U256::ZERO);
    // the committee is in place with a majority quorum,
    assert_eq!(word(&view(&mut d, Program::AccountingOracle, "getQuorum()", &[])), U256::from(2));
    for member in MEMBERS {
        let is = view(
            &mut d,
            Program::AccountingOracle,
            "getIsMember(address)",
            &[deploy::Arg::Address(member)],
        );
        assert_eq!(word(&is), U256::from(1));
    }
    // every role went to its holder and SUBMIT_DATA_ROLE to nobody,
    for spec in ROLES {
        let holder = match spec.holder {
            Holder::Governance => Some(d.cfg.governance),
            Holder::Depositor => Some(d.cfg.depositor),
            Holder::Nobody => None,
        };
        if let Some(holder) = holder {
            assert!(
                has_role(&mut d, spec.program, spec.id(), holder),
                "{} {}",
                spec.program.package(),
                spec.name
            );
        }
        assert_eq!(holder.is_some(), spec.holder != Holder::Nobody);
    }
    // and a user can stake through the wired protocol.
    d.host.fund(USER, ether(2));
    let submit = {
        let mut data = alloy_primitives::keccak256("submit(address)")[..4].to_vec();
        data.extend([0u8; 32]);
        data
    };
    let pool_address = d.addresses[&Program::DepositPool];
    d.host.call(USER, pool_address, &submit, ether(1)).expect_ok("submit through the pool");
    let balance =
        view(&mut d, Program::RebaseToken, "balanceOf(address)", &[deploy::Arg::Address(USER)]);
    assert_eq!(word(&balance), ether(1));
}

#[test]
fn deploy_plan_hands_admin_to_governance_and_leaves_the_deployer_nothing() {
    // Given governance distinct from the deployer, when the plan runs,
    let mut d = deploy_with(full_config(GOVERNANCE));
    // then on every program with roles governance holds DEFAULT_ADMIN_ROLE and the deployer
    // holds no role at all (not even the temporary ones the plan used for resume/addMember).
    for program in deploy::programs_with_roles() {
        assert!(has_role(&mut d, program, B256::ZERO, GOVERNANCE), "{}", program.package());
        assert!(!has_role(&mut d, program, B256::ZERO, DEPLOYER), "{}", program.package());
        for spec in ROLES.iter().filter(|r| r.program == program) {
            assert!(
                !has_role(&mut d, program, spec.id(), DEPLOYER),
                "{} {}",
                program.package(),
                spec.name
            );
        }
    }
    // and the temporary grants did their job: the pool runs and the members are in.
    assert_eq!(word(&view(&mut d, Program::DepositPool, "isStopped()", &[])), U256::ZERO);
    assert_eq!(word(&view(&mut d, Program::AccountingOracle, "getQuorum()", &[])), U256::from(2));
}

fn interfaces() -> Vec<(Program, ProgramAbi)> {
    Program::DEPLOY_ORDER
        .into_iter()
        .map(|p| (p, abi_export::load(p.package()).expect("interface parses")))
        .collect()
}

#[test]
fn every_interface_selector_reaches_a_function_of_the_artifact() {
    // Given the wired protocol,
    let mut d = deploy_with(full_config(DEPLOYER));
    let mut unrouted = Vec::new();
    for (program, abi) in interfaces() {
        let to = d.addresses[&program];
        // each program answers a selector it does not have with an empty revert,
        let unknown = [0xde, 0xad, 0xbe, 0xef];
        assert!(abi.functions().all(|f| f.selector() != unknown));
        let snapshot = d.host.snapshot();
        let out = d.host.call(DEPLOYER, to, &unknown, U256::ZERO);
        d.host.restore(snapshot);
        assert!(is_unknown_selector_revert(&out), "{}: {:?}", program.package(), out.failure);
        // and when every function of its interface is called with zero-filled arguments
        // (from the admin, so role checks pass where they can), none answers that way.
        for f in abi.functions() {
            let snapshot = d.host.snapshot();
            let out = d.host.call(DEPLOYER, to, &zero_calldata(f), U256::ZERO);
            d.host.restore(snapshot);
            if is_unknown_selector_revert(&out) {
                unrouted.push(format!(
                    "{} {} ({})",
                    program.package(),
                    f.signature(),
                    f.selector()
                ));
            }
        }
    }
    assert!(unrouted.is_empty(), "selectors the artifacts do not route:\n{}", unrouted.join("\n"));
}

#[test]
fn no_function_traps_on_zero_arguments() {
    // Given the wired protocol, when every function of every interface is called with
    // zero-filled arguments, then each succeeds or reverts: none traps (a panic or a misused
    // host function; the team's rule is custom errors, never panics).
    let mut d = deploy_with(full_config(DEPLOYER));
    let mut trapped = Vec::new();
    for (program, abi) in interfaces() {
        let to = d.addresses[&program];
        for f in abi.functions() {
            let snapshot = d.host.snapshot();
            let out = d.host.call(DEPLOYER, to, &zero_calldata(f), U256::ZERO);
            d.host.restore(snapshot);
            if let Some(
                failure @ (Failure::Trap(_) | Failure::Unsupported(_) | Failure::OutOfGas),
            ) = &out.failure
            {
                trapped.push(format!("{} {}: {failure:?}", program.package(), f.signature()));
            }
        }
    }
    assert!(trapped.is_empty(), "{}", trapped.join("\n"));
}

#[test]
fn receive_is_declared_exactly_where_plain_ether_is_accepted() {
    // Given the wired protocol, when each program is sent 1 ether with empty calldata,
    let mut d = deploy_with(full_config(DEPLOYER));
    d.host.fund(USER, ether(10));
    for (program, abi) in interfaces() {
        let snapshot = d.host.snapshot();
        let out = d.host.call(USER, d.addresses[&program], &[], ether(1));
        d.host.restore(snapshot);
        // then it is accepted exactly when the interface declares `receive()`.
        assert_eq!(
            out.success,
            abi.abi.receive.is_some(),
            "{}: {:?}",
            program.package(),
            out.failure
        );
    }
}

#[test]
fn role_getters_answer_the_ids_the_plan_grants() {
    // Given the deployed programs, when every role getter of every interface is called,
    let mut d = deploy_with(full_config(DEPLOYER));
    for (program, abi) in interfaces() {
        for f in abi.role_getters() {
            let id = view(&mut d, program, &f.signature(), &[]);
            // then it answers keccak256(name) (zero for DEFAULT_ADMIN_ROLE), the id the plan uses.
            assert_eq!(
                B256::from_slice(&id[..32]),
                role_id(&f.name),
                "{} {}",
                program.package(),
                f.name
            );
        }
    }
}
