//! Prints the program's Solidity ABI (`cargo run -p deposit-pool --features export-abi`).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    deposit_pool::print_from_args();
}

/// Without `export-abi` there is nothing to print.
#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
pub extern "C" fn main() {}
