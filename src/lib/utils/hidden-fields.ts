/**
 * What a hidden field of a form is:
 * - `basis`: what the person saw when the page was drawn (a role, an invitation's end, the
 *   decisions listed), marked `data-basis`: the server refuses the form if it changed since, and a
 *   form that waited goes with what it held when pressed (enhance-once/form-basis.ts);
 * - `version`: the version of the record the form is based on, which a save moves on (the form
 *   drawn in a form's place holds the next);
 * - `target`: the record, row or item the form acts on (an id);
 * - `given`: a value the page sets, neither seen nor an id (a key, « oui », where to go next).
 */
export type HiddenFieldRole = 'basis' | 'version' | 'target' | 'given';

/** A hidden field: its role, and where a form shows a control of the same name, if one does. */
export interface HiddenField {
	role: HiddenFieldRole;
	/** The visible control of that name in another form: a message of it is linked to (ErrorSummary). */
	control?: string;
}

/**
 * Every hidden field of the portal's forms, by its name as its page writes it, with its role: the
 * summary of a refused form says their messages as text, having no control to link to
 * (ErrorSummary); a form waiting for another's answer keeps the `basis` and `target` ones as they
 * were and takes the next `version` (enhance-once/form-basis.ts); architecture.spec.ts fails for a hidden
 * field of a page not named here, or whose `data-basis` mark disagrees with its role. A name that
 * begins with `shown` (`shown_place`, `shownUntil`) is a `basis` without being listed (hiddenField).
 */
export const HIDDEN_FIELDS: Readonly<Record<string, HiddenField>> = {
	/** The record's version: taken when the person's own save wrote it (ownVersion). */
	version: { role: 'version' },
	/** Moves with the version (OwnSaves). */
	seen_revision: { role: 'version' },
	/** The version seen on the conflict screen, sent by « Enregistrer ma version à la place ». */
	replace_version: { role: 'basis' },
	digest: { role: 'basis' },
	convened_at: { role: 'basis' },
	decisions: { role: 'basis' },
	currentRole: { role: 'basis' },
	currentOrganisationId: { role: 'basis' },
	based_on: { role: 'basis' },
	based_on_year: { role: 'basis' },
	userId: { role: 'target', control: 'the séance’s « Membre présent », a list to choose from' },
	itemId: { role: 'target' },
	decisionId: { role: 'target' },
	attendeeId: { role: 'target' },
	/** The indicator a row of the fiche's form edits, its name written by indicatorRowField. */
	"{indicatorRowField(i, 'id')}": { role: 'target' },
	/** The file kept for the import's confirmation (its digest is the basis). */
	token: { role: 'given' },
	/** The name of the file imported, said in its revisions. */
	fileName: { role: 'given' },
	/** Always « oui »: the confirmation asked for. */
	confirm: { role: 'given', control: 'the box to tick of ConfirmBox' },
	/** Where the sign-in leads. */
	redirectTo: { role: 'given' },
	/** The update's own key, against sending it twice. */
	submission_key: { role: 'given' },
	/** The key of the new update « Enregistrer ma saisie comme nouvelle mise à jour » creates. */
	new_submission_key: { role: 'given' },
	/** A mail preference the role is never written to, sent as it is (/compte). */
	'{category}': { role: 'given', control: 'its box to tick on /compte' }
};

/** The hidden field `name` (HIDDEN_FIELDS), or undefined for a field that is never hidden. */
export function hiddenField(name: string): HiddenField | undefined {
	if (Object.hasOwn(HIDDEN_FIELDS, name)) return HIDDEN_FIELDS[name];
	return /^shown(_|[A-Z]|$)/.test(name) ? { role: 'basis' } : undefined;
}
