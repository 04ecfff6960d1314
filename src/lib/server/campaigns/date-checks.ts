// The checks an opening and a change of dates share: the deadline and the reminders against
// today in Paris (campaignDateProblems), another open campaign of the same fiches and day
// (repeatedCampaign).
import type { Executor } from '../db';
import { parseReminderDays } from '../../schemas/campaign';
import { isIsoDate } from '../../schemas/form';
import { daysAfter, parisDate } from '../../utils/dates';
import { formatDate, listInWords } from '../../utils/format';
import { MAX_DAYS_AHEAD } from '../../utils/rules';
import { listOpenCampaignsEndingOn } from './repository';

/** The day a reminder goes: `offset` days from the deadline (negative: before). */
export function reminderDay(deadline: string, offset: number): string {
	return daysAfter(deadline, offset);
}

/**
 * Reminders due on or before the opening day (or the day the dates are changed) are never sent
 * (the opening's own message goes that day; a reminder is not sent late): the form says so instead
 * of keeping them silently.
 */
function earlyRemindersMessage(offsets: number[], deadline: string, when: string): string {
	const signed = offsets.map((o) => (o > 0 ? `+${o}` : String(o)));
	const days = offsets.map((o) => formatDate(reminderDay(deadline, o)));
	if (offsets.length === 1)
		return `Le rappel ${signed[0]} tomberait le ${days[0]}, au plus tard ${when} : il ne partirait pas. Retirez-le ou reportez l’échéance.`;
	return `Les rappels ${listInWords(signed)} tomberaient au plus tard ${when} (${days.join(', ')}) : ils ne partiraient pas. Retirez-les ou reportez l’échéance.`;
}

/**
 * Another open campaign asking the same fiches by the same day, under another title (opened
 * again, renamed, or its deadline moved onto this one): every organisation would be asked twice
 * for the same updates, and reminded twice. The refusal's words, or null.
 */
export async function repeatedCampaign(
	db: Executor,
	today: string,
	deadline: string,
	ficheIds: number[],
	except: number | null = null
): Promise<string | null> {
	const asking = new Set(ficheIds);
	const repeated = (await listOpenCampaignsEndingOn(db, today, deadline)).find(
		(c) =>
			c.id !== except &&
			c.ficheIds.length === asking.size &&
			c.ficheIds.every((id) => asking.has(id))
	);
	return repeated
		? `La campagne « ${repeated.title} », ouverte, demande déjà ces mêmes fiches pour le ${formatDate(deadline)} : rien n’a été ouvert en double (ses rappels relancent les organisations). Pour une autre campagne, choisissez d’autres fiches ou une autre échéance.`
		: null;
}

/**
 * The deadline's and the reminders' problems against today in Paris: a deadline passed or more
 * than a year away, reminders that would fall before the opening. A deadline or reminders the
 * form's schema cannot read are left to its own message: the route asks this beside them, so that
 * every problem is told at once.
 */
export function campaignDateProblems(
	deadline: string,
	reminders: string,
	now = Date.now(),
	/** An open campaign's dates changed, rather than a campaign opened (the words differ). */
	change = false
): Partial<Record<'deadline' | 'reminders', string>> {
	if (!isIsoDate(deadline)) return {};
	const today = parisDate(new Date(now));
	if (deadline < today)
		return {
			deadline: `Choisissez une échéance à venir, à partir d’aujourd’hui, le ${formatDate(today)}.`
		};
	const latest = daysAfter(today, MAX_DAYS_AHEAD);
	if (deadline > latest)
		return {
			deadline: `Choisissez une échéance au plus tard le ${formatDate(latest)} : une campagne dure au plus un an (vérifiez l’année).`
		};
	const early = (parseReminderDays(reminders) ?? []).filter(
		(offset) => reminderDay(deadline, offset) <= today
	);
	return early.length > 0
		? {
				reminders: earlyRemindersMessage(
					early,
					deadline,
					change ? 'aujourd’hui, jour du changement' : 'le jour de l’ouverture'
				)
			}
		: {};
}
