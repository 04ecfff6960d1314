import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import { listFichesWithAddedAt } from './repository';
import { findFicheCodesAt } from '../authoring/revisions-repository';
import {
	formatClock,
	formatDate,
	formatMoment,
	formatSittingMoment,
	plural,
	pluralize,
	listInWords
} from '../../utils/format';
import { sittingPastPart, sittingStartIsPast } from '../../utils/rules';
import { SITTING_NOT_FOUND } from '../../utils/vocabulary';
import type { User } from '../auth/users';
import { ok, refuse, type Result } from '../result';
import { sittingConvenedMail, sittingReleasedMail } from '../mail/messages';
import { cancelPendingAbout, findReachedAboutSitting } from '../mail/outbox-repository';
import { mailIsRelayed, queueNotification } from '../mail/outbox';
import { activeRecipients } from '../mail/preferences-repository';
import type { SittingFacts } from '../db/schema';
import {
	agendaOfSitting,
	findSittingForNotice,
	markSittingConvened,
	organisationsOfFiches,
	type Convened
} from './convocation-repository';
import {
	accountsOfOrganisations,
	announced,
	sittingAudience,
	sittingMailSpent
} from './sitting-notices';
import { sittingHeader } from './sitting-header';
import { mailingSummary, mailingWaitingSince, withNames } from './mailing-summary';
import type { ConvocationWritten } from './types';

/*
 * « Convoquer » a séance (conveneSitting): who is convened, again or not, what each reads, the
 * journal line; and what the séance's page says of its convocation (its summary, the last one
 * sent, what changed since). The messages themselves are composed in mail/messages.ts.
 */

/**
 * Why a séance whose start is past (Paris: its day, or today its hour, `sittingPastPart`) is not
 * convened: said on its page too.
 */
export const pastDayMessage = (
	sitting: Pick<SittingFacts, 'heldOn' | 'startsAt'>,
	now = new Date()
) =>
	sittingPastPart(sitting, now) !== 'hour'
		? `La séance est datée du ${formatDate(sitting.heldOn)}, un jour passé : sa convocation ne part pas. Si la date est une erreur, corrigez-la ; si la séance a eu lieu, ouvrez-la (« Ouvrir la séance (tenue) »).`
		: `La séance est prévue ${formatSittingMoment(sitting)}, une heure passée : sa convocation ne part pas. Si la date ou l’heure est une erreur, corrigez-la ; si la séance a eu lieu, ouvrez-la (« Ouvrir la séance (tenue) »).`;

/** A point of the agenda as a convocation announces it: compared with the next one's. */
const agendaLine = (a: { code: string | null; title: string }) => `${a.code ?? '·'} ${a.title}`;
/** The fiche's code of such a line (« · » for a free point). */
const codeOfLine = (line: string) => line.slice(0, line.indexOf(' '));
const lineAsItem = (line: string) => ({
	code: codeOfLine(line),
	title: line.slice(codeOfLine(line).length + 1)
});

/** A fiche of the agenda moved to another objective since a convocation: its code then, today's. */
interface Recoded {
	codeThen: string;
	code: string;
	title: string;
}

/**
 * What a convocation announced (`convened_as`), its lines in today's codes: a fiche of the agenda
 * moved to another objective since (`findFicheCodesAt`, 11-1 become 3-2) is the same point, neither
 * gone nor joined. With the fiches so re-coded, by their code then (`codeThen`).
 */
