import { z } from 'zod';
import {
	confirmField,
	optionalNumberField,
	refuseMixedScripts,
	textField,
	versionField
} from './form';
import { ORGANISATION_KINDS } from '../utils/vocabulary';
import { ID_PATTERN } from '../utils/text';
import {
	holdsListSeparator,
	LIST_SEPARATOR_REASON,
	REVISION_FIELDS,
	revisionShape,
	text
} from './plan-edit';

/** Asked of a name left empty or of fewer than 2 characters (as a person counts them). */
const NAME_ASKED = 'Indiquez le nom de l’organisation.';

export const ORGANISATION_FIELDS = ['name', 'full_name', 'kind', ...REVISION_FIELDS] as const;
export const OrganisationSchema = z.object({
	name: textField('Le nom', 120, {
		line: true,
		min: 2,
		missing: NAME_ASKED,
		short: NAME_ASKED
	})
		.refine((v) => !holdsListSeparator(v), `Le nom ne peut pas contenir ${LIST_SEPARATOR_REASON}.`)
		.superRefine(refuseMixedScripts),
	full_name: text('Le nom complet', 300, { line: true }),
	kind: z.enum(ORGANISATION_KINDS, { error: 'Choisissez la nature dans la liste.' }),
	...revisionShape
});

export const ORGANISATION_EDIT_FIELDS = [
	...ORGANISATION_FIELDS,
	'version',
	'seen_revision'
] as const;
/** `seen_revision`: the organisation's last revision when the form was opened ('' on a page from before it). */
export const OrganisationEditSchema = OrganisationSchema.extend({
	version: versionField,
	seen_revision: optionalNumberField
});

/** A merge cannot be undone: as closing a campaign, a box to tick first. */
const MERGE_UNCONFIRMED = 'Cochez la case pour confirmer la fusion : une fusion ne se défait pas.';

export const MERGE_FIELDS = ['into', 'version', 'confirm', ...REVISION_FIELDS] as const;
export const MergeSchema = z.object({
	into: z
		.string()
		.regex(ID_PATTERN, 'Choisissez l’organisation qui reste dans la liste.')
		.transform(Number),
	version: versionField,
	confirm: confirmField(MERGE_UNCONFIRMED),
	...revisionShape
});
