//! The stages of `src/` form a one-way order: a module may use its own stage and the
//! stages below it, never one above. This test reads every source file (test modules
//! excepted) and names each `crate::…` path that reaches upward.

use std::path::Path;

/// The stages, lowest first (as `src/lib.rs` lists them).
const STAGES: [&str; 11] =
    ["base", "formats", "load", "compute", "markdown", "check", "search", "render", "build", "serve", "cli"];

fn rank(stage: &str) -> Option<usize> {
    STAGES.iter().position(|s| *s == stage)
}

/// The code of a file before its test module, line by line.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().take_while(|(_, l)| l.trim() != "#[cfg(test)]").map(|(i, l)| (i + 1, l))
}

/// Every stage a line names as `crate::STAGE`.
fn stages_named(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("crate::")
        .filter(|(i, _)| !code[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .filter_map(|(i, m)| {
            let rest = &code[i + m.len()..];
            let name = &rest[..rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len())];
            rank(name).map(|_| name)
        })
        .collect()
}

#[test]
fn no_stage_uses_a_stage_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut upward = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if !rel.ends_with(".rs") || !rel.contains('/') {
            continue; // lib.rs and main.rs stand above every stage.
        }
        let own = rel.split('/').next().unwrap();
        let own_rank = rank(own).unwrap_or_else(|| panic!("src/{rel} is in no stage: add `{own}` to STAGES"));
        files += 1;
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (n, line) in code_lines(&text) {
            for stage in stages_named(line) {
                if rank(stage).unwrap() > own_rank {
                    upward.push(format!("src/{rel}:{n}: `{own}` uses `{stage}`: {}", line.trim()));
                }
            }
        }
    }
    assert!(files > 30, "only {files} source files found under src/");
    assert!(upward.is_empty(), "imports that reach a stage above their own:\n{}", upward.join("\n"));
}

#[test]
fn the_reader_recognises_upward_paths() {
    assert_eq!(stages_named("use crate::build::output::OutputFile;"), ["build"]);
    assert_eq!(stages_named("let x = crate::base::date::Date::parse(s); // crate::cli"), ["base"]);
    assert!(stages_named("use mycrate::build::x;").is_empty());
    let text = "use crate::load::data;\n#[cfg(test)]\nmod tests { use crate::cli; }\n";
    let lines: Vec<(usize, &str)> = code_lines(text).collect();
    assert_eq!(lines, [(1, "use crate::load::data;")]);
}
