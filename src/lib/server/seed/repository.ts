import { FICHE_CODE_PATTERN } from '../../utils/text';
import { refreshSearchText } from '../plan/repository';
import type { Db, Executor } from '../db';
import { publishEdition, saveEditionDraft } from '../editions/service';
import { refreshFicheState } from '../progress/repository';
import { PLAN_DATA, type PlanData } from './plan-data';

class SeedDataError extends Error {
	override name = 'SeedDataError';
}

/**
 * Loads the plan into an empty database in one transaction. Does nothing (returns false) when the
 * plan is already there, so it is safe to call at every start.
 */
export async function seedPlan(db: Db, data: PlanData = PLAN_DATA): Promise<boolean> {
	checkSeedData(data);
	return db.transaction().execute(async (trx) => {
		const existing = await trx.selectFrom('plan').select('id').executeTakeFirst();
		if (existing) return false;
		await trx
			.insertInto('plan')
			.values({ id: 1, ...data.structure.plan })
			.execute();
		const orgIds = await insertOrganisations(trx, data.organisations);
		const objectiveIds = await insertStructure(trx, data.structure);
		const ficheIds = await insertFiches(trx, data.fiches, objectiveIds);
		for (const fiche of data.fiches) await insertFicheLists(trx, fiche, ficheIds, orgIds);
		await insertHistory(trx, data.history, ficheIds, orgIds);
		for (const ficheId of ficheIds.values()) await refreshFicheState(trx, ficheId);
		await refreshSearchText(trx);
		return true;
	});
}

/** The organisations, in the data's order: their ids by slug. */
async function insertOrganisations(
	trx: Executor,
	organisations: PlanData['organisations']
): Promise<Map<string, number>> {
	const orgIds = new Map<string, number>();
	for (const org of organisations) {
		const { id } = await trx
			.insertInto('organisation')
			.values({ slug: org.slug, name: org.name, full_name: org.full_name, kind: org.kind })
			.returning('id')
			.executeTakeFirstOrThrow();
		orgIds.set(org.slug, id);
	}
	return orgIds;
}

/** The axes, orientations and objectives, each under its parent: the objectives' ids by number. */
async function insertStructure(
	trx: Executor,
	structure: PlanData['structure']
): Promise<Map<number, number>> {
	const axisIds = new Map<string, number>();
	for (const axis of structure.axes) {
		const { id } = await trx
			.insertInto('axis')
			.values(axis)
			.returning('id')
			.executeTakeFirstOrThrow();
		axisIds.set(axis.code, id);
	}
	const orientationIds = new Map<string, number>();
	for (const { axis, ...orientation } of structure.orientations) {
		const { id } = await trx
			.insertInto('orientation')
			.values({ ...orientation, axis_id: axisIds.get(axis)! })
			.returning('id')
			.executeTakeFirstOrThrow();
		orientationIds.set(orientation.code, id);
	}
	const objectiveIds = new Map<number, number>();
	for (const { orientation, ...objective } of structure.objectives) {
		const { id } = await trx
			.insertInto('objective')
			.values({ ...objective, orientation_id: orientationIds.get(orientation)! })
			.returning('id')
			.executeTakeFirstOrThrow();
		objectiveIds.set(objective.number, id);
	}
	return objectiveIds;
}

