//! Embedded Stylus host (in progress).