async function inTodaysCodes(
	db: Executor,
	before: Convened,
	agenda: { ficheId: number | null; code: string | null; title: string }[],
	convenedAt: number
): Promise<{ before: Convened; recoded: Map<string, Recoded> }> {
	const codesThen = await findFicheCodesAt(
		db,
		agenda.flatMap((a) => (a.ficheId === null ? [] : [a.ficheId])),
		new Date(convenedAt).toISOString()
	);
	const recoded = new Map<string, Recoded>();
	for (const a of agenda) {
		const codeThen = a.ficheId === null ? undefined : codesThen.get(a.ficheId);
		if (codeThen !== undefined && a.code !== null && codeThen !== a.code)
			recoded.set(codeThen, { codeThen, code: a.code, title: a.title });
	}
	const today = (line: string) => {
		const fiche = recoded.get(codeOfLine(line));
		return fiche ? `${fiche.code}${line.slice(fiche.codeThen.length)}` : line;
	};
	return {
		before: {
			...before,
			agenda: before.agenda?.map(today),
			partnerAgenda:
				before.partnerAgenda &&
				Object.fromEntries(
					Object.entries(before.partnerAgenda).map(([id, lines]) => [id, lines.map(today)])
				)
		},
		recoded
	};
}

/**
 * The fiches a convocation announced that are no longer on the agenda, by the accounts of their
 * organisations: each account's lines of the earlier convocation that left (a convocation sent
 * before each partner's lines were recorded, `Convened.partnerAgenda`).
 */
async function leftLinesByPerson(
	db: Executor,
	before: string[],
	now: string[]
): Promise<Map<number, string[]>> {
	// By code: a fiche whose title was corrected since is still on the agenda.
	const codesNow = new Set(now.map(codeOfLine));
	const gone = before.filter((line) => codeOfLine(line) !== '·' && !codesNow.has(codeOfLine(line)));
	const fiches = await listFichesWithAddedAt(db, [...new Set(gone.map(codeOfLine))]);
	const byPerson = new Map<number, string[]>();
	const links = await organisationsOfFiches(
		db,
		fiches.map((f) => f.id)
	);
	const accounts = await accountsOfOrganisations(db, links);
	for (const link of links) {
		const code = fiches.find((f) => f.id === link.ficheId)!.code;
		for (const person of accounts.get(link.organisationId)!)
			byPerson.set(person.id, [
				...(byPerson.get(person.id) ?? []),
				...gone.filter((line) => codeOfLine(line) === code)
			]);
	}
	return byPerson;
}

/**
 * Since when the séance's last convocation (written at `convenedAt`, its messages with it) waits
 * for the relay known down, some of its messages not left, or null (`mailingWaitingSince`).
 */
export const convocationWaitingSince = (db: Executor, sittingId: number, convenedAt: number) =>
	mailingWaitingSince(db, sittingId, 'convened', convenedAt);

/**
 * The « Déroulement » line of a convened séance: its last convocation sent, written and waiting for
 * the relay down since `waitingSince` (convocationWaitingSince), or only written (no relay).
 */
export function lastConvocationLine(
	convenedAt: number,
	relayed: boolean,
	waitingSince: number | null
): string {
	if (!relayed)
		return `Dernière convocation écrite (pas envoyée : aucun serveur de courrier) le ${formatMoment(convenedAt)}.`;
	return waitingSince === null
		? `Dernière convocation envoyée le ${formatMoment(convenedAt)}.`
		: `Dernière convocation écrite le ${formatMoment(convenedAt)} ; elle attend le serveur de courrier, qui ne répond pas depuis le ${formatMoment(waitingSince)}, et partira dès qu’il répondra.`;
}

/** What the convener reads once a convocation is written (`mailingSummary`). */
export const convocationSummary = (
	written: { members: number; partners: number; released: number; notReached: string[] },
	relayed: boolean,
	downSince: number | null
) => mailingSummary('convocation', written, relayed, downSince);

/**
 * The summary of the séance's last convocation (`convocationSummary`), read again from what it
 * kept (`Convened.written`) on the page its form led to without script (`?fait=convocation`):
 * to its convener only, whose words it holds (« vous-même »); null for anyone else, or for a
 * convocation that kept none. Whether it left, from the relay now (`convocationWaitingSince`).
 */
