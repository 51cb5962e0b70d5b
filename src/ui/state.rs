//! The form's reducer ([`crate::form`]) as Yew state: the upload handle is the browser's
//! prepared JPEG.

use super::photo_state::PreparedUpload;
use crate::form;
use std::rc::Rc;
use yew::Reducible;

/// The upload-ready image the page holds for a slot.
pub type Upload = Rc<PreparedUpload>;
pub type FormState = form::FormState<Upload>;
pub type Action = form::Action<Upload>;
pub type PhotoEntry = form::PhotoEntry<Upload>;
pub type SlotView = form::SlotView<Upload>;

impl Reducible for FormState {
    type Action = Action;

    /// Keeps the same `Rc` when nothing changed, so Yew does not render again.
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.next(action).map_or(self, Rc::new)
    }
}
