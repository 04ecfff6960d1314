import { z } from 'zod';
import { parisYear } from '../utils/dates';
import { isIsoDate, textField } from './form';

/** The plan was adopted in 2018-2019: no edition reports on an earlier year. */
const FIRST_EDITION_YEAR = 2018;

/** Why a year is refused for a new edition, `last` being the current year. */
export function editionYearMessage(last: number): string {
	return `L’année doit être comprise entre ${FIRST_EDITION_YEAR} et ${last} : un bilan porte sur une année commencée.`;
}

export const EditionSchema = z
	.object({
		year: z
			.string()
			.regex(/^\d{4}$/, 'L’année s’écrit sur quatre chiffres (exemple : 2019).')
			.transform(Number)
			// Years a draft may carry; a new draft's year must have begun (saveEditionDraft): a draft
			// cannot be deleted, so a mistyped 2099 would stay in the list for good, unpublishable
			// before its date of arrest. A draft made before that rule keeps its year (read-only).
			.superRefine((year, context) => {
				if (year < FIRST_EDITION_YEAR || year > 2100)
					context.addIssue({ code: 'custom', message: editionYearMessage(parisYear()) });
			}),
		// Left empty: the 31 December of the year (below), as the form says; the page's script
		// fills it in as the year is typed, but a year typed before the script runs, or without
		// it, must not be refused for a date the person never touched.
		as_of: z
			.string()
			.trim()
			.refine(
				(v) => v === '' || isIsoDate(v),
				'La date d’arrêté des chiffres n’est pas une date valide (jj/mm/aaaa).'
			),
		intro: textField('L’introduction', 10_000),
		text_performance: textField('Le texte de l’axe « performance »', 5_000, { required: false }),
		text_solidarite: textField('Le texte de l’axe « solidarité »', 5_000, { required: false }),
		text_modernite: textField('Le texte de l’axe « modernité »', 5_000, { required: false }),
		change_note: textField('La note de correction', 2_000, { required: false })
	})
	// Checked only against a year written correctly: otherwise the year's own message is enough.
	.refine(
		(v) => !Number.isInteger(v.year) || v.as_of === '' || v.as_of.slice(0, 4) === String(v.year),
		{ path: ['as_of'], message: 'La date d’arrêté doit tomber dans l’année du bilan.' }
	)
	.transform((v) => ({ ...v, as_of: v.as_of || `${v.year}-12-31` }));
