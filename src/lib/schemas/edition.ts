import { z } from 'zod';
import { parisYear } from '../utils/dates';
import { formatDate } from '../utils/format';
import { confirmField, isIsoDate, textField, unreadDateMessage } from './form';

/**
 * Publishing a bilan: sent by its confirmation page only, with its box (`confirm`) and the draft it
 * showed (`shown`, its digest); any other post is led back to that page.
 */
export const PUBLISH_FIELDS = ['confirm', 'shown'] as const;
export const PublishSchema = z.object({ confirm: confirmField(), shown: z.string().min(1) });

/** The plan was adopted in 2018-2019: no edition reports on an earlier year. */
const FIRST_EDITION_YEAR = 2018;

/** Why a year is refused for a new edition, `last` being the current year. */
export function editionYearMessage(last: number): string {
	return `L’année doit être comprise entre ${FIRST_EDITION_YEAR} et ${last} : un bilan porte sur une année commencée.`;
}

/** The field of an axis's text in the edition's form, by the axis's code. */
export function axisTextField(code: string): string {
	return `text_${code}`;
}

/** An axis as the edition's form offers its text: its code, and the short name that labels it. */
export interface AxisOfForm {
	code: string;
	shortName: string;
}

/**
 * Why `year` cannot have a new draft: it has not begun (a draft cannot be deleted, and a mistyped
 * 2099 would stay in the list for good, unpublishable before its date of arrest), unless it has a
 * draft already (one made before that rule keeps its year). Null when it can.
 */
export function newDraftYearMessage(
	year: number,
	hasDraft: boolean,
	now = new Date()
): string | null {
	return year <= parisYear(now) || hasDraft ? null : editionYearMessage(parisYear(now));
}

/** The edition's own fields; a year not begun is refused unless one of `draftYears` (a draft's). */
const editionFields = (draftYears: readonly number[]) => ({
	// Pasted with spaces around (« 2025 »), read as the other fields are: trimmed.
	year: z
		.string()
		.trim()
		.regex(/^\d{4}$/, 'L’année s’écrit sur quatre chiffres (exemple : 2019).')
		.transform(Number)
		// Told with the form's other problems, not once they are mended; saveEditionDraft asks again
		// in its transaction.
		.superRefine((year, context) => {
			const message =
				year < FIRST_EDITION_YEAR || year > 2100
					? editionYearMessage(parisYear())
					: newDraftYearMessage(year, draftYears.includes(year));
			if (message) context.addIssue({ code: 'custom', message });
		}),
	// Left empty: the 31 December of the year (below), as the form says; the page's script
	// fills it in as the year is typed, but a year typed before the script runs, or without
	// it, must not be refused for a date the person never touched.
	as_of: z
		.string()
		.trim()
		.refine((v) => v === '' || isIsoDate(v), unreadDateMessage('La date d’arrêté des chiffres')),
	intro: textField('L’introduction', 10_000),
	change_note: textField('La note de correction', 2_000, { required: false })
});

/** The form's fields: the edition's own, and one text per axis of the plan. */
export function editionFormFields(axes: AxisOfForm[]): string[] {
	return [...Object.keys(editionFields([])), ...axes.map((a) => axisTextField(a.code))];
}

/**
 * The edition's form, with a text for each axis of the plan as it stands (an axis added in the
 * portal gets its own), read into `axisTexts` by axis code. `draftYears`: the years that have a
 * draft, the only ones not begun the form accepts.
 */
export function editionSchema(axes: AxisOfForm[], draftYears: readonly number[]) {
	const texts = Object.fromEntries(
		axes.map((a) => [
			axisTextField(a.code),
			textField(`Le texte de l’axe « ${a.shortName} »`, 5_000, { required: false })
		])
	);
	return (
		z
			.object({ ...editionFields(draftYears), ...texts })
			// Checked only against a year and a date read: otherwise their own message is enough.
			.superRefine((v, context) => {
				if (!Number.isInteger(v.year) || !isIsoDate(v.as_of) || v.as_of.startsWith(`${v.year}-`))
					return;
				context.addIssue({
					code: 'custom',
					path: ['as_of'],
					message: `La date d’arrêté doit tomber dans l’année du bilan, entre le ${formatDate(`${v.year}-01-01`)} et le ${formatDate(`${v.year}-12-31`)}.`
				});
			})
			.transform((v) => ({
				year: v.year,
				as_of: v.as_of || `${v.year}-12-31`,
				intro: v.intro,
				change_note: v.change_note,
				axisTexts: Object.fromEntries(
					axes.map((a) => [a.code, (v as Record<string, unknown>)[axisTextField(a.code)] as string])
				)
			}))
	);
}
