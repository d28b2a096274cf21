//! The migration graph of one app: every parent exists, there is no cycle, and the leaves
//! (migrations nothing depends on) and a dependency order can be read off it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{Migration, MigrationError, read_dir};

/// A checked graph: every `depends_on` names a migration of the graph, and following
/// `depends_on` never comes back. More than one leaf is allowed here, as it is in
/// Django's loader; refusing it is the job of [`super::check`].
#[derive(Debug, Clone)]
pub struct Graph {
    app: String,
    /// By name, so every walk over the graph is in a stable order.
    migrations: BTreeMap<String, Migration>,
}

impl Graph {
    /// Reads the migration files of `dir` into the graph of `app`.
    pub fn load(app: &str, dir: &Path) -> Result<Self, MigrationError> {
        Self::new(app, read_dir(dir)?)
    }

    /// Checks `migrations` (names already unique) and builds the graph.
    pub fn new(app: &str, migrations: Vec<Migration>) -> Result<Self, MigrationError> {
        let migrations: BTreeMap<String, Migration> = migrations
            .into_iter()
            .map(|m| (m.name.clone(), m))
            .collect();
        for m in migrations.values() {
            if let Some(parent) = m.depends_on.iter().find(|p| !migrations.contains_key(*p)) {
                return Err(MigrationError::MissingParent {
                    migration: m.name.clone(),
                    parent: parent.clone(),
                });
            }
        }
        let graph = Self {
            app: app.to_owned(),
            migrations,
        };
        if let Some(path) = graph.find_cycle() {
            return Err(MigrationError::Cycle { path });
        }
        Ok(graph)
    }

    /// The app label, as Django's messages name it.
    pub fn app(&self) -> &str {
        &self.app
    }

    /// How many migrations the graph holds.
    pub fn len(&self) -> usize {
        self.migrations.len()
    }

    /// Whether the graph holds no migration.
    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }

    /// The migration called `name`.
    pub fn get(&self, name: &str) -> Option<&Migration> {
        self.migrations.get(name)
    }

    /// Every name, sorted.
    pub fn names(&self) -> Vec<String> {
        self.migrations.keys().cloned().collect()
    }

    /// The migrations no other migration depends on, sorted by name. A healthy app has
    /// exactly one (or none, before its first migration).
    pub fn leaves(&self) -> Vec<String> {
        let parents: BTreeSet<&str> = self
            .migrations
            .values()
            .flat_map(|m| m.depends_on.iter().map(String::as_str))
            .collect();
        self.migrations
            .keys()
            .filter(|name| !parents.contains(name.as_str()))
            .cloned()
            .collect()
    }

    /// Every migration after all of its parents; among the ready ones, the smallest name
    /// first, so the order is the same on every machine.
    pub fn order(&self) -> Vec<&Migration> {
        let mut waiting: BTreeMap<&str, usize> = self
            .migrations
            .values()
            .map(|m| (m.name.as_str(), m.depends_on.len()))
            .collect();
        let mut ready: BTreeSet<&str> = waiting
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(name, _)| *name)
            .collect();
        let mut order = Vec::with_capacity(self.migrations.len());
        while let Some(name) = ready.pop_first() {
            order.push(&self.migrations[name]);
            for child in self.migrations.values() {
                // A parent listed twice counts twice, on both sides.
                for _ in child.depends_on.iter().filter(|p| *p == name) {
                    let n = waiting
                        .get_mut(child.name.as_str())
                        .expect("every migration is counted");
                    *n -= 1;
                    if *n == 0 {
                        ready.insert(child.name.as_str());
                    }
                }
            }
        }
        // `new` refused cycles, so every migration came out.
        debug_assert_eq!(order.len(), self.migrations.len());
        order
    }

    /// A cycle along `depends_on`, as the names on it with the first repeated at the end.
    fn find_cycle(&self) -> Option<Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            OnPath,
            Done,
        }
        let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
        for start in self.migrations.keys() {
            if marks.contains_key(start.as_str()) {
                continue;
            }
            // An explicit stack of (node, index of the next parent to visit): migration
            // chains can be long, recursion depth should not depend on the input.
            let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
            marks.insert(start, Mark::OnPath);
            while let Some(&(node, next)) = stack.last() {
                let Some(parent) = self.migrations[node].depends_on.get(next) else {
                    marks.insert(node, Mark::Done);
                    stack.pop();
                    continue;
                };
                stack.last_mut().expect("the stack is not empty").1 += 1;
                match marks.get(parent.as_str()) {
                    Some(Mark::Done) => {}
                    Some(Mark::OnPath) => {
                        let from = stack
                            .iter()
                            .position(|(n, _)| *n == parent)
                            .expect("a node on the path is on the stack");
                        let mut path: Vec<String> =
                            stack[from..].iter().map(|(n, _)| (*n).to_owned()).collect();
                        path.push(parent.clone());
                        return Some(path);
                    }
                    None => {
                        marks.insert(parent, Mark::OnPath);
                        stack.push((parent, 0));
                    }
                }
            }
        }
        None
    }
}
