// `use:enhanceOnce`: SvelteKit's `use:enhance`, one submission at a time per form, the typing
// kept whatever the answer. What the pages import; each job in its own module of this folder:
// - send-once.ts: enhanceOnce, a form sent one at a time, waiting for the page's other forms
//   under way, and its answer applied;
// - held-fields.ts: the form's fields held while it is under way (holdFields);
// - form-basis.ts: what a form that waited goes with (the version and the fields marked
//   `data-basis` its own saves wrote, the form drawn in its place);
// - page-data-read.ts: the page's data read again after an answer, a failing read kept from
//   SvelteKit's whole-page reload (readingPageData; SvelteKit's internals it relies on);
// - alerts.ts: the French alert of a form whose answer did nothing, the typing of a form gone
//   shown back, the alerts left behind outside any form (removeLeftBehind);
// - focus.ts: where the focus goes after an answer, never taken from a person who moved it;
// - read-again.ts: the submit functions that read the page's data again after a refusal;
// - passwords.ts: the submit function of the forms that set a password (their fields emptied on a
//   refusal, as without script).
export { enhanceOnce } from './send-once';
export { forgetPasswordsOnRefusal } from './passwords';
export { removeLeftBehind } from './alerts';
export {
	readAgainOnConflict,
	readAgainOnRefusal,
	readAgainOnRefusalThen,
	readAgainWhenGone
} from './read-again';
