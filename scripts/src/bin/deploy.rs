//! `deploy`: deploys the five programs to an Arbitrum chain with cargo-stylus, then wires them
//! (see `scripts::deploy` for what is sent and why). `--dry-run` prints the whole plan offline.
//!
//! ```text
//! cargo run -q -p scripts --bin deploy -- --dry-run
//! RPC_URL=https://sepolia-rollup.arbitrum.io/rpc PRIVATE_KEY=0x… cargo run -q -p scripts --bin deploy
//! ```

use alloy_primitives::{Address, B256, U256};
use anyhow::{anyhow, bail, Context, Result};
use scripts::abi_export::{constructor_types, same_constructor, sdk_export};
use scripts::deploy::{
    self, address_of_key, cargo_stylus_args, cargo_stylus_version, cast_available, cast_command,
    cast_send_args, constructor_args, parse_deploy_tx_hash, parse_deployed_address,
    placeholder_addresses, render, Addresses, Config, KeyFile, Program, StylusManifests,
    CARGO_STYLUS_INSTALL, CARGO_STYLUS_VERSION,
};
use scripts::Outcome;
use std::collections::BTreeMap;
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo run -q -p scripts --bin deploy -- [--dry-run] [--rpc-url URL] [options]

Builds, processes and size-gates every program (as stylus-build), checks that each program's
`--features export-abi -- constructor` output is the constructor the plan encodes (cargo-stylus
reads it from there), then deploys rebase-token, deposit-pool, share-token, withdrawal-queue and
accounting-oracle in that order with `cargo stylus deploy` (cargo-stylus 0.10.10: deploy,
activation and constructor in one StylusDeployer transaction each), then sends every wiring
transaction with foundry's `cast send`, and writes target/stylus/deployment.json.

The RPC URL comes from --rpc-url or the RPC_URL environment variable; the deployer's private key
only from the PRIVATE_KEY environment variable (never from the command line).

  --dry-run                    no network: print the plan (initcode sizes, constructor arguments,
                               every wiring transaction with its calldata and cast command);
                               addresses are placeholders CREATE(deployer, nonce + i)
  --deployer ADDR              dry run: the deployer (default: PRIVATE_KEY's address if set,
                               else a placeholder)
  --nonce N                    dry run: first placeholder nonce (default 0)
  --governance ADDR            final DEFAULT_ADMIN_ROLE and holder of the governance roles
                               (default: the deployer; otherwise the deployer hands over last)
  --treasury ADDR              fee recipient (default: governance)
  --operator-recipient ADDR    operators' fee recipient (default: governance)
  --depositor ADDR             the deposit pool's DEPOSIT_ROLE (default: governance)
  --oracle-member ADDR         add a committee member (repeatable)
  --quorum N                   committee quorum (default: a simple majority)
  --seed-wei N                 bootstrap seed sent with initialize() (default 10^15 = 0.001 ETH)
  --beacon-deposit ADDR        set the pool's beacon deposit contract
  --genesis-time S             oracle: beacon genesis time (default 1606824023, mainnet)
  --seconds-per-slot N         oracle: seconds per slot (default 12)
  --slots-per-frame N          oracle: slots per frame (default 7200, one day)
  --token-name S / --token-symbol S / --wrapped-name S / --wrapped-symbol S
  --no-start                   leave the deposit pool stopped after the bootstrap
  --use PACKAGE=ADDR           reuse a program already deployed (resume a run; repeatable)
  --no-wire                    deploy only; print the wiring commands instead of sending them
  --skip-sdk-check             do not compare the SDK's constructor export with the plan
  --no-cargo-stylus-initcode   dry run: do not ask an installed cargo-stylus for its initcode
                               (by default `cargo stylus get-initcode` runs for each program,
                               offline, and its exact size and bytes are compared with ours)
  -h, --help                   this text

Needs cargo-stylus 0.10.10 (`cargo install cargo-stylus@0.10.10 --locked`, about 8 minutes)
for the deployments and foundry's `cast` for the wiring (without it the commands are printed).";

