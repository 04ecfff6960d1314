// The progress services: what the routes, the commands and the other services import. Each job
// in its own module of this folder (SQL in repository.ts):
// - access.ts: who may reach an update and do what with it (updateAccess, readUpdateAccess), the
//   fiche a partner may write on (reportingContext), /espace's pending updates, a discarded draft;
// - partner-form.ts: what the partner's form of a fiche shows (partnerFormContext);
// - published-values.ts: the published values shown beside an update (the fiche's, those replaced);
// - save.ts: saving a partner's update (saveProgressForm, saveProgressUpdate), its refusals;
// - comparison.ts: the stored update beside the typed one, as a refused save shows them;
// - withdrawal.ts: a submitted update taken back to draft, within the day's bound;
// - discard.ts: a draft never sent discarded for good;
// - review.ts: staff's review page and decision, validate or return;
// - fiche-status.ts: a fiche's status set by Lot numérique itself.
export {
	listPendingUpdates,
	readUpdateAccess,
	updateAccess,
	discardedWords,
	ownDiscardedDraft,
	type UpdateAction
} from './access';
export { partnerFormContext } from './partner-form';
export { publishedValuesOf, replacedValuesOf, type ShownReplacedValue } from './published-values';
export { saveProgressForm, saveProgressUpdate } from './save';
export { WITHDRAWALS_PER_DAY, withdrawProgressUpdate } from './withdrawal';
export { discardProgressDraft } from './discard';
export { reviewContext, reviewProgressUpdate } from './review';
export { setFicheStatus } from './fiche-status';
