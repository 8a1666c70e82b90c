//! The dependency graph as Graphviz DOT or Mermaid (`amlplan graph`).
//!
//! Nodes are plan entries (resources, their child resources and implicit resources); an edge
//! `a -> b` means `a` is created after `b` (and deleted before it).

use std::fmt::Write;

use crate::arm::Desired;

fn sorted_edges(desired: &[Desired]) -> Vec<(&str, &str)> {
    let known: std::collections::HashSet<&str> =
        desired.iter().map(|d| d.address.as_str()).collect();
    let mut edges: Vec<(&str, &str)> = desired
        .iter()
        .flat_map(|d| {
            d.depends_on
                .iter()
                .filter(|t| known.contains(t.as_str()))
                .map(move |t| (d.address.as_str(), t.as_str()))
        })
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

pub fn dot(desired: &[Desired]) -> String {
    let mut out = String::from(
        "digraph amlplan {\n  rankdir = \"RL\";\n  node [shape = box, fontname = \"Helvetica\"];\n",
    );
    let mut nodes: Vec<&Desired> = desired.iter().collect();
    nodes.sort_by(|a, b| a.address.cmp(&b.address));
    for d in &nodes {
        let style = if d.implicit { ", style = dashed" } else { "" };
        let _ = writeln!(
            out,
            "  {:?} [label = {:?}{style}];",
            d.address,
            format!("{}\n({})", d.address, d.kind)
        );
    }
    for (from, to) in sorted_edges(desired) {
        let _ = writeln!(out, "  {from:?} -> {to:?};");
    }
    out.push_str("}\n");
    out
}

pub fn mermaid(desired: &[Desired]) -> String {
    let mut out = String::from("flowchart RL\n");
    let mut nodes: Vec<&Desired> = desired.iter().collect();
    nodes.sort_by(|a, b| a.address.cmp(&b.address));
    let ids: std::collections::HashMap<&str, String> = nodes
        .iter()
        .enumerate()
        .map(|(i, d)| (d.address.as_str(), format!("n{i}")))
        .collect();
    for d in &nodes {
        let label = format!("{}<br/>({})", d.address, d.kind).replace('"', "#quot;");
        let (open, close) = if d.implicit { ("([", "])") } else { ("[", "]") };
        let _ = writeln!(out, "  {}{open}\"{label}\"{close}", ids[d.address.as_str()]);
    }
    for (from, to) in sorted_edges(desired) {
        let _ = writeln!(out, "  {} --> {}", ids[from], ids[to]);
    }
    out
}
