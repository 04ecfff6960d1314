import { z } from 'zod';
import { isIsoDate, textField } from './form';
import { COMMENT_MAX_LENGTH } from './limits';

/** A time of day as the séance form takes it: "HH:MM", 00:00 to 23:59. */
export function isClockTime(value: string): boolean {
	return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

export const SittingSchema = z.object({
	held_on: z
		.string()
		.trim()
		.min(1, 'Indiquez la date de la séance.')
		.refine(isIsoDate, 'La date de la séance n’est pas une date valide (jj/mm/aaaa).')
		.refine(
			(v) => v >= '2018-01-01' && v <= '2100-12-31',
			'La date de la séance doit être comprise entre 2018 et 2100.'
		),
	// Optional: a convocation says when the commission meets; the register's séances have no time.
	starts_at: z
		.string()
		.trim()
		.refine(
			(v) => v === '' || isClockTime(v),
			'L’heure s’écrit en heures et minutes (par exemple 14:30).'
		)
		.transform((v) => (v === '' ? null : v)),
	place: textField('Le lieu', 200, { line: true }),
	title: textField('L’intitulé', 200, { line: true })
});

/** The fields of a séance's form, in the order of the page. */
export const SITTING_FIELDS = ['held_on', 'starts_at', 'place', 'title'] as const;

export const DecisionSchema = z.discriminatedUnion(
	'kind',
	[
		z.object({
			kind: z.literal('priority'),
			new_priority: z
				.enum(['1', '2'], { error: 'Choisissez la nouvelle priorité : 1 ou 2.' })
				.transform((v) => Number(v) as 1 | 2),
			text: textField('Le motif', COMMENT_MAX_LENGTH)
		}),
		z.object({
			kind: z.literal('opinion'),
			opinion: z.enum(['favorable', 'reserve', 'defavorable', 'prise_acte'], {
				error: 'Choisissez un avis : favorable, réservé, défavorable ou prise d’acte.'
			}),
			text: textField('Le texte de l’avis', COMMENT_MAX_LENGTH)
		}),
		z.object({
			kind: z.literal('free'),
			text: textField('Le texte de la décision', COMMENT_MAX_LENGTH)
		})
	],
	{ error: 'Choisissez le type de décision.' }
);

export const DECISION_FIELDS = ['itemId', 'kind', 'new_priority', 'opinion', 'text'] as const;

/**
 * Fields filled for another type than the one chosen (possible without JavaScript, where every
 * field shows): refused rather than guessed, so an opinion never changes a priority by accident.
 */
export function decisionMismatches(values: Record<string, string>): Record<string, string> {
	const errors: Record<string, string> = {};
	const kind = values.kind ?? '';
	if (!['priority', 'opinion', 'free'].includes(kind)) return errors;
	if (kind !== 'priority' && (values.new_priority ?? '') !== '')
		errors.new_priority =
			'Vous avez choisi une nouvelle priorité : choisissez le type « Changement de priorité », ou laissez la priorité vide.';
	if (kind !== 'opinion' && (values.opinion ?? '') !== '')
		errors.opinion =
			'Vous avez choisi un avis : choisissez le type « Avis », ou laissez l’avis vide.';
	return errors;
}

export const FreeItemSchema = z.object({
	title: textField('L’intitulé du point', 200, { line: true })
});
export const GuestSchema = z.object({
	guest_name: textField('Le nom de l’invité', 120, { line: true })
});
