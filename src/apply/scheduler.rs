//! Running a DAG of operations with bounded concurrency.
//!
//! An operation starts as soon as everything it depends on has succeeded and a slot is free,
//! so the run is bounded by the graph's critical path rather than by the number of
//! operations. When an operation fails, everything that depends on it (transitively) is
//! skipped, and everything independent of it still runs.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::Semaphore;
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
    let mut outcomes: Vec<Option<Outcome<E>>> = vec![None; count];
    let semaphore = Arc::new(Semaphore::new(parallelism.max(1)));
    let mut running: JoinSet<(usize, Result<(), E>)> = JoinSet::new();
    let mut ready: Vec<usize> = (0..count).filter(|&i| waiting[i] == 0).collect();
    // Start in index order for determinism of what starts first.
    ready.reverse();
    let mut finished = 0;
    loop {
        while let Some(i) = ready.pop() {
            let permit = semaphore
                .clone()
                .acquire_owned()
                .await
                .expect("semaphore is never closed");
            let fut = run(i);
            running.spawn(async move {
                let result = fut.await;
                drop(permit);
                (i, result)
            });
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        let (i, result) = match joined {
            Ok(r) => r,
            // A panicking operation is a bug; surface it rather than hang.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        };
        finished += 1;
        match result {
            Ok(()) => {
                outcomes[i] = Some(Outcome::Done);
                let mut newly: Vec<usize> = Vec::new();
                for &j in &dependents[i] {
                    waiting[j] -= 1;
                    if waiting[j] == 0 && outcomes[j].is_none() {
                        newly.push(j);
                    }
                }
                newly.sort_unstable_by(|a, b| b.cmp(a));
                ready.extend(newly);
            }
            Err(e) => {
                outcomes[i] = Some(Outcome::Failed(e));
                // Skip everything downstream.
                let mut stack = dependents[i].clone();
                while let Some(j) = stack.pop() {
                    if outcomes[j].is_none() {
                        outcomes[j] = Some(Outcome::Skipped { because: i });
                        finished += 1;
                        stack.extend(dependents[j].iter().copied());
                    }
                }
            }
        }
        if finished >= count && running.is_empty() {
            break;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
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
