//! The tenants both benchmarks measure, and CI's inputs for them.

use zave::RenderInputs;

/// The tenants under the `aws` profile: the example contract (postgres, metrics, tracing: the
/// largest tree a v1 contract produces, 31 files) and a minimal public HTTP service (18 files).
pub const TENANTS: [(&str, &[u8]); 2] = [
    (
        "example tenant",
        include_bytes!("../../../examples/zave.yaml"),
    ),
    (
        "minimal tenant",
        include_bytes!("../../../fixtures/contracts/platform/payments-api-minimal.yaml"),
    ),
];

/// What CI gives the render: a pinned image, a version and a bundle.
pub fn inputs() -> RenderInputs<'static> {
    RenderInputs {
        image: Some(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api@sha256:4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f",
        ),
        version: Some("sha-4f4f4f4"),
        bundle: Some("platform-2026.11"),
        flags: None,
        strict: false,
    }
}
