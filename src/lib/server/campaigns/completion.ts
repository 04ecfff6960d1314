// A campaign's follow-up: its page (campaignCompletion) and its files, CSV (completionRows) and
// workbook (completionSheet).
import type { Db } from '../db';
import { protectFormula } from '../csv';
import type { Sheet } from '../spreadsheet';
import { organisationReceives } from '../mail/preferences-repository';
import { ok, refuse, type Result } from '../result';
import { formatDate, formatMomentDay, formatSentReminder, pluralize } from '../../utils/format';
import { compareFrench } from '../../utils/text';
import { CAMPAIGN_NOT_FOUND } from '../../utils/vocabulary';
import {
	campaignPairs,
	findCampaign,
	listDatesChanges,
	listReminders,
	organisationsInvited,
	type CampaignRow
} from './repository';
import {
	type PairState,
	PAIR_LABELS,
	withPairStates,
	answersCampaign,
	shownName,
	byOrganisation
} from './pair-states';

export interface Completion {
	campaign: CampaignRow;
	fiches: {
		code: string;
		title: string;
		organisations: { name: string; state: PairState; label: string }[];
	}[];
	organisations: {
		id: number;
		name: string;
		done: number;
		total: number;
		missing: string[];
		/** The reminders written, with the deadline each announced. */
		reminders: { offset: number; sentAt: number; deadline: string }[];
	}[];
	/** The changes of its deadline or reminder days, oldest first. */
	datesChanges: Awaited<ReturnType<typeof listDatesChanges>>;
	/** Organisations concerned that have no active account: not counted, listed apart. */
	withoutAccount: string[];
	/** Those of withoutAccount with a partner invited, whose invitation still opens. */
	invited: string[];
	/** Organisations with an active account, but nobody who receives the campaigns' messages. */
	notMailed: string[];
	/**
	 * Organisations counted because they answered before losing their last active account (or
	 * being retired): none now, so they are neither told nor reminded.
	 */
	lostAccount: string[];
	/** Those of lostAccount retired since they answered: nobody can be invited for them. */
	retiredSince: string[];
	done: number;
	total: number;
	complete: boolean;
	/**
	 * Not complete, and no organisation still asked for an update has anyone who receives the
	 * campaigns' messages: the opening (and the reminders) write to nobody.
	 */
	reachesNobody: boolean;
}

/** The campaign page: per fiche and per organisation, submitted / validated / missing. */
export async function campaignCompletion(
	db: Db,
	id: number,
	now = Date.now()
): Promise<Result<Completion>> {
	const campaign = await findCampaign(db, id);
	if (!campaign) return refuse(404, CAMPAIGN_NOT_FOUND);
	const pairs = withPairStates(await campaignPairs(db, id)).map((p) => ({
		...p,
		organisation: shownName(p)
	}));
	const expected = pairs.filter((p) => p.pairState !== 'unreachable');
	const reminders = await listReminders(db, id);
	const fiches = new Map<string, Completion['fiches'][number]>();
	for (const p of pairs) {
		const fiche = fiches.get(p.code) ?? { code: p.code, title: p.ficheTitle, organisations: [] };
		fiche.organisations.push({
			name: p.organisation,
			state: p.pairState,
			label: PAIR_LABELS[p.pairState]
		});
		fiches.set(p.code, fiche);
	}
	const organisations = [...byOrganisation(expected)].map(([orgId, list]) => ({
		id: orgId,
		name: list[0]!.organisation,
		done: list.filter((p) => answersCampaign(p.pairState)).length,
		total: list.length,
		missing: list.filter((p) => !answersCampaign(p.pairState)).map((p) => p.code),
		reminders: reminders
			.filter((r) => r.organisationId === orgId)
			.map((r) => ({ offset: r.offsetDays, sentAt: r.sentAt, deadline: r.deadline }))
	}));
	organisations.sort((a, b) => compareFrench(a.name, b.name));
	for (const fiche of fiches.values())
		fiche.organisations.sort((a, b) => compareFrench(a.name, b.name));
	const unreachable = pairs.filter((p) => p.pairState === 'unreachable');
	const withoutAccount = [...new Set(unreachable.map((p) => p.organisation))].sort((a, b) =>
		a.localeCompare(b, 'fr')
	);
	const invitedIds = await organisationsInvited(db, [...byOrganisation(unreachable).keys()], now);
	const invited = withoutAccount.filter((name) =>
		unreachable.some((p) => p.organisation === name && invitedIds.includes(p.organisationId))
	);
	const done = expected.filter((p) => answersCampaign(p.pairState)).length;
	const complete = expected.length > 0 && done === expected.length;
	const notMailed: string[] = [];
	const lostAccount: string[] = [];
	const unmailed = new Set<number>();
	for (const organisation of organisations) {
		// Reached by an answer given before its last account went (withPairStates).
		const lost = !expected.some((p) => p.organisationId === organisation.id && p.hasAccount);
		if (!lost && (await organisationReceives(db, organisation.id, 'reminders'))) continue;
		(lost ? lostAccount : notMailed).push(organisation.name);
		unmailed.add(organisation.id);
	}
	const retiredSince = organisations
		.filter((o) => expected.some((p) => p.organisationId === o.id && p.retiredAt !== null))
		.map((o) => o.name);
	return ok({
		campaign,
		fiches: [...fiches.values()],
		organisations,
		datesChanges: await listDatesChanges(db, id),
		withoutAccount,
		invited,
		notMailed,
		lostAccount: lostAccount.filter((name) => !retiredSince.includes(name)),
		retiredSince,
		done,
		total: expected.length,
		complete,
		reachesNobody:
			!complete && organisations.every((o) => o.missing.length === 0 || unmailed.has(o.id))
	});
}

/** One line per fiche and organisation: its state, and the reminders sent to the organisation. */
function completionLines(completion: Completion, formatTime: (ms: number) => string) {
	const reminderText = new Map(
		completion.organisations.map((o) => [
			o.name,
			o.reminders
				.map(
					(r) => `${formatSentReminder(r, completion.campaign.deadline)} : ${formatTime(r.sentAt)}`
				)
				.join(' ; ')
		])
	);
	return completion.fiches.flatMap((f) =>
		f.organisations.map((o) => [f.code, f.title, o.name, o.label, reminderText.get(o.name) ?? ''])
	);
}

/** The same, as CSV rows (every text after the fiche's code through protectFormula). */
export function completionRows(
	completion: Completion,
	formatTime: (ms: number) => string
): string[][] {
	return [
		['fiche', 'intitule', 'organisation', 'etat', 'rappels'],
		...completionLines(completion, formatTime).map(([code, ...texts]) => [
			code!,
			...texts.map((text) => protectFormula(text!))
		])
	];
}

/**
 * The same for people, as a workbook's sheet: French headings (a workbook never reads a text cell
 * as a formula, the titles go as they are).
 */
export function completionSheet(completion: Completion, formatTime: (ms: number) => string): Sheet {
	const { title, deadline, closedAt } = completion.campaign;
	return {
		title: 'Suivi de la campagne',
		note: `Campagne de suivi « ${title} », échéance le ${formatDate(deadline)}${closedAt === null ? '' : `, close le ${formatMomentDay(closedAt)} (avancement du jour de la clôture)`} : ${completion.done} sur ${pluralize(completion.total, 'mise à jour attendue', 'mises à jour attendues')}`,
		headers: ['Fiche', 'Intitulé', 'Organisation', 'État', 'Rappels'],
		rows: completionLines(completion, formatTime)
	};
}