export async function convocationSummaryAgain(
	db: Executor,
	sittingId: number,
	reader: Pick<User, 'id'>,
	waitingSince: number | null
): Promise<string | null> {
	const sitting = await findSittingForNotice(db, sittingId);
	const written = sitting ? announced(sitting).written : undefined;
	if (!written || written.by !== reader.id) return null;
	return convocationSummary(await withNames(db, written, reader), mailIsRelayed(), waitingSince);
}

/** A séance as a convocation reads it (`findSittingForNotice`). */
type NoticeSitting = NonNullable<Awaited<ReturnType<typeof findSittingForNotice>>>;
/** The séance's agenda, its concerned partners and the commission's members (`sittingAudience`). */
type Audience = Awaited<ReturnType<typeof sittingAudience>>;
type AgendaPoint = Audience['agenda'][number];

/**
 * « Convoquer » : mails the commission's members the agenda (its fiches with links to their review
 * files, and its free points), and the partners whose fiches are on it (their fiches only). Sent
 * again, it writes to everyone when the séance or its agenda changed (saying what changed), only to
 * those not yet convened when only the people did, and tells a partner whose fiches have all left
 * the agenda that its convocation no longer holds; nothing changed, or nobody to write to, it is
 * refused (nothing recorded: `nobodyConvenedMessage`). In one
 * transaction, in four steps: the séance may be convened (`convocableSitting`), whom to write to
 * and what changed for each (`convocationPlan`), the messages (`writeConvocations`), and what the
 * séance and the journal keep of it (`recordConvocation`).
 */
export async function conveneSitting(
	db: Db,
	user: User,
	sittingId: number,
	clientAddress: string | null,
	now = Date.now(),
	/** When the page showed the last convocation as sent (null: never); undefined: not checked. */
	shownConvenedAt?: number | null
): Promise<Result<ConvocationWritten>> {
	try {
		return await db.transaction().execute(async (trx) => {
			const convocable = await convocableSitting(trx, user, sittingId, now, shownConvenedAt);
			if (!convocable.ok) return convocable;
			const sitting = convocable.value;
			const audience = await sittingAudience(trx, sittingId);
			if (audience.agenda.length === 0)
				return refuse(
					409,
					'L’ordre du jour est vide : ajoutez-y une fiche ou un point avant de convoquer.'
				);
			const plan = await convocationPlan(trx, sitting, audience);
			if (plan.before !== null && !plan.audience.some(plan.writeTo) && plan.released.length === 0)
				return refuse(
					409,
					`Rien n’a changé depuis la convocation du ${formatMoment(sitting.convenedAt!)} (ni la séance, ni son ordre du jour, ni les personnes à convoquer) : elle n’a pas été envoyée de nouveau.`
				);
			const { written, reached } = await writeConvocations(trx, user, audience, plan, now);
			// Nobody written to (all turned the commission's messages off, or nobody to write to):
			// undone, an earlier convocation's message it cancelled too, and refused.
			if (written.members + written.partners + written.released === 0)
				throw new NobodyConvened(
					nobodyConvenedMessage(sitting, plan, await withNames(trx, written, user))
				);
			await recordConvocation(trx, user, sitting, plan, { written, reached, clientAddress }, now);
			return ok(written);
		});
	} catch (error) {
		if (error instanceof NobodyConvened) return refuse(409, error.message);
		throw error;
	}
}

/** A convocation that wrote to nobody: its transaction ends undone, and it is refused. */
class NobodyConvened extends Error {}

/**
 * Why a convocation that would write to nobody is refused, and what to do. Sent again with only
 * people changed, those not convened yet turned the messages off. Otherwise, those it would
 * reach turned them off (named, as the summary names them), or there is nobody to convene (no
 * active member, no account among the partners of its fiches): not recorded, the séance is not
 * convened (its agenda not out to the partners) nor its last convocation replaced.
 */
