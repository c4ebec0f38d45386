//! Prints the program's Solidity ABI (`cargo run -p accounting-oracle --features export-abi`).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Unused: a Stylus program has no `main`.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    accounting_oracle::print_from_args();
}