struct Options {
    dry_run: bool,
    rpc_url: Option<String>,
    deployer: Option<Address>,
    nonce: u64,
    governance: Option<Address>,
    treasury: Option<Address>,
    operator_recipient: Option<Address>,
    depositor: Option<Address>,
    members: Vec<Address>,
    quorum: Option<u64>,
    seed_wei: Option<U256>,
    beacon_deposit: Option<Address>,
    genesis_time: Option<u64>,
    seconds_per_slot: Option<u64>,
    slots_per_frame: Option<u64>,
    names: [Option<String>; 4],
    start: bool,
    reuse: BTreeMap<Program, Address>,
    wire: bool,
    sdk_check: bool,
    cargo_stylus_initcode: bool,
}

fn parse_options() -> Result<Option<Options>> {
    let mut o = Options {
        dry_run: false,
        rpc_url: std::env::var("RPC_URL").ok().filter(|s| !s.is_empty()),
        deployer: None,
        nonce: 0,
        governance: None,
        treasury: None,
        operator_recipient: None,
        depositor: None,
        members: Vec::new(),
        quorum: None,
        seed_wei: None,
        beacon_deposit: None,
        genesis_time: None,
        seconds_per_slot: None,
        slots_per_frame: None,
        names: [None, None, None, None],
        start: true,
        reuse: BTreeMap::new(),
        wire: true,
        sdk_check: true,
        cargo_stylus_initcode: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow!("{flag} needs a value"));
        let address = |s: String| -> Result<Address> {
            s.parse().map_err(|e| anyhow!("{flag}: `{s}` is not an address: {e}"))
        };
        let number = |s: String| -> Result<u64> {
            s.parse().map_err(|e| anyhow!("{flag}: `{s}` is not a number: {e}"))
        };
        match flag.as_str() {
            "--dry-run" => o.dry_run = true,
            "--rpc-url" => o.rpc_url = Some(value()?),
            "--deployer" => o.deployer = Some(address(value()?)?),
            "--nonce" => o.nonce = number(value()?)?,
            "--governance" => o.governance = Some(address(value()?)?),
            "--treasury" => o.treasury = Some(address(value()?)?),
            "--operator-recipient" => o.operator_recipient = Some(address(value()?)?),
            "--depositor" => o.depositor = Some(address(value()?)?),
            "--oracle-member" => o.members.push(address(value()?)?),
            "--quorum" => o.quorum = Some(number(value()?)?),
            "--seed-wei" => {
                let v = value()?;
                o.seed_wei = Some(v.parse().map_err(|e| anyhow!("--seed-wei `{v}`: {e}"))?);
            }
            "--beacon-deposit" => o.beacon_deposit = Some(address(value()?)?),
            "--genesis-time" => o.genesis_time = Some(number(value()?)?),
            "--seconds-per-slot" => o.seconds_per_slot = Some(number(value()?)?),
            "--slots-per-frame" => o.slots_per_frame = Some(number(value()?)?),
            "--token-name" => o.names[0] = Some(value()?),
            "--token-symbol" => o.names[1] = Some(value()?),
            "--wrapped-name" => o.names[2] = Some(value()?),
            "--wrapped-symbol" => o.names[3] = Some(value()?),
            "--no-start" => o.start = false,
            "--use" => {
                let v = value()?;
                let (package, address_text) =
                    v.split_once('=').ok_or_else(|| anyhow!("--use expects PACKAGE=ADDR"))?;
                let program = Program::from_package(package)
                    .ok_or_else(|| anyhow!("--use: {package} is not a program"))?;
                o.reuse.insert(program, address(address_text.to_string())?);
            }
            "--no-wire" => o.wire = false,
            "--skip-sdk-check" => o.sdk_check = false,
            "--no-cargo-stylus-initcode" => o.cargo_stylus_initcode = false,
            "--private-key" => {
                bail!("the key is read from the PRIVATE_KEY environment variable only")
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            other => bail!("unknown argument {other}\n\n{USAGE}"),
        }
    }
    Ok(Some(o))
}

