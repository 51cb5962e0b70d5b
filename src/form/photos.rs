//! The photo of each slot: its worker job, the worker's typed answer, the upload-ready
//! image (an opaque handle `U`), and which slots hold the same photo.

use crate::checks::photo::{phash, Slot};
use crate::checks::Status;
use crate::protocol::{Checked, JobId, WorkerError};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The photo of one slot; `U` is the upload-ready image's handle.
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoEntry<U> {
    /// The worker job that checks it.
    pub job: JobId,
    /// The file name the shopper chose.
    pub name: String,
    pub state: PhotoState,
    /// The upload-ready image, once the worker has made it (after the verdicts).
    pub upload: Option<U>,
}

/// What is known of a photo's checks.
#[derive(Clone, Debug, PartialEq)]
pub enum PhotoState {
    /// Sent to the worker.
    Checking,
    /// Checked: a report (good or bad).
    Checked(Rc<Checked>),
    /// Could not be checked.
    Failed(WorkerError),
}

/// Everything one slot's card shows.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotView<U> {
    pub slot: Slot,
    pub entry: Option<PhotoEntry<U>>,
    /// See [`status`].
    pub status: Option<Status>,
    /// May stay empty.
    pub optional: bool,
    /// Another shown slot holding the same photo.
    pub duplicate_of: Option<Slot>,
}

/// For each of `slots` whose checked photo is the same as another of `slots`': that other
/// slot (the first one, in slot order).
#[must_use]
pub fn duplicates<U>(
    photos: &BTreeMap<Slot, PhotoEntry<U>>,
    slots: &[Slot],
) -> BTreeMap<Slot, Slot> {
    let hashes: Vec<_> = slots
        .iter()
        .filter_map(|&slot| match &photos.get(&slot)?.state {
            PhotoState::Checked(c) => Some((slot, c.hash)),
            _ => None,
        })
        .collect();
    let mut out = BTreeMap::new();
    for (a, b, _) in phash::duplicates(&hashes) {
        out.entry(a).or_insert(b);
        out.entry(b).or_insert(a);
    }
    out
}

/// Overall status of a slot's photo: `None` while empty or being checked. A photo that
/// could not be checked, or that duplicates another slot's, fails.
#[must_use]
pub fn status<U>(entry: Option<&PhotoEntry<U>>, duplicate: bool) -> Option<Status> {
    match &entry?.state {
        PhotoState::Checking => None,
        PhotoState::Failed(_) => Some(Status::Fail),
        PhotoState::Checked(_) if duplicate => Some(Status::Fail),
        PhotoState::Checked(c) => Some(c.report.status()),
    }
}