function nobodyConvenedMessage(
	sitting: NoticeSitting,
	plan: ConvocationPlan,
	written: { notReached: string[] }
): string {
	const since = sitting.convenedAt === null ? null : formatMoment(sitting.convenedAt);
	if (since !== null && plan.onlyNew)
		return `Rien n’a changé depuis la convocation du ${since} : les personnes qui ne l’ont pas reçue ne reçoivent pas les messages de la commission (leurs préférences, à /compte). Elle n’a pas été envoyée de nouveau.`;
	const kept =
		since === null
			? 'La séance n’est pas convoquée (son ordre du jour n’est pas annoncé aux partenaires)'
			: `La convocation du ${since} reste la dernière`;
	if (written.notReached.length === 0)
		return `Personne à convoquer : aucun membre de la commission n’a de compte actif, ni aucun partenaire des fiches de l’ordre du jour. ${kept} ; un administrateur crée les comptes (/admin/utilisateurs), puis envoyez la convocation.`;
	const others = written.notReached.filter((who) => who !== 'vous-même').length;
	const todo =
		others === 0
			? 'rétablissez-les (vos préférences, à /compte)'
			: `prévenez ${plural(others, 'cette personne', 'ces personnes')} autrement, ou ${plural(others, 'qu’elle les rétablisse', 'qu’elles les rétablissent')} (à /compte)`;
	return `Aucune convocation n’a été écrite : les messages de la commission sont coupés pour ${listInWords(written.notReached)}, et personne d’autre n’est à convoquer. ${kept} : ${todo}, puis envoyez la convocation.`;
}

/**
 * The séance's state rules for a convocation: it exists, is neither closed nor held, its start is
 * not past, the day's bounds are not reached, and no convocation left since the page was read.
 */
async function convocableSitting(
	trx: Executor,
	user: User,
	sittingId: number,
	now: number,
	shownConvenedAt: number | null | undefined
): Promise<Result<NoticeSitting>> {
	const sitting = await findSittingForNotice(trx, sittingId);
	if (!sitting) return refuse(404, SITTING_NOT_FOUND);
	if (sitting.state === 'closed')
		return refuse(409, 'Cette séance est close : il n’y a plus personne à convoquer.');
	// A séance held, or whose start is past (its day, or today its hour), is not announced: the
	// convocation would call people to a moment gone (a date mistyped, or moved into the past).
	if (sitting.state === 'held')
		return refuse(409, 'La séance est déjà tenue : il n’y a plus personne à convoquer.');
	if (sittingStartIsPast(sitting, new Date(now)))
		return refuse(409, pastDayMessage(sitting, new Date(now)));
	const spent = await sittingMailSpent(trx, user, sittingId, now);
	if (spent) return spent;
	// The same press sent twice (a double click without script, Back then send, two tabs, two
	// members): the convocation that left meanwhile is not sent again unseen.
	if (
		shownConvenedAt !== undefined &&
		sitting.convenedAt !== null &&
		sitting.convenedAt !== shownConvenedAt
	)
		return refuse(
			409,
			`La convocation est partie le ${formatMoment(sitting.convenedAt)}, après l’ouverture de cette page (un autre onglet ou un autre membre) : elle n’a pas été envoyée une seconde fois. Pour l’envoyer de nouveau, appuyez encore sur « Envoyer la convocation ».`
		);
	return ok(sitting);
}

/** The fiches that left an agenda announced (its lines), or joined it since. */
interface FichesMoved {
	gone: string[];
	joined: { code: string; title: string }[];
	/** Still on it, moved to another objective since (« La fiche 11-1 est devenue 3-2 »). */
	recoded: Recoded[];
}

/** A partner's part of the agenda: now, what left and joined it, and whether it changed. */
interface PartnerView extends FichesMoved {
	now: AgendaPoint[];
	/** Null when what they read is not known (a convocation before 2026-12-13). */
	changed: boolean | null;
}