fn config(o: &Options, deployer: Address) -> Config {
    let mut cfg = Config::new(deployer);
    let governance = o.governance.unwrap_or(deployer);
    cfg.governance = governance;
    cfg.treasury = o.treasury.unwrap_or(governance);
    cfg.operator_recipient = o.operator_recipient.unwrap_or(governance);
    cfg.depositor = o.depositor.unwrap_or(governance);
    cfg.oracle_members.clone_from(&o.members);
    cfg.quorum = o.quorum;
    if let Some(seed) = o.seed_wei {
        cfg.seed_wei = seed;
    }
    cfg.beacon_deposit_contract = o.beacon_deposit;
    cfg.genesis_time = o.genesis_time.unwrap_or(cfg.genesis_time);
    cfg.seconds_per_slot = o.seconds_per_slot.unwrap_or(cfg.seconds_per_slot);
    cfg.slots_per_frame = o.slots_per_frame.unwrap_or(cfg.slots_per_frame);
    let [name, symbol, wrapped_name, wrapped_symbol] = o.names.clone();
    cfg.token_name = name.unwrap_or(cfg.token_name);
    cfg.token_symbol = symbol.unwrap_or(cfg.token_symbol);
    cfg.wrapped_name = wrapped_name.unwrap_or(cfg.wrapped_name);
    cfg.wrapped_symbol = wrapped_symbol.unwrap_or(cfg.wrapped_symbol);
    cfg.start = o.start;
    cfg
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("deploy: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let Some(o) = parse_options()? else {
        return Ok(ExitCode::SUCCESS);
    };
    let key = std::env::var("PRIVATE_KEY").ok().filter(|k| !k.trim().is_empty());
    let key_address = key.as_deref().map(address_of_key).transpose().context("PRIVATE_KEY")?;

    let stylus = cargo_stylus_version();
    if !o.dry_run {
        if o.rpc_url.is_none() {
            bail!("no RPC endpoint: pass --rpc-url or set RPC_URL (or use --dry-run)");
        }
        if key.is_none() {
            bail!("no key: set PRIVATE_KEY to the deployer's private key (or use --dry-run)");
        }
        if stylus.is_none() {
            eprintln!(
                "cargo-stylus is not installed. Install it (about 8 minutes on 2 cores):\n    {CARGO_STYLUS_INSTALL}"
            );
            return Ok(ExitCode::from(2));
        }
    }
    let deployer = if o.dry_run {
        o.deployer.or(key_address).unwrap_or(deploy::PLACEHOLDER_DEPLOYER)
    } else {
        key_address.expect("checked above")
    };
    let cfg = config(&o, deployer);
    cfg.validate()?;
    let mut problems = Vec::new();

    // 1. Build, process and gate (the same pipeline as stylus-build).
    let packages: Vec<&str> = Program::DEPLOY_ORDER.iter().map(|p| p.package()).collect();
    eprintln!("== building, processing and gating the programs");
    let mut codes = BTreeMap::new();
    let mut wasms = BTreeMap::new();
    for outcome in scripts::gate_programs_reporting(&packages, |p| eprintln!("   {p}"))? {
        match outcome {
            Outcome::Built(artifact) => {
                if !artifact.passes() {
                    let broken: Vec<String> =
                        artifact.violations().map(ToString::to_string).collect();
                    problems.push(format!(
                        "{} fails the gate: {}",
                        artifact.package,
                        broken.join("; ")
                    ));
                }
                let program = Program::from_package(&artifact.package).expect("a program");
                codes.insert(program, artifact.read_deploy_code()?);
                wasms.insert(program, artifact.read_wasm()?);
            }
            Outcome::NoEntrypoint { package, .. } => bail!("{package} has no user_entrypoint yet"),
            Outcome::BuildFailed { package, errors } => {
                bail!("{package} does not build:\n{errors}")
            }
        }
    }

    // 2. The constructor cargo-stylus will find (it runs the same export).
    if o.sdk_check {
        eprintln!("== checking each program's `--features export-abi -- constructor`");
        for program in Program::DEPLOY_ORDER {
            let expected = program.constructor()?;
            let exported = sdk_export(program.package())?;
            match exported.constructor {
                Some(c) if same_constructor(&c, &expected) => {}
                Some(c) => problems.push(format!(
                    "{}: the SDK exports {}, the plan encodes {}",
                    program.package(),
                    constructor_types(&c),
                    constructor_types(&expected)
                )),
                None => problems.push(format!(
                    "{}: `cargo run -p {} --features export-abi -- constructor` prints no \
                     constructor, so cargo-stylus would deploy it WITHOUT running `{}` (its \
                     main.rs must print the constructor, e.g. through the SDK's print_from_args)",
                    program.package(),
                    program.package(),
                    constructor_types(&expected)
                )),
            }
        }
    }

    if o.dry_run {
        let mut addresses = placeholder_addresses(deployer, o.nonce);
        addresses.extend(o.reuse.clone());
        let plan = deploy::plan(&cfg, &addresses, &codes)?;
        println!("{}", render(&plan, true));
        match &stylus {
            Some(v) if v.contains(CARGO_STYLUS_VERSION) => println!("cargo-stylus: {v}"),
            Some(v) => {
                println!("cargo-stylus: {v} (this plan was written for {CARGO_STYLUS_VERSION})")
            }
            None => {
                println!("cargo-stylus: not installed ({CARGO_STYLUS_INSTALL}, about 8 minutes)")
            }
        }
        if stylus.is_some() && o.cargo_stylus_initcode {
            problems.extend(cargo_stylus_initcodes(&plan, &wasms)?);
        }
        println!(
            "cast (foundry): {}",
            if cast_available() {
                "found"
            } else {
                "not found (needed to send the wiring; the commands above work once installed)"
            }
        );
        return Ok(report(&problems));
    }
    if !problems.is_empty() {
        report(&problems);
        bail!("not deploying: fix the problems above");
    }

    // 3. Deploy in order with cargo-stylus (project mode, from each crate's directory).
    let rpc_url = o.rpc_url.clone().expect("checked above");
    let key = key.expect("checked above");
    let root = scripts::workspace_root()?;
    let out_dir = scripts::artifact_dir()?;
    std::fs::create_dir_all(&out_dir)?;
    let manifests = StylusManifests::ensure(&root)?;
    for path in manifests.created() {
        eprintln!("   wrote {} for this run (removed at the end)", path.display());
    }
    let key_file = KeyFile::new(&out_dir, &key)?;
    let mut addresses: Addresses = Addresses::new();
    let mut record = Vec::new();
    for program in Program::DEPLOY_ORDER {
        if let Some(address) = o.reuse.get(&program) {
            println!("== {}: reusing {address}", program.package());
            addresses.insert(program, *address);
            continue;
        }
        let args = constructor_args(program, &cfg, &addresses)?;
        println!("== deploying {} ({})", program.package(), program.constructor_signature());
        let cli = cargo_stylus_args(program, &args, &rpc_url, &key_file.path().to_string_lossy());
        let output = Command::new("cargo")
            .current_dir(root.join(program.crate_dir()))
            .args(&cli)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .output()
            .context("running cargo stylus")?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        print!("{text}");
        let address = parse_deployed_address(&text).filter(|_| output.status.success());
        let Some(address) = address else {
            write_record(&out_dir, &addresses, &record)?;
            eprintln!("\n{} failed to deploy. Deployed so far (resume with):", program.package());
            for (p, a) in &addresses {
                eprintln!("   --use {}={a}", p.package());
            }
            bail!("cargo stylus deploy failed for {}", program.package());
        };
        println!("   {} at {address}", program.package());
        record.push((program, address, parse_deploy_tx_hash(&text)));
        addresses.insert(program, address);
        write_record(&out_dir, &addresses, &record)?;
    }
    drop(key_file);
    drop(manifests);

    // 4. Wiring.
    let steps = deploy::wiring(&cfg, &addresses)?;
    let send = o.wire && cast_available();
    if !send {
        println!(
            "\n== wiring: {} transactions to send from {deployer}{}",
            steps.len(),
            if o.wire { " (foundry's `cast` is not installed: https://getfoundry.sh)" } else { "" }
        );
        for (i, s) in steps.iter().enumerate() {
            println!(
                "{:>3}. {}.{} — {}\n     $ {}",
                i + 1,
                s.target.package(),
                s.signature,
                s.why,
                cast_command(s)
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    println!("\n== wiring: {} transactions", steps.len());
    for (i, s) in steps.iter().enumerate() {
        println!("{:>3}. {}.{} — {}", i + 1, s.target.package(), s.signature, s.why);
        let status = Command::new("cast")
            .args(cast_send_args(s))
            .args(["--rpc-url", &rpc_url, "--private-key", key.trim()])
            .status()
            .context("running cast")?;
        if !status.success() {
            eprintln!("step {} failed; the remaining steps are:", i + 1);
            for rest in &steps[i..] {
                eprintln!("   $ {}", cast_command(rest));
            }
            bail!("wiring stopped at step {}", i + 1);
        }
    }
    println!("\ndeployed and wired:");
    for (p, a) in &addresses {
        println!("   {:<19}{a}", p.package());
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks the installed cargo-stylus for each program's initcode (offline), prints its exact
/// size next to ours and returns any difference in format or module.
fn cargo_stylus_initcodes(
    plan: &deploy::Plan,
    wasms: &BTreeMap<Program, Vec<u8>>,
) -> Result<Vec<String>> {
    let root = scripts::workspace_root()?;
    let manifests = StylusManifests::ensure(&root)?;
    let mut problems = Vec::new();
    println!(
        "\n== initcode as cargo-stylus {CARGO_STYLUS_VERSION} builds it (`cargo stylus get-initcode`, offline)"
    );
    println!("{:<19}{:>14}{:>14}{:>8}  check", "program", "cargo-stylus B", "ours B", "diff");
    for d in &plan.deployments {
        let theirs = deploy::cargo_stylus_initcode(&root, d.program)?;
        let differences = deploy::compare_initcode(&theirs, &wasms[&d.program])?;
        let diff = theirs.len() as i64 - d.initcode_len as i64;
        let check = if differences.is_empty() {
            "same prelude, same module".to_string()
        } else {
            differences.join("; ")
        };
        println!(
            "{:<19}{:>14}{:>14}{:>+8}  {check}",
            d.program.package(),
            theirs.len(),
            d.initcode_len,
            diff
        );
        let code = theirs.len() - deploy::PRELUDE_LEN;
        if code > 24_576 {
            problems.push(format!(
                "{}: cargo-stylus's code is {code} B, over 24,576",
                d.program.package()
            ));
        }
        problems.extend(differences.into_iter().map(|x| format!("{}: {x}", d.program.package())));
    }
    drop(manifests);
    println!("(the difference: C brotli vs the brotli crate, and the project hash's 32 bytes)");
    Ok(problems)
}

fn report(problems: &[String]) -> ExitCode {
    if problems.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!("\nproblems (a real deploy would stop here):");
    for p in problems {
        eprintln!("  - {p}");
    }
    ExitCode::FAILURE
}

fn write_record(
    dir: &std::path::Path,
    addresses: &Addresses,
    record: &[(Program, Address, Option<B256>)],
) -> Result<()> {
    let programs: serde_json::Map<String, serde_json::Value> = addresses
        .iter()
        .map(|(p, a)| {
            let tx = record.iter().find(|(q, _, _)| q == p).and_then(|(_, _, h)| *h);
            (
                p.package().to_string(),
                serde_json::json!({ "address": a.to_checksum(None), "deploy_tx": tx.map(|h| h.to_string()) }),
            )
        })
        .collect();
    let path = dir.join("deployment.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&serde_json::Value::Object(programs))? + "\n",
    )
    .with_context(|| format!("writing {}", path.display()))
}
