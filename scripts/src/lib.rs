//! Build, process and size-gate the Stylus programs (in progress).
