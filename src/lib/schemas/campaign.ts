import { z } from 'zod';
import { PRIORITIES } from '../utils/vocabulary';
import { hasForbiddenCharacters, isIsoDate } from './form';

/** The latest reminder goes this many days after the deadline. */
export const LATEST_REMINDER_DAYS = 30;

/**
 * « -14, -3, +1 » : days from the deadline, negative before it; null when the text is not such a
 * list. « 1,5 » (a comma between two digits, no space) is a French decimal, not the days 1 and 5.
 */
export function parseReminderDays(text: string): number[] | null {
	if (/\d,\d/.test(text)) return null;
	const parts = text
		.split(/[,;\s]+/)
		.map((p) => p.trim().replace('−', '-'))
		.filter(Boolean);
	if (parts.length > 6 || parts.some((p) => !/^[+-]?\d{1,2}$/.test(p))) return null;
	const days = [...new Set(parts.map(Number))].sort((a, b) => a - b);
	return days.every((d) => d >= -60 && d <= LATEST_REMINDER_DAYS) ? days : null;
}

export const CampaignSchema = z
	.object({
		title: z
			.string()
			.trim()
			.min(3, 'Donnez un titre à la campagne (par exemple « Bilan 2026 »).')
			.max(120, 'Le titre compte au plus 120 caractères.')
			.refine(
				(v) => !hasForbiddenCharacters(v, { oneLine: true }),
				'Le titre contient des caractères non autorisés.'
			),
		deadline: z.string().refine(isIsoDate, 'Indiquez la date limite (jour, mois, année).'),
		scope: z.enum(['all', 'axis', 'priority', 'organisation'], {
			error: 'Choisissez les fiches concernées.'
		}),
		axis: z.string(),
		priority: z.string(),
		organisation: z.string(),
		sitting: z.string().regex(/^(\d{1,9})?$/, 'Choisissez une séance dans la liste.'),
		reminders: z
			.string()
			.refine(
				(v) => parseReminderDays(v) !== null,
				'Indiquez les rappels en jours entiers par rapport à la date limite, séparés par une virgule et une espace (par exemple -14, -3, +1), entre -60 et +30.'
			)
	})
	.superRefine((v, ctx) => {
		if (v.scope === 'axis' && !/^\d{1,9}$/.test(v.axis))
			ctx.addIssue({ code: 'custom', path: ['axis'], message: 'Choisissez un axe.' });
		if (v.scope === 'priority' && !PRIORITIES.some((p) => String(p) === v.priority))
			ctx.addIssue({ code: 'custom', path: ['priority'], message: 'Choisissez une priorité.' });
		if (v.scope === 'organisation' && !/^\d{1,9}$/.test(v.organisation))
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
