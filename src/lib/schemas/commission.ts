import { z } from 'zod';
import { formatClock, formatDate } from '../utils/format';
import { FICHE_CODE_PATTERN, ID_PATTERN } from '../utils/text';
import {
	confirmBoxSchema,
	confirmField,
	isIsoDate,
	parseForm,
	readForm,
	textField,
	unreadDateMessage,
	type FieldErrors
} from './form';
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
		// Not read (a day that does not exist, another writing than the field's calendar): said so,
		// with the writing that is read. Its bounds (after the plan's adoption, a year ahead at most) are
		// sittingDayProblems', which names their days.
		.refine(isIsoDate, unreadDateMessage('La date de la séance')),
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

/**
 * The séance's details as typed, one per line and named as the form names them (kept on the page
 * that says the séance was deleted meanwhile); a time that is not one is shown as it was typed.
 */
export function typedSittingText(values: Record<string, string>): { text: string } {
	const time = values.starts_at ?? '';
	const lines = [
		['Date', values.held_on ? formatDate(values.held_on) : ''],
		['Heure', isClockTime(time) ? formatClock(time) : time],
		['Lieu', values.place],
		['Intitulé', values.title]
	].filter(([, value]) => value);
	return { text: lines.map(([name, value]) => `${name} : ${value}`).join('\n') };
}

/**
 * The details as the séance's form showed them (hidden `shown_*` fields), so that a correction
 * made meanwhile is not overwritten unseen; null from a form that did not send them.
 */
export function shownSittingDetails(form: FormData) {
	if (!form.has('shown_held_on')) return null;
	const shown = readForm(form, [
		'shown_held_on',
		'shown_starts_at',
		'shown_place',
		'shown_title'
	]).values;
	return {
		heldOn: shown.shown_held_on,
		startsAt: shown.shown_starts_at || null,
		place: shown.shown_place,
		title: shown.shown_title
	};
}

/**
 * More fiches than a choice in the list can name (the plan has 23, at most nine per objective):
 * refused before any query, which would hold one parameter per code sent.
 */
export const MAX_AGENDA_CHOICES = 500;

/**
 * The fiches ticked in the agenda's list (`codes`), each once (a code sent twice names its fiche
 * once); null when none is, when one is not a fiche's code, or more than MAX_AGENDA_CHOICES are.
 */
export function agendaChoice(form: FormData): string[] | null {
	const sent = form.getAll('codes');
	const listed = (v: FormDataEntryValue): v is string =>
		typeof v === 'string' && FICHE_CODE_PATTERN.test(v);
	if (sent.length === 0 || sent.length > MAX_AGENDA_CHOICES || !sent.every(listed)) return null;
	return [...new Set(sent.filter(listed))];
}

/**
 * The rows a form names by their number (a decision, a point, a person present, a member to add)
 * or the fiches it adds (agendaChoice): what it answers when they name none of the page's (a page
 * stale or made by hand); `marked`: a list to choose from, marked as refused under the field.
 */
export const UNKNOWN_CHOICES = {
	codes: { message: 'Choisissez au moins une fiche dans la liste.', marked: true },
	decisionId: { message: 'Décision inconnue.', marked: false },
	itemId: { message: 'Point inconnu.', marked: false },
	attendeeId: { message: 'Personne inconnue.', marked: false },
	userId: { message: 'Choisissez un membre dans la liste.', marked: true }
} as const;

/** « Supprimer la séance »: its box ticked first. */
export const DeleteSittingSchema = confirmBoxSchema(
	'Cochez la case pour confirmer que la séance doit être supprimée.'
);

/**
 * Closing a séance, irreversible: sent by its confirmation page only, with its box (`confirm`) and
 * the decisions it listed (`decisions`, their numbers separated by commas), which the service
 * compares with those of now. Anything else leads back to that page.
 */
export const CLOSING_FIELDS = ['confirm', 'decisions'] as const;
export const ClosingSchema = z.object({
	confirm: confirmField(),
	decisions: z
		.string()
		.regex(/^(\d{1,9}(,\d{1,9}){0,999})?$/)
		.transform((v) => (v === '' ? [] : v.split(',').map(Number)))
});

/**
 * A priority decision without a new priority, said by the schema, which does not know the fiche:
 * the route names the priorities its form offered instead (`newPriorityMessage`).
 */
export const NEW_PRIORITY_MISSING = 'Choisissez la nouvelle priorité.';

export const DecisionSchema = z.discriminatedUnion(
	'kind',
	[
		z.object({
			kind: z.literal('priority'),
			new_priority: z
				.enum(['1', '2'], { error: NEW_PRIORITY_MISSING })
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

/** A decision as the service records it (`recordDecision`). */
export type DecisionInput =
	| { kind: 'priority'; newPriority: 1 | 2; text: string }
	| {
			kind: 'opinion';
			opinion: Extract<z.output<typeof DecisionSchema>, { kind: 'opinion' }>['opinion'];
			text: string;
	  }
	| { kind: 'free'; text: string };

/**
 * The decision form of a point of the agenda: what was typed, each field's message (the schema's,
 * the fields of another type filled, a point that is not one) and, when all pass, the point and
 * the decision as the service takes them.
 */
export function parseDecisionForm(form: FormData): {
	values: Record<(typeof DECISION_FIELDS)[number], string>;
	errors: FieldErrors;
	decision: { itemId: number; input: DecisionInput } | null;
} {
	const parsed = parseForm(form, DECISION_FIELDS, DecisionSchema);
	const { values, data } = parsed;
	const errors = { ...decisionMismatches(values), ...parsed.errors };
	const itemId = ID_PATTERN.test(values.itemId) ? Number(values.itemId) : null;
	if (itemId === null) errors.itemId = 'Point de l’ordre du jour inconnu.';
	if (!data || itemId === null || Object.keys(errors).length > 0)
		return { values, errors, decision: null };
	const input: DecisionInput =
		data.kind === 'priority'
			? { kind: 'priority', newPriority: data.new_priority, text: data.text }
			: data.kind === 'opinion'
				? { kind: 'opinion', opinion: data.opinion, text: data.text }
				: { kind: 'free', text: data.text };
	return { values, errors, decision: { itemId, input } };
}

export const FreeItemSchema = z.object({
	title: textField('L’intitulé du point', 200, { line: true })
});
export const GuestSchema = z.object({
	guest_name: textField('Le nom de l’invité', 120, { line: true })
});
