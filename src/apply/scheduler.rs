//! Running a DAG of operations with bounded concurrency.
//!
//! An operation starts as soon as everything it depends on has succeeded and a slot is free,
//! so the run is bounded by the graph's critical path rather than by the number of
//! operations. When an operation fails, everything that depends on it (transitively) is
//! skipped, and everything independent of it still runs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;

use tokio::task::JoinSet;

/// How one operation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<E> {
    Done,
    Failed(E),
    /// Not attempted because the operation at this index (the failure upstream) failed.
    Skipped {
        because: usize,
    },
}

/// Runs `count` operations; `deps[i]` lists the operations `i` waits for. `run(i)` performs
/// operation `i`. `on_start` is called when an operation starts (for progress display).
pub async fn run_dag<E, F, Fut>(
    count: usize,
    deps: &[Vec<usize>],
    parallelism: usize,
    run: F,
) -> Vec<Outcome<E>>
where
    E: Clone + Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
{
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut waiting: Vec<usize> = vec![0; count];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            if d < count && d != i {
                dependents[d].push(i);
                waiting[i] += 1;
            }
        }
    }
    let priority = chain_lengths(&dependents, &waiting);
    let mut outcomes: Vec<Option<Outcome<E>>> = vec![None; count];
    let mut running: JoinSet<(usize, Result<(), E>)> = JoinSet::new();
    // Ready operations, longest remaining chain first (then lowest index): starting the
    // critical path early is what keeps the run close to its length.
    let mut ready: BinaryHeap<(usize, Reverse<usize>)> = (0..count)
        .filter(|&i| waiting[i] == 0)
        .map(|i| (priority[i], Reverse(i)))
        .collect();
    let slots = parallelism.max(1);
    loop {
        while running.len() < slots
            && let Some((_, Reverse(i))) = ready.pop()
        {
            let fut = run(i);
            running.spawn(async move { (i, fut.await) });
        }
        // Every completion is handled as soon as it happens, so its dependents compete for
        // the next free slot.
        let Some(joined) = running.join_next().await else {
            break;
        };
        let (i, result) = match joined {
            Ok(r) => r,
            // A panicking operation is a bug; surface it rather than hang.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        };
        match result {
            Ok(()) => {
                outcomes[i] = Some(Outcome::Done);
                for &j in &dependents[i] {
                    waiting[j] -= 1;
                    if waiting[j] == 0 && outcomes[j].is_none() {
                        ready.push((priority[j], Reverse(j)));
                    }
                }
            }
            Err(e) => {
                outcomes[i] = Some(Outcome::Failed(e));
                // Skip everything downstream.
                let mut stack = dependents[i].clone();
                while let Some(j) = stack.pop() {
                    if outcomes[j].is_none() {
                        outcomes[j] = Some(Outcome::Skipped { because: i });
                        stack.extend(dependents[j].iter().copied());
                    }
                }
            }
        }
    }
    outcomes
        .into_iter()
        .enumerate()
        // A dependency cycle leaves operations that never became ready; report them as
        // skipped behind themselves (the graph is checked for cycles before this runs).
        .map(|(i, o)| o.unwrap_or(Outcome::Skipped { because: i }))
        .collect()
}

