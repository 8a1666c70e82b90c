//! The dependency graph of resource instances.
//!
//! A node per resource instance; an edge `a -> b` when `a` depends on `b` (an attribute of `a`
//! refers to `b`, or `a` lists `b` in `depends_on`). Each edge remembers the span of the
//! reference that made it, so a cycle can be reported with every edge labelled at its source.

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::diagnostic::Diagnostics;
use crate::diagnostics::references;
use crate::lang::value::Value;
use crate::model::{Body, Manifest};
use crate::source::Span;

/// Why one resource depends on another.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The attribute (dotted path through nested blocks) holding the reference.
    pub attr: String,
    pub span: Span,
}

pub struct DepGraph {
    /// Node weights are indexes into `Manifest::resources`.
    pub graph: DiGraph<usize, Edge>,
    pub nodes: Vec<NodeIndex>,
}

impl DepGraph {
    pub fn build(manifest: &Manifest) -> DepGraph {
        let mut graph: DiGraph<usize, Edge> =
            DiGraph::with_capacity(manifest.resources.len(), manifest.resources.len() * 2);
        let nodes: Vec<NodeIndex> = (0..manifest.resources.len())
            .map(|i| graph.add_node(i))
            .collect();
        let index: HashMap<&str, NodeIndex> = manifest
            .resources
            .iter()
            .zip(&nodes)
            .map(|(r, n)| (r.address.as_str(), *n))
            .collect();
        for (i, resource) in manifest.resources.iter().enumerate() {
            let mut edges = Vec::new();
            collect_edges(&resource.body, "", &mut edges);
            for (target, edge) in edges {
                if let Some(&to) = index.get(target.as_str()) {
                    let from = nodes[i];
                    if !graph
                        .edges_connecting(from, to)
                        .any(|e| e.weight().attr == edge.attr)
                    {
                        graph.add_edge(from, to, edge);
                    }
                }
            }
        }
        DepGraph { graph, nodes }
    }

    /// Reports each cycle once, at the first resource of the cycle in source order, with a
    /// secondary label on every edge.
    pub fn report_cycles(&self, manifest: &Manifest, diags: &mut Diagnostics) {
        for scc in tarjan_scc(&self.graph) {
            let self_loop = scc.len() == 1 && self.graph.find_edge(scc[0], scc[0]).is_some();
            if scc.len() < 2 && !self_loop {
                continue;
            }
            let start = *scc
                .iter()
                .min_by_key(|n| self.graph[**n])
                .unwrap_or(&scc[0]);
            let cycle = self.find_cycle(start, &scc);
            let names: Vec<&str> = cycle
                .iter()
                .map(|(n, _)| manifest.resources[self.graph[*n]].address.as_str())
                .collect();
            let first = &manifest.resources[self.graph[start]];
            let mut chain = names.join(" -> ");
            chain.push_str(" -> ");
            chain.push_str(names[0]);
            let mut d = references::dependency_cycle(&chain, first.header_span());
            for (node, edge) in &cycle {
                let from = &manifest.resources[self.graph[*node]];
                let to = &manifest.resources
                    [self.graph[self.graph.edge_endpoints(*edge).map_or(*node, |(_, b)| b)]];
                let w = &self.graph[*edge];
                d = references::cycle_edge(d, &from.address, &to.address, &w.attr, w.span);
            }
            diags.push(d);
        }
    }

    /// A path from `start` back to itself inside the strongly connected component, as
    /// `(node, outgoing edge)` pairs.
    fn find_cycle(
        &self,
        start: NodeIndex,
        scc: &[NodeIndex],
    ) -> Vec<(NodeIndex, petgraph::graph::EdgeIndex)> {
        // Breadth-first search from start's successors back to start, staying in the SCC,
        // so the reported cycle is a shortest one.
        let mut prev: HashMap<NodeIndex, (NodeIndex, petgraph::graph::EdgeIndex)> = HashMap::new();
        let mut queue = std::collections::VecDeque::new();
        let mut edges: Vec<_> = self
            .graph
            .edges(start)
            .filter(|e| scc.contains(&e.target()))
            .collect();
        edges.sort_by_key(|e| (self.graph[e.target()], e.weight().span));
        for e in edges {
            if e.target() == start {
                return vec![(start, e.id())];
            }
            if let std::collections::hash_map::Entry::Vacant(v) = prev.entry(e.target()) {
                v.insert((start, e.id()));
                queue.push_back(e.target());
            }
        }
        while let Some(n) = queue.pop_front() {
            let mut edges: Vec<_> = self
                .graph
                .edges(n)
                .filter(|e| scc.contains(&e.target()))
                .collect();
            edges.sort_by_key(|e| (self.graph[e.target()], e.weight().span));
            for e in edges {
                if e.target() == start {
                    let mut path = vec![(n, e.id())];
                    let mut cur = n;
                    while cur != start {
                        let (p, pe) = prev[&cur];
                        path.push((p, pe));
                        cur = p;
                    }
                    path.reverse();
                    return path;
                }
                if let std::collections::hash_map::Entry::Vacant(v) = prev.entry(e.target()) {
                    v.insert((n, e.id()));
                    queue.push_back(e.target());
                }
            }
        }
        Vec::new()
    }

    /// `depends_on` entries must be references to resources.
    pub fn report_bad_depends_on(&self, manifest: &Manifest, diags: &mut Diagnostics) {
        for resource in &manifest.resources {
            let Some(attr) = resource.body.attr("depends_on") else {
                continue;
            };
            match &attr.value {
                Value::List(items) => {
                    for item in items {
                        match item {
                            Value::Ref(r) if r.attr.is_empty() => {}
                            Value::Map(m) if m.values().all(|v| matches!(v, Value::Ref(_))) => {}
                            Value::List(l) if l.iter().all(|v| matches!(v, Value::Ref(_))) => {}
                            Value::Unknown => {}
                            other => diags
                                .push(references::depends_on_entry(&describe(other), attr.span)),
                        }
                    }
                }
                Value::Unknown => {}
                _ => diags.push(references::depends_on_not_a_list(attr.span)),
            }
        }
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Ref(r) => format!("an attribute reference `{r}`"),
        other => format!("a {}", other.type_name()),
    }
}

fn collect_edges(body: &Body, prefix: &str, out: &mut Vec<(String, Edge)>) {
    for attr in body.attrs.values() {
        let name = if prefix.is_empty() {
            attr.name.clone()
        } else {
            format!("{prefix}.{}", attr.name)
        };
        for (reference, span) in &attr.deps {
            out.push((
                reference.address.clone(),
                Edge {
                    attr: name.clone(),
                    span: *span,
                },
            ));
        }
    }
    for block in &body.blocks {
        let name = match block.label() {
            Some(l) => format!(
                "{}{}.{l}",
                if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}.")
                },
                block.kind
            ),
            None => format!(
                "{}{}",
                if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}.")
                },
                block.kind
            ),
        };
        collect_edges(&block.body, &name, out);
    }
}
