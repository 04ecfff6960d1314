import { authorize } from '$lib/server/auth/guards';
import {
	AUDIT_ACTIONS,
	DENIALS_JOURNALED_PER_DAY,
	listAuditEvents,
	listAuditTallies,
	type AuditAction,
	type AuditFilters
} from '$lib/server/audit/repository';
import { listUsers } from '$lib/server/auth/users';
import { auditRetentionSetting } from '$lib/server/config.js';
import { getDb } from '$lib/server/db/instance';
import { isIsoDate } from '$lib/schemas/form';
import { daysBefore, parisDayEnd } from '$lib/utils/dates';
import { formatDate } from '$lib/utils/format';
import { accountLabel, ID_PATTERN, readPageNumber } from '$lib/utils/text';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'audit.view');
	const params = event.url.searchParams;
	const filters: AuditFilters = {};
	const notes: string[] = [];
	const action = params.get('action') ?? '';
	if (action) {
		if (action in AUDIT_ACTIONS) filters.action = action as AuditAction;
		else notes.push('Type d’événement inconnu : filtre ignoré.');
	}
	const db = getDb();
	const users = (await listUsers(db)).map((u) => ({ id: u.id, label: accountLabel(u) }));
	const actor = params.get('compte') ?? '';
	if (actor) {
		// A number that names no account (an old or altered link) is as unknown as a word.
		if (ID_PATTERN.test(actor) && users.some((u) => u.id === Number(actor)))
			filters.actorId = Number(actor);
		else notes.push('Compte inconnu : filtre ignoré.');
	}
	let from = params.get('du') ?? '';
	let to = params.get('au') ?? '';
	if (from && !isIsoDate(from)) notes.push('Date de début invalide : filtre ignoré.');
	if (to && !isIsoDate(to)) notes.push('Date de fin invalide : filtre ignoré.');
	// Typed the wrong way round: the period meant, said.
	if (isIsoDate(from) && isIsoDate(to) && from > to) {
		[from, to] = [to, from];
		notes.push(
			`La date de début était après la date de fin : le journal est montré du ${formatDate(from)} au ${formatDate(to)}.`
		);
	}
	// Days in Paris, as the journal shows each moment: from its midnight there, to the next one.
	if (isIsoDate(from)) filters.from = parisDayEnd(daysBefore(from, 1));
	if (isIsoDate(to)) filters.to = parisDayEnd(to);
	const text = (params.get('q') ?? '').trim().slice(0, 100);
	if (text) filters.text = text;
	const page = readPageNumber(params.get('page'));
	const { entries, hasMore, organisationNames } = await listAuditEvents(db, filters, page);
	return {
		tallies: await listAuditTallies(db),
		retentionDays: auditRetentionSetting(),
		denialsPerDay: DENIALS_JOURNALED_PER_DAY,
		// Who acted, as the « Auteur » filter names an account: the name as it was, with the address.
		entries: entries.map(({ actorEmail, ...e }) => ({
			...e,
			actorLabel:
				actorEmail === null ? e.actorLabel : accountLabel({ name: e.actorLabel, email: actorEmail })
		})),
		organisationNames,
		hasMore,
		page,
		notes,
		users,
		actions: Object.entries(AUDIT_ACTIONS).map(([code, label]) => ({ code, label })),
		values: { action, compte: actor, du: from, au: to, q: text }
	};
};