/** The fiches' own rows, under their objective (its number heads the code): their ids by code. */
async function insertFiches(
	trx: Executor,
	fiches: PlanData['fiches'],
	objectiveIds: Map<number, number>
): Promise<Map<string, number>> {
	const ficheIds = new Map<string, number>();
	for (const fiche of fiches) {
		const [objectiveNumber, number] = fiche.code.split('-').map(Number) as [number, number];
		const { id } = await trx
			.insertInto('fiche')
			.values({
				code: fiche.code,
				objective_id: objectiveIds.get(objectiveNumber)!,
				number,
				title: fiche.title,
				short_title: fiche.short_title,
				context: JSON.stringify(fiche.context),
				existing: JSON.stringify(fiche.existing),
				description: JSON.stringify(fiche.description),
				success_factors: JSON.stringify(fiche.success_factors),
				owners_note: fiche.owners_note ?? null,
				priority: fiche.priority,
				adopted_priority: fiche.priority,
				// Written once every text of the fiche is in (refreshSearchText, below).
				search_text: ''
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		ficheIds.set(fiche.code, id);
	}
	return ficheIds;
}

/** A fiche's lists: its owners, partners and linked fiches (in the data's order), its indicators. */
async function insertFicheLists(
	trx: Executor,
	fiche: PlanData['fiches'][number],
	ficheIds: Map<string, number>,
	orgIds: Map<string, number>
): Promise<void> {
	const ficheId = ficheIds.get(fiche.code)!;
	if (fiche.owners.length > 0) {
		await trx
			.insertInto('fiche_owner')
			.values(
				fiche.owners.map((owner, position) => ({
					fiche_id: ficheId,
					organisation_id: orgIds.get(owner.org)!,
					scope: owner.scope ?? null,
					note: owner.note ?? null,
					position
				}))
			)
			.execute();
	}
	if (fiche.partners.length > 0) {
		await trx
			.insertInto('fiche_partner')
			.values(
				fiche.partners.map((partner, position) => {
					const { org, detail } =
						typeof partner === 'string' ? { org: partner, detail: null } : partner;
					return { fiche_id: ficheId, organisation_id: orgIds.get(org)!, detail, position };
				})
			)
			.execute();
	}
	if (fiche.linked.length > 0) {
		await trx
			.insertInto('fiche_link')
			.values(
				fiche.linked.map((code, position) => ({
					fiche_id: ficheId,
					linked_fiche_id: ficheIds.get(code)!,
					position
				}))
			)
			.execute();
	}
	await trx
		.insertInto('indicator')
		.values(
			fiche.indicators.map((indicator, index) => {
				const { label, unit, target } =
					typeof indicator === 'string'
						? { label: indicator, unit: null, target: null }
						: indicator;
				return { fiche_id: ficheId, label, unit, target, position: index + 1 };
			})
		)
		.execute();
}

/**
 * The plan's dated history: its events, and the register's reports with their measurements. The
 * reports are validated on their own day (as the register's séances are closed on theirs), never
 * on the day of the installation — two installations publish the same bytes, and an edition of
 * 2018 holds no row of later.
 */
async function insertHistory(
	trx: Executor,
	history: PlanData['history'],
	ficheIds: Map<string, number>,
	orgIds: Map<string, number>
): Promise<void> {
	if (history.plan_events.length > 0) {
		await trx.insertInto('plan_event').values(history.plan_events).execute();
	}
	for (const update of history.progress_updates) {
		const ficheId = ficheIds.get(update.fiche)!;
		const { id: updateId } = await trx
			.insertInto('progress_update')
			.values({
				fiche_id: ficheId,
				organisation_id: orgIds.get(update.organisation)!,
				reported_on: update.reported_on,
				status: update.status,
				progress: update.progress ?? null,
				done: update.done,
				next_steps: update.next_steps ?? '',
				difficulties: update.difficulties ?? '',
				source: update.source,
				state: 'validated',
				validated_at: `${update.reported_on}T18:00:00.000Z`
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		for (const measurement of update.measurements ?? []) {
			const indicator = await trx
				.selectFrom('indicator')
				.select('id')
				.where('fiche_id', '=', ficheId)
				.where('position', '=', measurement.indicator)
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('measurement')
				.values({
					indicator_id: indicator.id,
					progress_update_id: updateId,
					measured_on: measurement.measured_on,
					value: measurement.value,
					comment: measurement.comment
				})
				.execute();
		}
	}
}

/**
 * Loads the commission's sittings told by the register (closed, with their opinions) when the
 * database has none yet: also for databases created before the commission existed.
 */
export async function seedCommissionHistory(
	db: Db,
	data: PlanData = PLAN_DATA,
	now = new Date()
): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const any = await trx.selectFrom('commission_session').select('id').limit(1).executeTakeFirst();
		if (any) return false;
		const stamp = now.toISOString();
		for (const sitting of data.history.commission_sessions) {
			const { id: sittingId } = await trx
				.insertInto('commission_session')
				.values({
					held_on: sitting.held_on,
					place: sitting.place,
					title: sitting.title,
					state: 'closed',
					source: sitting.source,
					created_by: null,
					created_at: stamp,
					closed_by: null,
					closed_at: `${sitting.held_on}T18:00:00.000Z`
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			for (const [position, item] of sitting.items.entries()) {
				const fiche = await trx
					.selectFrom('fiche')
					.select('id')
					.where('code', '=', item.fiche)
					.executeTakeFirstOrThrow();
				const { id: itemId } = await trx
					.insertInto('agenda_item')
					.values({
						session_id: sittingId,
						fiche_id: fiche.id,
						title: null,
						position: position + 1
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				for (const decision of item.decisions) {
					await trx
						.insertInto('decision')
						.values({
							session_id: sittingId,
							agenda_item_id: itemId,
							kind: decision.kind,
							previous_priority: null,
							new_priority: null,
							opinion: decision.opinion ?? null,
							text: decision.text,
							recorded_by: null,
							recorded_at: `${sitting.held_on}T18:00:00.000Z`
						})
						.execute();
				}
			}
		}
		return true;
	});
}

/** Publishes the editions the register allows (2018) when the database has none yet. */
export async function seedEditions(db: Db, data: PlanData = PLAN_DATA): Promise<boolean> {
	const any = await db.selectFrom('edition').select('id').limit(1).executeTakeFirst();
	if (any) return false;
	for (const edition of data.history.editions) {
		const when = new Date(edition.published_at);
		const draft = await saveEditionDraft(
			db,
			null,
			{
				year: edition.year,
				asOf: edition.as_of,
				intro: edition.intro,
				axisTexts: edition.axis_texts,
				changeNote: null
			},
			null,
			when
		);
		if (!draft.ok) throw new SeedDataError(draft.message);
		const published = await publishEdition(db, null, draft.value.id, null, when);
		if (!published.ok) throw new SeedDataError(published.message);
	}
	return true;
}

/** Fails loudly on an inconsistent data file rather than loading half a plan. */
export function checkSeedData(data: PlanData): void {
	const problems: string[] = [];
	const { structure, organisations, fiches, history } = data;
	const orgSlugs = new Set(organisations.map((o) => o.slug));
	const axisCodes = new Set(structure.axes.map((a) => a.code));
	const orientationCodes = new Set(structure.orientations.map((o) => o.code));
	const objectiveNumbers = new Set(structure.objectives.map((o) => o.number));
	const ficheCodes = new Set(fiches.map((f) => f.code));
	if (ficheCodes.size !== fiches.length) problems.push('code de fiche en double');
	for (const o of structure.orientations)
		if (!axisCodes.has(o.axis)) problems.push(`orientation ${o.code} : axe ${o.axis} inconnu`);
	for (const o of structure.objectives)
		if (!orientationCodes.has(o.orientation))
			problems.push(`objectif ${o.number} : orientation ${o.orientation} inconnue`);
	for (const fiche of fiches) {
		const match = FICHE_CODE_PATTERN.exec(fiche.code);
		if (!match || !objectiveNumbers.has(Number(match[1])))
			problems.push(`fiche ${fiche.code} : code ou objectif invalide`);
		for (const owner of fiche.owners)
			if (!orgSlugs.has(owner.org))
				problems.push(`fiche ${fiche.code} : porteur ${owner.org} inconnu`);
		for (const partner of fiche.partners) {
			const slug = typeof partner === 'string' ? partner : partner.org;
			if (!orgSlugs.has(slug)) problems.push(`fiche ${fiche.code} : partenaire ${slug} inconnu`);
		}
		for (const code of fiche.linked) {
			if (!ficheCodes.has(code)) problems.push(`fiche ${fiche.code} : fiche liée ${code} inconnue`);
			if (code === fiche.code) problems.push(`fiche ${fiche.code} : liée à elle-même`);
		}
		if (fiche.indicators.length === 0) problems.push(`fiche ${fiche.code} : aucun indicateur`);
	}
	for (const sitting of history.commission_sessions)
		for (const item of sitting.items)
			if (!ficheCodes.has(item.fiche))
				problems.push(`séance du ${sitting.held_on} : fiche ${item.fiche} inconnue`);
	for (const update of history.progress_updates) {
		const fiche = fiches.find((f) => f.code === update.fiche);
		if (!fiche) problems.push(`historique : fiche ${update.fiche} inconnue`);
		if (!orgSlugs.has(update.organisation))
			problems.push(`historique : organisation ${update.organisation} inconnue`);
		for (const m of update.measurements ?? [])
			if (!fiche || m.indicator < 1 || m.indicator > fiche.indicators.length)
				problems.push(`historique : indicateur ${m.indicator} de ${update.fiche} inconnu`);
	}
	if (problems.length > 0)
		throw new SeedDataError(`Données du plan incohérentes : ${problems.join(' ; ')}`);
}
