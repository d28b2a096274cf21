//! A value one step of a session leaves for a later step (what the read saw, what the
//! customer was told), shared between the step closures and the code that reads the
//! result after the permutation.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A shared cell: clone it into every step that reads or writes it.
#[derive(Debug, Default)]
pub struct Slot<T> {
    inner: Arc<Mutex<T>>,
}

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> Slot<T> {
    /// A slot holding `value`.
    pub fn new(value: T) -> Self {
        Self {
            inner: Arc::new(Mutex::new(value)),
        }
    }

    /// Replaces the value.
    pub fn set(&self, value: T) {
        *self.lock() = value;
    }

    /// A copy of the value.
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.lock().clone()
    }

    /// Takes the value, leaving the default.
    pub fn take(&self) -> T
    where
        T: Default,
    {
        std::mem::take(&mut *self.lock())
    }

    // A step that panicked poisons the mutex; the value it left is still the best
    // evidence of what happened, so it is read anyway.
    fn lock(&self) -> MutexGuard<'_, T> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::Slot;

    #[test]
    fn a_clone_sees_what_the_other_set() {
        let slot = Slot::new(0);
        let writer = slot.clone();
        writer.set(7);
        assert_eq!(slot.get(), 7);
        assert_eq!(slot.take(), 7);
        assert_eq!(slot.get(), 0);
    }
}