/** What a convocation compares with the last one, and whom it writes to. */
interface ConvocationPlan {
	facts: SittingFacts & { id: number };
	lines: string[];
	/** The members' and concerned partners' accounts. */
	audience: number[];
	/** The last convocation, as it announced it (null: never convened). */
	before: Convened | null;
	changed: (keyof SittingFacts)[];
	/** Unknown (null) for a convocation sent before its agenda was recorded. */
	agendaChanged: boolean | null;
	/** Those the last convocation reached. */
	told: Set<number>;
	/** The séance and its agenda as announced: only those not convened yet have anything to read. */
	onlyNew: boolean;
	/** Convened before for fiches no longer on the agenda: their convocation no longer holds. */
	released: number[];
	agendaMoved: FichesMoved;
	partnerView: Map<number, PartnerView>;
	writeTo: (id: number) => boolean;
}

/**
 * Who is convened again and what differs for each: the séance and its agenda against what the
 * last convocation announced, and each partner's part of it against what they read.
 */
async function convocationPlan(
	trx: Executor,
	sitting: NoticeSitting,
	{ agenda, partners, members }: Audience
): Promise<ConvocationPlan> {
	const facts = sittingHeader(sitting);
	const lines = agenda.map(agendaLine);
	const audience = [...members, ...partners].map((p) => p.id);
	// Convened before: what it announced, to whom (known since 2026-12-05), in today's codes.
	const then =
		sitting.convenedAt === null
			? null
			: await inTodaysCodes(trx, announced(sitting), agenda, sitting.convenedAt);
	const before = then?.before ?? null;
	const recoded = [...(then?.recoded.values() ?? [])];
	const changed = before === null ? [] : sittingChangedSince(before, facts);
	const sameSitting = before !== null && changed.length === 0;
	// Unknown for a convocation sent before its agenda was recorded.
	const agendaChanged =
		before?.agenda === undefined ? null : before.agenda.join('\n') !== lines.join('\n');
	const told = new Set(before?.recipients ?? []);
	// The séance and its agenda as announced: only those not convened yet have anything to read.
	const onlyNew = sameSitting && agendaChanged === false && before?.recipients !== undefined;
	const released = before?.recipients?.filter((id) => !audience.includes(id)) ?? [];
	// A partner reads only their fiches: the agenda changed elsewhere (a free point, another
	// organisation's fiche), their convocation still holds; their own part changed (one of
	// their fiches left, or their organisation joined a fiche already on it), they are written
	// to again, and told which of their fiches left. What each partner read is recorded since
	// 2026-12-13 (`partnerAgenda`). Before, it is not known (their organisation may have joined
	// a fiche already on the agenda since): they are written to again, and the fiches that
	// left are rebuilt from the agenda announced and the fiches of their organisation today.
	const left =
		before?.agenda === undefined ||
		before.recipients === undefined ||
		before.partnerAgenda !== undefined
			? new Map<number, string[]>()
			: await leftLinesByPerson(trx, before.agenda, lines);
	const codesNow = new Set(lines.map(codeOfLine));
	// The fiches that left the agenda announced, or joined it since, or moved to another objective
	// while on it: named to the members.
	const fichesMoved = (then: string[] | undefined, now: AgendaPoint[]): FichesMoved => {
		const codesThen = new Set(then?.map(codeOfLine));
		return {
			gone:
				then?.filter((line) => codeOfLine(line) !== '·' && !codesNow.has(codeOfLine(line))) ?? [],
			joined:
				then === undefined
					? []
					: now.flatMap((a) =>
							a.code === null || codesThen.has(a.code) ? [] : [{ code: a.code, title: a.title }]
						),
			recoded: recoded.filter(
				(fiche) => codesThen.has(fiche.code) && now.some((a) => a.code === fiche.code)
			)
		};
	};
	const partnerView = new Map(
		partners.map((p) => {
			const now = agenda.filter((a) => a.ficheId !== null && p.fiches.has(a.ficheId));
			const codes = new Set(now.map((a) => a.code));
			const then =
				before?.partnerAgenda?.[p.id] ??
				before?.agenda?.filter(
					(line) => codes.has(codeOfLine(line)) || (left.get(p.id) ?? []).includes(line)
				);
			const { gone, joined, recoded } = fichesMoved(then, now);
			const changed =
				then === undefined || before?.partnerAgenda === undefined
					? null
					: then.join('\n') !== now.map(agendaLine).join('\n');
			return [p.id, { now, gone, joined, recoded, changed }];
		})
	);
	const writeTo = (id: number) => {
		if (!told.has(id)) return true;
		const view = partnerView.get(id);
		if (view && before?.recipients !== undefined) return !sameSitting || view.changed !== false;
		return !onlyNew;
	};
	return {
		facts,
		lines,
		audience,
		before,
		changed,
		agendaChanged,
		told,
		onlyNew,
		released,
		agendaMoved: fichesMoved(before?.agenda, agenda),
		partnerView,
		writeTo
	};
}

