//! Renders the example contract many times, for a profiler.
fn main() {
    let source = include_bytes!("../../examples/zave.yaml");
    let profile = zave::Profile::builtin("aws").expect("aws");
    let inputs = zave::RenderInputs {
        image: Some("123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api:1.0"),
        ..Default::default()
    };
    let mut total = 0;
    for _ in 0..2000 {
        total += zave::render(source, profile, inputs)
            .expect("renders")
            .files
            .len();
    }
    println!("{total}");
}
