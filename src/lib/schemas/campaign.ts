import { z } from 'zod';
import { plural } from '../utils/format';
import { PRIORITIES } from '../utils/vocabulary';
import { ID_PATTERN } from '../utils/text';
import { confirmBoxSchema, INCOMPLETE_FORM, isIsoDate, textField, unreadDateMessage } from './form';

/** The latest reminder goes this many days after the deadline. */
export const LATEST_REMINDER_DAYS = 30;

/**
 * Changes of a campaign's deadline told to its organisations in a day (Paris), by any admin: each
 * writes to every organisation still missing an answer (18 changes in 20 minutes wrote 11 to 15
 * messages to each). A change without notice stays possible.
 */
export const DEADLINE_NOTICES_PER_CAMPAIGN_PER_DAY = 3;

const MAX_REMINDERS = 6;
export const EARLIEST_REMINDER_DAYS = -60;

const REMINDERS_FORMAT =
	'Indiquez les rappels en jours entiers par rapport à l’échéance, séparés par une virgule et une espace (par exemple -14, -3, +1), entre -60 et +30.';

/**
 * « -14,,+1 »: the reminder typed before an empty slot between two commas (« -14 »), '' when the
 * slot comes first; null when there is none. A comma at the very end is only left over.
 */
function missingReminder(text: string): string | null {
	const items = text.split(/[,;]/);
	const empty = items.findIndex((item, i) => i > 0 && i < items.length - 1 && item.trim() === '');
	if (empty === -1) return null;
	return items[empty - 1]!.trim().split(/\s+/).at(-1)!;
}

/**
 * What is wrong with a list of reminders « -14, -3, +1 » (days from the deadline, negative before
 * it), in words that say how to mend it; null when it is right. « 1,5 » (a comma between two
 * digits, no space) is a French decimal, not the days 1 and 5.
 */
export function reminderDaysProblem(text: string): string | null {
	// From the first digit of a run only: tried from each digit, a long run took seconds.
	const decimal = /(?<!\d)\d+,\d+/.exec(text);
	if (decimal)
		return `« ${decimal[0]} » se lit comme un nombre décimal : un rappel est un nombre entier de jours. Séparez les rappels par une virgule et une espace (par exemple -14, -3, +1).`;
	const missing = missingReminder(text);
	if (missing !== null)
		return `Un rappel manque entre deux virgules, ${missing === '' ? 'au début' : `après « ${missing} »`} : ajoutez-le, ou retirez la virgule en trop (par exemple -14, -3, +1).`;
	const parts = text
		.split(/[,;\s]+/)
		.map((p) => p.trim().replace('−', '-'))
		.filter(Boolean);
	if (parts.some((p) => !/^[+-]?\d{1,3}$/.test(p))) return REMINDERS_FORMAT;
	const days = new Set(parts.map(Number));
	if (days.size > MAX_REMINDERS)
		return `${days.size} rappels : ${MAX_REMINDERS} au plus. Gardez les plus utiles (par exemple -14, -3, +1).`;
	const outside = [...days].filter((d) => d < EARLIEST_REMINDER_DAYS || d > LATEST_REMINDER_DAYS);
	if (outside.length > 0)
		return `Un rappel tombe entre ${-EARLIEST_REMINDER_DAYS} jours avant l’échéance et ${LATEST_REMINDER_DAYS} jours après (de ${EARLIEST_REMINDER_DAYS} à +${LATEST_REMINDER_DAYS}) : ${outside.map((d) => (d > 0 ? `+${d}` : String(d))).join(', ')} n’y ${plural(outside.length, 'est', 'sont')} pas.`;
	return null;
}

/** The days of a list of reminders, in order, once each; null when reminderDaysProblem refuses it. */
export function parseReminderDays(text: string): number[] | null {
	if (reminderDaysProblem(text) !== null) return null;
	const parts = text
		.split(/[,;\s]+/)
		.map((p) => p.trim().replace('−', '-'))
		.filter(Boolean);
	return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}

/** Reminder days as the form writes them: « -14, -3, +1 » (parseReminderDays reads it back). */
export function reminderDaysText(days: number[]): string {
	return days.map((day) => (day > 0 ? `+${day}` : String(day))).join(', ');
}

/** A refinement adding `problem`'s sentence as the field's one message. */
const said =
	(problem: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
		const message = problem(value);
		if (message) ctx.addIssue({ code: 'custom', message });
	};

const deadlineField = z
	.string()
	.min(1, 'Indiquez l’échéance.')
	.refine((v) => v === '' || isIsoDate(v), unreadDateMessage('L’échéance'));
const remindersField = z.string().superRefine(said(reminderDaysProblem));

export const CampaignSchema = z
	.object({
		title: textField('Le titre', 120, {
			line: true,
			min: 3,
			missing: 'Donnez un titre à la campagne (par exemple « Bilan 2026 »).'
		}),
		deadline: deadlineField,
		scope: z.enum(['all', 'axis', 'priority', 'organisation'], {
			error: 'Choisissez les fiches concernées.'
		}),
		axis: z.string(),
		priority: z.string(),
		organisation: z.string(),
		sitting: z.string().regex(/^(\d{1,9})?$/, 'Choisissez une séance dans la liste.'),
		reminders: remindersField
	})
	.superRefine((v, ctx) => {
		if (v.scope === 'axis' && !ID_PATTERN.test(v.axis))
			ctx.addIssue({ code: 'custom', path: ['axis'], message: 'Choisissez un axe.' });
		if (v.scope === 'priority' && !PRIORITIES.some((p) => String(p) === v.priority))
			ctx.addIssue({ code: 'custom', path: ['priority'], message: 'Choisissez une priorité.' });
		if (v.scope === 'organisation' && !ID_PATTERN.test(v.organisation))
			ctx.addIssue({
				code: 'custom',
				path: ['organisation'],
				message: 'Choisissez une organisation.'
			});
	});

export const CAMPAIGN_FIELDS = [
	'title',
	'deadline',
	'scope',
	'axis',
	'priority',
	'organisation',
	'sitting',
	'reminders'
] as const;

/**
 * An open campaign's new deadline and reminders (its page), with those the form showed (hidden:
 * changed since by another admin, the change is refused) and whether to tell the organisations
 * still missing an answer (a checkbox, ticked by default).
 */
export const CampaignDatesSchema = z.object({
	deadline: deadlineField,
	reminders: remindersField,
	shownDeadline: z.string().refine(isIsoDate, INCOMPLETE_FORM),
	shownReminders: z.string().refine((text) => parseReminderDays(text) !== null, INCOMPLETE_FORM),
	notify: z.enum(['', 'oui'], { error: INCOMPLETE_FORM })
});

/** Closing a campaign cannot be undone: its box ticked first. */
export const CloseCampaignSchema = confirmBoxSchema(
	'Cochez la case pour confirmer la clôture : une campagne close ne se rouvre pas.'
);

export const CAMPAIGN_DATES_FIELDS = [
	'deadline',
	'reminders',
	'shownDeadline',
	'shownReminders',
	'notify'
] as const;