/** Why an earlier convocation's message that had not left yet was not sent (/admin/courriels). */
const CONVOCATION_REPLACED =
	'Non envoyé : une convocation plus récente de la même séance l’a remplacé.';

/**
 * The convocation's messages: to the members and partners `plan.writeTo`, each told what this
 * one replaces when the last reached them, and to the partners released. How many were written
 * (those who turned the commission's messages off counted apart), and whom they reached.
 */
async function writeConvocations(
	trx: Executor,
	user: User,
	{ agenda, partners, members }: Audience,
	plan: ConvocationPlan,
	now: number
): Promise<{ written: ConvocationWritten; reached: number[] }> {
	const { facts, told, partnerView, agendaMoved, writeTo } = plan;
	const convened = {
		members: members.filter((m) => writeTo(m.id)),
		partners: partners.filter((p) => writeTo(p.id))
	};
	const released = await activeRecipients(trx, { userIds: plan.released, role: 'partenaire' });
	const { unsent, gotOlder } = await replaceWaitingConvocations(
		trx,
		facts.id,
		[...convened.members, ...convened.partners, ...released],
		now
	);
	const earlierFor = earlierConvocationFor(plan, unsent, gotOlder);
	const out = convocationCounter(trx, user, facts.id, now);
	for (const member of convened.members)
		await out.queue(
			member,
			sittingConvenedMail(
				member,
				facts,
				agenda,
				true,
				earlierFor(member.id),
				...(earlierFor(member.id) && !unsent.has(member.id)
					? ([agendaMoved.gone.map(lineAsItem), agendaMoved.joined, agendaMoved.recoded] as const)
					: [])
			),
			'members'
		);
	for (const partner of convened.partners) {
		const view = partnerView.get(partner.id)!;
		await out.queue(
			partner,
			sittingConvenedMail(
				partner,
				facts,
				view.now,
				false,
				earlierFor(partner.id),
				...(told.has(partner.id) && !unsent.has(partner.id)
					? ([view.gone.map(lineAsItem), view.joined, view.recoded] as const)
					: [])
			),
			'partners'
		);
	}
	// Partners convened before for fiches no longer on the agenda: their convocation no longer
	// holds (a member who became staff meanwhile is not told of « vos fiches »). One whose only
	// convocation never left (cancelled above) is not told of a convocation they never received.
	for (const person of released.filter((p) => !unsent.has(p.id) || gotOlder.has(p.id)))
		await out.queue(person, sittingReleasedMail(person, facts), 'released');
	return { written: out.written, reached: out.reached };
}

/**
 * An earlier convocation's message to `people` still waiting for the relay (an outage) is replaced
 * by this one: a person gets one convocation, not both once the relay answers again (a reminder
 * replaced by a newer one is cancelled the same way). Those whose last convocation never left
 * (`unsent`: they did not read what it announced), and among them those an older one reached.
 */
