#[test]
fn stem_dump() {
    if let Ok(path) = std::env::var("STEM_DUMP") {
        let words = std::fs::read_to_string(&path).unwrap();
        let out: Vec<String> =
            words.lines().map(|w| format!("{w} {}", super::stem::stem(w))).collect();
        std::fs::write(format!("{path}.rust"), out.join("\n") + "\n").unwrap();
    }
}