/// For each operation, the number of operations on the longest chain that starts with it
/// (its own included): the scheduling priority.
fn chain_lengths(dependents: &[Vec<usize>], waiting: &[usize]) -> Vec<usize> {
    // Topological order (Kahn), then lengths from the sinks backwards.
    let n = dependents.len();
    let mut indegree = waiting.to_vec();
    let mut order: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut k = 0;
    while k < order.len() {
        let i = order[k];
        k += 1;
        for &j in &dependents[i] {
            indegree[j] -= 1;
            if indegree[j] == 0 {
                order.push(j);
            }
        }
    }
    let mut length = vec![1; n];
    for &i in order.iter().rev() {
        length[i] = 1 + dependents[i].iter().map(|&j| length[j]).max().unwrap_or(0);
    }
    length
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn respects_dependencies_and_runs_independent_work_concurrently() {
        // 0 -> {1, 2, 3} -> 4; each takes 50 ms; parallelism 3: about 150 ms, not 250.
        let deps = vec![vec![], vec![0], vec![0], vec![0], vec![1, 2, 3]];
        let order = Arc::new(Mutex::new(Vec::new()));
        let start = Instant::now();
        let o = order.clone();
        let outcomes = run_dag::<String, _, _>(5, &deps, 3, move |i| {
            let o = o.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                o.lock().unwrap().push(i);
                Ok(())
            }
        })
        .await;
        let elapsed = start.elapsed();
        assert!(outcomes.iter().all(|o| *o == Outcome::Done));
        let order = order.lock().unwrap().clone();
        assert_eq!(order[0], 0);
        assert_eq!(order[4], 4);
        assert!(elapsed < Duration::from_millis(240), "took {elapsed:?}");
    }

    #[tokio::test]
    async fn a_failure_skips_dependents_only() {
        let deps = vec![vec![], vec![0], vec![1], vec![]];
        let outcomes = run_dag::<String, _, _>(4, &deps, 2, |i| async move {
            if i == 0 {
                Err("boom".to_string())
            } else {
                Ok(())
            }
        })
        .await;
        assert_eq!(outcomes[0], Outcome::Failed("boom".into()));
        assert_eq!(outcomes[1], Outcome::Skipped { because: 0 });
        // Skips name the failure that caused them, not the skipped operation in between.
        assert_eq!(outcomes[2], Outcome::Skipped { because: 0 });
        assert_eq!(outcomes[3], Outcome::Done);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_critical_path_starts_first() {
        // A chain of 6 and 30 independent tasks, parallelism 3: the chain's head must start
        // in the first wave, and each link as soon as the one before it is done (ahead of
        // the independent tasks still waiting). Observed through the start order, not the
        // wall clock, so a loaded machine cannot make it flaky.
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); 30];
        for k in 0..6 {
            deps.push(if k == 0 { Vec::new() } else { vec![30 + k - 1] });
        }
        // (task, started?) in the order they happened.
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let outcomes = run_dag::<String, _, _>(deps.len(), &deps, 3, |i| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push((i, true));
                tokio::time::sleep(Duration::from_millis(10)).await;
                log.lock().unwrap().push((i, false));
                Ok(())
            }
        })
        .await;
        assert!(outcomes.iter().all(|o| *o == Outcome::Done));
        let log = log.lock().unwrap().clone();
        let starts: Vec<usize> = log.iter().filter(|e| e.1).map(|e| e.0).collect();
        assert!(
            starts[..3].contains(&30),
            "the chain's head starts first: {starts:?}"
        );
        // While a link has a longer chain ahead of it than any independent task, it is among
        // the tasks started as soon as the link before it is done (a start is logged when its
        // task is first polled, so those of one scheduling round may be logged in any order).
        for k in 1..5 {
            let done = log.iter().position(|&e| e == (30 + k - 1, false)).unwrap();
            let next: Vec<usize> = log[done..]
                .iter()
                .filter(|e| e.1)
                .map(|e| e.0)
                .take(3)
                .collect();
            assert!(next.contains(&(30 + k)), "link {k} waited: {log:?}");
        }
        assert_eq!(
            chain_lengths(&[vec![1], vec![2], vec![]], &[0, 1, 1]),
            vec![3, 2, 1]
        );
    }

    #[tokio::test]
    async fn parallelism_bounds_concurrency() {
        let live = Arc::new(Mutex::new((0usize, 0usize)));
        let l = live.clone();
        let deps = vec![Vec::new(); 12];
        run_dag::<String, _, _>(12, &deps, 4, move |_| {
            let l = l.clone();
            async move {
                {
                    let mut g = l.lock().unwrap();
                    g.0 += 1;
                    g.1 = g.1.max(g.0);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
                l.lock().unwrap().0 -= 1;
                Ok(())
            }
        })
        .await;
        assert_eq!(live.lock().unwrap().1, 4);
    }
}
