//! The hand-maintained interfaces against stylus-sdk's own export, run live: each program's
//! `cargo run -p <package> --features export-abi` (and `-- constructor`, which cargo-stylus
//! runs to find the constructor it calls at deployment). Builds each program natively with
//! `export-abi` (about 30 s warm for all five).

use scripts::abi_export::{self, constructor_types, missing_from_interface, same_constructor};
use scripts::deploy::Program;

#[test]
fn every_function_and_error_the_sdk_exports_is_in_the_interface() {
    // Given each program's SDK export and its hand-maintained interface,
    let mut missing = Vec::new();
    for program in Program::DEPLOY_ORDER {
        let exported = abi_export::sdk_export(program.package()).expect("export-abi runs");
        let interface = abi_export::load(program.package()).expect("interface parses");
        // when compared by selector, then nothing the SDK exports is missing by hand.
        if let Some(sdk) = &exported.abi {
            for item in missing_from_interface(sdk, &interface.abi) {
                missing.push(format!(
                    "{}: {item} (add it to {})",
                    program.package(),
                    interface.source.display()
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn sdk_constructor_export_is_the_constructor_the_deploy_plan_encodes() {
    // Given what `-- constructor` prints for each program (cargo-stylus deploys a program
    // WITHOUT running its constructor when this prints no `constructor(...)` line),
    let mut wrong = Vec::new();
    for program in Program::DEPLOY_ORDER {
        let exported = abi_export::sdk_export(program.package()).expect("export-abi runs");
        let expected = program.constructor().expect("signature parses");
        // when compared with the plan's constructor, then the types agree.
        match exported.constructor {
            Some(c) if same_constructor(&c, &expected) => {}
            Some(c) => wrong.push(format!(
                "{}: exports {}, the plan encodes {}",
                program.package(),
                constructor_types(&c),
                constructor_types(&expected)
            )),
            None => wrong.push(format!(
                "{}: `cargo run -p {} --features export-abi -- constructor` prints {:?} instead of \
                 `{}`; its main.rs must answer the `constructor` argument (the SDK's \
                 print_from_args does), or cargo-stylus deploys it without its constructor",
                program.package(),
                program.package(),
                exported.constructor_text.lines().next().unwrap_or(""),
                constructor_types(&expected)
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
