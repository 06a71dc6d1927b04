//! Holds the code to ARCHITECTURE.md's first rule: no stage reaches back. Reads `src/`, takes
//! every `crate::` and `super::` path of the code outside tests as an edge from its module to the
//! module it names, and fails on a cycle between the top-level modules or between the files
//! of one folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every module of `src/` by its path (`site/api.rs` → `["site", "api"]`), with its text.
fn modules(dir: &Path, prefix: &[String], out: &mut BTreeMap<Module, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let mut module = prefix.to_vec();
        if path.is_dir() {
            module.push(name);
            modules(&path, &module, out);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            if !matches!(stem, "mod" | "lib" | "main") {
                module.push(stem.to_owned());
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code: String =
                text.lines().map(|l| l.split("//").next().unwrap()).collect::<Vec<_>>().join("\n");
            out.entry(module).or_default().push_str(&without_test_modules(&code));
        }
    }
}

/// `code` without its inline test modules (`#[cfg(test)] mod tests { … }`), whatever follows them.
fn without_test_modules(code: &str) -> String {
    const START: &str = "#[cfg(test)]\nmod ";
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find(START) {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        match after.find(['{', ';']) {
            Some(open) if after.as_bytes()[open] == b'{' => {
                let close = matching(&after[open..]).map_or(after.len(), |end| open + end + 1);
                rest = &after[close..];
            }
            // `mod tests;`: its own file, scanned as a module of its own.
            Some(semicolon) => rest = &after[semicolon + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Where the brace that opens `text` closes, if it does.
fn matching(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The paths a use tree names: `a::{b, c::{d, e}}` names `a::b`, `a::c::d` and `a::c::e`.
fn use_tree(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else { return vec![tree.to_owned()] };
    let (prefix, group) = (&tree[..open], &tree[open..]);
    let inner = &group[1..matching(group).unwrap_or(group.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&inner[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().flat_map(use_tree).map(|path| format!("{prefix}{path}")).collect()
}

/// The paths after `crate::` or `super::` in `code`, each as its segments from the crate root.
fn paths(module: &[String], code: &str) -> Vec<Module> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for (at, _) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        if at > 0 && ident(bytes[at - 1] as char) {
            continue;
        }
        let mut base: Module = if code[at..].starts_with("crate::") { Vec::new() } else { module.to_vec() };
        let mut rest = &code[at..];
        if rest.starts_with("crate::") {
            rest = &rest["crate::".len()..];
        } else {
            while let Some(after) = rest.strip_prefix("super::") {
                base.pop();
                rest = after;
            }
        }
        let head: String = rest.chars().take_while(|&c| ident(c) || c == ':').collect();
        let groups: Vec<String> = if rest[head.len()..].starts_with('{') {
            let tree = &rest[..matching(&rest[head.len()..]).map_or(rest.len(), |end| head.len() + end + 1)];
            use_tree(tree)
        } else {
            vec![head]
        };
        for path in groups {
            let mut full = base.clone();
            full.extend(
                path.split("::").filter(|s| !s.is_empty() && s.chars().all(ident)).map(str::to_owned),
            );
            found.push(full);
        }
    }
    found
}

/// The edges between siblings: for each path, the child of the closest common folder on each side.
fn edges(sources: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<String>> {
    let known: BTreeSet<&Module> = sources.keys().collect();
    let mut graph: BTreeMap<Module, BTreeSet<String>> = BTreeMap::new();
    for (from, code) in sources {
        for path in paths(from, code) {
            let to = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|m| known.contains(m))
                .unwrap_or_default();
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common < from.len() && common < to.len() {
                let mut key = from[..common].to_vec();
                key.push(from[common].clone());
                graph.entry(key).or_default().insert(to[common].clone());
            }
        }
    }
    graph
}

/// A cycle of `graph`, as the names along it, if there is one.
fn cycle(graph: &BTreeMap<Module, BTreeSet<String>>) -> Option<Vec<Module>> {
    fn visit(
        node: &Module,
        graph: &BTreeMap<Module, BTreeSet<String>>,
        path: &mut Vec<Module>,
        done: &mut BTreeSet<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            return Some(path[at..].to_vec());
        }
        if !done.insert(node.clone()) {
            return None;
        }
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            let mut sibling = node[..node.len() - 1].to_vec();
            sibling.push(next.clone());
            if let Some(found) = visit(&sibling, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_reaches_back() {
    let mut sources = BTreeMap::new();
    modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &[], &mut sources);
    let graph = edges(&sources);
    assert!(
        graph.get(&vec!["site".to_owned()]).is_some_and(|to| to.contains("content")),
        "the scan sees `site` use `content`"
    );
    assert_eq!(cycle(&graph), None, "modules that depend on each other");
}

#[test]
fn a_cycle_is_found() {
    let mut sources = BTreeMap::new();
    sources.insert(vec!["a".to_owned()], "use crate::b::X;".to_owned());
    sources.insert(vec!["b".to_owned()], "fn f() { crate::a::g() }".to_owned());
    sources.insert(vec!["c".to_owned(), "d".to_owned()], "use super::{f::{G, H}, e};".to_owned());
    sources.insert(vec!["c".to_owned(), "e".to_owned()], "use super::d::Y;".to_owned());
    let graph = edges(&sources);
    assert_eq!(cycle(&graph), Some(vec![vec!["a".to_owned()], vec!["b".to_owned()]]));
    sources.remove(&vec!["b".to_owned()]);
    let graph = edges(&sources);
    assert_eq!(
        cycle(&graph),
        Some(vec![vec!["c".to_owned(), "d".to_owned()], vec!["c".to_owned(), "e".to_owned()]])
    );
}

#[test]
fn use_trees_and_test_modules_are_read_whole() {
    assert_eq!(use_tree("a::{b, c::{d, e}, f}"), ["a::b", "a::c::d", "a::c::e", "a::f"]);
    let code = "use crate::a::X;\n#[cfg(test)]\nmod tests {\n    fn f() { if x { crate::b::y() } }\n}\nuse crate::c::Z;\n";
    let module = vec!["m".to_owned()];
    let names = |code: &str| paths(&module, code).into_iter().map(|p| p.join("::")).collect::<Vec<_>>();
    assert_eq!(names(&without_test_modules(code)), ["a::X", "c::Z"]);
    assert_eq!(names("use crate::{a::{X, Y}, b::Z};"), ["a::X", "a::Y", "b::Z"]);
}