async function replaceWaitingConvocations(
	trx: Executor,
	sittingId: number,
	people: { id: number }[],
	now: number
): Promise<{ unsent: Set<number>; gotOlder: Set<number> }> {
	const cancelled = await cancelPendingAbout(
		trx,
		{ sittingId },
		CONVOCATION_REPLACED,
		{ kind: 'convened', userIds: people.map((person) => person.id) },
		now
	);
	const unsent = new Set(cancelled.flatMap((id) => (id === null ? [] : [id])));
	return { unsent, gotOlder: await findReachedAboutSitting(trx, sittingId, [...unsent]) };
}

/**
 * What a person reads this convocation replaces (null: nothing, a first convocation). Only those
 * the previous convocation reached read that this one replaces it (a séance convened before its
 * recipients were recorded: everyone), also when only the people changed: a partner convened
 * before whose own part changed (their organisation joined a fiche already on it). One whose last
 * convocation never left reads a first convocation (it holds the whole agenda); one an older
 * convocation reached reads that this one replaces it, not what changed since the one they never
 * received.
 */
function earlierConvocationFor(plan: ConvocationPlan, unsent: Set<number>, gotOlder: Set<number>) {
	const { before, told, partnerView } = plan;
	const earlier =
		before === null
			? null
			: { ...before, changed: plan.changed, agendaChanged: plan.agendaChanged };
	return (id: number) => {
		if (earlier === null || (before?.recipients !== undefined && !told.has(id))) return null;
		if (unsent.has(id))
			return gotOlder.has(id) ? { ...earlier, changed: [], agendaChanged: null } : null;
		return { ...earlier, agendaChanged: partnerView.get(id)?.changed ?? plan.agendaChanged };
	};
}

/**
 * Writes a convocation's messages one person at a time and counts them (`written`), or counts one
 * among those who opted out; `reached`: those the convocation reached, its recipients from now on
 * (not those who opted out, who are written to again once they opt back in).
 */
function convocationCounter(trx: Executor, user: User, sittingId: number, now: number) {
	const written: ConvocationWritten = {
		members: 0,
		partners: 0,
		optedOut: 0,
		released: 0,
		notReached: []
	};
	const reached: number[] = [];
	const queue = async (
		person: ConvocationRecipient,
		mail: Parameters<typeof queueNotification>[4],
		who: ConvocationGroup
	) => {
		const id = await queueNotification(trx, 'convened', 'commission', person, mail, now, {
			sittingId
		});
		if (id === null) {
			written.optedOut += 1;
			written.notReached.push({ id: person.id, group: who });
		} else {
			written[who] += 1;
			if (who !== 'released') reached.push(person.id);
		}
	};
	return { written, reached, queue };
}

type ConvocationGroup = 'members' | 'partners' | 'released';
type ConvocationRecipient = { id: number; email: string; name: string; organisation?: string };

/**
 * What the séance keeps of its convocation (`convened_as`: what it announced, to whom, each
 * partner's part) and its journal line.
 */
async function recordConvocation(
	trx: Executor,
	user: User,
	sitting: NoticeSitting,
	plan: ConvocationPlan,
	{
		written,
		reached,
		clientAddress
	}: { written: ConvocationWritten; reached: number[]; clientAddress: string | null },
	now: number
): Promise<void> {
	const { facts, partnerView } = plan;
	// Those written to now, and those whose convocation still holds (not written to again).
	const recipients = [
		...new Set([
			...plan.audience.filter((id) => plan.told.has(id) && !plan.writeTo(id)),
			...reached
		])
	];
	await markSittingConvened(trx, sitting.id, now, {
		title: facts.title,
		heldOn: facts.heldOn,
		startsAt: facts.startsAt,
		place: facts.place,
		agenda: plan.lines,
		recipients,
		// A partner's part as they read it: written now, or as announced (not written: unchanged).
		partnerAgenda: Object.fromEntries(
			recipients.flatMap((id) => {
				const view = partnerView.get(id);
				return view ? [[id, view.now.map(agendaLine)] as const] : [];
			})
		),
		written: { by: user.id, ...written }
	});
	await recordAudit(
		trx,
		{
			actor: user,
			action: 'session.convened',
			target: { type: 'séance', id: sitting.id },
			summary: `Séance du ${formatDate(sitting.heldOn)} convoquée${mailIsRelayed() ? '' : ' (pas de serveur de courrier : convocation gardée sans être envoyée)'} : ${pluralize(written.members, 'membre', 'membres')}, ${pluralize(written.partners, 'partenaire', 'partenaires')}${plan.onlyNew ? ' (nouvellement concernés)' : ''}${written.released > 0 ? `, ${pluralize(written.released, 'partenaire prévenu', 'partenaires prévenus')} que ses fiches n’y sont plus` : ''}${written.optedOut > 0 ? ` (${pluralize(written.optedOut, 'personne désabonnée', 'personnes désabonnées')})` : ''}`,
			clientAddress
		},
		new Date(now)
	);
}

/** The facts of a séance a convocation announces, in the order they are named. */
const SITTING_FACTS = ['heldOn', 'startsAt', 'place', 'title'] as const;

/**
 * Which of the séance's day, hour, place and title differ from what a convocation announced: what
 * its page, the answer to a correction and the next convocation say changed. Compared with the
 * convocation, not with the values before the last correction: moved back, nothing changed.
 */
function sittingChangedSince(
	announcedFacts: SittingFacts,
	sitting: SittingFacts
): (keyof SittingFacts)[] {
	return SITTING_FACTS.filter((fact) => announcedFacts[fact] !== sitting[fact]);
}

/** What changed in a convened séance since its last convocation (null: never convened). */
export interface SinceConvened {
	convenedAt: number;
	announced: SittingFacts;
	facts: (keyof SittingFacts)[];
	/** False too for a convocation sent before its agenda was recorded. */
	agenda: boolean;
}

/**
 * What differs in a convened séance from what its last convocation announced — its day, hour,
 * place, title (`sittingChangedSince`) and agenda — for its page to ask to send it again; null
 * when it was never convened.
 */
export async function changedSinceConvened(
	db: Executor,
	sittingId: number
): Promise<SinceConvened | null> {
	const sitting = await findSittingForNotice(db, sittingId);
	if (!sitting || sitting.convenedAt === null) return null;
	const agenda = await agendaOfSitting(db, sittingId);
	// A fiche moved to another objective since is still on the agenda: not a change.
	const { before } = await inTodaysCodes(db, announced(sitting), agenda, sitting.convenedAt);
	const lines = agenda.map(agendaLine);
	return {
		convenedAt: sitting.convenedAt,
		announced: before,
		facts: sittingChangedSince(before, sitting),
		agenda: before.agenda !== undefined && lines.join('\n') !== before.agenda.join('\n')
	};
}

/** A list said in French: « a, b et c ». */
/**
 * What the séance's page (and the answer to a correction) says of a convocation out of date: what
 * it announced that the séance no longer is, and to send it again; null when it still holds.
 */
export function convokeAgainMessage(since: SinceConvened | null): string | null {
	if (!since || (since.facts.length === 0 && !since.agenda)) return null;
	const again = 'envoyez-la de nouveau (« Envoyer la convocation ») pour prévenir les convoqués.';
	if (since.facts.length === 0)
		return `L’ordre du jour a changé depuis cette convocation : ${again}`;
	const was = since.announced;
	const words: Record<keyof SittingFacts, string> = {
		heldOn: `un autre jour (le ${formatDate(was.heldOn)})`,
		startsAt: was.startsAt
			? `une autre heure (${formatClock(was.startsAt)})`
			: 'une autre heure (elle n’en donnait pas)',
		place: `un autre lieu (${was.place})`,
		title: `un autre intitulé (« ${was.title} »)`
	};
	return `La convocation du ${formatMoment(since.convenedAt)} annonçait ${listInWords(since.facts.map((f) => words[f]))}${since.agenda ? ', et l’ordre du jour a changé depuis' : ''} : ${again}`;
}
